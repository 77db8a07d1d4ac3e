"""A site replaces one block of base.html, or the one citation macro, and keeps the
rest of the bundled theme (docs/theme.md, "Extending the bundled template")."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from site_corpus import BORDER

BASE = "https://example.org/briefs/"
ATOM = "{http://www.w3.org/2005/Atom}"

ABOUT = """
-- content/pages/about.md --
---
title: About
---
Who writes these briefings.
"""

# One page of every kind, and a text its <main> shows.
PAGES = {
    "/": "Latest briefings",
    "/briefings/shebekino-evacuation/": "Shebekino shelled; children evacuated",
    "/regions/": "Belgorod Oblast",
    "/regions/belgorod/": "Armed group crosses the border near Graivoron",
    "/sources/": "Deutsche Welle",
    "/sources/meduza/": "Drones hit an oil depot in Kursk Oblast",
    "/tags/": "evacuation",
    "/tags/drones/": "Shebekino shelled; children evacuated",
    "/archive/": "June 2023",
    "/pages/about/": "Who writes these briefings.",
    "/404.html": "Page not found",
}

OWN_NAV = """
-- templates/base.html --
{% extends "default/base.html" %}
{% block nav %}
<nav class="site-nav" aria-label="Site"><ul>
  <li><a id="own-nav" href="{{ url(paths.archive()) }}">Все сводки по месяцам</a></li>
</ul></nav>
{% endblock %}
"""

OWN_FOOTER = """
-- templates/base.html --
{% extends "default/base.html" %}
{% block footer %}
<footer class="site-footer" id="own-footer">
  <p>Редакция: <a href="{{ url(paths.page('about')) }}">о нас</a></p>
</footer>
{% endblock %}
"""

OWN_CITATION = """
-- templates/partials/citation.html --
{% macro citation_item(c, site, briefing_link=none, feed=false) %}
<li class="own-citation" data-key="{{ c.key }}"
  {%- if briefing_link is none %} id="{{ citation_id(c.number) }}"{% endif %}>
  {%- if briefing_link is not none -%}
    <a href="{{ briefing_link }}#{{ citation_id(c.number) }}">[{{ c.number }}]</a>{{ " " }}
  {%- endif -%}
  Своя цитата: {{ c.title }}</li>
{%- endmacro %}
"""

OWN_HEAD = """
-- templates/base.html --
{% extends "default/base.html" %}
{% block head %}<meta name="x-theme" content="site-head">{% endblock %}
"""


@pytest.fixture(scope="module")
def nav_site(make_module_site):
    site = make_module_site(BORDER, ABOUT, OWN_NAV)
    site.ok()
    return site


@pytest.fixture(scope="module")
def footer_site(make_module_site):
    site = make_module_site(BORDER, ABOUT, OWN_FOOTER)
    site.ok()
    return site


@pytest.fixture(scope="module")
def citation_site(make_module_site):
    site = make_module_site(BORDER, OWN_CITATION)
    result = site.ok()
    assert result.warnings == [], result.err  # every marker still finds its entry
    return site


def assert_bundled_header(doc, path):
    header = doc.find("header", cls="site-header")
    assert header.find("a", cls="site-title").text == "Сводки с границы", path
    assert doc.find("a", cls="skip").get("href") == "#main", path


def assert_bundled_nav(doc, path):
    nav = doc.find("header", cls="site-header").find("nav", cls="site-nav")
    assert [a.text for a in nav.find_all("a")] == [
        "Latest", "Regions", "Sources", "Tags", "Archive", "About"
    ], path  # fmt: skip


def assert_bundled_footer(doc, path):
    footer = doc.find("footer", cls="site-footer")
    assert "Every claim is linked to its source." in footer.text, path
    assert footer.links_to("feed.xml"), path


def assert_main(doc, path):
    assert PAGES[path] in doc.main.text, path
    assert not doc.main.has("nav", cls="site-nav"), path
    assert not doc.main.has("footer", cls="site-footer"), path


@pytest.mark.parametrize("path", PAGES)
def test_own_nav_block_replaces_the_navigation_of_every_page(nav_site, path):
    doc = nav_site.html(path)
    header = doc.find("header", cls="site-header")
    navs = doc.find_all("nav", cls="site-nav")
    assert len(navs) == 1 and navs[0] in header.iter(), path
    own = navs[0].find("a", id="own-nav")
    assert own.text == "Все сводки по месяцам"
    assert not header.links_to("regions/"), "the bundled navigation is still there"
    assert_bundled_header(doc, path)
    assert_bundled_footer(doc, path)
    assert_main(doc, path)


def test_own_nav_links_work_from_every_page(nav_site):
    assert nav_site.broken_links(BASE) == []


@pytest.mark.parametrize("path", PAGES)
def test_own_footer_block_replaces_the_footer_of_every_page(footer_site, path):
    doc = footer_site.html(path)
    footers = doc.find_all("footer", cls="site-footer")
    assert len(footers) == 1 and footers[0].get("id") == "own-footer", path
    assert footers[0].text == "Редакция: о нас"
    assert "Every claim is linked to its source." not in doc.text, path
    assert_bundled_header(doc, path)
    assert_bundled_nav(doc, path)
    assert_main(doc, path)


def test_own_footer_links_work_from_every_page(footer_site):
    assert footer_site.broken_links(BASE) == []


def test_own_citation_item_in_the_briefing_source_list(citation_site):
    doc = citation_site.html("/briefings/shebekino-evacuation/")
    items = doc.main.find("section", cls="sources").find("ol").find_all("li")
    assert [(li.get("id"), li.classes, li.get("data-key")) for li in items] == [
        ("cite-1", ["own-citation"], "gladkov-0602"),
        ("cite-2", ["own-citation"], "meduza-0602"),
    ]
    assert items[0].text == "Своя цитата: Пост об обстреле Шебекино"
    assert not doc.has(cls="backlinks"), "the bundled item is still used"
    # the rest of the briefing page is the bundled one
    assert doc.main.find("h1").text == "Shebekino shelled; children evacuated"
    assert doc.main.find("h2", id="sources-heading").text == "Sources"
    assert doc.main.find("footer", cls="briefing-footer").links_to("tags/drones/")


def test_own_citation_item_on_the_source_page(citation_site):
    doc = citation_site.html("/sources/meduza/")
    items = [li for ul in doc.main.find_all("ul", cls="cited-items") for li in ul.find_all("li")]
    assert [(li.classes, li.get("data-key")) for li in items] == [
        (["own-citation"], "meduza-0605"),
        (["own-citation"], "meduza-0602"),
    ]
    number = items[1].find("a")
    assert number.text == "[2]"
    assert number.get("href") == "../../briefings/shebekino-evacuation/#cite-2"
    assert items[1].text == "[2] Своя цитата: Жители Шебекино уезжают из города"
    assert doc.main.find("h1").text == "Meduza"


FEEDS = ["/feed.xml", "/regions/belgorod/feed.xml", "/sources/meduza/feed.xml"]


@pytest.mark.parametrize("path", FEEDS)
def test_own_citation_item_in_the_feeds(citation_site, html_parser, path):
    feed = ET.fromstring(citation_site.file(path).read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert entries, path
    for entry in entries:
        content = html_parser(entry.find(f"{ATOM}content").text)
        items = content.find("ol").find_all("li")
        assert items, path
        for li in items:
            assert li.classes == ["own-citation"], (path, li)
            assert li.text.startswith("Своя цитата: "), (path, li)
        assert entry.find(f"{ATOM}title").text in {
            "Shebekino shelled; children evacuated",
            "Armed group crosses the border near Graivoron",
            "Drones hit an oil depot in Kursk Oblast",
        }


def test_own_citation_item_leaves_links_working(citation_site):
    assert citation_site.broken_links(BASE) == []


@pytest.fixture(scope="module")
def head_site(make_module_site):
    site = make_module_site(BORDER, ABOUT, OWN_HEAD)
    site.ok()
    return site


@pytest.mark.parametrize("path", PAGES)
def test_own_head_block_reaches_every_page(head_site, path):
    doc = head_site.html(path)
    themes = [m.get("content") for m in doc.find_all("meta") if m.get("name") == "x-theme"]
    assert themes == ["site-head"], path


@pytest.mark.parametrize("path", ["/regions/belgorod/", "/sources/meduza/"])
def test_pages_with_their_own_feed_keep_its_link_beside_the_own_head(head_site, path):
    doc = head_site.html(path)
    feeds = [link.get("href") for link in doc.find_all("link") if link.get("rel") == "alternate"]
    assert feeds[1:] == [f"../..{path}feed.xml"], feeds


def test_a_template_no_page_uses_is_told_of_with_the_name_it_may_mean(make_site):
    """A misspelt override ('briefng.html') replaces nothing and went unnoticed. One the
    theme has, or one a template includes, imports or extends, is used."""
    site = make_site(
        BORDER,
        """
        -- templates/briefng.html --
        {% extends "default/briefing.html" %}
        -- templates/page.html --
        {% extends "default/page.html" %}
        {% block main %}{% include "partials/mine.html" %}{{ super() }}{% endblock %}
        -- templates/partials/mine.html --
        <p>Mine.</p>
        -- templates/partials/paginaton.html --
        <nav>x</nav>
        """,
    )
    warned = [w for w in site.ok().warnings if w.startswith("templates/")]
    said = (
        "warning: no page uses this template: the theme has none of its name to replace, "
        "and no template includes, imports or extends it"
    )
    assert warned == [
        f"templates/briefng.html:1: {said} (did you mean 'briefing.html' or 'briefings.html' "
        "or 'grading.html'?)",
        f"templates/partials/paginaton.html:1: {said} (did you mean 'partials/pagination.html' "
        "or 'partials/citation.html' or 'partials/grading.html'?)",
    ]


def documented_fields(kind: str) -> list[str]:
    """The fields docs/theme.md lists for ``kind`` ('Briefing'), from its table's first
    column."""
    text = (Path(__file__).parents[2] / "docs/theme.md").read_text(encoding="utf-8")
    table = text.split(f"#### {kind}\n", 1)[1].split("\n#### ", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return [name for row in rows for name in re.findall(r"`(\w+)`", row)]


def test_every_field_the_theme_guide_documents_is_there_for_a_template(make_site):
    """A template may read what docs/theme.md says it can: each documented field of a
    briefing and of its citations is defined on a page that shows one."""
    briefing, citation = documented_fields("Briefing"), documented_fields("Citation")
    assert "html" in briefing and "credibility" in citation
    shown = "".join(f"<li>briefing.{f}={{{{ briefing.{f} is defined }}}}</li>" for f in briefing)
    shown += "".join(
        f"<li>citation.{f}={{{{ briefing.citations[0].{f} is defined }}}}</li>" for f in citation
    )
    site = make_site(
        BORDER,
        f"""
        -- templates/briefing.html --
        {{% extends "default/briefing.html" %}}
        {{% block main %}}{{{{ super() }}}}<ul>{shown}</ul>{{% endblock %}}
        """,
    )
    site.ok()
    text = site.text("/briefings/shebekino-evacuation/")
    assert re.findall(r"(\w+\.\w+)=False", text) == []
    assert len(re.findall(r"\w+\.\w+=True", text)) == len(briefing) + len(citation)
