"""Citation cards, markers, footnotes, tables and code in real headless Chromium: by
keyboard alone, by mouse, by touch on a phone-sized screen, without JavaScript, and
checked by axe-core at two widths in both colour schemes. The site is built once and
opened from disk."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import axe_violations, chromium
from playwright.sync_api import Browser, Page, Route

from briefgen import cli

TIMEOUT = 10_000  # ms

SITE = """
-- content/site.yaml --
title: Cards
base_url: https://example.org/
-- content/sources.yaml --
gladkov:
  name: Vyacheslav Gladkov (Telegram)
  reliability: C
reuters:
  name: Reuters
  reliability: B
-- content/briefings/a.md --
---
title: Shelling of border villages
date: 2023-06-02
citations:
  g:
    source: gladkov
    url: https://t.me/vvgladkov/1
    title: Post on shelling
    published: 2023-06-02
    quote: Погибли две женщины.
    lang: ru
    translation: Two women died.
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/1
    credibility: 3
  r:
    source: reuters
    url: https://www.reuters.com/x
    title: Villages evacuated
    published: 2023-06-03
    quote: Thousands of people left the villages near the border overnight.
---
Governor Gladkov reported strikes on several villages [@g]. Thousands left their homes
overnight, and the regional government opened shelters [@g; @r, para. 3].[^1]

| District | Villages | Evacuated overnight (people) | Shelters opened by the government |
|---|---|---|---|
| Shebekino | 12 | Approximately-four-thousand-and-two-hundred | Fourteen-temporary-shelters |

```
evacuated = {"shebekino": 4200, "graivoron": 1100, "valuyki": 300, "total_for_the_region": 5600}
```

[^1]: Figures from the regional government, as reported [@r].
"""

PAGE = "briefings/a/index.html"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("cards")
    for line in textwrap.dedent(SITE).strip().split("-- ")[1:]:
        name, text = line.split(" --\n", 1)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    assert cli.main(["build", "-s", str(root)]) == 0
    return (root / "public" / PAGE).as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _page(browser: Browser, url: str, **options: Any) -> Iterator[Page]:
    context = browser.new_context(**options)
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT)
    tab.goto(url)
    yield tab
    context.close()


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    yield from _page(browser, site_url, viewport={"width": 1280, "height": 800})


def _is_open(page: Page, number: int) -> bool:
    return bool(
        page.evaluate(f"document.getElementById('cite-card-{number}').matches(':popover-open')")
    )


def _focused(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => { const e = document.activeElement;
                return {id: e.id, href: e.getAttribute('href'), text: e.textContent.trim(),
                        card: e.closest('.cite-card') ? e.closest('.cite-card').id : null}; }"""
        )
    )


def _tab_to(page: Page, marker_id: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if _focused(page)["id"] == marker_id:
            return
    raise AssertionError(f"Tab never reached #{marker_id}")


def test_keyboard_alone_opens_a_card_reaches_its_links_and_closes_it(page: Page) -> None:
    _tab_to(page, "cite-ref-1-1")
    assert not _is_open(page, 1)
    page.keyboard.press("Enter")
    assert _is_open(page, 1)
    assert page.get_attribute("#cite-ref-1-1", "aria-expanded") == "true"
    assert page.evaluate("location.hash") == ""  # the card opened instead of jumping
    reached = []
    while not reached or reached[-1] != "In the source list":
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["card"] == "cite-card-1", (reached, focused)
        reached.append(focused["text"])
    assert reached == ["C", "3", "Original", "Archived copy", "Source page", "In the source list"]
    assert _is_open(page, 1)
    # Esc from within the card: closed, and focus is on the marker again.
    page.keyboard.press("Escape")
    assert not _is_open(page, 1)
    assert _focused(page)["id"] == "cite-ref-1-1"
    assert page.get_attribute("#cite-ref-1-1", "aria-expanded") == "false"


def test_tabbing_on_past_a_card_closes_it(page: Page) -> None:
    _tab_to(page, "cite-ref-2-1")
    page.keyboard.press("Enter")
    assert _is_open(page, 2)
    for _ in range(8):
        page.keyboard.press("Tab")
        if _focused(page)["card"] is None:
            break
    assert not _is_open(page, 2)


def test_markers_are_named_for_screen_readers(page: Page) -> None:
    names = page.eval_on_selector_all(
        ".body a.cite-ref", "ms => ms.map(m => m.getAttribute('aria-label'))"
    )
    assert names[:3] == [
        "Source 1: Vyacheslav Gladkov (Telegram)",
        "Source 1: Vyacheslav Gladkov (Telegram)",
        "Source 2: Reuters",
    ]
    assert page.get_attribute("#cite-ref-1-1", "aria-controls") == "cite-card-1"
    assert page.get_attribute("#cite-card-1", "role") == "dialog"


def test_hover_opens_after_a_delay_and_the_card_stays_under_the_pointer(page: Page) -> None:
    marker = page.locator("#cite-ref-2-1").bounding_box()
    assert marker is not None
    page.mouse.move(marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] / 2)
    assert not _is_open(page, 2)  # not at once: a pointer passing over opens nothing
    page.wait_for_function("document.getElementById('cite-card-2').matches(':popover-open')")
    card = page.locator("#cite-card-2").bounding_box()
    assert card is not None
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + card["height"] / 2, steps=5)
    page.wait_for_timeout(800)
    assert _is_open(page, 2)
    page.mouse.move(5, 790)
    page.wait_for_function("!document.getElementById('cite-card-2').matches(':popover-open')")


def test_click_opens_and_a_click_elsewhere_closes(page: Page) -> None:
    page.click("#cite-ref-1-2")
    assert _is_open(page, 1)
    assert page.evaluate("location.hash") == ""
    page.mouse.click(5, 790)
    assert not _is_open(page, 1)


def test_a_card_opens_from_the_markers_start_edge_in_either_direction(page: Page) -> None:
    """Over the text still to come: from the marker's left in an English page, from its
    right in an Arabic or Hebrew one, where it covered the text already read."""
    edges = {}
    for direction in ("ltr", "rtl"):
        page.evaluate(f"document.documentElement.dir = '{direction}'")
        page.click("#cite-ref-1-2")
        marker = page.locator("#cite-ref-1-2").bounding_box()
        card = page.locator("#cite-card-1").bounding_box()
        assert marker is not None and card is not None
        edges[direction] = (marker, card)
        page.mouse.click(5, 790)
    marker, card = edges["ltr"]
    assert card["x"] <= marker["x"] < card["x"] + card["width"] / 2
    marker, card = edges["rtl"]
    marker_end, card_end = marker["x"] + marker["width"], card["x"] + card["width"]
    assert card["x"] + card["width"] / 2 < marker_end <= card_end


def test_on_a_phone_a_tap_opens_a_bottom_sheet(browser: Browser, site_url: str) -> None:
    options = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
    for tab in _page(browser, site_url, **options):
        tab.tap("#cite-ref-1-1")
        assert _is_open(tab, 1)
        box = tab.locator("#cite-card-1").bounding_box()
        assert box is not None
        assert (box["x"], box["width"]) == (0, 360)
        assert abs(box["y"] + box["height"] - 740) < 1  # on the bottom edge
        assert box["y"] >= 0
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360


def test_on_a_phone_the_sheet_leaves_the_marker_that_opened_it_in_sight(
    browser: Browser, site_url: str
) -> None:
    """A marker near the bottom of the screen is scrolled up above the sheet it opens:
    it keeps the focus, and must not be hidden (WCAG 2.4.11)."""
    options = {"viewport": {"width": 360, "height": 500}, "has_touch": True, "is_mobile": True}
    for tab in _page(browser, site_url, **options):
        tab.evaluate(
            """() => { const m = document.getElementById('cite-ref-1-1');
                window.scrollBy(0, m.getBoundingClientRect().top - (innerHeight - 40)); }"""
        )
        tab.tap("#cite-ref-1-1")
        assert _is_open(tab, 1)
        marker = tab.locator("#cite-ref-1-1").bounding_box()
        card = tab.locator("#cite-card-1").bounding_box()
        assert marker is not None and card is not None
        assert marker["y"] >= 0 and marker["y"] + marker["height"] <= card["y"], (marker, card)


def test_markers_never_break_and_are_big_enough_to_tap(browser: Browser, site_url: str) -> None:
    for tab in _page(browser, site_url, viewport={"width": 360, "height": 740}):
        lines = tab.eval_on_selector_all(
            ".body .cite",
            "gs => gs.map(g => new Set([...g.getClientRects()].map(r => r.top)).size)",
        )
        assert lines and set(lines) == {1}
        sizes = tab.eval_on_selector_all(
            ".body a.cite-ref",
            "ms => ms.map(m => m.getBoundingClientRect()).map(r => [r.width, r.height])",
        )
        assert all(w >= 24 and h >= 24 for w, h in sizes), sizes


def test_footnotes_and_citations_are_told_apart(page: Page) -> None:
    citation = page.evaluate(
        """() => { const group = document.querySelector('.body a.cite-ref').parentElement;
            return [getComputedStyle(group).verticalAlign, group.textContent.trim()[0]]; }"""
    )
    footnote = page.evaluate(
        """() => { const m = document.querySelector('.body a.footnote-ref');
            return [getComputedStyle(m.parentElement).verticalAlign,
                    getComputedStyle(m).fontStyle]; }"""
    )
    assert citation == ["baseline", "["]  # a bracketed number on the line
    assert footnote == ["super", "italic"]  # a small raised number


def test_without_javascript_a_marker_jumps_to_the_source_list(
    browser: Browser, site_url: str
) -> None:
    for tab in _page(browser, site_url, java_script_enabled=False):
        assert tab.locator("#cite-card-1").count() == 1
        assert not tab.locator("#cite-card-1").is_visible()
        tab.click("#cite-ref-1-1")
        assert tab.evaluate("location.hash") == "#cite-1"


def test_a_narrow_page_never_scrolls_sideways(browser: Browser, site_url: str) -> None:
    for tab in _page(browser, site_url, viewport={"width": 320, "height": 640}):
        assert tab.evaluate("document.documentElement.scrollWidth") <= 320
        frames = tab.eval_on_selector_all(
            ".body .table-scroll, .body pre", "fs => fs.map(f => f.scrollWidth > f.clientWidth)"
        )
        assert frames == [True, True]  # they scroll, inside themselves
        tab.focus(".body .table-scroll")
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function("document.querySelector('.body .table-scroll').scrollLeft > 0")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing(browser: Browser, site_url: str, width: int, scheme: str) -> None:
    options = {"viewport": {"width": width, "height": 800}, "color_scheme": scheme}
    for tab in _page(browser, site_url, **options):
        assert axe_violations(tab) == []
        _tab_to(tab, "cite-ref-1-1")
        tab.keyboard.press("Enter")
        assert _is_open(tab, 1)
        assert axe_violations(tab) == []  # with a card open, too


def test_cards_work_under_a_strict_content_security_policy(browser: Browser, site_url: str) -> None:
    """No inline script, handler or style attribute: a site may forbid them all."""
    out = Path(site_url.removeprefix("file://")).parents[2]
    policy = "default-src 'self'; base-uri 'none'; object-src 'none'"

    def serve(route: Route) -> None:
        rel = route.request.url.removeprefix("https://cards.test/")
        path = out / (rel + "index.html" if rel.endswith("/") or not rel else rel)
        kind = {".js": "text/javascript", ".css": "text/css"}.get(path.suffix, "text/html")
        route.fulfill(
            body=path.read_bytes(), content_type=kind, headers={"Content-Security-Policy": policy}
        )

    context = browser.new_context()
    context.route("https://cards.test/**", serve)
    tab = context.new_page()
    refused: list[str] = []
    tab.on(
        "console",
        lambda message: refused.append(message.text) if "Refused" in message.text else None,
    )
    tab.goto("https://cards.test/briefings/a/")
    tab.click("#cite-ref-1-1")
    assert _is_open(tab, 1)
    tab.mouse.click(5, 5)
    assert not _is_open(tab, 1)
    assert refused == []
    context.close()
