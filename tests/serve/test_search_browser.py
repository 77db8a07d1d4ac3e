"""Search in real headless Chromium: a built site, served as a static host would serve
it (under a sub-path), searched through Pagefind's UI; its index made whole, and in
parts that the search page merges."""

from __future__ import annotations

import http.server
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from chromium import chromium, new_tab, serving
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

TIMEOUT = 10_000  # ms
PREFIX = "/briefs/"

SITE = """
-- content/site.yaml --
title: Border Watch
base_url: https://example.org/briefs/
-- content/regions.yaml --
russia: {name: Russia}
belgorod: {name: Belgorod Oblast, parent: russia}
shebekino: {name: Shebekino, parent: belgorod}
kursk: {name: "Kursk <i>Oblast</i>", parent: russia}
-- content/sources.yaml --
gladkov: {name: Vyacheslav Gladkov, kind: official}
-- content/briefings/shebekino.md --
---
title: Shebekino granary burns
date: 2023-06-02
regions: [shebekino]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/1"}
---
A drone set the granary of a collective farm on fire [@g].
-- content/briefings/kursk.md --
---
title: Kursk farm struck
date: 2023-06-03
regions: [kursk]
tags: ["<img src=x onerror='window.injected=1'> & more"]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/2"}
---
Shelling damaged a granary near the border [@g].
-- content/briefings/other.md --
---
title: Evacuation continues
date: 2023-06-04
regions: [belgorod]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/3"}
---
Buses left for Belgorod in the morning [@g].
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder under PREFIX, as a host serves a site at a sub-path."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path.removeprefix(PREFIX))

    def log_message(self, format: str, *args: object) -> None:
        pass


# Each briefing in a month of its own, and an index part per briefing.
IN_PARTS = (
    SITE.replace("date: 2023-06-02", "date: 2023-04-02")
    .replace("date: 2023-06-03", "date: 2023-05-03")
    .replace(
        "base_url: https://example.org/briefs/",
        "base_url: https://example.org/briefs/\nsearch_part_size: 1",
    )
)


@pytest.fixture(scope="module", params=["whole", "in parts"])
def site_url(
    request: pytest.FixtureRequest, make_module_site: Callable[..., object]
) -> Iterator[str]:
    site = make_module_site(
        SITE if request.param == "whole" else IN_PARTS, name=request.param.replace(" ", "-")
    )
    site.ok()  # type: ignore[attr-defined]
    parts = site.root / "public/pagefind/parts"  # type: ignore[attr-defined]
    assert len(list(parts.glob("*/pagefind-entry.json"))) == (2 if request.param != "whole" else 0)
    with serving(site.root / "public", _Handler) as url:  # type: ignore[attr-defined]
        yield url + PREFIX


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_tab(browser, TIMEOUT) as tab:
        yield tab


def _results(page: Page, count: int) -> list[str]:
    """The titles of the results once there are ``count`` of them."""
    results = page.locator(".pagefind-ui__result-link")
    page.wait_for_function(
        "n => document.querySelectorAll('.pagefind-ui__result-link').length === n", arg=count
    )
    return sorted(results.all_inner_texts())


def test_the_header_box_finds_a_briefing_by_a_word_of_its_body(site_url: str, page: Page) -> None:
    page.goto(site_url)
    page.fill("#site-search-q", "granary")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=granary")
    assert _results(page, 2) == ["Kursk farm struck", "Shebekino granary burns"]
    link = page.locator(".pagefind-ui__result-link", has_text="Shebekino").get_attribute("href")
    assert link == "/briefs/briefings/shebekino/"


def _region_labels(page: Page, url: str, tries: int = 3) -> list[str]:
    """The labels of the region filter on the search page at ``url``, read in one go
    once all four have their text. Pagefind's interface draws the filters from those
    loaded by then and fills their labels in after, and on a busy machine it can draw
    some of them only, or none (no panel to open): the page is opened again until it
    draws them all."""
    shown: object = None
    for _ in range(tries):
        page.goto(url)
        assert _results(page, 2) == ["Kursk farm struck", "Shebekino granary burns"]
        try:
            page.locator("summary", has_text="Region").click(timeout=5_000)  # the panel opens
            filled = page.wait_for_function(
                """() => {
                    const labels = document.querySelectorAll("input[name=region] + label");
                    const texts = [...labels].map((label) => label.innerText.trim());
                    return texts.length === 4 && texts.every(Boolean) && texts;
                }""",
                timeout=5_000,
            )
        except PlaywrightTimeoutError:
            shown = page.locator("input[name=region] + label").all_inner_texts()
            continue
        labels: list[str] = filled.json_value()
        return labels
    raise AssertionError(f"the region filter drew {shown} in each of {tries} tries")


def test_a_region_filter_narrows_the_results_to_that_region_and_below(
    site_url: str, page: Page
) -> None:
    # Each region with its count: of the results, or of every briefing when Pagefind's
    # interface loaded its filters after the search had run. (Merged from parts, they
    # come in the order the parts first name them.)
    shown = sorted(_region_labels(page, site_url + "search/?q=granary"))
    names = ["Belgorod Oblast", "Kursk <i>Oblast</i>", "Russia", "Shebekino"]
    assert [re.sub(r" \(\d+\)$", "", label) for label in shown] == names, shown
    page.check("input[name=region][value='Belgorod Oblast']")  # Shebekino lies in it
    assert _results(page, 1) == ["Shebekino granary burns"]


def test_words_outside_the_briefing_text_are_not_indexed(site_url: str, page: Page) -> None:
    page.goto(site_url + "search/?q=Gladkov")  # the name is in every source list only
    page.wait_for_selector(".pagefind-ui__message")
    page.wait_for_function(
        "() => /no results/i.test(document.querySelector('.pagefind-ui__message').innerText)"
    )
    assert page.locator(".pagefind-ui__result").count() == 0


def _open_with_the_tag_filter(page: Page, url: str, tries: int = 5) -> None:
    """``url``, once Pagefind's interface has drawn the tag filter. It draws its filters
    once, from those loaded by then, and on a busy machine it can draw none: the page
    is opened again until it draws it."""
    for _ in range(tries):
        page.goto(url)
        try:
            page.locator("summary", has_text="Tag").wait_for(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"the search page drew the tag filter in none of {tries} tries")


def test_a_filter_shows_a_name_as_written_and_never_runs_it(site_url: str, page: Page) -> None:
    """Pagefind's interface writes filters into the page as HTML: a tag or a name
    holding markup is shown as its text, and no script of it runs."""
    _open_with_the_tag_filter(page, site_url + "search/?q=granary")
    assert _results(page, 2) == ["Kursk farm struck", "Shebekino granary burns"]
    page.locator("summary", has_text="Tag").click()
    label = page.wait_for_function(
        """() => {
            const label = document.querySelector("input[name=tag] + label");
            return label && label.innerText.trim();
        }"""
    ).json_value()
    assert re.sub(r" \(\d+\)$", "", label) == "<img src=x onerror='window.injected=1'> & more"
    assert page.evaluate("() => window.injected") is None
    assert page.locator("#search img").count() == 0
