"""Stage 4: write the output so that readers never see a half-built site.

Pages go to a sibling staging folder; only when everything is written is the old
output swapped out for it. A manifest in the output lists the files briefgen
wrote; anything else found there (``CNAME``, ``.git``) was put there by someone
else and is carried over to the new output, never deleted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

MANIFEST = ".briefgen-manifest"


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


class OutputWriter:
    """Collects a build's files in a staging folder, then swaps it in."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out.parent / f".{out.name}.briefgen-new"
        self.files: set[str] = set()
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)

    def write(self, rel: str, data: bytes) -> None:
        path = self.staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.add(rel)

    def copy(self, files: dict[str, Path]) -> list[str]:
        """Copy files to their output paths; return those that clash with written ones."""
        clashes = []
        folders = _folders(self.files)
        for rel, source in sorted(files.items()):
            if rel in self.files or rel in folders:
                clashes.append(rel)
                continue
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            self.files.add(rel)
        return clashes

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> None:
        """Swap the staging folder in; carry over files that briefgen did not write."""
        (self.staging / MANIFEST).write_text("".join(f"{f}\n" for f in sorted(self.files)))
        if not self.out.exists():
            os.replace(self.staging, self.out)
            return
        foreign = _foreign_entries(self.out)
        staged = self.files | _folders(self.files)
        clashes = sorted(rel for rel in foreign if rel in staged)
        if clashes:
            self.discard()
            raise OutputError(
                f"{self.out} holds files briefgen did not write that this build would "
                f"replace: {', '.join(clashes)}; move them away or into content/static/"
            )
        for rel in foreign:
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.out / rel, target)
        trash = self.out.parent / f".{self.out.name}.briefgen-old"
        if trash.exists():
            shutil.rmtree(trash)
        os.replace(self.out, trash)
        os.replace(self.staging, self.out)
        shutil.rmtree(trash)


def _foreign_entries(out: Path) -> list[str]:
    """Files and whole folders in ``out`` that the last build's manifest does not list."""
    manifest = out / MANIFEST
    ours = {MANIFEST}
    if manifest.is_file():
        ours |= set(manifest.read_text(encoding="utf-8").splitlines())
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
