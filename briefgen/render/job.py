"""Rendering every route of a build: in parallel, and only what changed.

The pages the output holds as they would be rendered again are found first (see
render/keys.py). Each worker gets the job once (see :mod:`workers`: forked workers
inherit it), renders slices of the other routes, stages the pages whose bytes differ
from the output, and sends back a small result per page. Results come back in route order,
so the output never depends on the number of workers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass

from briefgen.characters import describe, forbidden_in_page
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.progress import RENDERING, Progress
from briefgen.render.keys import RouteKeys, SiteShapes, digests, page_key, route_key
from briefgen.render.linkcheck import LinkChecker, PageLinks
from briefgen.render.page import Renderer
from briefgen.render.reads import NOTHING, Read, recording
from briefgen.render.routes import Route
from briefgen.workers import pool, shared
from briefgen.write import OutputWriter

_PARALLEL_FROM = 200  # fewer pages than this render faster in one process


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
    previous: RouteKeys | None  # keys of the pages the output holds, to skip unchanged ones
    links: LinkChecker | None  # None: links are not checked

    def run(self, which: Sequence[int]) -> list[PageResult]:
        """Render the routes at the positions ``which``."""
        return [self._render(self.routes[n]) for n in which]

    @functools.cached_property
    def digests(self) -> dict[str, tuple[str, str]]:
        """The digests of the site's briefings by path (see render/keys.py)."""
        return digests(self.renderer.site.briefings)

    @functools.cached_property
    def site(self) -> SiteShapes:
        """The digests of the parts of the site pages read."""
        return SiteShapes(self.renderer.site)

    def left_as_they_are(self) -> dict[int, PageResult]:
        """The pages, by position, that the output holds as this build would render
        them: with the same route key, having read nothing that changed since, and as
        the last build left them."""
        found = self.digests  # reckoned before any worker starts, for all of them
        writer, previous = self.writer, self.previous
        if writer is None or previous is None:
            return {}
        fresh = previous.fresh(found, self.site)
        left: dict[int, PageResult] = {}
        for n, route in enumerate(self.routes):
            file = route.output_file
            before = route_key(self.base_key, route, self.digests)
            key = previous.left(file, before, fresh)
            if key is not None and previous.unchanged(writer.out, file, key):
                problems = previous.problems(file)
                left[n] = PageResult(file, key, before, False, None, (), problems, read=None)
        return left

    def _render(self, route: Route) -> PageResult:
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
        if data is None:
            return PageResult(file, key, before, None, None, tuple(diags.items), read=read)
        writer = self.writer
        staged = writer.put(file, data) if writer is not None else False
        links = self.links.page(file, route.origin, data) if self.links is not None else None
        return PageResult(file, key, before, staged, links, tuple(diags.items), read=read)


def _run_slice(which: list[int]) -> list[PageResult]:
    job: RenderJob = shared()
    return job.run(which)


def render_all(
    job: RenderJob,
    workers: int,
    progress: Progress | None,
    done: Callable[[list[PageResult]], None] | None = None,
) -> list[PageResult]:
    """Render every route of ``job`` that changed with ``workers`` processes, this one
    included; ``done`` is handed the results as they come, in this process, first
    those of the pages left as they are.

    The pages left as they are, and the digests every page's key is made of, are
    found here before any worker starts: the workers inherit them. The parent renders
    slices too instead of waiting: besides using its core, that saves the memory of
    one forked copy of the site.
    """
    total = len(job.routes)
    left = job.left_as_they_are()
    stale = [n for n in range(total) if n not in left]
    step = max(50, len(stale) // (workers * 16) + 1)
    slices = [stale[start : start + step] for start in range(0, len(stale), step)]
    parts: dict[int, list[PageResult]] = {}
    count = 0

    def finished(index: int | None, part: list[PageResult]) -> None:
        nonlocal count
        if index is not None:
            parts[index] = part
        count += len(part)
        if done is not None:
            done(part)
        if progress is not None:
            progress(RENDERING, count, total)

    if left:
        finished(None, list(left.values()))
    upcoming = iter(range(len(slices)))
    if workers <= 1 or len(stale) < _PARALLEL_FROM:
        for index in upcoming:
            finished(index, job.run(slices[index]))
    else:
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
                finished(index, job.run(slices[index]))
                for future in [f for f in pending if f.done()]:
                    finished(pending.pop(future), future.result())
                hand_out()
            for future in as_completed(pending):
                finished(pending[future], future.result())
    made = (result for index in range(len(slices)) for result in parts[index])
    rendered = dict(zip(stale, made, strict=True))
    return [left[n] if n in left else rendered[n] for n in range(total)]
