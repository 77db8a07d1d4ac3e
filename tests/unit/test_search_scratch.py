"""Pagefind works in memory (/dev/shm) when the system has room there, and where
TMPDIR says when it is set; nothing of its work is left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.render import search
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
    mkdtemp = search.tempfile.mkdtemp

    def noted(**kwargs: object) -> str:
        folder = mkdtemp(**kwargs)
        made.append(Path(folder))
        return str(folder)

    monkeypatch.setattr(search.tempfile, "mkdtemp", noted)
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
