"""Python-Markdown's inline pass, with each pattern passed over text it cannot match,
and its block tests likewise.

Markdown runs every inline pattern's regular expression over every piece of text
in a document, one pattern after another, though most patterns cannot match
without a mark that most text never holds: a link needs '](', an entity '&', a
code span '`'. :class:`TriggerExtension` replaces Markdown's inline processor by
one that first looks for those marks (the pattern's *triggers*) in the text, and
passes the pattern over when none is there. A pattern that finds no match
changes nothing, so the HTML is the same, byte for byte; only the time spent
finding nothing goes. Markdown's reference patterns ('[text][id]', '[id]') take
every '[', a citation's too, and change nothing unless the document defines the
reference: in a document that defines none they are passed over wherever they are.

Two preprocessors pass over the whole document first: one to tidy its whitespace
(a search for lines of spaces alone, and a tab, a carriage return or Markdown's own
marks replaced), one to put raw HTML aside (Python's HTML parser over every
character). Each gives a document without those marks back at once, as it would
have given it: about a twentieth of converting a briefing's body.

Block processors are tested on every block in turn, and two of Markdown's search
the whole block for a mark: a quote needs '>', a rule '-', '_' or '*' (a heading's
'#' Markdown looks for itself since 3.11.4). Their tests answer no at once for a
block without one; the link-reference processor, which takes every block, gives one
without ']:' back at once.

The triggers are known by the pattern's regular expression, as written: a pattern
whose expression is not in :data:`TRIGGERS` (another extension's, or one that a
later Markdown changed) is always run, as Markdown would. The processor replaces
a private method of Markdown's ``InlineProcessor``, and the link patterns' search
for the end of a link's text is replaced by one that counts brackets alone
(brackets.py), so ``pyproject.toml`` pins Markdown to the versions they were
checked against, and tests/unit/test_triggers.py compares the HTML with and without
them.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable

import markdown
from markdown import blockprocessors, inlinepatterns, preprocessors, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor

from briefgen.markup.brackets import BracketEnds
from briefgen.markup.citations import GROUP_RE

# A regular expression, and text of which every match holds one at least.
TRIGGERS: dict[str, tuple[str, ...]] = {
    inlinepatterns.BACKTICK_RE: ("`",),  # backslashes before a '`', or the '`'
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\[\^([^\]]*)\]": ("[^",),  # the footnotes extension's reference
    GROUP_RE.pattern: ("@",),  # a citation group (extension.py)
}

# A block processor's class, the expression it searches a block with (as Markdown 3.11
# writes it), and text of which every match holds one at least.
BLOCK_TRIGGERS: dict[type[blockprocessors.BlockProcessor], tuple[str, tuple[str, ...]]] = {
    blockprocessors.BlockQuoteProcessor: (r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    blockprocessors.HRProcessor: (
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
        r"(?P=atomicgroup)[ ]*$",
        ("-", "_", "*"),
    ),
    # Its test passes every block; its run gives the block back unless it holds a link
    # reference ('[id]: url').
    blockprocessors.ReferenceProcessor: (
        r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
        r'((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$',
        ("]:",),
    ),
}

# A preprocessor's class, text of which every document it changes holds one at least
# (a line of spaces alone, ' \n', a tab, a carriage return or Markdown's marks; a tag
# or an entity), and what it adds to the end of every document (two blank lines).
PREPROCESSOR_TRIGGERS: dict[type[preprocessors.Preprocessor], tuple[tuple[str, ...], str]] = {
    preprocessors.NormalizeWhitespace: ((" \n", "\t", "\r", util.STX, util.ETX), "\n\n"),
    preprocessors.HtmlBlockPreprocessor: (("<", "&"), ""),
}

# Markdown's private InlineProcessor.__applyPattern(pattern, data, patternIndex, startIndex),
# which returns the text, whether the pattern matched, and where to look next.
_Apply = Callable[[inlinepatterns.Pattern, str, int, int], tuple[str, bool, int]]


def triggers(pattern: inlinepatterns.Pattern) -> tuple[str, ...]:
    """Text of which every match of ``pattern`` holds one at least; () when unknown."""
    if not isinstance(pattern, inlinepatterns.InlineProcessor):
        return ()  # an old-style pattern matches differently
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        return tuple(pattern.tokens)  # its expression is one token or another
    expression = pattern.getCompiledRegExp().pattern
    if type(pattern) is inlinepatterns.LinkInlineProcessor and expression == inlinepatterns.LINK_RE:
        return ("](",)  # a link's text is followed at once by its address: '[a](b)'
    return TRIGGERS.get(expression, ())


def by_reference(pattern: inlinepatterns.Pattern) -> bool:
    """Whether ``pattern`` makes links of the document's link references alone
    ('[text][id]', '[id]'): Markdown's reference patterns, which change nothing in a
    document that defines none (a citation's '[@key]' looks like one to them)."""
    return (
        isinstance(pattern, inlinepatterns.ReferenceInlineProcessor)
        and type(pattern).handleMatch is inlinepatterns.ReferenceInlineProcessor.handleMatch
    )


class _TriggeredInlineProcessor(InlineProcessor):
    """Markdown's inline processor, passing a pattern over text without its triggers,
    and the reference patterns over every text of a document without references."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        # Each pattern and its triggers; None for one that cannot match in the document.
        self._passes: list[tuple[inlinepatterns.Pattern, tuple[str, ...] | None]] = []

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The stubs give the registry the type of this class, whose name it shares.
        patterns: Iterable[inlinepatterns.Pattern] = self.inlinePatterns  # type: ignore[assignment]
        references = bool(self.md.references)  # all found by now, by the block parser
        self._passes = [
            (pattern, triggers(pattern) if references or not by_reference(pattern) else None)
            for pattern in patterns
        ]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """Markdown's ``__handleInline``: ``data`` with every pattern from
        ``patternIndex`` on applied, in order, each as often as it matches."""
        if isinstance(data, util.AtomicString):
            return data
        apply: _Apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        passes = self._passes
        start = 0
        while patternIndex < len(passes):
            pattern, marks = passes[patternIndex]
            if marks is None:
                patternIndex, start = patternIndex + 1, 0
                continue
            for mark in marks:
                if mark in data:
                    break
            else:
                if marks:  # none is there: as if the pattern had found no match
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def block_triggers(processor: blockprocessors.BlockProcessor) -> tuple[str, ...]:
    """Text of which every block ``processor`` acts on holds one at least; () when
    unknown (another extension's processor, or one a later Markdown changed)."""
    known = BLOCK_TRIGGERS.get(type(processor))
    if known is None:
        return ()
    expression, marks = known
    regex = getattr(processor, "SEARCH_RE", getattr(processor, "RE", None))
    return marks if getattr(regex, "pattern", None) == expression else ()


def _tested(
    test: Callable[[etree.Element, str], bool], marks: tuple[str, ...]
) -> Callable[[etree.Element, str], bool]:
    """A block processor's ``test``, answering no at once for a block without ``marks``."""

    def quick(parent: etree.Element, block: str) -> bool:
        for mark in marks:
            if mark in block:
                return test(parent, block)
        return False

    return quick


def _run(
    run: Callable[[etree.Element, list[str]], bool | None], marks: tuple[str, ...]
) -> Callable[[etree.Element, list[str]], bool | None]:
    """A block processor's ``run``, giving the next block back at once (as the
    processor would, having found nothing) when it holds none of ``marks``."""

    def quick(parent: etree.Element, blocks: list[str]) -> bool | None:
        block = blocks[0]
        for mark in marks:
            if mark in block:
                return run(parent, blocks)
        return False

    return quick


def _preprocessed(
    run: Callable[[list[str]], list[str]], marks: tuple[str, ...], added: str
) -> Callable[[list[str]], list[str]]:
    """A preprocessor's ``run``, giving a document without ``marks`` back at once as
    the preprocessor would: with ``added`` at its end (the marks are looked for with
    it, so that a last line of spaces alone ends in ' \n', and is found)."""

    def quick(lines: list[str]) -> list[str]:
        source = "\n".join(lines) + added
        for mark in marks:
            if mark in source:
                return run(lines)
        return source.split("\n")

    return quick


class TriggerExtension(Extension):
    """Inline patterns passed over text that holds none of their triggers, preprocessors
    and block tests likewise, and the ends of links' texts found from their brackets
    (brackets.py)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_TriggeredInlineProcessor(md), "inline", 20)
        for pattern in md.inlinePatterns:
            if isinstance(pattern, inlinepatterns.LinkInlineProcessor):
                pattern._findBracketEnds = BracketEnds  # type: ignore[attr-defined]
        for preprocessor in md.preprocessors:
            known = PREPROCESSOR_TRIGGERS.get(type(preprocessor))
            if known is not None:
                preprocessor.run = _preprocessed(preprocessor.run, *known)  # type: ignore[method-assign, assignment]
        for processor in md.parser.blockprocessors:
            marks = block_triggers(processor)
            if not marks:
                continue
            if isinstance(processor, blockprocessors.ReferenceProcessor):
                processor.run = _run(processor.run, marks)  # type: ignore[method-assign, assignment]
            else:
                processor.test = _tested(processor.test, marks)  # type: ignore[method-assign, assignment]
