"""Stage 2, in time: which briefings a build publishes at its moment, and which wait
for their ``publish_at`` (an embargo); and which it publishes dated in the future.

The moment is the build's, not the file's: the same file is embargoed at one build
and published at the next, so this is decided after files are read (and cached),
never while they are parsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from briefgen.diagnostics import Diagnostics
from briefgen.model import Briefing, as_datetime, first_moment


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


def dated(briefing: Briefing, zone: dt.tzinfo | None) -> dt.datetime | None:
    """The moment from which ``briefing``, published as soon as it is built (it has no
    ``publish_at``), is no longer dated in the future (see :func:`first_moment`)."""
    return first_moment(briefing.date, zone) if briefing.publish_at is None else None


def changes(briefings: Iterable[Briefing], zone: dt.tzinfo | None) -> list[dt.datetime]:
    """The moments at which what a build of ``briefings`` publishes, or reports of
    them, may change: each embargo's end, and the date of each briefing without one."""
    found = [release(b, zone) or dated(b, zone) for b in briefings]
    return [when for when in found if when is not None]


def warn_dated_ahead(
    briefings: Iterable[Briefing], now: dt.datetime, zone: dt.tzinfo | None, diags: Diagnostics
) -> None:
    """Warn of each of ``briefings`` that a build at ``now`` publishes dated in the future,
    so at the top of every list (a mistyped year, most often). One held back by its
    ``publish_at`` until after its date is not: it is published dated in the past."""
    for briefing in briefings:
        when = dated(briefing, zone)
        if when is not None and when > now:
            diags.warning(
                briefing.date_location or briefing.location,
                f"'date' ({briefing.date.isoformat()}) is still to come, so the briefing is "
                "published now dated in the future, above every briefing before it",
                "correct the date, or hold the briefing back until then with 'publish_at'",
            )
