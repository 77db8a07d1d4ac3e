"""The output is replaced whole or not at all, and only a safe folder is ever written."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from processes import hold_inside_the_commit

from briefgen import write
from briefgen.cli import main
from briefgen.render.keys import RouteKeys
from briefgen.write import MANIFEST, OutputWriter, recover

BRIEFING = """---
title: Villages shelled
date: 2023-06-02
regions: [belgorod]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/1"}
---
Shelling reported [@g].
"""


def make_site(root: Path, briefings: int = 1) -> Path:
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    for n in range(briefings):
        (root / f"content/briefings/b{n}.md").write_text(BRIEFING)
    return root


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(root: Path, *args: str) -> int:
    return main(["build", "-s", str(root), *args])


def test_content_error_leaves_previous_output_byte_identical(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert build(site) == 0
    before = snapshot(site / "public")
    (site / "content/briefings/b0.md").write_text(BRIEFING.replace("2023-06-02", "2023-02-30"))
    assert build(site) == 1
    assert snapshot(site / "public") == before
    assert not list(tmp_path.glob("content/../.public*"))


def test_a_build_that_renders_in_one_process_stages_its_pages_from_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a core to spare (a small site renders in one process of two), the folders
    and files are made by a thread; the output is the same bytes."""
    site = make_site(tmp_path / "site", briefings=3)
    pages: list[threading.Thread] = []
    real = OutputWriter._stage

    def stage(self: OutputWriter, path: Path, data: bytes) -> None:
        if path.name == "index.html":
            pages.append(threading.current_thread())
        real(self, path, data)

    monkeypatch.setattr(OutputWriter, "_stage", stage)
    assert build(site, "-j", "2") == 0
    assert pages and threading.main_thread() not in pages
    assert build(site, "-j", "1", "--no-cache", "--out", str(tmp_path / "one")) == 0
    assert snapshot(site / "public") == snapshot(tmp_path / "one")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_page_that_cannot_be_staged_fails_the_build_and_leaves_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    site = make_site(tmp_path / "site", briefings=3)
    assert build(site) == 0
    before = snapshot(site / "public")
    real = OutputWriter._stage

    def stage(self: OutputWriter, path: Path, data: bytes) -> None:
        if b"<h1" in data and b"Edited" in data:
            raise OSError(28, "No space left on device")
        real(self, path, data)

    monkeypatch.setattr(OutputWriter, "_stage", stage)
    (site / "content/briefings/b1.md").write_text(BRIEFING.replace("Villages", "Edited"))
    assert build(site, "-j", jobs) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(site / "public") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_write_failing_midway_leaves_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    assert build(site) == 0
    before = snapshot(site / "public")
    # A static *file* where the build needs a folder: copying it fails half-way.
    (site / "content/static").mkdir()
    (site / "content/static/briefings").write_text("not a folder")
    assert build(site) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert snapshot(site / "public") == before
    assert sorted(p.name for p in site.iterdir()) == [".briefgen-cache", "content", "public"]


def test_killed_build_leaves_previous_output_and_next_build_recovers(tmp_path: Path) -> None:
    site = make_site(tmp_path, briefings=3)
    assert build(site) == 0
    before = snapshot(site / "public")
    slow = "{% extends 'default/briefing.html' %}{% set _ = range(30000000) | list %}"
    (site / "templates").mkdir()
    (site / "templates/briefing.html").write_text(slow)
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-s", str(site)])
    deadline = time.monotonic() + 20
    while not (tmp_path / ".public.briefgen-new").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (tmp_path / ".public.briefgen-new").exists(), "the build never started writing"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert snapshot(site / "public") == before
    (site / "templates/briefing.html").unlink()
    assert build(site) == 0
    assert not (tmp_path / ".public.briefgen-new").exists()


def test_the_staging_folder_of_a_killed_build_goes_with_the_next_build_that_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kill came before the commit; the next build finds the site as the last one
    left it and replays it, writing nothing."""
    site = make_site(tmp_path, briefings=2)
    time.sleep(2.2)  # the site's files settled: the next build keeps its record
    assert build(site) == 0
    before = snapshot(site / "public")
    staging = tmp_path / ".public.briefgen-new"
    (staging / "briefings/b0").mkdir(parents=True)
    (staging / ".briefgen-made-this").write_bytes(b"")
    (staging / "briefings/b0/index.html").write_text("<p>half a build</p>")
    capsys.readouterr()
    assert build(site, "-v") == 0
    assert "unchanged:" in capsys.readouterr().err
    assert not staging.exists()
    assert snapshot(site / "public") == before


def test_files_not_written_by_briefgen_survive_and_stale_pages_go(tmp_path: Path) -> None:
    site = make_site(tmp_path, briefings=2)
    assert build(site) == 0
    (site / "public/CNAME").write_text("briefs.example.org\n")
    (site / "public/.nojekyll").write_text("")
    (site / "public/.git").mkdir()
    (site / "public/.git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site / "content/briefings/b1.md").unlink()
    assert build(site) == 0
    assert (site / "public/CNAME").read_text() == "briefs.example.org\n"
    assert (site / "public/.nojekyll").exists()
    assert (site / "public/.git/HEAD").exists()
    assert not (site / "public/briefings/b1").exists()
    assert (site / "public/briefings/b0/index.html").exists()


def test_hand_placed_file_that_a_build_would_replace_stops_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    assert build(site) == 0
    (site / "public/robots.txt").write_text("by hand\n")
    (site / "content/static").mkdir()
    (site / "content/static/robots.txt").write_text("from the site\n")
    assert build(site) == 1
    assert "robots.txt" in capsys.readouterr().err
    assert (site / "public/robots.txt").read_text() == "by hand\n"


@pytest.mark.parametrize(
    "out",
    [".", "..", "/", "~", "content", "content/static", "templates", "templates/x", "{home}",
     ".briefgen-cache", ".briefgen-cache/site"],
)  # fmt: skip
def test_dangerous_output_folders_are_refused_before_anything_is_touched(
    tmp_path: Path, out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    (site / "templates").mkdir()
    before = snapshot(tmp_path)
    target = str(Path.home()) if out in ("~", "{home}") else out
    cwd = os.getcwd()
    os.chdir(site)
    try:
        code = main(["build", "--out", target])
    finally:
        os.chdir(cwd)
    assert code == 2
    assert "briefgen: error:" in capsys.readouterr().err
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_templates_folder_is_refused_even_before_it_exists(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    assert build(site, "--out", str(site / "templates")) == 2
    assert not (site / "templates").exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "", "ftp://example.org/", "/briefs/", "https://example.org/?a=1",
     "https://example.org/#top"],
)  # fmt: skip
def test_bad_base_url_flag_is_bad_usage(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    assert build(site, "--base-url", url) == 2
    assert "--base-url must be an http or https URL" in capsys.readouterr().err
    assert not (site / "public").exists()


def test_output_folder_holding_a_repository_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (tmp_path / "elsewhere/.git").mkdir(parents=True)
    assert build(site, "--out", str(tmp_path / "elsewhere")) == 2
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == [".git"]


def test_sibling_with_a_shared_name_prefix_is_not_confused(tmp_path: Path) -> None:
    """'content-out' starts with 'content' but is another folder: it is allowed."""
    site = make_site(tmp_path / "site")
    assert build(site, "--out", str(site / "content-out")) == 0
    assert (site / "content-out/index.html").exists()


def test_symlinks_out_of_the_content_folder_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n")
    outside = tmp_path / "outside.md"
    outside.write_text(BRIEFING)
    (site / "content/static").mkdir()
    (site / "content/static/leak.txt").symlink_to(secret)
    (site / "content/briefings/link.md").symlink_to(outside)
    assert build(site) == 1
    err = capsys.readouterr().err
    assert "content/briefings/link.md:1:1: error: symbolic link leads outside" in err
    assert "content/static/leak.txt:1:1: error: symbolic link leads outside" in err
    assert not (site / "public").exists()


@pytest.mark.parametrize(
    "name", ["site.yaml", "regions.yaml", "sources.yaml", "briefings", "pages", "static"]
)
def test_settings_registries_and_folders_linked_from_outside_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """What a link in the site's content folder leads to is read only inside it: a
    registry or a folder of briefings linked from elsewhere is not the site's."""
    site = make_site(tmp_path / "site")
    linked = site / "content" / name
    outside = tmp_path / "outside" / name
    outside.parent.mkdir()
    registry = {
        "regions.yaml": "belgorod: {name: Belgorod}\n",
        "sources.yaml": "gladkov: {name: G}\n",
    }
    if linked.exists():
        linked.rename(outside)
    elif name in ("pages", "static"):
        outside.mkdir()
        (outside / "about.md").write_text("---\ntitle: About\n---\nText.\n")
    else:
        outside.write_text(registry[name])
    linked.symlink_to(outside)
    assert build(site) == 1
    err = capsys.readouterr().err
    assert f"content/{name}:1:1: error: symbolic link leads outside its folder" in err
    assert not (site / "public").exists()
    linked.unlink()
    (site / "content/shared").mkdir()
    outside.rename(site / "content/shared" / name)
    linked.symlink_to(Path("shared") / name)  # a link within the folder is read
    assert build(site) == 0


def test_a_theme_shared_through_a_link_is_used(tmp_path: Path) -> None:
    """A theme is not content: sites may share one, their templates/ a link to it."""
    site = make_site(tmp_path / "site")
    shared = tmp_path / "shared-theme"
    shared.mkdir()
    (shared / "base.html").write_text(
        '{% extends "default/base.html" %}{% block footer %}<footer>Shared</footer>{% endblock %}'
    )
    (site / "templates").symlink_to(shared)
    assert build(site) == 0
    assert "<footer>Shared</footer>" in (site / "public/index.html").read_text()


def test_rebuild_rewrites_only_what_changed(tmp_path: Path) -> None:
    site = make_site(tmp_path, briefings=3)
    assert build(site) == 0
    untouched = site / "public/briefings/b2/index.html"
    edited = site / "public/briefings/b1/index.html"
    before = untouched.stat().st_ino, untouched.stat().st_mtime_ns
    (site / "content/briefings/b1.md").write_text(BRIEFING.replace("Shelling", "Heavy shelling"))
    assert build(site) == 0
    assert (untouched.stat().st_ino, untouched.stat().st_mtime_ns) == before
    assert "Heavy shelling" in edited.read_text()


def test_a_rebuild_stages_its_files_side_by_side_and_commits_them_into_their_folders(
    tmp_path: Path,
) -> None:
    """A rebuild's staging folder holds no folders (making and removing one per page
    was half of a commit's time); the files still land where they belong, new
    folders, and folders removed by hand, included."""
    out = tmp_path / "public"
    writer = OutputWriter(out)
    writer.write("briefings/a/index.html", b"a")
    writer.write("briefings/b/index.html", b"b")
    writer.commit()
    shutil.rmtree(out / "briefings/b")  # removed by hand
    writer = OutputWriter(out)
    writer.write("briefings/a/index.html", b"a, edited")
    writer.write("briefings/b/index.html", b"b")
    writer.write("regions/x/index.html", b"x")
    assert [p for p in writer.staging.iterdir() if p.is_dir()] == []
    writer.commit()
    assert snapshot(out) == {
        MANIFEST: snapshot(out)[MANIFEST],
        "briefings/a/index.html": hashlib.sha256(b"a, edited").hexdigest(),
        "briefings/b/index.html": hashlib.sha256(b"b").hexdigest(),
        "regions/x/index.html": hashlib.sha256(b"x").hexdigest(),
    }
    assert not writer.staging.exists()


def test_the_files_a_commit_replaced_go_while_the_records_are_saved_and_before_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit is whole once its journal is gone; the saved pages are removed beside
    the saving of the build's records, and the build waits for them before it ends."""
    site = make_site(tmp_path / "site", briefings=3)
    assert build(site) == 0
    backup = tmp_path / "site/.public.briefgen-old"
    saved = threading.Event()
    real_save, real_remove = RouteKeys.save, write._remove_unjournaled
    seen: list[tuple[bool, bool]] = []

    def save(self: RouteKeys, *args: Any, **kwargs: Any) -> Any:
        kept = real_save(self, *args, **kwargs)
        saved.set()
        return kept

    def remove(folder: Path) -> None:
        if folder == backup:
            seen.append(((folder / "journal.json").exists(), saved.wait(timeout=10)))
        real_remove(folder)

    monkeypatch.setattr(RouteKeys, "save", save)
    monkeypatch.setattr(write, "_remove_unjournaled", remove)
    for n in range(3):
        (site / f"content/briefings/b{n}.md").write_text(BRIEFING.replace("Shelling", f"{n}:"))
    assert build(site) == 0
    assert seen == [(False, True)]  # no journal left; the records saved meanwhile
    assert not backup.exists()


def test_commit_killed_midway_is_rolled_back_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL while the changed files are moved into the output, half of them moved."""
    site = make_site(tmp_path, briefings=1)
    static = site / "content/static/data"
    static.mkdir(parents=True)
    names = [f"f{n}.txt" for n in range(1000)]
    for name in names:
        (static / name).write_text(f"first {name}\n")
    assert build(site) == 0
    journal = tmp_path / ".public.briefgen-old/journal.json"
    for attempt in range(5):  # a commit that ends before it is held is tried again
        before = snapshot(site / "public")
        for name in names:
            (static / name).write_text(f"edit {attempt} {name}\n")
        process = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-s", str(site)])

        def moved(attempt: int = attempt) -> int:
            new = (site / "public/data" / name for name in names)
            return sum(path.read_text() == f"edit {attempt} {path.name}\n" for path in new)

        if hold_inside_the_commit(process, journal, moved, len(names)):
            break
        assert process.wait() == 0
    else:
        pytest.fail("no commit was caught half-way in five builds")
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert journal.exists()
    # The next run rolls the interrupted commit back first; failing, it then leaves it so.
    (site / "content/briefings/b0.md").write_text("---\ntitle: broken\n")
    assert build(site) == 1
    assert snapshot(site / "public") == before
    assert not journal.exists()


def test_an_interrupted_commit_is_undone_from_its_journal(tmp_path: Path) -> None:
    """The files a commit replaced are kept by their place in the journal's list, and
    put back."""
    site = make_site(tmp_path, briefings=2)
    assert build(site) == 0
    out = site / "public"
    before = snapshot(out)
    replaced = ["briefings/b1/index.html", "briefings/b0/index.html"]
    saved = tmp_path / ".public.briefgen-old/files"
    saved.mkdir(parents=True)
    for number, rel in enumerate([*replaced, MANIFEST]):
        (saved / str(number)).write_bytes((out / rel).read_bytes())
        (out / rel).write_text(f"half-committed {rel}\n")
    made = os.lstat(saved)
    journal = {"created": [], "replaced": replaced, "had_manifest": True,
               "kept_in": [made.st_dev, made.st_ino]}  # fmt: skip
    (saved.parent / "journal.json").write_text(json.dumps(journal))
    (saved.parent / ".briefgen-made-this").write_bytes(b"")
    recover(out)
    assert snapshot(out) == before
    assert not saved.parent.exists()


def test_first_build_into_a_folder_of_user_files_never_moves_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Into a folder without a manifest, pages are moved in one by one beside the user's
    files; a move that fails rolls back the pages moved so far and nothing else."""
    site = make_site(tmp_path, briefings=3)
    out = site / "public"
    (out / "docs").mkdir(parents=True)
    (out / "CNAME").write_text("briefs.example.org\n")
    for n in range(5):
        (out / f"docs/{n}.txt").write_text(f"user file {n}\n")
    before = snapshot(out)
    real_replace = os.replace
    moves = []

    def failing_replace(source: str | Path, target: str | Path) -> None:
        moves.append(target)
        if len(moves) == 4:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr("briefgen.write.os.replace", failing_replace)
    assert build(site) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(out) == before
    monkeypatch.setattr("briefgen.write.os.replace", real_replace)
    assert build(site) == 0
    after = snapshot(out)
    assert {rel: after[rel] for rel in before} == before
    assert "briefings/b2/index.html" in after


@pytest.mark.parametrize("old_format", [True, False])
def test_a_tampered_manifest_never_deletes_outside_the_output(
    tmp_path: Path, old_format: bool
) -> None:
    site = make_site(tmp_path / "site")
    sentinel = tmp_path / "site/sentinel.txt"
    sentinel.write_text("keep me\n")
    assert build(site) == 0
    manifest = site / "public/.briefgen-manifest"
    hostile = ["../sentinel.txt", str(sentinel), "a/../../sentinel.txt", "x\n/../../sentinel.txt"]
    files = json.loads(manifest.read_text())["files"] + hostile
    if old_format:  # one path per line, as earlier versions wrote it
        manifest.write_text("".join(f"{rel}\n" for rel in files))
    else:
        manifest.write_text(json.dumps({"files": files}))
    assert build(site) == 0
    assert sentinel.read_text() == "keep me\n"
    assert (site / "public/briefings/b0/index.html").exists()


def test_a_tampered_journal_never_touches_anything_outside_the_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("keep me\n")
    assert build(site) == 0
    before = snapshot(site / "public")
    backup = tmp_path / "site/.public.briefgen-old"
    (backup / "files").mkdir(parents=True)
    (backup / ".briefgen-made-this").write_text("")
    (backup / "files/x").write_text("planted\n")
    made = os.lstat(backup / "files")  # as the build wrote it, then tampered with
    journal = {"created": ["../../sentinel.txt", str(sentinel)], "replaced": ["../../x"],
               "kept_in": [made.st_dev, made.st_ino]}  # fmt: skip
    (backup / "journal.json").write_text(json.dumps(journal))
    assert build(site) == 0
    assert sentinel.read_text() == "keep me\n"
    assert not (tmp_path / "x").exists()
    assert snapshot(site / "public") == before


def test_a_folder_with_briefgens_working_name_that_it_did_not_make_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    theirs = tmp_path / "site/.public.briefgen-new"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine\n")
    assert build(site) == 1
    assert "was not made by briefgen" in capsys.readouterr().err
    assert (theirs / "notes.txt").read_text() == "mine\n"


def test_a_working_folder_killed_before_it_was_marked_is_taken_back(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    assert build(site) == 0
    before = snapshot(site / "public")
    for name in ("new", "old"):
        (tmp_path / f"site/.public.briefgen-{name}").mkdir()  # made, then killed
    (site / "content/briefings/b0.md").write_text(BRIEFING.replace("Shelling", "Later shelling"))
    assert build(site) == 0
    assert snapshot(site / "public") != before
    assert not list((tmp_path / "site").glob(".public.briefgen-*"))


def test_a_finished_commit_forgets_its_journal_first_and_its_marker_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So that a kill while the backup is removed can neither replay a finished commit
    from half its saved files nor leave a folder briefgen no longer knows as its own."""
    site = make_site(tmp_path / "site", briefings=3)
    assert build(site) == 0
    backup = tmp_path / "site/.public.briefgen-old"
    removed: list[str] = []
    real_unlink, real_rmdir = os.unlink, os.rmdir

    def unlink(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        removed.append(os.fsdecode(path))
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    def rmdir(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        removed.append(os.fsdecode(path) + "/")
        real_rmdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", unlink)
    monkeypatch.setattr(os, "rmdir", rmdir)
    for n in range(3):
        (site / f"content/briefings/b{n}.md").write_text(BRIEFING.replace("Shelling", f"{n}:"))
    assert build(site) == 0
    monkeypatch.undo()
    assert not backup.exists()
    top = [Path(p).name for p in removed if backup in (Path(p), Path(p).parent)]
    # the saved pages go with files/, between the journal and the marker
    assert top == ["journal.json", "files", ".briefgen-made-this", ".public.briefgen-old"]


def test_an_output_folder_that_is_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    target = tmp_path / "notes.txt"
    target.write_text("mine\n")
    assert build(site, "--out", str(target)) == 2
    assert "is a file" in capsys.readouterr().err
    assert target.read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "site"]


def test_a_symbolic_link_inside_the_output_is_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site")
    assert build(site) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site / "public/briefings")
    (site / "public/briefings").symlink_to(elsewhere)
    assert build(site) == 1
    assert "not a folder briefgen can write into" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_a_second_build_into_a_locked_output_stops_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path)
    assert build(site) == 0
    before = snapshot(site / "public")
    (site / "content/briefings/b0.md").write_text(BRIEFING.replace("Shelling", "Heavy shelling"))
    with open(tmp_path / ".public.briefgen-lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # as a build in another process holds it
        assert build(site) == 1
        assert "another build is writing" in capsys.readouterr().err
        assert snapshot(site / "public") == before
    assert build(site) == 0
    assert "Heavy shelling" in (site / "public/briefings/b0/index.html").read_text()
    assert not (tmp_path / ".public.briefgen-lock").exists()


def test_an_unreadable_folder_in_the_content_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, briefings=1)
    locked = site / "content/briefings/2023"
    locked.mkdir()
    (locked / "x.md").write_text(BRIEFING)
    if os.geteuid() == 0:  # root reads any folder: make this one fail as it would for others
        real_scandir = os.scandir

        def scandir(path: str) -> object:
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied")
            return real_scandir(path)

        monkeypatch.setattr("briefgen.read.files.os.scandir", scandir)
    else:
        locked.chmod(0)
    try:
        assert build(site) == 1
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert "content/briefings/2023:1:1: error: cannot read folder: Permission denied" in err
    assert "Traceback" not in err


def test_ctrl_c_as_a_failed_builds_errors_print_says_the_output_is_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", briefings=2)
    assert build(site) == 0
    before = snapshot(site / "public")
    (site / "content/briefings/b1.md").write_text(BRIEFING.replace("2023-06-02", "2023-02-30"))

    def report(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("briefgen.cli._report", report)
    assert build(site) == 130
    assert "interrupted; the previous output was left untouched" in capsys.readouterr().err
    assert snapshot(site / "public") == before


@pytest.mark.parametrize("first", [True, False], ids=["first build", "later build"])
@pytest.mark.parametrize("when", ["in the commit", "after it", "as its outcome prints"])
def test_ctrl_c_says_whether_the_output_was_replaced(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    first: bool,
    when: str,
) -> None:
    """A Ctrl-C in a commit rolls it back, and the previous output stands; one just
    after it (while the build saves its records, or prints its warnings) leaves the new
    output, whole: the message says which, where it always said the first (and, once
    the build had returned, only "interrupted")."""
    site = make_site(tmp_path / "site", briefings=2)
    if not first:
        assert build(site) == 0
    before = {} if first else snapshot(site / "public")
    (site / "content/briefings/b1.md").write_text(BRIEFING.replace("Villages", "Edited"))
    real = OutputWriter.commit

    def commit(self: OutputWriter) -> None:
        if when == "after it":
            real(self)
        raise KeyboardInterrupt

    def report(*args: Any) -> None:
        raise KeyboardInterrupt

    if when == "as its outcome prints":
        monkeypatch.setattr("briefgen.cli._report", report)
    else:
        monkeypatch.setattr(OutputWriter, "commit", commit)
    assert build(site) == 130
    err = capsys.readouterr().err
    monkeypatch.undo()
    if when != "in the commit":
        assert "interrupted once the new output was in place" in err
        assert "Edited" in (site / "public/briefings/b1/index.html").read_text()
    else:
        assert "interrupted; the previous output was left untouched" in err
        if first:
            assert not (site / "public").exists()
        else:
            assert snapshot(site / "public") == before
