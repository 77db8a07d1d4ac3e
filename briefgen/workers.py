"""The one process policy: how a build starts worker processes, on any OS, from any thread.

Forking is the cheapest start, and the only one that lets workers inherit a linked
site without pickling it, but it copies one thread only: forking while other threads
run (the preview's watcher and server) can leave a worker waiting forever on a lock
one of them held. So workers are forked only on Linux with one thread running;
otherwise they start fresh (``forkserver`` on other POSIX systems, ``spawn`` on
Windows) and are sent what they work on, pickled, once each.

Workers ignore Ctrl-C: the terminal sends it to every process of the group, and
the parent alone decides what an interrupted build leaves behind. One that comes
while a worker starts is held back until the worker ignores it, then dropped there;
the parent gets it as soon as the worker is started. Workers end with the build:
stopped at once when it is interrupted, and on Linux ended by the system when it is
killed outright.

A single task that needs none of a pool's machinery (its threads, its queues, tens
of milliseconds to start) runs in a process of its own, forked, see :func:`fork`.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_shared: Any = None  # in a worker: what its pool was given to share
_HOLDS_SIGNALS = hasattr(signal, "pthread_sigmask")  # not on Windows
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def can_fork() -> bool:
    """True when workers can be forked safely, and so inherit this process's data."""
    return sys.platform == "linux" and threading.active_count() == 1


def _start_worker(shared: Any, parent: int | None) -> None:
    """Set a worker up: ``parent`` is the process that forked it, if it was forked."""
    global _shared
    _shared = shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _HOLDS_SIGNALS:  # a Ctrl-C held back while this worker started is dropped
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if sys.platform == "linux":
        _end_with_parent(parent)
    # A forked worker starts with the parent's collector state: switch it back on,
    # since a worker's own data is short-lived.
    gc.enable()


def _end_with_parent(parent: int | None) -> None:
    """Have the system end this worker as soon as the process that started it ends,
    however it ends (Linux's ``PR_SET_PDEATHSIG``).

    A build killed outright cannot stop its workers. A worker left would wait for
    work forever, with its copy of the site and the output's lock, which it inherited:
    every later build would find "another build" writing (a forked task, until it
    ended). ``parent``, when known, is checked once the request is made, in case it
    ended before.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (ImportError, OSError, AttributeError):  # no C library to ask: as before
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def shared() -> Any:
    """In a worker, the ``shared`` value its :func:`pool` was made with."""
    return _shared


@contextmanager
def pool(workers: int, shared: Any = None) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes, forked when :func:`can_fork`.

    Each worker gets ``shared`` (see :func:`shared`): inherited when forked, else
    pickled once per worker, instead of with every task. When the block is left by
    an exception (Ctrl-C included), work not yet started is cancelled and the workers
    are stopped at once.
    """
    # Imported here (and in _pool_class): a build that forks a single task or none
    # (see fork) does not need them, and they are 20 ms of its start.
    import multiprocessing

    context: multiprocessing.context.BaseContext
    parent = None  # of forked workers: this process
    if can_fork():
        context = multiprocessing.get_context("fork")
        parent = os.getpid()
    elif sys.platform != "win32":
        context = multiprocessing.get_context("forkserver")
    else:
        context = multiprocessing.get_context("spawn")
    others = set(multiprocessing.active_children())
    executor = _pool_class()(
        workers, mp_context=context, initializer=_start_worker, initargs=(shared, parent)
    )
    try:
        yield executor
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        # Its workers end now, not after their tasks: a worker left rendering would
        # write into the working folder the build is discarding, then wait for work
        # forever once the build has ended (which leaves without waiting for them).
        for worker in set(multiprocessing.active_children()) - others:
            worker.kill()
            worker.join()
        raise
    executor.shutdown(wait=True)


@functools.cache
def _pool_class() -> type[ProcessPoolExecutor]:
    from concurrent.futures import Future, ProcessPoolExecutor

    class Pool(ProcessPoolExecutor):
        """A pool whose workers start with Ctrl-C held back.

        Tasks submitted start the workers (all of them with the first, when forked).
        Until its initializer ignores Ctrl-C, a worker would print one that came
        while Python's after-fork handlers or multiprocessing's start ran in it.
        """

        def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
            if not _HOLDS_SIGNALS:
                return super().submit(fn, *args, **kwargs)
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                return super().submit(fn, *args, **kwargs)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # held back: arrives now

    return Pool


class Forked:
    """A task running in a forked copy of this process, which sends back its result."""

    def __init__(self, pid: int, pipe: int) -> None:
        self._pid: int | None = pid
        self._pipe = pipe
        self._said: bytes | None = None

    def result(self) -> bytes | None:
        """What the task returned, once it has; None when it failed, died or was stopped.
        The result is taken whole or not at all, by the length sent before it."""
        if self._pid is not None:
            with os.fdopen(self._pipe, "rb") as pipe:
                said = pipe.read()
            self._reap()
            length, colon, made = said.partition(b":")
            if colon and length.isdigit() and int(length) == len(made):
                self._said = made
        return self._said

    def stop(self) -> None:
        """End the task if it is still running; its result is then None."""
        if self._pid is not None:
            if not self._ended():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._pid, signal.SIGKILL)
            self._reap()
            os.close(self._pipe)

    def _ended(self) -> bool:
        """True once the process has ended: waited for here, or by the system where
        ``SIGCHLD`` is ignored (a setting a program inherits from the one that ran it),
        which waits for children itself."""
        assert self._pid is not None
        try:
            return os.waitpid(self._pid, os.WNOHANG)[0] != 0
        except ChildProcessError:
            return True

    def _reap(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None


def fork(task: Callable[[], bytes]) -> Forked | None:
    """``task`` begun in a forked process, when :func:`can_fork` and the system has room
    for one; else None (the caller does the work itself). The process writes nothing
    but the result: it leaves without flushing what this one had buffered, nor
    running its exit handlers. It ends when this process ends, however that ends."""
    if not can_fork():
        return None
    read, write = os.pipe()
    parent = os.getpid()
    # Ctrl-C is held back while the process is copied: in the copy, before it ignores
    # Ctrl-C, it would interrupt Python's own after-fork handlers, which print it.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:  # no room for another process: the caller does the work
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the forked process
        said = b""
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C held back is dropped
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            _end_with_parent(parent)
            made = task()
            said = b"%d:%s" % (len(made), made)
        finally:
            with contextlib.suppress(BaseException), os.fdopen(write, "wb") as pipe:
                pipe.write(said)
            os._exit(0)
    os.close(write)
    forked = Forked(pid, read)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C held back arrives now
    return forked
