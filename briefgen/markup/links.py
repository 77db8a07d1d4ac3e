"""Links written to another content file: ``[see](../05/graivoron.md#cite-2)``.

Authors link the files they see in their editor, as MkDocs lets them. A body is
rendered before the other files' slugs are known, so a link to a briefing or page
file is found here, resolved to that file, and given its page's URL once every
file is read (:mod:`briefgen.crossref`). A link to any other ``.md`` file is left as written..
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import NamedTuple
from urllib.parse import unquote

from briefgen.urls import scheme

# An <a> tag's href as sanitised HTML writes it: always in double quotes.
_HREF_RE = re.compile(r'<a\s[^>]*?\bhref="([^"]*)"')


class FoundLink(NamedTuple):
    href: str  # as the HTML has it
    written: str  # as the author wrote it
    target: str  # the file it names, relative to the site root
    fragment: str  # '#anchor', or ''


def content_links(body_html: str, rel: str, folders: tuple[str, ...]) -> list[FoundLink]:
    """The links of ``body_html`` (of the file at ``rel``) to a Markdown file in one of
    ``folders`` ('content/pages/'), each once, in order."""
    if ".md" not in body_html:
        return []
    found: dict[str, FoundLink] = {}
    for href in _HREF_RE.findall(body_html):
        written = html.unescape(href)
        path, _, fragment = written.partition("#")
        if not path.endswith(".md") or href in found:
            continue
        if "?" in path or scheme(path):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(path)))
        if target.startswith(folders):
            found[href] = FoundLink(href, written, target, f"#{fragment}" if fragment else "")
    return list(found.values())
