"""All text from content is escaped; only rendered Markdown is markup (SPEC section 4)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
TITLE = "<script>alert('title')</script> Обстрел & эвакуация"
SUMMARY = "<script>alert('summary')</script> Итог"
QUOTE = "<script>alert('quote')</script> «Цитата»"
SOURCE = "<script>alert('source')</script> Канал"
REGION = "<script>alert('region')</script> Шебекино"
TAG = "<b>bold-tag</b>"

HOSTILE = f"""
-- content/site.yaml --
title: <i>Site</i> & co
description: <script>alert('description')</script>
base_url: https://example.org/briefs/
-- content/regions.yaml --
shebekino:
  name: "{REGION}"
-- content/sources.yaml --
evil:
  name: "{SOURCE}"
  kind: <em>kind</em>
  description: <script>alert('source-description')</script>
-- content/briefings/hostile.md --
---
title: "{TITLE}"
date: 2023-06-02
summary: "{SUMMARY}"
regions: [shebekino]
tags: ["{TAG}"]
citations:
  post:
    source: evil
    url: https://t.me/evil/1?a=1&b=2
    title: <script>alert('citation-title')</script>
    quote: "{QUOTE}"
    translation: <script>alert('translation')</script>
---

Body text [@post].

<script>alert('body')</script>

<img src="https://example.org/x.png" onerror="alert('onerror')">

<a href="https://example.org/ok" onclick="alert('onclick')">fine link</a>
-- content/briefings/template.md --
---
title: "{{{{ 7*7 }}}} and {{% if true %}}x{{% endif %}}"
date: 2023-06-01
regions: [shebekino]
---

Body {{{{ 7*7 }}}} stays.
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(HOSTILE)
    site.ok()
    return site


def test_no_injected_markup_in_any_page(site, html_parser):
    for rel, data in site.output_files().items():
        if not rel.endswith((".html", ".xml")):
            continue
        text = data.decode("utf-8")
        assert "<script>alert" not in text, rel
        assert "<b>bold-tag</b>" not in text, rel
        assert "<em>kind</em>" not in text, rel
        if rel.endswith(".html"):
            doc = html_parser(text)
            for script in doc.find_all("script"):
                if script.get("type") == "application/ld+json":
                    # Data, not code: JSON in which no '<' can end the element.
                    assert "<" not in script.text and json.loads(script.text), rel
                else:
                    assert "alert" not in script.text, rel
            for element in doc.find_all():
                assert not [a for a in element.attrs if a.startswith("on")], (rel, element)
                assert not (element.get("href") or "").lower().startswith("javascript:"), rel


@pytest.mark.parametrize(
    ("path", "texts"),
    [
        ("/briefings/hostile/", [TITLE, SUMMARY, QUOTE, SOURCE, REGION, TAG]),
        ("/", [TITLE, SUMMARY]),
        ("/archive/", [TITLE]),
        ("/regions/", [REGION]),
        ("/regions/shebekino/", [TITLE, REGION]),
        ("/sources/", [SOURCE, "<em>kind</em>"]),
        ("/sources/evil/", [SOURCE, TITLE, QUOTE]),
        ("/tags/b-bold-tag-b/", [TAG, TITLE]),
    ],
)
def test_content_text_is_shown_literally(site, path, texts):
    main = site.html(path).main.text
    for text in texts:
        assert " ".join(text.split()) in main, (path, text)


def test_page_title_and_meta_are_escaped(site):
    doc = site.html("/briefings/hostile/")
    assert TITLE in doc.find("title").text
    assert "<i>Site</i> & co" in doc.find("title").text


def test_markdown_body_keeps_safe_markup_only(site):
    body = site.html("/briefings/hostile/").main
    assert "Body text" in body.text
    assert "alert('body')" not in body.text
    assert body.has("img", src="https://example.org/x.png")
    assert body.find("a", href="https://example.org/ok").text == "fine link"


def test_javascript_link_in_body_never_reaches_the_output(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [shebekino]
        ---

        [click me](javascript:alert(1))
        """
    )
    result = site.build()
    # writing.md: a body link with any other scheme is an error, at its position.
    assert result.code == 1, result.err
    assert result.errors == [
        "content/briefings/a.md:7:12: error: link or image URL 'javascript:alert(1)' is not "
        "allowed: only http, https and mailto URLs and links within the site"
    ]
    assert not site.out.exists()


def test_an_address_holding_what_no_address_may_is_linked_percent_encoded(make_site):
    """A space copied with an address, a '|' or a '<' in front matter: the page links to
    it as a browser would send it, and an HTML checker takes the page (the feed and the
    JSON-LD carry the same)."""
    site = make_site(
        """
        -- content/regions.yaml --
        shebekino: {name: Shebekino, url: "https://example.org/wiki/Shebekino (town)|x"}
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [shebekino]
        citations:
          g: {url: "https://example.org/a b<c>?q=1|2", title: A post}
        ---
        Text [@g].
        """
    )
    site.ok()
    page = site.text("/briefings/a/")
    assert 'href="https://example.org/a%20b%3Cc%3E?q=1%7C2"' in page
    assert "https://example.org/a b" not in page
    region = site.text("/regions/shebekino/")
    assert 'href="https://example.org/wiki/Shebekino%20(town)%7Cx"' in region


def test_template_syntax_in_content_is_literal(site):
    doc = site.html("/briefings/template/")
    assert doc.main.find("h1").text == "{{ 7*7 }} and {% if true %}x{% endif %}"
    assert "Body {{ 7*7 }} stays." in doc.main.text
    assert "49" not in doc.main.text


@pytest.mark.parametrize(
    "path", ["/feed.xml", "/regions/shebekino/feed.xml", "/sources/evil/feed.xml"]
)
def test_feeds_escape_once(site, path, html_parser):
    root = ET.fromstring(site.file(path).read_bytes())  # well-formed despite the payloads
    entries = {e.findtext(f"{ATOM}title"): e for e in root.iter(f"{ATOM}entry")}
    assert TITLE in entries
    entry = entries[TITLE]
    assert entry.findtext(f"{ATOM}summary") == SUMMARY
    content = entry.find(f"{ATOM}content")
    html = html_parser(content.text or "")
    assert not [s for s in html.find_all("script") if "alert" in s.text]
    assert "Body text" in html.text
    assert SOURCE in html.text


def test_feed_title_of_the_site_is_text(site):
    root = ET.fromstring(site.file("/feed.xml").read_bytes())
    assert root.findtext(f"{ATOM}title") == "<i>Site</i> & co"
    source_feed = ET.fromstring(site.file("/sources/evil/feed.xml").read_bytes())
    assert SOURCE in source_feed.findtext(f"{ATOM}title")
