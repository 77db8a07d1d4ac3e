"""Pagefind works in memory (/dev/shm) when the system has room there, and where
TMPDIR says when it is set; nothing of its work is left behind, even by a build
killed outright: the next run removes what that build left."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.render import scratch, search
from briefgen.render.search_binary import executable

PAGE = b"<!DOCTYPE html><html lang='en'><body data-pagefind-body><h1>Shelling</h1></body></html>"


@pytest.fixture
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "shm"
    folder.mkdir()
    monkeypatch.setattr(search, "_IN_MEMORY", folder)
    monkeypatch.delenv("TMPDIR", raising=False)
    return folder


def test_pagefind_works_in_memory_when_there_is_room_and_leaves_nothing(
    memory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = []
    mkdtemp = scratch.tempfile.mkdtemp

    def noted(**kwargs: object) -> str:
        folder = mkdtemp(**kwargs)
        made.append(Path(folder))
        return str(folder)

    monkeypatch.setattr(scratch.tempfile, "mkdtemp", noted)
    binary = executable()
    assert binary is not None
    files = search.make_index(binary, [("briefings/a/index.html", PAGE)])
    assert "pagefind/pagefind-entry.json" in files
    assert [folder.parent for folder in made] == [memory]
    assert list(memory.iterdir()) == []


def test_without_room_in_memory_pagefind_works_in_the_temporary_folder(
    memory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert search._scratch() == memory
    free = os.statvfs(memory)
    monkeypatch.setattr(search, "_ROOM_IN_MEMORY", free.f_bavail * free.f_frsize + 1)
    assert search._scratch() is None


def test_tmpdir_names_where_pagefind_works(memory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(memory.parent))
    assert search._scratch() is None
    monkeypatch.setattr(search, "_IN_MEMORY", memory / "missing")
    monkeypatch.delenv("TMPDIR")
    assert search._scratch() is None


def _made_by_a_process_that_ends(where: Path, ends: str) -> Path:
    """The folder of a run made in another process, which then ``ends`` as a build
    killed would: without removing it."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from briefgen.render import scratch\n"
        f"work, marker = scratch.made(Path({str(where)!r}))\n"
        "(work / 'site').mkdir()\n"
        "(work / 'site/page.html').write_text('page')\n"
        "print(work, flush=True)\n"
        f"{ends}\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return Path(done.stdout.strip())


@pytest.mark.parametrize("ends", ["os._exit(0)", "os.kill(os.getpid(), 9)"])
def test_what_a_killed_build_left_is_removed_by_the_next_run(memory: Path, ends: str) -> None:
    left = _made_by_a_process_that_ends(memory, ends)
    assert (left / "site/page.html").exists()
    binary = executable()
    assert binary is not None
    search.make_index(binary, [("briefings/a/index.html", PAGE)])
    assert list(memory.iterdir()) == []


def test_only_folders_no_build_holds_that_carry_the_marker_are_removed(memory: Path) -> None:
    held, marker = scratch.made(memory)  # in use by this process
    unmarked = memory / f"{scratch.PREFIX}someone"
    unmarked.mkdir()
    (unmarked / "kept.txt").write_text("not briefgen's")
    elsewhere = memory.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / scratch.MARKER).write_text("")
    (memory / f"{scratch.PREFIX}link").symlink_to(elsewhere)
    other = memory / "other-name"
    other.mkdir()
    (other / scratch.MARKER).write_text("")
    left = _made_by_a_process_that_ends(memory, "os._exit(0)")
    try:
        scratch.sweep(memory)
        assert not left.exists()
        assert held.is_dir() and (unmarked / "kept.txt").exists()
        assert (elsewhere / scratch.MARKER).exists() and other.is_dir()
    finally:
        marker.close()
    scratch.sweep(memory)
    assert not held.exists()
