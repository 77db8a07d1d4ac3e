"""The last passing check's report, given again when nothing it read has changed.

A check with nothing changed leaves every page as the last one found it (see
render/keys.py), but still loads and links the site: 2.3 s at 10,000 briefings. And a
CI run checks the site out anew, which gives every file new times and inodes, so no
record that knows files by their times (the build's, see last_build.py) holds there.
So a check that passed keeps, beside its report, a digest of what it read by content
(see contents.py): the bytes of every file of ``content/`` and of the theme, with the
options and everything else besides files that decides a check's report (see
build.py), and the moments between which its embargoes held. A later check whose
inputs have that digest, at a moment between those, reports the same and stops.

A check that read a file changed just before it began keeps no record, nor does one
during which a file was changed, added or removed: what it read may not be what was
hashed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.cache.folder import cache_folder, output_record, read_record, write_replacing
from briefgen.contents import Contents
from briefgen.coverage import BriefingCoverage, CoverageReport
from briefgen.last_build import Outcome, Window, read_outcome, written_outcome

_VERSION = 2


@dataclass(frozen=True)
class Report:
    """What a check reported, to be reported again: its outcome, and the site's
    citation coverage."""

    outcome: Outcome
    coverage: CoverageReport


class LastCheck:
    """The record of the last passing check of one site."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.path = output_record(root, out, "check-report")

    def replay(self, contents: Contents, now: dt.datetime) -> Report | None:
        """The last check's report, if it read ``contents`` and holds at ``now``."""
        record = self._read()
        if record is None or record.get("digest") != contents.digest:
            return None
        try:
            found = read_outcome(record, now)
            coverage = CoverageReport(tuple(_coverage(item) for item in record["coverage"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if found is None:
            return None
        return Report(found[1], coverage)

    def save(self, contents: Contents, between: Window, report: Report) -> None:
        """Record a passing check of ``contents``, holding between the moments
        ``between``."""
        record = {
            "version": _VERSION,
            "digest": contents.digest,
            **written_outcome(between, report.outcome),
            "coverage": [[b.path, b.cited, b.claims] for b in report.coverage.briefings],
        }
        # Unless a file changed just before the check or since. (A record left in its
        # place holds all the same: it is given again only for the inputs it names.)
        if contents.settled and contents.unchanged() and cache_folder(self.root) is not None:
            with contextlib.suppress(OSError):  # only an optimisation: if lost, the check runs
                write_replacing(self.path, json.dumps(record))

    def _read(self) -> dict[str, Any] | None:
        if cache_folder(self.root) is None:
            return None
        return read_record(self.path, _VERSION)


def _coverage(item: Any) -> BriefingCoverage:
    path, cited, claims = item
    if type(path) is not str or type(cited) is not int or type(claims) is not int:
        raise TypeError("a briefing's coverage is not as a check records it")
    return BriefingCoverage(path, cited, claims)
