"""Front matter splitting and YAML with file positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.diagnostics import Diagnostics, Location
from briefgen.read.frontmatter import parse_document
from briefgen.read.yamldoc import read_text

ORIGIN = Location("content/briefings/a.md")


def parse(text: str) -> tuple[object, list[str]]:
    diags = Diagnostics()
    doc = parse_document(text, ORIGIN, diags)
    return doc, [d.format() for d in diags.sorted()]


def test_positions_are_file_lines_of_keys_and_values() -> None:
    doc, problems = parse("---\ntitle: T\ncitations:\n  a:\n    url: x\n---\nBody\n")
    assert problems == []
    assert doc.positions.key("title") == ORIGIN.at(2, 1)
    assert doc.positions.key("citations", "a", "url") == ORIGIN.at(5, 5)
    assert doc.positions.value("citations", "a", "url") == ORIGIN.at(5, 10)
    assert doc.body == "Body\n"
    assert doc.body_line == 7


def test_dates_stay_text_for_our_own_checks() -> None:
    doc, _ = parse("---\ndate: 2023-02-30\n---\n")
    assert doc.meta == {"date": "2023-02-30"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "content/briefings/a.md:1:1: error: file is empty"),
        ("title: x\n", "content/briefings/a.md:1:1: error: missing front matter"),
        ("---\ntitle: x\n", "content/briefings/a.md:1:1: error: front matter is not closed"),
        ("---\n- a\n- b\n---\n", "content/briefings/a.md:2:1: error: front matter must be a"),
        ("---\ntitle: a: b\n---\n", "content/briefings/a.md:2:9: error: invalid YAML"),
        ("---\na: &x [1]\nb: *x\n---\n",
         "content/briefings/a.md:3:4: error: YAML anchors and aliases are not allowed"),
        ("---\na: !!python/object/apply:os.system [ls]\n---\n",
         "content/briefings/a.md:2:4: error: YAML tags ('!!python/object/apply:os.system') are"),
    ],
)  # fmt: skip
def test_problems_are_located(text: str, expected: str) -> None:
    doc, problems = parse(text)
    assert doc is None
    assert problems[0].startswith(expected), problems


def test_duplicate_key_is_reported_and_the_first_kept() -> None:
    doc, problems = parse("---\ntitle: a\ntitle: b\ndate: x\n---\n")
    assert problems == [
        "content/briefings/a.md:3:1: error: duplicate key 'title' (first defined on line 2) "
        "(remove one of them)"
    ]
    assert doc.meta == {"title": "a", "date": "x"}


def test_bom_and_crlf_read_like_clean_text(tmp_path: Path) -> None:
    clean = "---\ntitle: Ü\n---\nBody\n"
    messy = tmp_path / "messy.md"
    messy.write_bytes(b"\xef\xbb\xbf" + clean.replace("\n", "\r\n").encode())
    assert read_text(messy, "messy.md", Diagnostics()) == clean


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"---\ntitle: ok\nsummary: caf\xe9\n---\n")
    diags = Diagnostics()
    assert read_text(path, "bad.md", diags) is None
    assert diags.sorted()[0].format().startswith("bad.md:3:13: error: file is not valid UTF-8")
