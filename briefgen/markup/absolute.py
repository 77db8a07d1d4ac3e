"""A body's links made absolute, for feed readers.

A page's body links within the site relatively (``../other/``, ``../../img/map.png``):
that works at any ``base_url``, and opened from disk. A feed entry carries the same
body, with ``xml:base`` naming the page it came from, against which Atom resolves
those links; but some feed readers ignore ``xml:base``, and resolve them against the
feed's address, or not at all. So a feed's copy of a body has every such link made
absolute. A link to a place in the entry itself (``#fn:1``) is left as it is.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from markupsafe import Markup

from briefgen.urls import scheme

# A start tag as sanitised HTML (and the bundled theme) writes it: each attribute's
# value in double quotes, so a '>' in a value does not end the tag; text never holds
# a '<' of its own, so no text is taken for a tag. Its attributes, one by one.
_START_TAG_RE = re.compile(r'<([a-zA-Z][^\s/>]*)(?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*\s*/?>')
_ATTRIBUTE_RE = re.compile(r'\s+([^\s"\'>/=]+)(?:="([^"]*)")?')
_LINKING = frozenset({"href", "src", "cite"})
# Where to look: a '="' with a link attribute's name before it. Found as quickly as
# a page's '=' are, where an expression that begins with whitespace or with one of
# several names is tried at each place, in five to ten times the time; the tags
# around each are then read attribute by attribute (a value may end with 'href=').
# Values to the page's own anchors ('#fn:1') and with a scheme are passed over here.
_CANDIDATE_RE = re.compile(
    r'="(?:(?<=\shref=")|(?<=\ssrc=")|(?<=\scite="))(?!#|[a-zA-Z][a-zA-Z0-9+.-]*:)'
)


def _within_site(value: str) -> bool:
    """True for a link ``value`` (as written, escaped) that leads within the site from
    where it stands: no scheme, no host, not to the same page's anchor."""
    return bool(value) and not value.startswith(("#", "//")) and not scheme(value)


def absolute_links(body: str, base: str) -> str:
    """``body`` with each ``href``, ``src`` and ``cite`` that leads within the site made
    absolute against ``base``, the address of the page it comes from (itself absolute;
    with any other ``base`` the body is given back as it is). Markup stays Markup."""
    if not scheme(base) or '="' not in body:
        return body
    starts = sorted({body.rfind("<", 0, found.start()) for found in _CANDIDATE_RE.finditer(body)})
    kept: list[str] = []
    done = 0
    for start in starts:
        tag = _START_TAG_RE.match(body, start) if start >= done else None
        if tag is None:
            continue
        for attribute in _ATTRIBUTE_RE.finditer(body, tag.end(1), tag.end()):
            value = attribute[2]
            if attribute[1].lower() not in _LINKING or value is None or not _within_site(value):
                continue
            joined = html.escape(urljoin(base, html.unescape(value)))
            kept += (body[done : attribute.start(2)], joined)
            done = attribute.end(2)
    if not kept:
        return body
    made = "".join([*kept, body[done:]])
    return Markup(made) if isinstance(body, Markup) else made
