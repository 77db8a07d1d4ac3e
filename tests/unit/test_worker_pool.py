"""A pool of worker processes (workers.pool) and Ctrl-C: the terminal sends it to every
process of the group, and one that comes while a worker is being started is neither
printed by the worker nor lost by the build. Each test runs in a new Python process,
with Python's own Ctrl-C handler (a test run's process may hand its children Ctrl-C
ignored) and one thread, as a build that forks its workers has."""

from __future__ import annotations

from processes import in_fresh_python, said_in_fresh_python

PRELUDE = """
import os, signal
from briefgen import workers

signal.signal(signal.SIGINT, signal.default_int_handler)

def held_back(*_):
    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])
"""


def test_a_ctrl_c_while_a_worker_starts_is_not_printed_by_the_worker() -> None:
    said = said_in_fresh_python(
        PRELUDE
        + """
os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGINT))
with workers.pool(2) as executor:
    print(sorted(executor.map(abs, [-1, -2, -3])), set(executor.map(held_back, range(4))))
"""
    )
    assert said == ("[1, 2, 3] {False}\n", "")


def test_a_ctrl_c_while_workers_start_still_interrupts_the_build() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
try:
    with workers.pool(2) as executor:
        executor.submit(abs, -1)
except KeyboardInterrupt:
    print("interrupted", held_back())
"""
    )
    assert said.split() == ["interrupted", "False"]
