"""A citation's grade and archived copy, and a file's claims, read back from the cache:
decoded as stored, and used only when parsing could have made them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from briefgen.cache.store import BuildCache
from briefgen.cache.trust import plausible
from briefgen.diagnostics import Location
from briefgen.model import Body, Briefing, Parsed
from briefgen.read.load import BRIEFING, PAGE, parse_file
from briefgen.urls import is_safe_url

REL = "content/briefings/a.md"
TEXT = """---
title: Graded and archived
date: 2023-06-02
regions: [belgorod]
citations:
  gov:
    source: gladkov
    url: https://t.me/x/1
    published: 2023-06-01
    credibility: 2
    archive: https://web.archive.org/web/2023/https://t.me/x/1
    archived_at: 2023-06-02T10:00:00+03:00
---
Shelling [@gov].
"""


def parsed() -> Parsed:
    return parse_file(BRIEFING, REL, TEXT.encode())


def with_citation(value: Parsed, **fields: object) -> Parsed:
    item = value.item
    assert isinstance(item, Briefing)
    citation = replace(item.citations[0], **fields)
    return replace(value, item=replace(item, citations=(citation,)))


def test_grades_and_archive_dates_come_back_from_the_cache_as_stored(tmp_path: Path) -> None:
    value = parsed()
    store = BuildCache(tmp_path)
    store.put("k", REL, value)
    store.close({REL: ((1, 2, 3, 4), "k")})
    (found,) = BuildCache(tmp_path).get_many({"k": REL}).values()
    assert isinstance(found.item, Briefing)
    citation = found.item.citations[0]
    assert citation.credibility == 2
    assert citation.archived_at == dt.datetime(
        2023, 6, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert citation.archive_location == Location(REL, 11, 14)
    assert (
        replace(found, item=replace(found.item, body=Body(found.item.html, found.item.toc)))
        == value
    )


def test_what_parsing_made_is_trusted() -> None:
    assert plausible(parsed(), REL)


@pytest.mark.parametrize("credibility", [-1, 7, 99])
def test_a_credibility_off_the_scale_is_not_trusted(credibility: int) -> None:
    assert not plausible(with_citation(parsed(), credibility=credibility), REL)


def test_claims_beside_anything_but_a_briefing_are_not_trusted() -> None:
    """Only a briefing's body makes claims: a cached page or failed parse with some is
    not what parsing made, so its file is parsed again."""
    value = parsed()
    assert value.claims and plausible(value, REL)
    page = parse_file(PAGE, "content/pages/a.md", b"---\ntitle: About\n---\nText.\n")
    assert page.item is not None and not page.claims and plausible(page, "content/pages/a.md")
    assert not plausible(replace(page, claims=value.claims), "content/pages/a.md")
    assert not plausible(replace(value, item=None), REL)


def unmade() -> Parsed:
    """A briefing whose date is wrong: what it names in the registries comes back."""
    return parse_file(BRIEFING, REL, TEXT.replace("2023-06-02\n", "yesterday\n", 1).encode())


def test_what_an_unmade_briefing_names_comes_back_from_the_cache(tmp_path: Path) -> None:
    value = unmade()
    assert value.item is None and value.references is not None
    assert value.references.regions == ("belgorod",)
    assert value.references.sources == ("gladkov",)
    store = BuildCache(tmp_path)
    store.put("k", REL, value)
    store.close({REL: ((1, 2, 3, 4), "k")})
    (found,) = BuildCache(tmp_path).get_many({"k": REL}).values()
    assert found == value and plausible(found, REL)


@pytest.mark.parametrize(
    "names",
    [
        {"regions": ("../x",)},
        {"sources": ("a/b",)},
        {"regions": ("belgorod", "kursk")},  # a key without its place
        {"tags": ("\x1c",)},
    ],
)
def test_names_no_parse_could_make_are_not_trusted(names: dict[str, object]) -> None:
    value = unmade()
    assert value.references is not None
    assert not plausible(replace(value, references=replace(value.references, **names)), REL)
    assert not plausible(replace(parsed(), references=value.references), REL)


@pytest.mark.parametrize(
    ("url", "archive", "trusted"),
    [
        ("mailto:desk@example.org", "", True),
        ("https://t.me/x/1", "https://example.org/a b", True),
        ("https://t.me/x/1\nhttps://t.me/x/2", "", False),
        ("https://t.me/x/1", "javascript:alert(1)", False),
        ("javascript:alert(1)\nhttps://t.me/x/2", "", False),
        ("https://t.me/x/1", "https://", False),
        ("data:text/html,x", "https://web.archive.org/web/2023/x", False),
    ],
)
def test_each_url_from_the_cache_is_judged_as_parsing_judges_it(
    url: str, archive: str, trusted: bool
) -> None:
    """URLs are matched together when all are plain web addresses; any other is judged
    alone, as the one rule for citation URLs judges it."""
    assert trusted == (is_safe_url(url) and (not archive or is_safe_url(archive)))
    assert plausible(with_citation(parsed(), url=url, archive=archive), REL) is trusted
