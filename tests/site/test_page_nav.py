"""Standalone pages in the header and footer: their order (weight) and hiding (nav)."""

from __future__ import annotations

SITE = """
-- content/site.yaml --
title: T
base_url: https://example.org/
-- content/briefings/a.md --
---
title: A briefing
date: 2023-06-02
regions: [x]
---
Text.
"""


def page(slug: str, title: str, front: str = "") -> str:
    return f"-- content/pages/{slug}.md --\n---\ntitle: {title}\n{front}---\nAbout {slug}.\n"


def header_pages(site, url_path: str = "/") -> list[str]:
    nav = site.html(url_path).find("nav", cls="site-nav")
    return [a.text for a in nav.links_to("pages/")]


def footer_pages(site, url_path: str = "/") -> list[str]:
    footer = site.html(url_path).find("p", cls="site-footer-links")
    return [a.text for a in footer.links_to("pages/")]


def test_without_weights_pages_are_in_slug_order(make_site):
    site = make_site(SITE, page("b", "Alpha"), page("a", "Zeta"), page("c", "Mu"))
    site.ok("--strict")
    assert header_pages(site) == ["Zeta", "Alpha", "Mu"]
    assert footer_pages(site) == ["Zeta", "Alpha", "Mu"]


def test_weighted_pages_come_first_lightest_first(make_site):
    site = make_site(
        SITE,
        page("about", "About", "weight: 10\n"),
        page("methods", "Methodology", "weight: -5\n"),
        page("contact", "Contact", "weight: 0\n"),
        page("archive-notes", "Archive notes"),
        page("all-sources", "All sources"),
    )
    site.ok("--strict")
    expected = ["Methodology", "Contact", "About", "All sources", "Archive notes"]
    assert header_pages(site) == expected
    assert footer_pages(site) == expected
    assert header_pages(site, "/pages/about/") == expected


def test_equal_weights_are_ordered_by_title_then_slug(make_site):
    site = make_site(
        SITE,
        page("a", "Zeta", "weight: 1\n"),
        page("c", "Beta", "weight: 1\n"),
        page("b", "Beta", "weight: 1\n"),
        page("d", "alpha", "weight: 1\n"),
    )
    site.ok("--strict")
    assert header_pages(site) == ["alpha", "Beta", "Beta", "Zeta"]
    nav = site.html("/").find("nav", cls="site-nav")
    assert [a.get("href") for a in nav.links_to("pages/")][1:3] == ["pages/b/", "pages/c/"]


def test_a_page_with_nav_false_is_built_but_linked_from_no_navigation(make_site):
    site = make_site(
        SITE,
        page("about", "About"),
        page("imprint", "Imprint", "nav: false\nweight: 1\n"),
    )
    site.ok("--strict")
    assert site.exists("/pages/imprint/")
    assert "About imprint." in site.html("/pages/imprint/").main.text
    for url_path in ("/", "/pages/about/", "/pages/imprint/", "/briefings/a/", "/archive/"):
        doc = site.html(url_path)
        assert not doc.links_to("pages/imprint/"), url_path
        assert header_pages(site, url_path) == ["About"]
        assert footer_pages(site, url_path) == ["About"]
    assert "https://example.org/pages/imprint/" in site.text("/sitemap.xml")


def test_nav_true_is_the_default(make_site):
    site = make_site(SITE, page("about", "About", "nav: true\n"))
    site.ok("--strict")
    assert header_pages(site) == ["About"]
