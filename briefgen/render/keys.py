"""Fingerprints that tell which pages of a rebuild can be left as they are.

A page's key hashes everything its bytes depend on: the templates, the site as a
whole except the bodies of briefings (titles, dates, regions, sources, counts: what
listings, navigation and source lists show), and the full content of the briefings
its own route names. Editing the body of one briefing therefore changes the keys of
its page and of the listings and feeds that carry it, and of nothing else; any other
change re-renders the site. The keys of the last build are kept in the cache,
together with the size and time of each file written, so a file changed by hand is
rewritten too.

This relies on templates showing a briefing's body only where the route names that
briefing (its own page, feeds): see docs/theme.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.cache.store import (
    CACHE_DIR,
    cache_folder,
    settings_fingerprint,
    write_replacing,
)
from briefgen.cache.trust import output_file_under
from briefgen.diagnostics import Diagnostic, Location, Severity
from briefgen.model import Briefing, Page, Site
from briefgen.render.routes import Paginator, Route


def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def theme_fingerprint(folders: Iterable[Path]) -> str:
    """Every template and asset file of the theme, by name and content."""
    digest = hashlib.sha256(settings_fingerprint().encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def site_fingerprint(site: Site) -> str:
    """The site without the bodies of its briefings. Which briefings are scheduled
    (``--future``) is decided by the build's moment, so no digest of a file holds it."""
    return _sha(
        repr(site.config),
        repr(site.regions),
        repr(site.sources),
        *(page.digest for page in site.pages),
        *(briefing.meta_digest for briefing in site.briefings),
        "scheduled:" + ",".join(b.path for b in site.briefings if b.scheduled),
    )


def _context(value: Any) -> str:
    if isinstance(value, Briefing | Page):
        return value.digest
    if isinstance(value, Paginator):
        items = ",".join(b.digest for b in value.items)
        return f"page {value.number}/{value.count} of {value.total} at {value.base}: {items}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_context(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_context(v)}" for k, v in sorted(value.items())) + "}"
    return repr(value)  # regions, sources, tags, dates and text: their repr is exact


def route_key(base: str, route: Route) -> str:
    """The key of one page: ``base`` (theme and site) plus what its route names."""
    return _sha(base, route.path, route.template, _context(route.context))


class RouteKeys:
    """The keys of the pages an output folder holds, from the build that wrote them."""

    def __init__(self, root: Path, out: Path) -> None:
        name = hashlib.sha256(str(out).encode()).hexdigest()[:16]
        self.root = root
        self.path = root / CACHE_DIR / f"pages-{name}.json"
        self.entries: dict[str, list[Any]] = {}

    def load(self) -> RouteKeys:
        if cache_folder(self.root) is None:
            return self
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self
        if isinstance(data, dict):
            self.entries = {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 4}
        return self

    def unchanged(self, out: Path, rel: str, key: str) -> bool:
        """True when ``out/rel`` is still the file the last build wrote for ``key``."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != key:
            return False
        try:
            stat = os.stat(f"{out}/{rel}")
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == entry[1:3]

    def kept(self, out: Path, folder: str, key: str, inner: tuple[str, ...] = ()) -> list[str]:
        """The files the last build wrote under ``folder`` (but not under the folders
        ``inner``), if all of them were made for ``key`` and are still as it left them;
        else none. (The record is read from the cache: a name that is no file of that
        folder makes it worthless.)"""
        files = sorted(
            rel for rel in self.entries if rel.startswith(folder) and not rel.startswith(inner)
        )
        if all(output_file_under(rel, folder) and self.unchanged(out, rel, key) for rel in files):
            return files
        return []

    def problems(self, rel: str) -> tuple[Diagnostic, ...]:
        """The broken links the page had when it was rendered (it has not changed since)."""
        found = []
        for item in self.entries.get(rel, [None, 0, 0, []])[3]:
            try:
                severity, path, line, col, message = item
                found.append(Diagnostic(Severity(severity), Location(path, line, col), message))
            except (TypeError, ValueError):
                continue
        return tuple(found)

    def save(self, out: Path, keys: dict[str, tuple[str, bool, tuple[Diagnostic, ...]]]) -> None:
        """Record the new keys, with each file's size and time as the output has them.

        ``keys`` maps a file to its key, whether this build wrote it, and its broken
        links; a file left as it was keeps the size and time on record. The record
        becomes :attr:`entries`.
        """
        entries = {}
        for rel, (key, written, problems) in keys.items():
            old = self.entries.get(rel)
            if not written and old is not None and old[0] == key:
                entries[rel] = old
                continue
            try:
                stat = (out / rel).stat()
            except OSError:
                continue
            found = [
                [d.severity.value, d.location.path, d.location.line, d.location.col, d.message]
                for d in problems
            ]
            entries[rel] = [key, stat.st_size, stat.st_mtime_ns, found]
        self.entries = entries
        if cache_folder(self.root) is None:
            return
        with contextlib.suppress(OSError):  # only an optimisation: if lost, all is rendered
            write_replacing(self.path, json.dumps(entries))
