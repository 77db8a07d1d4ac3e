"""The Pandoc citation grammar: ``[@key]``, ``[@a; @b]``, ``[see @key, p. 3]``.

A bracketed group is a citation when every ``;``-separated item holds exactly one
``@key`` that starts the item or follows a space (so ``a@b.org`` is never a key).
Anything else in brackets is left as ordinary text. Code spans and backslash
escapes are handled by the Markdown stage, which only hands us plain text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

# Letters, digits and _ ; '-', '.' and ':' only between them, as Pandoc's internal
# punctuation ("a.b" and "wire--report", but not "a." or "-a").
KEY = r"\w(?:[-.:]*\w)*"
KEY_RE = re.compile(KEY)

# A bracket group holding an '@' and no other brackets, not the text of a link
# ('[@a](url)', '[@a][ref]', or the end of one: '[see [@a]](url)'). A group right
# before another ('[@a][@b]'), before a footnote's mark ('[@a][^1]') or before a
# colon ('[@a]: the reasons') is a citation, as in Pandoc; Markdown has taken a
# reference definition ('[x]: url', at the start of a line) out of the text before.
GROUP_RE = re.compile(r"\[(?P<body>[^\[\]]*@[^\[\]]*)\](?!\(|\[(?!\^|[^\[\]]*@)|\]\()")
# In text Markdown has done with, a footnote's mark no footnote defines ('[^2]'; not
# a range such as '[^0-9]'), or a bracket that opens as a citation does, '[@' followed
# by a key or ']', that the grammar did not take ('[@a][x]', '[@]', an '[@a' never
# closed), up to the end of its key (or a '*' of emphasis) or its closing bracket:
# published as written.
STRAY_RE = re.compile(r"\[\^(?!\w-\w\])\w[\w-]*\]|\[-?@(?=[\w\]])[^\s\[\]*]*\]?")
FOOTNOTE_MARK = "[^"
_ESCAPED_RE = re.compile("\x02([0-9]+)\x03")  # Markdown's stand-in for an escaped character
STASHED = "\x02wzxhzdk:"
STASHED_RE = re.compile(STASHED + "([0-9]+)\x03")  # its stand-in for raw HTML or an entity
# An inline HTML element whose text is code, opening or closing: a citation in it is
# written out as it is, as in a code span.
_RAW_CODE_RE = re.compile(r"<(/?)(?:code|kbd|samp)(?=[\s>/])[^>]*>", re.IGNORECASE)
_RAW_LINK_RE = re.compile(r"<(/?)a(?=[\s>/])[^>]*>", re.IGNORECASE)

_ITEM_RE = re.compile(rf"^(?P<prefix>(?:.*?\s)?)-?@(?P<key>{KEY})(?P<suffix>.*)$", re.DOTALL)


@dataclass(frozen=True)
class CiteItem:
    """One cited key inside a group, with the words around it."""

    key: str
    prefix: str = ""
    locator: str = ""


def parse_group(body: str) -> tuple[CiteItem, ...] | None:
    """The items of a bracket group's inner text, or ``None`` if it is no citation."""
    items = []
    for part in body.split(";"):
        match = _ITEM_RE.match(part.strip())
        if match is None or "@" in match["suffix"] or "@" in match["prefix"]:
            return None
        locator = match["suffix"].strip()
        if locator.startswith(","):
            locator = locator[1:].strip()
        items.append(CiteItem(match["key"], " ".join(match["prefix"].split()), locator))
    return tuple(items)


def in_raw_code(text: str, end: int) -> bool:
    """True when ``text`` up to ``end`` leaves an HTML ``<code>``, ``<kbd>`` or
    ``<samp>`` element open."""
    return raw_code_depth(text[:end]) > 0


def raw_code_depth(html: str, depth: int = 0) -> int:
    """How many HTML ``<code>``, ``<kbd>`` or ``<samp>`` elements are open after
    ``html``, with ``depth`` open before it."""
    return _depth(_RAW_CODE_RE, html, depth)


def raw_link_depth(html: str, depth: int = 0) -> int:
    """How many HTML ``<a>`` elements are open after ``html``, with ``depth`` before."""
    return _depth(_RAW_LINK_RE, html, depth)


def _depth(tags: re.Pattern[str], html: str, depth: int) -> int:
    for tag in tags.finditer(html):
        depth = max(0, depth - 1) if tag[1] else depth + 1
    return depth


def citations_in_html(html: str) -> tuple[str, ...]:
    """What reads as a citation, or begins as one ('[@', '[-@'), in the text of raw HTML
    outside code, scripts and styles, which Markdown leaves as it is."""
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    text = "".join(reader.parts)
    groups = [m for m in GROUP_RE.finditer(text) if parse_group(m["body"]) is not None]
    starts = {m.start() for m in groups}
    strays = [m for m in STRAY_RE.finditer(text) if m[0][1] != "^" and m.start() not in starts]
    return tuple(m[0] for m in sorted([*groups, *strays], key=lambda m: m.start()))


class _HtmlText(HTMLParser):
    """The text of HTML outside the elements whose text is never prose, with character
    references as the characters they stand for, but a bracket: '&#91;@a]' shows the
    bracket on purpose."""

    _SKIPPED = frozenset({"code", "kbd", "samp", "pre", "script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self._inside = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._inside += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED and self._inside:
            self._inside -= 1

    def handle_data(self, data: str) -> None:
        if not self._inside:
            self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name};")

    def _reference(self, written: str) -> None:
        character = html.unescape(written)
        self.handle_data("\x01" if character in ("[", "]") else character)


def unescape(text: str) -> str:
    """``text`` with Markdown's stand-ins for backslash-escaped characters ('\\_') put
    back as the characters."""
    return _ESCAPED_RE.sub(lambda m: chr(int(m[1])), text) if "\x02" in text else text


@lru_cache(maxsize=4096)
def is_valid_key(key: str) -> bool:
    return KEY_RE.fullmatch(key) is not None


# Fenced code blocks and code spans, where nothing is a citation.
_CODE_RE = re.compile(r"^(`{3,}|~{3,}).*?^\1|(`+)(?!`).+?(?<!`)\2(?!`)", re.MULTILINE | re.DOTALL)


def without_code(text: str) -> str:
    """``text`` with its code blanked out, every character of it a space but its line
    breaks: offsets in it are offsets in ``text``."""
    if "`" not in text and "~~~" not in text:  # what every piece of code begins with
        return text
    return _CODE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)


def cites_at(text: str, offset: int) -> bool:
    """True when a citation the grammar takes begins at ``offset`` of ``text``."""
    group = GROUP_RE.match(text, offset)
    return group is not None and parse_group(group["body"]) is not None


def find_key(text: str, key: str) -> int:
    """Offset of the first ``@key`` written as a citation in ``text``: in a bracket
    group that cites it, if there is one, for the same ``@key`` may be written in
    prose or code before; else anywhere; or -1."""
    written = re.compile(rf"(?<![\w@])@{re.escape(key)}(?![-.:]*\w)")
    for group in GROUP_RE.finditer(without_code(text)):
        items = parse_group(group["body"])
        if items is not None and any(item.key == key for item in items):
            found = written.search(text, group.start(), group.end())
            if found is not None:
                return found.start()
    match = written.search(text)
    return match.start() if match else -1
