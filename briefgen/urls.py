"""The one URL scheme of a built site.

A *site path* names a page relative to the site root, without a leading slash:
``''`` is the home page, ``'briefings/x/'`` a briefing, ``'feed.xml'`` the feed.
Pages link to each other with relative URLs, so a built site works under any
sub-path and from any static host without knowing where it will be served.
"""

from __future__ import annotations

import re
from urllib.parse import quote


def home(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


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


_PLAIN_RE = re.compile(r"^[A-Za-z0-9_./-]*$")


def relative(from_path: str, to_path: str) -> str:
    """The URL of ``to_path`` as written in the page at ``from_path``."""
    if not _PLAIN_RE.match(to_path):  # most paths need no quoting: skip the slow call
        to_path = quote(to_path, safe="/")
    return "../" * from_path.count("/") + to_path or "./"
