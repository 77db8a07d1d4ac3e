"""The Pagefind binary a build runs.

Apart from search.py, which makes the index: the binary is one of a build's inputs,
and a build that finds nothing changed names it without importing the renderer.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

# Where pagefind.service.get_executable looks, in its order after PAGEFIND_BINARY_PATH:
# the packages of the binary, then the PATH. That module is not imported for it: it
# starts asyncio and SSL for Pagefind's service API, 20-35 ms of every build's start.
# Nor are the packages: each imports logging and platform (6 ms) to look in its folder
# for the binary's names, with '.exe' on Windows, as ``_packaged`` does.
_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")
_NAMES = ("pagefind_extended", "pagefind")
_ENDINGS = ("", ".exe") if sys.platform == "win32" else ("",)


def executable() -> Path | None:
    """The Pagefind binary (the ``pagefind[bin]`` package's, or the one
    ``PAGEFIND_BINARY_PATH`` names), or None when there is none that runs."""
    found = _located()
    if found is None or not found.is_file() or not os.access(found, os.X_OK):
        return None
    return found


def _located() -> Path | None:
    """Where pagefind.service.get_executable finds the binary; None where it finds
    none, or where a package of the binary lacks its file (which that function raises)."""
    named = os.getenv("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named)
    for name in _PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        # A folder of the name with no __init__.py (a namespace package) has no
        # get_executable: pagefind.service's import of it fails, and it looks on.
        if spec is not None and spec.origin is not None and spec.submodule_search_locations:
            return _packaged(Path(spec.submodule_search_locations[0]))
    on_path = next(filter(None, map(shutil.which, _NAMES)), None)
    return None if on_path is None else Path(on_path)


def _packaged(folder: Path) -> Path | None:
    """The binary in the folder of a package of it, as the package's get_executable
    finds it: the first of its names there; None where that is no file, or none is
    there (where that function raises)."""
    for candidate in (folder / f"{name}{ending}" for name in _NAMES for ending in _ENDINGS):
        if candidate.exists():
            return candidate if candidate.is_file() else None
    return None
