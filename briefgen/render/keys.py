"""Fingerprints that tell which pages of a rebuild can be left as they are.

A page's key hashes everything its bytes depend on: the templates; the settings and
registries (see :func:`site_base`); the full content of the briefings its own route
names; and the digests of what its templates read as it rendered (see
render/reads.py): of the briefings it read (all of one whose body it read, else what
listings show of it) and of the parts of the site it read (which briefings a list
holds, in what order). Editing a briefing's title therefore re-renders its page and
the listings, feeds and archive that show it; adding one, its page and the pages of
the lists it joins; a change of the settings, a registry or a template re-renders
the site.

The keys of the last build are kept in the cache, with what each page read and the
size and time of each file written, so a file changed by hand is rewritten too. A
page left as it was is judged by what it read when it was rendered: if none of that
changed, nor anything else it could reach, it would read the same again and come out
the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
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
from briefgen.model import Briefing, LinkedBody, Page, Site
from briefgen.render.reads import EVERYTHING, KEY, KEYED, SITE_NAMES, Read
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


def site_base(site: Site) -> str:
    """What every page depends on besides what it reads: the settings (the theme's
    functions and words are made of them), the registries of sources and regions (a
    renamed key changes briefings as they are linked, not as they were parsed), and
    which briefings are scheduled (decided by the build's moment, not by a file)."""
    registries = (site.config, site.sources, site.regions, site.region_paths,
                  site.region_children)  # fmt: skip
    scheduled = ",".join(b.path for b in site.briefings if b.scheduled)
    return _sha(*map(_shape, registries), scheduled)


class SiteShapes:
    """The digest of each part of the site a page can read (see render/reads.py), each
    reckoned once: its shape, with each briefing in it by path and slug (which
    briefings a list holds and in what order; links in bodies are made of slugs)."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self._made: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = _sha(_shape(self._part(name)))
        return made

    def _part(self, name: str) -> Any:
        site = self._site
        if name == EVERYTHING:
            return [getattr(site, f.name) for f in fields(site)]
        field, keyed, key = name.partition(KEY)
        value = getattr(site, field)
        return value.get(key) if keyed else value


def site_name(name: Any) -> bool:
    """True when ``name``, read back from the cache, names a part of the site."""
    if type(name) is not str:
        return False
    field, keyed, _ = name.partition(KEY)
    return field in KEYED if keyed else name in SITE_NAMES or name == EVERYTHING


def content_digest(item: Briefing | Page) -> str:
    """All of a briefing or page, with the pages its body's links to content files
    point at: those follow the slugs of other files, which can change while it does
    not."""
    body = item.body
    if isinstance(body, LinkedBody):
        return _sha(item.digest, *(f"{href}\0{page}" for href, page in sorted(body.hrefs.items())))
    return item.digest


def _shape(value: Any) -> str:
    kind = value.__class__
    if kind is Briefing:
        return f"B{value.path!r}{value.slug!r}"
    if kind is Page:
        return f"P{content_digest(value)}"
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
        return content_digest(value)
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


def page_key(
    route: str, read: Read, briefings: Mapping[str, Briefing], site: SiteShapes
) -> str | None:
    """A page's key: its ``route`` key with the digests of what it ``read``: of the
    briefings in ``briefings`` (by path) and of the parts of the ``site``; None when
    one of those briefings is gone."""
    shown, whole, parts = read
    try:
        digests = [briefings[path].meta_digest for path in shown]
        digests += [content_digest(briefings[path]) for path in whole]
    except KeyError:
        return None
    digests += [site[name] for name in parts]
    return _sha(route, *shown, "|", *whole, "|", *parts, "|", *digests)


class RouteKeys:
    """The keys of the pages an output folder holds, from the build that wrote them.

    Each entry is the page's key, its file's size and time, its broken links, and what
    it read: briefings and parts of the site, each as positions in a table of their
    paths or names, which the record holds once (the archive alone reads every
    briefing)."""

    def __init__(self, root: Path, out: Path) -> None:
        name = hashlib.sha256(str(out).encode()).hexdigest()[:16]
        self.root = root
        self.path = root / CACHE_DIR / f"pages-{name}.json"
        self.entries: dict[str, list[Any]] = {}
        self._tables: tuple[list[Any], list[Any]] = ([], [])

    def load(self) -> RouteKeys:
        if cache_folder(self.root) is None:
            return self
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return self
        briefings, site, pages = data.get("briefings"), data.get("site"), data.get("pages")
        if (
            isinstance(briefings, list)
            and all(type(path) is str for path in briefings)
            and isinstance(site, list)
            and all(map(site_name, site))
            and isinstance(pages, dict)
        ):
            self._tables = briefings, site
            self.entries = {k: v for k, v in pages.items() if isinstance(v, list) and len(v) == 7}
        return self

    def read(self, rel: str) -> Read | None:
        """What the page ``rel`` read when it was rendered; None if unknown. (Read from
        the cache: anything but positions in the tables is unknown.)"""
        entry = self.entries.get(rel)
        if entry is None:
            return None
        briefings, site = self._tables
        shown, whole, parts = (_at(entry[4], briefings), _at(entry[5], briefings),
                               _at(entry[6], site))  # fmt: skip
        if shown is None or whole is None or parts is None:
            return None
        return shown, whole, parts

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
    ) -> dict[str, list[int]]:
        """Record the new keys, with each file's size and time as the output has them;
        returns those sizes and times.

        ``keys`` maps a file to its key, whether this build wrote it, its broken links
        and the briefings it read; a file left as it was keeps the size and time on
        record. The record is written as it is made, a thousand pages at a time, and
        not kept: at 50,000 briefings its text is 50 MB and its entries 130 MB, which
        held at once were the build's peak.
        """
        stamps: dict[str, list[int]] = {}
        if cache_folder(self.root) is None:
            return stamps
        paths: dict[str, int] = {}
        names: dict[str, int] = {}

        def entries() -> Iterator[tuple[str, list[Any]]]:
            for rel, (key, written, problems, (shown, whole, site)) in keys.items():
                read = [[paths.setdefault(path, len(paths)) for path in shown],
                        [paths.setdefault(path, len(paths)) for path in whole],
                        [names.setdefault(name, len(names)) for name in site]]  # fmt: skip
                old = self.entries.get(rel)
                if not written and old is not None and old[0] == key:
                    entry = [*old[:4], *read]
                else:
                    try:
                        stat = (out / rel).stat()
                    except OSError:
                        continue
                    found = [[d.severity.value, d.location.path, d.location.line,
                              d.location.col, d.message] for d in problems]  # fmt: skip
                    entry = [key, stat.st_size, stat.st_mtime_ns, found, *read]
                stamps[rel] = entry[1:3]
                yield rel, entry

        with contextlib.suppress(OSError):  # only an optimisation: if lost, all is rendered
            write_replacing(self.path, _record_text(entries(), paths, names))
        self.entries, self._tables = {}, ([], [])  # the last build's, no longer of use
        return stamps


_VERSION = 3
_PAGES_AT_ONCE = 1000  # entries of the record made into text at a time


def _record_text(
    entries: Iterator[tuple[str, list[Any]]], paths: dict[str, int], names: dict[str, int]
) -> Iterator[str]:
    """The record's text, as ``json.dumps`` writes it, with the tables of ``paths`` and
    ``names`` after the pages, as those fill them."""
    yield f'{{"version": {_VERSION}, "pages": {{'
    first = True
    while batch := dict(itertools.islice(entries, _PAGES_AT_ONCE)):
        text = json.dumps(batch)[1:-1]
        yield text if first else ", " + text
        first = False
    tables = json.dumps({"briefings": list(paths), "site": list(names)})
    yield "}, " + tables[1:]


def _at(positions: Any, table: list[Any]) -> tuple[Any, ...] | None:
    """The items of ``table`` at ``positions``; None unless those are positions in it."""
    if not isinstance(positions, list) or not all(
        type(at) is int and 0 <= at < len(table) for at in positions
    ):
        return None
    return tuple(table[at] for at in positions)
