"""The parts of the site's search index.

Pagefind cannot update an index: one edited page means indexing every page again,
about 2 ms each, and more in a large part (about 2.5 ms at 1,000 pages). So a large
site's index is made in parts, each a bundle of its own that the search page merges
into the first (Pagefind's ``mergeIndex``): the briefings of consecutive days, at
most ``search_part_size`` of them (250 by default, doubled as often as it takes to
keep to 64 parts). An edited briefing makes only its part again; a new one, usually
the newest, only the last part. A site smaller than one part has one bundle, at
``pagefind/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen import urls

if TYPE_CHECKING:
    from briefgen.model import Briefing, Site

BUNDLE = urls.search_bundle()
PARTS = urls.search_bundle("parts/")  # the folders of every part but the first
MAX_PARTS = 64


@dataclass(frozen=True)
class Part:
    """A bundle of the index: its folder in the output, and the briefings it holds."""

    folder: str  # 'pagefind/' for the first, 'pagefind/parts/2023-06-02/' for the others
    briefings: tuple[Briefing, ...]

    @property
    def inner(self) -> tuple[str, ...]:
        return inner(self.folder)


def inner(folder: str) -> tuple[str, ...]:
    """The folders inside the part at ``folder`` that hold the other parts."""
    return (PARTS,) if folder == BUNDLE else ()


def parts(site: Site) -> list[Part]:
    """The parts of the site's index: the briefings of consecutive days (by their
    date), up to a part's size; a day with more than that is a part of its own. Each
    part but the first is named after its first day."""
    size = site.config.search_part_size
    while len(site.briefings) > size * MAX_PARTS:
        size *= 2
    days: dict[tuple[int, int, int], list[Briefing]] = {}
    for briefing in site.briefings:
        date = briefing.date
        days.setdefault((date.year, date.month, date.day), []).append(briefing)
    groups: list[tuple[tuple[int, int, int], list[Briefing]]] = []
    for day in sorted(days):
        if groups and len(groups[-1][1]) + len(days[day]) <= size:
            groups[-1][1].extend(days[day])
        else:
            groups.append((day, list(days[day])))
    return [
        Part(BUNDLE if n == 0 else f"{PARTS}{year:04d}-{month:02d}-{day:02d}/", tuple(briefings))
        for n, ((year, month, day), briefings) in enumerate(groups)
    ]


def merged_parts(site: Site) -> list[str]:
    """The site paths of the parts the search page merges into the first."""
    return [part.folder for part in parts(site)[1:]]
