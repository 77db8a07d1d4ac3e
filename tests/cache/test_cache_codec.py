"""The cache's codec: what it stores decodes to the same values, and nothing else does."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from briefgen.cache.codec import _slot_setters
from briefgen.cache.folder import CACHE_DIR
from briefgen.cache.store import BuildCache, Entry
from briefgen.diagnostics import Diagnostic, Location, Severity
from briefgen.model import Body, Parsed
from briefgen.read.load import BRIEFING, parse_file

TEXT = """---
title: Border villages shelled
date: 2023-06-01T08:00:00+03:00
updated: 2023-06-02
regions: [belgorod, shebekino]
tags: [shelling]
citations:
  gov:
    source: gladkov
    url: https://t.me/x/1
    published: 2023-06-01
    quote: Цитата
    lang: ru
    translation: Quote
  dw: {source: dw, title: Interview}
corrections:
  - {date: 2023-06-03T10:00:00+03:00, kind: correction, text: Named the *right* district.}
  - {date: 2023-06-02, kind: clarification, text: "[More](https://example.org/x)."}
---
## Evening

Thousands left [@gov; see @dw, p. 3].
"""


def parsed() -> Parsed:
    return parse_file(BRIEFING, "content/briefings/a.md", TEXT.encode())


def store_with(root: Path, value: Parsed) -> BuildCache:
    store = BuildCache(root)
    store.put("k", "content/briefings/a.md", value)
    store.close({"content/briefings/a.md": ((1, 2, 3, 4), "k")})
    return BuildCache(root)


def with_body_read(value: Parsed) -> Parsed:
    assert value.item is not None
    return replace(value, item=replace(value.item, body=Body(value.item.html, value.item.toc)))


def test_entries_decode_to_what_was_stored(tmp_path: Path) -> None:
    value = parsed()
    found = store_with(tmp_path, value).get_many({"k": "content/briefings/a.md"})
    assert {key: with_body_read(entry) for key, entry in found.items()} == {"k": value}


def leaves(data: Any, path: tuple[int, ...] = ()) -> Iterator[tuple[int, ...]]:
    """The position of every plain value (text, number, flag) in an encoded entry."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from leaves(item, (*path, index))
    elif isinstance(data, str | int | bool):
        yield path


def other_plain(value: str | int | bool) -> str | int | bool:
    """A plain value of another type: a flag for a number (JSON's true is no number
    here), a number for a flag or for text, a flag for a date."""
    if type(value) is int:
        return True
    if type(value) is str and value.startswith(("d", "t")):
        return True
    return 1


def test_a_value_of_the_wrong_type_anywhere_is_a_miss(tmp_path: Path) -> None:
    value = parsed()
    store_with(tmp_path, value)
    database = tmp_path / CACHE_DIR / "parsed.sqlite"
    with sqlite3.connect(database) as db:
        (original,) = db.execute("SELECT data FROM parsed").fetchone()
    positions = list(leaves(json.loads(original)))
    assert len(positions) > 40
    for position, wrong in [(p, lambda _: [[]]) for p in positions] + [
        (p, other_plain) for p in positions
    ]:
        data = json.loads(original)
        holder = data
        for index in position[:-1]:
            holder = holder[index]
        holder[position[-1]] = wrong(holder[position[-1]])
        with sqlite3.connect(database) as db:
            db.execute("UPDATE parsed SET data = ?", (json.dumps(data),))
        assert BuildCache(tmp_path).get_many({"k": "content/briefings/a.md"}) == {}, position


def test_locations_are_stored_without_their_file_and_read_into_the_one_asked_for(
    tmp_path: Path,
) -> None:
    store_with(tmp_path, parsed())
    with sqlite3.connect(tmp_path / CACHE_DIR / "parsed.sqlite") as db:
        (data,) = db.execute("SELECT data FROM parsed").fetchone()
    assert data.count("content/briefings/a.md") == 1  # the briefing's path, in its own field
    (found,) = BuildCache(tmp_path).get_many({"k": "content/briefings/b.md"}).values()
    assert found.item is not None
    assert found.item.location == Location("content/briefings/b.md", 1, 1)
    assert {c.location.path for c in found.item.citations} == {"content/briefings/b.md"}


def test_a_location_with_a_file_is_a_miss(tmp_path: Path) -> None:
    store_with(tmp_path, parsed())
    database = tmp_path / CACHE_DIR / "parsed.sqlite"
    with sqlite3.connect(database) as db:
        (original,) = db.execute("SELECT claims FROM parsed").fetchone()
        claims = json.loads(original)
        assert claims[0][1] == [22, 1]  # the first claim's line and column
        claims[0][1] = ["content/briefings/other.md", 22, 1]
        db.execute("UPDATE parsed SET claims = ?", (json.dumps(claims),))
    assert BuildCache(tmp_path).get_many({"k": "content/briefings/a.md"}) == {}


def test_a_parse_holding_a_location_in_another_file_is_not_kept(tmp_path: Path) -> None:
    value = parsed()
    assert value.item is not None
    elsewhere = replace(value.item, location=Location("content/briefings/b.md", 1, 1))
    store_with(tmp_path, replace(value, item=elsewhere))
    with sqlite3.connect(tmp_path / CACHE_DIR / "parsed.sqlite") as db:
        assert db.execute("SELECT count(*) FROM parsed").fetchone() == (0,)


def test_decoded_objects_hash_and_compare_as_made_by_their_init(tmp_path: Path) -> None:
    """Decoding makes objects without calling ``__init__``: each is still whole, and
    hashes as the one parsing made."""
    value = parsed()
    (found,) = store_with(tmp_path, value).get_many({"k": "content/briefings/a.md"}).values()
    decoded = with_body_read(found)
    assert decoded.item is not None and value.item is not None
    assert hash(decoded.item.citations) == hash(value.item.citations)
    assert hash(decoded.item.region_locations) == hash(value.item.region_locations)
    assert [repr(c) for c in decoded.claims] == [repr(c) for c in value.claims]


def test_a_class_whose_init_does_more_cannot_be_decoded_without_it() -> None:
    @dataclass(frozen=True, slots=True)
    class Checked:
        text: str

        def __post_init__(self) -> None:
            assert self.text

    with pytest.raises(TypeError):
        _slot_setters(Checked)
    assert len(_slot_setters(Location)) == 3


def test_an_entry_made_where_the_file_was_parsed_gives_back_its_value() -> None:
    """Worker processes send what they parse as the store keeps it: the main process
    reads the same value out of it."""
    value = parsed()
    entry = Entry.of(value, "content/briefings/a.md")
    assert entry is not None and value.item is not None
    assert (entry.html, entry.toc) == (value.item.html, value.item.toc)
    body = Body(entry.html, entry.toc)
    assert entry.value("content/briefings/a.md", "k", body, None) == value
    other = Diagnostic(Severity.WARNING, Location("content/briefings/b.md", 1, 1), "elsewhere")
    assert Entry.of(replace(value, diagnostics=(other,)), "content/briefings/a.md") is None


def test_names_and_days_many_files_repeat_are_one_object_once_decoded(tmp_path: Path) -> None:
    """A site's sources, regions, tags and days recur in thousands of files: decoded,
    each is held once, not once a file (tens of MB at 50,000 briefings)."""
    store = BuildCache(tmp_path)
    rels = ["content/briefings/a.md", "content/briefings/b.md"]
    for n, rel in enumerate(rels):
        store.put(f"k{n}", rel, parse_file(BRIEFING, rel, TEXT.encode()))
    store.close({rel: ((1, 2, 3, 4), f"k{n}") for n, rel in enumerate(rels)})
    found = BuildCache(tmp_path).get_many({f"k{n}": rel for n, rel in enumerate(rels)})
    a, b = (found[f"k{n}"].item for n in range(2))
    assert a is not None and b is not None
    pairs = [
        (a.regions[0], b.regions[0]),
        (a.tags[0], b.tags[0]),
        (a.citations[0].source, b.citations[0].source),
        (a.citations[0].key, b.citations[0].key),
        (a.citations[0].lang, b.citations[0].lang),
        (a.date, b.date),
        (a.citations[0].published, b.citations[0].published),
    ]
    assert all(x == y and x is y for x, y in pairs), pairs
