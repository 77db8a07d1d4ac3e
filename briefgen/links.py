"""Checking the internal links and anchors of rendered pages.

Each page is reduced to its links and ids as it is rendered (so the check never
holds the pages themselves); when all are known, every link to the site must
reach a file of the output and every ``#fragment`` an id of its target page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import SiteConfig
from .diagnostics import Diagnostic, Location, Severity

# One pass over the page for both; attributes follow whitespace in HTML (so 'data-id'
# is not an id).
_ATTRIBUTE_RE = re.compile(rb"""\s(href|src|id)\s*=\s*"([^"]*)\"""")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class PageLinks:
    """The links written in one output file, and the ids it offers."""

    file: str  # output file, e.g. 'briefings/x/index.html'
    links: tuple[str, ...]
    ids: frozenset[str]


def _text(value: bytes) -> str:
    text = value.decode()
    return html.unescape(text) if "&" in text else text


def extract(file: str, body: bytes) -> PageLinks:
    links: dict[bytes, None] = {}
    ids = []
    for name, value in _ATTRIBUTE_RE.findall(body):
        if name == b"id":
            ids.append(value)
        else:
            links[value] = None
    return PageLinks(file, tuple(dict.fromkeys(map(_text, links))), frozenset(map(_text, ids)))


_PLAIN_RE = re.compile(r"^[A-Za-z0-9_./-]*$")


def _simple_target(page_file: str, link: str) -> tuple[str, str] | None:
    """The common links, resolved without parsing: '#x', and '../../a/b/' climbing from
    the page's folder to the site root and down again (what ``url()`` writes)."""
    path, _, fragment = link.partition("#")
    if not _PLAIN_RE.match(path):
        return None
    if not path:
        return (page_file, fragment)
    climb = "../" * page_file.count("/")
    rest = path[len(climb) :]
    if not path.startswith(climb) or ".." in rest.split("/") or rest.startswith("/"):
        return None
    if "./" in rest or rest.endswith("/."):
        return None
    return (rest + "index.html" if rest == "" or rest.endswith("/") else rest, fragment)


def _target(page_file: str, link: str, config: SiteConfig) -> tuple[str, str] | None:
    """(output path, fragment) that an internal link points at; None for external links.

    Absolute URLs under ``base_url`` count as internal only in feeds and the sitemap,
    which must use them: in a page, a citation of another page on the site's own
    domain may be served by something else than briefgen.
    """
    simple = _simple_target(page_file, link)
    if simple is not None:
        return simple
    if link.startswith(config.base_url) and page_file.endswith(".xml"):
        link = "/" + config.base_path.lstrip("/") + link[len(config.base_url) :]
    elif link.startswith("//") or _SCHEME_RE.match(link):
        return None
    parts = urlsplit(link)
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(config.base_path):
            return ("/" + path, parts.fragment)  # outside the site: reported as broken
        resolved = path[len(config.base_path) :]
    elif path:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), path))
        if path.endswith("/") and resolved != ".":
            resolved += "/"
    else:
        return (page_file, parts.fragment)
    if resolved in (".", "./"):
        resolved = ""
    if resolved == ".." or resolved.startswith("../"):
        return ("/" + resolved, parts.fragment)
    if resolved == "" or resolved.endswith("/"):
        resolved += "index.html"
    return (resolved, parts.fragment)


def check_links(
    pages: Iterable[PageLinks],
    files: set[str],
    config: SiteConfig,
    origin: dict[str, Location],
    root: Path,
    severity: Severity = Severity.ERROR,
) -> dict[str, list[Diagnostic]]:
    """Every broken internal link, by the output file it is written in.

    ``origin`` maps an output file to the file it came from (a briefing, a page or
    a template), so a broken link written in a briefing is reported at its line.
    """
    pages = list(pages)
    ids = {page.file: page.ids for page in pages}
    found: dict[str, list[Diagnostic]] = {}
    for page in pages:
        for link in page.links:
            target = _target(page.file, link, config)
            if target is None:
                continue
            path, fragment = target
            if path not in files and f"{path}/index.html" in files:
                path = f"{path}/index.html"
            if path not in files:
                problem = "no such page or file in the site"
            elif fragment and path in ids and unquote(fragment) not in ids[path]:
                problem = f"page /{path.removesuffix('index.html')} has no anchor '#{fragment}'"
            else:
                continue
            where = _where(origin.get(page.file, Location(page.file)), link, root)
            diagnostic = Diagnostic(severity, where, f"broken link '{link}': {problem}")
            found.setdefault(page.file, []).append(diagnostic)
    return found


def _where(location: Location, link: str, root: Path) -> Location:
    """The line of ``link`` in the Markdown file it was written in, when it was."""
    if not location.path.endswith(".md"):
        return location
    try:
        text = (root / location.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return location
    for written in (link, "/" + link.lstrip("./")):
        offset = text.find(f"({written}") + 1 or text.find(f'"{written}') + 1
        if offset:
            before = text[:offset]
            line = before.count("\n") + 1
            return location.at(line, offset - (before.rfind("\n") + 1) + 1)
    return location
