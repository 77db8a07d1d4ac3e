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
# a '<' of its own, so no text is taken for a tag.
_START_TAG_RE = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*\s*/?>')
# An attribute that holds a link, found by its '="' and looked behind for its name
# after whitespace: a page's '=' are found as quickly as letters are, where an
# expression that begins with whitespace (as frequent as spaces) or with one of
# several names is tried at each place, in five to ten times the time.
_LINK_RE = re.compile(r'="(?:(?<=\shref=")|(?<=\ssrc=")|(?<=\scite="))([^"]*)"')


def _within_site(value: str) -> bool:
    """True for a link ``value`` (as written, escaped) that leads within the site from
    where it stands: no scheme, no host, not to the same page's anchor."""
    return bool(value) and not value.startswith(("#", "//")) and not scheme(value)


def absolute_links(body: str, base: str) -> str:
    """``body`` with each ``href``, ``src`` and ``cite`` that leads within the site made
    absolute against ``base``, the address of the page it comes from (itself absolute;
    with any other ``base`` the body is given back as it is). Markup stays Markup.

    Each such value is looked for in all of ``body``, and taken where it stands inside
    the start tag that begins at the last '<' before it: text may read like one."""
    if not scheme(base) or '="' not in body:
        return body
    kept: list[str] = []
    done = 0
    for match in _LINK_RE.finditer(body):
        value = match[1]
        if not _within_site(value):
            continue
        tag = _START_TAG_RE.match(body, body.rfind("<", 0, match.start()))
        if tag is None or tag.end() <= match.start():
            continue
        kept += (body[done : match.start(1)], html.escape(urljoin(base, html.unescape(value))))
        done = match.end(1)
    if not kept:
        return body
    made = "".join([*kept, body[done:]])
    return Markup(made) if isinstance(body, Markup) else made
