"""Stage 1: find the site's files and parse each into model values.

Parsing one file depends on that file alone (its path and bytes), so results are
reused across builds (the persistent cache), across rebuilds of the preview (a
cache keyed by size and modification time) and computed in parallel processes.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from .briefing import parse_briefing, parse_page
from .cache import BuildCache, content_key
from .config import SiteConfig, load_config
from .diagnostics import Diagnostic, Diagnostics, Location, Severity
from .files import walk
from .frontmatter import parse_document
from .markup import BodyRenderer
from .model import NO_BODY, Briefing, Page, Parsed, Region, Source, StoredBody
from .registry import load_regions, load_sources
from .trust import plausible
from .workers import pool as workers_pool
from .yamldoc import decode_text

BRIEFINGS_DIR = "content/briefings"
PAGES_DIR = "content/pages"
BRIEFING, PAGE = "briefing", "page"
_PARALLEL_FROM = 64  # fewer files than this are parsed faster in one process


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


def markdown_files(root: Path, folder: str, diags: Diagnostics) -> list[tuple[str, str]]:
    """The ``.md`` files below ``folder``, sorted, as (path, path relative to the root)."""
    return [
        (path, f"{folder}/{rel}")
        for path, rel in walk(root / folder, folder, diags)
        if rel.endswith(".md")
    ]


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


class ParseCache:
    """Parsed files, reused while a file's size and modification time are unchanged.

    The preview server keeps one across rebuilds, so an edit re-parses one file.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int], Parsed]] = {}

    @property
    def empty(self) -> bool:
        return not self._entries

    def get(self, rel: str, stamp: tuple[int, int]) -> Parsed | None:
        entry = self._entries.get(rel)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def entry(self, rel: str) -> Parsed | None:
        """What ``rel`` parsed to last time, however it has changed since."""
        entry = self._entries.get(rel)
        return entry[1] if entry is not None else None

    def put(self, rel: str, stamp: tuple[int, int], parsed: Parsed) -> None:
        self._entries[rel] = (stamp, parsed)

    def replace_all(self, entries: dict[str, tuple[tuple[int, int], Parsed]]) -> None:
        self._entries = entries


@functools.cache
def _body_renderer() -> BodyRenderer:
    """One Markdown instance per process, reused for every file it parses."""
    return BodyRenderer()


def parse_file(kind: str, rel: str, raw: bytes) -> Parsed:
    """Parse one file's bytes; the same bytes at the same path always give the same result."""
    diags = Diagnostics()
    origin = Location(rel)
    text = decode_text(raw, rel, diags)
    doc = parse_document(text, origin, diags) if text is not None else None
    parse = parse_briefing if kind == BRIEFING else parse_page
    item = parse(doc, origin, _body_renderer(), diags) if doc else None
    if item is not None:
        digest = hashlib.sha256(rel.encode("utf-8", "surrogateescape") + b"\0" + raw)
        item = replace(item, digest=digest.hexdigest())
        if isinstance(item, Briefing):
            meta = repr(replace(item, body=NO_BODY, digest=""))
            item = replace(item, meta_digest=hashlib.sha256(meta.encode()).hexdigest())
    draft = doc is not None and doc.meta.get("draft") is True
    return Parsed(item, tuple(diags.items), draft)


Job = tuple[str, str, str]  # kind, path relative to the root, path to read


def _parse_job(job: Job, fingerprint: str) -> tuple[str, Parsed]:
    """Read and parse one file, in whichever process; return its content key too.

    The key comes from the bytes parsed, so a file saved again meanwhile can never
    be stored under the key of its older bytes.
    """
    kind, rel, path = job
    try:
        raw = _read(path)
    except OSError as exc:
        problem = Diagnostic(Severity.ERROR, Location(rel), f"cannot read file: {exc.strerror}")
        return "", Parsed(None, (problem,))
    return content_key(kind, rel, raw, fingerprint), parse_file(kind, rel, raw)


def _parse_many(
    jobs: list[Job], workers: int, fingerprint: str
) -> Iterator[tuple[str, str, Parsed]]:
    """Each job's path relative to the root, content key and parse, in job order."""
    parse = functools.partial(_parse_job, fingerprint=fingerprint)
    if workers <= 1 or len(jobs) < _PARALLEL_FROM:
        for job in jobs:
            yield job[1], *parse(job)
        return
    with workers_pool(workers) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        for job, (key, parsed) in zip(jobs, pool.map(parse, jobs, chunksize=chunk), strict=True):
            yield job[1], key, parsed


def _on_disk(parsed: Parsed | None) -> bool:
    return (
        parsed is not None and parsed.item is not None and isinstance(parsed.item.body, StoredBody)
    )


def load(
    root: Path,
    diags: Diagnostics,
    include_drafts: bool = False,
    cache: ParseCache | None = None,
    store: BuildCache | None = None,
    jobs: int = 1,
) -> Content:
    """Read the whole site.

    ``cache`` skips files whose size and mtime are unchanged (no read at all);
    ``store`` is the persistent cache, keyed by content; ``jobs`` processes parse
    what neither has.
    """
    config = load_config(root, diags)
    sources = load_sources(root, diags)
    regions = load_regions(root, diags)

    files = [(BRIEFING, *f) for f in markdown_files(root, BRIEFINGS_DIR, diags)]
    files += [(PAGE, *f) for f in markdown_files(root, PAGES_DIR, diags)]
    results: dict[str, Parsed] = {}
    stamps: dict[str, tuple[int, int]] = {}
    keys: dict[str, str] = {}
    for kind, path, rel in files:
        try:
            stat = os.stat(path)
            stamps[rel] = (stat.st_mtime_ns, stat.st_size)
            hit = cache.get(rel, stamps[rel]) if cache is not None else None
            if hit is not None:
                results[rel] = hit
            elif store is not None and not store.empty:
                known = store.known_key(rel, stamps[rel])
                keys[rel] = known or content_key(kind, rel, _read(path), store.fingerprint)
        except OSError as exc:
            diags.error(Location(rel), f"cannot read file: {exc.strerror}")
            stamps.pop(rel, None)

    # A one-off build leaves bodies in the store until a page shows them; the preview
    # keeps what it parsed in memory for as long as it runs, so it reads them now.
    bodies = store.bodies() if store is not None and store.usable and cache is None else None
    stored = store.get_many(set(keys.values()), bodies) if store is not None else {}
    for rel, key in keys.items():
        if key in stored and plausible(stored[key], rel):
            results[rel] = stored[key]
    fingerprint = store.fingerprint if store is not None else ""
    misses = [(kind, rel, path) for kind, path, rel in files if rel in stamps]
    misses = [job for job in misses if job[1] not in results]
    for rel, key, parsed in _parse_many(misses, jobs, fingerprint):
        results[rel] = parsed
        if store is not None and key:
            keys[rel] = key
            store.put(key, parsed)
            if bodies is not None and parsed.item is not None:
                bodies.written(key)
                on_disk = replace(parsed.item, body=StoredBody(bodies, key))
                results[rel] = replace(parsed, item=on_disk)
    if cache is not None:
        cache.replace_all({rel: (stamps[rel], results[rel]) for rel in results})
    if store is not None:
        kept = store.close({rel: (*stamps[rel], keys[rel]) for rel in results if rel in keys})
        if bodies is not None and not kept:
            # The store failed on the way, so bodies left in it may be lost: parse
            # again every file whose body is not in memory.
            again = [(kind, rel, path) for kind, path, rel in files if _on_disk(results.get(rel))]
            for rel, _, parsed in _parse_many(again, jobs, fingerprint):
                results[rel] = parsed

    briefings: list[Briefing] = []
    pages: list[Page] = []
    for _, _, rel in files:
        found = results.get(rel)
        if found is None:
            continue
        if found.draft and not include_drafts:
            continue  # not published, so not checked either (only with --drafts)
        diags.extend(found.diagnostics)
        item = found.item
        if item is None:
            continue
        (briefings if isinstance(item, Briefing) else pages).append(item)  # type: ignore[arg-type]
    return Content(config, sources, regions, tuple(briefings), tuple(pages))
