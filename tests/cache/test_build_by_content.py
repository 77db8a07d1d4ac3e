"""A build whose files changed by their times but not by their bytes (a CI run's fresh
checkout, with the cache and the output restored) reports what the last build reported
and leaves the output as it is, without loading the site; the next edit is patched in
as after any build. Anything else the output depends on makes it build."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from checkout import check_out_anew
from test_last_build import heavy_imports
from test_patch import SITE, A, C, append, patched

from briefgen.cache.folder import CACHE_DIR
from briefgen.contents import read_contents
from briefgen.last_build import LastBuild, Outcome, read_inputs
from briefgen.render.search_binary import executable

EMBARGOED = """
-- content/briefings/later.md --
---
title: Curfew announced
date: 2023-06-05
publish_at: 2030-01-01T00:00:00Z
regions: [belgorod]
citations:
  g-9:
    source: gladkov
    url: https://t.me/vvgladkov/9
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/9
---
A curfew begins at ten [@g-9].
-- content/briefings/loose.md --
---
title: Sirens heard
date: 2023-06-03
citations:
  g-8:
    source: gladkov
    url: https://t.me/vvgladkov/8
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/8
---
Sirens were heard in the city [@g-8].
"""
STAGE = re.compile(r"[a-z ]+: \d+\.\d\d s \(\d+%\)")
BEFORE = "2029-06-01T00:00:00+00:00"
AFTER = "2030-06-01T00:00:00+00:00"


def by_content(result) -> bool:
    return "unchanged by content:" in result.err


def reported(result) -> list[str]:
    """What a build said on its standard error but the seconds of its stages."""
    return [line for line in result.err.splitlines() if not STAGE.fullmatch(line)]


def output(site) -> dict[str, tuple[bytes, int]]:
    """Every file of the output, with its bytes and its modification time."""
    return {
        path.relative_to(site.out).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in site.out.rglob("*")
        if path.is_file()
    }


def from_nothing(site, tmp_path: Path, *args: str) -> dict[str, bytes]:
    """What a build of the site's files writes from nothing, without the cache."""
    out = site.out
    site.ok("--no-cache", "--out", tmp_path / "clean", *args)
    files = site.output_files()
    site.out = out
    return files


@pytest.fixture
def site(make_site):
    """A site with a warning and a briefing under embargo, built once its files had
    settled."""
    site = make_site(SITE, EMBARGOED)
    site.settle()
    site.ok("--now", BEFORE)
    return site


def test_a_fresh_checkout_of_the_same_files_leaves_the_output_and_reports_the_same(site) -> None:
    first = site.ok("-v", "--now", BEFORE)
    assert "unchanged:" in first.err
    before = output(site)
    check_out_anew(site.root)
    site.settle()
    again = site.ok("-v", "--now", BEFORE)
    assert by_content(again) and "load:" not in again.err
    assert output(site) == before
    assert reported(again) == reported(first)
    assert "content/briefings/loose.md:2: warning: briefing has no regions" in first.err
    assert again.out.split(" in ")[0] == first.out.split(" in ")[0]
    assert "unchanged:" in site.ok("-v", "--now", BEFORE).err  # known by their stamps again


def test_after_a_fresh_checkout_an_edit_is_patched_in(site, tmp_path) -> None:
    check_out_anew(site.root)
    site.settle()
    assert by_content(site.ok("-v", "--now", BEFORE))
    append(site, A, "\nBuses left every hour.\n")
    site.settle()
    result = site.ok("-v", "--now", BEFORE)
    assert patched(result)
    assert site.output_files() == from_nothing(site, tmp_path, "--now", BEFORE)


def test_a_check_and_a_build_of_a_fresh_checkout_read_its_files_once(site) -> None:
    """The check hashes the files; the build finds each known by its new stamp."""
    check_out_anew(site.root)
    site.settle()
    assert site.run("check", "-s", str(site.root), "--now", BEFORE).code == 0
    known = site.root / CACHE_DIR / "known-files.json"
    found = json.loads(known.read_text(encoding="utf-8"))["files"]
    stamp = (site.root / A).stat()
    assert found[str(site.root / A)][:4] == [
        stamp.st_size, stamp.st_mtime_ns, stamp.st_ctime_ns, stamp.st_ino
    ]  # fmt: skip
    written = known.stat().st_mtime_ns
    assert by_content(site.ok("-v", "--now", BEFORE))
    assert known.stat().st_mtime_ns == written


@pytest.mark.parametrize("edit", ["text", "title", "two texts"])
def test_a_fresh_checkout_with_briefings_edited_is_patched_in(make_site, tmp_path, edit) -> None:
    """A CI run of a commit that changed one briefing, or the text of two: the records
    know the other files by their bytes."""
    site = make_site(SITE)
    site.settle()
    site.ok()
    path = site.root / A
    text = path.read_text(encoding="utf-8")
    if edit == "title":
        path.write_text(text.replace("villages shelled", "villages struck"), encoding="utf-8")
    else:
        path.write_text(text + "\nBuses left every hour.\n", encoding="utf-8")
    if edit == "two texts":
        append(site, C, "\nThe last bus left at noon.\n")
    check_out_anew(site.root)
    site.settle()
    result = site.ok("-v")
    assert patched(result) and "load:" not in result.err
    assert site.output_files() == from_nothing(site, tmp_path)
    check_out_anew(site.root)  # the next run, nothing changed: the patch read all by content
    site.settle()
    assert by_content(site.ok("-v"))


def test_an_edit_undone_in_the_next_commit_is_patched_back(make_site, tmp_path) -> None:
    """The record a patch leaves knows the edit's bytes, not the bytes before it."""
    site = make_site(SITE)
    site.settle()
    site.ok()
    path = site.root / A
    original = path.read_text(encoding="utf-8")
    for text in (original + "\nBuses left every hour.\n", original):
        path.write_text(text, encoding="utf-8")
        check_out_anew(site.root)
        site.settle()
        assert patched(site.ok("-v"))
        assert site.output_files() == from_nothing(site, tmp_path)


@pytest.mark.parametrize("edited", [False, True], ids=["nothing else", "a briefing too"])
@pytest.mark.parametrize(
    "change",
    ["a page", "an option", "a template", "the output", "an embargo's end"],
)
def test_what_else_decides_the_output_makes_the_build_run(
    site, tmp_path, change: str, edited: bool
) -> None:
    """Neither replayed nor patched in: each of these makes the build run in full,
    alone or with a briefing edited (which a patch could take)."""
    check_out_anew(site.root)
    args = ["--now", BEFORE]
    if edited:
        append(site, A, "\nBuses left every hour.\n")
    if change == "a page":
        append(site, "content/pages/about.md", "\nWho we are.\n")
    elif change == "an option":
        args += ["--base-url", "https://example.org/other/"]
    elif change == "a template":
        (site.root / "templates").mkdir()
        (site.root / "templates/page.html").write_text(
            "{% extends 'default/page.html' %}{% block title %}Other{% endblock %}"
        )
    elif change == "the output":
        (site.out / "index.html").write_text("changed", encoding="utf-8")
    else:
        args = ["--now", AFTER]
    site.settle()
    result = site.ok("-v", *args)
    assert not by_content(result) and "load:" in result.err
    assert site.output_files() == from_nothing(site, tmp_path, *args)


def test_a_fresh_checkout_after_a_patch_is_built_then_known_by_content(site, tmp_path) -> None:
    """A patch does not read every file by content: the build after it loads the
    site, and records them."""
    append(site, A, "\nBuses left every hour.\n")
    site.settle()
    assert patched(site.ok("-v", "--now", BEFORE))
    check_out_anew(site.root)
    site.settle()
    result = site.ok("-v", "--now", BEFORE)
    assert not by_content(result) and "load:" in result.err
    check_out_anew(site.root)
    site.settle()
    assert by_content(site.ok("-v", "--now", BEFORE))
    assert site.output_files() == from_nothing(site, tmp_path, "--now", BEFORE)


def test_pagefind_installed_anew_is_known_by_its_bytes(site, tmp_path, monkeypatch) -> None:
    """A CI run installs the binary anew: its times change, its bytes do not."""
    binary = executable()
    if binary is None:
        pytest.skip("the pagefind binary is not installed")
    copy = tmp_path / "bin/pagefind"
    copy.parent.mkdir()
    shutil.copy(binary, copy)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(copy))
    site.settle()
    site.ok("--now", BEFORE)
    copy.unlink()
    shutil.copy(binary, copy)
    check_out_anew(site.root)
    site.settle()
    assert by_content(site.ok("-v", "--now", BEFORE))


def test_a_build_during_which_a_file_changed_keeps_no_digest_by_content(site) -> None:
    root = site.root
    folders = [root / "content"]
    contents, _ = read_contents(folders[0], [], [], {})
    inputs = replace(read_inputs(root, folders, []), by_content=contents)
    record = LastBuild(root, site.out)
    outcome = Outcome(1, [], {})
    saved = json.loads(record.path.read_text(encoding="utf-8"))
    assert isinstance(saved["contents"], str)
    record.save(inputs.with_contents_checked(), (None, None), [], outcome, {})
    assert json.loads(record.path.read_text(encoding="utf-8"))["contents"] == contents.digest
    append(site, A, "\nBuses left every hour.\n")
    record.save(inputs.with_contents_checked(), (None, None), [], outcome, {})
    assert json.loads(record.path.read_text(encoding="utf-8"))["contents"] is None


def test_a_build_of_a_fresh_checkout_imports_no_parser_or_renderer(site) -> None:
    """As a build that finds nothing changed by the files' stamps (see test_last_build.py):
    importing them was a third of such a build at 10,000 briefings."""
    check_out_anew(site.root)
    site.settle()
    said, imported = heavy_imports(site.root, "--now", BEFORE)
    assert "unchanged by content:" in said
    assert imported == "0 []"


@pytest.mark.parametrize("damage", [[], [7], [None, None], "a list"])
def test_a_damaged_record_of_known_files_is_no_record(site, damage) -> None:
    """Read back as untrusted: entries not as a build writes them are read again,
    those that name a file by its very stamp included."""
    check_out_anew(site.root)
    site.settle()
    path = site.root / A
    stat = path.stat()
    files: object = [str(path)]
    if damage != "a list":
        files = {str(path): [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino,
                             *damage]}  # fmt: skip
    known = site.root / CACHE_DIR / "known-files.json"
    known.write_text(json.dumps({"version": 1, "files": files}), encoding="utf-8")
    assert by_content(site.ok("-v", "--now", BEFORE))
