"""A body's claims: its paragraphs, list items, table rows and block quotes, each with
the line it starts on, its words and the citations it rests on.

Which parts are claims (docs/curation.md, "Citation coverage"):

- every paragraph, in a list item too;
- a list item's own text, when it is not in paragraphs (a tight list); a nested
  list's items are claims of their own;
- every row of a table's body, its cells together (the header row is none);
- a block quote, as a whole; it rests on its own citations or, when it has none,
  on those of the paragraph just before it (the lead-in: "Gladkov wrote [@g]:");
- never a heading, code, raw HTML, an assessment block or a footnote: a footnote's
  citations count for the claims that refer to it.

Claims are found before inline Markdown runs, while each still holds its text as
written (so its first line can be found in the source), and weighed after, when
citations are markers and the text is as published.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from briefgen.markup.citations import STASHED_RE, unescape
from briefgen.markup.extension import PENDING

PARAGRAPH, LIST_ITEM, TABLE_ROW, BLOCK_QUOTE = "paragraph", "list item", "table row", "block quote"
KINDS = (PARAGRAPH, LIST_ITEM, TABLE_ROW, BLOCK_QUOTE)
OPENING_WORDS = 5  # words of a claim that messages quote
_OPENING_CHARACTERS = 80

_PLACEHOLDER_RE = re.compile("\x02[^\x02\x03]*\x03")  # Markdown's stand-ins for stashed text
_BEFORE_PUNCTUATION_RE = re.compile(r"\s+(?=[.,;:!?])")
_LETTER_OR_DIGIT_RE = re.compile(r"[^\W_]")
# Blocks inside a list item, which are not part of the item's own text.
_NESTED = frozenset(
    {"ul", "ol", "dl", "p", "blockquote", "pre", "table", "div", "figure", "hr"}
    | {f"h{level}" for level in range(1, 7)}
)
_APART = _NESTED | {"li", "tr", "td", "th", "br"}  # elements whose text is not run together


@dataclass(frozen=True)
class BodyClaim:
    """A claim of a body, at its line of the body (from 1)."""

    kind: str
    line: int
    words: int
    keys: tuple[str, ...]
    opening: str


@dataclass(frozen=True)
class _Found:
    element: etree.Element
    kind: str
    probe: str  # a part of its first line as written, to find it in the source by
    lines: int  # how many lines of the source it takes at least


def _probe(text: str) -> str:
    """The longest run of written text on the first line of ``text`` that has any
    (stashed HTML and code are placeholders by now, and not in the source as such)."""
    for line in text.splitlines():
        longest = max((part.strip() for part in _PLACEHOLDER_RE.split(line)), key=len)
        if longest:
            return longest
    return ""


def _find(parent: etree.Element) -> Iterator[_Found]:
    """The claims below ``parent``, in document order."""
    for child in parent:
        tag = child.tag
        text = child.text or ""
        if tag == "p":
            probe = _probe(text)
            if probe and text.strip() != "[TOC]":
                yield _Found(child, PARAGRAPH, probe, text.count("\n") + 1)
        elif tag == "li":
            if text.strip():
                yield _Found(child, LIST_ITEM, _probe(text), text.count("\n") + 1)
            yield from _find(child)
        elif tag in ("ul", "ol") or (tag == "div" and child.get("class") != "footnote"):
            yield from _find(child)
        elif tag == "blockquote":
            first = next((_probe(e.text) for e in child.iter() if e.text and _probe(e.text)), "")
            yield _Found(child, BLOCK_QUOTE, first, 1)
        elif tag == "table":
            for row in (row for body in child.findall("tbody") for row in body.findall("tr")):
                first = next((_probe(cell.text) for cell in row if cell.text), "")
                yield _Found(row, TABLE_ROW, first, 1)


class _Source:
    """The body's lines, searched from where the claim before left off."""

    def __init__(self, lines: list[str]) -> None:
        self.text = "\n".join(lines)
        self.starts = [0, *accumulate(len(line) + 1 for line in lines)][:-1] or [0]
        self.at = 0

    def line(self, probe: str, lines: int) -> int:
        """The line (from 1) of the next claim, which starts with ``probe`` and takes
        ``lines`` lines; the line after the claim before when it cannot be found."""
        found = self.text.find(probe, self.at) if probe else -1
        index = bisect_right(self.starts, found if found >= 0 else self.at) - 1
        if found >= 0:
            after = index + lines
            self.at = self.starts[after] if after < len(self.starts) else len(self.text)
        return index + 1


class _SourceLines(Preprocessor):
    """Keeps the body's lines as the parser sees them (tabs expanded): before code
    and HTML blocks are put aside, and, with ``after``, after."""

    def __init__(self, md: markdown.Markdown, extension: ClaimExtension, after: bool) -> None:
        super().__init__(md)
        self.extension = extension
        self.after = after

    def run(self, lines: list[str]) -> list[str]:
        if self.after:
            self.extension.source = _searchable(self.extension.source, lines)
        else:
            self.extension.source = list(lines)
        return lines


def _searchable(source: list[str], parsed: list[str]) -> list[str]:
    """``source`` with the lines Markdown put aside as code or HTML blocks (those that
    are not in ``parsed``) blanked, so that no claim is found in them."""
    if source == parsed:
        return source
    kept = [""] * len(source)
    for start, _, size in SequenceMatcher(
        None, source, parsed, autojunk=False
    ).get_matching_blocks():
        kept[start : start + size] = source[start : start + size]
    return kept


class _FindClaims(Treeprocessor):
    def __init__(self, md: markdown.Markdown, extension: ClaimExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        self.extension.found = list(_find(root))


class _WeighClaims(Treeprocessor):
    def __init__(self, md: markdown.Markdown, extension: ClaimExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        notes = _footnote_keys(root)
        source = _Source(self.extension.source)
        rests_on: dict[etree.Element, tuple[str, ...]] = {}
        claims = []
        for found in self.extension.found:
            line = source.line(found.probe, found.lines)
            parts: list[str] = []
            keys: list[str] = []
            _read(found.element, found.kind == LIST_ITEM, notes, parts, keys)
            rests_on[found.element] = cited = tuple(dict.fromkeys(keys))
            if found.kind == BLOCK_QUOTE and not cited:
                cited = _lead_in(found.element, root, rests_on)
            text = self._plain("".join(parts))
            words = count_words(text)
            if words:
                claims.append(BodyClaim(found.kind, line, words, cited, _opening(text)))
        self.extension.claims = tuple(claims)
        self.extension.found = []

    def _plain(self, text: str) -> str:
        """``text`` without Markdown's placeholders: escaped characters and entities
        as they are published, raw HTML tags left out."""
        text = unescape(text)
        blocks = self.md.htmlStash.rawHtmlBlocks

        def stashed(m: re.Match[str]) -> str:
            index = int(m[1])
            value = blocks[index] if index < len(blocks) else ""
            return html.unescape(value) if isinstance(value, str) and value[:1] == "&" else ""

        return _PLACEHOLDER_RE.sub("", STASHED_RE.sub(stashed, text))


def count_words(text: str) -> int:
    """The words of ``text``: the runs of it between whitespace with a letter or digit in
    them ('—' is none, 'don't' and '3.5%' are one each)."""
    words = 0
    for run in text.split():  # str's whitespace is the regular expressions' \s
        if run.isalnum() or _LETTER_OR_DIGIT_RE.search(run):
            words += 1
    return words


def _read(
    element: etree.Element,
    own_text_only: bool,
    notes: dict[str, tuple[str, ...]],
    parts: list[str],
    keys: list[str],
) -> None:
    """Add the text of ``element`` to ``parts`` and the keys it cites to ``keys``:
    citation markers and footnote references give keys, not words (a footnote, the
    keys cited in it). With ``own_text_only``, blocks nested in it are left out."""
    parts.append(element.text or "")
    for child in element:
        if child.tag == "span" and PENDING in child.attrib:
            keys += [a.get(PENDING, "") for a in child.iter("a") if PENDING in a.attrib]
        elif child.tag == "sup" and len(child) and child[0].get("class") == "footnote-ref":
            keys += notes.get((child[0].get("href") or "").lstrip("#"), ())
        elif not (own_text_only and child.tag in _NESTED):
            _read(child, own_text_only, notes, parts, keys)
        parts.append(" " if child.tag in _APART else "")
        parts.append(child.tail or "")


def _footnote_keys(root: etree.Element) -> dict[str, tuple[str, ...]]:
    """The keys each footnote cites, by the footnote's id."""
    return {
        item.get("id", ""): tuple(a.get(PENDING, "") for a in item.iter("a") if PENDING in a.attrib)
        for div in root.iter("div")
        if div.get("class") == "footnote"
        for item in div.iter("li")
    }


def _lead_in(
    quote: etree.Element, root: etree.Element, rests_on: dict[etree.Element, tuple[str, ...]]
) -> tuple[str, ...]:
    """What the claim just before a block quote rests on, if it is a paragraph."""
    for parent in root.iter():
        siblings = list(parent)
        if quote in siblings:
            index = siblings.index(quote)
            before = siblings[index - 1] if index else None
            return rests_on.get(before, ()) if before is not None and before.tag == "p" else ()
    return ()


def _opening(text: str) -> str:
    """The first words, as messages quote them: 'Belgorod Oblast bore the brunt…'."""
    pieces = text.split(maxsplit=OPENING_WORDS)
    opening = _BEFORE_PUNCTUATION_RE.sub("", " ".join(pieces[:OPENING_WORDS]))
    if len(opening) > _OPENING_CHARACTERS:
        return opening[: _OPENING_CHARACTERS - 1] + "…"
    return opening + ("…" if len(pieces) > OPENING_WORDS else "")


class ClaimExtension(Extension):
    """Finds a body's claims; after a conversion, :attr:`claims` holds them."""

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Right after whitespace is normalised (30), and after code (25) and HTML (20)
        # are put aside.
        md.preprocessors.register(_SourceLines(md, self, after=False), "claim-lines", 29)
        md.preprocessors.register(_SourceLines(md, self, after=True), "claim-lines-parsed", 15)
        # After footnotes are gathered (50), before inline Markdown (20).
        md.treeprocessors.register(_FindClaims(md, self), "claim-find", 25)
        # After inline Markdown and attribute lists (8), before citations are numbered (5).
        md.treeprocessors.register(_WeighClaims(md, self), "claim-weigh", 6)
        md.registerExtension(self)

    def reset(self) -> None:
        self.source: list[str] = []  # the body's lines, code and HTML blocks blanked
        self.found: list[_Found] = []
        self.claims: tuple[BodyClaim, ...] = ()
