"""A file a build lists but cannot read is among what it reads all the same: the
build or check after one appeared fails and says where, as one without the cache
does, where it replayed the last passing one, or patched an edit in beside it.

Run as another user would run them: root reads any file, so as root each command
runs without the capabilities that let it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import check_out_anew
from test_last_build import SITE as REPLAYED

# The site of the replay's tests, its links all sound (a check keeps no record of a
# failed one), with an asset of its own, so that its templates/ folder is there.
SITE = (
    REPLAYED.replace(" See [the map](/nowhere/).", "")
    + "-- templates/assets/extra.css --\np { margin: 0; }\n"
)
NEW = """---
title: Curfew announced
date: 2023-06-03
regions: [belgorod]
---
A curfew begins at ten.
"""
DENIED = "error: cannot read file: Permission denied"


# Root reads any file; without these capabilities, as any other user would.
AS_ANOTHER_USER = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def as_user(command: list[str]) -> list[str]:
    return [*AS_ANOTHER_USER, *command] if os.geteuid() == 0 else command


def briefgen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = as_user([sys.executable, "-m", "briefgen", *args, "-s", str(site)])
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def permissions_apply(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip where a file without read permission can be read all the same: as root,
    where ``setpriv`` is missing or cannot give up the capabilities."""
    closed = tmp_path_factory.mktemp("closed") / "closed.txt"
    closed.write_text("x")
    closed.chmod(0)
    try:
        done = subprocess.run(as_user(["cat", str(closed)]), capture_output=True, check=False)
    except FileNotFoundError:
        pytest.skip("setpriv is not installed")
    if done.returncode == 0:
        pytest.skip("a file without read permission can be read here")


@pytest.fixture
def site(make_site, permissions_apply: None) -> Path:
    """A site whose build and check passed, their records kept."""
    site = make_site(SITE)
    site.settle()
    for command in ("build", "check"):
        done = briefgen(site.root, command)
        assert done.returncode == 0, done.stderr
    return site.root


def unreadable_file(root: Path, rel: str, text: str = NEW) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0)


def folder_not_entered(root: Path, rel: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True)
    path.write_text(NEW)
    path.parent.chmod(0o644)  # listed, but no file in it can be opened or looked at


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize(
    ("make", "rel"),
    [
        (unreadable_file, "content/briefings/x.md"),
        (unreadable_file, "content/pages/about.md"),
        (unreadable_file, "content/static/notes.txt"),
        (unreadable_file, "templates/404.html"),
        (folder_not_entered, "content/briefings/2023/x.md"),
    ],
    ids=["briefing", "page", "static file", "template", "folder not entered"],
)
def test_a_file_that_cannot_be_read_fails_the_next_build_and_check(
    site: Path, make, rel: str, command: str
) -> None:
    error = f"{rel}:1:1: {DENIED}"
    make(site, rel)
    try:
        for _ in range(2):  # nor is the record of the failed one taken
            done = briefgen(site, command)
            assert done.returncode == 1 and error in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
    finally:
        (site / rel).parent.chmod(0o755)
        (site / rel).chmod(0o644)


def test_an_edit_beside_a_folder_not_entered_is_not_published(site: Path) -> None:
    page = site / "public/briefings/shelling/index.html"
    before = page.read_bytes()
    shelling = site / "content/briefings/shelling.md"
    shelling.write_text(shelling.read_text() + "\nThe shelling resumed at dawn.\n")
    folder_not_entered(site, "content/briefings/2023/curfew.md")
    try:
        done = briefgen(site, "build")
    finally:
        (site / "content/briefings/2023").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert page.read_bytes() == before


def test_a_folder_no_build_reads_that_cannot_be_entered_leaves_builds_replayed(
    site: Path,
) -> None:
    """It is listed as it was at every build: the build after the one that found it
    replays that one."""
    notes = site / "content/.notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("Ask the governor's office.")
    notes.chmod(0o644)
    try:
        runs = [briefgen(site, "build", "-v") for _ in range(3)]
    finally:
        notes.chmod(0o755)
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert "unchanged:" not in runs[0].stderr
    assert "unchanged:" in runs[1].stderr and "unchanged:" in runs[2].stderr


def test_a_fresh_checkout_beside_a_folder_that_cannot_be_entered_is_replayed_by_content(
    site: Path,
) -> None:
    """As a CI run's build of the same files: the folder was as it is when the last
    build read its files, so that build's record knows them by their bytes."""
    notes = site / "content/.notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("Ask the governor's office.")
    notes.chmod(0o644)
    try:
        assert briefgen(site, "build").returncode == 0
        check_out_anew(site)
        again = briefgen(site, "build", "-v")
    finally:
        (site / "content/.notes").chmod(0o755)
    assert again.returncode == 0 and "unchanged by content:" in again.stderr, again.stderr


@pytest.mark.parametrize("name", ["part.html~", "part.html.swp", "#part.html#", "part.tmp"])
def test_a_template_named_as_an_editors_backup_is_no_template(make_site, name: str) -> None:
    """The build lists no such file among its inputs, so it could not tell when one
    changed: including one is an error, with the cache and without."""
    site = make_site(
        SITE,
        f"-- templates/{name} --\n<p>kept aside</p>\n"
        "-- templates/404.html --\n{% extends 'base.html' %}\n"
        f"{{% block main %}}{{% include '{name}' %}}{{% endblock %}}\n",
    )
    for args in (["build"], ["build"], ["build", "--no-cache"], ["check"]):
        done = briefgen(site.root, *args)
        error = f"templates/404.html:2:1: error: template not found: {name}"
        assert done.returncode == 1 and error in done.stderr, done.stderr
