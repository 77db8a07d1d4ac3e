"""A citation's grade and archived copy: read, and checked against the rest of it.

A citation's credibility (1 to 6) grades the report cited; its source's reliability
(A to F, in ``sources.yaml``) grades the source's track record. The two are read apart
and never merged. What needs the site's settings or registry (a required grade or
copy, the archives allowed) is checked once the site is linked (:mod:`briefgen.grading`
and :mod:`briefgen.archiving`); what one citation says about itself is checked here.
"""

from __future__ import annotations

import re
from typing import Any

from briefgen import urls
from briefgen.model import Moment, earlier
from briefgen.read.fields import Fields

_CREDIBILITY_SCALE = (
    "1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, "
    "5 improbable, 6 truth cannot be judged"
)
_NUMBER_RE = re.compile(r"\s*[1-6]\s*")
_DIGRAPH_RE = re.compile(r"\s*(?P<reliability>[A-Fa-f])\s*(?P<credibility>[1-6])\s*")


def read_credibility(fields: Fields) -> int:
    """The citation's credibility, 1 to 6; 0 when it has none (or a wrong one, reported)."""
    value = fields.data.get("credibility")
    if value is None:
        return 0
    if type(value) is int and 1 <= value <= 6:
        return value
    fields.error(
        "credibility",
        f"credibility must be a whole number from 1 to 6 (Admiralty scale), not {_shown(value)}",
        _credibility_hint(value),
    )
    return 0


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str | int | float):
        return f"'{value}'"
    return "a list" if isinstance(value, list) else "a mapping"


def _credibility_hint(value: Any) -> str:
    if isinstance(value, str) and _NUMBER_RE.fullmatch(value):
        return "remove the quotes"
    digraph = _DIGRAPH_RE.fullmatch(value) if isinstance(value, str) else None
    if digraph:
        return (
            f"write the number alone, {digraph['credibility']}: the source's reliability "
            f"({digraph['reliability'].upper()}) belongs in content/sources.yaml"
        )
    return _CREDIBILITY_SCALE


def check_copy(
    fields: Fields, url: str, archive: str, archived_at: Moment | None, published: Moment | None
) -> None:
    """Warn where a citation's archived copy cannot be what it claims: dated without
    a copy, made before the item was published, or a copy of another address."""
    if archived_at is not None and not archive:
        fields.diags.warning(
            fields.key_at("archived_at"),
            "'archived_at' dates an archived copy, but the citation has no 'archive'",
            "add the copy's URL as 'archive:', or remove 'archived_at'",
        )
    if (
        archived_at is not None
        and published is not None
        and earlier(archived_at, published, fields.zone)
    ):
        fields.diags.warning(
            fields.value_at("archived_at"),
            f"'archived_at' {archived_at.isoformat()} is before 'published' "
            f"{published.isoformat()}",
            "a copy cannot be older than what it copies: check both dates",
        )
    address = urls.archived_address(archive) if archive else ""
    if address and url and not urls.same_address(address, url):
        fields.diags.warning(
            fields.value_at("archive"),
            f"the archived copy is of '{address}', not of the citation's url '{url}'",
            "make 'archive' a copy of the page that 'url' names",
        )
