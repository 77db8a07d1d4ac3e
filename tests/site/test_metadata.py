"""What pages tell machines: JSON-LD, Open Graph, descriptions, the favicon, feeds."""

from __future__ import annotations

import json
from collections import Counter

import pytest

BASE = "https://example.org/briefs/"

SITE = """
-- content/site.yaml --
title: Border Watch
base_url: https://example.org/briefs/
language: ru
author: Border Watch Desk
timezone: Europe/Moscow
per_page: 1
-- content/regions.yaml --
russia: {name: Russia}
belgorod: {name: Belgorod Oblast, parent: russia, url: "https://en.wikipedia.org/wiki/Belgorod_Oblast"}
shebekino: {name: Shebekino, parent: belgorod}
-- content/sources.yaml --
gladkov: {name: Vyacheslav Gladkov, url: "https://t.me/vvgladkov", reliability: C}
dw: {name: Deutsche Welle, reliability: B}
-- content/briefings/shelled.md --
---
title: Villages shelled
date: 2023-06-02T09:30
summary: Artillery hit several villages near the border.
regions: [shebekino, russia]
tags: [shelling, Human Rights]
citations:
  g:
    source: gladkov
    url: https://t.me/vvgladkov/1
    title: Post on shelling
    published: 2023-06-02
  v: {source: dw, url: "https://www.dw.com/shelled", title: Villages under fire}
corrections:
  - date: 2023-06-04T10:00
    kind: correction
    text: An earlier version named the wrong *district*.
---
Shelling reported in the district [@g]. Residents left [@v].
-- content/briefings/raid.md --
---
title: "Raid </script><script>alert(1)</script> claimed & denied"
date: 2023-06-03
regions: [belgorod]
citations:
  v: {source: dw, url: "https://www.dw.com/raid"}
---
## Background

A raid on the village was claimed by two groups [@v], though the army denied it.[^1]
Later reports differed.

[^1]: The denial came at night.
-- content/pages/about.md --
---
title: About
---
Who we are. This site collects sourced briefings on the border regions. Write to us.
"""

SHELLED, RAID = "/briefings/shelled/", "/briefings/raid/"
LISTINGS = [
    "/", "/page/2/", "/briefings/", "/regions/", "/regions/belgorod/", "/regions/shebekino/",
    "/sources/", "/sources/dw/", "/tags/", "/tags/shelling/", "/archive/", "/corrections/",
    "/grading/",
]  # fmt: skip
EVERY_PAGE = [SHELLED, RAID, "/pages/about/", "/404.html", *LISTINGS]


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(SITE)
    site.ok()
    return site


def json_ld(doc):
    scripts = [s for s in doc.find_all("script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads("".join(c for c in scripts[0].children if isinstance(c, str)))


def meta(doc, key):
    """The content of every <meta property=key> or <meta name=key>."""
    return [
        m.get("content") for m in doc.find_all("meta") if key in (m.get("property"), m.get("name"))
    ]


def test_a_briefing_is_a_news_article(site):
    article = json_ld(site.html(SHELLED))
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Villages shelled"
    assert article["description"] == "Artillery hit several villages near the border."
    assert article["url"] == article["mainEntityOfPage"] == BASE + "briefings/shelled/"
    assert article["datePublished"] == "2023-06-02T09:30:00+03:00"
    assert article["dateModified"] == "2023-06-04T10:00:00+03:00"  # the correction's date
    assert article["inLanguage"] == "ru"
    assert article["author"] == {"@type": "Organization", "name": "Border Watch Desk"}
    assert article["publisher"] == {"@type": "Organization", "name": "Border Watch", "url": BASE}
    assert article["keywords"] == ["shelling", "Human Rights"]
    assert article["contentLocation"] == [
        {"@type": "Place", "name": "Shebekino"},
        {"@type": "Place", "name": "Russia"},
    ]


def test_every_citation_is_a_creative_work(site):
    citations = json_ld(site.html(SHELLED))["citation"]
    assert citations == [
        {
            "@type": "CreativeWork",
            "name": "Post on shelling",
            "url": "https://t.me/vvgladkov/1",
            "datePublished": "2023-06-02",
            "publisher": {
                "@type": "Organization",
                "name": "Vyacheslav Gladkov",
                "url": "https://t.me/vvgladkov",
            },
        },
        {
            "@type": "CreativeWork",
            "name": "Villages under fire",
            "url": "https://www.dw.com/shelled",
            "publisher": {"@type": "Organization", "name": "Deutsche Welle"},
        },
    ]


def test_corrections_are_correction_comments(site):
    (correction,) = json_ld(site.html(SHELLED))["correction"]
    assert correction == {
        "@type": "CorrectionComment",
        "text": "An earlier version named the wrong district.",
        "datePublished": "2023-06-04T10:00:00+03:00",
        "url": BASE + "briefings/shelled/#correction-1",
    }
    assert "correction" not in json_ld(site.html(RAID))


def test_json_ld_cannot_end_its_script(site):
    text = site.text(RAID)
    assert "</script><script>alert(1)" not in text
    article = json_ld(site.html(RAID))
    assert article["headline"] == "Raid </script><script>alert(1)</script> claimed & denied"
    assert article["dateModified"] == article["datePublished"] == "2023-06-03T00:00:00+03:00"
    assert "keywords" not in article


def test_only_briefings_have_json_ld(site):
    for path in EVERY_PAGE[2:]:
        assert not site.html(path).has("script", type="application/ld+json"), path


def test_open_graph_of_a_briefing(site):
    doc = site.html(SHELLED)
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:title") == ["Villages shelled"]
    assert meta(doc, "og:url") == [BASE + "briefings/shelled/"]
    assert meta(doc, "og:description") == ["Artillery hit several villages near the border."]
    assert meta(doc, "og:site_name") == ["Border Watch"]
    assert meta(doc, "og:locale") == ["ru_RU"]
    assert meta(doc, "twitter:card") == ["summary"]
    assert meta(doc, "article:published_time") == ["2023-06-02T09:30:00+03:00"]
    assert meta(doc, "article:modified_time") == ["2023-06-04T10:00:00+03:00"]
    assert meta(doc, "article:section") == ["Shebekino"]
    assert meta(doc, "article:tag") == ["shelling", "Human Rights"]


@pytest.mark.parametrize("path", [p for p in EVERY_PAGE if p not in (SHELLED, RAID)])
def test_open_graph_of_other_pages(site, path):
    doc = site.html(path)
    assert meta(doc, "og:type") == ["website"]
    assert meta(doc, "og:site_name") == ["Border Watch"]
    assert meta(doc, "og:locale") == ["ru_RU"]
    assert meta(doc, "og:title") and meta(doc, "og:title")[0]
    assert meta(doc, "og:description") == meta(doc, "description")
    assert meta(doc, "twitter:card") == ["summary"]
    assert not meta(doc, "article:published_time")
    canonical = [link.get("href") for link in doc.find_all("link", rel="canonical")]
    if path == "/404.html":
        assert canonical == [] and meta(doc, "og:url") == []
        assert meta(doc, "robots") == ["noindex"]
    else:
        assert canonical == meta(doc, "og:url") == [BASE + path.lstrip("/")]


def test_every_page_has_its_own_description(site):
    """The site has no description of its own: each page says what it holds."""
    descriptions = {path: meta(site.html(path), "description") for path in EVERY_PAGE}
    assert all(len(d) == 1 and d[0].strip() for d in descriptions.values()), descriptions
    counts = Counter(d[0] for d in descriptions.values())
    assert counts.most_common(1)[0][1] == 1, counts


def test_a_listing_says_what_it_lists(site):
    """In the site's language (Russian here), as the rest of the theme's words."""
    assert meta(site.html("/regions/belgorod/"), "description") == [
        "Сводки о регионе Belgorod Oblast и местах в нём, сначала новые."
    ]
    assert meta(site.html("/regions/shebekino/"), "description") == [
        "Сводки о регионе Shebekino, сначала новые."
    ]
    assert meta(site.html("/sources/dw/"), "description") == [
        "Сводки, ссылающиеся на источник Deutsche Welle, сначала новые, и что именно каждая "
        "из них из него приводит."
    ]
    assert meta(site.html("/tags/shelling/"), "description") == [
        "Сводки с тегом «shelling», сначала новые."
    ]
    assert meta(site.html("/page/2/"), "description") == [
        "Последние сводки сайта Border Watch, сначала новые; каждое утверждение подкреплено "
        "ссылкой на источник. Страница 2 из 2."
    ]


def test_without_a_summary_the_first_sentences_describe(site):
    """Citation markers and footnote numbers are left out; a short first sentence is
    followed by the next."""
    expected = "A raid on the village was claimed by two groups, though the army denied it."
    assert meta(site.html(RAID), "description") == [expected]
    assert json_ld(site.html(RAID))["description"] == expected
    assert meta(site.html("/pages/about/"), "description") == [
        "Who we are. This site collects sourced briefings on the border regions."
    ]


def test_a_site_description_is_the_home_page_description(make_site):
    site = make_site(SITE.replace("per_page: 1", "description: Sourced border briefings."))
    site.ok()
    assert meta(site.html("/"), "description") == ["Sourced border briefings."]
    assert meta(site.html("/regions/"), "description") != ["Sourced border briefings."]


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_favicon_is_linked_and_published(site, path):
    icons = site.html(path).find_all("link", rel="icon")
    assert [i.get("type") for i in icons] == ["image/svg+xml"]
    assert site.exists("/assets/favicon.svg")
    assert site.text("/assets/favicon.svg").startswith("<svg")
    assert not site.broken_links(BASE)


def feeds(doc):
    return [
        link.get("href")
        for link in doc.find_all("link", rel="alternate")
        if link.get("type") == "application/atom+xml"
    ]


@pytest.mark.parametrize(
    ("path", "own"),
    [
        (SHELLED, "../../regions/shebekino/feed.xml"),
        (RAID, "../../regions/belgorod/feed.xml"),
        ("/regions/belgorod/", "../../regions/belgorod/feed.xml"),
        ("/sources/dw/", "../../sources/dw/feed.xml"),
        ("/tags/shelling/", "../../tags/shelling/feed.xml"),
        ("/", None),
        ("/pages/about/", None),
    ],
)
def test_pages_announce_the_site_feed_and_their_own(site, path, own):
    found = feeds(site.html(path))
    site_feed = "../" * (path.count("/") - 1) + "feed.xml"
    assert found == [site_feed, *([own] if own else [])]
