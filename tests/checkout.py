"""A site's content as a fresh checkout leaves it, as in a CI run: the same bytes,
every file with new times and a new inode."""

from __future__ import annotations

import shutil
from pathlib import Path


def check_out_anew(root: Path) -> None:
    """Replace ``root/content`` with a copy of itself that keeps no file's times."""
    content = root / "content"
    copy = root / "content-checked-out"
    shutil.copytree(content, copy, copy_function=shutil.copyfile)
    shutil.rmtree(content)
    copy.rename(content)
