"""What a value read back from the cache must be before a build uses it.

The cache is a file anyone with write access to the site folder (or to a shared CI
cache) can change. Decoding already guarantees types; this checks meaning: that the
entry describes the file it is used for, and that every value which becomes a path,
a link or published text is one that parsing could have produced. An entry that
fails is a cache miss, and the file is parsed again. (Bodies are sanitised again
as they are read, see :mod:`cache`.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .characters import forbidden_in
from .citations import is_valid_key
from .diagnostics import Location
from .fields import is_safe_url
from .model import Briefing, Citation, Page, Parsed
from .names import is_key

_DIGEST_RE = re.compile(r"[0-9a-f]{64}")


def plausible(parsed: Parsed, rel: str) -> bool:
    """True when ``parsed`` could be what the file at ``rel`` parsed to."""
    if any(d.location.path != rel for d in parsed.diagnostics):
        return False
    item = parsed.item
    if item is None:
        return True
    if not isinstance(item, Briefing | Page):
        return False
    if item.path != rel or not _here(rel, [item.location, item.slug_location]):
        return False
    if not is_key(item.slug) or not _texts([item.title, item.summary]):
        return False
    if _DIGEST_RE.fullmatch(item.digest) is None:
        return False
    if isinstance(item, Page):
        return True
    return (
        _DIGEST_RE.fullmatch(item.meta_digest) is not None
        and all(is_key(key) for key in item.regions)
        and _texts(item.tags)
        and len(item.region_locations) == len(item.regions)
        and len(item.tag_locations) == len(item.tags)
        and _here(rel, [*item.region_locations, *item.tag_locations])
        and all(_citation(c, rel) for c in item.citations)
    )


def _citation(citation: Citation, rel: str) -> bool:
    return (
        is_valid_key(citation.key)
        and (citation.source == "" or is_key(citation.source))
        and all(url == "" or is_safe_url(url) for url in (citation.url, citation.archive))
        and citation.number >= 0
        and citation.uses >= 0
        and _texts([citation.title, citation.quote, citation.lang, citation.translation])
        and _here(rel, [citation.location, citation.source_location])
    )


def _here(rel: str, locations: Iterable[Location | None]) -> bool:
    return all(where is None or where.path == rel for where in locations)


def _texts(values: Iterable[str]) -> bool:
    return not forbidden_in("".join(values))
