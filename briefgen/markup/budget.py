"""A time budget for one call, in any thread, on any OS.

Some inputs (thousands of links never closed) make Python-Markdown quadratic: one
such file must fail on its own instead of hanging a build or the preview. The budget
interrupts the call with :class:`Expired` once its time is up.

The time is the processor's, spent by the call: a long body that builds alone must
not fail when other commands keep the cores busy (on the clock of the wall, a body
of 1.5 MB failed two builds in three beside a check and another build).

Two clocks serve it. In the main thread of a POSIX process, a signal timer
(``setitimer`` on the process's time in user mode, which a build spends in that
thread while it parses) costs one system call and starts no thread, which matters
because a build forks its workers only while it runs a single thread (see
workers.py). Anywhere else (the preview's rebuild thread, Windows) a watchdog thread
raises the exception in the thread that ran out of time, going by that thread's own
processor clock where the system has one (not Windows: the wall's there); it runs
only while a budget is watched, so that a process that watched one can fork its
workers again. Both interrupt Python code only between bytecodes: a single long call
into C (one regular expression) finishes first.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

_TICK = 0.05  # how often the watchdog looks at the clock, in seconds


class Expired(BaseException):
    """The budget ran out (a BaseException, so that no ``except Exception`` in the
    interrupted library can swallow it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Expired` in this thread if the block runs longer than ``seconds``."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _signal_timer(seconds):
            yield
    else:
        with _WATCHDOG.watching(seconds):
            yield


@contextmanager
def _signal_timer(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Expired

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def _clock_of(thread: int) -> Callable[[], float]:
    """The processor time ``thread`` has spent, in seconds, as a clock; the wall's time
    where the system keeps no clock for each thread."""
    try:
        clock = time.pthread_getcpuclockid(thread)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock)


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Have ``thread_id`` raise ``exception`` at its next bytecode (None: no longer)."""
    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async(ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


class _Watchdog:
    """A thread that interrupts the threads whose budget ran out, while any is watched."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # thread -> (its clock, the deadline on it, token)
        self._deadlines: dict[int, tuple[Callable[[], float], float, int]] = {}
        self._fired: set[int] = set()  # tokens whose thread was told to raise
        self._tokens = itertools.count()
        self._pid = 0  # the process whose thread runs; 0: none runs

    @contextmanager
    def watching(self, seconds: float) -> Iterator[None]:
        thread = threading.get_ident()
        token = next(self._tokens)
        with self._lock:
            if self._pid != os.getpid():  # none runs, or this is a forked child
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="briefgen-budget", daemon=True).start()
            clock = _clock_of(thread)
            self._deadlines[thread] = (clock, clock() + seconds, token)
        try:
            yield
        finally:
            with self._lock:
                self._deadlines.pop(thread, None)
                if token in self._fired:
                    self._fired.discard(token)
                    _raise_in(thread, None)  # told to raise, but it finished first

    def _run(self) -> None:
        while True:
            time.sleep(_TICK)
            with self._lock:
                if not self._deadlines:
                    self._pid = 0
                    return
                for thread, (clock, deadline, token) in self._deadlines.items():
                    if token not in self._fired and clock() >= deadline:
                        self._fired.add(token)
                        _raise_in(thread, Expired)


_WATCHDOG = _Watchdog()
