"""The problems ``check`` reports for a page the preview serves: the warnings about
the page's own file, and the broken links and anchors in it.

Links are checked by the checker ``check`` and ``build`` use (render/linkcheck.py),
once per page and snapshot, when the page is first served; a link to an anchor of
another page renders that page too. What a page's check finds is printed once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from briefgen.diagnostics import Diagnostic
from briefgen.render.linkcheck import LinkChecker, PageLinks
from briefgen.render.routes import Route

ELSEWHERE_LISTED = 50  # warnings about other files listed in a page; the rest are counted

Render = Callable[[str], tuple[Route, bytes] | None]  # output file -> its route and page


@dataclass(frozen=True)
class Problems:
    """What the preview's panel lists on one page, each line as the terminal prints it."""

    page: tuple[str, ...] = ()  # about this page: its file's warnings, its broken links
    elsewhere: tuple[str, ...] = ()  # warnings about the site's other files
    more: int = 0  # warnings elsewhere that are not listed

    def __bool__(self) -> bool:
        return bool(self.page or self.elsewhere)


class PageChecks:
    """The link checks of the pages one snapshot has served, and the site's warnings."""

    def __init__(
        self, checker: LinkChecker, warnings: tuple[Diagnostic, ...], log: Callable[[str], None]
    ) -> None:
        self.checker = checker
        self.warnings = warnings
        self.log = log
        self._links: dict[str, PageLinks] = {}
        self._found: dict[str, tuple[Diagnostic, ...]] = {}
        self._printed: set[str] = set()
        self._lock = threading.Lock()

    def fresh(self) -> PageChecks:
        """The same checker and warnings, for a snapshot whose pages render anew."""
        return PageChecks(self.checker, self.warnings, self.log)

    def problems(self, route: Route, body: bytes, render: Render) -> Problems:
        """The problems of the page ``body`` of ``route``; ``render`` gives the pages
        whose anchors it links to."""
        origin = route.origin.path
        own = [*self._broken_links(route, body, render)]
        own += [w for w in self.warnings if w.location.path == origin]
        others = [w.format() for w in self.warnings if w.location.path != origin]
        return Problems(
            tuple(d.format() for d in sorted(own, key=Diagnostic.sort_key)),
            tuple(others[:ELSEWHERE_LISTED]),
            max(0, len(others) - ELSEWHERE_LISTED),
        )

    def _broken_links(self, route: Route, body: bytes, render: Render) -> tuple[Diagnostic, ...]:
        """The broken links and anchors of a page; printed the first time it is served."""
        file = route.output_file
        found = self._found.get(file)
        if found is not None:
            return found
        page = self._checked(file, route, body)
        targets = [render(target) for target in sorted(self.checker.targets(page))]
        beside = [self._checked(t.output_file, t, b) for t, b in filter(None, targets)]
        found = tuple(self.checker.anchors([page, *beside]).get(file, ()))
        with self._lock:
            if file in self._found:
                return self._found[file]
            self._found[file] = found
            lines = [d.format() for d in found if d.format() not in self._printed]
            self._printed.update(lines)
        if lines:
            self.log("\n".join(lines))
        return found

    def _checked(self, file: str, route: Route, body: bytes) -> PageLinks:
        links = self._links.get(file)
        if links is None:
            links = self._links[file] = self.checker.page(file, route.origin, body)
        return links
