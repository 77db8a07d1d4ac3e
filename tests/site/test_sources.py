"""The sources index and each source's page (SPEC section 4)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from site_corpus import BORDER

ATOM = "{http://www.w3.org/2005/Atom}"

UNCITED = """
-- content/sources.yaml --
gladkov-telegram:
  name: Вячеслав Гладков (Telegram)
  kind: official
  url: https://t.me/vvgladkov
  country: RU
  reliability: C
meduza:
  name: Meduza
  kind: independent media
  url: https://meduza.io
  reliability: B
dw:
  name: Deutsche Welle
  kind: broadcaster
  url: https://www.dw.com
  country: DE
  reliability: A
rbc:
  name: РБК
  kind: business media
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, UNCITED)
    result = site.ok("--strict")  # a registry entry nothing cites is not a flaw
    assert not result.warnings
    return site


def row(doc, key):
    """The table row or list item of the sources index that links to the source."""
    links = [a for a in doc.main.find_all("a") if a.get("href", "").endswith(f"sources/{key}/")]
    assert len(links) == 1, key
    item = links[0].parent
    while item.tag not in ("tr", "li"):
        item = item.parent
    return item


@pytest.mark.parametrize(
    ("key", "name", "kind", "reliability", "count"),
    [
        ("gladkov-telegram", "Вячеслав Гладков (Telegram)", "official", "C", 1),
        ("meduza", "Meduza", "independent media", "B", 2),
        ("dw", "Deutsche Welle", "broadcaster", "A", 1),
        ("rbc", "РБК", "business media", None, 0),
    ],
)
def test_sources_index_shows_kind_reliability_and_count(site, key, name, kind, reliability, count):
    item = row(site.html("/sources/"), key)
    text = item.text
    assert name in text
    assert kind in text
    if reliability:
        assert re.search(rf"\b{reliability}\b", text.replace(name, ""))
    assert re.findall(r"\b\d+\b", text.replace(name, "")) == [str(count)]


def cited_items(doc, slug):
    """The part of a source page about one briefing: the list item that links to it."""
    links = [a for a in doc.main.find_all("a") if a.get("href", "").endswith(f"briefings/{slug}/")]
    assert links, slug
    item = links[0].parent
    while item.tag != "li":
        item = item.parent
    return item


def test_source_page_lists_each_citing_briefing_with_what_was_cited(site):
    doc = site.html("/sources/meduza/")
    assert doc.main.find("h1").text == "Meduza"
    kursk = cited_items(doc, "kursk-drones")
    assert "В Курской области беспилотник атаковал нефтебазу" in kursk.text
    assert "Беспилотник атаковал нефтебазу." in kursk.text
    assert kursk.has("a", href="https://meduza.io/news/2023/06/05/kursk")
    shebekino = cited_items(doc, "shebekino-evacuation")
    assert "Жители Шебекино уезжают из города" in shebekino.text
    # only what was cited from this source
    assert "Пост об обстреле Шебекино" not in shebekino.text
    assert "Armed group" not in doc.main.text


def test_source_page_orders_briefings_newest_first(site):
    doc = site.html("/sources/meduza/")
    briefings = [
        a.get("href")
        for a in doc.main.find_all("a")
        if re.search(r"briefings/[^/]+/$", a.get("href", ""))
    ]
    order = list(dict.fromkeys(h.split("/")[-2] for h in briefings))
    assert order == ["kursk-drones", "shebekino-evacuation"]


def test_a_key_cited_twice_lists_the_briefing_once(site):
    doc = site.html("/sources/gladkov-telegram/")
    item = cited_items(doc, "shebekino-evacuation")
    assert item.text.count("Пост об обстреле Шебекино") == 1
    assert "Начинаем вывозить детей из Шебекино и Грайворонского округа." in item.text
    assert item.has("a", href="https://t.me/vvgladkov/3075")


def test_uncited_registry_source_has_an_empty_page(site):
    doc = site.html("/sources/rbc/")
    assert doc.main.find("h1").text == "РБК"
    assert not [a for a in doc.main.find_all("a") if "briefings/" in a.get("href", "")]


def test_source_feed_lists_citing_briefings(site):
    root = ET.fromstring(site.file("/sources/meduza/feed.xml").read_bytes())
    assert [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")] == [
        "Drones hit an oil depot in Kursk Oblast",
        "Shebekino shelled; children evacuated",
    ]
