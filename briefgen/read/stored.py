"""Reading back what the persistent store kept for a site's files, decoded and checked.

Every entry read back is checked (see :mod:`cache.trust`) before a build uses it:
at 10,000 briefings the check takes about half as long as decoding them. The main
process needs every entry decoded, so when another core is free a forked worker
checks most of them beside it: it reads and decodes its share itself (decoding the
same bytes makes the same objects, so it reaches the same verdicts) and sends back
only the keys that fail. The main process decodes everything and checks the rest
meanwhile. Each reads the entries one at a time, as a build without the worker
does, so neither holds them all as text.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

from briefgen.cache.store import BuildCache, StoreReader, decoded, stored_entries
from briefgen.cache.trust import plausible
from briefgen.model import Parsed, StoredBody
from briefgen.workers import fork

# Fewer entries than this are checked in this process: forking one costs milliseconds.
_CHECKED_APART_FROM = 2000
# The share of the entries the worker checks. This process decodes all of them (about
# 0.08 ms each) and checks the rest (0.045 ms each); the worker decodes and checks
# its share (0.14 ms each, two processes running slower than one on this machine):
# the two take about as long when it holds two thirds.
_WORKER_SHARE = 0.65


def from_store(
    store: BuildCache, keys: dict[str, str], reader: StoreReader | None, jobs: int
) -> dict[str, Parsed]:
    """What the files ``keys`` (path -> content key) parsed to, as the store keeps it:
    those that are present, decode and pass the check, by path. With ``reader``, each
    body and each briefing's claims are left in the store, to be read through
    ``reader`` when they are needed; else they are read now. ``jobs`` is the number
    of processes the build may use."""
    wanted = {key: rel for rel, key in keys.items()}
    apart: frozenset[str] = frozenset()
    worker = None
    if reader is not None and jobs >= 2 and len(wanted) >= _CHECKED_APART_FROM:
        apart = frozenset(itertools.islice(wanted, int(len(wanted) * _WORKER_SHARE)))
        worker = fork(functools.partial(_failing, store.path, apart, wanted, reader))
    if worker is None:
        found = store.get_many(wanted, reader)
        return {wanted[key]: value for key, value in found.items() if plausible(value, wanted[key])}
    try:
        found = store.get_many(wanted, reader)
        results = {
            wanted[key]: value
            for key, value in found.items()
            if key in apart or plausible(value, wanted[key])
        }
        said = worker.result()
    finally:
        worker.stop()
    if said is None:  # no verdict: check them here
        failing = [k for k in apart if k in found and not plausible(found[k], wanted[k])]
    else:
        failing = said.decode().split()
    for key in failing:
        results.pop(wanted.get(key, ""), None)
    return results


def _failing(
    path: Path, apart: frozenset[str], wanted: dict[str, str], reader: StoreReader
) -> bytes:
    """In the forked process: the keys of its share of the entries that fail (do not
    decode, or are not plausible), one a line."""
    failing = []
    for key, data in stored_entries(path):
        if key in apart:
            rel = wanted[key]
            value = decoded(data, rel, key, StoredBody(reader, key), reader)
            if value is None or not plausible(value, rel):
                failing.append(key)
    return "\n".join(failing).encode()
