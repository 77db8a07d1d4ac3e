"""Links into the anchors of pages a rebuild leaves as they were are checked against
the ids the last build recorded of those pages, not by reading every such page back;
the report and the output are a build from nothing's."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.cache.folder import output_record
from briefgen.render import anchors
from briefgen.write import OutputWriter

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import generate, write_site  # noqa: E402
from test_same_bytes import hashes  # noqa: E402


def warnings(result: BuildResult) -> list[str]:
    return [d.format() for d in result.diagnostics]


def from_nothing(site: Path, out: Path) -> tuple[list[str], dict[str, str]]:
    shutil.rmtree(out, ignore_errors=True)
    result = build(site, BuildOptions(out=out, jobs=1, cache=False))
    assert result.ok
    return warnings(result), hashes(out)


def generated(tmp_path: Path, briefings: int = 12, seed: int = 5) -> tuple[Path, Path]:
    """A generated site and the folder it is built into."""
    site = tmp_path / "site"
    write_site(generate(briefings, seed=seed, sources=12), site)
    return site, tmp_path / "out"


def rebuild(site: Path, out: Path) -> BuildResult:
    return build(site, BuildOptions(out=out, jobs=1))


def retitle(path: Path, suffix: str) -> None:
    """A front-matter edit: the rebuild takes the full path, rendering the lists too."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^title: "(.*)"$', rf'title: "\1{suffix}"', text, count=1, flags=re.M))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files of the output the build reads back, the record consulted from the
    first page asked for (a large site's rebuild reads a hundred pages first)."""
    monkeypatch.setattr(anchors, "_READ_FIRST", 0)
    found: list[str] = []
    plain = OutputWriter.read

    def read(self: OutputWriter, rel: str) -> bytes | None:
        found.append(rel)
        return plain(self, rel)

    monkeypatch.setattr(OutputWriter, "read", read)
    return found


def test_a_new_briefing_checks_the_sources_links_without_reading_the_briefings_back(
    tmp_path: Path, reads: list[str]
) -> None:
    # Every source's newest-first pages move down, and each links to the citations
    # (#cite-N) of briefings whose own pages are left as they were.
    site, out = generated(tmp_path, 40, seed=3)
    assert rebuild(site, out).ok
    model = sorted((site / "content/briefings").rglob("*.md"))[0]
    text = model.read_text(encoding="utf-8")
    (model.parent / "a-new-one.md").write_text(
        re.sub(r"^date: .*$", "date: 2025-01-01", text, count=1, flags=re.M), encoding="utf-8"
    )
    reads.clear()
    again = rebuild(site, out)
    assert again.ok and 0 < again.rendered < again.pages
    assert [rel for rel in reads if rel.startswith("briefings/")] == []
    assert (warnings(again), hashes(out)) == from_nothing(site, tmp_path / "clean")


def test_a_broken_link_into_a_page_left_as_it_was_is_reported_from_the_record(
    tmp_path: Path, reads: list[str]
) -> None:
    site, out = generated(tmp_path)
    first, second = sorted((site / "content/briefings").rglob("*.md"))[:2]
    target = f"/briefings/{second.stem}/"
    first.write_text(
        first.read_text(encoding="utf-8")
        + f"\nSee [the first source]({target}#cite-1) and [nothing]({target}#nowhere).\n",
        encoding="utf-8",
    )
    built = rebuild(site, out)
    assert any("has no anchor '#nowhere'" in line for line in warnings(built))
    retitle(first, ", edited")
    reads.clear()
    again = rebuild(site, out)
    assert f"briefings/{second.stem}/index.html" not in reads
    assert [line for line in warnings(again) if "#nowhere" in line] == [
        line for line in warnings(built) if "#nowhere" in line
    ]
    assert not any("#cite-1" in line for line in warnings(again))
    assert (warnings(again), hashes(out)) == from_nothing(site, tmp_path / "clean")


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(lambda key, ids: ["another key", ids + "\nnowhere"], id="another-key"),
        pytest.param(lambda key, ids: [key, 7], id="not-text"),
        pytest.param(lambda key, ids: [key], id="short"),
        pytest.param(lambda key, ids: "nowhere", id="not-a-list"),
    ],
)
def test_an_entry_not_as_the_build_records_it_sends_the_check_to_the_page(
    tmp_path: Path, reads: list[str], entry
) -> None:
    site, out = generated(tmp_path)
    first, second = sorted((site / "content/briefings").rglob("*.md"))[:2]
    first.write_text(
        first.read_text(encoding="utf-8")
        + f"\nSee [nothing](/briefings/{second.stem}/#nowhere).\n",
        encoding="utf-8",
    )
    assert rebuild(site, out).ok
    record = output_record(site, out, "anchors")
    data = json.loads(record.read_text(encoding="utf-8"))
    rel = f"briefings/{second.stem}/index.html"
    key, ids = data["pages"][rel]
    assert "nowhere" not in ids.split("\n")
    data["pages"][rel] = entry(key, ids)
    record.write_text(json.dumps(data), encoding="utf-8")
    retitle(first, ", edited")
    reads.clear()
    again = rebuild(site, out)
    assert rel in reads
    assert any("has no anchor '#nowhere'" in line for line in warnings(again))
    assert (warnings(again), hashes(out)) == from_nothing(site, tmp_path / "clean")


def test_a_build_without_the_cache_keeps_no_record(tmp_path: Path) -> None:
    site, out = generated(tmp_path)
    assert build(site, BuildOptions(out=out, jobs=1, cache=False)).ok
    assert not output_record(site, out, "anchors").exists()
    assert rebuild(site, out).ok
    assert output_record(site, out, "anchors").exists()


def test_a_rebuild_that_links_into_few_pages_reads_them_and_leaves_the_record(
    tmp_path: Path,
) -> None:
    site, out = generated(tmp_path)
    assert rebuild(site, out).ok
    record = output_record(site, out, "anchors")
    before = record.read_bytes()
    retitle(sorted((site / "content/briefings").rglob("*.md"))[0], ", edited")
    again = rebuild(site, out)
    assert again.ok and 0 < again.rendered < again.pages
    assert record.read_bytes() == before
    assert (warnings(again), hashes(out)) == from_nothing(site, tmp_path / "clean")


@pytest.mark.parametrize("pages", [0, 1, 999, 1000, 2500])
def test_the_record_made_a_thousand_entries_at_a_time_reads_back_whole(
    tmp_path: Path, pages: int
) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    site.mkdir()
    ids = {f"briefings/b{n}-ü/index.html": f"cite-1\ncite-{n}" for n in range(pages)}
    keys = {rel: f"key {n}" for n, rel in enumerate(ids)}
    anchors.AnchorRecord(site, out).save(ids, keys)
    again = anchors.AnchorRecord(site, out)
    assert again.entries == {rel: [keys[rel], text] for rel, text in ids.items()}
