"""The site's outline: which briefings each list of the site holds, in order, and what
the archive shows of each, kept after a build for a patch of one briefing's front
matter (see patch.py).

A title or summary edit changes what every listing that names the briefing shows,
and ``/archive/`` names every briefing: re-rendering those pages needs the site's
lists and every briefing's title, which a build in full has only after loading and
linking every briefing (at 10,000, seconds). The outline keeps instead, in the order
of the site's briefings, each one's path, slug, title, date and latest change, and
each list (``listed``, ``by_region``, ``by_source``, ``by_tag``, ``by_month``) as
positions in that order, with the tags' names and the archived shares of sources.

From it a patch makes the site again with a stand-in for each briefing: a
:class:`~briefgen.model.Briefing` holding only those fields (``corrections``
empty, so ``retraction`` is None: a retracted briefing is never a stand-in), the
rest left unset, so that reading any other field fails. Templates read briefings
through the attributes render/reads.py notes, and a patch checks, after rendering,
that no page read a stand-in's field it does not hold (see :data:`HELD`).

The outline is read back as untrusted: anything not as :func:`outline` writes it
raises ValueError, TypeError, KeyError, IndexError or AttributeError where it is
used, and the patch goes to the build in full.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from briefgen.cache.codec import moment_of, moment_text
from briefgen.model import ArchiveShare, Briefing, Month, Site, Tag

# What a stand-in holds: a page that read anything else of one cannot be patched.
HELD = frozenset({"path", "slug", "title", "date", "modified", "retraction"})

_KEYED = ("by_region", "by_source", "by_tag")
_SET = {f.name: getattr(Briefing, f.name).__set__ for f in fields(Briefing)}


def outline(site: Site) -> dict[str, Any]:
    """The outline of the linked ``site`` (see above), as plain data."""
    at = {briefing.path: n for n, briefing in enumerate(site.briefings)}

    def positions(items: tuple[Briefing, ...]) -> list[int]:
        return [at[briefing.path] for briefing in items]

    return {
        "order": list(at),
        "table": [row(briefing) for briefing in site.briefings],
        "retracted": [at[b.path] for b in site.briefings if b.retraction is not None],
        "listed": positions(site.listed),
        **{
            name: {key: positions(items) for key, items in getattr(site, name).items()}
            for name in _KEYED
        },
        "by_month": [[m.year, m.month, positions(items)] for m, items in site.by_month],
        "tags": {slug: tag.name for slug, tag in site.tags.items()},
        "shares": {key: [s.archived, s.total] for key, s in site.archive_shares.items()},
    }


def row(briefing: Briefing) -> list[Any]:
    """What the outline holds of ``briefing`` besides its path."""
    return [
        briefing.slug,
        briefing.title,
        moment_text(briefing.date),
        moment_text(briefing.modified),
    ]


def retracted(data: Mapping[str, Any]) -> list[str]:
    """The paths of the retracted briefings of an outline: never stand-ins."""
    order = data["order"]
    return [_text(order[n]) for n in data["retracted"]]


def standing_in(data: Mapping[str, Any], real: Mapping[str, Briefing], site: Site) -> Site:
    """``site`` (a site of some briefings, linked) with every list of the outline
    ``data``: each briefing in ``real`` by path as it is, each other one a stand-in.
    Raises ValueError, TypeError, KeyError, IndexError or AttributeError unless
    ``data`` is an outline."""
    order, table = data["order"], data["table"]
    if not isinstance(order, list) or not isinstance(table, list) or len(order) != len(table):
        raise ValueError("not an outline")
    briefings = [
        real.get(path) or _stand_in(_text(path), held)
        for path, held in zip(order, table, strict=True)
    ]
    if any(briefing.path != path for briefing, path in zip(briefings, order, strict=True)):
        raise ValueError("a briefing is not where the outline has it")

    def listed(positions: Any) -> tuple[Briefing, ...]:
        if not isinstance(positions, list) or any(type(n) is not int or n < 0 for n in positions):
            raise ValueError("not positions")
        return tuple(briefings[n] for n in positions)

    def keyed(name: str) -> dict[str, tuple[Briefing, ...]]:
        return {_text(key): listed(items) for key, items in data[name].items()}

    months = tuple((Month(_int(y), _int(m)), listed(items)) for y, m, items in data["by_month"])
    tags = {_text(slug): Tag(_text(slug), _text(name)) for slug, name in data["tags"].items()}
    shares = {_text(key): ArchiveShare(_int(a), _int(t)) for key, (a, t) in data["shares"].items()}
    return replace(
        site,
        briefings=tuple(briefings),
        listed=listed(data["listed"]),
        by_month=months,
        tags=tags,
        archive_shares=shares,
        corrections=(),
        by_region=keyed("by_region"),
        by_source=keyed("by_source"),
        by_tag=keyed("by_tag"),
    )


def _stand_in(path: str, row: Any) -> Briefing:
    """A briefing holding only what :data:`HELD` names (see above)."""
    slug, title, date, modified = row
    briefing: Briefing = object.__new__(Briefing)
    _SET["path"](briefing, path)
    _SET["slug"](briefing, _text(slug))
    _SET["title"](briefing, _text(title))
    _SET["date"](briefing, moment_of(_text(date)))
    _SET["modified"](briefing, None if modified is None else moment_of(_text(modified)))
    _SET["corrections"](briefing, ())
    return briefing


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not a number")
    return value
