"""What readers get from every page type of the bundled theme: the example site plus a
briefing with footnotes, code, a wide table, a correction and graded citations, and a
retracted one, built, served over HTTP on 127.0.0.1 as a static host serves it, and
checked in Chromium by axe-core at two widths in both colour schemes (the Russian
site at each width in one of them), for sideways scrolling at 320 px, and by the Nu
HTML Checker."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import axe_violations, chromium, new_tab, serving
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TIMEOUT = 10_000  # ms
LAYOUTS = [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")]
# The Russian site at each width and in each scheme once: its colours are the English
# site's, checked in all four; its longer words are what may break a layout.
RUSSIAN_LAYOUTS = [(1280, "dark"), (390, "light")]
NARROWEST = 320  # px

# A line of code far wider than a phone
LONG_LINE = (
    '{"district": "kharkovskaya-gora", "houses_damaged": 6, "windows_broken": 40, '
    '"cars_damaged": 3, "residents_moved": 11}'
)
READERS_BRIEFING = f"""---
title: Drone debris damages homes in Belgorod
date: 2023-06-10T09:00:00+03:00
summary: Debris of a downed drone damaged several houses; the governor's figures are tabled below.
regions: [belgorod-city]
tags: [drones]
aliases: [drone-debris]
corrections:
  - date: 2023-06-11T10:00:00+03:00
    kind: correction
    text: An earlier version gave the number of damaged houses as five. It was six.
citations:
  gladkov-0610:
    source: gladkov-telegram
    url: https://t.me/vvgladkov/3301
    title: Post on drone debris in Belgorod
    published: 2023-06-10
    quote: Обломки беспилотника повредили шесть частных домов.
    lang: ru
    translation: Debris of the drone damaged six private houses.
    archive: https://web.archive.org/web/20230610/https://t.me/vvgladkov/3301
    credibility: 2
  x-video:
    source: x
    url: https://x.com/belgorod_news/status/1667400000000000000
    archive: https://web.archive.org/web/20230610/https://x.com/belgorod_news/status/1667400000000000000
---
Governor Vyacheslav Gladkov said debris of a downed drone damaged six houses in the
city [@gladkov-0610].[^figures] Nobody was hurt, he said.[^hurt] A video showed a
roof torn open [@x-video].

| District | Houses | Windows broken | Cars damaged |
|---|---|---|---|
| Kharkovskaya-Gora-neighbourhood | 6 | Approximately-forty-in-total | Three-parked-on-the-street |

```
{LONG_LINE}
```

[^figures]: The governor's figures; the city administration gave none.
[^hurt]: As of the evening of 10 June.
"""

RETRACTED_BRIEFING = """---
title: Drone said to hit a Belgorod power station
date: 2023-06-09T12:00:00+03:00
regions: [belgorod-city]
tags: [drones]
corrections:
  - date: 2023-06-09T18:00:00+03:00
    kind: retraction
    text: The video this briefing relied on was filmed in 2022, elsewhere.
citations:
  gladkov-0609:
    source: gladkov-telegram
    url: https://t.me/vvgladkov/3290
    archive: https://web.archive.org/web/20230609/https://t.me/vvgladkov/3290
    credibility: 5
---
A video was said to show a drone striking a power station [@gladkov-0609].
"""

# A word no line can break, in a title (the archive lists it) and a body (a search for
# it shows it in the result's excerpt).
LONG_WORD = "Belgorodskayaoblastnayaadministratsiyapresssluzhba"
LONG_WORD_BRIEFING = f"""---
title: {LONG_WORD} on drone debris
date: 2023-06-08T12:00:00+03:00
regions: [belgorod-city]
citations:
  gladkov-0608:
    source: gladkov-telegram
    url: https://t.me/vvgladkov/3280
    archive: https://web.archive.org/web/20230608/https://t.me/vvgladkov/3280
---
The {LONG_WORD} reported drone debris in the city [@gladkov-0608].
"""

# Every page type of the theme, by the URL path a reader opens (the 404 page at a
# path that does not exist, as a host serves it).
PAGES = {
    "home": "/",
    "home page 2": "/page/2/",
    "briefings": "/briefings/",
    "briefing": "/briefings/kursk-drones/",
    "briefing with footnotes, table and code": "/briefings/readers-check/",
    "retracted briefing": "/briefings/power-station/",
    "regions": "/regions/",
    "region": "/regions/belgorod/",
    "sources": "/sources/",
    "source": "/sources/gladkov-telegram/",
    "source page 2": "/sources/gladkov-telegram/page/2/",
    "tags": "/tags/",
    "tag": "/tags/drones/",
    "archive": "/archive/",
    "corrections": "/corrections/",
    "grading": "/grading/",
    "page": "/pages/about/",
    "search": "/search/",
    "search with results": "/search/?q=drone",
    "search with a long word": f"/search/?q={LONG_WORD}",
    "404": "/no-such-page/",
}
REDIRECT = "/briefings/drone-debris/"  # an alias of the briefing with footnotes
REDIRECT_TARGET = PAGES["briefing with footnotes, table and code"]


class _Host(http.server.SimpleHTTPRequestHandler):
    """The output folder served as a static host serves it: its 404.html for a path
    that names no file."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module", params=["en", "ru"])
def out(make_module_site: Callable[..., Any], request: pytest.FixtureRequest) -> Path:
    """The example site built with two more briefings, a source with a one-letter
    name, and four briefings to a listing page (so that listings have a page 2); in
    English, and in Russian, whose words are longer."""
    site = make_module_site(name="readers")
    shutil.copytree(REPO / "content", site.root / "content", dirs_exist_ok=True)
    with (site.root / "content" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("\nx: {name: X, kind: social-network, reliability: F}\n")  # a short name
    config = site.root / "content" / "site.yaml"
    settings = re.sub(r"(?m)^language:.*$", f"language: {request.param}", config.read_text("utf-8"))
    config.write_text(settings.replace("per_page: 10", "per_page: 4"), "utf-8")
    briefings = site.root / "content" / "briefings" / "2023" / "06"
    (briefings / "readers-check.md").write_text(READERS_BRIEFING, encoding="utf-8")
    (briefings / "power-station.md").write_text(RETRACTED_BRIEFING, encoding="utf-8")
    (briefings / "long-word.md").write_text(LONG_WORD_BRIEFING, encoding="utf-8")
    site.ok("--strict")
    return Path(site.out)


@pytest.fixture(scope="module")
def host(out: Path) -> Iterator[str]:
    with serving(out, _Host) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    with new_tab(browser, TIMEOUT) as page:
        yield page


def _open(tab: Page, host: str, name: str) -> None:
    """``tab`` at page type ``name``, with whatever its scripts show drawn."""
    response = tab.goto(host + PAGES[name])
    assert response is not None
    assert response.status == (404 if name == "404" else 200)
    assert "Charter" in tab.evaluate("getComputedStyle(document.body).fontFamily")  # styled
    if name.startswith("search"):
        tab.wait_for_selector(".pagefind-ui__search-input")
    if name.startswith("search with"):
        tab.wait_for_selector(".pagefind-ui__result-link")
        _results_loaded(tab)


def _open_with_every_filter(tab: Page, host: str, tries: int = 5) -> None:
    """The search page with results, once Pagefind's interface has drawn all five filter
    groups. It draws them once, from the filters loaded by then, and on a busy machine
    it can draw only some of them: the page is opened again until it draws them all."""
    for _ in range(tries):
        _open(tab, host, "search with results")
        try:
            tab.wait_for_function(
                "() => document.querySelectorAll('.pagefind-ui__filter-name').length >= 5",
                timeout=5_000,
            )
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"the search page drew its five filter groups in none of {tries} tries")


def _results_loaded(tab: Page) -> None:
    """Waits until Pagefind has filled in every result it shows (a result loading is a
    placeholder, its text drawn as blocks)."""
    tab.wait_for_function("!document.querySelector('#search .pagefind-ui__loading')")


def _violations_in_every_layout(tab: Page) -> dict[str, list[str]]:
    """axe-core's findings in ``tab`` at each width and colour scheme, by layout."""
    found = {}
    russian = tab.evaluate("document.documentElement.lang") == "ru"
    for width, scheme in RUSSIAN_LAYOUTS if russian else LAYOUTS:
        tab.set_viewport_size({"width": width, "height": 800})
        tab.emulate_media(color_scheme=scheme)
        violations = axe_violations(tab)
        if violations:
            found[f"{width} px, {scheme}"] = violations
    return found


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_at_two_widths_in_both_schemes(tab: Page, host: str, name: str) -> None:
    _open(tab, host, name)
    assert _violations_in_every_layout(tab) == {}


def test_axe_finds_nothing_with_search_filters_open_and_one_chosen(tab: Page, host: str) -> None:
    _open_with_every_filter(tab, host)
    groups = tab.locator(".pagefind-ui__filter-name")
    assert groups.count() == 5  # language, region, source, tag, year
    for index in range(groups.count()):
        groups.nth(index).click()
    before = tab.locator(".pagefind-ui__result-link").count()
    narrowing = tab.evaluate_handle(  # a filter that leaves out some of the results
        """n => [...document.querySelectorAll('.pagefind-ui__filter-checkbox')].find(box =>
            Number((box.labels[0].innerText.match(/\\((\\d+)\\)/) || [])[1]) < n)""",
        before,
    ).as_element()
    assert narrowing is not None
    narrowing.check()
    tab.wait_for_function(
        "n => document.querySelectorAll('.pagefind-ui__result-link').length !== n", arg=before
    )
    _results_loaded(tab)
    assert _violations_in_every_layout(tab) == {}


def test_axe_finds_nothing_on_a_redirect_page(tab: Page, host: str) -> None:
    """The page at an old URL, held: the request its refresh makes for the new URL is
    answered "204 No Content", so the browser stays on it to be checked."""
    tab.route(host + REDIRECT_TARGET, lambda route: route.fulfill(status=204))
    with tab.expect_response(host + REDIRECT_TARGET):
        tab.goto(host + REDIRECT)
    assert tab.url == host + REDIRECT
    assert _violations_in_every_layout(tab) == {}


def test_the_pages_checked_hold_what_trips_readers_up(
    out: Path, html_parser: Callable[[str], Any]
) -> None:
    """What the checks above and below must see: footnotes with back-links, a table
    and a code block too wide for a phone, a correction, a graded citation, a
    retraction, a redirect."""
    body = html_parser((out / "briefings/readers-check/index.html").read_text("utf-8")).main
    assert len(body.find_all("a", cls="footnote-backref")) == 2
    assert body.has("div", cls="table-scroll") and body.has("pre")
    assert body.has("li", cls="correction") and body.has("abbr", cls="credibility")
    retracted = html_parser((out / "briefings/power-station/index.html").read_text("utf-8"))
    assert retracted.main.has(cls="retraction-banner")
    redirect = html_parser((out / REDIRECT.strip("/") / "index.html").read_text("utf-8"))
    assert redirect.find("a").get("href") == "../../briefings/readers-check/"


@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways_at_320_px(tab: Page, host: str, name: str) -> None:
    tab.set_viewport_size({"width": NARROWEST, "height": 640})
    _open(tab, host, name)
    widths = tab.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == NARROWEST
    if name == "briefing with footnotes, table and code":
        frames = tab.eval_on_selector_all(
            ".body .table-scroll, .body pre", "fs => fs.map(f => f.scrollWidth > f.clientWidth)"
        )
        assert frames == [True, True]  # too wide for the page: they scroll inside themselves


def _vnu(files: list[Path]) -> dict[Path, list[str]]:
    """The Nu HTML Checker's errors in ``files``, by file, one line each."""
    assert shutil.which("java"), "install Java: apt-get install default-jre-headless"
    assert VNU.exists(), "install the Nu HTML Checker: npm ci (see .ci/run)"
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[Path, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        file = Path(urllib.parse.unquote(message.get("url", "").removeprefix("file:")))
        found.setdefault(file, []).append(
            f"line {message.get('lastLine')}: {message['message']}"
            f" ({message.get('extract', '').strip()!r})"
        )
    return found


def test_the_nu_html_checker_finds_no_error_in_any_page(out: Path, tmp_path: Path) -> None:
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 60
    assert {"404.html", "briefings/drone-debris/index.html"} <= {
        p.relative_to(out).as_posix() for p in pages
    }
    flawed = tmp_path / "flawed page.html"  # the check can fail: this page's errors are found
    flawed.write_text('<!DOCTYPE html><html lang="en"><title>T</title><p><div>x</p>')
    errors = _vnu([*pages, flawed])
    assert errors.pop(flawed)
    assert errors == {}


def test_footnote_links_are_told_from_the_text_by_more_than_colour(tab: Page, host: str) -> None:
    """axe-core is content with a change of typeface; readers get an underline."""
    _open(tab, host, "briefing with footnotes, table and code")
    lines = tab.eval_on_selector_all(
        ".body .footnote-ref, .body .footnote-backref",
        "links => links.map(a => getComputedStyle(a).textDecorationLine)",
    )
    assert lines == ["underline"] * 4


def test_code_and_wide_tables_print_whole(tab: Page, host: str) -> None:
    """Paper does not scroll: a code block and a table too wide for an A4 page wrap
    instead of being cut at its edge."""
    _open(tab, host, "briefing with footnotes, table and code")
    tab.set_viewport_size({"width": 673, "height": 950})  # A4 less its margins, at 96 dpi
    tab.emulate_media(media="print")
    frames = tab.eval_on_selector_all(
        ".body .table-scroll, .body pre", "fs => fs.map(f => [f.scrollWidth, f.clientWidth])"
    )
    assert len(frames) == 2
    assert all(scrolled <= shown for scrolled, shown in frames), frames


def test_a_regions_page_prints_the_address_of_its_place(tab: Page, host: str) -> None:
    """On paper a link is its address: 'About this place' prints where it leads, as a
    citation's title does."""
    _open(tab, host, "region")
    tab.emulate_media(media="print")
    printed = tab.eval_on_selector("a.about-link", "a => getComputedStyle(a, '::after').content")
    assert "wikipedia.org" in printed, printed


def test_breadcrumb_links_are_big_enough_to_tap(tab: Page, host: str) -> None:
    """24 px tall at least (WCAG 2.5.8), also when the trail wraps at 360 px."""
    tab.set_viewport_size({"width": 360, "height": 800})
    _open(tab, host, "briefing with footnotes, table and code")
    heights = tab.eval_on_selector_all(
        ".breadcrumbs a", "links => links.map(a => a.getBoundingClientRect().height)"
    )
    assert heights and all(height >= 24 for height in heights), heights


def test_a_right_to_left_name_keeps_the_count_after_it_in_its_place(tab: Page, host: str) -> None:
    """A listing's region named in Hebrew: by the Unicode bidi rules, the count after it
    ('· 3 sources') joined its run, and was drawn to its left, unless the name is
    isolated."""
    _open(tab, host, "region")
    found = tab.evaluate(
        r"""() => {
            const link = document.querySelector('.briefing-item .meta a');
            link.textContent = 'עפולה';
            let after = link.nextSibling;
            while (after && (after.nodeType !== Node.TEXT_NODE || !/\d/.test(after.data))) {
                after = after.nextSibling;
            }
            const digit = document.createRange();
            const at = after.data.search(/\d/);
            digit.setStart(after, at);
            digit.setEnd(after, at + 1);
            const name = link.getBoundingClientRect();
            return [name.right, digit.getBoundingClientRect().left];
        }"""
    )
    name_right, digit_left = found
    assert digit_left > name_right, found


@pytest.mark.parametrize("name", ["source", "briefing", "sources", "regions"])
def test_a_right_to_left_page_is_laid_out_from_the_right(tab: Page, host: str, name: str) -> None:
    """With dir="rtl" (an Arabic or Hebrew site), what stands at a line's start in an
    English page stands at its right: a source's numbers, which hung past the right
    edge at 360 px and could not be read, quotes' rules, the tree's guide lines, and
    the columns of the sources' table, which ran together."""
    tab.set_viewport_size({"width": 360, "height": 800})
    _open(tab, host, name)
    found = tab.evaluate(
        """() => {
            document.documentElement.dir = 'rtl';
            const width = document.documentElement.clientWidth;
            const outside = [...document.querySelectorAll('main a, main td, main th')]
                .filter(e => e.getClientRects().length)
                .map(e => e.getBoundingClientRect())
                .filter(r => r.right > width + 0.5 || r.left < -0.5).length;
            const ruled = [...document.querySelectorAll('.quote, .region-tree .region-tree')]
                .map(e => getComputedStyle(e))
                .filter(c => c.direction === 'rtl')  // a quote's own text may be English
                .filter(c => parseFloat(c.borderLeftWidth) || !parseFloat(c.borderRightWidth))
                .length;
            const indented = [...document.querySelectorAll('.cited-items .quote')]
                .map(e => getComputedStyle(e))
                .filter(c => c.direction === 'rtl' && parseFloat(c.marginLeft) > 0).length;
            // A source list's number, drawn at the right, clear of the name beside it.
            const overlapping = [...document.querySelectorAll('li.citation')].filter(li => {
                const number = getComputedStyle(li, '::before').width;
                return parseFloat(getComputedStyle(li).paddingRight) < parseFloat(number);
            }).length;
            const cells = [...document.querySelectorAll('.sources-table th, .sources-table td')]
                .map(e => getComputedStyle(e))
                .filter(c => c.textAlign === 'left').length;
            return {outside, ruled, cells, indented, overlapping};
        }"""
    )
    assert found == {"outside": 0, "ruled": 0, "cells": 0, "indented": 0, "overlapping": 0}


def test_back_links_of_the_source_list_are_big_enough_to_tap(tab: Page, host: str) -> None:
    """24 by 24 px at least (WCAG 2.5.8), however short the source's name beside them."""
    _open(tab, host, "briefing with footnotes, table and code")
    sizes = tab.eval_on_selector_all(
        ".citations .backlinks a",
        "links => links.map(a => a.getBoundingClientRect()).map(r => [r.width, r.height])",
    )
    assert len(sizes) == 2
    assert all(w >= 24 and h >= 24 for w, h in sizes), sizes
