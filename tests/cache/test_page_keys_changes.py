"""A rebuild that changed few pages writes only their entries of the page keys record,
into a file of changes the next build reads after the record (render/keys.py); changes
that do not fit the record are not read, and the pages they name render again."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_edit_reads import edit, incremental, plain
from test_same_bytes import hashes

from briefgen.build import BuildResult

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from corpus import generate, write_site


def record(site: Path) -> Path:
    (found,) = (site / ".briefgen-cache").glob("pages-*.json")
    return found


def changes(site: Path) -> Path:
    (found,) = (site / ".briefgen-cache").glob("changed-*.json")
    return found


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def in_full(site: Path, out: Path) -> BuildResult:
    """A rebuild in full, which reads the page keys record and writes its changes: the
    patch record goes first, since with it an edit of a briefing's text is patched in
    (and a file touched is found unchanged) without either."""
    for found in (site / ".briefgen-cache").glob("patch-*.json"):
        found.unlink()
    return incremental(site, out)


def touch(path: Path) -> None:
    """A new time for ``path``, so that the next build is not a replay of the last."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


@pytest.fixture
def edited(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    """A site built, then built again after one briefing's body was edited."""
    site = tmp_path / "site"
    write_site(generate(40, seed=11, sources=20), site)
    out = tmp_path / "out"
    incremental(site, out)
    briefings = sorted((site / "content/briefings").rglob("*.md"))
    edit(briefings[10], "\n\n", "\n\nA sentence added.\n\n")
    in_full(site, out)
    return site, out, briefings


def test_an_edit_writes_the_entries_of_the_pages_it_changed_beside_the_record(
    edited: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    site, out, briefings = edited
    text = record(site).read_bytes()
    first = read(changes(site))
    assert first["base"] == read(record(site))["name"]
    page = f"briefings/{briefings[10].stem}/index.html"
    assert page in first["pages"]
    assert f"briefings/{briefings[20].stem}/index.html" not in first["pages"]
    assert 0 < len(first["pages"]) < len(read(record(site))["pages"]) // 3

    edit(briefings[20], "\n\n", "\n\nAnother sentence.\n\n")
    in_full(site, out)
    assert record(site).read_bytes() == text  # the record itself is left as it is
    second = read(changes(site))
    assert {page, f"briefings/{briefings[20].stem}/index.html"} <= second["pages"].keys()
    assert hashes(out) == plain(site, tmp_path / "plain")

    touch(briefings[30])
    assert in_full(site, out).rendered == 0  # the record and its changes know every page


def test_the_page_of_a_briefing_deleted_is_gone_from_the_record(
    edited: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    site, out, briefings = edited
    page = f"briefings/{briefings[35].stem}/index.html"
    assert page in read(record(site))["pages"]
    briefings[35].unlink()
    incremental(site, out)
    data = read(changes(site))
    assert page in data["gone"] and page not in data["pages"]
    assert hashes(out) == plain(site, tmp_path / "plain")
    touch(briefings[30])
    assert in_full(site, out).rendered == 0


CHANGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "of another record": lambda data: data.update(base="0" * 32),
    "with tables that do not extend the record's": lambda data: data["briefings"].reverse(),
    "whose pages are no mapping": lambda data: data.update(pages=[]),
    "whose gone pages are no list": lambda data: data.update(gone="briefings/"),
    "of another version": lambda data: data.update(version=1),
}


@pytest.mark.parametrize("spoil", CHANGES.values(), ids=CHANGES.keys())
def test_changes_that_do_not_fit_the_record_are_not_read(
    edited: tuple[Path, Path, list[Path]], tmp_path: Path, spoil: Callable[[dict[str, Any]], object]
) -> None:
    site, out, briefings = edited
    data = read(changes(site))
    spoil(data)
    changes(site).write_text(json.dumps(data), encoding="utf-8")
    touch(briefings[30])
    result = in_full(site, out)
    assert result.rendered > 0  # the pages of the edit: the record alone has their old files
    assert hashes(out) == plain(site, tmp_path / "plain")


def test_many_changes_write_the_record_whole(
    edited: tuple[Path, Path, list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefgen.render.keys._FEW_CHANGES", 10)  # a small site's many
    site, out, _ = edited
    name = read(record(site))["name"]
    edit(site / "content/site.yaml", "title: Benchmark Briefings", "title: Every page shows it")
    incremental(site, out)
    assert read(record(site))["name"] != name
    assert list((site / ".briefgen-cache").glob("changed-*.json")) == []
    assert hashes(out) == plain(site, tmp_path / "plain")
