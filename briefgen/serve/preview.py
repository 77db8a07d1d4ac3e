"""The site being previewed: a snapshot that rebuilds on save and tells open tabs.

watch -> debounce -> rebuild -> notify. A rebuild loads and links the site again
(re-parsing only files that changed) and swaps in a new immutable snapshot; pages
are rendered when a browser asks for them, from the snapshot current at the
request, so a request never sees half of one build and half of another. A build
with errors keeps the last good snapshot and shows the errors in every open tab;
its warnings, and the broken links of each page served, go with the page
(serve/problems.py).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from functools import partial
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, urlsplit

from briefgen import gc_pause, urls
from briefgen.build import BuildOptions
from briefgen.cache.memory import ParseCache
from briefgen.cache.settled import as_kept, stamp_of
from briefgen.coverage import check_coverage
from briefgen.diagnostics import Diagnostic, Diagnostics, Severity
from briefgen.grading import check_claim_grades
from briefgen.index import replacing
from briefgen.model import Briefing, Claims, LinkedBody, Site
from briefgen.pipeline import embargo_window, prepare
from briefgen.progress import Progress
from briefgen.read.load import BRIEFING, BRIEFINGS_DIR, PAGES_DIR, parse_file, placed
from briefgen.render import search
from briefgen.render.linkcheck import LinkChecker
from briefgen.render.page import Renderer
from briefgen.render.routes import Route, routes_changed
from briefgen.render.search_binary import executable
from briefgen.render.search_parts import BUNDLE
from briefgen.serve.problems import PageChecks
from briefgen.serve.responses import HTML, Response, content_type, error_page, inject, site_path

_PATCHED = "Updated the edited text"
# How long the preview is idle before it frees what the snapshots it dropped left in
# cycles (see Preview.tidy): the collection walks every object of the site holding
# Python's lock (0.4-0.6 s at 10,000 briefings), so it waits until the page the
# author asked for, and what it loads, are served.
TIDY_AFTER = 1.0


@dataclass(frozen=True)
class Snapshot:
    """One good build, ready to render on demand."""

    renderer: Renderer
    routes: dict[str, Route]  # site path -> route
    # output path -> source file, as its real path when the build checked it (see respond)
    copies: dict[str, str]
    briefing_paths: dict[str, str]  # source file -> site path of the briefing or page
    checks: PageChecks  # the build's warnings, and the links of the pages served so far
    # briefing's file -> site paths of the routes that show its body (see _showing)
    showing: dict[str, tuple[str, ...]]
    # The first moment a briefing held back by its publish_at goes live, or one dated
    # in the future no longer is, if one is (see pipeline.embargo_window).
    upcoming: dt.datetime | None = None
    pages: dict[str, bytes] = field(default_factory=dict)  # rendered so far, by site path
    # The pages it failed to render, by site path, answered as an earlier snapshot
    # rendered them: the snapshot after it, failing there too, answers the same.
    instead: dict[str, Kept] = field(default_factory=dict)
    index: SearchIndex = field(default_factory=lambda: SearchIndex())  # made when first asked
    # The briefings whose text was edited since the site was linked, by file: each as
    # the site's lists hold it (as it was), and as the routes that show its text do.
    edited: dict[str, tuple[Briefing, Briefing]] = field(default_factory=dict)


Kept = tuple[Snapshot, Route, bytes]  # a page as a snapshot rendered it, and its route


class SearchIndex:
    """The search index of one snapshot, made by Pagefind from its briefings' pages the
    first time a browser asks for a file of it, and kept in memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, bytes] | None = None

    def files(self, snapshot: Snapshot, log: Callable[[str], None]) -> dict[str, bytes]:
        with self._lock:
            if self._files is None:
                self._files = _indexed(snapshot, log)
            return self._files


@dataclass(frozen=True)
class Event:
    kind: str  # 'reload', 'css' or 'errors'
    data: dict[str, object]


def _is_stylesheet(rel: str) -> bool:
    return rel.endswith(".css") and "/assets/" in f"/{rel}"


class Preview:
    """The site being previewed: the current snapshot, its errors, and a version counter."""

    def __init__(
        self,
        root: Path,
        options: BuildOptions,
        log: Callable[[str], None],
        progress: Progress | None = None,
    ) -> None:
        self.root = root.resolve()
        self.progress = progress  # of the first load, which takes seconds on a large site
        # A server answers a folder with its index.html: the preview keeps clean links
        # whatever site.yaml says about file_urls.
        self.options = replace(options, file_urls=False)
        self.log = log
        self.cache = ParseCache()
        self.condition = threading.Condition()
        self.closing = False
        # Counted on from the time it starts, in ms: a tab opened on an earlier run of
        # the preview asks for what came after its version, which every version of a
        # later run is, so the tab catches up (counting from 0 again, it waited).
        self.version = time.time_ns() // 1_000_000
        self.snapshot: Snapshot | None = None
        # The one before: a page of the new one that fails as it renders (only the
        # first of each template is rendered before it is swapped in) is served as it
        # was there, with the errors, as the last good site.
        self.previous: Snapshot | None = None
        self.errors: tuple[str, ...] = ()
        self._reload_version = 0
        self._navigate = ""
        self._build_lock = threading.Lock()
        # A snapshot was dropped whose templates may hold its site in cycles (see tidy).
        self._untidy = False
        self._active = time.monotonic()  # when the last rebuild ended or page was served

    # -- building -----------------------------------------------------------------

    def rebuild(self, changed: Collection[str] = ()) -> None:
        """Bring the preview up to date with the changed files.

        An edit to the text of briefings alone, that changes nothing other pages
        show of them (title, dates, citations...), patches the routes that show
        those bodies; one that cites a citation more or less often, or changes
        only a title or a summary, every list of the site that holds them too.
        Anything else loads and links the site again. Either way the new snapshot
        is swapped in only if it has no errors.
        """
        with self._build_lock:
            started = time.perf_counter()
            try:
                snapshot = self._patched(changed)
                how, first = _PATCHED, False  # first: the first load, its progress shown
                if snapshot is None:
                    first = self.snapshot is None and not self.errors
                    progress = self.progress if first else None
                    # 'Built' for the first site served, after a start with errors too.
                    how = "Built" if self.snapshot is None else "Rebuilt"
                    # The templates are those of the good snapshot served: a page of
                    # one that fails on the new content is served as that made it.
                    tried = self.snapshot is not None and not self.errors
                    snapshot = self._loaded(progress, tried and _markdown_only(changed))
            except Exception as exc:  # a bug must not stop the preview
                self._publish_errors((f"briefgen: internal error while building: {exc!r}",))
                return
            if snapshot is None:
                return
            targets = [
                snapshot.briefing_paths[rel] for rel in changed if rel in snapshot.briefing_paths
            ]
            # After a failed build the tabs show its errors, and the new snapshot holds
            # every edit since the last good one: only a reload shows it.
            css_only = (
                bool(changed) and not self.errors and all(_is_stylesheet(rel) for rel in changed)
            )
            with self.condition:
                self.version += 1
                dropped = self.previous
                self.previous, self.snapshot = self.snapshot, snapshot
                # A load leaves cycles of its own (its parsers'); a snapshot dropped
                # leaves its templates', unless a snapshot kept shares them.
                shared = dropped is None or any(
                    kept.renderer is dropped.renderer for kept in (self.previous, snapshot) if kept
                )
                self._untidy |= (how != _PATCHED and not first) or not shared
                self.errors = ()
                if not (css_only and self._reload_version):
                    self._reload_version = self.version
                    # As written: the page's script encodes it to go there.
                    self._navigate = targets[0] if len(targets) == 1 else ""
                self.condition.notify_all()
            self.log(f"{how} in {(time.perf_counter() - started) * 1000:.0f} ms")
            self._active = time.monotonic()

    def tidy_in(self) -> float | None:
        """Seconds until :meth:`tidy` should run (0: now), or None when it has
        nothing to free. It waits until the preview has been idle (no rebuild, no page
        served) for :data:`TIDY_AFTER`."""
        with self.condition:
            if not self._untidy:
                return None
            return max(0.0, self._active + TIDY_AFTER - time.monotonic())

    def tidy(self) -> None:
        """Free the cycles the snapshots dropped since the last run left (their
        templates, which hold their sites), which the collector does not walk (see
        :meth:`_loaded`); then leave everything alive now out of its runs again."""
        with self._build_lock:
            with self.condition:
                untidy, self._untidy = self._untidy, False
            if untidy:
                gc_pause.renew()

    def _loaded(self, progress: Progress | None, tried: bool = False) -> Snapshot | None:
        """Load and link the whole site (reusing files that did not change), with the
        collector paused, and leave what is alive then out of its runs (gc_pause): else
        its first run walks every object of the snapshot (0.35 s at 10,000 briefings),
        the first load's before the preview says it serves. A first load leaves no
        cycles to free (a full collection after it found none); after a reload, what
        it and the snapshots it drops leave is freed once the preview is idle (see
        :meth:`tidy`). ``progress`` is told of the files read, on the first load
        only. ``tried``: the templates rendered the snapshot served, and none changed,
        so the first page of each is not rendered before the new one is served (at
        10,000 briefings, 0.2 s of a reload: the sitemap's and the archive's)."""
        with gc_pause.paused(), gc_pause.settling():
            diags = Diagnostics()
            prepared = prepare(self.root, self.options, diags, self.cache, progress)
            for diagnostic in diags.sorted():
                self.log(diagnostic.format())
            errors = tuple(d.format() for d in diags.sorted() if d.severity is Severity.ERROR)
            if errors:
                self._publish_errors(errors, told=True)
                return None
            files = frozenset({route.output_file for route in prepared.routes})
            files |= set(prepared.copies)
            if prepared.site.searchable:
                files |= set(search.UI_FILES)
            checker = LinkChecker(files, prepared.site.config, self.root, Severity.WARNING)
            routes = {route.path: route for route in prepared.routes}
            snapshot = Snapshot(
                renderer=prepared.renderer,
                routes=routes,
                copies={rel: os.path.realpath(path) for rel, path in prepared.copies.items()},
                briefing_paths={
                    **{b.path: urls.briefing(b.slug) for b in prepared.site.briefings},
                    **{p.path: urls.page(p.slug) for p in prepared.site.pages},
                },
                checks=PageChecks(checker, tuple(diags.sorted()), self.log),
                showing=_showing(routes),
                upcoming=embargo_window(prepared.site, prepared.embargoed, prepared.now)[1],
            )
            failed = () if tried else _first_of_each_template(snapshot)
            if failed:
                self._publish_errors(failed)
                return None
            return snapshot

    def _patched(self, changed: Collection[str]) -> Snapshot | None:
        """The current snapshot with edited briefings in place, or None if an edit
        reaches further than their bodies, how often they cite each citation, their
        titles and their summaries."""
        snapshot = self.snapshot
        if snapshot is None or self.errors or not changed:
            return None
        if snapshot.upcoming is not None and _now(self.options) >= snapshot.upcoming:
            return None  # a briefing went live since: the site is loaded again
        # path -> the briefing as the site's lists hold it, and as its pages will show it
        replaced: dict[str, tuple[Briefing, Briefing]] = {}
        # What any page may show of it changed: how often a citation is cited, its
        # title or its summary. Every list of the site that holds it is patched.
        relisted = False
        for rel in changed:
            old = self.cache.entry(rel)
            if old is None or not isinstance(old.item, Briefing):
                return None
            if old.item.publish_at is not None:
                return None  # published or not by the time of this rebuild: load it again
            try:
                started = time.time_ns()
                stat = (self.root / rel).stat()
                raw = (self.root / rel).read_bytes()
                new = parse_file(BRIEFING, rel, raw, snapshot.renderer.site.config.zone)
            except OSError:
                return None
            item = new.item
            if not isinstance(item, Briefing) or new.diagnostics != old.diagnostics:
                return None
            if item.meta_digest != old.item.meta_digest:
                if placed(item) != placed(old.item) or item.aliases:
                    return None  # it moves in the lists, or its redirects show its title
                relisted = True
            site = snapshot.renderer.site
            if _claim_warnings(item, new.claims, site) != _claim_warnings(
                old.item, old.claims, site
            ):
                return None  # a claim's warnings change: the site's are made again
            page = snapshot.routes.get(snapshot.briefing_paths.get(rel, ""))
            held = page.context.get("briefing") if page else None
            shown = _as_shown(item, old.item, held)
            if shown is None or held is None:
                return None
            replaced[rel] = (snapshot.edited[rel][0] if rel in snapshot.edited else held, shown)
            relisted |= _uses(item) != _uses(old.item)
            self.cache.put(rel, as_kept(stamp_of(stat), started), new)
        if relisted:
            return _relisted(snapshot, {**snapshot.edited, **replaced})
        routes_now = dict(snapshot.routes)
        for path in {path for rel in replaced for path in snapshot.showing.get(rel, ())}:
            route = routes_now[path]
            context = dict(route.context)
            briefing = context.get("briefing")
            if isinstance(briefing, Briefing) and briefing.path in replaced:
                context["briefing"] = replaced[briefing.path][1]
            if "entries" in context:
                context["entries"] = tuple(
                    replaced[b.path][1] if isinstance(b, Briefing) and b.path in replaced else b
                    for b in context["entries"]
                )
            routes_now[path] = replace(route, context=context)
        return replace(
            snapshot,
            routes=routes_now,
            checks=snapshot.checks.fresh(),
            pages={},
            instead={},
            index=SearchIndex(),
            edited={**snapshot.edited, **replaced},
        )

    def _publish_errors(self, errors: tuple[str, ...], told: bool = False) -> None:
        """Show ``errors`` in every tab, and in the terminal unless ``told`` already."""
        with self.condition:
            self.version += 1
            self.errors = errors
            self.condition.notify_all()
        if not told:
            self.log("\n".join(errors))
        kept = "still serving the last good build" if self.snapshot else "nothing to serve yet"
        self.log(f"The build has {len(errors)} error(s); {kept}.")

    def close(self) -> None:
        with self.condition:
            self.closing = True
            self.condition.notify_all()

    # -- events -------------------------------------------------------------------

    def next_event(self, since: int, timeout: float) -> tuple[int, Event | None]:
        """Wait for a version newer than ``since``; the event that catches a tab up."""
        with self.condition:
            self.condition.wait_for(lambda: self.version > since or self.closing, timeout)
            if self.version <= since:
                return since, None
            if self._reload_version > since:
                # Before any errors: a tab that missed a good build (it was in the
                # background) loads it, and the page it gets shows the errors.
                data = {"version": self.version, "navigate": self._navigate}
                return self.version, Event("reload", data)
            if self.errors:
                data = {"version": self.version, "errors": self.errors, "kept": True}
                return self.version, Event("errors", data)
            return self.version, Event("css", {"version": self.version})

    # -- responding ---------------------------------------------------------------

    def respond(self, raw_path: str) -> Response:
        path = site_path(raw_path)
        with self.condition:
            snapshot, previous = self.snapshot, self.previous
            version, errors = self.version, self.errors
            self._active = time.monotonic()
        if path is None:
            return Response(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Bad path\n")
        if snapshot is None:
            page = inject(error_page(errors), version, errors, kept=False)
            return Response(HTTPStatus.SERVICE_UNAVAILABLE, HTML, page)
        route_path = path.removesuffix("index.html")
        route = snapshot.routes.get(route_path)
        if route is not None:
            return self._page(snapshot, previous, route, version, errors, HTTPStatus.OK)
        if (
            path
            and not path.endswith("/")
            and (f"{path}/" in snapshot.routes or f"{path}/index.html" in snapshot.copies)
        ):
            # As static hosts do, the query kept: the search page reads its 'q'.
            query = urlsplit(raw_path).query
            target = "/" + quote(f"{path}/") + (f"?{query}" if query else "")
            return Response(HTTPStatus.MOVED_PERMANENTLY, HTML, b"", target)
        if path == "" or path.endswith("/"):
            path += "index.html"  # a folder of content/static/ answered with its index.html
        if path.startswith(BUNDLE) and snapshot.renderer.site.searchable:
            found = snapshot.index.files(snapshot, self.log).get(path)
            if found is not None:
                return Response(HTTPStatus.OK, content_type(path), found)
        source = snapshot.copies.get(path)
        # Only while the file is where the build found it: one made a link since (the
        # build that found it now failed, and this snapshot is the last good one) may
        # lead out of the site.
        if source is not None and os.path.realpath(source) == source:
            try:
                with open(source, "rb") as file:
                    return Response(HTTPStatus.OK, content_type(path), file.read())
            except OSError:
                pass  # removed since the snapshot was taken: answer as not found
        missing = snapshot.routes["404.html"]
        return self._page(snapshot, previous, missing, version, errors, HTTPStatus.NOT_FOUND)

    def _page(
        self,
        snapshot: Snapshot,
        previous: Snapshot | None,
        route: Route,
        version: int,
        errors: tuple[str, ...],
        status: int,
    ) -> Response:
        """The page of ``route`` in ``snapshot``, or, where it fails there, as
        ``previous`` (the snapshot before it when the page was asked for) answered it,
        with the errors told to every tab."""
        diags = Diagnostics()
        body = _rendered(snapshot, route, diags)
        if body is None:
            failed = tuple(d.format() for d in diags.sorted())
            errors = self._publish_failed(snapshot, failed)
            kept = _last_good(previous, route)
            if kept is None:
                page = inject(error_page(failed), version, errors, kept=False)
                return Response(HTTPStatus.INTERNAL_SERVER_ERROR, HTML, page)
            snapshot.instead[route.path] = kept
            snapshot, route, body = kept
        problems = snapshot.checks.problems(route, body, partial(_linked, snapshot))
        kind = content_type(route.output_file)
        if kind.startswith("text/html"):
            body = inject(body, version, errors, problems)
        return Response(status, kind, body)

    def _publish_failed(self, snapshot: Snapshot, failed: tuple[str, ...]) -> tuple[str, ...]:
        """Tell every tab of ``failed``, the errors of a page of ``snapshot``, beside
        those of a build that failed since, if one did; unless they are told already,
        or a newer snapshot has been swapped in since the page was asked for (as an
        edit that mends the page is): they are those of a site no longer served. The
        errors a page of ``snapshot`` shows."""
        with self.condition:
            if self.snapshot is not snapshot:
                return failed
            shown = tuple(dict.fromkeys((*self.errors, *failed)))
            if shown != self.errors:
                self.log("\n".join(error for error in failed if error not in self.errors))
                self._publish_errors(shown, told=True)
            return shown


def _last_good(previous: Snapshot | None, route: Route) -> Kept | None:
    """The page at ``route``'s path as ``previous`` answered it: as it rendered it, or,
    where it failed there too, as the snapshot before it did."""
    before = None if previous is None else previous.routes.get(route.path)
    if previous is None or before is None:
        return None
    if route.path in previous.instead:
        return previous.instead[route.path]
    body = _rendered(previous, before, Diagnostics())
    return None if body is None else (previous, before, body)


def _now(options: BuildOptions) -> dt.datetime:
    """The moment embargoes are decided at: ``--now``, or the current time."""
    return options.now or dt.datetime.now(dt.timezone.utc)


def _showing(routes: dict[str, Route]) -> dict[str, tuple[str, ...]]:
    """The site paths of the routes that show each briefing's body, by the briefing's
    file: its own page (it is their ``briefing``) and the feeds that list it (it is
    among their ``entries``). These are the routes an edit of its text alone patches;
    a snapshot keeps this so that a patch need not look through every route."""
    found: dict[str, list[str]] = defaultdict(list)
    for path, route in routes.items():
        context = route.context
        briefing = context.get("briefing")
        if isinstance(briefing, Briefing):
            found[briefing.path].append(path)
        for shown in context.get("entries", ()):
            if isinstance(shown, Briefing):
                found[shown.path].append(path)
    return {rel: tuple(paths) for rel, paths in found.items()}


def _relisted(snapshot: Snapshot, replaced: dict[str, tuple[Briefing, Briefing]]) -> Snapshot:
    """``snapshot`` with the edited briefings of ``replaced`` (every one since the site
    was linked, each as the site holds it and as it is now) in every list of its
    site, as linking the site again would make it, for an edit of what any page that
    reads a briefing may show: its title, its summary, how often a citation is cited
    (see render/reads.py). The routes that show those briefings are made again; the
    rest are the snapshot's. New templates render the new site, which their ``site``
    shows."""
    before = snapshot.renderer.site
    site = replacing(before, replaced.values())
    renderer = Renderer(site, snapshot.renderer.root, snapshot.renderer.compiled)
    routes_now = dict(snapshot.routes)
    routes_now.update((route.path, route) for route in routes_changed(before, site))
    return replace(
        snapshot,
        renderer=renderer,
        routes=routes_now,
        checks=snapshot.checks.fresh(),
        pages={},
        instead={},
        index=SearchIndex(),
        edited={},
    )


def _uses(briefing: Briefing) -> list[int]:
    return [c.uses for c in briefing.citations]


def _as_shown(new: Briefing, old: Briefing, shown: object) -> Briefing | None:
    """``new``, an edit of ``old``, as its pages would show it, given how
    they show ``old`` (``shown``): as it was parsed, or with its links to other files
    made (see crossref.py), which the new text keeps as they were. None otherwise:
    the site is loaded again."""
    if _links(new) != _links(old):
        return None  # where a link leads is the site's to say
    if shown is old:
        return new
    if (
        isinstance(shown, Briefing)
        and isinstance(shown.body, LinkedBody)
        and replace(shown, body=old.body) == old
    ):
        return replace(new, body=LinkedBody(new.body, shown.body.hrefs))
    return None


def _links(briefing: Briefing) -> list[tuple[str, str, str]]:
    return [(link.href, link.target, link.fragment) for link in briefing.links]


def _rendered(snapshot: Snapshot, route: Route, diags: Diagnostics) -> bytes | None:
    """The page of ``route``, rendered once per snapshot; None if it fails."""
    body = snapshot.pages.get(route.path)
    if body is None:
        body = snapshot.renderer.render(route, diags)
        if body is not None:
            snapshot.pages[route.path] = body
    return body


def _claim_warnings(briefing: Briefing, claims: Claims, site: Site) -> list[Diagnostic]:
    """The warnings ``briefing``'s claims (``claims``) are given when the site is
    linked: a claim without a citation, and one its citations' grades do not bear."""
    diags = Diagnostics()
    check_coverage([briefing], {briefing.path: claims}, site.config, diags)
    check_claim_grades(site.sources, [briefing], {briefing.path: claims}, diags)
    return diags.items


def _markdown_only(changed: Collection[str]) -> bool:
    """Whether every file of ``changed`` is the Markdown of a briefing or a page: no
    template changed, and a page its content makes fail is served as the snapshot
    before made it, with the errors (see :meth:`Preview._page`)."""
    folders = (f"{BRIEFINGS_DIR}/", f"{PAGES_DIR}/")
    return bool(changed) and all(rel.startswith(folders) and rel.endswith(".md") for rel in changed)


def _first_of_each_template(snapshot: Snapshot) -> tuple[str, ...]:
    """The errors of the first page of each template, rendered now (and kept): a
    template that fails as it renders (a name it does not have, a file it includes
    that is not there) fails a build, so the preview keeps its last good site, as it
    does for a template that does not compile."""
    first: dict[str, Route] = {}
    for route in snapshot.routes.values():
        first.setdefault(route.template, route)
    diags = Diagnostics()
    for route in first.values():
        _rendered(snapshot, route, diags)
    return tuple(d.format() for d in diags.sorted() if d.severity is Severity.ERROR)


def _indexed(snapshot: Snapshot, log: Callable[[str], None]) -> dict[str, bytes]:
    """The files of the snapshot's search index, as a build writes them; none (and the
    reason in the log) when Pagefind fails or a briefing's page does not render."""
    if executable() is None:
        return {}
    pages = {}
    for briefing in snapshot.renderer.site.briefings:
        body = _rendered(snapshot, snapshot.routes[urls.briefing(briefing.slug)], Diagnostics())
        if body is None:
            return {}
        pages[briefing.slug] = body
    try:
        return search.index_of(snapshot.renderer.site, lambda briefing: pages[briefing.slug])
    except search.SearchError as exc:
        log(f"The search index could not be made: {exc}")
        return {}


def _linked(snapshot: Snapshot, file: str) -> tuple[Route, bytes] | None:
    """The route and page of an output file that a page links to, if it renders."""
    route = snapshot.routes.get(file.removesuffix("index.html"))
    body = None if route is None else _rendered(snapshot, route, Diagnostics())
    return None if route is None or body is None else (route, body)


def preview_options(options: BuildOptions, host: str, port: int) -> BuildOptions:
    """Absolute URLs (feeds, canonical links) point at the preview server itself."""
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return replace(options, base_url=f"http://{shown}:{port}/", write=False)
