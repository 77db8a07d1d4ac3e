"""Holding a build process still at the moment a test needs, whatever the machine's speed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def interruptible() -> None:
    """In a child process, before it starts (``preexec_fn``): SIGINT as a terminal's
    foreground job gets it. A test run started in the background by a shell without job
    control has it ignored, and a child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def hold(process: subprocess.Popen[Any]) -> bool:
    """Stop ``process`` (SIGSTOP) and wait until it has stopped; False if it ended first."""
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGSTOP)
    _, status = os.waitpid(process.pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        return True
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return False


def hold_inside_the_commit(
    process: subprocess.Popen[Any], journal: Path, moved: Callable[[], int], total: int
) -> bool:
    """Hold a build still inside its commit: its journal written, and ``moved()`` of the
    ``total`` changed files in the output, some but not all. The state is checked while
    the build is stopped, so nothing depends on how long any step takes: the build is
    let go on a few milliseconds at a time until it is caught in that state. False if
    the commit ended first (the build is then left to finish)."""
    while process.poll() is None:
        if journal.exists():
            if not hold(process):
                return False
            if journal.exists() and 0 < moved() < total:
                return True
            process.send_signal(signal.SIGCONT)  # not yet, or already done: go on a bit
        time.sleep(0.005)
    return False


def in_fresh_python(code: str) -> str:
    """Run ``code`` in a new Python process, with one thread as a build's own has (a
    test run's process may have more), and return what it printed; a failure fails
    the test with what it said."""
    return said_in_fresh_python(code)[0]


def said_in_fresh_python(code: str) -> tuple[str, str]:
    """As :func:`in_fresh_python`, with what ``code`` wrote to standard error too."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr
