"""Live reload in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REGIONS, SOURCES, Served, briefing
from playwright.sync_api import Browser, Page, sync_playwright

from briefgen.serve.http import LIVE_PATH

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 10_000  # ms


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (see .ci/run)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT)
    yield tab
    context.close()


def _open(page: Page, url: str) -> None:
    """Go to ``url`` and wait until the page's event stream is open (the server has
    answered it), so no edit can slip past it."""
    with page.expect_response(lambda response: LIVE_PATH in response.url):
        page.goto(url)


def test_edit_appears_without_touching_the_browser(served: Served, page: Page) -> None:
    _open(page, served.url + "briefings/first/")
    served.write("content/briefings/first.md", briefing("First briefing", "Evacuation ordered"))
    page.wait_for_selector("text=Evacuation ordered")
    assert page.url == served.url + "briefings/first/"


def test_typo_shows_overlay_and_fix_clears_it(served: Served, page: Page) -> None:
    _open(page, served.url + "briefings/first/")
    served.write("content/briefings/first.md", briefing("First").replace("[@g]", "[@typo]"))
    overlay = page.wait_for_selector("#briefgen-overlay")
    assert "content/briefings/first.md:8:20: error: citation 'typo'" in overlay.inner_text()
    assert "First briefing" in page.inner_text("main")  # the last good page stays
    served.write("content/briefings/first.md", briefing("First, fixed"))
    page.wait_for_selector("text=First, fixed")
    assert page.query_selector("#briefgen-overlay") is None


def test_overlay_shows_in_pages_opened_while_broken(served: Served, page: Page) -> None:
    served.write("content/briefings/first.md", "---\ntitle: [unclosed\n---\n")
    served.wait_for("/", "invalid YAML")
    page.goto(served.url)
    overlay = page.wait_for_selector("#briefgen-overlay")
    assert "content/briefings/first.md:" in overlay.inner_text()


def test_saving_another_briefing_navigates_to_it(served: Served, page: Page) -> None:
    _open(page, served.url)
    served.write("content/briefings/second.md", briefing("Second, updated", date="2023-06-01"))
    page.wait_for_url(served.url + "briefings/second/")
    page.wait_for_selector("text=Second, updated")


def test_reload_keeps_the_scroll_position(served: Served, page: Page) -> None:
    long_text = "\n\n".join(f"Paragraph {n} of a long report" for n in range(200))
    served.write("content/briefings/first.md", briefing("First", long_text))
    served.wait_for("/briefings/first/", "Paragraph 199")
    _open(page, served.url + "briefings/first/")
    page.evaluate("window.scrollTo(0, 1500)")
    page.wait_for_function("window.scrollY === 1500")
    served.write("content/briefings/first.md", briefing("First", long_text + "\n\nThe end"))
    page.wait_for_selector("text=The end", state="attached")
    page.wait_for_function("window.scrollY === 1500")


def test_css_change_swaps_stylesheets_without_a_reload(served: Served, page: Page) -> None:
    served.write("templates/assets/style.css", "body { background: rgb(255, 0, 0); }\n")
    served.wait_for("/assets/style.css", "255, 0, 0")
    _open(page, served.url)
    page.evaluate("window.notReloaded = true")
    served.write("templates/assets/style.css", "body { background: rgb(0, 0, 255); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(0, 0, 255)'")
    assert page.evaluate("window.notReloaded") is True


def test_hidden_tabs_drop_their_connection(served: Served, browser: Browser) -> None:
    """Many tabs in the background must not hold one connection each."""
    context = browser.new_context()
    tabs = [context.new_page() for _ in range(8)]
    for tab in tabs:
        tab.goto(served.url)
        tab.evaluate(
            "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
            "document.dispatchEvent(new Event('visibilitychange'))"
        )
    # With eight hidden tabs' streams closed, ordinary requests still get through at once.
    front = context.new_page()
    front.set_default_timeout(TIMEOUT)
    _open(front, served.url + "briefings/first/")
    served.write("content/briefings/first.md", briefing("First briefing", "Still live"))
    front.wait_for_selector("text=Still live")
    context.close()


def test_a_site_built_with_file_urls_is_clicked_through_from_disk(
    make_site: Any, page: Page
) -> None:
    """publishing.md: a zip of the site, opened from disk, works without a server."""
    site = make_site(
        "-- content/site.yaml --\ntitle: On disk\nbase_url: https://example.org/briefs/\n",
        "-- content/regions.yaml --\n" + REGIONS,
        "-- content/sources.yaml --\n" + SOURCES,
        "-- content/pages/about.md --\n---\ntitle: About\n---\nBack to [the start](/).\n",
        "-- content/briefings/first.md --\n"
        + briefing("First briefing", "See [us](/pages/about/)"),
    )
    site.ok("--file-urls")
    home = (site.out / "index.html").as_uri()
    page.goto(home)
    # the stylesheet loaded: the skip link is moved out of sight
    assert page.eval_on_selector("a.skip", "e => getComputedStyle(e).position") == "absolute"
    page.click("main >> text=First briefing")
    page.wait_for_url(home.removesuffix("index.html") + "briefings/first/index.html")
    assert page.inner_text("h1") == "First briefing"
    page.click("main >> text=Belgorod Oblast")  # the region, from the breadcrumbs
    page.wait_for_url("**/regions/belgorod/index.html")
    assert "First briefing" in page.inner_text("main")
    page.go_back()
    page.click("main a:text-is('us')")  # written in the body as /pages/about/
    page.wait_for_url("**/pages/about/index.html")
    page.click("main >> text=the start")
    page.wait_for_url(home)
    assert page.inner_text("h1") == "Latest briefings"
