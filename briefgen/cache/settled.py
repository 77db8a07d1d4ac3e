"""When a file's stamp (its size, times and inode) can stand for its content.

A file changed within the same tick of the file system's clock as a build read it
could keep its size and time through a second change. A record that knows a file by
its times (the last build's, the patch's, the store's, the preview's parses in
memory) therefore never knows one that changed just before the build began by them:
"just before" is a tenth of a second on a file system that keeps times finer than a
second (a tick of Linux's clock is a few milliseconds), and two seconds on one that
keeps whole seconds (FAT keeps twos).
"""

from __future__ import annotations

import os

# A file's modification and change times (ns), inode and size. The change time is no
# program's to set: a file edited to the same size, its modification time then set
# back (as `cp -p`, `rsync -t` or `touch -r` do), is told by it.
Stamp = tuple[int, int, int, int]

SETTLE_NS = 2_000_000_000  # how long a change takes to settle where times are whole seconds
FINE_SETTLE_NS = 100_000_000  # the same, where the file system's times are finer than seconds


def changed_before(mtime_ns: int, ctime_ns: int, now_ns: int) -> bool:
    """True when a file last changed long enough before ``now_ns`` that a change now
    would give it other times: a tenth of a second before, or two seconds where the
    file system keeps whole seconds (its change time, which no program sets, tells)."""
    settle = SETTLE_NS if ctime_ns % 1_000_000_000 == 0 else FINE_SETTLE_NS
    return max(mtime_ns, ctime_ns) < now_ns - settle


def stamp_of(stat: os.stat_result) -> Stamp:
    """The stamp of a file whose ``os.stat`` is ``stat``."""
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_size)


def as_kept(stamp: Stamp, started: int) -> Stamp:
    """``stamp`` as a record of what files parsed to keeps it (the store's, and the
    preview's in memory): with a time no file has if the file changed just before the
    read that began at ``started``, so that the next read parses it again (the store
    finds its entry by its content)."""
    mtime, ctime, inode, size = stamp
    return stamp if changed_before(mtime, ctime, started) else (-1, ctime, inode, size)
