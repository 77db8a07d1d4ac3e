"""One Markdown body to safe HTML, with its table of contents and the keys it cites.

The output depends on the body text alone, never on a registry: markers carry
local numbers and link to the source list's entries by id; the source list around
them is the templates' job. That keeps a rendered body cacheable by its text (and
the one setting it depends on, ``file_urls``).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension

from briefgen.characters import forbidden_reference
from briefgen.markup.budget import Expired, time_limit
from briefgen.markup.claims import BodyClaim, ClaimExtension
from briefgen.markup.depth import same_room
from briefgen.markup.extension import CitationExtension, CitedKeys
from briefgen.markup.fences import FenceExtension, FenceProblem, fence_problems
from briefgen.markup.ids import heading_id
from briefgen.markup.sanitize import dropped_elements, sanitize, unsafe_links
from briefgen.markup.scrolling import scroll_frames
from briefgen.markup.triggers import TriggerExtension


@dataclass(frozen=True)
class RenderedBody:
    """A body as HTML, with the keys it cites in order of first appearance."""

    html: str
    toc: str
    cited: CitedKeys
    strays: tuple[str, ...] = ()  # citations not taken, footnote marks undefined: as written
    # Citations in a link's text or an image's description, as written, with where (a
    # Markdown link, an HTML link, an image): published as written.
    in_links: tuple[tuple[str, str], ...] = ()
    in_html: tuple[tuple[str, str], ...] = ()  # and in a block of HTML, with the block
    # Citations Markdown took for links' reference definitions ('[@a]: confirmed' on a
    # line of its own): their labels, which it keeps in lower case. No link can use one.
    definitions: tuple[str, ...] = ()
    unsafe_links: tuple[str, ...] = ()  # link and image URLs as written, with a forbidden scheme
    dropped: tuple[str, ...] = ()  # names of elements the sanitiser left out
    claims: tuple[BodyClaim, ...] = ()  # its paragraphs, list items, table rows, block quotes
    fence_problems: tuple[FenceProblem, ...] = ()  # '::: name' lines that are wrong
    # The first character reference of the text (outside code) that names a character
    # no page may hold: the sanitiser, as a browser, shows '&#0;' as U+FFFD, '&#128;' as €.
    reference: str = ""


class BodyError(Exception):
    """A body that cannot be rendered: nested too deeply, too slow to render, or input
    Python-Markdown accepts but cannot write."""


FENCES = "briefgen-fences"  # the name, among the extensions, of our fenced blocks (fences.py)
# The name, among the extensions, of the table of contents' marker: without '[TOC]' in
# the text no paragraph can read so (escapes and entities are still placeholders when
# the table of contents is made), and Markdown need not look at every element for it.
TOC_MARKER = "toc-marker"
# Each optional extension, and text without which it has nothing to do.
_NEEDS = {
    "tables": ("|",),
    "footnotes": ("[^",),
    "fenced_code": ("```", "~~~"),
    "attr_list": ("{",),
    FENCES: (":::",),
    TOC_MARKER: ("[TOC]",),
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


def _made_by_class(module: str, name: str, **config: Any) -> Callable[[], Extension]:
    """What makes Python-Markdown's extension class ``name`` of ``module``, importing
    the module when it first makes one: a rebuild whose edit has no fence or
    attribute list does without the fenced code's and attribute lists' modules (and
    Pygments, which the fenced code's imports where it is installed), about 20 ms
    before its search index can begin."""

    def make() -> Extension:
        made: Extension = getattr(importlib.import_module(module), name)(**config)
        return made

    return make


# Python-Markdown's extensions, made by their classes: given a name, Markdown looks it
# up among the entry points of every installed distribution (about 35 ms in each
# process that makes its first instance: a rebuild's parse of its edit, each parsing
# worker), and would take another package's extension registered under that name.
_STANDARD: dict[str, Callable[[], Extension]] = {
    "tables": _made_by_class("markdown.extensions.tables", "TableExtension"),
    "footnotes": _made_by_class(
        "markdown.extensions.footnotes", "FootnoteExtension", BACKLINK_TEXT="↩"
    ),
    "fenced_code": _made_by_class("markdown.extensions.fenced_code", "FencedCodeExtension"),
    "attr_list": _made_by_class("markdown.extensions.attr_list", "AttrListExtension"),
}


# Each mark, and the characters looked for before it: a mark of several characters is
# looked for only where each of its rarer ones is in the text, which is a quick scan
# (looking for ' \n' or '![' in a body of 6 KB takes 4 µs, for '!' 0.1 µs).
_LOOKS = tuple(
    (mark, tuple(sorted(set(mark) - {" ", "\n"})) if len(mark) > 1 else ())
    for mark in dict.fromkeys(
        mark for needs in (_NEEDS, _INLINE_NEEDS) for marks in needs.values() for mark in marks
    )
)


def _needs(text: str) -> Needs:
    present = frozenset(
        mark
        for mark, rarer in _LOOKS
        if all(character in text for character in rarer) and mark in text
    )
    return _needs_of(present)


@functools.cache
def _needs_of(present: frozenset[str]) -> Needs:
    """What a text needs, given which marks of ``_NEEDS`` and ``_INLINE_NEEDS`` it holds."""
    extensions = tuple(name for name, marks in _NEEDS.items() if not present.isdisjoint(marks))
    unused = tuple(name for name, marks in _INLINE_NEEDS.items() if present.isdisjoint(marks))
    return extensions, unused


class BodyRenderer:
    """Reusable Markdown instances; ``render`` resets one between documents.

    A body is rendered by an instance with only the extensions and inline patterns
    its text can use (no '|', no tables; no '`', no code spans): the HTML is the
    same, and Markdown does less work. With ``file_urls``, links to folders become
    links to their index.html (see :func:`sanitize`).
    """

    time_budget = 2.0  # seconds per body; ordinary briefings take a few milliseconds
    triggers = True  # inline patterns passed over text they cannot match (triggers.py)

    def __init__(self, file_urls: bool = False) -> None:
        self.file_urls = file_urls
        self._instances: dict[Needs, tuple[markdown.Markdown, _Extensions]] = {}

    @staticmethod
    def _new_markdown(
        extensions: tuple[str, ...], unused: tuple[str, ...] = (), triggers: bool = True
    ) -> tuple[markdown.Markdown, _Extensions]:
        own = _Extensions(CitationExtension(), ClaimExtension(), FenceExtension())
        standard = [_STANDARD[name]() for name in extensions if name not in (FENCES, TOC_MARKER)]
        fences = [own.fences] if FENCES in extensions else []
        quick = [TriggerExtension()] if triggers else []
        toc = TocExtension(slugify=heading_id, marker="[TOC]" if TOC_MARKER in extensions else "")
        md = markdown.Markdown(
            extensions=[*quick, *standard, toc, own.citations, own.claims, *fences],
            output_format="html",
        )
        for name in unused:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        return md, own

    def render(self, text: str) -> RenderedBody:
        """Render one body; raise BodyError for pathological input."""
        needs = _needs(text)
        md, own = self._instances.get(needs) or self._new_markdown(*needs, self.triggers)
        self._instances[needs] = md, own
        md.reset()
        try:
            with same_room(), time_limit(self.time_budget):
                html = md.convert(text)
        except (Expired, RecursionError, TypeError, ValueError) as exc:
            del self._instances[needs]  # it may be left half-way through
            if isinstance(exc, RecursionError):
                raise BodyError("Markdown is nested too deeply to render") from None
            if isinstance(exc, Expired):
                raise BodyError(
                    f"Markdown took longer than {self.time_budget:g} s to render"
                ) from None
            # Python-Markdown cannot write some input it accepts, such as a fenced code
            # block's options without a highlighter ('``` { linenums=True }'): 'cannot
            # serialize True (type bool)'.
            raise BodyError(f"Markdown could not render this body ({exc})") from None
        return RenderedBody(
            html=sanitize(scroll_frames(html), self.file_urls),
            toc=sanitize(getattr(md, "toc", ""), self.file_urls),
            cited=own.citations.cited,
            strays=own.citations.strays,
            in_links=own.citations.in_links,
            in_html=own.citations.in_html,
            definitions=tuple(label for label in md.references if label.startswith(("@", "-@"))),
            unsafe_links=unsafe_links(html),
            dropped=dropped_elements(html),
            claims=own.claims.claims,
            fence_problems=fence_problems(own.fences.lines, own.claims.source),
            reference=found[1] if (found := forbidden_reference(html)) else "",
        )


class _Extensions(NamedTuple):
    """briefgen's own extensions of one Markdown instance, which hold what it found."""

    citations: CitationExtension
    claims: ClaimExtension
    fences: FenceExtension
