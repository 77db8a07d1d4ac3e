"""A large site's search index comes in parts of 250 briefings by default, at most 64:
small enough that an edit makes a quarter-second's index again, few enough that a
search does not ask hundreds of them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from briefgen.model import SiteConfig
from briefgen.render.search_parts import parts


def site_of(months: int, each: int) -> Any:
    """A site with ``each`` briefings in every one of ``months`` months."""
    dates = [dt.date(2000 + m // 12, m % 12 + 1, 1) for m in range(months)]
    briefings = [SimpleNamespace(date=date) for date in dates for _ in range(each)]
    return SimpleNamespace(config=SiteConfig(), briefings=briefings)


@pytest.mark.parametrize(
    ("months", "each", "sizes"),
    [
        (4, 50, [200]),  # one part: the bundle alone
        (200, 50, [250] * 40),  # 10,000 briefings
        (320, 50, [250] * 64),  # as many parts as there may be
        (400, 50, [500] * 40),  # 20,000: more than 64 parts of 250, so parts of 500
        (1000, 50, [1000] * 50),  # 50,000
    ],
)
def test_the_parts_of_a_large_sites_index(months: int, each: int, sizes: list[int]) -> None:
    made = parts(site_of(months, each))
    assert [len(part.briefings) for part in made] == sizes
    assert made[0].folder == "pagefind/"
    assert all(part.folder.startswith("pagefind/parts/") for part in made[1:])
