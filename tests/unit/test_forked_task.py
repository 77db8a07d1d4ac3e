"""A single task run in a forked process (workers.fork): its result comes back
through a pipe, a task that fails or is stopped gives none, and no process is left
behind. Each test runs in a new Python process: a build forks only while it runs one
thread, and a test run's process may have started others."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from processes import in_fresh_python, said_in_fresh_python

from briefgen import workers

PRELUDE = """
import os, sys, time
from briefgen import workers

def no_children():
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False
"""


def test_the_result_of_a_forked_task_comes_back() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
forked = workers.fork(lambda: str(os.getpid()).encode())
result = forked.result()
print(int(result) != os.getpid(), forked.result() == result, no_children())
"""
    )
    assert said.split() == ["True", "True", "True"]


def test_a_task_that_fails_gives_no_result() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
def fails():
    raise ValueError("no")

print(workers.fork(fails).result(), no_children())
"""
    )
    assert said.split() == ["None", "True"]


def test_a_stopped_task_gives_no_result_and_leaves_no_process() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
forked = workers.fork(lambda: (time.sleep(60), b"late")[1])
started = time.monotonic()
forked.stop()
print(time.monotonic() - started < 5, forked.result(), no_children())
"""
    )
    assert said.split() == ["True", "None", "True"]


def test_what_the_parent_had_buffered_is_not_written_by_the_task() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
sys.stdout.write("once ")
print(workers.fork(lambda: b"").result() == b"")
"""
    )
    assert said.split() == ["once", "True"]


def test_tasks_waited_for_or_stopped_leave_no_process_behind() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
results = []
for n in range(20):
    forked = workers.fork(lambda n=n: str(n).encode())
    if n % 2:
        forked.stop()
    else:
        results.append(forked.result() == str(n).encode())
print(all(results), no_children())
"""
    )
    assert said.split() == ["True", "True"]


def test_no_process_is_forked_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert workers.fork(lambda: b"x") is None
    finally:
        stop.set()
        thread.join()


def test_where_the_system_has_no_room_for_a_process_no_task_is_begun() -> None:
    """fork() failing (EAGAIN: a limit on processes reached) is not the build's failure:
    the caller does the work itself, and no pipe is left open."""
    said = in_fresh_python(
        PRELUDE
        + """
def refused():
    raise BlockingIOError(11, "Resource temporarily unavailable")

opened = len(os.listdir("/proc/self/fd"))
os.fork = refused
print(workers.fork(lambda: b"x"), len(os.listdir("/proc/self/fd")) == opened)
"""
    )
    assert said.split() == ["None", "True"]


def test_with_sigchld_ignored_tasks_still_give_their_results() -> None:
    """A program can inherit SIGCHLD ignored from the one that ran it; the system then
    waits for its children itself, and a wait for one finds none."""
    said = in_fresh_python(
        PRELUDE
        + """
import signal
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
done = workers.fork(lambda: b"done").result()
slow = workers.fork(lambda: (time.sleep(60), b"late")[1])
slow.stop()
quick = workers.fork(lambda: b"")
time.sleep(0.2)
quick.stop()
print(done == b"done", slow.result(), quick.result(), no_children())
"""
    )
    assert said.split() == ["True", "None", "None", "True"]


def test_a_ctrl_c_while_the_process_is_copied_is_not_printed_by_the_copy() -> None:
    """A terminal's Ctrl-C reaches every process of the group, and can reach the copy
    while Python's own after-fork handlers run in it, before the task ignores Ctrl-C:
    it is held back until then and dropped, and the copy prints nothing."""
    said = said_in_fresh_python(
        PRELUDE
        + """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the test run ignores
os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGINT))
print(workers.fork(lambda: b"done").result().decode())
"""
    )
    assert said == ("done\n", "")


def test_a_ctrl_c_while_the_process_is_copied_still_interrupts_the_parent() -> None:
    said = in_fresh_python(
        PRELUDE
        + """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the test run ignores
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
try:
    workers.fork(lambda: b"done")
except KeyboardInterrupt:
    print("interrupted")
"""
    )
    assert said.split() == ["interrupted"]


def test_a_task_ends_when_the_process_that_forked_it_is_killed(tmp_path: Path) -> None:
    """A build killed outright (an out-of-memory killer, a timeout) cannot stop its
    task: the system ends it, so it does not go on holding what it inherited (the
    output's lock, this test's pipes) until it is done."""
    started = tmp_path / "started"
    code = (
        PRELUDE
        + f"""
import signal
started = {str(started)!r}
workers.fork(lambda: (open(started, "w").close(), time.sleep(60), b"late")[-1])
while not os.path.exists(started):
    time.sleep(0.01)
os.kill(os.getpid(), signal.SIGKILL)
"""
    )
    begun = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
    assert done.returncode == -signal.SIGKILL
    assert time.monotonic() - begun < 20  # the pipes closed: no copy left holding them
