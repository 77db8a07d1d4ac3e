"""The Pagefind binary a build runs.

Apart from search.py, which makes the index: the binary is one of a build's inputs,
and a build that finds nothing changed names it without importing the renderer.
"""

from __future__ import annotations

import os
from pathlib import Path

from pagefind.service import get_executable


def executable() -> Path | None:
    """The Pagefind binary (the ``pagefind[bin]`` package's, or the one
    ``PAGEFIND_BINARY_PATH`` names), or None when there is none that runs."""
    found = get_executable()
    if found is None or not found.is_file() or not os.access(found, os.X_OK):
        return None
    return found
