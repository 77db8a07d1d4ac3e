"""Rendering every route of a build: in parallel, and only what changed.

Each worker gets the job once (see :mod:`workers`: forked workers inherit it), renders
contiguous slices of the routes, stages the pages whose bytes differ from the
output, and sends back a small result per page. Results come back in route order,
so the output never depends on the number of workers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass

from briefgen.characters import describe, forbidden_in_page
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.model import Briefing
from briefgen.progress import RENDERING, Progress
from briefgen.render.keys import RouteKeys, SiteShapes, page_key, route_key
from briefgen.render.linkcheck import LinkChecker, PageLinks
from briefgen.render.page import Renderer
from briefgen.render.reads import Read, recording
from briefgen.render.routes import Route
from briefgen.workers import pool, shared
from briefgen.write import OutputWriter

_PARALLEL_FROM = 200  # fewer pages than this render faster in one process


@dataclass(frozen=True, slots=True)
class PageResult:
    file: str  # output file
    key: str  # what the page depends on (see render/keys.py)
    staged: bool | None  # True: written anew; False: the output holds it; None: failed
    links: PageLinks | None
    diagnostics: tuple[Diagnostic, ...]
    broken_links: tuple[Diagnostic, ...] = ()  # of a page left as it was, from its last render
    rendered: bool = True  # False: the page's key was unchanged, so it was not rendered
    read: Read = ((), (), ())  # what its templates read (see render/reads.py)


@dataclass(frozen=True)
class RenderJob:
    renderer: Renderer
    routes: list[Route]
    base_key: str
    writer: OutputWriter | None  # None: render only (``check``)
    previous: RouteKeys | None  # keys of the pages the output holds, to skip unchanged ones
    links: LinkChecker | None  # None: links are not checked

    def run(self, start: int, stop: int) -> list[PageResult]:
        return [self._one(route) for route in self.routes[start:stop]]

    @functools.cached_property
    def briefings(self) -> dict[str, Briefing]:
        """The site's briefings by path, for the digests of those a page read."""
        return {b.path: b for b in self.renderer.site.briefings}

    @functools.cached_property
    def site(self) -> SiteShapes:
        """The digests of the parts of the site pages read."""
        return SiteShapes(self.renderer.site)

    def _one(self, route: Route) -> PageResult:
        file = route.output_file
        before = route_key(self.base_key, route)
        writer = self.writer
        previous = self.previous
        if writer is not None and previous is not None and (read := previous.read(file)):
            key = page_key(before, read, self.briefings, self.site)
            if key is not None and previous.unchanged(writer.out, file, key):
                problems = previous.problems(file)
                return PageResult(file, key, False, None, (), problems, rendered=False, read=read)
        diags = Diagnostics()
        with recording() as reads:
            data = self.renderer.render(route, diags)
        read = reads.sorted()
        key = page_key(before, read, self.briefings, self.site) or ""  # "": it read one held back
        char = forbidden_in_page(data) if data is not None else ""
        if char:
            # Content is checked where it is written; this catches what templates add.
            diags.error(
                route.origin,
                f"page /{route.path} holds the character {describe(char)}, which pages and "
                "feeds cannot contain",
            )
            data = None
        if data is None:
            return PageResult(file, key, None, None, tuple(diags.items), read=read)
        staged = writer.put(file, data) if writer is not None else False
        links = self.links.page(file, route.origin, data) if self.links is not None else None
        return PageResult(file, key, staged, links, tuple(diags.items), read=read)


def _run_slice(bounds: tuple[int, int]) -> list[PageResult]:
    job: RenderJob = shared()
    return job.run(*bounds)


def render_all(
    job: RenderJob,
    workers: int,
    progress: Progress | None,
    done: Callable[[list[PageResult]], None] | None = None,
) -> list[PageResult]:
    """Render every route of ``job`` with ``workers`` processes, this one included;
    ``done`` is handed each slice's results as they come, in this process.

    The parent renders slices too instead of waiting: besides using its core, that
    saves the memory of one forked copy of the site.
    """
    total = len(job.routes)
    step = max(50, total // (workers * 16) + 1)
    slices = [(start, min(start + step, total)) for start in range(0, total, step)]
    parts: dict[int, list[PageResult]] = {}

    def finished(index: int, part: list[PageResult]) -> None:
        parts[index] = part
        if done is not None:
            done(part)
        if progress is not None:
            progress(RENDERING, sum(map(len, parts.values())), total)

    upcoming = iter(range(len(slices)))
    if workers <= 1 or total < _PARALLEL_FROM:
        for index in upcoming:
            finished(index, job.run(*slices[index]))
        return [result for index in range(len(slices)) for result in parts[index]]
    with pool(workers - 1, shared=job) as executor:
        pending: dict[Future[list[PageResult]], int] = {}

        def hand_out() -> None:
            """Keep every worker busy, with one slice queued behind the one it renders."""
            while len(pending) < 2 * (workers - 1):
                index = next(upcoming, None)
                if index is None:
                    return
                pending[executor.submit(_run_slice, slices[index])] = index

        hand_out()
        for index in upcoming:
            finished(index, job.run(*slices[index]))
            for future in [f for f in pending if f.done()]:
                finished(pending.pop(future), future.result())
            hand_out()
        for future in as_completed(pending):
            finished(pending[future], future.result())
    return [result for index in range(len(slices)) for result in parts[index]]
