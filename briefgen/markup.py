"""Markdown bodies to HTML, with Pandoc citations turned into numbered markers.

The output depends on the body text alone, never on a registry: markers carry
local numbers and link to ``#cite-N``; the source list around them is the
templates' job. That keeps a rendered body cacheable by its text.
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .budget import Expired, time_limit
from .citations import GROUP_RE, parse_group

_PENDING = "data-cite-keys"

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
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "scope", "style"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_LINK_ATTR_RE = re.compile(r"""[\s/](?:href|src)\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # browsers skip these inside a scheme


@dataclass(frozen=True)
class RenderedBody:
    """A body as HTML, with the keys it cites in order of first appearance."""

    html: str
    toc: str
    cited: tuple[str, ...]  # cited[n - 1] is the key numbered n
    uses: tuple[int, ...]  # uses[n - 1]: how many markers point at citation n
    unsafe_links: tuple[str, ...] = ()  # link and image URLs as written, with a forbidden scheme


class _CitationInline(InlineProcessor):
    """Replace a citation group by a placeholder; numbers are given in document order later."""

    def handleMatch(  # type: ignore[override]  # as InlineProcessor's own stub does
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        items = parse_group(m["body"])
        if items is None:
            return None, None, None
        group = etree.Element("span", {"class": "cite"})
        group.set(_PENDING, "1")
        group.text = "["
        previous: etree.Element | None = None
        for index, item in enumerate(items):
            text = ("; " if index else "") + (item.prefix + " " if item.prefix else "")
            if previous is None:
                group.text += text
            else:
                previous.tail = (previous.tail or "") + text
            link = etree.SubElement(group, "a", {"class": "cite-ref"})
            link.set(_PENDING, item.key)
            if item.locator:
                link.tail = ", " + item.locator
            previous = link
        assert previous is not None
        previous.tail = (previous.tail or "") + "]"
        return group, m.start(0), m.end(0)


def citation_id(number: int) -> str:
    """The id of entry ``number`` of a briefing's source list."""
    return f"cite-{number}"


def marker_id(number: int, use: int) -> str:
    """The id of the ``use``-th marker in the text that cites entry ``number``."""
    return f"cite-ref-{number}-{use}"


class _CitationNumbers(Treeprocessor):
    """Number cited keys by first appearance and link markers to ``#cite-N``."""

    def run(self, root: etree.Element) -> None:
        numbers: dict[str, int] = {}
        uses: list[int] = []
        for element in root.iter():
            key = element.attrib.pop(_PENDING, None)
            if key is None or element.tag != "a":
                continue
            number = numbers.setdefault(key, len(numbers) + 1)
            if number > len(uses):
                uses.append(0)
            uses[number - 1] += 1
            element.set("href", f"#{citation_id(number)}")
            element.set("id", marker_id(number, uses[number - 1]))
            element.text = str(number)
        self.md.cited = tuple(numbers)  # type: ignore[attr-defined]
        self.md.uses = tuple(uses)  # type: ignore[attr-defined]


class CitationExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After escapes (180) and code spans (190), before links (160).
        md.inlinePatterns.register(_CitationInline(GROUP_RE.pattern, md), "citation", 175)
        # After the inline processor (20), so document order is final.
        md.treeprocessors.register(_CitationNumbers(md), "citation-numbers", 5)
        md.registerExtension(self)

    def reset(self) -> None:
        pass


MARKDOWN_EXTENSIONS = ("tables", "footnotes", "fenced_code", "attr_list", "toc")


class BodyError(Exception):
    """A body that cannot be rendered: nested too deeply, or too slow to render."""


# Each optional extension, and text without which it has nothing to do.
_NEEDS = {
    "tables": ("|",),
    "footnotes": ("[^",),
    "fenced_code": ("```", "~~~"),
    "attr_list": ("{",),
}
# Each inline pattern, and text without which it cannot match. Every pattern is a
# pass over the text of every paragraph, so leaving out those a body cannot use
# makes Markdown faster (by about a quarter on the benchmark corpus's briefings).
# Tabs become spaces before patterns run, so a tab ending a line can make a line
# break.
_INLINE_NEEDS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "linebreak": (" \n", "\t\n", " \r", "\t\r"),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "citation": ("@",),
}

Needs = tuple[tuple[str, ...], tuple[str, ...]]  # (extensions used, inline patterns left out)


def _needs(text: str) -> Needs:
    def absent(marks: tuple[str, ...]) -> bool:
        return not any(mark in text for mark in marks)

    extensions = tuple(name for name, marks in _NEEDS.items() if not absent(marks))
    unused = tuple(name for name, marks in _INLINE_NEEDS.items() if absent(marks))
    return extensions, unused


class BodyRenderer:
    """Reusable Markdown instances; ``render`` resets one between documents.

    A body is rendered by an instance with only the extensions and inline patterns
    its text can use (no '|', no tables; no '`', no code spans): the HTML is the
    same, and Markdown does less work.
    """

    time_budget = 2.0  # seconds per body; ordinary briefings take a few milliseconds

    def __init__(self) -> None:
        self._instances: dict[Needs, markdown.Markdown] = {}

    @staticmethod
    def _new_markdown(
        extensions: tuple[str, ...], unused: tuple[str, ...] = ()
    ) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=[*extensions, "toc", CitationExtension()],
            extension_configs={
                "footnotes": {"BACKLINK_TEXT": "↩"},
                "toc": {"slugify": heading_id},
            },
            output_format="html",
        )
        for name in unused:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        return md

    def render(self, text: str) -> RenderedBody:
        """Render one body; raise BodyError for pathological input."""
        needs = _needs(text)
        md = self._instances.get(needs) or self._new_markdown(*needs)
        self._instances[needs] = md
        md.reset()
        md.cited, md.uses = (), ()  # type: ignore[attr-defined]
        try:
            with time_limit(self.time_budget):
                html = md.convert(text)
        except (Expired, RecursionError) as exc:
            del self._instances[needs]  # it may be left half-way through
            if isinstance(exc, RecursionError):
                raise BodyError("Markdown is nested too deeply to render") from None
            raise BodyError(f"Markdown took longer than {self.time_budget:g} s to render") from None
        return RenderedBody(
            html=sanitize(html),
            toc=sanitize(getattr(md, "toc", "")),
            cited=md.cited,  # type: ignore[attr-defined]
            uses=md.uses,  # type: ignore[attr-defined]
            unsafe_links=unsafe_links(html),
        )


def has_safe_scheme(url: str) -> bool:
    """True for relative URLs and http(s)/mailto ones, however the scheme is disguised."""
    cleaned = _IGNORED_IN_URL.sub("", html_lib.unescape(url))
    scheme = _SCHEME_RE.match(cleaned)
    return scheme is None or scheme[1].lower() in URL_SCHEMES


def unsafe_links(html: str) -> tuple[str, ...]:
    """The href and src values in ``html`` (as written) that have a forbidden scheme.

    The sanitiser drops them anyway; this finds them so the author hears of it.
    """
    found = (m["value"].strip("\"'") for m in _LINK_ATTR_RE.finditer(html))
    return tuple(dict.fromkeys(url for url in found if not has_safe_scheme(url)))


BODY_DEPTH = 2


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Rewrite or drop one attribute the allow-list let through.

    A link to the site root ('/pages/about/') is made relative to the page of the
    body: briefings and pages are published two folders deep ('briefings/<slug>/'),
    so '../../' is the site root from any body, and the link works under a sub-path.
    Of CSS, only the alignment of table cells is kept: anything else could lay a
    body over the page or load a tracking image.
    """
    if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
        return BODY_DEPTH * "../" + value[1:]
    if attribute == "style":
        return value if _ALIGNMENT_RE.fullmatch(value) else None
    return value


_ALIGNMENT_RE = re.compile(r"\s*text-align\s*:\s*(?:left|right|center|start|end)\s*;?\s*", re.I)


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    attribute_filter=_filter_attribute,
)


def sanitize(html: str) -> str:
    """Keep harmless markup only: no scripts, event handlers or foreign URL schemes."""
    return _CLEANER.clean(html)


_RESERVED_IDS = frozenset({"main", "sources", "sources-heading"})
_RESERVED_ID_RE = re.compile(r"(cite-|briefgen-)")
_ID_RE = re.compile(r'\sid="([^"]*)"')


def is_reserved_id(value: str) -> bool:
    """True for the ids the theme gives its own elements: a body may not use them."""
    return value in _RESERVED_IDS or _RESERVED_ID_RE.match(value) is not None


def element_ids(html: str) -> list[str]:
    """The id of every element of sanitised ``html``, in order."""
    return [html_lib.unescape(value) for value in _ID_RE.findall(html)]


def heading_id(value: str, separator: str) -> str:
    """A heading's id: letters of any script kept, never one the theme uses itself."""
    slug = slugify_unicode(value, separator)
    if is_reserved_id(slug):
        return f"section{separator}{slug}"
    return slug
