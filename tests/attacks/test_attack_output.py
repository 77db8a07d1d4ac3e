"""The output folder: what was there before briefgen keeps its bytes, and only the output
folder is ever written, whatever kills, interrupts, races or lies to a build.

Real builds in child processes are killed with SIGKILL or interrupted with SIGINT at
chosen moments; the manifest and the commit journal are tampered with; two builds
race for one folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
from attack_kit import (
    assert_clean_stderr,
    briefing,
    build,
    changes,
    cli,
    cli_command,
    make_big_site,
    make_site,
    snapshot,
    wait_until,
    write_files,
)
from processes import hold, hold_inside_the_commit, interruptible

# --- a first build killed while the folder holds the user's own files ------------------

USER_FILES: dict[str, bytes] = {
    "CNAME": b"briefs.example.org\n",
    ".nojekyll": b"",
    "docs/index.md": b"# Our documentation\n",
    "docs/guide/setup.md": b"Run the thing.\n",
    "docs/img/logo.png": bytes(range(256)) * 4,
    # Many loose files: a build that moves them one by one is slow enough to be caught.
    **{f"keep-{n:04d}.txt": f"kept {n}\n".encode() for n in range(1500)},
}


def _put_user_files(out: Path) -> None:
    for rel, data in USER_FILES.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)


def _user_files_intact(out: Path) -> list[str]:
    """The user files that are missing or changed."""
    bad = []
    for rel, data in USER_FILES.items():
        try:
            if (out / rel).read_bytes() != data:
                bad.append(rel)
        except OSError:
            bad.append(rel)
    return bad


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def big_site_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What a complete build of make_big_site() holds."""
    root = tmp_path_factory.mktemp("reference")
    site = make_big_site(root / "site")
    assert build(site, "--out", root / "out", "--no-cache").code == 0
    return snapshot(root / "out")


KILL_MOMENTS = {
    "after-50ms": ("delay", 0.05),
    "after-200ms": ("delay", 0.2),
    "after-400ms": ("delay", 0.4),
    "when-staging-appears": ("staging", 0.0),
    "while-user-files-move": ("user-files-move", 0.0),
    "when-cname-leaves-the-folder": ("cname-moved", 0.0),
    "when-pages-start-arriving": ("pages-arrive", 0.0),
}


@pytest.mark.parametrize("moment", KILL_MOMENTS.values(), ids=list(KILL_MOMENTS))
def test_first_build_killed_at_any_moment_loses_no_user_file(
    tmp_path: Path, moment: tuple[str, float], big_site_reference: dict[str, str]
) -> None:
    """A first build into a folder holding a CNAME, docs/ and many loose files is
    SIGKILLed after a delay or as soon as something moves; the next build succeeds,
    every user file has its bytes, and the site is complete."""
    site = make_big_site(tmp_path / "site")
    out = site / "public"
    _put_user_files(out)
    kind, delay = moment
    conditions = {
        "staging": lambda: any(p.name.startswith(".public.") for p in site.iterdir()),
        "user-files-move": lambda: not (out / "docs").exists(),
        "cname-moved": lambda: not (out / "CNAME").exists(),
        "pages-arrive": lambda: any(
            (out / name).exists() for name in ("404.html", "index.html", "feed.xml", "briefings")
        ),
    }
    process = subprocess.Popen(
        cli_command("build", "-s", site), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if kind == "delay":
            wait_until(lambda: process.poll() is not None, delay)
        else:
            condition = conditions[kind]
            wait_until(lambda: condition() or process.poll() is not None, 30, interval=0)
    finally:
        process.kill()
        process.wait()

    result = build(site)

    assert not _user_files_intact(out), f"user files lost or changed: {_user_files_intact(out)[:5]}"
    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    produced = {rel: h for rel, h in snapshot(out).items() if rel not in USER_FILES}
    assert not changes(big_site_reference, produced)
    assert not _leftovers(out)


# --- --out naming a file ----------------------------------------------------------------


@pytest.mark.parametrize("how", ["--out FILE", "--out FILE/sub/out", "default public is a file"])
def test_output_folder_that_is_a_regular_file_is_refused_and_left_alone(
    tmp_path: Path, how: str
) -> None:
    site = make_site(tmp_path / "site")
    target = site / "public" if how == "default public is a file" else tmp_path / "notes.txt"
    target.write_bytes(b"my notes, not a folder\n")
    before = snapshot(tmp_path, skip=(site / ".briefgen-cache",))

    if how == "default public is a file":
        result = build(site)
    else:
        result = build(site, "--out", tmp_path / how.replace("--out FILE", "notes.txt"))

    assert target.is_file(), "the file was replaced by the output folder"
    assert target.read_bytes() == b"my notes, not a folder\n"
    assert result.code == 2, result.err
    assert "briefgen: error:" in result.err
    assert_clean_stderr(result.err, strict=False)
    assert not changes(before, snapshot(tmp_path, skip=(site / ".briefgen-cache",)))


@pytest.mark.parametrize(
    "out", [None, "public", "public/site", "public/../x", "linked", "to public"]
)
def test_an_output_folder_through_a_link_inside_the_site_is_refused(
    tmp_path: Path, out: str | None
) -> None:
    """A repository can carry a link where the output goes ('public' leading to a
    folder of the user's): nothing is written where it leads, however --out is
    spelled ('public/../x' is beside where the link leads; 'linked' is 'public' by way
    of a link outside the site to the folder that holds it; 'to public' a link outside
    the site to 'public' itself)."""
    site = make_site(tmp_path / "site")
    (tmp_path / "elsewhere").symlink_to(tmp_path)
    (tmp_path / "docroot").symlink_to(site / "public")
    (tmp_path / "dot-ssh").mkdir()
    (tmp_path / "dot-ssh/authorized_keys").write_text("the user's key\n")
    (site / "content/static").mkdir(parents=True, exist_ok=True)
    (site / "content/static/authorized_keys").write_text("someone else's key\n")
    (site / "public").symlink_to(tmp_path / "dot-ssh")
    before = snapshot(tmp_path, skip=(site / ".briefgen-cache",))
    if out is None:
        result = build(site)
    elif out == "linked":
        result = build(site, "--out", tmp_path / "elsewhere/site/public")
    elif out == "to public":  # a link outside the site, made by the user, to the site's
        result = build(site, "--out", tmp_path / "docroot")
    else:
        result = build(site, "--out", site / out)
    assert result.code == 2, result.err
    assert f"{site / 'public'} is a symbolic link" in result.err
    assert_clean_stderr(result.err, strict=False)
    assert not changes(before, snapshot(tmp_path, skip=(site / ".briefgen-cache",)))


@pytest.mark.parametrize("inside", [False, True])
def test_a_loop_of_links_on_the_way_to_the_output_is_refused(tmp_path: Path, inside: bool) -> None:
    site = make_site(tmp_path / "site")
    where = site if inside else tmp_path
    (where / "loop-a").symlink_to(where / "loop-b")
    (where / "loop-b").symlink_to(where / "loop-a")
    result = build(site, "--out", where / "loop-a/out")
    assert result.code == 2, result.err
    assert_clean_stderr(result.err, strict=False)
    said = "is a symbolic link" if inside else "goes round a loop of symbolic links"
    assert said in result.err


def test_an_output_folder_in_a_folder_that_takes_no_file_is_said_to_be_so(tmp_path: Path) -> None:
    """No lock to move away: the place cannot be written."""
    site = make_site(tmp_path / "site")
    result = build(site, "--out", "/proc/out")
    assert result.code == 1
    assert "cannot write in /proc, where the output folder is" in result.err
    assert "lock" not in result.err


def test_an_output_folder_given_through_a_link_outside_the_site_is_used(tmp_path: Path) -> None:
    """A link that no repository made: '--out /var/www/site', where 'site' leads to a
    release folder."""
    site = make_site(tmp_path / "site")
    (tmp_path / "release").mkdir()
    (tmp_path / "www").symlink_to(tmp_path / "release")
    result = build(site, "--out", tmp_path / "www")
    assert result.code == 0, result.err
    assert (tmp_path / "release/index.html").is_file()


def test_a_failed_build_leaves_no_folder_it_made_for_its_output(tmp_path: Path) -> None:
    """'nothing was written' holds for the folders on the way to --out too."""
    site = make_site(tmp_path / "site")
    write_files(site, {"content/briefings/bad.md": "---\ntitle: [unclosed\n---\nText.\n"})
    result = build(site, "--out", tmp_path / "deep/er/out")
    assert result.code == 1 and "nothing was written" in result.err
    assert not (tmp_path / "deep").exists()


# --- a manifest or journal that lies ---------------------------------------------------


def _sentinels(tmp_path: Path, site: Path) -> None:
    (tmp_path / "sentinel.txt").write_text("beside the site\n")
    (site / "sentinel.txt").write_text("beside the output\n")


MANIFEST_LINES = {
    "dotdot": "../sentinel.txt",
    "dotdot-twice": "../../sentinel.txt",
    "dotdot-inside-a-path": "briefings/../../sentinel.txt",
    "dot-then-dotdot": "./../../sentinel.txt",
    "content-file": "../content/briefings/a.md",
    "absolute": "{tmp}/sentinel.txt",
    "absolute-content": "{site}/content/site.yaml",
}


@pytest.mark.parametrize("form", ["json", "one path a line"])
@pytest.mark.parametrize("line", MANIFEST_LINES.values(), ids=list(MANIFEST_LINES))
def test_tampered_manifest_never_deletes_or_writes_outside_the_output(
    tmp_path: Path, line: str, form: str
) -> None:
    """A manifest entry naming a file outside the output is never taken as a stale page.
    The manifest is written as briefgen writes it (JSON), or as earlier versions did."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    _sentinels(tmp_path, site)
    manifest = out / ".briefgen-manifest"
    files = [*json.loads(manifest.read_text())["files"], line.format(tmp=tmp_path, site=site)]
    if form == "json":
        manifest.write_text(json.dumps({"briefgen": 1, "files": files}))
    else:
        manifest.write_text("".join(f"{rel}\n" for rel in files))
    write_files(site, {"content/briefings/b.md": briefing("A second briefing")})
    outside = snapshot(tmp_path, skip=(out, site / ".briefgen-cache"))

    result = build(site)

    assert not changes(outside, snapshot(tmp_path, skip=(out, site / ".briefgen-cache")))
    # urls.md: a path in the manifest that is not a plain path inside the output is
    # ignored; the build goes on.
    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    assert "A second briefing" in (out / "briefings/b/index.html").read_text()


@pytest.mark.parametrize("form", ["json", "one path a line"])
@pytest.mark.parametrize("folder", [".git", ".GIT", "docs/.hg", ".svn"])
def test_a_manifest_listing_a_repositorys_files_never_has_them_removed(
    tmp_path: Path, folder: str, form: str
) -> None:
    """The output may be a checkout (a 'gh-pages' worktree): a manifest that lists files
    of its repository, by a slip or a hand, never has them removed or replaced."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    repository = {f"{folder}/HEAD": b"ref: refs/heads/gh-pages\n", f"{folder}/config": b"[core]\n"}
    write_files(out, repository)
    manifest = out / ".briefgen-manifest"
    files = [*json.loads(manifest.read_text())["files"], *repository]
    if form == "json":
        manifest.write_text(json.dumps({"briefgen": 1, "files": files}))
    else:
        manifest.write_text("".join(f"{rel}\n" for rel in files))
    write_files(site, {"content/briefings/b.md": briefing("A second briefing")})

    result = build(site)

    assert result.code == 0, result.err
    assert {rel: (out / rel).read_bytes() for rel in repository} == repository
    assert not [rel for rel in json.loads(manifest.read_text())["files"] if folder in rel]


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        '{"briefgen": 1, "files": ["ind',
        '{"files": "index.html"}',
        "",
        "\x00\x01 garbage\n",
    ],
)
def test_a_damaged_manifest_stops_the_build_and_says_so(tmp_path: Path, damage: str) -> None:
    """Without its list of files briefgen can tell none of them from someone else's: the
    build stops, the output as it was, and the message names the manifest as the cause."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    (out / ".briefgen-manifest").write_text(damage)
    before = snapshot(out)
    write_files(site, {"content/briefings/b.md": briefing("A second briefing")})
    result = build(site)
    assert result.code == 1
    assert "its .briefgen-manifest, the list of the files briefgen wrote there, cannot be read" in (
        result.err
    )
    assert "remove it and build again" in result.err
    assert not changes(before, snapshot(out))


JOURNALS = {
    "created-dotdot": ({"created": ["../sentinel.txt"], "replaced": []}, {}),
    "created-absolute": ({"created": ["{tmp}/sentinel.txt"], "replaced": []}, {}),
    "created-content": ({"created": ["../content/briefings/a.md"], "replaced": []}, {}),
    "replaced-dotdot": (
        {"created": [], "replaced": ["../pwned.txt"]},
        {"files/.keep": "", "pwned.txt": "written by a journal\n"},  # files/../pwned.txt
    ),
    "replaced-over-content": (
        {"created": [], "replaced": ["../content/site.yaml"]},
        {"files/.keep": "", "content/site.yaml": "title: Pwned\n"},
    ),
    "not-a-mapping": (["../sentinel.txt"], {}),
    "items-not-text": ({"created": [1, None], "replaced": [{"a": 1}]}, {}),
}


@pytest.mark.parametrize("left", ["", '{"created": ["ind'])
def test_a_journal_a_power_cut_left_unreadable_keeps_every_file_it_kept(
    tmp_path: Path, left: str
) -> None:
    """A power cut can leave the journal of a commit empty, or cut short, once files
    moved: its backup then holds the only copies of the files it replaced. The next
    build removes nothing, writes nothing, and says where they are."""
    site = make_site(tmp_path / "site")
    assert build(site).code == 0
    backup = site / ".public.briefgen-old"
    write_files(backup, {".briefgen-made-this": "", "files/0": "the page as it was\n"})
    write_files(backup, {"journal.json": left})
    write_files(site, {"content/briefings/b.md": briefing("A second briefing")})
    before = snapshot(site, skip=(site / ".briefgen-cache",))

    result = build(site)

    assert result.code == 1, result.err
    assert f"the list of what it replaced, {backup / 'journal.json'}, is no such list" in result.err
    assert f"the files it replaced are kept in {backup / 'files'}" in result.err
    assert_clean_stderr(result.err, strict=False)
    assert not changes(before, snapshot(site, skip=(site / ".briefgen-cache",)))


@pytest.mark.parametrize(("journal", "planted"), JOURNALS.values(), ids=list(JOURNALS))
def test_tampered_commit_journal_never_deletes_or_writes_outside_the_output(
    tmp_path: Path, journal: object, planted: dict[str, str]
) -> None:
    """A journal left beside the output (as by a killed commit, with briefgen's marker
    in its folder) is rolled back by the next build: paths in it that leave the output
    are never deleted nor written."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    before = snapshot(out)
    _sentinels(tmp_path, site)
    backup = site / ".public.briefgen-old"
    write_files(backup, {".briefgen-made-this": "", **planted})
    (backup / "files").mkdir(exist_ok=True)
    if isinstance(journal, dict):  # as the build wrote it, beside the folder it made
        made = os.lstat(backup / "files")
        journal = {**journal, "kept_in": [made.st_dev, made.st_ino]}
    text = json.dumps(journal).replace("{tmp}", str(tmp_path))
    write_files(backup, {"journal.json": text})
    outside = snapshot(tmp_path, skip=(out, site / ".briefgen-cache", backup))

    result = build(site)

    assert not changes(outside, snapshot(tmp_path, skip=(out, site / ".briefgen-cache", backup)))
    # urls.md: the paths that leave the output are ignored, the rest is rolled back,
    # and the build goes on; a journal that is not even a mapping is not briefgen's.
    if isinstance(journal, dict):
        assert result.code == 0, result.err
        assert_clean_stderr(result.err, strict=False)
        assert not backup.exists()
    else:
        assert result.code == 1
        assert "holds a journal that was not written there by briefgen" in result.err
    assert not changes(before, snapshot(out))


@pytest.mark.parametrize("files", ["a link to a folder elsewhere", "a folder of its own"])
@pytest.mark.parametrize("kept_in", ["none", "the folder elsewhere", "a guess"])
def test_a_journal_carried_in_a_repository_moves_and_removes_nothing(
    tmp_path: Path, files: str, kept_in: str
) -> None:
    """A backup folder with briefgen's marker and a journal that a repository carried
    (or someone copied in) is not one a build of this machine made: it would move a
    file from where its folder of kept files leads into the output, to be published,
    and remove the user's own file there. The build stops and names it."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    (out / "CNAME").write_text("briefs.example.org\n")
    before = snapshot(out)
    elsewhere = tmp_path / "secrets"
    elsewhere.mkdir()
    (elsewhere / "0").write_text("SECRET\n")
    backup = site / ".public.briefgen-old"
    write_files(backup, {".briefgen-made-this": ""})
    if files == "a link to a folder elsewhere":
        (backup / "files").symlink_to(elsewhere)
    else:
        (backup / "files").mkdir()
        (backup / "files/0").write_text("SECRET\n")
    made = os.stat(elsewhere)
    guesses = {"none": None, "the folder elsewhere": [made.st_dev, made.st_ino],
               "a guess": [made.st_dev, made.st_ino + 1]}  # fmt: skip
    journal = {"created": ["CNAME"], "replaced": ["leak.txt"], "had_manifest": True,
               "kept_in": guesses[kept_in]}  # fmt: skip
    (backup / "journal.json").write_text(json.dumps(journal))
    theirs = snapshot(backup)

    result = build(site)

    assert result.code == 1
    assert (
        f"briefgen: error: {backup} holds a journal that was not written there by briefgen; "
        "move it away"
    ) in result.err.split("\n")
    assert not changes(before, snapshot(out))
    assert (elsewhere / "0").read_text() == "SECRET\n"
    assert not changes(theirs, snapshot(backup))


def test_a_backup_folder_without_briefgens_marker_stops_the_build(tmp_path: Path) -> None:
    """A folder with the backup folder's name that briefgen did not make (no marker) is
    someone else's: the build stops, and neither it nor the output is touched."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    before = snapshot(out)
    backup = site / ".public.briefgen-old"
    write_files(backup, {"journal.json": json.dumps({"created": ["index.html"]})})
    theirs = snapshot(backup)

    result = build(site)

    assert result.code == 1, result.err
    assert (
        f"briefgen: error: {backup} was not made by briefgen, but has the name of its "
        "working folders; move it away"
    ) in result.err.split("\n")
    assert not changes(before, snapshot(out))
    assert not changes(theirs, snapshot(backup))


@pytest.mark.parametrize("what", ["link to a file", "link to nothing", "their file", "folder"])
def test_what_stands_at_the_locks_name_is_never_written_through_nor_removed(
    tmp_path: Path, what: str
) -> None:
    """The lock beside the output is opened only if it is briefgen's: a repository can
    carry a link with its name, and a build would otherwise write where it leads, then
    remove the link; or remove a file of the user's that happens to have its name."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    before = snapshot(out)
    lock = site / ".public.briefgen-lock"
    elsewhere = tmp_path / "elsewhere.txt"
    if what == "link to a file":
        elsewhere.write_bytes(b"theirs\n")
        lock.symlink_to(elsewhere)
    elif what == "link to nothing":
        lock.symlink_to(elsewhere)
    elif what == "their file":
        lock.write_bytes(b"notes\n")
    else:
        lock.mkdir()

    result = build(site)

    assert result.code == 1, result.err
    assert f"briefgen: error: {lock} is not briefgen's lock" in result.err
    assert "move it away, then build again" in result.err
    assert not changes(before, snapshot(out))
    assert os.path.lexists(lock)
    if what == "link to a file":
        assert elsewhere.read_bytes() == b"theirs\n"
    elif what == "link to nothing":
        assert not elsewhere.exists()
    elif what == "their file":
        assert lock.read_bytes() == b"notes\n"


def test_an_empty_lock_left_by_a_killed_build_is_taken_and_removed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    lock = site / ".public.briefgen-lock"
    lock.write_bytes(b"")
    assert build(site).code == 0
    assert not os.path.lexists(lock)


# --- two builds at once ----------------------------------------------------------------


# Renders take a few milliseconds each: the first build is still rendering, by a wide
# margin, when the test sees its staging folder and holds it.
SOMEWHAT_SLOW_TEMPLATE = (
    "{% extends 'default/briefing.html' %}{% for i in range(400000) %}{% endfor %}"
)
OTHER_BASE = "https://other.example/briefs/"


@pytest.mark.parametrize("first", [True, False], ids=["first-build", "later-build"])
def test_a_second_build_while_one_writes_stops_at_once_and_changes_nothing(
    tmp_path: Path, first: bool
) -> None:
    """A second build, of other output (another base URL: every page differs), starts
    while the first one writes. urls.md: it stops at once with exit 1 and changes
    nothing; the first completes.

    The first build is held still (SIGSTOP) as soon as its staging folder appears: it
    makes that folder only once it holds the output's lock, and removes it before
    letting go. So while it is held, it holds the lock, however long anything takes."""
    site = make_big_site(tmp_path / "site")
    out = site / "public"
    staging = site / ".public.briefgen-new"
    assert build(site, "--out", tmp_path / "reference").code == 0
    reference = snapshot(tmp_path / "reference")
    if not first:  # an output that both builds would replace entirely
        assert build(site, "--base-url", "https://previous.example/").code == 0
    # Only the held build needs the time: the template writes what the bundled one does.
    write_files(site, {"templates/briefing.html": SOMEWHAT_SLOW_TEMPLATE})

    first_build = _start_build(site)
    try:
        wait_until(lambda: staging.exists() or first_build.poll() is not None, 60)
        assert hold(first_build) and staging.exists(), "the first build ended before it was held"
        held = snapshot(out) if out.exists() else None

        second = cli("build", "-s", site, "--base-url", OTHER_BASE)

        assert (snapshot(out) if out.exists() else None) == held
    finally:
        first_build.send_signal(signal.SIGCONT)
    _, err = first_build.communicate(timeout=60)

    assert second.code == 1, second.err
    assert second.err.split("\n") == [
        f"briefgen: error: another build is writing {out}; try again when it has finished",
        "Build failed; nothing was written."
        if first
        else "Build failed; the previous output was left untouched.",
        "",
    ]
    assert first_build.returncode == 0, err
    assert not changes(reference, snapshot(out))
    assert not _leftovers(out)


def _start_build(site: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cli_command("build", "-s", site, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- Ctrl-C ---------------------------------------------------------------------------


def _build_to_interrupt(site: Path, **options: Any) -> subprocess.Popen[str]:
    """``briefgen build`` of ``site`` in a child process that a SIGINT interrupts;
    ``options`` go to Popen (a session of its own, an environment)."""
    return subprocess.Popen(
        cli_command("build", "-s", site),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
        **options,
    )


SLOW_TEMPLATE = "{% extends 'default/briefing.html' %}{% for i in range(40000000) %}{% endfor %}"


@pytest.mark.parametrize("moment", ["when it starts writing", "after a second"])
@pytest.mark.parametrize("target", ["process", "process-group"])
def test_ctrl_c_during_a_build_exits_130_quietly_and_keeps_the_previous_output(
    tmp_path: Path, target: str, moment: str
) -> None:
    """SIGINT to the build (or, as a terminal's Ctrl-C does, to its whole process group)
    as soon as something appears beside the output (its lock, taken once Python and
    briefgen have started), or a second after that, while pages render (each takes
    about a second with this template)."""
    site = make_site(
        tmp_path / "site",
        {f"content/briefings/b{n}.md": briefing(f"Briefing {n}") for n in range(3)},
    )
    out = site / "public"
    assert build(site).code == 0
    before = snapshot(out)
    write_files(site, {"templates/briefing.html": SLOW_TEMPLATE})
    process = _build_to_interrupt(site, start_new_session=True)
    try:
        wait_until(
            lambda: (
                process.poll() is not None
                or any(p.name.startswith(".public.") for p in site.iterdir())
            ),
            20,
        )
        if moment == "after a second":
            wait_until(lambda: process.poll() is not None, 1.0)
        assert process.poll() is None, "the build ended before it could be interrupted"
        if target == "process":
            process.send_signal(signal.SIGINT)
        else:
            os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    assert "Traceback" not in err, err
    assert process.returncode == 130, f"exit {process.returncode}: {err}"
    assert len([line for line in err.split("\n") if line.strip()]) <= 2, err
    assert not changes(before, snapshot(out))


# A module that takes its time to import, in a class being made (a Ctrl-C there reaches
# Python 3.11's code as the RuntimeError of that class), planted ahead of nh3, which a
# build imports to sanitise the bodies it parses.
SLOW_MODULE = """
import pathlib, time


class _Slow:
    def __set_name__(self, owner, name):
        pathlib.Path(__file__).with_name("importing").touch()
        time.sleep(30)


class Sanitiser:
    slow = _Slow()
"""


def _interrupted_while_importing(planted: Path, module: str, *argv: str | Path) -> tuple[int, str]:
    """``briefgen ARGV`` with ``module`` planted in ``planted`` to take its time to import
    (:data:`SLOW_MODULE`), interrupted while it imports it: its exit code and stderr."""
    write_files(planted, {f"{module}/__init__.py": SLOW_MODULE})
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(planted), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        cli_command(*argv),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
        env=env,
    )
    try:
        assert wait_until(lambda: (planted / module / "importing").exists(), 30)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, err


def test_ctrl_c_while_a_module_is_imported_during_a_build_exits_130_quietly(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site", {"content/briefings/b.md": briefing("Briefing")})
    assert build(site).code == 0
    before = snapshot(site / "public")
    (site / "content/briefings/b.md").write_text(
        briefing("Briefing", body="Shelling reported again [@g].\n")
    )
    code, err = _interrupted_while_importing(tmp_path / "planted", "nh3", "build", "-s", site)
    assert "Traceback" not in err, err
    assert code == 130, f"exit {code}: {err}"
    assert not changes(before, snapshot(site / "public"))


def test_ctrl_c_while_briefgen_itself_loads_exits_130_quietly(tmp_path: Path) -> None:
    """Before the command line is there to meet it: a module briefgen's command line
    imports, as Python 3.11 hands on a Ctrl-C in a class being made, was a traceback."""
    site = make_site(tmp_path / "site")
    before = snapshot(site)
    planted = tmp_path / "planted"
    assert _interrupted_while_importing(planted, "argparse", "build", "-s", site) == (130, "")
    assert not changes(before, snapshot(site))


@pytest.mark.parametrize(
    ("command", "module"),
    [
        (("new", "Villages shelled again", "-s", "{site}"), "nh3"),
        (("init", "{site}/fresh"), "yaml"),
    ],
    ids=["new", "init"],
)
def test_ctrl_c_while_a_command_loads_its_modules_exits_130_quietly(
    tmp_path: Path, command: tuple[str, ...], module: str
) -> None:
    """A Ctrl-C that no command's own handling meets: it was a traceback."""
    site = make_site(tmp_path / "site")
    before = snapshot(site)
    argv = [arg.format(site=site) for arg in command]
    code, err = _interrupted_while_importing(tmp_path / "planted", module, *argv)
    assert (code, err.strip()) == (130, "briefgen: interrupted."), err
    assert not changes(before, snapshot(site))


def test_ctrl_c_during_the_commit_exits_130_and_keeps_the_previous_output(
    tmp_path: Path,
) -> None:
    """SIGINT while the changed files are moved into place, some of them moved."""
    site = make_site(tmp_path / "site")
    out = site / "public"
    static = site / "content/static/data"
    static.mkdir(parents=True)
    names = [f"f{n}.txt" for n in range(1000)]
    for name in names:
        (static / name).write_text(f"first {name}\n")
    assert build(site).code == 0
    journal = site / ".public.briefgen-old/journal.json"
    for attempt in range(5):  # a commit that ends before it is held is tried again
        before = snapshot(out)
        for name in names:
            (static / name).write_text(f"edit {attempt} {name}\n")
        process = _build_to_interrupt(site)

        def moved(attempt: int = attempt) -> int:
            new = (out / "data" / name for name in names)
            return sum(path.read_text() == f"edit {attempt} {path.name}\n" for path in new)

        try:
            if hold_inside_the_commit(process, journal, moved, len(names)):
                process.send_signal(signal.SIGINT)  # delivered when it goes on
                process.send_signal(signal.SIGCONT)
                _, err = process.communicate(timeout=60)
                break
            _, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    else:
        pytest.fail("no commit was caught half-way in five builds")

    assert "Traceback" not in err, err
    assert process.returncode == 130, f"exit {process.returncode}: {err}"
    assert len([line for line in err.split("\n") if line.strip()]) <= 2, err
    assert not changes(before, snapshot(out))
    assert not journal.exists()


# --- worker processes when a build is interrupted or killed ---------------------------

SLOWER_BRIEFINGS = "{% extends 'default/briefing.html' %}{% for i in range(300000) %}{% endfor %}"


def _running_in_group(group: int) -> list[int]:
    """The processes of the process group ``group`` that have not ended (a zombie, ended
    and not yet waited for, has)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, _, group_of = stat[stat.rindex(")") + 2 :].split()[:3]
            if int(group_of) == group and state != "Z":
                found.append(int(entry.name))
    return found


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it has ended
        return b""


def _rendering_in_workers(tmp_path: Path) -> tuple[Path, subprocess.Popen[str]]:
    """A first build of a site of 150 briefings, in a session of its own, caught while
    worker processes render its pages (each briefing page takes tens of milliseconds)."""
    site = make_big_site(tmp_path / "site", count=150)
    write_files(site, {"templates/briefing.html": SLOWER_BRIEFINGS})
    staged = site / ".public.briefgen-new/briefings"
    process = _build_to_interrupt(site, start_new_session=True)

    def rendering() -> bool:
        return staged.exists() and sum(1 for _ in staged.glob("*/index.html")) >= 10

    wait_until(lambda: process.poll() is not None or rendering(), 60)
    assert process.poll() is None, "the build ended before it could be caught"
    workers = [pid for pid in _running_in_group(process.pid) if pid != process.pid]
    assert any(b"briefgen" in _command_line(pid) for pid in workers), "no worker was rendering"
    return site, process


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("ended_by", ["Ctrl-C", "SIGKILL"])
def test_a_build_interrupted_or_killed_while_workers_render_leaves_no_worker_behind(
    tmp_path: Path, ended_by: str
) -> None:
    """Ctrl-C (to the whole group, as a terminal sends it) or SIGKILL (to the build
    alone, as an out-of-memory killer or a timeout sends it) while worker processes
    render: no worker outlives the build. One left would write into the working folder
    the build discards, then wait for work forever, holding a copy of the site and the
    output's lock: every later build would be refused as "another build is writing"."""
    site, process = _rendering_in_workers(tmp_path)
    try:
        if ended_by == "Ctrl-C":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.kill()
        _, err = process.communicate(timeout=60)
        assert wait_until(lambda: not _running_in_group(process.pid), 10, 0.05)
    finally:
        for left in _running_in_group(process.pid):
            os.kill(left, signal.SIGKILL)
    if ended_by == "Ctrl-C":
        assert process.returncode == 130, err
        assert "Traceback" not in err, err
    (site / "templates/briefing.html").unlink()
    after = build(site)
    assert after.code == 0, after.err
    assert not _leftovers(site / "public")
