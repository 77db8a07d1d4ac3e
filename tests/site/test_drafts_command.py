"""`briefgen drafts`: every draft briefing and page, newest first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SITE = """
-- content/site.yaml --
title: T
base_url: https://example.org/
-- content/briefings/published.md --
---
title: Published
date: 2023-06-09
regions: [x]
---
Text.
-- content/pages/about.md --
---
title: About
---
Text.
"""


def draft(rel: str, front: str) -> str:
    return f"-- {rel} --\n---\n{front}draft: true\n---\nUnfinished.\n"


DRAFTS = "".join(
    [
        draft("content/briefings/2023/06/older.md", "title: Older\ndate: 2023-06-01\n"),
        draft(
            "content/briefings/2023/06/newer.md",
            "title: Newer, still unsure\ndate: 2023-06-03T09:15:00+03:00\n",
        ),
        draft("content/briefings/b-same-day.md", "title: Same day B\ndate: 2023-06-02\n"),
        draft("content/briefings/a-same-day.md", "title: Same day A\ndate: 2023-06-02\n"),
        draft("content/pages/team.md", "title: Our team\n"),
    ]
)

ROOT = Path(__file__).resolve().parents[2]


def test_drafts_are_listed_newest_first_with_pages_last(make_site):
    site = make_site(SITE, DRAFTS)
    result = site.run("drafts", "-s", site.root)
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out.splitlines() == [
        "content/briefings/2023/06/newer.md\tNewer, still unsure\t2023-06-03T09:15:00+03:00",
        "content/briefings/a-same-day.md\tSame day A\t2023-06-02",
        "content/briefings/b-same-day.md\tSame day B\t2023-06-02",
        "content/briefings/2023/06/older.md\tOlder\t2023-06-01",
        "content/pages/team.md\tOur team\t-",
    ]


def test_no_drafts_says_so(make_site):
    site = make_site(SITE)
    result = site.run("drafts", "-s", site.root)
    assert (result.code, result.out, result.err) == (0, "No drafts.\n", "")


def test_the_listing_reads_times_in_the_sites_timezone(make_site):
    site = make_site(
        SITE.replace("title: T\n", "title: T\ntimezone: Asia/Tokyo\n"),
        draft("content/briefings/tokyo.md", "title: Tokyo\ndate: 2023-06-02T08:00\n"),
        # 08:00 in Tokyo is 23:00 UTC the day before: earlier than this one.
        draft("content/briefings/utc.md", "title: UTC\ndate: 2023-06-01T23:30Z\n"),
    )
    result = site.run("drafts", "-s", site.root)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "content/briefings/utc.md\tUTC\t2023-06-01T23:30:00+00:00",
        "content/briefings/tokyo.md\tTokyo\t2023-06-02T08:00:00+09:00",
    ]


def test_drafts_with_errors_are_reported_and_fail(make_site):
    site = make_site(
        SITE,
        draft("content/briefings/no-date.md", "title: No date yet\n"),
        draft("content/briefings/untitled.md", "date: 2023-06-05\nregions: [x]\n"),
        draft("content/briefings/fine.md", "title: Fine\ndate: 2023-06-04\n"),
        # not a draft: its error is the build's business, not this listing's
        "-- content/briefings/broken.md --\n---\ntitle: Broken\n---\nText.\n",
    )
    result = site.run("drafts", "-s", site.root)
    assert result.code == 1
    assert result.out.splitlines() == [
        "content/briefings/untitled.md\t-\t2023-06-05",
        "content/briefings/fine.md\tFine\t2023-06-04",
    ]
    assert result.err.splitlines() == [
        "content/briefings/no-date.md:2:1: error: missing required field 'date' "
        "(add 'date: YYYY-MM-DD')",
        "content/briefings/untitled.md:2:1: error: missing required field 'title' (add 'title: …')",
        "2 error(s)",
    ]


def test_an_error_in_site_yaml_is_reported(make_site):
    site = make_site(SITE.replace("title: T\n", "title: T\ntimezone: Mars/Olympus\n"), DRAFTS)
    result = site.run("drafts", "-s", site.root)
    assert result.code == 1
    assert result.err.startswith("content/site.yaml:2:11: error: unknown timezone 'Mars/Olympus'")
    assert len(result.out.splitlines()) == 5


def test_a_title_with_a_tab_or_newline_stays_on_its_line(make_site):
    site = make_site(
        SITE, draft("content/briefings/odd.md", 'title: "One\\ttwo\\nthree"\ndate: 2023-06-02\n')
    )
    result = site.run("drafts", "-s", site.root)
    assert result.out.splitlines() == ["content/briefings/odd.md\tOne\\ttwo\\nthree\t2023-06-02"]


def test_drafts_is_a_command_of_the_installed_program(make_site):
    site = make_site(SITE, DRAFTS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "drafts"],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == [
        "content/briefings/2023/06/newer.md",
        "content/briefings/a-same-day.md",
        "content/briefings/b-same-day.md",
        "content/briefings/2023/06/older.md",
        "content/pages/team.md",
    ]
    usage = subprocess.run(
        [sys.executable, "-m", "briefgen", "drafts", "--frobnicate"],
        cwd=site.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert usage.returncode == 2
    assert "unrecognized arguments: --frobnicate" in usage.stderr
