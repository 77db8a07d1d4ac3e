"""``corrections:``, a briefing's record of what changed after it was published.

Each entry has a ``date``, a ``kind`` (correction, clarification, update or
retraction) and a ``text`` in Markdown. The text is rendered as a body is, and
shown on the briefing's page, in its feed entry and in the site's corrections log:
so it may not cite or set ids, and links only to full URLs (a link relative to the
briefing's page would lead elsewhere from the log).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from briefgen.characters import forbidden_in, forbidden_reference
from briefgen.diagnostics import Location, Severity, did_you_mean
from briefgen.markup.body import BodyError, BodyRenderer
from briefgen.markup.extension import unlinked_markers
from briefgen.markup.sanitize import sanitize_note, site_links
from briefgen.model import CORRECTION_KINDS, Correction, Moment, as_datetime, earlier
from briefgen.read.fields import Fields

CORRECTION_FIELDS = ("date", "kind", "text")
_KINDS_HINT = "use " + ", ".join(CORRECTION_KINDS[:-1]) + " or " + CORRECTION_KINDS[-1]


class _Entry(NamedTuple):
    correction: Correction
    date_at: Location  # where its date is written


def read_corrections(
    fields: Fields, renderer: BodyRenderer, date: Moment | None
) -> tuple[Correction, ...]:
    """The briefing's corrections, oldest first and numbered in that order; entries
    that cannot be read are reported and left out. ``date`` is the briefing's."""
    entries = []
    for entry in fields.entries("corrections", "date"):
        read = _entry(entry, renderer)
        if read is not None:
            entries.append(read)
    # Oldest first; entries of the same moment stay in the order they are written.
    entries.sort(key=lambda e: as_datetime(e.correction.date, fields.zone))
    _check_order(fields, entries, date)
    return tuple(
        Correction(c.date, c.kind, c.html, number, c.location)
        for number, (c, _) in enumerate(entries, start=1)
    )


def modified(
    updated: Moment | None,
    corrections: tuple[Correction, ...],
    zone: dt.tzinfo | None,
    date: Moment | None = None,
) -> Moment | None:
    """A briefing's modified date: the latest of ``updated`` and its corrections' dates
    (compared as moments in the site's ``zone``), and never before its ``date``: a
    correction dated the day of a briefing published at 10:00 reads as that day's
    midnight, which a feed must not show as earlier than the briefing."""
    moments = [m for m in (updated, *(c.date for c in corrections)) if m is not None]
    if not moments:
        return None
    latest = max(moments, key=lambda m: as_datetime(m, zone))
    if date is not None and as_datetime(latest, zone) < as_datetime(date, zone):
        return date
    return latest


def _entry(entry: Fields, renderer: BodyRenderer) -> _Entry | None:
    entry.check_known(CORRECTION_FIELDS, "a correction")
    date = entry.moment("date", required=True)
    kind = entry.text("kind", required=True, example=CORRECTION_KINDS[0])
    if kind and kind not in CORRECTION_KINDS:
        hint = did_you_mean(kind, CORRECTION_KINDS) or _KINDS_HINT
        entry.error("kind", f"unknown correction kind '{kind}'", hint)
        kind = ""
    text = entry.text("text", required=True)
    html = _render(entry, renderer, text) if text else ""
    if date is None or not kind or not html:
        return None
    return _Entry(Correction(date, kind, html, 0, entry.location), entry.value_at("date"))


def _render(entry: Fields, renderer: BodyRenderer, text: str) -> str:
    """The text as safe HTML, or '' (reported) when it cannot be published."""
    where = entry.value_at("text")
    diags = entry.diags
    try:
        body = renderer.render(text)
    except BodyError as exc:
        diags.error(where, str(exc), "shorten the text")
        return ""
    problems = len(diags.items)
    for url in body.unsafe_links:
        diags.error(
            where,
            f"link or image URL '{url}' is not allowed: only http, https and mailto URLs",
        )
    for name in body.dropped:
        diags.warning(
            where, f"<{name}> is not allowed in a correction and was left out", "remove it"
        )
    html = body.html
    if body.cited.keys:
        diags.warning(where, "a correction cannot cite", "name the source or link to it")
        html = unlinked_markers(html)
    if site_links(html):
        diags.error(
            where,
            "links in a correction must be full URLs, since it is shown on other pages too",
            "write the address in full, like https://example.org/briefings/x/, and no footnotes",
        )
    reference = forbidden_reference(text) if forbidden_in(html) else None
    if reference is not None:
        diags.error(
            where,
            f"the text holds the character reference '{reference[1]}', which pages and feeds "
            "cannot contain",
            "remove it",
        )
    failed = any(d.severity is Severity.ERROR for d in diags.items[problems:])
    return "" if failed else sanitize_note(html)


def _check_order(fields: Fields, entries: list[_Entry], date: Moment | None) -> None:
    """Nothing dated before the briefing; one retraction at most, and nothing after it."""
    zone = fields.zone
    retraction: Correction | None = None
    for correction, date_at in entries:
        if date is not None and earlier(correction.date, date, zone):
            fields.diags.error(
                date_at,
                f"the {correction.kind} is dated {correction.date.isoformat()}, before the "
                f"briefing's date {date.isoformat()}",
                "a correction comes after what it corrects",
            )
        if retraction is None:
            retraction = correction if correction.kind == "retraction" else None
        elif correction.kind == "retraction":
            fields.diags.error(
                correction.location,
                f"the briefing is already retracted on line {retraction.location.line}",
                "keep one retraction",
            )
        elif earlier(retraction.date, correction.date, zone):
            fields.diags.error(
                date_at,
                f"the {correction.kind} is dated after the retraction of "
                f"{retraction.date.isoformat()}; a retracted briefing is not corrected further",
                "say it in the retraction's text",
            )
