"""`check` keeps a record of the pages it rendered, as a build does, and the next check
renders only those whose key changed: it reports exactly what a check from nothing
reports, after any edit, and with its record damaged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_build_cache import EDITS, LINK_CHANGES, briefing, make_site, write

from briefgen import pipeline
from briefgen.build import BuildOptions, BuildResult, build
from briefgen.cache.folder import CACHE_DIR
from briefgen.cli import main


def check(site: Path, cache: bool = True, check_links: bool = True, **options: Any) -> BuildResult:
    return build(site, BuildOptions(write=False, check_links=check_links, cache=cache, **options))


def report(result: BuildResult) -> tuple[bool, int, list[str]]:
    return result.ok, result.pages, [d.format() for d in result.diagnostics]


def records(site: Path) -> list[Path]:
    return sorted((site / CACHE_DIR).glob("checked*.json"))


def test_a_check_renders_only_the_pages_whose_key_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", count=20)
    first = check(site)
    assert first.ok and first.rendered == first.pages > 40
    assert [p.name.split("-")[0] for p in records(site)] == ["checked", "checked"]
    again = check(site)
    assert report(again) == report(first)
    assert again.rendered == 0
    capsys.readouterr()
    assert main(["check", "-s", str(site)]) == 0
    assert f"Checked {first.pages} pages (0 rendered) in " in capsys.readouterr().out
    write(site, "b003", briefing(3).replace("Text", "Other text"))
    edited = check(site)
    assert report(edited) == report(check(site, cache=False))
    assert 0 < edited.rendered < first.pages // 3


def test_checks_after_every_kind_of_edit_report_what_a_check_from_nothing_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two processes, and the pages checked again (the two linking into b001, when it
    # is rendered again) shared with a forked copy that renders its half.
    monkeypatch.setattr(pipeline, "_CHECKED_APART_FROM", 1)
    forked = []
    fork = pipeline.fork

    def counted(task: Callable[[], bytes]) -> object:
        found = fork(task)
        forked.append(found is not None)
        return found

    monkeypatch.setattr(pipeline, "fork", counted)
    site = make_site(tmp_path / "site", count=20)
    link = "\nSee [the next](/briefings/b001/#part-1).\n"
    write(site, "b000", briefing(0) + link)
    (site / "content/pages/about.md").write_text(f"---\ntitle: About\n---\n{link}")
    assert check(site, jobs=2).ok
    for name, edit in EDITS:
        edit(site)
        reused = check(site, jobs=2)
        assert report(reused) == report(check(site, cache=False, jobs=1)), name
        if name in ("body", "title", "correction"):
            assert reused.rendered < reused.pages, name
        if name == "delete":  # a file gone: every page is checked, so rendered, again
            assert reused.rendered == reused.pages
    assert True in forked


@pytest.mark.parametrize("change", LINK_CHANGES)
def test_a_page_a_check_leaves_is_checked_again_when_what_it_links_to_changes(
    tmp_path: Path, change: str
) -> None:
    """As a build does (see test_build_cache.py), but a check has no output to read the
    page back from: it renders it again, and a broken link is an error."""
    link, edit, broken = LINK_CHANGES[change]
    site = make_site(tmp_path / "site", count=3)
    (site / "content/static").mkdir()
    (site / "content/static/notes.txt").write_text("Notes.\n", encoding="utf-8")
    write(site, "b000", briefing(0) + f"\nSee [the next]({link}).\n")
    assert check(site).ok is broken  # each change mends a broken link, or breaks one
    edit(site)
    for _ in range(2):  # and again: what was found is kept
        found = check(site)
        assert found.ok is not broken
        assert report(found) == report(check(site, cache=False))


def test_a_damaged_record_is_no_record(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=5)
    write(site, "b000", briefing(0) + "\nSee [the next](/briefings/b001/#part-1).\n")
    reference = report(check(site))
    for n, damage in enumerate(["", "{", '{"version": 7, "pages": []}', "[1, 2]"]):
        for record in records(site):
            record.write_text(damage, encoding="utf-8")
        write(site, "b001", briefing(1).replace("Text", f"Text {n}"))
        assert report(check(site)) == reference


def test_checks_with_other_options_and_builds_keep_apart(tmp_path: Path) -> None:
    """A check of embargoed briefings too (--future), a check without, and a build each
    report what they would from nothing; the build writes what it would."""
    site = make_site(tmp_path / "site", count=6)
    later = briefing(5).replace("\ndate:", "\npublish_at: 2999-01-01T00:00:00Z\ndate:", 1)
    write(site, "b005", later.replace("## Part 5", "## Part 5\n\n[Gone](/nowhere/)"))
    future = check(site, future=True)
    assert not future.ok and "broken link '/nowhere/'" in str(report(future))
    for _ in range(2):
        assert report(check(site)) == report(check(site, cache=False))
        assert report(check(site, future=True)) == report(future)
    out = tmp_path / "out"
    built = build(site, BuildOptions(out=out, base_url="https://example.org/x/"))
    assert built.ok and (out / "briefings/b004/index.html").is_file()
    again = check(site)
    assert again.ok and again.rendered == 0


def test_a_link_into_a_page_the_check_leaves_is_checked_against_its_ids(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=3)
    assert check(site).ok
    for anchor, fine in [("part-1", True), ("nowhere", False), ("part-1", True)]:
        write(site, "b000", briefing(0) + f"\nSee [the next](/briefings/b001/#{anchor}).\n")
        found = check(site)
        assert found.ok is fine
        assert report(found) == report(check(site, cache=False))


def test_a_check_without_links_leaves_no_record_of_them(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=3)
    write(site, "b000", briefing(0) + "\nSee [the next](/briefings/nowhere/).\n")
    assert check(site, check_links=False).ok
    assert records(site) == []
    assert not check(site).ok
