"""The one process policy: how a build starts worker processes, on any OS, from any thread.

Forking is the cheapest start, and the only one that lets workers inherit a linked
site without pickling it, but it copies one thread only: forking while other threads
run (the preview's watcher and server) can leave a worker waiting forever on a lock
one of them held. So workers are forked only on Linux with one thread running;
otherwise they start fresh (``forkserver`` on other POSIX systems, ``spawn`` on
Windows) and work from what they are sent.

Workers ignore Ctrl-C: the terminal sends it to every process of the group, and
the parent alone decides what an interrupted build leaves behind.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


def can_fork() -> bool:
    """True when workers can be forked safely, and so inherit this process's data."""
    return sys.platform == "linux" and threading.active_count() == 1


def _start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker starts with the parent's collector state: switch it back on,
    # since a worker's own data is short-lived.
    gc.enable()


@contextmanager
def pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes, forked when :func:`can_fork`.

    When the block is left by an exception (Ctrl-C included), work not yet started
    is cancelled instead of waited for.
    """
    context: multiprocessing.context.BaseContext
    if can_fork():
        context = multiprocessing.get_context("fork")
    elif sys.platform != "win32":
        context = multiprocessing.get_context("forkserver")
    else:
        context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker)
    try:
        yield executor
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
