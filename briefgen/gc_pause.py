"""Keeping Python's cyclic garbage collector away from a build's long-lived data.

A build makes hundreds of thousands of small objects (briefings, citations,
locations, routes) that live until it ends. Every full collection walks all of them,
and one runs every few hundred thousand allocations: at 10,000 briefings that was
half of a rebuild's time. None of them form cycles that need collecting, so the
collector is paused while they are made and then told to leave them alone. That
also keeps forked workers from copying memory pages just by scanning them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while the block makes data that lives on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Leave every object alive now out of all later collections.

    Called while paused: else the collector's first run would walk them all once.
    """
    gc.freeze()


@contextmanager
def settling() -> Iterator[None]:
    """:func:`settle` whatever is alive when the block ends, however it ends (inside
    :func:`paused`): the collector, let run again, then starts with none of it."""
    try:
        yield
    finally:
        settle()


def renew() -> None:
    """After long-lived data left out of collections (see :func:`settle`) was replaced,
    free the cycles the old data left, then leave everything alive now out of later
    collections too. The collection walks every object once, the old data's with the
    new."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
