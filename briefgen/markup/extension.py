"""The Markdown extension that turns Pandoc citations into numbered markers.

Keys are numbered by first appearance in the document (footnotes and tables
included), once, here: the result is a :class:`CitedKeys` value that the parser
reads the numbers from, never a count made again elsewhere.
"""

from __future__ import annotations

import html as html_text
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from briefgen.markup.citations import (
    FOOTNOTE_MARK,
    GROUP_RE,
    STASHED,
    STASHED_RE,
    STRAY_RE,
    citations_in_html,
    in_raw_code,
    parse_group,
    raw_code_depth,
    raw_link_depth,
    unescape,
)
from briefgen.markup.ids import citation_id, marker_id

PENDING = "data-cite-keys"  # marks a marker and its key until it is numbered
_CODE = frozenset({"code", "pre", "kbd", "samp"})
_LEFT_AS_WRITTEN = _CODE | {"a"}  # no citation in them


@dataclass(frozen=True)
class CitedKeys:
    """The keys a body cites, numbered 1, 2… by first appearance."""

    keys: tuple[str, ...] = ()  # keys[n - 1] is the key numbered n
    uses: tuple[int, ...] = ()  # uses[n - 1]: how many markers cite number n
    _numbers: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._numbers.update((key, n) for n, key in enumerate(self.keys, start=1))

    def number(self, key: str) -> int:
        """The number of ``key``, or 0 when the body never cites it."""
        return self._numbers.get(key, 0)

    def uses_of(self, key: str) -> int:
        number = self.number(key)
        return self.uses[number - 1] if number else 0

    def marker_ids(self) -> set[str]:
        """The ids of every marker in the text."""
        return {
            marker_id(n, use) for n, uses in enumerate(self.uses, 1) for use in range(1, uses + 1)
        }


_MARKER_RE = re.compile(r'<a class="cite-ref" href="#cite-\d+" id="cite-ref-\d+-\d+">(\d+)</a>')
_MARKER_START_RE = re.compile(r'<a class="cite-ref" href="#cite-(\d+)" id="cite-ref-\d+-\d+"')


def unlinked_markers(html: str) -> str:
    """``html`` with its citation markers kept as numbers but linking nowhere: for a
    body shown without a source list (a page, which cannot cite)."""
    return _MARKER_RE.sub(r'<span class="cite-ref">\1</span>', html)


def label_markers(html: str, labels: Mapping[int, str]) -> str:
    """``html`` with each marker of entry N named ``labels[N]`` ("Source 2: Reuters").

    A body is rendered (and cached) without the registries, so a marker holds its
    number alone; the page that shows it knows the sources and names the markers.
    Markers whose number has no label are left as they are.
    """

    def named(match: re.Match[str]) -> str:
        label = labels.get(int(match[1]))
        if not label:
            return match[0]
        return f'{match[0]} aria-label="{html_text.escape(label)}"'

    return _MARKER_START_RE.sub(named, html)


GROUP_CLASS = "cite"  # of the element holding a citation group's marker: '[1, p. 3]'
# Where a citation can be no marker: a Markdown link's text, an HTML link's, an image's alt.
MARKDOWN_LINK, HTML_LINK, IMAGE = "link", "HTML link", "image"


class _CitationInline(InlineProcessor):
    """Replace a citation group by a placeholder; numbers are given in document order later."""

    def handleMatch(  # type: ignore[override]  # as InlineProcessor's own stub does
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        items = parse_group(m["body"])
        if items is None or ("<" in data and in_raw_code(data, m.start())):
            return None, None, None
        group = etree.Element("span", {"class": GROUP_CLASS})
        group.set(PENDING, m[0])  # as written, should it stand in a link's text
        group.text = "["
        previous: etree.Element | None = None
        for index, item in enumerate(items):
            text = ("; " if index else "") + (item.prefix + " " if item.prefix else "")
            if previous is None:
                group.text += text
            else:
                previous.tail = (previous.tail or "") + text
            link = etree.SubElement(group, "a", {"class": "cite-ref"})
            link.set(PENDING, item.key)
            if item.locator:
                # Pandoc's suffix: '[@a, p. 3]' shows '[1, p. 3]'; marks alone, as in
                # '[@a.]', follow the number: '[1.]'.
                marks = not any(character.isalnum() for character in item.locator)
                link.tail = ("" if marks else ", ") + item.locator
            previous = link
        assert previous is not None
        previous.tail = (previous.tail or "") + "]"
        return group, m.start(0), m.end(0)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _is_group(element: etree.Element) -> bool:
    return element.tag == "span" and PENDING in element.attrib


def _words(element: etree.Element) -> str:
    """The text of ``element`` without its citation groups."""
    parts = [element.text or ""]
    for child in element:
        if not _is_group(child):
            parts.append(_words(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _CitationsInLinks(Treeprocessor):
    """Put back as written each citation in a link's text ('[see [@a] here](url)', or
    between an HTML '<a href="…">' and '</a>'): its marker would be a link inside a
    link, which HTML cannot hold (a browser ends the first where the second begins).
    :class:`_StrayCitations` notes those of Markdown's links; those of HTML's are noted
    here, their bracket put back escaped so that no one takes them for a stray."""

    def __init__(self, md: markdown.Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for link in list(root.iter("a")):
            groups = [element for element in link.iter("span") if _is_group(element)]
            if not groups:
                continue
            parents = {child: parent for parent in link.iter() for child in parent}
            for group in groups:
                _put_back(parents[group], group, group.get(PENDING) or "")
        if any(raw_link_depth(str(html)) for html in self.md.htmlStash.rawHtmlBlocks):
            self._in_raw_links(root, 0)  # a walk of every element: only for HTML's links

    def _in_raw_links(self, element: etree.Element, depth: int) -> int:
        """Put back the citations in ``element`` that HTML's links open around, with
        ``depth`` of them open before it; how many are open after it."""
        depth = self._links_open(element.text, depth)
        for child in list(element):
            tail = child.tail
            if depth and _is_group(child):
                written = child.get(PENDING) or ""
                self.extension.in_links += ((unescape(written), HTML_LINK),)
                _put_back(element, child, _ESCAPED_BRACKET + written.removeprefix("["))
            else:
                depth = self._in_raw_links(child, depth)
            depth = self._links_open(tail, depth)
        return depth

    def _links_open(self, text: str | None, depth: int) -> int:
        for tag in STASHED_RE.finditer(text or ""):
            depth = raw_link_depth(str(self.md.htmlStash.rawHtmlBlocks[int(tag[1])]), depth)
        return depth


# Markdown's stand-in for an escaped '[', put back as the bracket when it is done.
_ESCAPED_BRACKET = f"\x02{ord('[')}\x03"


def _put_back(parent: etree.Element, group: etree.Element, written: str) -> None:
    """Replace the citation ``group``, a child of ``parent``, by ``written``."""
    at = list(parent).index(group)
    text = written + (group.tail or "")
    if at == 0:
        parent.text = (parent.text or "") + text
    else:
        parent[at - 1].tail = (parent[at - 1].tail or "") + text
    parent.remove(group)


class _CitationLabels(Treeprocessor):
    """Name a heading that cites by its words alone in the table of contents: its
    markers are numbered after the table is made, where they would show as '[, p. 3]'."""

    def run(self, root: etree.Element) -> None:
        for heading in root.iter():
            if (
                heading.tag in _HEADINGS
                and "data-toc-label" not in heading.attrib
                and any(map(_is_group, heading.iter("span")))
            ):
                heading.set("data-toc-label", " ".join(_words(heading).split()))


class _CitationNumbers(Treeprocessor):
    """Number cited keys by first appearance and link each marker to its entry."""

    def __init__(self, md: markdown.Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        numbers: dict[str, int] = {}
        uses: list[int] = []
        for element in root.iter():
            key = element.attrib.pop(PENDING, None)
            if key is None or element.tag != "a":
                continue
            number = numbers.setdefault(key, len(numbers) + 1)
            if number > len(uses):
                uses.append(0)
            uses[number - 1] += 1
            element.set("href", f"#{citation_id(number)}")
            element.set("id", marker_id(number, uses[number - 1]))
            element.text = str(number)
        self.extension.cited = CitedKeys(tuple(numbers), tuple(uses))


class _StrayCitations(Treeprocessor):
    """Note each citation the grammar did not take ('[@a][x]', '[@]', an '[@a' never
    closed), and each footnote's mark no footnote defines, which are published as
    written where their author meant a marker. Text in code is not looked at, nor an
    escaped '\\[@' (still a placeholder here); in a link's text ('[see [@a]](url)') or
    an image's description, only the citations the grammar takes are, apart
    (:attr:`CitationExtension.in_links`)."""

    def __init__(self, md: markdown.Markdown, extension: CitationExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        found: list[str] = []
        self._walk(root, found)
        self.extension.strays = tuple(found)

    def _walk(self, element: etree.Element, found: list[str]) -> None:
        if element.tag in ("a", "img"):
            text = self._prose(element) if element.tag == "a" else element.get("alt", "")
            if "@" in text:
                self.extension.in_links += tuple(
                    (unescape(m[0]), MARKDOWN_LINK if element.tag == "a" else IMAGE)
                    for m in GROUP_RE.finditer(text)
                    if parse_group(m["body"])
                )
        if element.tag in _LEFT_AS_WRITTEN:
            return
        found += self._strays(element.text)
        for child in element:
            self._walk(child, found)
            found += self._strays(child.tail)

    def _prose(self, element: etree.Element) -> str:
        """The text of ``element`` outside code: neither what its code elements hold nor
        what its HTML ``<code>``, ``<kbd>`` or ``<samp>`` tags do."""
        parts = [element.text or ""]
        for child in element:
            if child.tag not in _CODE:
                parts.append(self._prose(child))
            parts.append(child.tail or "")
        text = "".join(parts)
        if STASHED not in text:
            return text
        kept, depth, at = [], 0, 0
        for tag in [*STASHED_RE.finditer(text), None]:
            if depth == 0:
                kept.append(text[at : tag.start() if tag else len(text)])
            if tag is not None:
                depth = raw_code_depth(str(self.md.htmlStash.rawHtmlBlocks[int(tag[1])]), depth)
                at = tag.end()
        return "".join(kept)

    def _strays(self, text: str | None) -> list[str]:
        """The strays of ``text``, each with its escapes as the characters they stand for.
        HTML is a placeholder here: the citations in a block of it are noted apart
        (:attr:`CitationExtension.in_html`), and what an HTML ``<code>``, ``<kbd>`` or
        ``<samp>`` holds is passed over."""
        if not text:
            return []
        marked = "@" in text or FOOTNOTE_MARK in text
        if not marked and STASHED not in text:
            return []
        found, depth, at = [], 0, 0
        for tag in [*STASHED_RE.finditer(text), None]:
            if depth == 0 and marked:
                between = text[at : tag.start() if tag else len(text)]
                found += [unescape(m[0]) for m in STRAY_RE.finditer(between)]
            if tag is not None:
                html = str(self.md.htmlStash.rawHtmlBlocks[int(tag[1])])
                if depth == 0 and "@" in html:
                    self.extension.in_html += tuple((c, html) for c in citations_in_html(html))
                depth = raw_code_depth(html, depth)
                at = tag.end()
        return found


class CitationExtension(Extension):
    """Citations to markers; after a conversion, :attr:`cited` holds what was cited and
    :attr:`strays` the citations the grammar did not take and the footnote marks no
    footnote defines, and :attr:`in_links` and :attr:`in_html` those in a link's text
    and in a block of HTML, as written."""

    def __init__(self) -> None:
        super().__init__()
        self.cited = CitedKeys()
        self.strays: tuple[str, ...] = ()
        # Citations in a link's text or an image's description, as written, with where.
        self.in_links: tuple[tuple[str, str], ...] = ()
        self.in_html: tuple[tuple[str, str], ...] = ()  # and in a block of HTML, with it

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After escapes (180) and code spans (190), before links (160).
        md.inlinePatterns.register(_CitationInline(GROUP_RE.pattern, md), "citation", 175)
        # After the inline processor (20): a citation in a link's text is none,
        # before the claims count what each paragraph cites (6).
        md.treeprocessors.register(_CitationsInLinks(md, self), "citation-in-links", 7)
        # After the inline processor (20), so document order is final; the labels
        # before the table of contents (5).
        md.treeprocessors.register(_CitationLabels(md), "citation-labels", 6)
        md.treeprocessors.register(_CitationNumbers(md, self), "citation-numbers", 5)
        # Before escapes are put back (0).
        md.treeprocessors.register(_StrayCitations(md, self), "citation-strays", 4)
        md.registerExtension(self)

    def reset(self) -> None:
        self.cited = CitedKeys()
        self.strays = ()
        self.in_links = ()
        self.in_html = ()
