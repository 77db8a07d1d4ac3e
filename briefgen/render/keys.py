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

The record also keeps each page's route key and the digests of every briefing and
part of the site as they were when it was saved. A rebuild compares those digests
once, and a page whose route key is the same and which read nothing that changed
keeps its key without reckoning it again: the same key, at the cost of a set lookup
per thing read instead of a hash of all of their digests.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import itertools
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from briefgen.cache.folder import (
    cache_folder,
    output_record,
    read_record,
    settings_fingerprint,
    write_replacing,
)
from briefgen.cache.trust import output_file_under
from briefgen.diagnostics import Diagnostic, Location, Severity
from briefgen.model import Briefing, LinkedBody, Page, Site
from briefgen.render.reads import EVERYTHING, KEY, KEYED, NOTHING, SITE_NAMES, Read
from briefgen.render.routes import Paginator, Route

Digests = Mapping[str, tuple[str, str]]  # path -> (metadata digest, content digest)


def _sha(*parts: str) -> str:
    """The digest of ``parts``, each ended by a NUL."""
    text = "".join([f"{part}\0" for part in parts])
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


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
        # path -> shape: a briefing is in many parts, which look their shapes up at once
        self._briefings = {b.path: _briefing_shape(b) for b in site.briefings}

    def __getitem__(self, name: str) -> str:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = _sha(_shape(self._part(name), self._briefings))
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


def _shape(value: Any, briefings: dict[str, str] | None = None) -> str:
    """``value`` as text that tells it apart, each briefing in it by path and slug;
    ``briefings`` keeps the text of each briefing met, by path."""
    kind = value.__class__
    if kind is Briefing:
        made = briefings.get(value.path) if briefings is not None else None
        if made is None:
            made = _briefing_shape(value)
            if briefings is not None:
                briefings[value.path] = made
        return made
    if kind is Page:
        return f"P{content_digest(value)}"
    if kind is tuple or kind is list:
        if briefings is not None:  # most are lists of briefings, each of them known ('' if not)
            known = [briefings.get(item.path, "") if item.__class__ is Briefing else ""
                     for item in value]  # fmt: skip
            if "" not in known:
                return "[" + ",".join(known) + "]"
        return "[" + ",".join([_shape(item, briefings) for item in value]) + "]"
    if kind is dict:
        return "{" + ",".join(f"{k!r}:{_shape(v, briefings)}" for k, v in value.items()) + "}"
    if is_dataclass(value):
        shown = ",".join(_shape(getattr(value, f.name), briefings) for f in fields(value))
        return f"{kind.__name__}({shown})"
    return repr(value)  # settings, dates and text: their repr is exact


def _briefing_shape(briefing: Briefing) -> str:
    return f"B{briefing.path!r}{briefing.slug!r}"


def _context(value: Any, briefings: Digests) -> str:
    # The kinds a route's context holds, the commonest first.
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join([f"{k!r}:{_context(v, briefings)}" for k, v in items]) + "}"
    if isinstance(value, Briefing):
        found = briefings.get(value.path)
        return found[1] if found is not None else content_digest(value)
    if isinstance(value, Paginator):
        listed = ",".join([b.digest for b in value.items])
        return f"page {value.number}/{value.count} of {value.total} at {value.base}: {listed}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Page):
        return content_digest(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join([_context(item, briefings) for item in value]) + "]"
    return repr(value)  # regions, sources, tags and dates: their repr is exact


def route_key(base: str, route: Route, briefings: Digests) -> str:
    """What one page depends on before it renders: ``base`` (theme and site shape)
    plus what its route names, with the digests of its briefings from ``briefings``
    (see :func:`digests`)."""
    return _sha(base, route.path, route.template, _context(route.context, briefings))


def digests(briefings: Iterable[Briefing]) -> dict[str, tuple[str, str]]:
    """Of each briefing by path: the digest of what other pages show of it, and of all
    of it (see :func:`content_digest`)."""
    return {b.path: (b.meta_digest, content_digest(b)) for b in briefings}


def page_key(route: str, read: Read, briefings: Digests, site: SiteShapes) -> str | None:
    """A page's key: its ``route`` key with the digests of what it ``read``: of the
    ``briefings`` (see :func:`digests`) and of the parts of the ``site``; None when one
    of those briefings is gone."""
    shown, whole, parts = read
    try:
        found = [briefings[path][0] for path in shown]
        found += [briefings[path][1] for path in whole]
    except KeyError:
        return None
    found += [site[name] for name in parts]
    return _sha(route, *shown, "|", *whole, "|", *parts, "|", *found)


@dataclass(frozen=True, slots=True)
class PageEntry:
    """What a build records of a page it wrote or left as it was."""

    key: str  # see page_key; "" for a page that read a briefing held back
    route: str  # its route key (see route_key); "" for the files of the search index
    written: bool  # this build wrote it (else the output held it as it is)
    problems: tuple[Diagnostic, ...] = ()  # its broken links
    read: Read | None = NOTHING  # None: as the record has it (the page was left as it was)
    anchored: frozenset[str] = frozenset()  # the files it links to an anchor of (if read)


@dataclass(frozen=True)
class Saved:
    """What :meth:`RouteKeys.save` saved: the size and time of each page's file; of each
    briefing read whole, the files of the pages that read it; and the digest of each
    part of the site on record (the last two only when every page is on record with
    what it read)."""

    stamps: dict[str, list[int]]
    readers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fresh:
    """The positions, in the record's tables, of the briefings (by what other pages
    show of them, and by all of them) and the parts of the site that are as they were
    when the record was saved; as the record writes them, with the empty text, which
    is how it writes no position."""

    shown: frozenset[str]
    whole: frozenset[str]
    site: frozenset[str]


def _problems(problems: tuple[Diagnostic, ...]) -> list[list[Any]]:
    """A page's link problems as its entry holds them (see :meth:`RouteKeys.problems`)."""
    return [
        [d.severity.value, d.location.path, d.location.line, d.location.col, d.message]
        for d in problems
    ]


class RouteKeys:
    """The keys of the pages an output folder holds, from the build that wrote them.

    Each entry is the page's key, its file's size and time, its broken links, what it
    read, its route key, and the files it links to an anchor of. What it read is kept as
    positions in two tables, of briefings by path and of parts of the site by name,
    which the record holds once (the archive alone reads every briefing), each with its
    digest when the record was saved; the files linked into, in a third. Each list of
    positions is kept as one text (``"0,4,17"``): JSON reads a text in one step where it
    makes every number of a list an object, which was half the time of reading the
    record back (0.30 against 0.15 s at 10,000 briefings). A patch looks at a few
    entries; a build in full splits each text where it compared the list, which costs it
    about what reading saves (see docs/performance.md). The tables only grow from build
    to build, so the entry of a page left as it was is saved as it was read; they start
    afresh once most of their briefings are gone. The entries a rebuild changed can be
    kept apart, in a file of changes that names the record it applies to (see
    :meth:`save`). A check, which writes no page, keeps a record of its own the same
    way (``files`` False), each entry with the size and time 0.
    """

    def __init__(self, root: Path, out: Path, files: bool = True) -> None:
        self.root = root
        self.files = files  # False: the pages of a check, which writes none (see :meth:`save`)
        self.path = output_record(root, out, "pages" if files else "checked")
        self.changes = output_record(root, out, "changed" if files else "checked-changes")
        self.entries: dict[str, list[Any]] = {}
        self._tables: tuple[list[str], list[str]] = ([], [])
        self._digests: tuple[list[list[str] | None], list[str]] = ([], [])
        self._linked: list[str] = []  # output files linked to an anchor of
        self._base = ""  # the name of the record the changes apply to; "": none read
        self._changed: set[str] = set()  # the entries the changes read hold
        self._looked: Mapping[str, Any] = {}  # output file -> its size and time, as looked at

    def load(self, looked: Mapping[str, Any] | None = None) -> RouteKeys:
        """The record, read back as untrusted. ``looked`` holds the size and time of
        the output's files, as the output was seen to hold them at the build's start
        (see :meth:`LastBuild.looked`): those files are not looked at again."""
        if cache_folder(self.root) is None:
            return self
        self._looked = looked or {}
        data = read_record(self.path, _VERSION)
        tables = _tables(data) if data is not None else None
        if (
            data is None
            or tables is None
            or type(data["pages"]) is not dict
            or type(data.get("name")) is not str
        ):
            return self
        self._tables, self._digests, self._linked = tables[:2], tables[2:4], tables[4]
        self.entries = {k: v for k, v in data["pages"].items() if _entry(v)}
        self._base = data["name"]
        changes = read_record(self.changes, _VERSION)
        more = _tables(changes) if changes is not None else None
        if (
            changes is None
            or more is None
            or changes.get("base") != self._base
            or type(changes["pages"]) is not dict
            or not isinstance(changes.get("gone"), list)
            or not all(_extends(new, old) for new, old in zip(more[:2], self._tables, strict=True))
            or not _extends(more[4], self._linked)
        ):
            return self
        self._tables, self._digests, self._linked = more[:2], more[2:4], more[4]
        for rel in changes["gone"]:
            if type(rel) is str:
                self.entries.pop(rel, None)
        changed = {k: v for k, v in changes["pages"].items() if _entry(v)}
        self.entries.update(changed)
        self._changed = set(changed)
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

    def anchored(self, rel: str) -> frozenset[str] | None:
        """The files the page ``rel`` linked to an anchor of when it was rendered; None
        if unknown."""
        entry = self.entries.get(rel)
        found = _at(entry[8], self._linked) if entry is not None else None
        return frozenset(found) if found is not None else None

    def readers(self, path: str) -> list[str] | None:
        """The pages on record that read anything of the briefing at ``path``; None
        when an entry is not as this class writes it."""
        at = {str(n) for n, known in enumerate(self._tables[0]) if known == path}
        found = []
        for rel, entry in self.entries.items():
            shown, whole = entry[4], entry[5]
            if type(shown) is not str or type(whole) is not str:
                return None
            for n in at:  # texts taken apart only where the digits are: 0.01 s, not 0.05
                if n in shown or n in whole:
                    if not at.isdisjoint(shown.split(",")) or not at.isdisjoint(whole.split(",")):
                        found.append(rel)
                    break
        return found

    def fresh(self, briefings: Digests, site: SiteShapes) -> Fresh:
        """What is as it was when the record was saved: of its briefings, those with
        the same digests in ``briefings``; of its parts of the site, those with the
        same digest in ``site``."""
        paths, names = self._tables
        found, shapes = self._digests
        shown, whole = {""}, {""}
        for at, (path, before) in enumerate(zip(paths, found, strict=True)):
            now = briefings.get(path)
            if now is not None and before is not None:
                if now[0] == before[0]:
                    shown.add(str(at))
                if now[1] == before[1]:
                    whole.add(str(at))
        parts = {
            str(at)
            for at, (name, shape) in enumerate(zip(names, shapes, strict=True))
            if site[name] == shape
        }
        parts.add("")
        return Fresh(frozenset(shown), frozenset(whole), frozenset(parts))

    def left(self, rel: str, route: str, fresh: Fresh) -> str | None:
        """The key the page ``rel`` was saved with, if it had the route key ``route``
        and read nothing but what is ``fresh``: the key it would have now. None
        otherwise, or when the entry is not one this class writes."""
        entry = self.entries.get(rel)
        if entry is None or entry[7] != route or type(entry[0]) is not str or not entry[0]:
            return None
        try:
            if (
                fresh.shown.issuperset(entry[4].split(","))
                and fresh.whole.issuperset(entry[5].split(","))
                and fresh.site.issuperset(entry[6].split(","))
            ):
                return entry[0]
        except AttributeError:  # not a text of positions
            pass
        return None

    def unchanged(self, out: Path, rel: str, key: str) -> bool:
        """True when ``out/rel`` is still the file the last build wrote for ``key``."""
        return self.made_for(rel, key) and self.as_left(out, rel)

    def made_for(self, rel: str, key: str) -> bool:
        """True when the last build wrote ``rel`` for ``key``."""
        entry = self.entries.get(rel)
        return entry is not None and entry[0] == key

    def as_left(self, out: Path, rel: str) -> bool:
        """True when ``out/rel`` is still the file the last build wrote, by its size and
        time (as the output was looked at, if it was)."""
        entry = self.entries.get(rel)
        if entry is None:
            return False
        seen = self._looked.get(rel)
        if seen is not None:
            return bool(seen == entry[1:3])
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
        names = self._names
        under = names[bisect.bisect_left(names, folder) : bisect.bisect_left(names, folder + _LAST)]
        files = [rel for rel in under if not rel.startswith(inner)]
        if all(output_file_under(rel, folder) and self.unchanged(out, rel, key) for rel in files):
            return files
        return []

    @functools.cached_property
    def _names(self) -> list[str]:
        """The files on record, sorted: those of a folder are a run of them."""
        return sorted(self.entries)

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
        self, out: Path, pages: dict[str, PageEntry], briefings: Digests, site: SiteShapes
    ) -> Saved:
        """Record the new entries of ``pages``, with each file's size and time as the
        output has them (none, 0 and 0, for the pages of a check), and the digests of
        the ``briefings`` and the parts of the ``site`` they read; returns those sizes
        and times, with what the pages read (see :class:`Saved`).

        A file left as it was keeps the size and time on record. When few entries
        differ from the record read (a tenth at most, or a thousand), only they are
        written, into a file of changes beside it, which the next build reads after
        the record: a rebuild after an edit writes a few hundred entries, not all
        27,000 of a site of 10,000 briefings. Otherwise the record is written whole, as
        it is made, a thousand pages at a time, and not kept: at 50,000 briefings its
        text is 50 MB and its entries 130 MB, which held at once were the build's peak.
        """
        stamps: dict[str, list[int]] = {}
        if cache_folder(self.root) is None:
            return Saved(stamps)
        readers: dict[int, list[str]] = {}  # briefing's position -> the pages that read all of it
        made_all = False  # every page made into an entry, each with what it read
        unknown = False  # a page left out, or its entry not as this class writes it

        def readers_of(rel: str, entry: list[Any]) -> None:
            nonlocal unknown
            positions = _numbers(entry[5])
            if positions is None:
                unknown = True
                return
            for at in positions:
                readers.setdefault(at, []).append(rel)

        old_paths, old_names = self._tables
        old_linked = self._linked
        if len(old_paths) > 2 * len(briefings) + _STALE_PATHS:
            old_paths, old_names, old_linked = [], [], []  # most are gone: the tables start afresh
        paths = {path: at for at, path in enumerate(old_paths)}
        names = {name: at for at, name in enumerate(old_names)}
        linked = {rel: at for at, rel in enumerate(old_linked)}

        def entries() -> Iterator[tuple[str, list[Any]]]:
            nonlocal made_all, unknown
            for rel, page in pages.items():
                old = self.entries.get(rel)
                read: list[Any] | None
                if page.read is not None:
                    read = [*_positions(page.read, paths, names), _numbered(page.anchored, linked)]
                elif old is not None and old_paths:
                    stamps[rel] = old[1:3]
                    readers_of(rel, old)
                    # Left as it was: the tables only grew, so as it was read; its links
                    # may have been checked again (see pipeline._checked_again).
                    found = _problems(page.problems)
                    yield rel, old if found == old[3] else [*old[:3], found, *old[4:]]
                    continue
                else:
                    before, anchored = self.read(rel), self.anchored(rel)
                    if before is None or anchored is None:
                        read = None
                    else:
                        read = [*_positions(before, paths, names), _numbered(anchored, linked)]
                if read is None:
                    unknown = True
                    continue
                if not self.files:
                    stamp = [0, 0]
                elif (
                    not page.written
                    and old is not None
                    and old[0] == page.key
                    and self.as_left(out, rel)  # rendered again, the file may be newer
                ):
                    stamp = old[1:3]
                else:
                    try:
                        stat = os.stat(f"{out}/{rel}")  # as many as pages: no Path
                    except OSError:
                        unknown = True
                        continue
                    stamp = [stat.st_size, stat.st_mtime_ns]
                *reads, anchored = read
                entry = [page.key, *stamp, _problems(page.problems), *reads, page.route, anchored]
                stamps[rel] = entry[1:3]
                readers_of(rel, entry)
                yield rel, entry
            made_all = True

        shapes: dict[str, str] = {}

        def tables() -> dict[str, list[Any]]:
            found = [site[name] for name in names]
            shapes.update(zip(names, found, strict=True))
            return {
                "briefings": list(paths),
                "digests": [_listed(briefings.get(path)) for path in paths],
                "site": list(names),
                "shapes": found,
                "linked": list(linked),
            }

        def saved() -> Saved:
            """What was saved; which pages read all of each briefing only once all is."""
            if not made_all or unknown or not shapes:
                return Saved(stamps)
            by_path = list(paths)
            if any(not 0 <= at < len(by_path) for at in readers):
                return Saved(stamps)
            whole = {by_path[at]: tuple(rels) for at, rels in readers.items()}
            return Saved(stamps, whole, shapes)

        made = entries()
        met: list[tuple[str, list[Any]]] = []  # what was made while the changes were few
        changed: dict[str, list[Any]] = {}
        if self._base and old_paths:
            most = max(_FEW_CHANGES, len(self.entries) // _CHANGES_AT_MOST)
            for rel, entry in made:
                met.append((rel, entry))
                if rel in self._changed or entry != self.entries.get(rel):
                    changed[rel] = entry
                    if len(changed) > most:
                        break
            else:
                gone = [rel for rel in self.entries if rel not in pages]
                text = json.dumps({"version": _VERSION, "base": self._base, "pages": changed,
                                   "gone": gone, **tables()})  # fmt: skip
                with contextlib.suppress(OSError):  # lost, the pages it names are rendered
                    write_replacing(self.changes, text)
                self._forget()
                return saved()
        with contextlib.suppress(OSError):  # only an optimisation: if lost, all is rendered
            write_replacing(self.path, _record_text(itertools.chain(met, made), tables))
            self.changes.unlink(missing_ok=True)
        self._forget()
        return saved()

    def _forget(self) -> None:
        """Let go of the record once saved (see :meth:`save`)."""
        self.entries, self._tables, self._digests = {}, ([], []), ([], [])
        self._linked = []
        self._base, self._changed = "", set()
        self.__dict__.pop("_names", None)


def _positions(read: Read, paths: dict[str, int], names: dict[str, int]) -> list[str]:
    """What a page ``read``, as the texts of its positions in the tables ``paths`` and
    ``names`` (which grow by what they lack)."""
    shown, whole, parts = read
    return [",".join([str(paths.setdefault(path, len(paths))) for path in shown]),
            ",".join([str(paths.setdefault(path, len(paths))) for path in whole]),
            ",".join([str(names.setdefault(name, len(names))) for name in parts])]  # fmt: skip


def _numbered(files: Iterable[str], linked: dict[str, int]) -> str:
    """``files`` as the text of their positions in the table ``linked`` (which grows by
    what it lacks), sorted by name."""
    return ",".join([str(linked.setdefault(rel, len(linked))) for rel in sorted(files)])


_VERSION = 7
_LAST = "\U0010ffff"  # after every character a file's name can hold
_PAGES_AT_ONCE = 1000  # entries of the record made into text at a time
_STALE_PATHS = 100  # the tables start afresh past twice the site's briefings and this many
_CHANGES_AT_MOST = 10  # the record is written whole when more than a tenth of it changed,
_FEW_CHANGES = 1000  # unless no more entries than this did


def _record_text(
    entries: Iterator[tuple[str, list[Any]]], tables: Callable[[], dict[str, list[Any]]]
) -> Iterator[str]:
    """The record's text, as ``json.dumps`` writes it, with the ``tables`` after the
    pages, as those fill them, and a new name, which the changes written after it name."""
    yield f'{{"version": {_VERSION}, "name": "{secrets.token_hex(16)}", "pages": {{'
    first = True
    while batch := dict(itertools.islice(entries, _PAGES_AT_ONCE)):
        text = json.dumps(batch)[1:-1]
        yield text if first else ", " + text
        first = False
    yield "}, " + json.dumps(tables())[1:]


def _tables(
    data: dict[str, Any],
) -> tuple[list[str], list[str], list[list[str] | None], list[str], list[str]] | None:
    """The tables of a record or of its changes, read back from the cache (of this
    version: see :func:`read_record`): its briefings by path, its parts of the site by
    name, the digests of each, and the files linked to an anchor of; None unless
    ``data`` has pages and its tables are all they should be."""
    if "pages" not in data:
        return None
    briefings, site = data.get("briefings"), data.get("site")
    found, shapes, linked = data.get("digests"), data.get("shapes"), data.get("linked")
    if (
        isinstance(briefings, list)
        and all(type(path) is str for path in briefings)
        and isinstance(found, list)
        and len(found) == len(briefings)
        and all(digest is None or _digest_pair(digest) for digest in found)
        and isinstance(site, list)
        and all(map(site_name, site))
        and isinstance(shapes, list)
        and len(shapes) == len(site)
        and all(type(shape) is str for shape in shapes)
        and isinstance(linked, list)
        and all(type(rel) is str for rel in linked)
    ):
        return briefings, site, found, shapes, linked
    return None


def _entry(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 9


def _extends(table: list[str], before: list[str]) -> bool:
    """True when ``table`` holds ``before`` at its start: the changes' tables only add to
    the record's, whose entries name positions in them."""
    return table[: len(before)] == before


def _digest_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(type(d) is str for d in value)


def _listed(pair: tuple[str, str] | None) -> list[str] | None:
    return list(pair) if pair is not None else None


def _numbers(text: Any) -> list[int] | None:
    """The positions a text of the record names; None unless it is such a text."""
    if type(text) is not str:
        return None
    if not text:
        return []
    numbers = text.split(",")
    if not all(number.isascii() and number.isdigit() for number in numbers):
        return None
    return [int(number) for number in numbers]


def _at(text: Any, table: list[Any]) -> tuple[Any, ...] | None:
    """The items of ``table`` at the positions ``text`` names; None unless it names
    positions in it."""
    positions = _numbers(text)
    if positions is None or not all(at < len(table) for at in positions):
        return None
    return tuple(table[at] for at in positions)
