"""The site's search index, made by Pagefind from its briefings' pages.

Pagefind (https://pagefind.app) indexes what a page marks ``data-pagefind-body``,
makes filters of its ``data-pagefind-filter`` values, and writes a bundle of static
files: the index and the search page's script. The bundle is returned as bytes, so
the build writes it by the same protocol as every page (replaced whole or not at
all) and the preview can serve it from memory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pagefind.service import get_executable

from briefgen import urls
from briefgen.model import Briefing, Site
from briefgen.render.keys import RouteKeys
from briefgen.render.search_order import fixed_order
from briefgen.render.search_parts import BUNDLE, parts
from briefgen.write import OutputWriter

UI_FILES = tuple(urls.search_bundle(name) for name in ("pagefind-ui.js", "pagefind-ui.css"))
_TIMEOUT = 600  # seconds: far more than any site takes; a hung binary must not hang the build
# Pagefind needs about 200 KB of memory a page: parts larger than this are made one at a time.
_PAGES_AT_ONCE = 1000


class SearchError(Exception):
    """Pagefind could not index the site; the message says why."""


def executable() -> Path | None:
    """The Pagefind binary (the ``pagefind[bin]`` package's, or the one
    ``PAGEFIND_BINARY_PATH`` names), or None when there is none that runs."""
    found = get_executable()
    if found is None or not found.is_file() or not os.access(found, os.X_OK):
        return None
    return found


@dataclass(frozen=True)
class Index:
    """The index a build wrote or kept: each file's key (that of its part) and whether
    it was written anew."""

    files: dict[str, tuple[str, bool]]


def write_index(
    site: Site,
    writer: OutputWriter,
    page_keys: Mapping[str, str],
    previous: RouteKeys | None,
    jobs: int = 1,
) -> Index:
    """Stage the index of the site's briefings; raises SearchError.

    ``page_keys`` holds the key of every page (see render/keys.py). When the pages of
    a part have the keys they had when the output's part was made, and its files are
    as that build left them, the part is kept as it is: Pagefind would make the same
    bytes again, at the cost of reading and indexing every page of it. Up to ``jobs``
    parts are made at once (Pagefind keeps about one and a half cores busy), while
    they are small enough that two fit in memory beside the build.
    """
    binary = executable()
    if binary is None:
        raise SearchError("the pagefind binary is gone")
    index: dict[str, tuple[str, bool]] = {}
    to_make: list[tuple[str, str, list[tuple[str, bytes | Path]]]] = []  # folder, key, pages
    for part in parts(site):
        files = sorted(urls.output_file(urls.briefing(b.slug)) for b in part.briefings)
        key = _index_key(binary, part.folder, ((rel, page_keys[rel]) for rel in files))
        kept = []
        if previous is not None:
            kept = previous.kept(writer.out, part.folder, key, part.inner)
        for rel in kept:
            writer.record(rel, staged=False)
            index[rel] = (key, False)
        if not kept:
            to_make.append((part.folder, key, [(rel, writer.current(rel)) for rel in files]))
    largest = max((len(pages) for _, _, pages in to_make), default=0)
    at_once = min(jobs, len(to_make)) if largest <= _PAGES_AT_ONCE else 1
    with ThreadPoolExecutor(max_workers=max(1, at_once)) as pool:
        made = pool.map(lambda part: make_index(binary, part[2], part[0]), to_make)
        for (_, key, _), files_made in zip(to_make, made, strict=True):
            for rel, data in files_made.items():
                writer.write(rel, data)
                index[rel] = (key, rel in writer.staged)
    return Index(index)


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` made a hard link to ``source`` where the file system allows (Pagefind
    only reads it, and a link costs no copy of the page), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _index_key(binary: Path, folder: str, pages: Iterable[tuple[str, str]]) -> str:
    """What a part of the index is made of: the binary (by path, size and time), its
    folder and every page it indexes, by its output file and key."""
    stat = binary.stat()
    digest = hashlib.sha256(f"{binary}\0{stat.st_size}\0{stat.st_mtime_ns}\0{folder}\0".encode())
    for rel, key in pages:
        digest.update(f"{rel}\0{key}\0".encode())
    return digest.hexdigest()


def make_index(
    binary: Path, pages: Iterable[tuple[str, bytes | Path]], folder: str = BUNDLE
) -> dict[str, bytes]:
    """The files (output path -> bytes) of the bundle at ``folder`` for ``pages``, given
    as (output file, HTML or the file holding it); raises SearchError when Pagefind
    fails. A part merged into the first keeps only its index: its script, styles and
    WebAssembly would be the first part's again, and are never loaded."""
    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as work:
        site, bundle = Path(work, "site"), Path(work, "bundle")
        site.mkdir()
        for rel, data in pages:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                _link_or_copy(data, site / rel)
            else:
                (site / rel).write_bytes(data)
        command = [str(binary), "--site", str(site), "--output-path", str(bundle), "--silent"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SearchError(f"pagefind did not run: {exc}") from exc
        if done.returncode != 0 or not bundle.is_dir():
            said = done.stderr.decode(errors="replace").strip().splitlines()
            raise SearchError(f"pagefind failed: {said[-1] if said else f'exit {done.returncode}'}")
        files = {
            folder + path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and (folder == BUNDLE or _is_index(path.relative_to(bundle)))
        }
    return fixed_order(files, folder)


def _is_index(rel: Path) -> bool:
    """A file of a bundle's index itself: its entry, metadata, words, filters and pages."""
    return (
        rel.parts[0] in ("index", "fragment", "filter")
        or rel.name == "pagefind-entry.json"
        or rel.suffix == ".pf_meta"
    )


def index_of(site: Site, page: Callable[[Briefing], bytes | Path]) -> dict[str, bytes]:
    """Every part of the site's index, made from each briefing's ``page``; raises
    SearchError."""
    binary = executable()
    if binary is None:
        raise SearchError("the pagefind binary is gone")
    files: dict[str, bytes] = {}
    for part in parts(site):
        pages = sorted((urls.output_file(urls.briefing(b.slug)), page(b)) for b in part.briefings)
        files.update(make_index(binary, pages, part.folder))
    return files
