"""Admiralty grades: a citation's credibility beside its source's reliability, linked to
the grading legend (docs/curation.md, "Grading")."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"

GRADED = """
-- content/site.yaml --
title: Graded
base_url: https://example.org/briefs/
require_archive: false
-- content/sources.yaml --
gladkov: {name: Vyacheslav Gladkov, reliability: C}
dw: {name: Deutsche Welle, reliability: B}
tass: {name: TASS}
-- content/briefings/a.md --
---
title: Villages shelled
date: 2023-06-02
regions: [belgorod]
citations:
  gov:
    source: gladkov
    url: https://t.me/vvgladkov/1
    credibility: 2
  dw:
    source: dw
    url: https://www.dw.com/a
  agency:
    source: tass
    url: https://tass.com/a
    credibility: 3
  plain:
    source: tass
    url: https://tass.com/b
---
The governor reported shelling [@gov]. DW spoke to residents [@dw].
TASS repeated it [@agency; @plain].
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(GRADED)
    result = site.ok("--strict")
    assert not result.warnings
    return site


def entry(site, number: int):
    return site.html("/briefings/a/").main.find("li", id=f"cite-{number}")


def grading(element) -> str:
    """The grading shown in an element, as text ('C2'), or '' when it shows none."""
    found = element.find_all(cls="grading")
    assert len(found) <= 1
    return found[0].text if found else ""


def test_the_source_list_shows_reliability_and_credibility_side_by_side(site):
    assert grading(entry(site, 1)) == "C2"
    assert "C2" in entry(site, 1).text


@pytest.mark.parametrize(
    ("number", "shown"),
    [(2, "B?"), (3, "?3"), (4, "")],
    ids=["credibility not graded", "source not graded", "neither graded"],
)
def test_a_half_not_graded_is_a_question_mark_and_neither_shows_nothing(site, number, shown):
    assert grading(entry(site, number)) == shown


def test_each_half_of_a_grading_links_to_its_entry_in_the_legend(site):
    links = entry(site, 1).find(cls="grading").find_all("a")
    assert [a.get("href") for a in links] == ["../../grading/#C", "../../grading/#2"]
    assert [a.text for a in links] == ["C", "2"]
    unknown = entry(site, 2).find(cls="grading")
    assert [a.get("href") for a in unknown.find_all("a")] == ["../../grading/#B"]


def test_the_grades_are_never_merged_into_one_number(site):
    text = site.html("/briefings/a/").main.text
    assert not re.search(r"\b(C2|B\?|\?3)\d", text)
    titles = [abbr.get("title") for abbr in entry(site, 1).find_all("abbr")]
    assert titles == [
        "Source reliability C: fairly reliable (Admiralty scale)",
        "Credibility 2: probably true (Admiralty scale)",
    ]


def test_the_source_page_grades_each_citation_and_links_its_reliability(site):
    main = site.html("/sources/tass/").main
    items = main.find("ul", cls="cited-items").find_all("li")
    assert [grading(item) for item in items] == ["?3", ""]
    gladkov = site.html("/sources/gladkov/").main
    assert grading(gladkov.find("ul", cls="cited-items")) == "C2"
    facts = gladkov.find("dl", cls="source-facts")
    assert [a.get("href") for a in facts.find_all("a", cls="grade-link")] == ["../../grading/#C"]


def test_the_sources_index_links_each_reliability_to_the_legend(site):
    main = site.html("/sources/").main
    assert [a.get("href") for a in main.find_all("a", cls="grade-link")] == [
        "../grading/#B",
        "../grading/#C",
    ]


def test_the_legend_has_an_entry_for_every_grade_of_both_scales(site):
    main = site.html("/grading/").main
    for grade, words in [("A", "Completely reliable"), ("F", "Reliability cannot be judged")]:
        assert words in main.find(id=grade).text
    for number, words in [("1", "Confirmed by other sources"), ("6", "Truth cannot be judged")]:
        assert words in main.find(id=number).text
    ids = [e.get("id") for e in main.find_all() if e.get("id")]
    assert ids == ["A", "B", "C", "D", "E", "F", "1", "2", "3", "4", "5", "6"]
    assert "STANAG 2511" in main.text


def test_the_legend_is_in_the_sitemap_and_linked_from_every_footer(site):
    assert "https://example.org/briefs/grading/" in site.text("/sitemap.xml")
    for path in ("/", "/briefings/a/", "/sources/", "/grading/"):
        footer = site.html(path).find("footer", cls="site-footer")
        assert [a.text for a in footer.links_to("grading/")] == ["Grading"], path


def test_feeds_show_the_grading_linked_to_the_legend(site, html_parser):
    entry_html = ET.parse(site.file("/feed.xml")).getroot().find(f"{ATOM}entry")
    content = html_parser(entry_html.find(f"{ATOM}content").text)
    items = content.find_all("li")
    assert [item.text.split(":")[0] for item in items] == [
        "Vyacheslav Gladkov (C2)",
        "Deutsche Welle (B?)",
        "TASS (?3)",
        "TASS",
    ]
    legend = "https://example.org/briefs/grading/"
    # curation.md: each half links to its entry in the legend; a half not graded is "?"
    assert [a.get("href") for a in items[0].find_all("a")][:2] == [f"{legend}#C", f"{legend}#2"]
    assert [a.get("href") for a in items[1].find_all("a")][:1] == [f"{legend}#B"]
    assert [a.get("href") for a in items[2].find_all("a")][:1] == [f"{legend}#3"]


def test_every_grade_link_leads_to_an_anchor_of_the_legend(site):
    assert site.broken_links("https://example.org/briefs/") == []
    assert site.run("check", "-s", site.root, "--strict").code == 0


UNGRADED = """
-- content/site.yaml --
title: Ungraded
require_archive: false
-- content/briefings/a.md --
---
title: A
date: 2023-06-02
regions: [x]
citations:
  g: {source: s, url: "https://example.net/1"}
---
Text [@g].
"""


def test_a_site_that_grades_nothing_has_no_legend_and_no_gradings(make_site):
    site = make_site(UNGRADED)
    site.ok("--strict")
    assert not site.exists("/grading/")
    assert "grading" not in site.text("/sitemap.xml")
    page = site.html("/briefings/a/")
    assert not page.links_to("grading/")
    assert not page.find_all(cls="grading")


def test_a_site_that_requires_grades_has_the_legend_before_it_grades_anything(make_site):
    site = make_site(UNGRADED, "-- content/site.yaml --\ntitle: T\nrequire_grades: true\n")
    result = site.ok()
    assert result.warnings == [
        "content/briefings/a.md:6: warning: citation 'g' has no archived copy (add 'archive:' "
        "with a copy on web.archive.org, archive.today or perma.cc)",
        "content/briefings/a.md:6: warning: citation 'g' has no credibility grade (add "
        "'credibility:' from 1 (confirmed by other sources) to 6 (truth cannot be judged))",
        "content/briefings/a.md:6: warning: source 's' has no reliability grade (list it in "
        "content/sources.yaml with 'reliability:' from A (completely reliable) to F "
        "(reliability cannot be judged))",
    ]
    assert site.exists("/grading/")


WORDS = """
-- templates/partials/grade-words.html --
{% set reliability_words = {
  "A": {"name": "Sans reproche", "meaning": "Jamais pris en défaut."},
  "B": {"name": "Généralement fiable", "meaning": "Rarement pris en défaut."},
  "C": {"name": "Assez fiable", "meaning": "Parfois pris en défaut."},
} %}
{% set credibility_words = {
  1: {"name": "Confirmé", "meaning": "Confirmé par d'autres sources."},
  2: {"name": "Probable", "meaning": "Non confirmé, mais cohérent."},
  3: {"name": "Possible", "meaning": "Non confirmé, assez cohérent."},
} %}
"""


def test_a_site_can_put_its_own_words_to_the_grades_everywhere(make_site):
    site = make_site(GRADED, WORDS)
    site.ok("--strict")
    legend = site.html("/grading/").main
    assert "Généralement fiable" in legend.find(id="B").text
    assert "Non confirmé, mais cohérent." in legend.find(id="2").text
    assert "Usually reliable" not in legend.text
    titles = [abbr.get("title") for abbr in entry(site, 1).find_all("abbr")]
    assert titles == [
        "Source reliability C: assez fiable (Admiralty scale)",
        "Credibility 2: probable (Admiralty scale)",
    ]
    assert "Assez fiable" in site.html("/sources/").main.text
