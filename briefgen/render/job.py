"""Rendering every route of a build: in parallel, and only what changed.

One pass through the routes first finds the pages the output holds as they would be
rendered again (see render/keys.py), and renders the others on the way while they
are few. Each worker gets the job once (see :mod:`workers`: forked workers inherit
it), renders slices of the rest, stages the pages whose bytes differ from the
output, and sends back a small result per page. Results are put back in route order,
so the output never depends on the number of workers.
"""

from __future__ import annotations

import functools
import math
import pickle
import re
import zlib
from collections.abc import Callable, Container, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import nullcontext
from dataclasses import dataclass

from briefgen import heap
from briefgen.characters import describe, forbidden_in_page
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.progress import RENDERING, Progress
from briefgen.render.keys import Fresh, RouteKeys, SiteShapes, digests, page_key, route_key
from briefgen.render.linkcheck import LinkChecker, PageLinks
from briefgen.render.page import Renderer
from briefgen.render.reads import NOTHING, Read, recording
from briefgen.render.routes import Route
from briefgen.workers import pool, shared
from briefgen.write import OutputWriter

_RELEASE_EVERY = 500  # pages rendered between handing freed memory back (see heap.py)
_PARALLEL_FROM = 200  # fewer pages than this render faster in one process
_PASS_AT_ONCE = 500  # routes gone through before their results are handed on
_SLICE_LEAST = 50  # pages in a slice at least: each is a round trip to a worker
_COPY_PAGES = 30_000  # pages to render, at most, beside one forked copy (see _runs)
_WAIT = 0.05  # seconds waited for a worker's slice before calling ``idle`` again


@dataclass(frozen=True, slots=True)
class PageResult:
    file: str  # output file
    key: str  # what the page depends on (see render/keys.py)
    route: str  # what it depends on before it renders: its route key
    staged: bool | None  # True: written anew; False: the output holds it; None: failed
    links: PageLinks | None
    diagnostics: tuple[Diagnostic, ...]
    broken_links: tuple[Diagnostic, ...] = ()  # of a page left as it was, from its last render
    read: Read | None = NOTHING  # what its templates read; None: left as it was, not rendered

    @property
    def rendered(self) -> bool:
        return self.read is not None


@dataclass(frozen=True)
class RenderJob:
    renderer: Renderer
    routes: list[Route]
    base_key: str
    writer: OutputWriter | None  # None: render only (``check``)
    previous: RouteKeys | None  # keys of the pages the output (or the last check) holds
    links: LinkChecker | None  # None: links are not checked

    def run(self, which: Sequence[int], idle: Callable[[], None] | None = None) -> list[PageResult]:
        """Render the routes at the positions ``which``, calling ``idle`` after each."""
        results = []
        for done, n in enumerate(which, start=1):
            results.append(self.render(self.routes[n]))
            if idle is not None:
                idle()
            if done % _RELEASE_EVERY == 0:
                heap.release()
        return results

    @functools.cached_property
    def digests(self) -> dict[str, tuple[str, str]]:
        """The digests of the site's briefings by path (see render/keys.py)."""
        return digests(self.renderer.site.briefings)

    @functools.cached_property
    def site(self) -> SiteShapes:
        """The digests of the parts of the site pages read."""
        return SiteShapes(self.renderer.site)

    @functools.cached_property
    def fresh(self) -> Fresh | None:
        """What is as the last build (or check) saw it (see render/keys.py); None when
        nothing can be left as it is: no record of it."""
        found = self.digests  # reckoned here, before any worker starts, for all of them
        if self.previous is None:
            return None
        return self.previous.fresh(found, self.site)

    def left(self, route: Route) -> PageResult | None:
        """The page of ``route`` if this build would render it as the last one did: with
        the same route key and having read nothing that changed since, and, where the
        build writes, as that build left it in the output; else None. A check keeps
        the link problems the last one found in it (see pipeline.py)."""
        writer, previous, fresh = self.writer, self.previous, self.fresh
        if previous is None or fresh is None:
            return None
        file = route.output_file
        if file not in previous.entries:
            return None
        before = route_key(self.base_key, route, self.digests)
        key = previous.left(file, before, fresh)
        if key is None or (writer is not None and not previous.as_left(writer.out, file)):
            return None
        return PageResult(file, key, before, False, None, (), previous.problems(file), read=None)

    def links_of(self, file: str) -> PageLinks | None:
        """The links of the page ``file``, rendered again: a check has no output to read
        a page it left back from. None when it does not render."""
        return self.render(self._routes_by_file[file]).links

    @functools.cached_property
    def _routes_by_file(self) -> dict[str, Route]:
        return {route.output_file: route for route in self.routes}

    def render(self, route: Route) -> PageResult:
        file = route.output_file
        before = route_key(self.base_key, route, self.digests)
        diags = Diagnostics()
        with recording() as reads:
            data = self.renderer.render(route, diags)
        read = reads.sorted()
        key = page_key(before, read, self.digests, self.site) or ""  # "": it read one held back
        char = forbidden_in_page(data) if data is not None else ""
        if char:
            # Content is checked where it is written; this catches what templates add.
            diags.error(
                route.origin,
                f"page /{route.path} holds the character {describe(char)}, which pages and "
                "feeds cannot contain",
            )
            data = None
        elif data is not None and route.template == BRIEFING and not self._indexable(data):
            diags.error(
                self.renderer.own_template(BRIEFING, "base.html"),
                "a briefing's page has no <html> element, so the search index cannot hold it",
                "make it a whole document, in <html>, or set 'search: false' in site.yaml",
            )
            data = None
        if data is None:
            return PageResult(file, key, before, None, None, tuple(diags.items), read=read)
        writer = self.writer
        staged = writer.put(file, data) if writer is not None else False
        links = self.links.page(file, route.origin, data) if self.links is not None else None
        return PageResult(file, key, before, staged, links, tuple(diags.items), read=read)

    def _indexable(self, page: bytes) -> bool:
        """True unless the site is searched and ``page`` has no ``<html>`` element:
        Pagefind leaves such a page out of the index, and fails when it finds none."""
        return not self.renderer.site.searchable or _HTML_RE.search(page) is not None


_HTML_RE = re.compile(rb"<html[\s>]", re.IGNORECASE)
BRIEFING = "briefing.html"


def _run_slice(which: list[int]) -> bytes:
    job: RenderJob = shared()
    packed = _packed(job.run(which))
    heap.release()
    return packed


def _packed(results: list[PageResult]) -> bytes:
    """Results as this process keeps them while a forked copy of it renders, until
    every page is: about 0.3 KB a page where the objects take about 2 KB (at 50,000
    briefings, a few hundred MiB while the copy holds as much as this process)."""
    return zlib.compress(pickle.dumps(results, pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(packed: bytes) -> list[PageResult]:
    results: list[PageResult] = pickle.loads(zlib.decompress(packed))
    return results


def _slices(stale: list[int], workers: int) -> list[list[int]]:
    """``stale`` cut into the slices the processes take in turn: each a sixteenth of
    what is left for each process, and never under ``_SLICE_LEAST`` pages. Slices of a
    size throughout left a process waiting at the end for the other's last one or two
    (a slice is queued behind the one a worker renders): a quarter of a second at
    10,000 briefings, and more with the size of the site; smaller ones towards the
    end keep that wait to a small slice's."""
    slices = []
    start = 0
    while start < len(stale):
        step = max(_SLICE_LEAST, (len(stale) - start) // (workers * 16) + 1)
        slices.append(stale[start : start + step])
        start += step
    return slices


def _runs(stale: list[int], workers: int) -> list[list[list[int]]]:
    """``stale`` in runs of at most ``_COPY_PAGES`` pages, of about the same size, each
    cut into its slices: each run is rendered beside a copy of this process forked for
    it alone.

    A forked copy shares this process's memory until either of them writes to a page
    of it, and rendering writes to nearly every page that holds the site (Python counts
    each reference to an object it reads in the object), so the copy grows as it
    renders; a fresh copy for each run shares it all again. A cold build at 50,000
    briefings (131,805 pages) peaked at 1,407 MiB with one copy throughout, and at
    1,336 MiB in five runs with the index's large parts made one at a time to the end
    (see render/search.py). The slices of each run shrink towards its end, so that
    neither process waits long for the other's last one before the next copy is
    forked."""
    if not stale:
        return []
    size = math.ceil(len(stale) / math.ceil(len(stale) / _COPY_PAGES))
    return [_slices(stale[start : start + size], workers) for start in range(0, len(stale), size)]


def render_all(
    job: RenderJob,
    workers: int,
    progress: Progress | None,
    done: Callable[[list[PageResult]], None] | None = None,
    first: Container[str] = (),
    idle: Callable[[], None] | None = None,
) -> list[PageResult]:
    """Render every route of ``job`` that changed with ``workers`` processes, this one
    included; ``done`` is handed the results as they come, in this process, and
    ``idle`` is called between the pages it renders and while it waits for workers.
    The pages this process renders alone, with a core to spare (``workers`` above
    one), are written by a thread (see :meth:`OutputWriter.behind`).

    This process first goes through the routes, finding the pages left as they are
    and rendering the others on the way while they are few: a rebuild after an edit
    is done in that one pass. It takes the routes whose output files are in
    ``first`` (the pages of the search index) before the others, in order, so that a
    part of the index can be made beside the rest of the pass. The pages beyond the
    first ``_PARALLEL_FROM`` to render are rendered in slices by the workers, which
    inherit what the pass reckoned; a large render in runs, each beside workers forked
    for it alone (see :func:`_runs`). The parent renders slices too instead of
    waiting: besides using its core, that saves the memory of one forked copy of the
    site. The results come back in the routes' order whatever the order of the work.
    """
    total = len(job.routes)
    results: dict[int, PageResult] = {}
    count = 0

    def finished(part: list[PageResult]) -> None:
        nonlocal count
        count += len(part)
        if done is not None:
            done(part)
        if progress is not None:
            progress(RENDERING, count, total)

    stale: list[int] = []
    if job.fresh is not None:
        routes = job.routes
        order = sorted(range(total), key=lambda n: routes[n].output_file not in first)
        rendered = 0
        for start in range(0, total, _PASS_AT_ONCE):
            part = []
            for n in order[start : start + _PASS_AT_ONCE]:
                route = job.routes[n]
                result = job.left(route)
                if result is None:
                    if rendered == _PARALLEL_FROM:
                        stale.append(n)
                        continue
                    rendered += 1
                    result = job.render(route)
                    if idle is not None:
                        idle()
                results[n] = result
                part.append(result)
            finished(part)
        stale.sort()
    else:
        stale = list(range(total))
    runs = _runs(stale, workers)
    slices = [part for run in runs for part in run]

    def collect(index: int, part: list[PageResult]) -> None:
        for n, result in zip(slices[index], part, strict=True):
            results[n] = result
        finished(part)

    packed: dict[int, bytes] = {}  # the slices rendered while a worker renders, until all are

    def received(index: int, part: bytes) -> None:
        packed[index] = part
        finished(_unpacked(part))

    def beside_a_copy(upcoming: Iterator[int]) -> None:
        """Render the slices numbered ``upcoming`` here and in a forked copy."""
        heap.release()  # before the copy is forked, so that it shares none of it
        with pool(workers - 1, shared=job) as executor:
            pending: dict[Future[bytes], int] = {}

            def hand_out() -> None:
                """Keep every worker busy, with one slice queued behind the one it renders."""
                while len(pending) < 2 * (workers - 1):
                    index = next(upcoming, None)
                    if index is None:
                        return
                    pending[executor.submit(_run_slice, slices[index])] = index

            hand_out()
            for index in upcoming:
                part = job.run(slices[index], idle)
                finished(part)
                packed[index] = _packed(part)
                del part
                heap.release()
                for future in [f for f in pending if f.done()]:
                    received(pending.pop(future), future.result())
                hand_out()
            while pending:
                ended, _ = wait(pending, timeout=_WAIT, return_when=FIRST_COMPLETED)
                for future in ended:
                    received(pending.pop(future), future.result())
                if idle is not None:
                    idle()

    if workers <= 1 or len(stale) < _PARALLEL_FROM:
        writer = job.writer
        behind = workers > 1 and bool(stale)
        with writer.behind() if writer is not None and behind else nullcontext():
            for index in range(len(slices)):
                collect(index, job.run(slices[index], idle))
    else:
        start = 0
        for run in runs:
            beside_a_copy(iter(range(start, start + len(run))))
            start += len(run)
    for index in sorted(packed):
        for n, result in zip(slices[index], _unpacked(packed.pop(index)), strict=True):
            results[n] = result
    return [results[n] for n in range(total)]
