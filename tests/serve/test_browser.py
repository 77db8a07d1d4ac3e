"""Live reload and the problems panel in real headless Chromium (Debian's
/usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chromium import chromium, new_tab
from conftest import FLAWED, REGIONS, SOURCES, Served, briefing, flawed
from playwright.sync_api import Browser, Page

from briefgen.serve.http import LIVE_PATH

TIMEOUT = 10_000  # ms


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_tab(browser, TIMEOUT) as tab:
        yield tab


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


def test_saving_a_briefing_with_a_cyrillic_slug_navigates_to_it(served: Served, page: Page) -> None:
    served.write("content/briefings/сузем.md", briefing("Суземка"))
    served.wait_for("/briefings/%D1%81%D1%83%D0%B7%D0%B5%D0%BC/", "Суземка")
    _open(page, served.url)
    served.write("content/briefings/сузем.md", briefing("Суземка, обновлено"))
    page.wait_for_url(served.url + "briefings/%D1%81%D1%83%D0%B7%D0%B5%D0%BC/")
    page.wait_for_selector("text=Суземка, обновлено")


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


PANEL = "#briefgen-problems"


def _panel_lines(page: Page) -> list[str]:
    return page.locator(f"{PANEL} li").all_inner_texts()


def test_panel_lists_the_pages_problems_and_closes_by_keyboard(served: Served, page: Page) -> None:
    served.write("content/briefings/first.md", flawed())
    served.wait_for("/briefings/first/", "briefgen-problems-data")
    _open(page, served.url + "briefings/first/")
    panel = page.get_by_role("complementary", name="Problems briefgen check reports")
    toggle = panel.get_by_role("button", name="4 warnings")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert _panel_lines(page) == FLAWED
    close = panel.get_by_role("button", name="Dismiss these warnings")
    for _ in range(100):
        if close.evaluate("button => button === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(PANEL, state="detached")
    assert page.evaluate("document.activeElement.id") == "main"
    # A live reload with the same problems keeps it closed...
    served.write("content/briefings/first.md", flawed("\nMore reports came in.\n"))
    page.wait_for_selector("text=More reports came in.")
    page.wait_for_load_state()
    assert page.query_selector(PANEL) is None
    # ...and a new problem brings it back.
    served.write("content/briefings/first.md", flawed("\nSee [also](#gone).\n"))
    page.get_by_role("button", name="5 warnings").wait_for()
    assert (
        "content/briefings/first.md:13: warning: broken link '#gone': page /briefings/first/ "
        "has no anchor '#gone'" in _panel_lines(page)
    )


def test_panel_closes_by_click_and_stays_closed(served: Served, page: Page) -> None:
    served.write("content/briefings/first.md", flawed())
    served.wait_for("/briefings/first/", "briefgen-problems-data")
    _open(page, served.url + "briefings/first/")
    page.click("#briefgen-problems-close")
    page.wait_for_selector(PANEL, state="detached")
    page.reload()
    page.wait_for_load_state()
    assert page.query_selector(PANEL) is None
    assert page.evaluate("document.getElementById('briefgen-problems-data') !== null")


# The texts of the page, outside the panel, that the panel covers where it stands now.
COVERED = """selector => {
  const panel = document.querySelector(selector).getBoundingClientRect();
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const covered = [];
  while (texts.nextNode()) {
    const node = texts.currentNode;
    if (!node.textContent.trim() || node.parentElement.closest(selector)) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.right > panel.left && r.left < panel.right && r.bottom > panel.top &&
          r.top < panel.bottom) covered.push(node.textContent.trim());
    }
  }
  return covered;
}"""


def test_panel_at_360px_hides_no_text_and_shifts_nothing(served: Served, browser: Browser) -> None:
    served.write("content/briefings/first.md", flawed())
    served.wait_for("/briefings/first/", "briefgen-problems-data")
    context = browser.new_context(viewport={"width": 360, "height": 640}, color_scheme="dark")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT)
    _open(tab, served.url + "briefings/first/")
    main = tab.locator("main").bounding_box()
    toggle = tab.get_by_role("button", name="4 warnings")
    assert toggle.get_attribute("aria-expanded") == "false"  # collapsed on a small screen
    assert not tab.locator("#briefgen-problems-list").is_visible()
    box = tab.locator(PANEL).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["height"] <= 80
    background = "getComputedStyle(document.querySelector('{}')).backgroundColor"
    assert tab.evaluate(background.format(PANEL)) == tab.evaluate(background.format("body"))
    # Whatever it covers scrolls out from under it: at the end, no text is under it.
    tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert tab.evaluate(COVERED, PANEL) == []
    toggle.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert _panel_lines(tab) == FLAWED
    opened = tab.locator(PANEL).bounding_box()
    assert opened is not None and opened["height"] <= 640 * 0.4 + 1
    tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    tab.wait_for_function(f"({COVERED})('{PANEL}').length === 0")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not tab.locator("#briefgen-problems-list").is_visible()
    tab.evaluate("window.scrollTo(0, 0)")
    assert tab.locator("main").bounding_box() == main
    tab.evaluate(f"document.querySelector('{PANEL}').remove()")
    tab.evaluate("document.getElementById('briefgen-problems-room').remove()")
    assert tab.locator("main").bounding_box() == main  # the panel moved no content
    context.close()


def test_panel_shows_problem_text_as_text(served: Served, page: Page) -> None:
    key = "<img src=x onerror=window.pwned=1></script><script>window.pwned=1</script>"
    text = briefing("First briefing").replace("regions:", f"'{key}': 1\nregions:")
    served.write("content/briefings/first.md", text)
    served.wait_for("/briefings/first/", "briefgen-problems-data")
    _open(page, served.url + "briefings/first/")
    (line,) = _panel_lines(page)
    assert f"unknown field '{key}'" in line
    assert page.query_selector(f"{PANEL} img, {PANEL} script") is None
    assert page.evaluate("window.pwned") is None


def test_pages_load_their_favicon_and_log_no_error(served: Served, page: Page) -> None:
    """No page asks for a /favicon.ico that is not there: the theme links its own."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ("", "briefings/first/", "regions/belgorod/", "no/such/page/"):
        page.goto(served.url + path)
        icon = page.eval_on_selector("link[rel=icon]", "e => e.href")
        assert icon == served.url + "assets/favicon.svg"
        assert page.request.get(icon).ok
        page.wait_for_timeout(300)  # a browser asks for the icon after the page has loaded
        if path != "no/such/page/":  # that page's own 404 is logged
            assert errors == [], path
