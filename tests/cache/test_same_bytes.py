"""The fast paths of a build write exactly the bytes of the plain one: a build without
the cache in one process. Checked on the bundled example site and on a corpus of the
benchmark's generator, cold, with nothing changed, and after an edit."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest

from briefgen import workers
from briefgen.cli import main
from briefgen.render import job, search, search_pages, theme

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import edit_body, generate, write_site  # noqa: E402


def hashes(folder: Path) -> dict[str, str]:
    """Every file of a built site by its SHA-256 (the output's manifest included)."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build(site: Path, out: Path, *args: str) -> dict[str, str]:
    assert main(["build", "--strict", "-q", "-s", str(site), "--out", str(out), *args]) == 0
    return hashes(out)


def plain(site: Path, out: Path) -> dict[str, str]:
    return build(site, out, "--no-cache", "--jobs", "1")


def example(tmp_path: Path) -> Path:
    site = tmp_path / "example"
    shutil.copytree(ROOT / "content", site / "content")
    return site


def generated(tmp_path: Path) -> Path:
    """Enough briefings to be parsed, and pages to be rendered, by parallel workers."""
    site = tmp_path / "generated"
    write_site(generate(70, seed=3, sources=20), site)
    return site


def generated_in_parts(tmp_path: Path) -> Path:
    """The corpus with its search index in parts of about 20 briefings each."""
    site = generated(tmp_path)
    with (site / "content/site.yaml").open("a", encoding="utf-8") as settings:
        settings.write("search_part_size: 20\n")
    return site


@pytest.mark.parametrize("make", [example, generated, generated_in_parts])
def test_cached_incremental_and_parallel_builds_write_the_plain_builds_bytes(
    make, tmp_path: Path
) -> None:
    site = make(tmp_path)
    reference = plain(site, tmp_path / "plain")
    assert any(rel.startswith("pagefind/") for rel in reference)  # the index is in too
    if make is generated_in_parts:
        assert sum(rel.endswith("pagefind-entry.json") for rel in reference) > 3
    out = tmp_path / "out"
    assert build(site, out, "--jobs", "2") == reference  # cold, cache written
    assert build(site, out, "--jobs", "2") == reference  # nothing changed: all kept
    assert build(site, out, "--jobs", "1") == reference

    edited = sorted((site / "content/briefings").rglob("*.md"))[0]
    edit_body(edited, edited.read_text(encoding="utf-8"), "same-bytes")
    assert build(site, out, "--jobs", "2") == plain(site, tmp_path / "plain-edited")


def test_a_render_beside_several_forked_copies_writes_the_plain_builds_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large render is cut into runs, each beside a copy forked for it alone."""
    site = generated(tmp_path)
    reference = plain(site, tmp_path / "plain")
    forked: list[bool] = []

    def pool(*args: Any, **kwargs: Any) -> Any:
        forked.append(workers.can_fork())
        return workers.pool(*args, **kwargs)

    monkeypatch.setattr(job, "_COPY_PAGES", 60)
    monkeypatch.setattr(job, "pool", pool)
    assert build(site, tmp_path / "out", "--jobs", "2") == reference
    assert len(forked) > 3 and all(forked), forked


@pytest.mark.parametrize("make", [example, generated])
def test_pagefind_makes_the_same_index_from_pages_without_their_skipped_parts(
    make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make(tmp_path)
    cut = plain(site, tmp_path / "cut")
    pages = sorted((tmp_path / "cut/briefings").glob("*/index.html"))
    assert any(len(search.for_indexing(p.read_bytes())) < p.stat().st_size / 2 for p in pages)
    monkeypatch.setattr(search, "for_indexing", search_pages.markers_joined)
    whole = plain(site, tmp_path / "whole")
    index = {rel: digest for rel, digest in whole.items() if rel.startswith("pagefind/")}
    assert len(index) > len(pages)
    assert {rel: cut[rel] for rel in index} == index


# Each way the theme's templates run quicker than Jinja's own, and how to turn it off.
JINJAS_OWN = {
    "escaping": (theme._Environment, "template_class", jinja2.Template),
    "macro calls": (theme, "_QUICK_MACROS", False),
    "outputs kept": (theme.Once, "__call__", lambda _, name, macro, *args: macro(*args)),
}


@pytest.mark.parametrize("make", [example, generated])
@pytest.mark.parametrize("shortcut", sorted(JINJAS_OWN))
def test_pages_are_written_as_jinjas_own_templates_write_them(
    make, shortcut: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates write out plain escaped texts where Jinja's make Markup of each, and
    call macros given their arguments by position at once."""
    site = make(tmp_path)
    ours = plain(site, tmp_path / "ours")
    monkeypatch.setattr(*JINJAS_OWN[shortcut])
    assert plain(site, tmp_path / "jinjas") == ours
