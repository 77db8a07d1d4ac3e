"""Archived evidence: each citation's copy in a web archive, checked without the network
and counted on its source's page (docs/curation.md, "Archived evidence")."""

from __future__ import annotations

import socket

import pytest

from briefgen.model import ArchiveShare

WAYBACK = "https://web.archive.org/web/20230602120000"

ARCHIVED = f"""
-- content/site.yaml --
title: Archived
base_url: https://example.org/
-- content/sources.yaml --
gladkov: {{name: Vyacheslav Gladkov, reliability: C}}
dw: {{name: Deutsche Welle, reliability: B}}
meduza: {{name: Meduza, reliability: B}}
-- content/briefings/a.md --
---
title: Villages shelled
date: 2023-06-02
regions: [belgorod]
citations:
  g1:
    source: gladkov
    url: https://t.me/vvgladkov/1
    published: 2023-06-02
    archive: {WAYBACK}/https://t.me/vvgladkov/1
    archived_at: 2023-06-02T12:00:00+03:00
  g2:
    source: gladkov
    url: https://t.me/vvgladkov/2
    archive: https://archive.ph/2023.06.02-120000/https://t.me/vvgladkov/2
  g3:
    source: gladkov
    url: https://t.me/vvgladkov/3
  interview:
    source: dw
    title: Interview with a resident
---
Shelling [@g1; @g2; @g3]. A resident spoke to DW [@interview].
-- content/briefings/b.md --
---
title: More shelling
date: 2023-06-03
regions: [belgorod]
citations:
  g4:
    source: gladkov
    url: https://t.me/vvgladkov/4
    archive: https://perma.cc/AB12-CD34
---
Shelling again [@g4].
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(ARCHIVED)
    result = site.ok()
    assert result.warnings == [
        "content/briefings/a.md:16: warning: citation 'g3' has no archived copy (add "
        "'archive:' with a copy on web.archive.org, archive.today or perma.cc)"
    ]
    return site


def test_each_source_page_shows_the_share_of_its_citations_archived(site):
    facts = site.html("/sources/gladkov/").main.find("dl", cls="source-facts")
    assert facts.find(cls="archive-share").text == "3 of 4 citations archived (75%)"


def test_a_source_cited_only_without_a_link_shows_no_share(site):
    facts = site.html("/sources/dw/").main.find("dl", cls="source-facts")
    assert "Archived" not in facts.text


def test_a_source_nothing_cites_shows_no_share(site):
    assert "archived" not in site.html("/sources/meduza/").main.text


def test_the_archived_copy_shows_the_day_it_was_made(site):
    entry = site.html("/briefings/a/").main.find("li", id="cite-1")
    copy = entry.find("a", cls="archive")
    assert copy.get("href") == f"{WAYBACK}/https://t.me/vvgladkov/1"
    made = entry.find(cls="archived-at")
    assert made.text == "(June 2, 2023)"
    assert made.find("time").get("datetime") == "2023-06-02T12:00:00+03:00"
    assert not site.html("/briefings/a/").main.find("li", id="cite-2").find_all(cls="archived-at")


@pytest.mark.parametrize(
    ("archived", "total", "percent"),
    [(3, 4, 75), (0, 5, 0), (5, 5, 100), (199, 200, 99), (1, 300, 1), (2, 3, 67)],
)
def test_the_share_is_never_rounded_to_all_or_none(archived, total, percent):
    assert ArchiveShare(archived, total).percent == percent


def test_a_required_copy_that_is_missing_fails_the_build_and_keeps_the_output(site):
    before = site.output_files()
    site.write("-- content/site.yaml --\ntitle: Archived\nrequire_archive: [C]\n")
    try:
        result = site.build()
        assert result.code == 1
        assert result.errors == [
            "content/briefings/a.md:16:3: error: citation 'g3' has no archived copy (add "
            "'archive:' with a copy on web.archive.org, archive.today or perma.cc "
            "('require_archive' in content/site.yaml asks for one))"
        ]
        assert site.output_files() == before
    finally:
        site.write("-- content/site.yaml --\ntitle: Archived\nbase_url: https://example.org/\n")


def test_archives_are_checked_without_touching_the_network(make_site, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the build opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    site = make_site(ARCHIVED)
    result = site.build("--jobs", "1")
    assert result.code == 0, result.err
    assert len(result.warnings) == 1
