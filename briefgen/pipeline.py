"""A build in full: load -> link -> render -> write, collecting every diagnostic.

``build.py`` comes here when the last build's record shows that something changed
and the change cannot be patched in (see patch.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefgen import gc_pause, patch, urls
from briefgen.build import BuildOptions, BuildResult, Clock
from briefgen.cache.memory import ParseCache
from briefgen.cache.store import BuildCache
from briefgen.coverage import CoverageReport, check_coverage
from briefgen.crossref import unread_page
from briefgen.diagnostics import Diagnostic, Diagnostics, Location, Severity
from briefgen.embargo import changes, embargoed
from briefgen.index import link
from briefgen.last_build import Inputs, LastBuild, Outcome, OutputLook, window
from briefgen.model import Site, SiteConfig
from briefgen.patch_record import Patches
from briefgen.progress import Progress
from briefgen.read.config import load_config
from briefgen.read.files import SITE_FILE
from briefgen.read.load import PAGES_DIR, load
from briefgen.render import search
from briefgen.render.anchors import AnchorRecord
from briefgen.render.compiled import compiled_here, template_cache
from briefgen.render.copies import check_clashes, files_to_copy
from briefgen.render.job import PageResult, RenderJob, render_all
from briefgen.render.keys import PageEntry, RouteKeys, Saved, site_base, theme_fingerprint
from briefgen.render.linkcheck import LinkChecker, PageLinks, ids_of
from briefgen.render.page import Renderer
from briefgen.render.routes import Route, check_redirects, routes
from briefgen.render.search_binary import executable
from briefgen.render.search_parts import BUNDLE
from briefgen.theme_folders import TEMPLATES_DIR, theme_dirs
from briefgen.workers import fork
from briefgen.write import OutputError, OutputWriter


@dataclass(frozen=True)
class Prepared:
    """A site ready to render: linked content, its renderer, its pages and the files
    to copy; and the briefings it leaves out until their ``publish_at``."""

    site: Site
    renderer: Renderer
    routes: list[Route]
    copies: dict[str, Path]  # output path -> source file
    coverage: CoverageReport
    now: dt.datetime  # the moment it is published at
    embargoed: dict[str, dt.datetime] = field(default_factory=dict)  # left out until then
    theme_usable: bool = True  # False when the site's own templates or catalog are broken
    # The output files the briefings and pages that could not be read would have: none
    # unless the build has failed (see crossref.unread_page).
    unread: frozenset[str] = frozenset()


def prepare(
    root: Path,
    options: BuildOptions,
    diags: Diagnostics,
    cache: ParseCache | None = None,
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> Prepared:
    """Load and link the site and set up its templates; all problems go to ``diags``.

    The persistent cache is consulted on a first load; a preview's later rebuilds
    rely on its ``cache`` of unchanged files instead.
    """
    first = cache is None or cache.empty
    config = settings(root, options, diags)
    store = BuildCache(root, config.timezone, config.file_urls) if options.cache and first else None
    content = load(
        root, diags, options.drafts, cache=cache, store=store, jobs=options.workers,
        progress=progress, config=config,
    )  # fmt: skip
    if clock is not None:
        clock.lap("load")
    now = options.now or dt.datetime.now(dt.timezone.utc)
    site = link(content, diags, now, options.future)
    waiting = {} if options.future else embargoed(content.briefings, now, config.zone)
    coverage = check_coverage(site.briefings, content.claims, site.config, diags)
    not_read = sum(not draft and not rel.startswith(f"{PAGES_DIR}/")
                   for rel, draft in content.left_out.items())  # fmt: skip
    coverage = replace(coverage, unread=not_read)
    renderer = Renderer(site, root, template_cache() if options.cache else compiled_here())
    theme_usable = renderer.check_own_templates(diags)
    all_routes = routes(site)
    check_redirects(all_routes, diags)
    copies = files_to_copy(root, diags)
    check_clashes(root, all_routes, copies, site.searchable, diags)
    if clock is not None:
        clock.lap("link")
    unread = frozenset(
        urls.output_file(unread_page(rel)) for rel, draft in content.left_out.items() if not draft
    )
    return Prepared(
        site, renderer, all_routes, copies, coverage, now, waiting, theme_usable, unread
    )


def settings(root: Path, options: BuildOptions, diags: Diagnostics) -> SiteConfig:
    """The settings of ``site.yaml``, with those the command line gives instead."""
    config = load_config(root, diags)
    if options.base_url:
        config = config.with_base_url(options.base_url)
    if options.file_urls is not None:
        config = replace(config, file_urls=options.file_urls)
    if config.search and not config.file_urls and executable() is None:
        diags.warning(
            Location(SITE_FILE),
            "the site is made without search: the pagefind binary is not installed",
            "pip install 'pagefind[bin]', or set 'search: false' in site.yaml",
        )
        config = replace(config, search=False)
    return config


def build_in_full(
    root: Path,
    out: Path,
    options: BuildOptions,
    progress: Progress | None,
    record: tuple[LastBuild, Inputs, OutputLook] | None = None,
    clock: Clock | None = None,
) -> BuildResult:
    """Build in full; ``clock`` has timed what came before, if anything. ``record`` is
    the last build's record, this build's inputs and the output looked at apart, where
    the build may keep what the last one wrote."""
    diags = Diagnostics()
    clock = clock or Clock()
    with gc_pause.paused():
        prepared = prepare(root, options, diags, progress=progress, clock=clock)
        gc_pause.settle()
    all_routes = prepared.routes
    site = prepared.site
    coverage = prepared.coverage
    if diags.has_errors(options.strict):
        told = {d.location for d in diags.items if d.message.startswith("link '")}
        diags.extend(_written_links(root, prepared, options, told, progress))
        return BuildResult(diags.sorted(), ok=False, site=site, coverage=coverage)
    writer = OutputWriter(out) if options.write else None
    committed: OutputWriter | None = None
    indexer: search.Indexer | None = None
    try:
        keys = RouteKeys(root, out, files=writer is not None)
        # A check's record holds the link problems it found: none without the links checked.
        recorded = options.cache and (writer is not None or options.check_links)
        previous = None
        if recorded and (writer is None or writer.incremental):
            with gc_pause.paused():  # the records live until the build ends, as the site does
                looked = record[0].looked(record[2]) if record is not None else {}
                previous = keys.load(looked)
                gc_pause.settle()
        job = _render_job(root, prepared, all_routes, writer, previous, options)
        if writer is None and previous is not None and _gone(previous.entries, job):
            # Every page left would be rendered again to check its links (see
            # _checked_again), after the pass that found them: all are rendered at once.
            job = replace(job, previous=None)
        if writer is not None and site.searchable:
            indexer = search.Indexer(site, writer, previous, options.workers)
        done = functools.partial(_final, writer, indexer) if writer is not None else None
        first = indexer.pages if indexer is not None else ()
        idle = indexer.look if indexer is not None else None
        results = render_all(job, options.workers, progress, done, first, idle)
        clock.lap("render")
        # What follows lives until the build ends, with the pages' results: a collection
        # would walk all of them and find nothing to free (at 10,000 briefings, 0.5 s
        # of full collections on one core while the other waits).
        with gc_pause.paused():
            for result in results:
                diags.extend(result.diagnostics)
            kind = "anchors" if writer is not None else "checked-anchors"
            anchors = AnchorRecord(root, out, kind) if options.cache else None
            offered: dict[str, str] = {}
            broken = _broken_links(results, job, anchors, offered, options.workers)
            for problems in broken.values():
                diags.extend(problems)
            clock.lap("check links")
            if diags.has_errors(options.strict):
                return BuildResult(diags.sorted(), ok=False, site=site, coverage=coverage)
            saved = {
                r.file: PageEntry(
                    r.key,
                    r.route,
                    r.staged is True,
                    tuple(broken.get(r.file, ())),
                    r.read,
                    _anchored(job.links, r.links),
                )
                for r in results
            }
            if writer is None and recorded:
                _save_check(out, keys, anchors, saved, prepared.copies, job, offered)
                clock.lap("save page keys")
            if writer is not None:
                if indexer is not None:
                    index = indexer.finish()
                    for rel, (key, written) in index.files.items():
                        saved[rel] = PageEntry(key, "", written)
                    clock.lap("search index")
                writer.copy(prepared.copies)
                writer.commit()
                output_files, committed, writer = writer.files, writer, None
                clock.lap("write")
                kept = Saved({})
                if options.cache:
                    kept = keys.save(out, saved, job.digests, job.site)
                    if anchors is not None:
                        anchors.save(offered, {r.file: r.key for r in results})
                    clock.lap("save page keys")
                if record is not None:
                    last, inputs, _ = record
                    inputs = inputs.with_contents_checked()
                    outcome = Outcome(len(all_routes), diags.sorted(), prepared.embargoed)
                    between = embargo_window(site, prepared.embargoed, prepared.now)
                    last.save(inputs, between, output_files, outcome, kept.stamps)
                    layout = indexer.layout if indexer is not None else []
                    made = patch.record_of(inputs, site, all_routes, job.base_key, kept.readers,
                                           kept.shapes, layout)  # fmt: skip
                    if inputs.settled and made.briefings:
                        Patches(root, out).save(made.text(), patch.outline_text(made, site))
                    else:
                        Patches(root, out).save(None)
                    clock.lap("save build record")
    except search.SearchError as exc:
        diags.error(
            Location(SITE_FILE), str(exc), "set 'search: false' in site.yaml to build without it"
        )
        return BuildResult(diags.sorted(), ok=False, site=site, coverage=coverage)
    except (OutputError, OSError) as exc:
        return BuildResult(diags.sorted(), ok=False, site=site, failure=str(exc), coverage=coverage)
    finally:
        if indexer is not None:
            indexer.close()
        if writer is not None:
            writer.discard()
        if committed is not None:
            committed.wait()
    rendered = sum(1 for r in results if r.rendered)
    return BuildResult(
        diags.sorted(),
        ok=True,
        site=site,
        pages=len(all_routes),
        rendered=rendered,
        output=out,
        seconds=clock.laps,
        embargoed=prepared.embargoed,
        coverage=coverage,
    )


def _save_check(
    out: Path,
    keys: RouteKeys,
    anchors: AnchorRecord | None,
    saved: dict[str, PageEntry],
    copies: dict[str, Path],
    job: RenderJob,
    offered: dict[str, str],
) -> None:
    """Record a check's pages, as a build does (see render/keys.py), for the next check
    to leave those that would render as they did. The files it copies are on record
    too, so that the next check knows when one is gone."""
    with gc_pause.paused():
        keys.save(out, {**saved, **{rel: _COPIED for rel in copies}}, job.digests, job.site)
        if anchors is not None:
            anchors.save(offered, {rel: entry.key for rel, entry in saved.items()})


_COPIED = PageEntry("", "", False)  # a file a check would copy, on its record


def _final(writer: OutputWriter, indexer: search.Indexer | None, results: list[PageResult]) -> None:
    """Note pages as they come: the writer keeps those it staged, and the search index
    is made of a part's pages once all of them are final."""
    for result in results:
        if result.staged is not None:
            writer.record(result.file, result.staged)
            if indexer is not None:
                indexer.page(result.file, result.key)


def embargo_window(
    site: Site, waiting: dict[str, dt.datetime], now: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The moments around ``now`` between which every briefing of ``site``, and those
    ``waiting`` for their embargo, stay as published or as embargoed as they are, and
    as dated in the future or not."""
    moments = changes(site.briefings, site.config.zone) + list(waiting.values())
    return window(moments, now)


def _written_links(
    root: Path,
    prepared: Prepared,
    options: BuildOptions,
    told: set[Location],
    progress: Progress | None,
) -> list[Diagnostic]:
    """The problems of the links written in content, and of the site's own templates,
    for a build that found errors before rendering, so that they are reported in the
    same run: every page is rendered in memory, as a check renders it. Kept are the
    broken links written in a Markdown file, but those where a link's problem is
    ``told`` already (one to a file that does not exist), and the errors a template of
    the site's own raised; the other problems of the pages (a link a template made, an
    id used twice) may follow from the errors already found."""
    if not prepared.theme_usable:
        return []
    job = _render_job(root, prepared, prepared.routes, None, None, options)
    results = render_all(job, options.workers, progress)
    problems = _broken_links(results, job, None, {}, options.workers)
    links = [
        problem
        for found in problems.values()
        for problem in found
        if problem.location.line
        and problem.location not in told
        and problem.location.path.endswith(".md")
        and problem.message.startswith("broken link ")
    ]
    own = f"{TEMPLATES_DIR}/"
    raised = [
        problem
        for result in results
        for problem in result.diagnostics
        if problem.location.path.startswith(own) and problem.message.startswith("template error")
    ]
    return links + raised


def _render_job(
    root: Path,
    prepared: Prepared,
    all_routes: list[Route],
    writer: OutputWriter | None,
    previous: RouteKeys | None,
    options: BuildOptions,
) -> RenderJob:
    """What rendering needs. ``check`` reports broken links as errors; ``build`` warns,
    so that the site still publishes unless --strict."""
    checker = None
    if options.check_links or options.write:
        files = frozenset({route.output_file for route in all_routes} | set(prepared.copies))
        files |= prepared.unread
        if prepared.site.searchable:
            files |= set(search.UI_FILES)
        severity = Severity.ERROR if options.check_links else Severity.WARNING
        checker = LinkChecker(files, prepared.site.config, root, severity)
    return RenderJob(
        renderer=prepared.renderer,
        routes=all_routes,
        base_key=theme_fingerprint(theme_dirs(root)) + site_base(prepared.site),
        writer=writer,
        previous=previous,
        links=checker,
    )


def _broken_links(
    results: list[PageResult],
    job: RenderJob,
    anchors: AnchorRecord | None,
    offered: dict[str, str],
    workers: int,
) -> dict[str, list[Diagnostic]]:
    """The link problems of the pages that have any; a page left as it was keeps those
    found when it was rendered, unless what it links to may have changed since (see
    :func:`_checked_again`). A link to an anchor of a page left as it was is checked
    against the ids ``anchors`` holds of it, or else against the page the output
    holds; ``offered`` is filled with the ids of each page linked to."""
    checker, writer = job.links, job.writer
    again = _checked_again(results, job, workers)
    broken = {r.file: list(r.broken_links) for r in results if r.broken_links}
    for page in again:
        broken.pop(page.file, None)
    if checker is not None:
        rendered = itertools.chain((r.links for r in results if r.links is not None), again)
        left = {r.file: r.key for r in results if not r.rendered}

        def read(rel: str) -> str | None:
            if writer is None:
                links = job.links_of(rel)
                return links.ids if links is not None else None
            return ids_of(writer.read(rel))

        def held(rel: str) -> str | None:
            key = left.get(rel)
            if key is None:
                return None
            return anchors.ids(rel, key, read) if anchors is not None else read(rel)

        broken.update(checker.anchors(rendered, held, offered))
    return broken


def _checked_again(results: list[PageResult], job: RenderJob, workers: int) -> list[PageLinks]:
    """The links of the pages left as they were that may no longer be what they were
    when the page was rendered, checked again as the output holds them. A page's key
    holds what its templates read, not what its links lead to, so a page left as it
    was is checked again:

    * when a file the last build wrote is gone (a briefing deleted, held back as a
      draft or given another slug, a static file removed): it may link to that file;
    * when it had link problems: the page or anchor it lacked may be there now;
    * when it links to an anchor of a page rendered again, whose ids may differ (a
      heading renamed).

    Links from the pages rendered to those left as they were are checked by
    :meth:`LinkChecker.anchors`. A check, which has no output, renders such a page
    again (and every page, when a file is gone: see :func:`build_in_full`). Many
    pages (every one left, after a briefing is deleted) are checked on two cores:
    half of them by a forked copy."""
    checker, writer, previous = job.links, job.writer, job.previous
    left = [r for r in results if not r.rendered]
    if checker is None or previous is None or not left:
        return []  # a build from nothing leaves no page as it was
    gone = _gone(writer.previous if writer is not None else previous.entries, job)
    rendered = {r.file for r in results if r.rendered}

    def changed(result: PageResult) -> bool:
        if gone or result.broken_links:
            return True
        anchored = previous.anchored(result.file) if previous is not None else None
        return anchored is None or not anchored.isdisjoint(rendered)

    origins = {route.output_file: route.origin for route in job.routes}
    files = [r.file for r in left if changed(r)]

    def checked(some: list[str]) -> list[PageLinks]:
        found = []
        for file in some:
            if writer is None:
                links = job.links_of(file)
                if links is not None:
                    found.append(links)
            elif (data := writer.read(file)) is not None:
                found.append(checker.page(file, origins[file], data))
        return found

    half = len(files) // 2
    forked = None
    if workers > 1 and half >= _CHECKED_APART_FROM:
        forked = fork(lambda: pickle.dumps(checked(files[half:]), pickle.HIGHEST_PROTOCOL))
    if forked is None:
        return checked(files)
    mine = checked(files[:half])
    theirs = forked.result()
    return mine + (pickle.loads(theirs) if theirs is not None else checked(files[half:]))


_CHECKED_APART_FROM = 1000  # pages checked again by each of two processes, at least


def _gone(before: Iterable[str], job: RenderJob) -> bool:
    """True when a file of the last build (or check), ``before``, is none of this one's:
    a page left as it was may link to it."""
    files = job.links.files if job.links is not None else frozenset()
    return any(rel not in files and not _index_file(rel) for rel in before)


def _index_file(rel: str) -> bool:
    """A file of the search index: named anew by every index made, and linked to by
    no page (unlike the search page's script and styles)."""
    return rel.startswith(BUNDLE) and rel not in search.UI_FILES


def _anchored(checker: LinkChecker | None, links: PageLinks | None) -> frozenset[str]:
    """The files a page rendered links to an anchor of, for the next build to know."""
    return checker.targets(links) if checker is not None and links is not None else frozenset()
