"""A check whose inputs, by their bytes, are the last passing check's reports what that
one reported, without loading the site: on the author's machine, and in a CI run
that checks the files out anew. Anything else a report depends on (an option, a
template, briefgen's code, an embargo's end) makes it check again."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from checkout import check_out_anew
from test_build_cache import age, briefing, make_site, write

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.cache.folder import CACHE_DIR
from briefgen.cli import main
from briefgen.contents import read_contents

NOW = dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone.utc)


def check(site: Path, **options: Any) -> BuildResult:
    options.setdefault("now", NOW)
    return build(site, BuildOptions(write=False, check_links=True, **options))


def report(result: BuildResult) -> tuple[Any, ...]:
    diagnostics = [d.format() for d in result.diagnostics]
    return result.ok, result.pages, diagnostics, result.embargoed, result.coverage


def replayed(result: BuildResult) -> bool:
    return "unchanged" in result.seconds


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site with a warning and a briefing under embargo, its files settled."""
    root = make_site(tmp_path / "site", count=8)
    later = briefing(7).replace("\ndate:", "\npublish_at: 2024-01-02T00:00:00Z\ndate:", 1)
    write(root, "b007", later)
    age(root)
    return root


def test_a_check_of_the_same_files_reports_the_last_ones_report_again(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = check(site)
    assert first.ok and first.diagnostics and first.embargoed and first.coverage
    again = check(site)
    assert replayed(again) and again.rendered == 0
    assert report(again) == report(first)
    printed = []
    for _ in range(2):
        capsys.readouterr()
        assert main(["check", "-s", str(site), "--now", NOW.isoformat()]) == 0
        out, err = capsys.readouterr()
        printed.append((out.split(" in ")[0], out.split(": ", 2)[-1], err))
    assert printed[0] == printed[1]


def test_a_fresh_checkout_of_the_same_files_is_given_the_report_again(site: Path) -> None:
    first = check(site)
    check_out_anew(site)
    age(site)
    again = check(site)
    assert replayed(again) and report(again) == report(first)
    assert replayed(check(site))


def test_an_edit_that_keeps_the_size_and_sets_the_time_back_is_checked(site: Path) -> None:
    check(site)
    path = site / "content/briefings/b001.md"
    stat = path.stat()
    path.write_text(briefing(1).replace("Text [@a]", "Text [@x]"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    found = check(site)
    assert not replayed(found) and not found.ok
    assert "content/briefings/b001.md" in str(report(found))


def test_an_embargo_that_ends_between_two_checks_makes_the_second_check(site: Path) -> None:
    before = check(site)
    assert "content/briefings/b007.md" in before.embargoed
    after = check(site, now=NOW + dt.timedelta(days=1))
    assert not replayed(after) and not after.embargoed
    assert report(after) == report(check(site, now=NOW + dt.timedelta(days=1), cache=False))


@pytest.mark.parametrize(
    "change",
    ["future", "drafts", "strict", "template", "no record", "damaged record", "settled"],
)
def test_what_else_decides_the_report_makes_the_check_run(site: Path, change: str) -> None:
    check(site)
    options: dict[str, Any] = {}
    record = site / CACHE_DIR / next(p.name for p in (site / CACHE_DIR).glob("check-report-*"))
    if change in ("future", "drafts", "strict"):
        options[change] = True
    elif change == "template":
        (site / "templates").mkdir()
        (site / "templates/page.html").write_text("{% extends 'default/page.html' %}")
    elif change == "no record":
        record.unlink()
    elif change == "damaged record":
        record.write_text('{"version": 1, "digest": 7, "files": []}', encoding="utf-8")
    else:  # a file saved just before the check (its time ahead, however slow the check)
        record.unlink()
        write(site, "b002", briefing(2).replace("Text", "Other text"))
        ahead = time.time_ns() + 3600 * 10**9
        os.utime(site / "content/briefings/b002.md", ns=(ahead, ahead))
    found = check(site, **options)
    assert not replayed(found)
    assert report(found) == report(check(site, cache=False, **options))
    if change == "settled":
        assert not replayed(check(site)) and not record.exists()


def test_a_check_that_fails_keeps_no_record_and_the_last_passing_one_holds(site: Path) -> None:
    passing = check(site)
    path = site / "content/briefings/b001.md"
    path.write_text(briefing(1) + "\nSee [x](/nowhere/).\n", encoding="utf-8")
    age(site)
    assert not check(site).ok
    assert not replayed(check(site))
    path.write_text(briefing(1), encoding="utf-8")
    age(site)
    again = check(site)
    assert replayed(again) and report(again) == report(passing)


def test_files_added_removed_or_changed_during_a_check_leave_no_record(site: Path) -> None:
    """What the check read may not be what was hashed: it keeps no record then."""
    folders = [site / "content"]
    contents, _ = read_contents(folders[0], [], [], {})
    assert contents.settled and contents.unchanged()
    extra = site / "content/briefings/extra.md"
    extra.write_text(briefing(9), encoding="utf-8")
    assert not contents.unchanged()
    extra.unlink()
    assert contents.unchanged()
    (site / "content/briefings/b001.md").write_text(briefing(1) + "\nMore.\n", encoding="utf-8")
    assert not contents.unchanged()
