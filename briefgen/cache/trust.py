"""What a value read back from the cache must be before a build uses it.

The cache is a file anyone with write access to the site folder (or to a shared CI
cache) can change. Decoding already guarantees types; this checks meaning: that the
entry describes the file it is used for, and that every value which becomes a path,
a link or published text is one that parsing could have produced. An entry that
fails is a cache miss, and the file is parsed again. (Bodies are sanitised again
as they are read, and claims checked with :func:`plausible_claims` as they are
decoded, whether with their entry or when first needed, see :mod:`cache.store`;
every location is in the file by the way it is decoded, see :mod:`cache.codec`.)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from briefgen.characters import forbidden_in
from briefgen.markup.citations import is_valid_key
from briefgen.markup.claims import KINDS
from briefgen.markup.sanitize import sanitize_note
from briefgen.model import (
    CORRECTION_KINDS,
    Briefing,
    Claim,
    Page,
    Parsed,
    References,
    StoredClaims,
)
from briefgen.names import is_key, path_problem
from briefgen.urls import PLAIN_WEB_URL, is_safe_url

_DIGEST_RE = re.compile(r"[0-9a-f]{64}")
_PLAIN_WEB_URLS_RE = re.compile(f"(?:{PLAIN_WEB_URL}(?:\n|$))*", re.IGNORECASE)


def output_file_under(rel: str, folder: str) -> bool:
    """True when ``rel``, a file the cache says a build wrote, is a path inside the
    output's ``folder`` ('pagefind/') that a build could write: never one that climbs
    out of the output, nor a folder of someone else's."""
    return rel.startswith(folder) and not rel.startswith("/") and not path_problem(rel)


def plausible(parsed: Parsed, rel: str) -> bool:
    """True when ``parsed``, decoded for the file at ``rel``, could be what it parsed to."""
    item = parsed.item
    if item is None:  # only a briefing has claims
        return not parsed.claims and (parsed.references is None or _names(parsed.references))
    if not isinstance(item, Briefing | Page) or parsed.references is not None:
        return False
    if item.path != rel or not is_key(item.slug) or _DIGEST_RE.fullmatch(item.digest) is None:
        return False
    if not _aliases(item) or not _links(item):
        return False
    if isinstance(item, Page):
        return not parsed.claims and _texts([item.title, item.summary])
    citations = item.citations
    return (
        _DIGEST_RE.fullmatch(item.meta_digest) is not None
        and not item.scheduled  # decided by each build's moment, never by parsing
        and len(item.region_locations) == len(item.regions)
        and len(item.tag_locations) == len(item.tags)
        and all(map(is_key, item.regions))
        and all(map(is_valid_key, [c.key for c in citations]))
        and all(map(is_key, [c.source for c in citations if c.source]))
        and _safe_urls([u for c in citations for u in (c.url, c.archive) if u])
        and all(c.number >= 0 and c.uses >= 0 for c in citations)
        and all(0 <= c.credibility <= 6 for c in citations)
        and _corrections(item)
        and isinstance(parsed.claims, tuple | StoredClaims)  # each checked as it is decoded
        and _texts(_published_texts(item))
    )


def plausible_claims(claims: tuple[Claim, ...]) -> bool:
    """True when each of ``claims`` is of a kind parsing makes, on a line of the file,
    and cites keys a body can cite, with opening words a warning can quote."""
    return (
        all(c.kind in KINDS and c.location.line >= 1 and c.words >= 1 for c in claims)
        and all(map(is_valid_key, [key for c in claims for key in c.keys]))
        and _texts([c.opening for c in claims])
    )


def _published_texts(item: Briefing) -> list[str]:
    """The texts of a briefing that pages show."""
    citations = [t for c in item.citations for t in (c.title, c.quote, c.lang, c.translation)]
    corrections = [c.html for c in item.corrections]
    return [item.title, item.summary, *item.tags, *citations, *corrections]


def _safe_urls(found: list[str]) -> bool:
    """Each of ``found`` a URL a citation may link to. Most are plain web addresses,
    matched together in one go when none holds the line break that joins them."""
    text = "\n".join(found)
    if text.count("\n") == len(found) - 1 and _PLAIN_WEB_URLS_RE.fullmatch(text):
        return True
    return all(map(is_safe_url, found))


def _corrections(item: Briefing) -> bool:
    """Each correction of a known kind, numbered in order, with text that parsing
    could have made (sanitised, with no ids; what a page cannot hold is checked with
    the briefing's texts); and the modified date one of the dates it is the latest of."""
    corrections = item.corrections
    dates = [d for d in (item.updated, *(c.date for c in corrections)) if d is not None]
    return (
        [c.number for c in corrections] == list(range(1, len(corrections) + 1))
        and all(c.kind in CORRECTION_KINDS for c in corrections)
        and all(sanitize_note(c.html) == c.html for c in corrections)
        and (item.modified in dates if dates else item.modified is None)
    )


def _aliases(item: Briefing | Page) -> bool:
    """Each alias a folder path whose every name passes the one rule for names."""
    return len(item.aliases) == len(item.alias_locations) and all(
        path.endswith("/") and all(map(is_key, path[:-1].split("/"))) for path in item.aliases
    )


def _links(item: Briefing | Page | References) -> bool:
    """Each link to a content file names a Markdown file inside the site, as parsing found it."""
    return all(
        link.target.startswith("content/")
        and link.target.endswith(".md")
        and posixpath.normpath(link.target) == link.target
        and link.fragment in ("", "#" + link.fragment[1:])
        and '"' not in link.href
        for link in item.links
    )


def _names(references: References) -> bool:
    """True when ``references`` holds keys a briefing can name, each with its place."""
    return (
        len(references.region_locations) == len(references.regions)
        and len(references.source_locations) == len(references.sources)
        and len(references.tag_locations) == len(references.tags)
        and all(map(is_key, references.regions))
        and all(map(is_key, references.sources))
        and _texts(references.tags)
        and _links(references)
    )


def _texts(values: Iterable[str]) -> bool:
    return not forbidden_in("".join(values))
