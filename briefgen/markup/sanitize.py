"""Keep harmless markup only: the tags and attributes a body needs, links of allowed
schemes, and of CSS only the alignment of table cells."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import nh3

from briefgen import urls

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "div": {"tabindex", "role", "aria-label"},  # scrolling frames (scrolling.py)
    "pre": {"tabindex", "role", "aria-label"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
# The only values of these that a body may hold: focusable in order, a named group.
_FIXED = {"tabindex": "0", "role": "group"}
_ALIGNMENT_RE = re.compile(r"\s*text-align\s*:\s*(?:left|right|center|start|end)\s*;?\s*", re.I)
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_LINK_ATTR_RE = re.compile(r"""[\s/](?:href|src)\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_LINK_NAMES = ("href", "src")  # the names _LINK_ATTR_RE takes


def _filter_attribute(tag: str, attribute: str, value: str, file_urls: bool) -> str | None:
    """Rewrite or drop one attribute the allow-list let through.

    A link to the site root ('/pages/about/') is made relative to the body's page,
    so it works under a sub-path; with ``file_urls``, a link to a folder is made one
    to its index.html (see :func:`urls.from_body`). Of CSS, only the alignment of
    table cells is kept: anything else could lay a body over the page or load a
    tracking image. A ``tabindex`` or ``role`` is kept only as a scrolling frame has
    it (``0``, ``group``): a body may not reorder the keyboard's way through the page
    or pass text off as a control. A quote's ``cite`` is kept only as a web address.
    """
    if attribute in ("href", "src"):
        return urls.from_body(value, file_urls)
    if attribute == "style":
        return value if _ALIGNMENT_RE.fullmatch(value) else None
    if attribute == "cite":  # a quote's source: no browser follows it, but feed readers may
        return value if urls.is_safe_url(value) else None
    if attribute in _FIXED:
        return value if value == _FIXED[attribute] else None
    return value


def _cleaner(attributes: dict[str, set[str]], file_urls: bool | None) -> nh3.Cleaner:
    """A cleaner of these allow-lists that runs :func:`_filter_attribute` on every
    attribute in the ``file_urls`` mode given; with ``None``, one that does not."""
    attribute_filter = None
    if file_urls is not None:
        attribute_filter = functools.partial(_filter_attribute, file_urls=file_urls)
    return nh3.Cleaner(
        tags=_TAGS,
        attributes=attributes,
        url_schemes=set(urls.URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        attribute_filter=attribute_filter,
    )


# A note is shown more than once on a page, so its elements may not carry ids.
_NOTE_ATTRIBUTES = {**_ATTRIBUTES, "*": _ATTRIBUTES["*"] - {"id"}}
_FILTERING = {file_urls: _cleaner(_ATTRIBUTES, file_urls) for file_urls in (False, True)}
_UNFILTERED = _cleaner(_ATTRIBUTES, None)
_NOTE_FILTERING = _cleaner(_NOTE_ATTRIBUTES, False)
_NOTE_UNFILTERED = _cleaner(_NOTE_ATTRIBUTES, None)
_CHECKED = ("style", "cite", *_FIXED)  # the attributes whose values the filter checks


def _filter_changes(clean: str) -> bool:
    """Whether :func:`_filter_attribute` (without ``file_urls``) could change an
    attribute of ``clean``, which a cleaner without it wrote.

    Calling back into Python for every attribute is a third of the sanitiser's time,
    and the filter seldom changes one: only a link from the site root, or a style,
    ``tabindex`` or ``role`` it does not allow. The sanitiser writes every attribute
    as ``' name="value"'`` (a '"' in the value as '&quot;', so the value ends at the
    next '"'), which makes those easy to find; text that looks like them only makes
    the answer yes. A value is written as it is but for '&', '"' and no-break spaces,
    which no value the filter keeps as it is holds, and a link from the root starts
    with '/' however it was written.
    """
    if '="/' in clean:
        return True
    for name in _CHECKED:
        written = f' {name}="'
        start = clean.find(written)
        while start >= 0:
            end = clean.find('"', start + len(written))
            value = clean[start + len(written) : end]
            if end < 0 or _filter_attribute("", name, value, False) != value:
                return True
            start = clean.find(written, end)
    return False


def _clean(html: str, unfiltered: nh3.Cleaner, filtering: nh3.Cleaner) -> str:
    """``html`` as ``filtering`` cleans it, by ``unfiltered`` where that is the same."""
    clean = unfiltered.clean(html)
    return filtering.clean(html) if _filter_changes(clean) else clean


def sanitize(html: str, file_urls: bool = False) -> str:
    """Keep harmless markup only: no scripts, event handlers or foreign URL schemes.
    With ``file_urls``, links to folders become links to their index.html.

    Sanitised HTML comes out of the sanitiser as it went in, in either mode.
    """
    if file_urls:  # nearly every link may change, so each is filtered
        return _FILTERING[True].clean(html)
    return _clean(html, _UNFILTERED, _FILTERING[False])


def sanitize_note(html: str) -> str:
    """Keep harmless markup only, as :func:`sanitize`, and no ids: for a short text
    shown in more than one place of a page (a correction), where each id would be
    there twice. Its links must be full URLs (see :func:`site_links`), which read the
    same from any page.

    Sanitised notes come out of it as they went in.
    """
    return _clean(html, _NOTE_UNFILTERED, _NOTE_FILTERING)


def _link_values(html: str) -> Iterator[str]:
    """The href and src values in ``html``, as written, in order: the values of
    ``_LINK_ATTR_RE.finditer(html)``.

    That expression begins with a class of characters as frequent as spaces, and is
    tried at every one of them: it runs only where 'href' or 'src' is written, each
    found by a scan of its own in a lowercased copy, in half the time. A long s
    ('ſ') matches 's' case-blind, and a text that grows when lowercased moves what
    follows: the expression alone scans those.
    """
    lowered = html.lower()
    if "ſ" in html or len(lowered) != len(html):
        yield from (match["value"] for match in _LINK_ATTR_RE.finditer(html))
        return
    end = 0  # where the search for the next match begins, as finditer's
    ahead = dict.fromkeys(_LINK_NAMES, 0)  # each name's next place at or after end + 1
    while True:
        for name, at in ahead.items():
            if 0 <= at <= end:
                ahead[name] = lowered.find(name, end + 1)
        places = [at for at in ahead.values() if at > 0]
        if not places:
            return
        at = min(places)
        match = _LINK_ATTR_RE.match(html, at - 1)
        if match is None:
            end = at
        else:
            yield match["value"]
            end = match.end()


def site_links(html: str) -> tuple[str, ...]:
    """The href and src values in ``html`` that lead within the site (no scheme, no
    host): they would lead elsewhere from a page at another depth."""
    found = (value.strip("\"'") for value in _link_values(html))
    return tuple(
        dict.fromkeys(
            url
            for url in found
            if not urls.scheme(url) and not url.startswith("//") and "\\" not in url
        )
    )


def unsafe_links(html: str) -> tuple[str, ...]:
    """The href and src values in ``html`` (as written) that have a forbidden scheme, or
    a backslash, which browsers read as '/' (``\\\\host/x`` leads to another host).

    The sanitiser drops those of a forbidden scheme; this finds them all so the author
    hears of them, and the build fails.
    """
    found = (value.strip("\"'") for value in _link_values(html))
    return tuple(
        dict.fromkeys(url for url in found if "\\" in url or not urls.has_safe_scheme(url))
    )


def dropped_elements(html: str) -> tuple[str, ...]:
    """The names of the elements in ``html`` the sanitiser leaves out (an ``<iframe>``
    embed pasted from a video site), each once, in order: the author hears of them."""
    names = (name.lower() for name in _TAG_RE.findall(html))
    return tuple(dict.fromkeys(name for name in names if name not in _TAGS))
