"""The same room on the stack for every body, wherever it is rendered.

Python-Markdown (3.11.4 on) stops nesting lists, quotes and definitions once the
stack comes within 100 frames of the interpreter's recursion limit, and keeps the
deeper markers as text. So the HTML of a deeply nested body, and the claims found in
it, would depend on how deep the caller's stack was: a build's worker, ``check`` in
the main process and the preview's rebuild thread each gave other output for one
body of 500 nested items. :func:`same_room` sets the limit a fixed number of frames
above the caller for the call, so a body renders the same wherever it is rendered.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

ROOM = 900  # frames a body's rendering may use, about what a shallow caller has by default


def stack_depth() -> int:
    """The number of frames on this thread's stack."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


@contextmanager
def same_room() -> Iterator[None]:
    """Run the block with the recursion limit :data:`ROOM` frames above its caller's."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(stack_depth() + ROOM)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)
