"""Stage 1: find the site's files and parse each into model values."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from .briefing import parse_briefing, parse_page
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Diagnostics, Location
from .frontmatter import Document, parse_document
from .markup import BodyRenderer
from .model import Briefing, Page, Region, Source
from .registry import load_regions, load_sources
from .yamldoc import read_text

BRIEFINGS_DIR = "content/briefings"
PAGES_DIR = "content/pages"
T = TypeVar("T", Briefing, Page)


@dataclass(frozen=True)
class Content:
    """Everything read from a site folder, not yet linked."""

    config: SiteConfig
    sources: dict[str, Source] | None
    regions: dict[str, Region] | None
    briefings: tuple[Briefing, ...]
    pages: tuple[Page, ...]

    def with_config(self, config: SiteConfig) -> Content:
        return replace(self, config=config)


def is_editor_temp(name: str) -> bool:
    """Editors' backup, swap and lock files."""
    return name.startswith((".#", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp"))


def is_ignored(name: str) -> bool:
    """Content files briefgen skips: hidden ones and editors' temp files."""
    return name.startswith(".") or is_editor_temp(name)


def markdown_files(root: Path, folder: str, diags: Diagnostics) -> Iterator[tuple[Path, str]]:
    """The ``.md`` files below ``folder``, sorted, as (path, path relative to the root)."""
    base = root / folder
    if not base.is_dir():
        return
    real_base = base.resolve()
    for path in sorted(base.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if any(is_ignored(part) for part in path.relative_to(base).parts):
            continue
        if not path.resolve().is_relative_to(real_base):
            diags.error(Location(rel), "symbolic link leads outside the content folder")
            continue
        if path.is_file():
            yield path, rel


@dataclass(frozen=True)
class Parsed:
    """What one file parsed to, with the problems found in it."""

    item: Briefing | Page | None
    diagnostics: tuple[Diagnostic, ...]


class ParseCache:
    """Parsed files, reused while a file's size and modification time are unchanged.

    The preview server keeps one across rebuilds, so an edit re-parses one file.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int], Parsed]] = {}
        self._seen: set[str] = set()

    def get(self, rel: str, stamp: tuple[int, int]) -> Parsed | None:
        self._seen.add(rel)
        entry = self._entries.get(rel)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def put(self, rel: str, stamp: tuple[int, int], parsed: Parsed) -> None:
        self._entries[rel] = (stamp, parsed)

    def forget_unseen(self) -> None:
        """Drop the entries of files that the last load did not find."""
        self._entries = {rel: e for rel, e in self._entries.items() if rel in self._seen}
        self._seen = set()


def load(
    root: Path, diags: Diagnostics, include_drafts: bool = False, cache: ParseCache | None = None
) -> Content:
    renderer = BodyRenderer()
    config = load_config(root, diags)
    sources = load_sources(root, diags)
    regions = load_regions(root, diags)

    cache = cache if cache is not None else ParseCache()
    briefings = _parse_all(root, BRIEFINGS_DIR, parse_briefing, renderer, diags, cache)
    pages = _parse_all(root, PAGES_DIR, parse_page, renderer, diags, cache)
    cache.forget_unseen()
    if not include_drafts:
        briefings = [b for b in briefings if not b.draft]
        pages = [p for p in pages if not p.draft]
    return Content(config, sources, regions, tuple(briefings), tuple(pages))


def _parse_all(
    root: Path,
    folder: str,
    parse: Callable[[Document, Location, BodyRenderer, Diagnostics], T | None],
    renderer: BodyRenderer,
    diags: Diagnostics,
    cache: ParseCache,
) -> list[T]:
    items = []
    for path, rel in markdown_files(root, folder, diags):
        try:
            stat = path.stat()
        except OSError:
            continue  # vanished since it was listed
        stamp = (stat.st_mtime_ns, stat.st_size)
        parsed = cache.get(rel, stamp)
        if parsed is None:
            local = Diagnostics()
            text = read_text(path, rel, local)
            origin = Location(rel)
            doc = parse_document(text, origin, local) if text is not None else None
            item = parse(doc, origin, renderer, local) if doc else None
            parsed = Parsed(item, tuple(local.items))
            cache.put(rel, stamp, parsed)
        diags.extend(parsed.diagnostics)
        if parsed.item is not None:
            items.append(parsed.item)  # type: ignore[arg-type]
    return items
