"""Every URL rule: the paths of a built site, the links between its pages, and which
URLs content may link to.

A *site path* names a page relative to the site root, without a leading slash:
``''`` is the home page, ``'briefings/x/'`` a briefing, ``'feed.xml'`` the feed.
Pages link to each other with relative URLs, so a built site works under any
sub-path and from any static host without knowing where it will be served.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

URL_SCHEMES = frozenset({"http", "https", "mailto"})  # all that content may link to


def home(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


def briefing_index(page: int = 1) -> str:
    return _paged("briefings/", page)


def briefing(slug: str) -> str:
    return f"briefings/{slug}/"


def region_index() -> str:
    return "regions/"


def region(key: str, page: int = 1) -> str:
    return _paged(f"regions/{key}/", page)


def source_index() -> str:
    return "sources/"


def source(key: str, page: int = 1) -> str:
    return _paged(f"sources/{key}/", page)


def tag_index() -> str:
    return "tags/"


def tag(slug: str, page: int = 1) -> str:
    return _paged(f"tags/{slug}/", page)


def archive() -> str:
    return "archive/"


def page(slug: str) -> str:
    return f"pages/{slug}/"


def feed(of: str = "") -> str:
    """The Atom feed of the listing at site path ``of`` (the whole site by default)."""
    return f"{of}feed.xml"


def _paged(path: str, page: int) -> str:
    return path if page == 1 else f"{path}page/{page}/"


def output_file(path: str) -> str:
    """The file that serves a site path: clean URLs are folders with an index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


_PLAIN_RE = re.compile(r"[A-Za-z0-9_./-]*")


def is_plain(path: str) -> bool:
    """True when ``path`` needs no quoting in a URL, as most site paths do."""
    return _PLAIN_RE.fullmatch(path) is not None


def relative(from_path: str, to_path: str) -> str:
    """The URL of ``to_path`` as written in the page at ``from_path``."""
    if not is_plain(to_path):  # most paths need no quoting: skip the slow call
        to_path = quote(to_path, safe="/")
    return "../" * from_path.count("/") + to_path or "./"


def from_root(base_path: str, to_path: str) -> str:
    """The URL of ``to_path`` from the server's root, for pages served at any depth
    (the 404 page): the site's ``base_path`` ('/' or '/sub/') goes before it."""
    return base_path + quote(to_path, safe="/")


def linker(from_path: str, base_path: str | None = None) -> Callable[[str], str]:
    """:func:`relative` (or, given ``base_path``, :func:`from_root`) bound to the page at
    ``from_path``: a listing makes a hundred links, so the common case is made short."""
    if base_path is not None:
        return lambda to_path: from_root(base_path, to_path)
    up = "../" * from_path.count("/")

    def link(to_path: str) -> str:
        if is_plain(to_path):
            return up + to_path or "./"
        return relative(from_path, to_path)

    return link


# Briefings and pages are published at the same depth, so a body that links to the
# site root ('/pages/about/') can be given the same relative link on either.
_BODY_DEPTH = briefing("x").count("/")
assert page("x").count("/") == _BODY_DEPTH


def from_body(site_path: str) -> str:
    """A link written in a body as '/site/path', made relative to the body's page."""
    return "../" * _BODY_DEPTH + site_path


_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # browsers skip these inside a scheme


def scheme(url: str) -> str:
    """The scheme of ``url`` as written ('https'), or '' for a relative URL."""
    found = _SCHEME_RE.match(url)
    return found[1] if found else ""


def has_safe_scheme(url: str) -> bool:
    """True for relative URLs and http(s)/mailto ones, however the scheme is disguised
    (``url`` as written in HTML: with character references, spaces, tabs)."""
    found = scheme(_IGNORED_IN_URL.sub("", html.unescape(url)))
    return not found or found.lower() in URL_SCHEMES


# Most URLs are plain web addresses, which this decides without splitting them.
_PLAIN_WEB_URL_RE = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]+)?(?:[/?#][!-~]*)?", re.IGNORECASE)


def is_safe_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host, and mailto: addresses: what a
    citation may link to."""
    if _PLAIN_WEB_URL_RE.fullmatch(url):
        return True
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # 'http://[': an IPv6 address never closed
        return False
    if parts.scheme not in URL_SCHEMES:
        return False
    return bool(parts.path) if parts.scheme == "mailto" else bool(parts.netloc)


def normalise_base_url(url: str) -> str:
    """A base URL ending with '/', so site paths can be put after it."""
    return url if url.endswith("/") else url + "/"


def is_web_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host: what a site can be published at."""
    return is_safe_url(url) and not url.strip().lower().startswith("mailto:")
