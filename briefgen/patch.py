"""A rebuild after a few briefings were edited, made without loading the site.

Most rebuilds follow one edit, and most edits change a briefing's text, not what
other pages show of it (its metadata); a commit often changes the text of a few.
A full build still lists, decodes, links and keys the whole site to find the few
pages that changed: at 10,000 briefings, seconds. After a build succeeds, its patch
record keeps what such a rebuild needs instead: the stamp of every content file
(none of one that changed just before the build, see last_build.py), the digest of
everything else it read, each briefing's digests (of its metadata, and of its
file) with the pages that read all of it (if those are its own page and feeds),
what each of those feeds shows, the digests of the parts of the site pages read,
the route keys' base, and the pages of each part of the search index.

A rebuild whose only changed inputs are briefings' files (up to
:data:`~briefgen.patch_record.MOST_EDITS` of them), each with the metadata digest it
had (a file built as soon as it was saved, and found as built, is not changed), is
then made by parsing those files, taking the site's pages and (if feeds show their
text) the other briefings those feeds show from the persistent store (parsing those
it does not hold as they are), linking them with the registries and pages into a
site of those briefings, rendering their pages and those feeds (each once), and
making their parts of the search index again. It goes ahead only when all
of this holds, and otherwise leaves the build to the full path, having written
nothing:

* the checks of the files read and of the pages rendered (parsing, linking, claims,
  coverage, the pages' links) find no error, nothing the last build did not report,
  and of each edited file all it reported: the last build's report, warnings and
  all, is then this build's, and is given again (a warning a line moved by the edit
  no longer matches, and the build goes the full way);
* their links to other content files lead to the site's pages or to briefings the
  record holds, where the last build published them (only the edited files changed
  since, and an edit keeps its slug), and no page but each briefing's own and those
  feeds read its text;
* each briefing's page reads no other briefing, a feed none it did not show, and
  every part of the site they read is the same, by its digest, in the site of those
  briefings as it was in the whole site (the site-wide flags ``corrected`` and
  ``graded`` are the last build's);
* the anchors they link to on other pages are there, as the output holds them, and
  they still have every anchor another page could link to; an anchor they gain was
  not one the last build reported a link to as missing (the page that links to it
  is left as it was, and its warning would stay).

An edit of what listings show of a briefing, its title or its summary, the one change
since the last build, is patched too when the record names the site's outline, kept
beside it (see outline.py): every page that read anything of the briefing when the
last build rendered it (the page keys record names them: at 10,000, its page, the
listing pages that name it and the archive, sixteen pages) is rendered again over the
site made from the outline, where the briefings those pages read few of (a listing's
ten) and those its feeds show are taken whole from the store, as above, and the others
stand in. Besides the above, it goes ahead only when the edit leaves all of its front
matter but the title and the summary as the store keeps it from the last build that
read it (so it stands where it stood in every list, and its page links where it did),
and nothing but builds wrote the store since the record was made (a check keeps what
it parsed, the edit itself),
it has no old address (whose redirect shows its title and reads nothing), every such
page is a page of that site, reads what it read then, and read of a stand-in only what
it holds, and no page but its own is in the search index.

What other pages show of a briefing is its metadata, which a text edit does not
change: the listings that name it show only that. The pages left as they are keep their entries
in the page keys record, which the next full build finds out of date and renders
again (with the same bytes) rather than trusting. A file saved again unchanged
(the same digest) needs no page at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import posixpath
import secrets
from collections.abc import Callable, Collection, Container, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from briefgen import urls
from briefgen.cache.store import store_path
from briefgen.coverage import check_coverage
from briefgen.diagnostics import Diagnostic, Diagnostics, Severity
from briefgen.index import link
from briefgen.last_build import RACY, Inputs, KnownOutputs, LastBuild, OutputLook, Recorded
from briefgen.model import Briefing, Page, Parsed, Site, SiteConfig
from briefgen.names import path_problem
from briefgen.outline import HELD, outline, retracted, row, standing_in
from briefgen.patch_record import CONTENT, MOST_EDITS, Patches, PatchRecord
from briefgen.read.load import (
    BRIEFING,
    PAGE,
    PAGES_DIR,
    Content,
    ContentFile,
    file_digest,
    kept_parses,
    markdown_files,
    parse_as_read,
    parse_file,
    placed,
)
from briefgen.read.registry import load_regions, load_sources
from briefgen.render import search
from briefgen.render.compiled import template_cache
from briefgen.render.job import RenderJob
from briefgen.render.keys import RouteKeys, digests
from briefgen.render.linkcheck import LinkChecker, ids_of, lacks_anchor
from briefgen.render.page import Renderer
from briefgen.render.reads import Read, fields_read
from briefgen.render.routes import Route, feed, routes_of
from briefgen.render.search_binary import executable
from briefgen.render.search_parts import BUNDLE, inner
from briefgen.write import MANIFEST, OutputWriter


def _pages_of(parts: list[list[Any]], file: str) -> list[Any] | None:
    """The part of the search index that holds the page ``file``, if one does and each
    of its pages is a path the output can hold: only that part's pages are staged for
    Pagefind, so only they are checked (all of them took 0.03 s at 10,000 briefings,
    the part's 242 a millisecond)."""
    part = next((part for part in parts if file in part[1]), None)
    if part is None or any(path_problem(rel) for rel in part[1]):
        return None
    return part


@dataclass(frozen=True)
class _Briefings(Site):
    """A site of the briefings an edit shows, as their pages read it, with the last
    build's flags of the whole site: whether a briefing has a correction, and whether
    a grade is published."""

    was_corrected: bool = False

    @property
    def corrected(self) -> bool:
        return self.was_corrected


@dataclass(frozen=True)
class Patched:
    """A rebuild made by :func:`rebuild`: the last build's record; the output's files,
    in two sets: ``known`` (left as they were, already encoded for the build's record,
    see :class:`KnownOutputs`) and ``files`` (the rest), with the size and time of
    those of ``files`` it left as they were; its patch record (as
    :meth:`Patches.save` takes it); the number of pages it rendered; and the site's
    outline it named anew, as text (None: the last one is kept)."""

    last: Recorded
    files: set[str]
    stamps: dict[str, list[int]]
    patch: str
    rendered: int
    outline: str | None = None
    known: KnownOutputs | None = None


def rebuild(
    root: Path,
    out: Path,
    config: SiteConfig,
    inputs: Inputs,
    now: dt.datetime,
    drafts: bool,
    future: bool,
    lap: Callable[[str], None],
    record: PatchRecord,
    look: OutputLook | None = None,
) -> Patched | None:
    """The rebuild after a few briefings' text, or one briefing's title or summary, was
    edited since the build that left ``record``, written; None, with nothing written,
    when it cannot be made this way (see above). ``lap`` is called with the name of each
    stage as it ends; ``look`` is the output looked at apart, if it is. Raises
    OutputError or OSError if the output cannot be written."""
    if record.rest != inputs.rest or record.files.keys() != inputs.files.keys():
        return None
    changed = [rel for rel, stamp in inputs.files.items() if record.files[rel] != stamp]
    if len(changed) > 1:
        changed = [rel for rel in changed if not _as_built(root, record, rel)]
    paths = [CONTENT + rel for rel in changed]
    if not paths or len(paths) > MOST_EDITS or any(path not in record.briefings for path in paths):
        return None
    feeds = {rel for path in paths for rel in record.briefings[path][3]}
    shown = {entry for rel in feeds for entry in record.feeds[rel][2]}
    if any(not s.startswith(CONTENT) or s[len(CONTENT) :] not in inputs.files for s in shown):
        return None
    contents = dict(record.contents)
    edits: list[Parsed] = []  # those saved again, not changed, have nothing to parse
    parsed: set[str] = set()
    for path in paths:
        try:
            raw = (root / path).read_bytes()
        except OSError:
            return None
        contents[path[len(CONTENT) :]] = hashlib.sha256(raw).hexdigest()
        if file_digest(path, raw) != record.briefings[path][1]:
            edited = parse_file(BRIEFING, path, raw, config.zone, config.file_urls)
            if not isinstance(edited.item, Briefing):
                return None
            edits.append(edited)
            parsed.add(path)
    # What the feeds of the edits show, but the edits: a briefing saved again as it was
    # is read as any other, not parsed as an edit.
    others = sorted(shown - parsed)
    recorded = inputs.recorded()
    updated = replace(record, inputs=recorded.digest, files=recorded.files,
                      contents=contents if record.contents else {})  # fmt: skip
    if not edits:
        last = _last(root, out, now, record, (), look)
        if last is None:
            return None
        left = {rel: stamp for rel, stamp in last.outputs.items() if rel != MANIFEST}
        return Patched(last, set(left), left, updated.text(), 0)
    if all(_text_only(edited, record) for edited in edits):
        plan = _text_edit(root, config, record, now, drafts, future, edits, others)
    elif len(paths) == 1:
        plan = _front_matter_edit(root, out, config, record, inputs, now, drafts, future, edits[0])
    else:
        return None
    if plan is None:
        return None
    lap("parse the edit")
    return _written(root, out, now, record, updated, plan, lap, look)


def _text_only(edited: Parsed, record: PatchRecord) -> bool:
    """Whether ``edited`` is an edit of its briefing's text alone: its metadata is as
    the last build read it."""
    item = edited.item
    return isinstance(item, Briefing) and item.meta_digest == record.briefings[item.path][0]


@dataclass(frozen=True)
class _Plan:
    """What a patch renders: each page's route with the briefings it may read (the
    edited briefings' pages first, one for each of ``edited``) over ``site``; the
    briefings the last build must have reported nothing of; the edited briefings'
    entries in the patch record. Where the site's other briefings stand in (see
    outline.py): the briefings it holds whole, what each page read when the last
    build rendered it, and the outline anew."""

    edited: tuple[str, ...]
    pages: list[tuple[Route, set[str] | frozenset[str]]]
    site: Site
    read: set[str]
    entries: dict[str, list[Any]]
    real: Mapping[str, Briefing] | None = None
    recorded: Mapping[str, Read] | None = None
    outline: dict[str, Any] | None = None
    reported: tuple[Diagnostic, ...] = ()  # the warnings of the site's files


def _text_edit(
    root: Path,
    config: SiteConfig,
    record: PatchRecord,
    now: dt.datetime,
    drafts: bool,
    future: bool,
    edits: list[Parsed],
    others: list[str],
) -> _Plan | None:
    """The pages of edits of briefings' text: their own and the feeds that show them."""
    made = _site_of(root, edits, others, config, record, now, drafts, future)
    if made is None:
        return None
    site, reported = made
    by_path = {briefing.path: briefing for briefing in site.briefings}
    edited = tuple(parsed.item.path for parsed in edits if isinstance(parsed.item, Briefing))
    pages: list[tuple[Route, set[str] | frozenset[str]]] = []
    entries: dict[str, list[Any]] = {}
    feeds: dict[str, None] = {}  # in order, each once
    for path in edited:
        briefing = by_path[path]
        route = Route(urls.briefing(briefing.slug), "briefing.html", {"briefing": briefing})
        file, shown = record.briefings[path][2:]
        if route.output_file != file:
            return None
        pages.append((route, {path}))
        entries[path] = [briefing.meta_digest, briefing.digest, file, shown]
        feeds.update(dict.fromkeys(shown))
    for rel in feeds:
        alternate, title, shows = record.feeds[rel]
        route = feed(alternate, title, [by_path[e] for e in shows], site)
        if route.output_file != rel:
            return None
        pages.append((route, set(shows)))
    return _Plan(edited, pages, site, {*edited, *others}, entries, reported=tuple(reported))


def _front_matter_edit(
    root: Path,
    out: Path,
    config: SiteConfig,
    record: PatchRecord,
    inputs: Inputs,
    now: dt.datetime,
    drafts: bool,
    future: bool,
    edited: Parsed,
) -> _Plan | None:
    """The pages of an edit of what listings show of a briefing (its title, its
    summary): every page that read anything of it when the last build rendered it, as
    the page keys record has them, over the site of the outline (see outline.py),
    where the briefings those pages read few of, and those feeds show, are whole and
    the others stand in. Only an edit that changes nothing but the title and the
    summary, of a briefing without aliases (whose redirects show its title)."""
    briefing = edited.item
    if not isinstance(briefing, Briefing):
        return None
    path = briefing.path
    _, _, file, feeds = record.briefings[path]
    data = Patches(root, out).outline(record.outline)
    before = parse_as_read(root, config, path) if _kept_by_builds(root, out) else None
    if data is None or before is None or briefing.aliases:
        return None
    if placed(before.item) != placed(briefing):
        return None  # it moves in the lists, or its page's links change
    keys = RouteKeys(root, out).load()
    readers = keys.readers(path)
    if readers is None or file not in readers or not set(feeds) <= set(readers):
        return None
    recorded: dict[str, Read] = {}
    whole: set[str] = set()
    for rel in readers:
        read = keys.read(rel)
        if read is None:
            return None
        recorded[rel] = read
        if len(read[0]) + len(read[1]) <= _FEW:
            whole.update(read[0], read[1])
    try:
        whole.update(retracted(data))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    others = sorted(whole - {path})
    if any(not o.startswith(CONTENT) or o[len(CONTENT) :] not in inputs.files for o in others):
        return None
    made = _site_of(root, [edited], others, config, record, now, drafts, future)
    if made is None:
        return None
    small, reported = made
    real = {b.path: b for b in small.briefings}
    try:
        site = standing_in(data, real, small)
        outline = _with_row(data, real[path])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    by_file = routes_of(site, readers)
    if any(rel not in by_file for rel in readers):
        return None
    every = frozenset(b.path for b in site.briefings)
    order = [file, *sorted(rel for rel in readers if rel != file)]
    pages: list[tuple[Route, set[str] | frozenset[str]]] = [(by_file[rel], every) for rel in order]
    linked = real[path]
    entry = [linked.meta_digest, linked.digest, file, feeds]
    return _Plan((path,), pages, site, {path, *others}, {path: entry}, real, recorded, outline,
                 reported=tuple(reported))  # fmt: skip


# A page that read this many briefings or fewer reads them whole; one that read more
# (the archive, every briefing) reads stand-ins (see outline.py).
_FEW = 100
_RUNS_AT_ONCE = 2  # runs of Pagefind, each about one and a half cores busy


def _kept_by_builds(root: Path, out: Path) -> bool:
    """True when the store was last written before the patch record: by the build that
    left the record or one before it, whose entry of a briefing stands where the last
    build placed it (a patch keeps the place). Not when a check, the preview or
    ``drafts`` wrote it since: they keep what they parsed, the edit itself, it may be,
    which then cannot tell what the last build showed."""
    store = store_path(root)
    try:
        written = store.stat().st_mtime_ns if store is not None else None
        return written is not None and written <= Patches(root, out).path.stat().st_mtime_ns
    except OSError:
        return False


def _with_row(data: dict[str, Any], briefing: Briefing) -> dict[str, Any]:
    """The outline ``data`` with the row of ``briefing`` made anew."""
    table = list(data["table"])
    table[data["order"].index(briefing.path)] = row(briefing)
    return {**data, "table": table}


def _written(
    root: Path,
    out: Path,
    now: dt.datetime,
    record: PatchRecord,
    updated: PatchRecord,
    plan: _Plan,
    lap: Callable[[str], None],
    look: OutputLook | None,
) -> Patched | None:
    """Render the pages of ``plan``, make its parts of the search index again, and
    commit them with the rest of the output as it is; None, with nothing written,
    when the pages cannot stand in the output as it is (see above). ``record`` is
    the last build's patch record, ``updated`` the same with this build's inputs."""
    edited = len(plan.edited)
    binary = executable()
    parts: dict[str, list[Any]] = {}  # the edits' parts of the index, by folder
    for route, _ in plan.pages[:edited] if updated.parts else ():
        part = _pages_of(updated.parts, route.output_file)
        if part is None or binary is None:
            return None
        parts[part[0]] = part
    indexed = {rel for part_of in updated.parts for rel in part_of[1]}
    if any(route.output_file in indexed for route, _ in plan.pages[edited:]):
        return None  # another part of the index would change
    writer = OutputWriter(out)
    waiting = list(parts.values())
    runs: list[search.Run] = []  # begun, in order; each is discarded below
    finished = 0  # of the runs, those whose files were staged

    def index() -> None:
        """Begin the edits' parts of the search index, made while the other pages render
        and the output is looked at, as many at once as may run (see search.Indexer):
        no other page is in them. The parts' files Pagefind finds again are the
        output's, which the look below finds as the last build left them, or the patch
        is not made."""
        while waiting and binary is not None and len(runs) - finished < _RUNS_AT_ONCE:
            folder, files = waiting.pop(0)
            pages = [(rel, writer.current(rel)) for rel in files]
            kept = search.reusable(writer.previous, folder)
            runs.append(search.Run(binary, pages, folder, search.files_held(writer, kept)))

    try:
        rendered = _render(root, plan, updated, writer, index)
        if rendered is None:
            return None
        grown, reported = rendered
        lap("render")
        last = _last(root, out, now, record, writer.previous, look)
        if last is None or writer.previous != last.outputs.keys() - {MANIFEST}:
            return None
        if not _as_reported(last.outcome.diagnostics, reported, plan.edited):
            return None
        if any(lacks_anchor(d, rel) for d in last.outcome.diagnostics for rel in grown):
            return None
        lap("check the output")
        now_is = {**updated.briefings, **plan.entries}
        name = updated.outline if plan.outline is None else secrets.token_hex(16)
        text = replace(updated, briefings=now_is, outline=name).text()  # while Pagefind runs
        outline = None if plan.outline is None else json.dumps({**plan.outline, "name": name})
        old_part = {rel for rel in last.outputs if rel.startswith(BUNDLE) and any(
            rel.startswith(folder) and not rel.startswith(inner(folder)) for folder in parts
        )}  # fmt: skip
        made = set(writer.files)  # the pages rendered, and the parts' files below
        as_they_were = {rel: stamp for rel, stamp in last.outputs.items()  # all but a few
                        if rel != MANIFEST and rel not in old_part
                        and rel not in writer.files}  # fmt: skip
        for rel in as_they_were:
            writer.record(rel, staged=False)
        known = KnownOutputs.of(as_they_were)  # while Pagefind runs
        while finished < len(runs):
            for rel, data in runs[finished].result().items():
                writer.write(rel, data)
                made.add(rel)
            finished += 1
            index()  # the next part waiting
        if runs:
            lap("search index")
        writer.commit()
        lap("write")
    except search.SearchError:
        return None  # the full build reports it
    finally:
        for run in runs:
            run.discard()
        writer.discard()
        writer.wait()
    kept = {rel: last.outputs[rel] for rel in made
            if rel in last.outputs and rel not in writer.staged}  # fmt: skip
    return Patched(last, made, kept, text, len(plan.pages), outline, known)


def _as_built(root: Path, record: PatchRecord, rel: str) -> bool:
    """True when the content file ``rel``, which changed just before the last build (its
    stamp is ``RACY``), holds the bytes that build read: an edit built as soon as it
    was saved is not taken for a change of the next edit's build."""
    path = CONTENT + rel
    entry = record.briefings.get(path)
    if record.files[rel] != RACY or entry is None:
        return False
    try:
        raw = (root / path).read_bytes()
    except OSError:
        return False
    built: str = entry[1]
    return file_digest(path, raw) == built


def _last(
    root: Path,
    out: Path,
    now: dt.datetime,
    record: PatchRecord,
    checked: Container[str] = (),
    look: OutputLook | None = None,
) -> Recorded | None:
    """The last build's record, if it is the one ``record`` was made with and the
    output still holds every file as it left them (as ``look`` saw, if it did);
    ``checked`` are output paths known to be well formed."""
    last = LastBuild(root, out).recorded(now, checked, look)
    if last is None or last.inputs != record.inputs:
        return None
    return last


def _as_reported(
    before: Iterable[Diagnostic], now: Iterable[Diagnostic], edited: Collection[str]
) -> bool:
    """Whether what a patch's checks report (``now``) leaves the last build's report
    (``before``) as it is: of each edited file the same, of the other files it read
    only what the last build reported (which also checked pages the patch does not
    render). The patch's report is then the last build's."""
    before, now = set(before), set(now)
    of_edits = {d for d in before if d.location.path in edited}
    return now <= before and of_edits <= now


def _site_of(
    root: Path,
    edits: list[Parsed],
    others: list[str],
    config: SiteConfig,
    record: PatchRecord,
    now: dt.datetime,
    drafts: bool,
    future: bool,
) -> tuple[_Briefings, list[Diagnostic]] | None:
    """The site of the briefings ``edits`` and those at ``others``, with the site's
    pages, linked, and the warnings of its files; None when any of them has an error,
    or a briefing is not published."""
    diags = Diagnostics()
    files = [ContentFile(BRIEFING, rel, str(root / rel)) for rel in others]
    files += [ContentFile(PAGE, rel, path) for path, rel in markdown_files(root, PAGES_DIR, diags)]
    kept = kept_parses(root, config, files)
    try:
        parsed = [kept.get(file.rel) or _parsed(file, config) for file in files]
    except OSError:
        return None
    briefings: list[Briefing] = []
    claims = {}
    parsed_all = [*edits, *parsed[: len(others)]]
    for found in parsed_all:
        item = found.item
        if not isinstance(item, Briefing) or (found.draft and not drafts):
            return None
        diags.extend(found.diagnostics)
        briefings.append(item)
        if found.claims:
            claims[item.path] = found.claims
    pages: list[Page] = []
    for page in parsed[len(others) :]:
        if page.draft and not drafts:
            continue
        if not isinstance(page.item, Page):
            return None
        diags.extend(page.diagnostics)
        pages.append(page.item)
    sources, regions = load_sources(root, diags), load_regions(root, diags)
    linking = any(b.links for b in briefings) or any(p.links for p in pages)
    elsewhere = _published(record) if linking else {}
    content = Content(config, sources, regions, tuple(briefings), tuple(pages), {}, claims,
                      elsewhere=elsewhere)  # fmt: skip
    site = link(content, diags, now, future)
    check_coverage(site.briefings, claims, config, diags)
    if diags.has_errors() or len(site.briefings) != len(parsed_all):
        return None
    linked = {f.name: getattr(site, f.name) for f in fields(Site)}
    linked["graded"] = record.graded
    return _Briefings(**linked, was_corrected=record.corrected), diags.items


def _published(record: PatchRecord) -> dict[str, str]:
    """The site path of each briefing of the record, by file, as the file of its page
    gives it: where links to it lead. Only the edited files changed since the last
    build, and an edit keeps its briefing's slug, so every slug is as it was then; a
    link to a briefing the record does not hold is reported, and the build goes the
    full way."""
    found = {}
    for path, (_, _, file, _) in record.briefings.items():
        site_path = urls.briefing(posixpath.basename(posixpath.dirname(file)))
        if urls.output_file(site_path) == file:
            found[path] = site_path
    return found


def _parsed(file: ContentFile, config: SiteConfig) -> Parsed:
    """What ``file`` parses to; raises OSError if it cannot be read."""
    with open(file.path, "rb") as opened:
        raw = opened.read()
    return parse_file(file.kind, file.rel, raw, config.zone, config.file_urls)


def _render(
    root: Path,
    plan: _Plan,
    record: PatchRecord,
    writer: OutputWriter,
    edits_staged: Callable[[], None],
) -> tuple[set[str], list[Diagnostic]] | None:
    """Render the pages of ``plan`` and stage them, calling ``edits_staged`` once the
    edited briefings' pages are; the pages that gained an id, and the warnings of the
    site's files with those of the pages. None when one cannot stand
    in the output without the rest of the site changing too (see above), or read more
    of a stand-in than it holds, or read other than it did when the last build
    rendered it."""
    site = plan.site
    checked = frozenset(
        rel for rel in writer.previous if not record.parts or not rel.startswith(BUNDLE)
    )
    checker = LinkChecker(checked | set(search.UI_FILES if record.parts else ()),
                          site.config, root, Severity.WARNING)  # fmt: skip
    routes = [route for route, _ in plan.pages]
    whole = tuple(plan.real.values()) if plan.real is not None else site.briefings
    job = _Job(Renderer(site, root, template_cache()), routes, record.base, writer, None,
               checker, whole)  # fmt: skip
    grown: set[str] = set()
    # The ids of the pages linked into, read once each until this patch stages the page
    # again: a title edit renders the page of every source the briefing cites, each
    # linking into its page (800 of them read a page of 2 MB 800 times, 47 s).
    held: dict[str, str | None] = {}

    def ids_held(rel: str) -> str | None:
        if rel not in held:
            held[rel] = _held(writer, rel)
        return held[rel]

    reported = list(plan.reported)
    with fields_read() as named:
        for at, (route, allowed) in enumerate(plan.pages):
            file = route.output_file
            result = job.render(route)
            if result.staged is None or result.links is None:
                return None
            reported += result.diagnostics
            links, read = result.links, result.read
            if read is None or not {*read[0], *read[1]} <= allowed:
                return None
            if plan.recorded is not None and read != plan.recorded[file]:
                return None
            if any(record.shapes.get(name) != job.site[name] for name in read[2]):
                return None
            for problems in checker.anchors([links], ids_held).values():
                reported += problems
            before = ids_of(writer.read(file))  # None: not in the output as the record has it
            if before is None or not set(before.split("\n")) <= set(links.ids.split("\n")):
                return None
            if before != links.ids:
                grown.add(file)
            writer.record(file, result.staged)
            held.pop(file, None)
            if at == len(plan.edited) - 1:
                edits_staged()
    real = plan.real
    if real is None or all(path in real or name in HELD for path, name in named):
        return grown, reported
    return None


@dataclass(frozen=True)
class _Job(RenderJob):
    """Rendering where some of the site's briefings stand in: only those held ``whole``
    have digests (a page that read a stand-in gets no key, which a patch does not
    keep)."""

    whole: tuple[Briefing, ...] = ()

    @functools.cached_property
    def digests(self) -> dict[str, tuple[str, str]]:
        return digests(self.whole)


def _held(writer: OutputWriter, rel: str) -> str | None:
    """The ids of the page ``rel`` as the output holds it (pages only: other files'
    fragments are not ids)."""
    return ids_of(writer.read(rel)) if rel.endswith((".html", "/")) else None


def record_of(
    inputs: Inputs,
    site: Site,
    routes: list[Route],
    base: str,
    readers: dict[str, tuple[str, ...]],
    shapes: dict[str, str],
    parts: list[list[Any]],
) -> PatchRecord:
    """The patch record of a build of ``inputs`` that made ``site`` and its ``routes``
    (see above); ``readers`` are the pages that read each briefing whole."""
    feeds = {
        route.output_file: [
            route.context["alternate"],
            route.context["feed_title"],
            [briefing.path for briefing in route.context["entries"]],
        ]
        for route in routes
        if route.template == "feed.xml"
    }
    briefings = {}
    for briefing in site.briefings:
        page = urls.output_file(urls.briefing(briefing.slug))
        read = readers.get(briefing.path, ())
        if page in read and all(rel == page or rel in feeds for rel in read):
            shown = sorted(rel for rel in read if rel != page)
            briefings[briefing.path] = [briefing.meta_digest, briefing.digest, page, shown]
    needed = {rel for *_, shown in briefings.values() for rel in shown}
    kept, by_content = inputs.recorded(), inputs.by_content
    return PatchRecord(kept.digest, kept.rest, kept.files, briefings,
                       {rel: feeds[rel] for rel in sorted(needed)}, base, site.corrected,
                       site.graded, shapes, parts, secrets.token_hex(16),
                       by_content.rest if by_content else "",
                       dict(by_content.content) if by_content else {})  # fmt: skip


def outline_text(record: PatchRecord, site: Site) -> str:
    """The outline of ``site`` (see outline.py) that ``record`` names, as
    :meth:`Patches.save` takes it."""
    return json.dumps({**outline(site), "name": record.outline})
