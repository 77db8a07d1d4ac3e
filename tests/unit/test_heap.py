"""Freed memory handed back to the system (briefgen/heap.py), in a process of its own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefgen import heap

PROBE = """
import os
from briefgen import heap

def resident_mib():
    with open(f"/proc/{os.getpid()}/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) // 1024

pages = [bytes(2000) + bytes([n % 256]) for n in range(60_000)]  # malloc's, not Python's
kept = bytes(3000)  # above them in the heap, so that freeing them cannot shrink it
before = resident_mib()
del pages
freed = resident_mib()
heap.release()
print(before, freed, resident_mib())
"""


@pytest.mark.skipif(heap._TRIM is None, reason="the C library has no malloc_trim")
def test_memory_freed_by_a_process_is_given_back() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    before, freed, released = map(int, done.stdout.split())
    assert freed > before - 20  # free() alone keeps it: the heap's top is in use
    assert released < freed - 80  # about 120 MiB of pages given back
