"""Two processes looking at one list of files from its two ends (last_build.Meeting):
each stops where the other has reached, so that together they look at every file
once or nearly, and a file found changed stops both."""

from __future__ import annotations

from collections.abc import Callable

from processes import in_fresh_python

from briefgen.last_build import Meeting


def _counting() -> tuple[list[tuple[int, int]], Callable[[int, int], bool]]:
    runs: list[tuple[int, int]] = []

    def hold(start: int, end: int) -> bool:
        runs.append((start, end))
        return True

    return runs, hold


def test_a_look_from_the_front_alone_looks_at_every_file_and_the_back_then_at_none() -> None:
    meeting = Meeting()
    front, hold = _counting()
    assert meeting.from_front(1000, hold) == 1000
    assert front[0] == (0, 64) and front[-1] == (960, 1000) and len(front) == 16
    back, hold = _counting()
    assert meeting.from_back(1000, hold) == 1000
    assert back == []


def test_a_look_from_the_back_alone_looks_at_every_file_and_the_front_then_at_none() -> None:
    meeting = Meeting()
    back, hold = _counting()
    assert meeting.from_back(1000, hold) == 0
    assert back[0] == (936, 1000) and back[-1] == (0, 40) and len(back) == 16
    front, hold = _counting()
    assert meeting.from_front(1000, hold) == 0
    assert front == []


def test_a_look_that_finds_a_file_changed_stops_the_other() -> None:
    meeting = Meeting()
    assert meeting.from_front(1000, lambda a, b: a < 128) is None
    calls, hold = _counting()
    assert meeting.from_back(1000, hold) == 1000
    assert calls == []
    meeting = Meeting()
    assert meeting.from_back(1000, lambda a, b: a > 900) is None
    assert meeting.from_front(1000, hold) == 0
    assert calls == []


def test_two_processes_look_at_every_file_between_them() -> None:
    """A forked process from the front, this one from the back: every run of files is
    looked at by one of them at least, each stops where the other reached, and both
    take part when the forked one is slow. The two wait for each other once (the back
    begins after the front's first run, the front's second run after the back's first),
    so that both take part however the machine schedules them."""
    said = in_fresh_python(
        """
import os, time
from briefgen.last_build import Meeting
count = 64 * 100
meeting = Meeting()
read, write = os.pipe()
begun_read, begun_write = os.pipe()
back_read, back_write = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(read)
    front = []
    def hold(start, end):
        if start == 64:
            os.read(back_read, 1)
        time.sleep(0.002)
        front.append(start)
        if start == 0:
            os.write(begun_write, b"b")
        return True
    at = meeting.from_front(count, hold)
    os.write(write, repr((at, front)).encode())
    os._exit(0)
os.close(write)
os.read(begun_read, 1)
back = []
def hold(start, end):
    if not back:
        os.write(back_write, b"b")
    back.append(start)
    return True
met = meeting.from_back(count, hold)
with os.fdopen(read) as pipe:
    at, front = eval(pipe.read())
os.waitpid(pid, 0)
starts = set(front) | set(back)
print(at >= met, starts == set(range(0, count, 64)), bool(front), bool(back))
print(len(front) + len(back) <= count // 64 + 2)
"""
    )
    assert said.split() == ["True"] * 5
