"""Every route of SPEC section 4 exists, as a clean URL, with its content inside <main>."""

from __future__ import annotations

import pytest
from site_corpus import BORDER

PAGES = """
-- content/site.yaml --
title: Сводки с границы
base_url: https://example.org/briefs/
per_page: 2
-- content/pages/about.md --
---
title: О проекте
summary: Who writes these briefings.
---

We publish **short, sourced** briefings. Пишите нам.
-- content/static/robots.txt --
User-agent: *
-- content/static/img/map.svg --
<svg xmlns="http://www.w3.org/2000/svg"></svg>
"""

# (url path, text that must be inside <main>)
ROUTES = [
    ("/", "Drones hit an oil depot in Kursk Oblast"),
    ("/page/2/", "Armed group crosses the border near Graivoron"),
    ("/briefings/shebekino-evacuation/", "Residents left by car and bus"),
    ("/regions/", "Шебекино"),
    ("/regions/belgorod/", "Shebekino shelled; children evacuated"),
    ("/regions/russia/", "Drones hit an oil depot in Kursk Oblast"),
    ("/regions/russia/page/2/", "Armed group crosses the border near Graivoron"),
    ("/regions/shebekino/", "Shebekino shelled; children evacuated"),
    ("/sources/", "Вячеслав Гладков (Telegram)"),
    ("/sources/meduza/", "Жители Шебекино уезжают из города"),
    ("/tags/drones/", "Drones hit an oil depot in Kursk Oblast"),
    ("/archive/", "Armed group crosses the border near Graivoron"),
    ("/pages/about/", "short, sourced"),
    ("/404.html", "Page not found"),
]


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, PAGES)
    site.ok()
    return site


@pytest.mark.parametrize(("path", "needle"), ROUTES)
def test_route_has_its_content_inside_main(site, path, needle):
    assert site.exists(path), f"{path} was not built"
    doc = site.html(path)
    assert needle in doc.main.text


@pytest.mark.parametrize(
    "path", ["/feed.xml", "/regions/belgorod/feed.xml", "/sources/dw/feed.xml"]
)
def test_feed_routes_exist(site, path):
    assert site.text(path).startswith("<?xml")


def test_sitemap_exists(site):
    assert "<urlset" in site.text("/sitemap.xml")


def test_pagination_splits_listings_by_per_page(site):
    first = [a.text for a in site.html("/").main.find_all("h2")]
    second = [a.text for a in site.html("/page/2/").main.find_all("h2")]
    assert first == [
        "Drones hit an oil depot in Kursk Oblast",
        "Shebekino shelled; children evacuated",
    ]
    assert second == ["Armed group crosses the border near Graivoron"]
    assert not site.exists("/page/3/")
    assert not site.exists("/page/1/"), "page 1 of a listing is the listing itself"
    # The pages link to each other, from a navigation after <main>.
    assert site.html("/").find("nav", cls="pagination").links_to("page/2/")
    assert site.html("/page/2/").find("nav", cls="pagination").hrefs()
    assert site.exists("/regions/russia/page/2/")
    assert not site.exists("/regions/belgorod/page/2/")  # two briefings: one page


def test_clean_urls_everywhere(site):
    html_files = [p for p in site.output_files() if p.endswith(".html")]
    assert html_files
    for path in html_files:
        assert path == "404.html" or path.endswith("index.html"), path


def test_site_navigation_is_outside_main(site):
    for path, _ in ROUTES:
        if path == "/404.html":  # its content is a list of places to go
            continue
        doc = site.html(path)
        nav = [
            e for e in doc.find_all()
            if all(e.links_to(p) for p in ("regions/", "sources/", "archive/"))
        ]  # fmt: skip
        assert nav, f"{path} has no site navigation"
        inside = [e for e in doc.main.find_all() if e in nav]
        assert not inside, f"{path}: site navigation inside <main>"


def test_main_holds_no_navigation(site):
    """SPEC: navigation is outside <main>: the breadcrumbs come before it, the links
    between a listing's pages after it, and the archive's list of months is the page's
    own table of contents, not a navigation region."""
    for rel in site.output_files():
        if rel.endswith(".html"):
            doc = site.html("/" + rel)
            assert doc.has("main"), rel
            assert not doc.main.has("nav"), rel
            assert not doc.main.find_all(role="navigation"), rel
    for path in ("/briefings/shebekino-evacuation/", "/regions/shebekino/", "/tags/drones/",
                 "/sources/meduza/"):  # fmt: skip
        assert site.html(path).find("nav", cls="breadcrumbs").hrefs(), path
    for path in ("/", "/page/2/", "/regions/russia/", "/regions/russia/page/2/"):
        assert site.html(path).find("nav", cls="pagination").hrefs(), path
    months = site.html("/archive/").main.find("ul", cls="archive-months")
    assert months.get("aria-label") and months.hrefs()


def test_standalone_page(site):
    doc = site.html("/pages/about/")
    assert doc.main.find("h1").text == "О проекте"
    assert doc.main.find("strong").text == "short, sourced"
    assert "Пишите нам." in doc.main.text


def test_static_files_are_copied_to_the_output_root(site):
    assert site.text("/robots.txt") == "User-agent: *\n"
    assert site.exists("/img/map.svg")


def test_theme_assets_are_copied_to_assets(site):
    stylesheets = [
        link.get("href")
        for link in site.html("/").find_all("link")
        if link.get("rel") == "stylesheet"
    ]
    assert stylesheets
    assert any(p.startswith("assets/") for p in site.output_files())
    for href in stylesheets:
        assert site.file("/" + href).is_file(), f"stylesheet {href} was not copied"


def test_empty_site_builds_every_index(make_site):
    site = make_site("-- content/site.yaml --\ntitle: Empty\n")
    site.ok()
    for path in (
        "/",
        "/regions/",
        "/sources/",
        "/archive/",
        "/feed.xml",
        "/sitemap.xml",
        "/404.html",
    ):
        assert site.exists(path), path


def test_hidden_static_files_are_copied_verbatim(make_site):
    site = make_site(
        """
        -- content/static/.nojekyll --
        -- content/static/.well-known/security.txt --
        Contact: mailto:security@example.org
        """
    )
    site.ok()
    assert site.exists("/.nojekyll")
    assert site.text("/.well-known/security.txt") == "Contact: mailto:security@example.org\n"


def test_a_repository_in_the_static_folder_is_not_published(make_site):
    """A repository or submodule checked out in content/static/ has its own folder (or,
    for a submodule, a file) there: its history and settings are never published."""
    site = make_site(
        """
        -- content/static/.git/config --
        [remote "origin"] url = https://user:token@example.org/site.git
        -- content/static/vendor/lib/.git --
        gitdir: ../../../.git/modules/lib
        -- content/static/vendor/lib/lib.js --
        let a = 1;
        -- content/static/maps/.hg/store --
        x
        """
    )
    site.ok()
    assert site.exists("/vendor/lib/lib.js")
    published = site.output_files()
    assert not [rel for rel in published if ".git" in rel or ".hg" in rel], sorted(published)
