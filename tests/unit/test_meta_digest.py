"""A briefing's meta digest changes with everything other pages may show of it, and
with nothing else: not its body, nor its digests."""

from __future__ import annotations

from dataclasses import fields, replace

from briefgen.model import Body, Briefing
from briefgen.read.load import BRIEFING, _meta_digest, parse_file

TEXT = """---
title: A
date: 2023-06-02
regions: [r]
citations:
  a: {source: s, url: "https://example.org/a"}
---

Text [@a].
"""
BODY_ONLY = {"body", "digest", "meta_digest"}


def _briefing() -> Briefing:
    item = parse_file(BRIEFING, "content/briefings/a.md", TEXT.encode()).item
    assert isinstance(item, Briefing)
    return item


def test_every_field_but_the_bodys_changes_the_meta_digest() -> None:
    briefing = _briefing()
    assert briefing.meta_digest == _meta_digest(briefing)
    other = _briefing()
    changed = {
        "path": "content/briefings/b.md",
        "slug": "b",
        "title": "B",
        "summary": "S",
        "draft": True,
        "citations": (replace(briefing.citations[0], title="T"),),
        "location": briefing.location.at(2, 1),
        "scheduled": True,
    }
    for name, value in changed.items():
        assert _meta_digest(replace(other, **{name: value})) != briefing.meta_digest, name
    names = {f.name for f in fields(Briefing)}
    assert names >= BODY_ONLY
    body_only = replace(
        other,
        body=Body("<p>Other</p>", ""),
        digest="0" * 64,
        meta_digest="1" * 64,
    )
    assert _meta_digest(body_only) == briefing.meta_digest
