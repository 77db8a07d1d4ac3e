"""The same room on the stack for every body, wherever it is rendered.

Python-Markdown (3.11.4 on) stops nesting lists, quotes and definitions once the
stack comes within 100 frames of the interpreter's recursion limit, and keeps the
deeper markers as text. So the HTML of a deeply nested body, and the claims found in
it, would depend on how deep the caller's stack was: a build's worker, ``check`` in
the main process and the preview's rebuild thread each gave other output for one
body of 500 nested items. Its test (``markdown.util.nearing_recursion_limit``, which
its block processors look up at each call) is replaced here by one that counts the
frames from where :func:`same_room` began, for its thread: a body renders the same
wherever it is rendered, and the interpreter's limit, which every thread shares (the
preview's render pages meanwhile), is left as it is.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import markdown.util

# Frames a body's rendering may use before Markdown stops nesting, as it would with
# its limit that far above: within the interpreter's default limit of 1,000 from any
# caller briefgen has (about 40 frames deep in a worker, 60 in the preview's thread).
ROOM = 600
_NEAR = 100  # as Markdown's own test: within 100 frames of the limit

_begun = threading.local()
_stock_test = markdown.util.nearing_recursion_limit


def stack_depth() -> int:
    """The number of frames on this thread's stack."""
    depth = 0
    frame = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


def _nearing_limit() -> bool:
    """Markdown's test, counted from where this thread's body began to render."""
    begun: int | None = getattr(_begun, "depth", None)
    if begun is None:
        return _stock_test()
    return stack_depth() - begun > ROOM - _NEAR


@contextmanager
def same_room() -> Iterator[None]:
    """Render the block's Markdown with :data:`ROOM` frames from here."""
    markdown.util.nearing_recursion_limit = _nearing_limit
    _begun.depth = stack_depth()
    try:
        yield
    finally:
        _begun.depth = None
