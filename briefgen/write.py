"""Stage 4: write the output so that it is replaced whole or not at all.

A manifest in the output (``.briefgen-manifest``) lists the files briefgen wrote;
anything else found there (``CNAME``, ``.git``) was put there by someone else and
is never deleted.

* First build into a folder (no manifest yet): every file goes to a sibling
  staging folder, which then takes the output's place in one rename; files found
  in the old folder are carried over.
* Later builds: only files whose bytes change are staged. The commit moves them
  into place after recording, in a sibling backup folder, a journal and the files
  they replace. A commit that fails is rolled back at once; one that was killed is
  rolled back by the next run, before it touches anything else. Only a finished
  commit removes the backup.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

MANIFEST = ".briefgen-manifest"
_JOURNAL = "journal.json"


class OutputError(Exception):
    """The output folder cannot be written; the message says why."""


def refuse_reason(root: Path, out: Path, protected: Iterable[Path]) -> str:
    """Why ``out`` must not be the output folder of the site at ``root``, or ''."""
    out = out.resolve()
    root = root.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        return f"refusing to use {out} as the output folder"
    if root.is_relative_to(out):
        return f"the output folder {out} contains the site itself"
    if (out / ".git").exists() and not (out / MANIFEST).exists():
        return f"the output folder {out} holds a .git folder and was not written by briefgen"
    for folder in protected:
        folder = folder.resolve()
        if out.is_relative_to(folder) or folder.is_relative_to(out):
            return f"the output folder {out} overlaps {folder}"
    return ""


def _sibling(out: Path, suffix: str) -> Path:
    return out.parent / f".{out.name}.briefgen-{suffix}"


def read_manifest(out: Path) -> set[str] | None:
    try:
        return set((out / MANIFEST).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return None


def recover(out: Path) -> None:
    """Undo a commit that was interrupted, so the output is the previous build again."""
    backup = _sibling(out, "old")
    try:
        journal = json.loads((backup / _JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        journal = None  # no commit had begun: the journal is complete before the first move
    if journal is not None:
        for rel in journal["created"]:
            (out / rel).unlink(missing_ok=True)
            _remove_empty_parents(out, rel)
        saved = backup / "files"
        for rel in journal["replaced"]:
            if (saved / rel).exists():
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(saved / rel, out / rel)
    if backup.exists():
        shutil.rmtree(backup)


def _remove_empty_parents(out: Path, rel: str) -> None:
    parent = (out / rel).parent
    while parent != out:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


class OutputWriter:
    """Stages a build's files and commits them to the output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = _sibling(out, "new")
        self.previous = read_manifest(out) if out.is_dir() else None
        self.files: set[str] = set()  # every file of the new build
        self.staged: set[str] = set()  # those whose bytes differ from the output's
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def put(self, rel: str, data: bytes) -> bool:
        """Stage ``data`` unless the output already holds exactly it; True if staged.

        Touches only the file system, so worker processes can call it; the caller
        then :meth:`record`\\ s the result.
        """
        if self.previous is not None and rel in self.previous:
            try:
                if (self.out / rel).read_bytes() == data:
                    return False
            except OSError:
                pass
        path = self.staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return True

    def record(self, rel: str, staged: bool) -> None:
        self.files.add(rel)
        if staged:
            self.staged.add(rel)

    def write(self, rel: str, data: bytes) -> None:
        self.record(rel, self.put(rel, data))

    def copy(self, files: dict[str, Path]) -> None:
        """Copy files to their output paths (the build has checked they clash with no page)."""
        for rel, source in sorted(files.items()):
            if self._holds(rel, source):
                self.record(rel, staged=False)
                continue
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            self.record(rel, staged=True)

    def _holds(self, rel: str, source: Path) -> bool:
        """True when the output already has, from the last build, a copy of ``source``."""
        current = self.out / rel
        if self.previous is None or rel not in self.previous or not current.is_file():
            return False
        return filecmp.cmp(source, current, shallow=False)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> None:
        try:
            if self.previous is None:
                self._swap()
            else:
                self._apply(self.previous)
        finally:
            self.discard()

    def _manifest(self) -> bytes:
        return "".join(f"{f}\n" for f in sorted(self.files)).encode()

    def _clash_error(self, clashes: list[str]) -> OutputError:
        return OutputError(
            f"{self.out} holds files briefgen did not write that this build would "
            f"replace: {', '.join(clashes)}; move them away or into content/static/"
        )

    def _swap(self) -> None:
        """First build: the staged folder takes the output's place in one rename."""
        (self.staging / MANIFEST).write_bytes(self._manifest())
        if not self.out.exists():
            os.replace(self.staging, self.out)
            return
        foreign = _foreign_entries(self.out, set())
        staged = self.files | _folders(self.files)
        clashes = sorted(rel for rel in foreign if rel in staged)
        if clashes:
            raise self._clash_error(clashes)
        for rel in foreign:
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.out / rel, target)
        trash = _sibling(self.out, "old")
        os.replace(self.out, trash)
        os.replace(self.staging, self.out)
        shutil.rmtree(trash)

    def _apply(self, previous: set[str]) -> None:
        """Later builds: move the changed files into place, journaled for rollback."""
        created = sorted(self.staged - previous)
        replaced = sorted((self.staged & previous) | (previous - self.files - {MANIFEST}))
        removed = sorted(previous - self.files - {MANIFEST})
        clashes = [rel for rel in created if (self.out / rel).exists()]
        if clashes:
            raise self._clash_error(clashes)
        (self.staging / MANIFEST).write_bytes(self._manifest())
        backup = _sibling(self.out, "old")
        saved = backup / "files"
        saved.mkdir(parents=True)
        journal = {"created": created, "replaced": [*replaced, MANIFEST]}
        (backup / "journal.tmp").write_text(json.dumps(journal), encoding="utf-8")
        os.replace(backup / "journal.tmp", backup / _JOURNAL)
        try:
            for rel in [*replaced, MANIFEST]:
                if (self.out / rel).is_file():
                    (saved / rel).parent.mkdir(parents=True, exist_ok=True)
                    _preserve(self.out / rel, saved / rel)
            for rel in [*created, *(r for r in replaced if r in self.staged), MANIFEST]:
                (self.out / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / rel, self.out / rel)
            for rel in removed:
                (self.out / rel).unlink(missing_ok=True)
                _remove_empty_parents(self.out, rel)
        except OSError:
            recover(self.out)
            raise
        shutil.rmtree(backup)


def _preserve(source: Path, target: Path) -> None:
    """Keep a copy of ``source`` at ``target``: a hard link where the file system allows."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _foreign_entries(out: Path, ours: set[str]) -> list[str]:
    """Files and whole folders in ``out`` that are not in ``ours``."""
    folders = _folders(ours)
    foreign = []
    for dirpath, dirnames, filenames in os.walk(out):
        base = Path(dirpath).relative_to(out)
        for name in sorted(dirnames):
            if (base / name).as_posix() not in folders:
                foreign.append((base / name).as_posix())
        dirnames[:] = sorted(n for n in dirnames if (base / n).as_posix() in folders)
        foreign += sorted(
            (base / n).as_posix() for n in filenames if (base / n).as_posix() not in ours
        )
    return foreign


def _folders(files: Iterable[str]) -> set[str]:
    """Every folder that holds one of ``files`` (paths relative to the output)."""
    folders = set()
    for rel in files:
        parts = rel.split("/")[:-1]
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return folders
