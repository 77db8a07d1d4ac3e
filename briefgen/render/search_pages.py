"""What Pagefind is given of a page: the page without the parts its theme marks as
never indexed.

Pagefind reads all of a page, the parts marked ``data-pagefind-ignore`` too (it
looks in them for filters and metadata). A briefing's numbered sources and hover
cards are such parts, and half of its page's bytes: with them cut out, Pagefind
indexed 2,000 pages in about three quarters of the CPU and 10,000 in four fifths,
and made the same bundle. A theme marks what may be cut by putting it between the
comments ``SKIP_FROM`` and ``SKIP_TO``, inside the element that is ignored, so that
the element stays where it was, empty; or outside the element a page has marked
``data-pagefind-body``, which is all Pagefind indexes of it (the bundled theme's
head after the title, header and footer: 6% less of Pagefind's CPU). A part that
holds a filter, a Pagefind attribute or an image (Pagefind may take one for a
result's picture) is kept whatever its marks say, and so is everything after a mark
that is not closed.
Comments never reach a page from content: bodies are sanitised and everything else
is escaped.

Pagefind leaves citations' markers out of what it indexes (``search.NOT_INDEXED``),
but not the space before each: a result's excerpt read "in a post . A wire". The
copy it is given has each marker joined to the word before it.
"""

from __future__ import annotations

from briefgen.markup.extension import GROUP_CLASS

SKIP_FROM = b"<!--search:skip-->"
SKIP_TO = b"<!--/search:skip-->"
# What Pagefind may need in a part, looked for in its lowercased copy: fifteen times
# quicker than a case-blind regular expression over a briefing's sources (7 KB), and
# '<img' keeps any tag that begins so, a superset of images.
_NEEDED = (b"data-pagefind-", b"<img")
_MARKER = f'<span class="{GROUP_CLASS}">'.encode()


def _needed(part: bytes) -> bool:
    lowered = part.lower()
    return any(mark in lowered for mark in _NEEDED)


def for_indexing(page: bytes) -> bytes:
    """``page`` without what lies between each ``SKIP_FROM`` and the ``SKIP_TO`` after
    it, unless Pagefind needs something there, and with no space before a citation's
    marker; the same object when it holds neither marks nor markers."""
    return markers_joined(without_skipped(page))


def markers_joined(page: bytes) -> bytes:
    """``page`` with no whitespace before a citation's marker."""
    pieces = page.split(_MARKER)
    if len(pieces) == 1:
        return page
    return _MARKER.join([*(piece.rstrip() for piece in pieces[:-1]), pieces[-1]])


def without_skipped(page: bytes) -> bytes:
    """``page`` without its skipped parts that Pagefind does not need."""
    start = page.find(SKIP_FROM)
    if start < 0:
        return page
    kept: list[bytes] = []
    done = 0
    while start >= 0:
        end = page.find(SKIP_TO, start + len(SKIP_FROM))
        if end < 0:
            break
        if not _needed(page[start:end]):
            kept.append(page[done:start])
            done = end + len(SKIP_TO)
        start = page.find(SKIP_FROM, end + len(SKIP_TO))
    if not kept:
        return page
    kept.append(page[done:])
    return b"".join(kept)
