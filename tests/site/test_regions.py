"""Region pages roll up: a briefing in a town is listed for its oblast and its country."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from site_corpus import BORDER

ATOM = "{http://www.w3.org/2005/Atom}"
SHEBEKINO = "Shebekino shelled; children evacuated"
GRAIVORON = "Armed group crosses the border near Graivoron"
KURSK = "Drones hit an oil depot in Kursk Oblast"

EXTRA = """
-- content/regions.yaml --
russia:
  name: Russia
belgorod:
  name: Belgorod Oblast
  parent: russia
shebekino:
  name: Шебекино
  parent: belgorod
graivoron:
  name: Graivoron
  parent: belgorod
kursk:
  name: Kursk Oblast
  parent: russia
bryansk:
  name: Брянская область
  parent: russia
-- content/briefings/2023/06/belgorod-overview.md --
---
title: Week in Belgorod Oblast
date: 2023-06-01
regions: [shebekino, belgorod]
---

Both the oblast and one of its towns: listed once on each page.
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, EXTRA)
    site.ok()
    return site


def titles(site, path):
    return [a.text for a in site.html(path).main.find_all("a") if "briefings/" in a.get("href", "")]


def feed_titles(site, path):
    root = ET.fromstring(site.file(path).read_bytes())
    return [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("shebekino", [SHEBEKINO, "Week in Belgorod Oblast"]),
        ("graivoron", [GRAIVORON]),
        ("belgorod", [SHEBEKINO, "Week in Belgorod Oblast", GRAIVORON]),
        ("kursk", [KURSK]),
        ("russia", [KURSK, SHEBEKINO, "Week in Belgorod Oblast", GRAIVORON]),
        ("bryansk", []),
    ],
)
def test_region_lists_its_own_and_its_subregions_briefings_newest_first(site, region, expected):
    assert titles(site, f"/regions/{region}/") == expected
    assert feed_titles(site, f"/regions/{region}/feed.xml") == expected


def test_briefing_is_not_listed_for_a_sibling_region(site):
    assert SHEBEKINO not in titles(site, "/regions/graivoron/")
    assert SHEBEKINO not in titles(site, "/regions/kursk/")
    assert SHEBEKINO not in feed_titles(site, "/regions/kursk/feed.xml")


def own_text(element):
    """The text of an element without that of its nested lists."""
    parts = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag not in ("ul", "ol"):
            parts.append(child.text)
    return " ".join(" ".join(parts).split())


def tree_item(doc, key):
    links = [a for a in doc.main.find_all("a") if a.get("href", "").endswith(f"regions/{key}/")]
    assert len(links) == 1, f"region {key} should appear once in the tree"
    item = links[0].parent
    while item.tag != "li":
        item = item.parent
    return item


def test_regions_index_is_a_tree_with_rolled_up_counts(site):
    doc = site.html("/regions/")
    counts = {"russia": 4, "belgorod": 3, "shebekino": 2, "graivoron": 1, "kursk": 1, "bryansk": 0}
    for key, count in counts.items():
        numbers = re.findall(r"\d+", own_text(tree_item(doc, key)))
        assert numbers == [str(count)], (key, own_text(tree_item(doc, key)))

    def ancestors(key):
        found, node = [], tree_item(doc, key).parent
        while node is not None:
            if node.tag == "li":
                found.append(node)
            node = node.parent
        return found

    assert ancestors("shebekino") == [tree_item(doc, "belgorod"), tree_item(doc, "russia")]
    assert ancestors("graivoron") == [tree_item(doc, "belgorod"), tree_item(doc, "russia")]
    assert ancestors("kursk") == [tree_item(doc, "russia")]
    assert ancestors("russia") == []


def test_region_page_names_the_region(site):
    doc = site.html("/regions/shebekino/")
    assert doc.main.find("h1").text == "Шебекино"
    assert "Брянская область" in site.html("/regions/bryansk/").main.text


def test_briefing_page_links_to_its_regions(site):
    doc = site.html("/briefings/shebekino-evacuation/")
    assert any(h.endswith("regions/shebekino/") for h in doc.main.hrefs())


def test_region_pagination_rolls_up_too(make_site):
    site = make_site(BORDER, "-- content/site.yaml --\ntitle: T\nper_page: 1\n")
    site.ok()
    pages = ["/regions/russia/", "/regions/russia/page/2/", "/regions/russia/page/3/"]
    assert [titles(site, p) for p in pages] == [[KURSK], [SHEBEKINO], [GRAIVORON]]
    assert not site.exists("/regions/russia/page/4/")
    assert titles(site, "/regions/belgorod/page/2/") == [GRAIVORON]
