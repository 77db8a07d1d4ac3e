"""Inline citations and the numbered source list, as a reader sees them (SPEC section 2)."""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from site_corpus import REGISTRIES

CITING = r"""
-- content/briefings/citations.md --
---
title: "Белгород: обстрелы и эвакуация"
date: 2023-06-02
regions: [belgorod]
citations:
  meduza-first:
    source: meduza
    url: https://meduza.io/news/2023/06/02/belgorod
    title: Обстрелы Белгородской области
    published: 2023-06-02T18:00:00+03:00
  gladkov:
    source: gladkov-telegram
    url: https://t.me/vvgladkov/3075
    title: Пост о ситуации в Шебекино
    published: 2023-06-01
    quote: "Ситуация в Шебекино сложная."
    lang: ru
    translation: The situation in Shebekino is difficult.
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/3075
    archived_at: 2023-06-02
  dw.report:2023-06_a:
    source: dw
    url: https://www.dw.com/en/a-65800000
    title: Residents describe nights in shelters
---

Губернатор сообщил об обстрелах [@gladkov].
Two outlets agreed [@meduza-first; @dw.report:2023-06_a].
He repeated it later [@gladkov, para. 3], and so did DW [see @dw.report:2023-06_a, p. 3].

Escaped \[@escaped] is text. So is inline code: `[@in-code]`.

```
[@in-fence] stays as written
```

Write to press@example.org or [contact editor@example.org] with tips.
"""


@pytest.fixture(scope="module")
def page(make_module_site):
    site = make_module_site(REGISTRIES, CITING)
    result = site.ok()
    assert not result.errors
    return site, site.html("/briefings/citations/")


def markers(doc):
    """The markers in the body (each card links to its entry too, from outside it)."""
    body = doc.main.find("div", cls="body")
    return [a for a in body.find_all("a") if re.fullmatch(r"#cite-\d+", a.get("href") or "")]


def test_markers_are_numbered_by_first_appearance(page):
    _, doc = page
    numbers = [(a.text, a.get("href")) for a in markers(doc)]
    # gladkov is defined second but cited first: 1; meduza-first defined first: 2.
    assert numbers == [
        ("1", "#cite-1"),
        ("2", "#cite-2"),
        ("3", "#cite-3"),
        ("1", "#cite-1"),
        ("3", "#cite-3"),
    ]


def test_marker_text_keeps_groups_locators_and_prefixes(page):
    _, doc = page
    text = doc.main.text
    assert "[1]" in text
    assert "[2; 3]" in text
    assert "[1, para. 3]" in text
    assert "[see 3, p. 3]" in text
    assert "@gladkov" not in text
    assert "@meduza-first" not in text


def test_every_marker_has_a_unique_id_and_every_entry_links_back_to_each(page):
    _, doc = page
    ids = [a.get("id") for a in markers(doc)]
    assert all(ids), "every marker needs an id to link back to"
    assert len(set(ids)) == len(ids)
    for marker in markers(doc):
        entry = doc.main.find("li", id=marker.get("href")[1:])
        backlinks = [a.get("href") for a in entry.find_all("a")]
        assert "#" + marker.get("id") in backlinks


def test_the_same_key_cited_twice_has_one_entry_with_two_backlinks(page):
    _, doc = page
    entries = doc.main.find_all("li", id="cite-1")
    assert len(entries) == 1
    back = [h for h in entries[0].hrefs() if h.startswith("#")]
    first, second = [a.get("id") for a in markers(doc) if a.get("href") == "#cite-1"]
    assert back == ["#" + first, "#" + second]
    assert not doc.main.has("li", id="cite-4"), "three keys cited, three entries"


def test_source_list_is_in_number_order(page):
    _, doc = page
    entries = [li for li in doc.main.find_all("li") if re.fullmatch(r"cite-\d+", li.get("id", ""))]
    assert [li.get("id") for li in entries] == ["cite-1", "cite-2", "cite-3"]
    assert "Пост о ситуации в Шебекино" in entries[0].text
    assert "Обстрелы Белгородской области" in entries[1].text
    assert "Residents describe nights in shelters" in entries[2].text


def test_entry_shows_source_title_date_quote_translation_and_archive(page):
    _, doc = page
    entry = doc.main.find("li", id="cite-1")
    here = "https://example.org/briefs/briefings/citations/"

    source = [a for a in entry.find_all("a") if a.text == "Вячеслав Гладков (Telegram)"]
    assert source, entry.text
    assert urllib.parse.urljoin(here, source[0].get("href")) == (
        "https://example.org/briefs/sources/gladkov-telegram/"
    )
    title = entry.find("a", href="https://t.me/vvgladkov/3075")
    assert title.text == "Пост о ситуации в Шебекино"
    assert entry.has("a", href="https://web.archive.org/web/2023/https://t.me/vvgladkov/3075")
    assert "June 1, 2023" in entry.text  # writing.md: dates show as 'June 2, 2023'
    assert "Ситуация в Шебекино сложная." in entry.text
    assert "The situation in Shebekino is difficult." in entry.text
    quote = [e for e in entry.find_all() if e.text == "Ситуация в Шебекино сложная."]
    assert any(e.get("lang") == "ru" for q in quote for e in (q, q.parent) if e is not None)


def test_a_feed_entry_shows_the_same_but_the_quotes_language(page, html_parser):
    """Feed readers show no site stylesheet: the entry's source list is plain HTML with
    the date, the quote, its translation and the archived copy."""
    site, _ = page
    feed = ET.fromstring(site.text("/feed.xml"))
    atom = "{http://www.w3.org/2005/Atom}"
    [content] = [e.findtext(f"{atom}content") for e in feed.iter(f"{atom}entry")
                 if e.findtext(f"{atom}title") == "Белгород: обстрелы и эвакуация"]  # fmt: skip
    entry = html_parser(content).find("li", id="cite-1")
    assert entry.has("a", href="https://t.me/vvgladkov/3075")
    assert entry.has("a", href="https://web.archive.org/web/2023/https://t.me/vvgladkov/3075")
    for shown in (
        "June 1, 2023",
        "Ситуация в Шебекино сложная.",
        "Translation from Russian: The situation in Shebekino is difficult.",
        "archived copy (June 2, 2023)",
    ):
        assert shown in entry.text, shown


def test_entry_without_optional_fields_has_no_archive_or_quote(page):
    _, doc = page
    entry = doc.main.find("li", id="cite-3")
    assert entry.find("a", href="https://www.dw.com/en/a-65800000").text == (
        "Residents describe nights in shelters"
    )
    assert "archive.org" not in " ".join(entry.hrefs())
    assert not entry.has("blockquote")


def test_escaped_and_code_citations_stay_literal(page):
    _, doc = page
    text = doc.main.text
    assert "Escaped [@escaped] is text." in text
    assert doc.main.find("code").text == "[@in-code]"
    assert "[@in-fence] stays as written" in doc.main.find("pre").text


def test_email_addresses_are_not_citations(page):
    _, doc = page
    text = doc.main.text
    assert "press@example.org" in text
    assert "[contact editor@example.org]" in text


def test_cyrillic_is_written_as_utf8(page):
    site, doc = page
    raw = site.file("/briefings/citations/").read_bytes()
    assert "Ситуация в Шебекино сложная.".encode() in raw
    assert "Губернатор сообщил об обстрелах".encode() in raw
    assert doc.find("h1").text == "Белгород: обстрелы и эвакуация"
    assert any(m.get("charset", "").lower() == "utf-8" for m in doc.find_all("meta"))


def test_uncited_and_undefined_keys(make_site):
    site = make_site(
        REGISTRIES,
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [belgorod]
        citations:
          unused:
            source: dw
            url: https://www.dw.com/x
        ---

        Cited but never defined [@gladkov-0602].
        """,
    )
    code, _, err = site.build()
    assert code == 1
    # line 11 of the file; the column of '[' or of '@'
    assert re.search(
        r"^content/briefings/a\.md:11:2[56]: error: citation 'gladkov-0602'", err, re.M
    )
    assert "content/briefings/a.md:6: warning: citation 'unused'" in err


def test_footnotes_and_citations_coexist(make_site):
    site = make_site(
        REGISTRIES,
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [belgorod]
        citations:
          dw:
            source: dw
            url: https://www.dw.com/x
        ---

        A claim [@dw] with a note.[^note]

        [^note]: The note text.
        """,
    )
    site.ok("--strict")
    doc = site.html("/briefings/a/")
    assert doc.main.has("li", id="cite-1")
    assert "The note text." in doc.main.text
    assert not site.broken_links("https://example.org/briefs/")


def test_keys_with_runs_of_internal_punctuation_are_cited(make_site):
    """Pandoc takes '-', '.' and ':' anywhere inside a key, two or more in a row too."""
    site = make_site(
        REGISTRIES,
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [belgorod]
        citations:
          wire--report:
            source: dw
            url: https://www.dw.com/x
          tass..2023:-06:
            source: dw
            url: https://www.dw.com/y
        ---

        One [@wire--report], two [@tass..2023:-06; @wire--report].
        """,
    )
    site.ok("--strict")
    doc = site.html("/briefings/a/")
    assert [(a.text, a.get("href")) for a in markers(doc)] == [
        ("1", "#cite-1"),
        ("2", "#cite-2"),
        ("1", "#cite-1"),
    ]
    assert "@" not in doc.main.find("div", cls="body").text
