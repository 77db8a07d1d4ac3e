"""The page keys record is written in pieces, as JSON; it reads back as it was saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.render.keys import PageEntry, RouteKeys


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2345])
def test_the_record_written_in_pieces_reads_back_as_saved(tmp_path: Path, count: int) -> None:
    out = tmp_path / "public"
    out.mkdir()
    saved = {}
    for n in range(count):
        rel = f"p{n}/index.html"
        (out / f"p{n}").mkdir()
        (out / rel).write_bytes(b"x" * (n % 7))
        shown = tuple(f"content/briefings/b{m}é.md" for m in range(n % 3))
        read = (shown, (), ("config",) if n % 2 else ())
        saved[rel] = PageEntry(f"key{n}", f"route{n}", True, (), read)
    keys = RouteKeys(tmp_path, out)
    stamps = keys.save(out, saved, {}, {"config": "shape"})
    assert stamps == {rel: [n % 7, (out / rel).stat().st_mtime_ns] for n, rel in enumerate(saved)}
    text = keys.path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text))
    again = RouteKeys(tmp_path, out).load()
    assert {rel: again.read(rel) for rel in saved} == {rel: saved[rel].read for rel in saved}
    assert all(again.entries[rel][:2] == [f"key{n}", n % 7] for n, rel in enumerate(saved))
    assert all(again.entries[rel][7] == f"route{n}" for n, rel in enumerate(saved))
