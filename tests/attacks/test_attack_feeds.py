"""Feeds and sitemaps are XML: text XML 1.0 forbids must be a located content error.

A character such as U+000B, U+0000, U+0008 or U+FFFE cannot be written in XML at all,
not even as a character reference, so a build that publishes it makes a feed no
reader will parse. Such text is an error naming its file, line and column (exit 1).
Unusual but legal text (emoji, right-to-left scripts, '<', '&', ']]>') must give
feeds and sitemaps that parse, and say what the author wrote.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from attack_kit import REGIONS, SOURCES, A, assert_located_error, briefing, build, make_site

ATOM = "{http://www.w3.org/2005/Atom}"

BAD_TEXT = {
    "title-vertical-tab": ({A: briefing('"Villages\\vshelled"')}, A),
    "title-nul": ({A: briefing('"Villages\\0shelled"')}, A),
    "title-backspace": ({A: briefing('"Villages\\bshelled"')}, A),
    "title-uFFFE": ({A: briefing('"Villages\\uFFFEshelled"')}, A),
    "summary-vertical-tab": ({A: briefing(front='summary: "Short\\vsummary"\n')}, A),
    "quote-backspace": ({A: briefing(citation='    quote: "He said\\bno"\n')}, A),
    "quote-nul": ({A: briefing(citation='    quote: "He said\\0no"\n')}, A),
    "tag-vertical-tab": ({A: briefing(front='tags: ["dro\\vnes"]\n')}, A),
    "source-name": (
        {"content/sources.yaml": 'gladkov: {name: "Vyacheslav\\x01Gladkov"}\n'},
        "content/sources.yaml",
    ),
    "region-name": (
        {"content/regions.yaml": REGIONS.replace("Belgorod Oblast", '"Belgorod\\x02Oblast"')},
        "content/regions.yaml",
    ),
    "site-title": (
        {"content/site.yaml": 'title: "Border\\vWatch"\nbase_url: https://example.org/\n'},
        "content/site.yaml",
    ),
    "body-raw-form-feed": ({A: briefing(body="Shelling\x0creported [@g].\n")}, A),
    "body-entity-x1": ({A: briefing(body="Shelling&#x1;reported [@g].\n")}, A),
    "body-entity-xB": ({A: briefing(body="Shelling &#11; reported [@g].\n")}, A),
}


@pytest.mark.parametrize(("files", "where"), BAD_TEXT.values(), ids=list(BAD_TEXT))
def test_text_xml_cannot_hold_is_a_located_error(
    tmp_path: Path, files: dict[str, str | bytes], where: str
) -> None:
    site = make_site(tmp_path / "site", files)
    result = build(site)
    assert_located_error(result, where)
    assert not (site / "public").exists()


def test_text_xml_cannot_hold_fails_a_later_build_and_keeps_the_feeds_valid(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site")
    assert build(site).code == 0
    before = (site / "public/feed.xml").read_bytes()
    (site / A).write_text(briefing('"Villages\\vshelled"'))
    result = build(site)
    assert_located_error(result, A)
    assert (site / "public/feed.xml").read_bytes() == before


UNUSUAL_TITLE = "Shelling <b>&amp; drones</b> ]]> 🚀 — قصف القرى & ירי בכפרים"
UNUSUAL_QUOTE = "He wrote ]]><![CDATA[ & <script>x</script> 👍 «أسوأ يوم»"


def test_unusual_legal_text_gives_feeds_and_sitemap_that_parse(tmp_path: Path) -> None:
    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    site = make_site(
        tmp_path / "site",
        {
            "content/site.yaml": "title: 'Watch <&> ]]> 🛰'\nbase_url: https://example.org/\n",
            "content/sources.yaml": SOURCES.replace("Vyacheslav Gladkov", "'Гладков <&> ]]>'"),
            "content/regions.yaml": REGIONS.replace("Belgorod Oblast", "'בלגורוד & ]]>'"),
            A: briefing(
                quoted(UNUSUAL_TITLE),
                "Text with ]]> and <em>emphasis</em> & an emoji 🚀, עברית [@g].\n",
                front=f"summary: {quoted('Summary ]]> <tag> & مرحبا')}\n"
                "tags: ['Drones & <Missiles>', 'ракеты]]>']\n",
                citation=f"    quote: {quoted(UNUSUAL_QUOTE)}\n    title: 'Post ]]> <1>'\n",
            ),
        },
    )
    result = build(site)
    assert result.code == 0, result.err

    feeds = sorted((site / "public").rglob("*.xml"))
    assert len(feeds) >= 4  # feed.xml, a region's, a source's, sitemap.xml
    for path in feeds:
        try:
            ET.parse(path)
        except ET.ParseError as exc:
            raise AssertionError(f"{path.relative_to(site / 'public')}: {exc}") from None
    feed = ET.parse(site / "public/feed.xml").getroot()
    entry = feed.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == UNUSUAL_TITLE
    assert feed.findtext(f"{ATOM}title", "").startswith("Watch <&> ]]> 🛰")
    content = html.unescape(entry.findtext(f"{ATOM}content") or "")  # HTML, as text
    assert "Text with ]]> and" in content
    assert "He wrote ]]><![CDATA[ &" in content
