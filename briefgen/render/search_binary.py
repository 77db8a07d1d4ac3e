"""The Pagefind binary a build runs.

Apart from search.py, which makes the index: the binary is one of a build's inputs,
and a build that finds nothing changed names it without importing the renderer.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

# Where pagefind.service.get_executable looks, in its order after PAGEFIND_BINARY_PATH:
# the packages of the binary, then the PATH. That module is not imported for it: it
# starts asyncio and SSL for Pagefind's service API, 20-35 ms of every build's start.
_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")
_ON_PATH = ("pagefind_extended", "pagefind")


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
            package = importlib.import_module(name)
            return Path(package.get_executable())
        except (ImportError, AttributeError):
            continue
        except FileNotFoundError:
            return None
    on_path = next(filter(None, map(shutil.which, _ON_PATH)), None)
    return None if on_path is None else Path(on_path)
