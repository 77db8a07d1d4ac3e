"""Reading back what the persistent store kept for a site's files, decoded and checked.

Every entry read back is checked (see :mod:`cache.trust`) before a build uses it:
at 10,000 briefings the check takes about half as long as decoding them. The main
process needs every entry decoded, so when another core is free a forked worker
checks most of them beside it: it reads and decodes its share itself (decoding the
same bytes makes the same objects, so it reaches the same verdicts) and sends back
only the keys that fail. The main process decodes everything and checks the rest
meanwhile. Each reads the entries one at a time, as a build without the worker
does, so neither holds them all as text. The worker leaves bodies and claims in the
store: the check reads neither, and a preview, which reads both with every entry,
checks the claims as it decodes them (see :mod:`cache.store`).

The two processes read the store apart, so the worker's verdicts hold for the
entries the main process read only if those are the bytes the worker checked: an
entry rewritten between the two reads would otherwise be taken unchecked. Each
process digests its share's entries as it reads them (SHA-256, about 55 ms for
6,500 entries at 10,000 briefings), the worker sends its digest with its verdicts,
and where the two differ the main process checks the share itself.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Container
from pathlib import Path
from typing import Any

from briefgen.cache.store import BuildCache, StoreReader, decoded, stored_entries
from briefgen.cache.trust import plausible
from briefgen.model import Parsed
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
    if jobs >= 2 and len(wanted) >= _CHECKED_APART_FROM:
        apart = frozenset(itertools.islice(wanted, int(len(wanted) * _WORKER_SHARE)))
        # The worker reads no body nor claim: it checks the entries alone.
        checker = reader if reader is not None else store.reader()
        worker = fork(functools.partial(_failing, store.path, apart, wanted, checker))
    if worker is None:
        found = store.get_many(wanted, reader)
        return {wanted[key]: value for key, value in found.items() if plausible(value, wanted[key])}
    read = _Share(apart)
    try:
        found = store.get_many(wanted, reader, read.seen)
        results = {
            wanted[key]: value
            for key, value in found.items()
            if key in apart or plausible(value, wanted[key])
        }
        said = worker.result()
    finally:
        worker.stop()
    failing = read.verdicts(said)
    if failing is None:  # no verdict on what this process read: check them here
        failing = [k for k in apart if k in found and not plausible(found[k], wanted[k])]
    for key in failing:
        results.pop(wanted.get(key, ""), None)
    return results


def _failing(
    path: Path, apart: frozenset[str], wanted: dict[str, str], reader: StoreReader
) -> bytes:
    """In the forked process: the digest of its share of the entries as read, then the
    keys of those that fail (do not decode, or are not plausible), one a line."""
    read = _Share(apart)
    failing = []
    for key, data in stored_entries(path):
        if key in apart:
            read.seen(key, data)
            rel = wanted[key]
            value = decoded(data, rel, key, reader.stored(key, rel), reader)
            if value is None or not plausible(value, rel):
                failing.append(key)
    return "\n".join([read.digest(), *failing]).encode()


class _Share:
    """The entries of the worker's share one process read, as a digest of each one's
    key and JSON in the order read (the store is read in the same order by both)."""

    def __init__(self, keys: Container[str]) -> None:
        self._keys = keys
        self._digest = hashlib.sha256()

    def seen(self, key: str, data: Any) -> None:
        if key in self._keys:  # JSON is text; anything else the store holds is told apart
            if isinstance(data, str):
                as_read = data.encode("utf-8", "surrogatepass")
            else:
                as_read = b"\0" + repr(data).encode("utf-8", "backslashreplace")
            self._digest.update(b"%d:%s%d:" % (len(key), key.encode(), len(as_read)))
            self._digest.update(as_read)

    def digest(self) -> str:
        return self._digest.hexdigest()

    def verdicts(self, said: bytes | None) -> list[str] | None:
        """The keys the worker found failing, from what it ``said``, if it read the
        entries this process read; None when it did not, or said nothing."""
        said_digest, *failing = (said or b"-").decode().split()
        return failing if said_digest == self.digest() else None
