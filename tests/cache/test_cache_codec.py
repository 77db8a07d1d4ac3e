"""The cache's codec: what it stores decodes to the same values, and nothing else does."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefgen.cache.store import CACHE_DIR, BuildCache
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
    store.put("k", value)
    store.close({"content/briefings/a.md": (1, 2, "k")})
    return BuildCache(root)


def with_body_read(value: Parsed) -> Parsed:
    assert value.item is not None
    return replace(value, item=replace(value.item, body=Body(value.item.html, value.item.toc)))


def test_entries_decode_to_what_was_stored(tmp_path: Path) -> None:
    value = parsed()
    found = store_with(tmp_path, value).get_many({"k"})
    assert {key: with_body_read(entry) for key, entry in found.items()} == {"k": value}


def leaves(data: Any, path: tuple[int, ...] = ()) -> Iterator[tuple[int, ...]]:
    """The position of every plain value (text, number, flag) in an encoded entry."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from leaves(item, (*path, index))
    elif isinstance(data, str | int | bool):
        yield path


def test_a_value_of_the_wrong_type_anywhere_is_a_miss(tmp_path: Path) -> None:
    value = parsed()
    store_with(tmp_path, value)
    database = tmp_path / CACHE_DIR / "parsed.sqlite"
    with sqlite3.connect(database) as db:
        (original,) = db.execute("SELECT data FROM parsed").fetchone()
    positions = list(leaves(json.loads(original)))
    assert len(positions) > 40
    for position in positions:
        data = json.loads(original)
        holder = data
        for index in position[:-1]:
            holder = holder[index]
        holder[position[-1]] = [[]]
        with sqlite3.connect(database) as db:
            db.execute("UPDATE parsed SET data = ?", (json.dumps(data),))
        assert BuildCache(tmp_path).get_many({"k"}) == {}, position
