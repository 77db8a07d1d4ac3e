"""The folders Pagefind works in, one for each run, and those left by builds killed.

A build removes its runs' folders as it goes, but a build killed outright cannot, and
in memory (/dev/shm) what it left would hold the machine's memory until it restarts.
So each folder holds a marker that its build keeps locked while the folder is in use
(the lock ends with the build's processes, however they end), and each run removes
the folders of this user whose marker nobody holds. A folder without the marker is
never touched: it is not known to be briefgen's, or it is still being made (the
marker is locked under another name first, then renamed, so it appears locked).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO

from briefgen.write import try_lock

PREFIX = "briefgen-search-"
MARKER = ".briefgen-search"


def made(where: Path | None) -> tuple[Path, IO[bytes]]:
    """A new folder in ``where`` (None: the usual temporary folder), and its marker,
    locked: close it once the folder is removed."""
    work = Path(tempfile.mkdtemp(prefix=PREFIX, dir=where))
    making = work / f"{MARKER}-made"
    marker = open(making, "xb")  # noqa: SIM115 -- held until the folder is removed
    try:
        if try_lock(marker):  # else (no locks on that file system) no sweep may remove it
            making.rename(work / MARKER)
    except BaseException:
        marker.close()
        shutil.rmtree(work, ignore_errors=True)
        raise
    return work, marker


def sweep(where: Path | None) -> None:
    """Remove the folders in ``where`` that builds now ended left behind (see above)."""
    if sys.platform == "win32":  # no such folder is left in memory there
        return
    try:
        entries = [entry for entry in os.scandir(where or tempfile.gettempdir())
                   if entry.name.startswith(PREFIX)]  # fmt: skip
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if not entry.is_dir(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            found = os.open(os.path.join(entry.path, MARKER), os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(found, "rb") as marker:
                if try_lock(marker):  # no build holds it: its build has ended
                    shutil.rmtree(entry.path)
