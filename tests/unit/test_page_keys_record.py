"""The page keys record is written in pieces; it reads back as it was saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.render.keys import RouteKeys


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2345])
def test_the_record_written_in_pieces_is_the_json_of_it_whole(tmp_path: Path, count: int) -> None:
    out = tmp_path / "public"
    out.mkdir()
    saved = {}
    for n in range(count):
        rel = f"p{n}/index.html"
        (out / f"p{n}").mkdir()
        (out / rel).write_bytes(b"x" * (n % 7))
        shown = tuple(f"content/briefings/b{m}é.md" for m in range(n % 3))
        saved[rel] = (f"key{n}", True, (), (shown, (), ("config",) if n % 2 else ()))
    keys = RouteKeys(tmp_path, out)
    keys.save(out, saved)
    briefings, site = keys._tables
    whole = {"version": 3, "briefings": briefings, "site": site, "pages": keys.entries}
    assert keys.path.read_text(encoding="utf-8") == json.dumps(whole)
    again = RouteKeys(tmp_path, out).load()
    assert again.entries == keys.entries
    assert all(again.read(rel) == saved[rel][3] for rel in saved)
