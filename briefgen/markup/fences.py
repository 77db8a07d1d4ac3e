"""Fenced blocks, as Pandoc's fenced divs: ``::: assessment`` … ``:::`` sets the
curator's own judgement apart from the reporting, labelled as such.

The one kind of block is ``assessment``, a ``<figure class="assessment">``: a unit
set apart, which screen readers announce by its name, its caption. The caption
reads "Assessment" unless the opening line gives another (``::: assessment
Оценка``); it is part of the HTML, so it shows in feeds too.

A fence may start or end anywhere in a block of text: the text before it is a block
of its own, as it would be after a blank line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.util import AtomicString

from briefgen.diagnostics import did_you_mean

ASSESSMENT = "assessment"
DEFAULT_LABEL = "Assessment"
# An opening line names its block (and may give a label); a closing line is colons only.
_FENCE_RE = re.compile(
    r"^ {0,3}:{3,}[ \t]*(?:(?P<name>[^\s:]\S*)(?:[ \t]+(?P<label>[^\n]*?))?)?[ \t]*:*[ \t]*$",
    re.MULTILINE,
)


Problem = tuple[str, str]  # a message and its hint


@dataclass(frozen=True)
class FenceLine:
    """A fence line as the parser met it (in document order), and what is wrong with it."""

    text: str
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class FenceProblem:
    """A fence line that is wrong, at its line of the body (from 1)."""

    line: int
    message: str
    hint: str


class _FenceProcessor(BlockProcessor):
    def __init__(self, parser: BlockParser, extension: FenceExtension) -> None:
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return _FENCE_RE.search(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        fence = _FENCE_RE.search(block)
        assert fence is not None  # as test() found
        before = block[: fence.start()].rstrip("\n")
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        lines = self.extension.lines
        if not fence["name"]:
            stray = ("':::' closes no block", f"remove it, or open a block with '::: {ASSESSMENT}'")
            lines.append(FenceLine(fence[0], (stray,)))
            after = block[fence.end() :].lstrip("\n")
            if after:
                blocks.insert(0, after)
            return
        name = fence["name"]
        problems: list[Problem] = []
        if name == ASSESSMENT:
            element = etree.SubElement(parent, "figure", {"class": ASSESSMENT})
            label = etree.SubElement(element, "figcaption")
            label.text = AtomicString((fence["label"] or "").strip() or DEFAULT_LABEL)
        else:
            hint = did_you_mean(name, [ASSESSMENT]) or f"the one kind is '::: {ASSESSMENT}'"
            problems.append((f"unknown block '::: {name}'", hint))
            element = etree.SubElement(parent, "div")
        opening = len(lines)
        lines.append(FenceLine(fence[0]))
        tail = "\n\n".join([block[fence.end() :], *blocks]).lstrip("\n")
        inner, close, rest = _split_at_close(tail)
        self.parser.parseChunk(element, inner)
        if close:
            lines.append(FenceLine(close))
        else:
            problems.append((f"'::: {name}' is not closed", "end the block with a line ':::'"))
        lines[opening] = FenceLine(fence[0], tuple(problems))
        blocks[:] = rest.split("\n\n") if rest else []


def _split_at_close(text: str) -> tuple[str, str, str]:
    """``text`` up to the fence that closes the block it is in, that fence, and the
    text after it; the fence is '' when nothing closes the block."""
    depth = 1
    for fence in _FENCE_RE.finditer(text):
        depth += 1 if fence["name"] else -1
        if depth == 0:
            return text[: fence.start()].rstrip("\n"), fence[0], text[fence.end() :].lstrip("\n")
    return text, "", ""


class FenceExtension(Extension):
    """Fenced blocks; after a conversion, :attr:`lines` holds every fence line met."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[FenceLine] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before every other block processor: no other block starts with ':::'.
        md.parser.blockprocessors.register(_FenceProcessor(md.parser, self), "fence", 105)
        md.registerExtension(self)

    def reset(self) -> None:
        self.lines = []


def fence_problems(fences: list[FenceLine], source: list[str]) -> tuple[FenceProblem, ...]:
    """The wrong fence lines, each at its line of ``source`` (the body's lines): the
    next line that reads as it does, after the fence line before it."""
    problems = []
    at = 0
    for fence in fences:
        wanted = fence.text.strip()
        found = next((i for i in range(at, len(source)) if source[i].strip() == wanted), None)
        if found is not None:
            at = found + 1
        line = found if found is not None else max(at - 1, 0)
        problems += [FenceProblem(line + 1, message, hint) for message, hint in fence.problems]
    return tuple(problems)
