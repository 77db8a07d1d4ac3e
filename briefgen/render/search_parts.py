"""The parts of the site's search index.

Pagefind cannot update an index: one edited page means indexing every page again,
about 2 ms each, and more in a large part (about 2.5 ms at 1,000 pages). So a large
site's index is made in parts, each a bundle of its own that the search page merges
into the first (Pagefind's ``mergeIndex``): the briefings of consecutive months, at
most ``search_part_size`` of them (250 by default, doubled as often as it takes to
keep to 64 parts). An edited briefing
makes only its part again; a new one, usually the newest, only the last part. A
site smaller than one part has one bundle, at ``pagefind/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen import urls
from briefgen.model import Briefing, Site

BUNDLE = urls.search_bundle()
PARTS = urls.search_bundle("parts/")  # the folders of every part but the first
MAX_PARTS = 64


@dataclass(frozen=True)
class Part:
    """A bundle of the index: its folder in the output, and the briefings it holds."""

    folder: str  # 'pagefind/' for the first, 'pagefind/parts/2023-06/' for the others
    briefings: tuple[Briefing, ...]

    @property
    def inner(self) -> tuple[str, ...]:
        """The folders inside this part's that hold the other parts."""
        return (PARTS,) if self.folder == BUNDLE else ()


def parts(site: Site) -> list[Part]:
    """The parts of the site's index: the briefings of consecutive months (by their
    date), up to a part's size; a month larger than that is a part of its own. Each
    part but the first is named after its first month."""
    size = site.config.search_part_size
    while len(site.briefings) > size * MAX_PARTS:
        size *= 2
    months: dict[tuple[int, int], list[Briefing]] = {}
    for briefing in site.briefings:
        months.setdefault((briefing.date.year, briefing.date.month), []).append(briefing)
    groups: list[tuple[tuple[int, int], list[Briefing]]] = []
    for month in sorted(months):
        if groups and len(groups[-1][1]) + len(months[month]) <= size:
            groups[-1][1].extend(months[month])
        else:
            groups.append((month, list(months[month])))
    return [
        Part(BUNDLE if n == 0 else f"{PARTS}{year:04d}-{month:02d}/", tuple(briefings))
        for n, ((year, month), briefings) in enumerate(groups)
    ]


def merged_parts(site: Site) -> list[str]:
    """The site paths of the parts the search page merges into the first."""
    return [part.folder for part in parts(site)[1:]]
