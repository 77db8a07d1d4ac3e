"""Fingerprints that tell which pages of a rebuild can be left as they are.

A page's key hashes everything its bytes depend on: the templates; the site's shape
(the settings, registries and pages, and which briefings each of the site's lists
holds, in what order: see :func:`site_shape`); the full content of the briefings its
own route names; and the digests of the briefings its templates read as it rendered
(see render/reads.py): of all of one whose body it read, else of what listings show
of it. Editing a briefing's title therefore re-renders its page and the listings,
feeds and archive that show it; editing its body, its page and the listings and
feeds that carry it; a change of the shape (a briefing added, re-dated, re-tagged)
re-renders the site.

The keys of the last build are kept in the cache, with the briefings each page read
and the size and time of each file written, so a file changed by hand is rewritten
too. A page left as it was is judged by the briefings it read when it was rendered:
if none of them changed, nor anything else it could reach, it would read them again
and come out the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
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


def site_shape(site: Site) -> str:
    """The site as templates reach it without reading a briefing: every field of the
    site with each briefing in it by path and slug (links in bodies are made of slugs),
    and which briefings are scheduled (decided by the build's moment, not by a file)."""
    parts = [f"{f.name}={_shape(getattr(site, f.name))}" for f in fields(site)]
    parts.append("scheduled:" + ",".join(b.path for b in site.briefings if b.scheduled))
    return _sha(*parts)


def _shape(value: Any) -> str:
    kind = value.__class__
    if kind is Briefing:
        return f"B{value.path!r}{value.slug!r}"
    if kind is Page:
        return f"P{value.digest}"
    if kind is tuple or kind is list:
        return "[" + ",".join(map(_shape, value)) + "]"
    if kind is dict:
        return "{" + ",".join(f"{k!r}:{_shape(v)}" for k, v in value.items()) + "}"
    if is_dataclass(value):
        shown = ",".join(_shape(getattr(value, f.name)) for f in fields(value))
        return f"{kind.__name__}({shown})"
    return repr(value)  # settings, dates and text: their repr is exact


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
    """What one page depends on before it renders: ``base`` (theme and site shape)
    plus what its route names."""
    return _sha(base, route.path, route.template, _context(route.context))


Read = tuple[tuple[str, ...], tuple[str, ...]]  # paths of briefings read: (shown, whole)


def page_key(route: str, read: Read, briefings: Mapping[str, Briefing]) -> str | None:
    """A page's key: its ``route`` key with the digests, in ``briefings`` (by path), of
    the briefings it ``read``; None when one of them is gone."""
    shown, whole = read
    try:
        digests = [briefings[path].meta_digest for path in shown]
        digests += [briefings[path].digest for path in whole]
    except KeyError:
        return None
    return _sha(route, *shown, "|", *whole, "|", *digests)


class RouteKeys:
    """The keys of the pages an output folder holds, from the build that wrote them.

    Each entry is the page's key, its file's size and time, its broken links, and the
    briefings it read (as positions in a table of their paths, which the record holds
    once: the archive alone reads them all)."""

    def __init__(self, root: Path, out: Path) -> None:
        name = hashlib.sha256(str(out).encode()).hexdigest()[:16]
        self.root = root
        self.path = root / CACHE_DIR / f"pages-{name}.json"
        self.entries: dict[str, list[Any]] = {}
        self._table: list[Any] = []

    def load(self) -> RouteKeys:
        if cache_folder(self.root) is None:
            return self
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return self
        table, pages = data.get("briefings"), data.get("pages")
        if (
            isinstance(table, list)
            and all(type(path) is str for path in table)
            and isinstance(pages, dict)
        ):
            self._table = table
            self.entries = {k: v for k, v in pages.items() if isinstance(v, list) and len(v) == 6}
        return self

    def read(self, rel: str) -> Read | None:
        """The briefings the page ``rel`` read when it was rendered; None if unknown.
        (Read from the cache: anything but positions of paths in the table is unknown.)"""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        size = len(self._table)
        found = []
        for positions in entry[4:6]:
            if not isinstance(positions, list) or not all(
                type(at) is int and 0 <= at < size for at in positions
            ):
                return None
            found.append(tuple(self._table[at] for at in positions))
        return found[0], found[1]

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

    def save(
        self, out: Path, keys: dict[str, tuple[str, bool, tuple[Diagnostic, ...], Read]]
    ) -> None:
        """Record the new keys, with each file's size and time as the output has them.

        ``keys`` maps a file to its key, whether this build wrote it, its broken links
        and the briefings it read; a file left as it was keeps the size and time on
        record. The record becomes :attr:`entries`.
        """
        positions: dict[str, int] = {}
        entries = {}
        for rel, (key, written, problems, (shown, whole)) in keys.items():
            read = [[positions.setdefault(path, len(positions)) for path in paths]
                    for paths in (shown, whole)]  # fmt: skip
            old = self.entries.get(rel)
            if not written and old is not None and old[0] == key:
                entries[rel] = [*old[:4], *read]
                continue
            try:
                stat = (out / rel).stat()
            except OSError:
                continue
            found = [
                [d.severity.value, d.location.path, d.location.line, d.location.col, d.message]
                for d in problems
            ]
            entries[rel] = [key, stat.st_size, stat.st_mtime_ns, found, *read]
        self.entries = entries
        self._table = list(positions)
        if cache_folder(self.root) is None:
            return
        record = {"version": _VERSION, "briefings": self._table, "pages": entries}
        with contextlib.suppress(OSError):  # only an optimisation: if lost, all is rendered
            write_replacing(self.path, json.dumps(record))


_VERSION = 2
