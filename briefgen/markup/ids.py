"""Every id a page uses, owned here: the source list's, the markers', the headings'.

A citation marker in the text links to its entry in the source list, and the entry
links back to each marker: ``cite-N`` is entry N, ``cite-ref-N-U`` the U-th marker
that cites it; each grade links to its entry in the grading legend. Templates get
:func:`citation_id`, :func:`marker_id` and :func:`grade_id` as globals and never
spell the scheme themselves. A body may not take an id the theme uses, or a marker
[1] could jump to a fake source. ``correction-N`` is entry N of a briefing's
corrections, which the corrections log links to; ``cite-card-N`` the card that shows
entry N when a reader points at one of its markers.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from typing import AnyStr

_THEME_IDS = frozenset(
    {"main", "sources", "sources-heading", "corrections-heading", "site-search-q"}
)
_THEME_PREFIX_RE = re.compile(r"(cite-|briefgen-|correction-)")
# An id as the sanitiser writes it, after whitespace (so 'data-id' is none): found by
# its name, the whitespace before it looked at after (see :func:`_ids`).
_ID_RE = re.compile(r'id="([^"]*)"')


def citation_id(number: int) -> str:
    """The id of entry ``number`` of a briefing's source list."""
    return f"cite-{number}"


def marker_id(number: int, use: int) -> str:
    """The id of the ``use``-th marker in the text that cites entry ``number``."""
    return f"cite-ref-{number}-{use}"


def card_id(number: int) -> str:
    """The id of the card (a popover) that shows entry ``number`` of a briefing's source
    list beside its markers."""
    return f"cite-card-{number}"


def correction_id(number: int) -> str:
    """The id of entry ``number`` of a briefing's corrections."""
    return f"correction-{number}"


def grade_id(grade: str | int) -> str:
    """The id of a grade's entry in the grading legend: 'B' for reliability B, '2' for
    credibility 2, so a grade links to ``grading/#B``."""
    return str(grade)


def is_reserved_id(value: str) -> bool:
    """True for the ids the theme gives its own elements: a body may not use them."""
    return value in _THEME_IDS or _THEME_PREFIX_RE.match(value) is not None


def element_ids(html_text: str) -> list[str]:
    """The id of every element of sanitised HTML, in order (not an 'id="x"' shown as
    text: '<code>&lt;b id="x"&gt;</code>')."""
    found = _ids(html_text)
    if "&lt;" in html_text:
        found = (match for match in found if not in_text(html_text, match.start()))
    return [html.unescape(match[1]) for match in found]


def _ids(html_text: str) -> Iterator[re.Match[str]]:
    """Each ``id="..."`` after whitespace, in order, as ``re.finditer`` with the
    whitespace at the start of the expression finds them: an expression that begins
    with a name is looked for by the engine's quick scan, where one that begins with
    whitespace is tried at every space (about 40 µs of a briefing's body where this
    takes 8)."""
    at = 0
    while (match := _ID_RE.search(html_text, at)) is not None:
        start = match.start()
        if start and html_text[start - 1].isspace():
            yield match
            at = match.end()
        else:
            at = start + 1


def in_text(markup: AnyStr, at: int) -> bool:
    """True when ``at`` stands in the text of ``markup``, not inside a tag: a '>'
    closed the last tag begun before it. Text never holds a '<' of its own; an
    attribute's value holding a '>' before ``at`` is misread."""
    close, begin = (b">", b"<") if isinstance(markup, bytes) else (">", "<")
    return markup.rfind(close, 0, at) > markup.rfind(begin, 0, at)


def _kept(match: re.Match[str]) -> str:
    return match[0] if unicodedata.category(match[0])[0] == "M" else ""


def heading_id(value: str, separator: str) -> str:
    """A heading's id: letters of any script kept, with the combining marks written in
    them (Python-Markdown's ``slugify_unicode`` drops those: 'हिन्दी' became 'हनद'),
    never one the theme uses itself."""
    words = re.sub(r"[^\w\s-]", _kept, value).strip().lower()
    slug = re.sub(rf"[{re.escape(separator)}\s]+", separator, words)
    if is_reserved_id(slug):
        return f"section{separator}{slug}"
    return slug
