"""Atom feeds and the sitemap are valid, absolute and complete (SPEC section 4)."""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from site_corpus import BORDER

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/briefs/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

EXTRA = """
-- content/regions.yaml --
russia: {name: Russia}
belgorod: {name: Belgorod Oblast, parent: russia}
shebekino: {name: Шебекино, parent: belgorod}
graivoron: {name: Graivoron, parent: belgorod}
kursk: {name: Kursk Oblast, parent: russia}
bryansk: {name: Bryansk Oblast, parent: russia}
-- content/briefings/2023/06/updated.md --
---
title: Shebekino, updated
date: 2023-06-03
updated: 2023-06-04T09:30:00+03:00
regions: [shebekino]
---

Updated later.
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, EXTRA)
    site.ok()
    return site


def feed_paths(site):
    return sorted("/" + p for p in site.output_files() if p.endswith("feed.xml"))


def parse(site, path):
    return ET.fromstring(site.file(path).read_bytes())


def absolute(url):
    parts = urllib.parse.urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def test_every_listing_has_a_feed(site):
    paths = feed_paths(site)
    assert "/feed.xml" in paths
    for key in ("russia", "belgorod", "shebekino", "graivoron", "kursk", "bryansk"):
        assert f"/regions/{key}/feed.xml" in paths
    for key in ("gladkov-telegram", "meduza", "dw"):
        assert f"/sources/{key}/feed.xml" in paths


def test_every_tag_has_a_feed_of_its_briefings_linked_from_its_page(site):
    for slug, titles in {"drones": 2, "raid": 1, "evacuation": 1}.items():
        feed = parse(site, f"/tags/{slug}/feed.xml")
        assert feed.find(f"{A}id").text == f"{BASE}tags/{slug}/"
        ids = [e.find(f"{A}id").text for e in feed.findall(f"{A}entry")]
        assert len(ids) == titles and all(i.startswith(f"{BASE}briefings/") for i in ids)
        page, href = site.html(f"/tags/{slug}/"), f"../../tags/{slug}/feed.xml"
        assert page.find("link", rel="alternate", title=slug).get("href") == href
        assert page.main.find("a", cls="feed-link").get("href") == href


def test_feeds_are_valid_atom(site):
    for path in feed_paths(site):
        feed = parse(site, path)
        assert feed.tag == f"{A}feed", path
        for name in ("id", "title", "updated"):
            assert (feed.findtext(f"{A}{name}") or "").strip(), (path, name)
        assert absolute(feed.findtext(f"{A}id")), path
        assert RFC3339.match(feed.findtext(f"{A}updated")), (path, feed.findtext(f"{A}updated"))
        # writing.md: the feeds name site.yaml's author, by default the site's title.
        assert feed.findtext(f"{A}author/{A}name") == "Сводки с границы", path
        links = {
            link.get("rel", "alternate"): link.get("href") for link in feed.findall(f"{A}link")
        }
        assert links.get("self") == BASE + path.lstrip("/"), path
        assert absolute(links.get("alternate")), path
        for entry in feed.findall(f"{A}entry"):
            for name in ("id", "title", "updated"):
                assert (entry.findtext(f"{A}{name}") or "").strip(), (path, name)
            assert absolute(entry.findtext(f"{A}id")), path
            for name in ("updated", "published"):
                value = entry.findtext(f"{A}{name}")
                assert value is None or RFC3339.match(value), (path, name, value)
            alternates = [
                link.get("href")
                for link in entry.findall(f"{A}link")
                if link.get("rel", "alternate") == "alternate"
            ]
            assert len(alternates) == 1 and absolute(alternates[0]), path
            content = entry.find(f"{A}content")
            if content is not None and content.get("type") != "html":
                assert content.get("type") in ("text", "xhtml"), path


def test_feed_links_point_at_built_pages(site):
    for path in feed_paths(site):
        feed = parse(site, path)
        urls = [link.get("href") for link in feed.iter(f"{A}link")]
        for url in urls:
            assert url.startswith(BASE), (path, url)
            assert site.exists("/" + url[len(BASE) :]), (path, url)


def test_feed_entries_are_newest_first_with_their_dates(site):
    feed = parse(site, "/regions/shebekino/feed.xml")
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == [
        "Shebekino, updated",
        "Shebekino shelled; children evacuated",
    ]
    updated = entries[0].findtext(f"{A}updated")
    assert updated == "2023-06-04T09:30:00+03:00"  # theme.md: atomdate keeps the offset
    assert entries[0].findtext(f"{A}id") == BASE + "briefings/updated/"
    # the feed's own updated time is its newest entry's, not the build time
    assert feed.findtext(f"{A}updated") == updated


def test_empty_feed_is_valid_and_reproducible(site):
    feed = parse(site, "/regions/bryansk/feed.xml")
    assert feed.findall(f"{A}entry") == []
    assert RFC3339.match(feed.findtext(f"{A}updated"))


def test_feed_content_carries_the_body_and_sources(site, html_parser):
    feed = parse(site, "/feed.xml")
    [entry] = [
        e
        for e in feed.findall(f"{A}entry")
        if e.findtext(f"{A}title") == "Shebekino shelled; children evacuated"
    ]
    content = entry.find(f"{A}content")
    assert content.get("type") == "html"
    html = html_parser(content.text)
    assert "Residents left by car and bus" in html.text
    assert "Вячеслав Гладков (Telegram)" in html.text
    # the quote keeps its language, as on the page: it is not the feed's xml:lang
    quote = html.find("span", lang="ru")
    assert quote is not None and quote.text.startswith("Начинаем вывозить детей")
    base = content.get("{http://www.w3.org/XML/1998/namespace}base") or BASE + (
        "briefings/shebekino-evacuation/"
    )
    for href in html.hrefs():
        target = urllib.parse.urljoin(base, href)
        assert absolute(target), href


def test_sitemap_lists_every_page_with_absolute_locs(site):
    root = parse(site, "/sitemap.xml")
    assert root.tag == f"{SM}urlset"
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(BASE), loc
        assert site.exists("/" + loc[len(BASE) :]), loc
    for page in (
        "",
        "briefings/kursk-drones/",
        "regions/",
        "regions/bryansk/",
        "sources/dw/",
        "archive/",
    ):
        assert BASE + page in locs, page
    assert not [loc for loc in locs if loc.endswith((".xml", "404.html"))]
    pages = {"/" + p[: -len("index.html")] for p in site.output_files() if p.endswith("index.html")}
    pages.remove("/search/")  # a search form, with nothing of its own for a search engine
    assert {"/" + loc[len(BASE) :] for loc in locs} == pages


def test_a_sitemap_of_too_many_pages_is_split_under_an_index(make_site, monkeypatch):
    """sitemaps.org: at most 50,000 URLs a sitemap; the rest in more, named by an index
    at the well-known address. (The limit is cut to 7 here, as a site of 7 pages.)"""
    from briefgen.render import routes

    def page_locs(site, path: str) -> list[str]:
        root = parse(site, path)
        assert root.tag == f"{SM}urlset"
        return [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]

    site = make_site(BORDER, name="whole")
    site.ok("--strict")
    whole = page_locs(site, "/sitemap.xml")
    assert len(whole) > 14
    monkeypatch.setattr(routes, "SITEMAP_URLS", 7)
    split = make_site(BORDER, name="split")
    split.ok("--strict")  # the index's links are checked as the sitemap's are
    index = parse(split, "/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    named = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    count = -(-len(whole) // 7)
    assert named == [f"{BASE}sitemap-{n}.xml" for n in range(1, count + 1)]
    parts = [page_locs(split, f"/sitemap-{n}.xml") for n in range(1, count + 1)]
    assert all(len(part) == 7 for part in parts[:-1]) and 0 < len(parts[-1]) <= 7
    assert [loc for part in parts for loc in part] == whole
    assert not split.exists("/sitemap-0.xml") and not split.exists(f"/sitemap-{count + 1}.xml")


def test_sitemap_dates_each_briefing_by_its_last_change(site):
    """A briefing's page has a lastmod: its 'updated' or latest correction, else its
    date, as a time with its offset (a date is its midnight in the site's time zone),
    as the feeds write it; listings have none, their changes having no one date."""
    root = parse(site, "/sitemap.xml")
    lastmod = {
        u.findtext(f"{SM}loc")[len(BASE) :]: u.findtext(f"{SM}lastmod")
        for u in root.findall(f"{SM}url")
    }
    assert lastmod["briefings/updated/"] == "2023-06-04T09:30:00+03:00"
    briefings = [path for path in lastmod if re.fullmatch(r"briefings/[^/]+/", path)]
    assert len(briefings) > 3
    assert all(RFC3339.fullmatch(lastmod[path] or "") for path in briefings), lastmod
    assert lastmod[""] is None and lastmod["regions/russia/"] is None


def test_sitemap_locs_are_percent_encoded_as_the_protocol_asks(make_site):
    site = make_site(
        """
        -- content/site.yaml --
        title: T
        base_url: https://example.org/
        -- content/regions.yaml --
        ötztal: {name: Ötztal}
        -- content/briefings/a.md --
        ---
        title: Floods
        slug: наводнение-2024
        date: 2024-06-02
        regions: [ötztal]
        tags: [洪水]
        ---
        Text.
        """
    )
    site.ok()
    root = ET.fromstring(site.text("/sitemap.xml"))
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert "https://example.org/regions/%C3%B6tztal/" in locs
    assert "https://example.org/tags/%E6%B4%AA%E6%B0%B4/" in locs
    briefing = "https://example.org/briefings/" + urllib.parse.quote("наводнение-2024") + "/"
    assert briefing in locs
    assert all(loc.isascii() for loc in locs), locs
    for loc in locs:
        assert site.exists(urllib.parse.unquote(loc.removeprefix("https://example.org"))), loc


def test_feed_entries_link_absolutely_where_the_page_links_relatively(make_site, html_parser):
    """Some feed readers ignore xml:base: a feed's copy of a body links within the site
    by absolute address, where the page links relatively. A link to the entry's own
    anchors stays one, and text that reads like a link stays text."""
    site = make_site(
        """
        -- content/site.yaml --
        title: T
        base_url: https://example.org/briefs/
        -- content/static/img/map.png --
        not really a PNG
        -- content/pages/about.md --
        ---
        title: About
        ---
        About us.
        -- content/briefings/2024/06/b.md --
        ---
        title: Earlier
        date: 2024-06-01
        ---
        ## Aftermath

        Earlier text.
        -- content/briefings/2024/06/a.md --
        ---
        title: Floods
        date: 2024-06-02
        ---
        The [earlier briefing](b.md#aftermath), [its page](../../briefings/b/),
        [about us](/pages/about/) and
        [the agency](https://agency.example.net/x?a=1&b=2) tell more.[^1]

        ![A map](/img/map.png)

        Written as `<a href="../b/">` in HTML.

        [^1]: A note.
        """
    )
    site.ok()
    page = site.html("/briefings/a/")
    assert "../../briefings/b/#aftermath" in page.hrefs()  # the page itself links relatively
    feed = ET.fromstring(site.text("/feed.xml"))
    [entry] = [e for e in feed.findall(f"{A}entry") if e.findtext(f"{A}title") == "Floods"]
    html = html_parser(entry.findtext(f"{A}content"))
    hrefs = html.hrefs()
    for expected in (
        "https://example.org/briefs/briefings/b/#aftermath",
        "https://example.org/briefs/briefings/b/",
        "https://example.org/briefs/pages/about/",
        "https://agency.example.net/x?a=1&b=2",
    ):
        assert expected in hrefs
    assert [e.get("src") for e in html.find_all() if e.get("src")] == [
        "https://example.org/briefs/img/map.png"
    ]
    relative = [h for h in hrefs if not absolute(h)]
    assert relative and all(h.startswith("#") for h in relative), relative
    assert '<a href="../b/">' in html.text
