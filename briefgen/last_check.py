"""The last passing check's report, given again when nothing it read has changed.

A check with nothing changed leaves every page as the last one found it (see
render/keys.py), but still loads and links the site: 2.3 s at 10,000 briefings. And a
CI run checks the site out anew, which gives every file new times and inodes, so no
record that knows files by their times (the build's, see last_build.py) holds there.
So a check that passed keeps, beside its report, a digest of what it read by content:
the bytes of every file of ``content/`` and of the theme, with the options and
everything else besides files that decides a check's report (see build.py), and
the moments between which its embargoes held. A later check whose inputs have
that digest, at a moment between those, reports the same and stops.

Each file's digest is kept with its stamp (its size, times and inode), and a file
found with the stamp on record is not read again: a CI run reads and hashes them all
(0.2 s at 10,000), a check on the author's machine only those that changed. A file
changed just before the check began could change again and keep its stamp (see
:mod:`cache.settled`): a check that read one keeps no record, nor does one during
which a file was changed, added or removed. The record is read back as untrusted: its paths are
only compared with those the check finds, never opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.cache.folder import cache_folder, output_record, write_replacing
from briefgen.cache.settled import changed_before
from briefgen.coverage import BriefingCoverage, CoverageReport
from briefgen.diagnostics import Diagnostics
from briefgen.last_build import Outcome, Window, read_outcome, written_outcome
from briefgen.read.files import walk

_VERSION = 1

Known = dict[str, list[Any]]  # file -> [size, mtime_ns, ctime_ns, inode, digest of its bytes]


@dataclass(frozen=True)
class Contents:
    """What a check reads, by content: the digest of it all, and each file of the
    ``folders`` with its stamp and digest (see :data:`Known`); ``settled`` when no
    file changed just before it was taken."""

    digest: str
    files: Known
    settled: bool
    folders: tuple[Path, ...]

    def unchanged(self) -> bool:
        """True when the folders hold the same files as when this was taken, each with
        the stamp it had."""
        listed = [path for folder in self.folders for path, _ in _files(folder)]
        if sorted(listed) != sorted(self.files):
            return False
        for path, entry in self.files.items():
            try:
                stat = os.stat(path)
            except OSError:
                return False
            if [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino] != entry[:4]:
                return False
        return True


def read_contents(folders: Iterable[Path], settings: Iterable[str], known: Known) -> Contents:
    """The digest of every file of ``folders`` by its bytes, and of ``settings``; the
    digest of a file ``known`` holds with the stamp it has is taken from there."""
    started = time.time_ns()
    digest = hashlib.sha256()
    for setting in settings:
        digest.update(setting.encode("utf-8", "surrogateescape") + b"\0")
    files: Known = {}
    settled = True
    folders = tuple(folders)
    for folder in folders:
        digest.update(f"{folder}\0".encode("utf-8", "surrogateescape"))
        for path, rel in _files(folder):
            try:
                stat = os.stat(path)
                stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
                old_enough = changed_before(stat.st_mtime_ns, stat.st_ctime_ns, started)
                entry = known.get(path)
                if old_enough and entry is not None and entry[:4] == stamp:
                    found = entry[4]
                else:
                    with open(path, "rb") as file:
                        found = hashlib.sha256(file.read()).hexdigest()
            except OSError:
                settled = False  # gone since it was listed: the check may have read it
                continue
            settled = settled and old_enough
            files[path] = [*stamp, found]
            digest.update(f"{rel}\0{found}\0".encode("utf-8", "surrogateescape"))
    return Contents(digest.hexdigest(), files, settled, folders)


def _files(folder: Path) -> list[tuple[str, str]]:
    """Every file of ``folder``, as a build's inputs are listed (see last_build.py)."""
    return walk(folder, str(folder), Diagnostics(), hidden=True)


@dataclass(frozen=True)
class Report:
    """What a check reported, to be reported again: its outcome, and the site's
    citation coverage."""

    outcome: Outcome
    coverage: CoverageReport


class LastCheck:
    """The record of the last passing check of one site, read back once."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.path = output_record(root, out, "check-report")

    def known(self) -> Known:
        """The stamp and digest of each file the last check read, as far as the record
        holds them well formed."""
        record = self._record
        files = record.get("files") if record is not None else None
        if not isinstance(files, dict):
            return {}
        return {
            path: entry
            for path, entry in files.items()
            if isinstance(entry, list)
            and len(entry) == 5
            and all(type(n) is int for n in entry[:4])
            and type(entry[4]) is str
        }

    def replay(self, contents: Contents, now: dt.datetime) -> Report | None:
        """The last check's report, if it read ``contents`` and holds at ``now``."""
        record = self._record
        if record is None or record.get("digest") != contents.digest:
            return None
        try:
            found = read_outcome(record, now)
            coverage = CoverageReport(tuple(_coverage(item) for item in record["coverage"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if found is None:
            return None
        if record.get("files") != contents.files:  # files read again: known by their stamps now
            self._write({**record, "files": contents.files}, contents)
        return Report(found[1], coverage)

    def save(self, contents: Contents, between: Window, report: Report) -> None:
        """Record a passing check of ``contents``, holding between the moments
        ``between``."""
        record = {
            "version": _VERSION,
            "digest": contents.digest,
            **written_outcome(between, report.outcome),
            "coverage": [[b.path, b.cited, b.claims] for b in report.coverage.briefings],
            "files": contents.files,
        }
        self._write(record, contents)

    def _write(self, record: dict[str, Any], contents: Contents) -> None:
        """Write ``record`` of a check that read ``contents``, unless a file of them
        changed just before it or since. (A record left in its place holds all the
        same: it is given again only for the inputs it names by their bytes.)"""
        if contents.settled and contents.unchanged() and cache_folder(self.root) is not None:
            with contextlib.suppress(OSError):  # only an optimisation: if lost, the check runs
                write_replacing(self.path, json.dumps(record))

    @functools.cached_property
    def _record(self) -> dict[str, Any] | None:
        """The record: 3 MB at 10,000 briefings, which both :meth:`known` and
        :meth:`replay` read."""
        if cache_folder(self.root) is None:
            return None
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and record.get("version") == _VERSION else None


def _coverage(item: Any) -> BriefingCoverage:
    path, cited, claims = item
    if type(path) is not str or type(cited) is not int or type(claims) is not int:
        raise TypeError("a briefing's coverage is not as a check records it")
    return BriefingCoverage(path, cited, claims)
