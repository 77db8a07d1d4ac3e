"""Stage 2, in time: which briefings a build publishes at its moment, and which wait
for their ``publish_at`` (an embargo).

The moment is the build's, not the file's: the same file is embargoed at one build
and published at the next, so this is decided after files are read (and cached),
never while they are parsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from briefgen.model import Briefing, as_datetime


def release(briefing: Briefing, zone: dt.tzinfo | None) -> dt.datetime | None:
    """When ``briefing`` may be published: its ``publish_at`` as a moment (a date is
    its midnight in ``zone``, or in UTC), or None when it has no embargo."""
    return None if briefing.publish_at is None else as_datetime(briefing.publish_at, zone)


def embargoed(
    briefings: Iterable[Briefing], now: dt.datetime, zone: dt.tzinfo | None
) -> dict[str, dt.datetime]:
    """The briefings still embargoed at ``now``: file path -> the moment they go live."""
    found = {}
    for briefing in briefings:
        until = release(briefing, zone)
        if until is not None and until > now:
            found[briefing.path] = until
    return found


def scheduled(briefings: Iterable[Briefing], waiting: dict[str, dt.datetime]) -> list[Briefing]:
    """The briefings, those in ``waiting`` marked as scheduled (a ``--future`` build
    publishes them, marked as not yet public)."""
    return [replace(b, scheduled=True) if b.path in waiting else b for b in briefings]
