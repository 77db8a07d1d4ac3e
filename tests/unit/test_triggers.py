"""The inline acceleration (markup/triggers.py) changes nothing but the time taken: the
same bodies converted with and without it give the same HTML, on a generated corpus, on
random text full of Markdown's marks, and on Python-Markdown's own test inputs (see
python_markdown/README.md), both through briefgen's whole body pipeline and through
plain Python-Markdown."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import inlinepatterns, preprocessors

from briefgen.markup.body import FENCES, TOC_MARKER, BodyRenderer, RenderedBody
from briefgen.markup.brackets import BracketEnds
from briefgen.markup.triggers import (
    BLOCK_TRIGGERS,
    PREPROCESSOR_TRIGGERS,
    TriggerExtension,
    block_triggers,
    by_reference,
    triggers,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).with_name("python_markdown")
ALL = ("tables", "footnotes", "fenced_code", "attr_list", FENCES, TOC_MARKER)
STANDARD = ["tables", "footnotes", "fenced_code", "attr_list", "toc"]  # those briefgen uses


def _corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Pipelines:
    """Each text through briefgen's body pipeline and through plain Python-Markdown,
    with and without the acceleration."""

    def __init__(self) -> None:
        self.quick = BodyRenderer()
        self.plain = BodyRenderer()
        self.plain.triggers = False
        self.stock = markdown.Markdown(extensions=STANDARD)
        self.stock_quick = markdown.Markdown(extensions=[TriggerExtension(), *STANDARD])
        self.full = BodyRenderer._new_markdown(ALL)[0]
        self.full_plain = BodyRenderer._new_markdown(ALL, triggers=False)[0]

    def differences(self, text: str) -> list[str]:
        """What differs between the conversions with and without the acceleration."""
        found = []
        if _rendered(self.quick, text) != _rendered(self.plain, text):
            found.append("briefgen's body pipeline")
        for name, quick, plain in (
            ("Python-Markdown", self.stock_quick, self.stock),
            ("Markdown with every extension of briefgen's", self.full, self.full_plain),
        ):
            if _converted(quick, text) != _converted(plain, text):
                found.append(name)
        return found


# A few of Python-Markdown's inputs make it raise (a fence's '{ linenums=True }' without
# codehilite): then both conversions must raise the same.


def _rendered(renderer: BodyRenderer, text: str) -> RenderedBody | str:
    try:
        return renderer.render(text)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def _converted(md: markdown.Markdown, text: str) -> tuple[str, str] | str:
    md.reset()
    try:
        return md.convert(text), getattr(md, "toc", "")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


SHARED = Pipelines()  # instances are reset between texts, as the build's are


@pytest.fixture
def pipelines() -> Pipelines:
    return SHARED


def test_generated_corpus_renders_the_same(pipelines: Pipelines) -> None:
    corpus = _corpus().generate(150, seed=15)
    bodies = [briefing.body for briefing in corpus.briefings()]
    differing = [body[:60] for body in bodies if pipelines.differences(body)]
    assert differing == []


CHARACTERS = "ab é@[]()!<>&;#*_`\\\n\t\r|^{}:/.-=~\"'\x02\x03"
PIECES = [
    "Text [@a] and [see @b, p. 3; @c].\n",
    "*em* **strong** _em_ __strong__ ***both*** *a **b** c*\n",
    "A [link](https://example.org 'title'), [ref][r], [r], ![img](x.png), ![r]\n\n[r]: /x\n",
    "<https://example.org> <a@b.org> <b>raw</b> &amp; &#169; &copy \\* \\[@x]\n",
    "Code `x [@a] *b*` and ``` `` ``` and \\`not\\`\n",
    "Line  \nbreak\t\nend\n",
    "Note[^1] and [^2].\n\n[^1]: One *with* [@a].\n[^2]: Two.\n",
    "| a | *b* |\n|---|---|\n| [@a] | `c` |\n",
    "## Head *em* {#id .cls}\n",
    "::: assessment\nOur view [@a], *ours*.\n:::\n",
    "> quote [@a] with <span>html</span>\n",
    "```\nfenced [@a] *no*\n```\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(CHARACTERS, max_size=40), max_size=6))
def test_random_text_renders_the_same(pieces: list[str]) -> None:
    assert SHARED.differences("".join(pieces)) == []


TEXT_FILES = sorted(CASES.rglob("*.txt"))


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda path: path.relative_to(CASES).as_posix())
def test_python_markdown_test_files_render_the_same(pipelines: Pipelines, path: Path) -> None:
    assert pipelines.differences(path.read_bytes().decode("utf-8")) == []


def test_python_markdown_syntax_cases_render_the_same(pipelines: Pipelines) -> None:
    cases = json.loads((CASES / "test_syntax.json").read_text(encoding="utf-8"))
    assert len(cases) > 500
    differing = [
        (case["from"], found) for case in cases if (found := pipelines.differences(case["source"]))
    ]
    assert differing == []


def test_every_pattern_of_a_body_has_triggers() -> None:
    """A Markdown whose patterns changed would still give the same HTML (an unknown
    pattern is always run) but lose the acceleration: this says so."""
    md, _ = BodyRenderer._new_markdown(ALL)
    names = [item.name for item in md.inlinePatterns._priority]
    assert {"citation", "footnote", "em_strong", "link"} <= set(names)
    unknown = [name for name in names if not triggers(md.inlinePatterns[name])]
    assert unknown == []


def test_every_block_processor_with_triggers_is_known() -> None:
    """As above, for the block processors: a Markdown whose expressions changed would
    lose the quick tests."""
    md, _ = BodyRenderer._new_markdown(ALL)
    known = [p for p in md.parser.blockprocessors if type(p) in BLOCK_TRIGGERS]
    assert len(known) == len(BLOCK_TRIGGERS)
    assert all(block_triggers(p) for p in known)


def test_every_preprocessor_with_triggers_is_known() -> None:
    md, _ = BodyRenderer._new_markdown(ALL)
    known = [p for p in md.preprocessors if type(p) in PREPROCESSOR_TRIGGERS]
    assert len(known) == len(PREPROCESSOR_TRIGGERS)


@pytest.mark.parametrize("accelerated", [True, False])
@pytest.mark.parametrize(
    ("preprocessor", "marked"),
    [
        (preprocessors.NormalizeWhitespace, "Words\n\n\tand a tab."),
        (preprocessors.NormalizeWhitespace, "Words\n   \nand a line of spaces."),
        (preprocessors.NormalizeWhitespace, "Words and a last line of spaces.\n  "),
        (preprocessors.HtmlBlockPreprocessor, "Words and an <b>element</b>."),
        (preprocessors.HtmlBlockPreprocessor, "Words &amp; an entity."),
    ],
)
def test_a_document_without_a_preprocessors_marks_is_given_back_at_once(
    monkeypatch: pytest.MonkeyPatch,
    accelerated: bool,
    preprocessor: type[preprocessors.Preprocessor],
    marked: str,
) -> None:
    runs = [0]
    original = preprocessor.run

    def counted(self: preprocessors.Preprocessor, lines: list[str]) -> list[str]:
        runs[0] += 1
        return original(self, lines)

    monkeypatch.setattr(preprocessor, "run", counted)
    md, stock = _markdown(accelerated), markdown.Markdown()
    plain = "Words *and* more words.\n\nAnother paragraph [@a]."
    converted = md.convert(plain)
    assert (runs[0] == 0) is accelerated
    assert converted == stock.convert(plain)
    runs[0] = 0
    converted = md.convert(marked)
    assert runs[0] == 1
    assert converted == stock.convert(marked)


class _CountedSearches:
    """A regular expression that counts the searches made with it."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.pattern = regex.pattern
        self.searches = 0

    def finditer(self, data: str, start: int) -> Iterator[re.Match[str]]:
        self.searches += 1
        return self.regex.finditer(data, start)

    def search(self, data: str) -> re.Match[str] | None:
        self.searches += 1
        return self.regex.search(data)

    def match(self, data: str) -> re.Match[str] | None:
        self.searches += 1
        return self.regex.match(data)


class _CountingEntity(inlinepatterns.HtmlInlineProcessor):
    """The entity pattern, counting the texts its expression is run over."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(inlinepatterns.ENTITY_RE, md)
        self.counted = _CountedSearches(
            re.compile(inlinepatterns.ENTITY_RE, re.DOTALL | re.UNICODE)
        )

    def getCompiledRegExp(self) -> re.Pattern[str]:
        return self.counted  # type: ignore[return-value]


def _markdown(accelerated: bool) -> markdown.Markdown:
    """Plain Python-Markdown, with the acceleration or without it."""
    return markdown.Markdown(extensions=[TriggerExtension()] if accelerated else [])


@pytest.mark.parametrize("accelerated", [True, False])
def test_a_pattern_is_not_run_over_text_without_its_triggers(accelerated: bool) -> None:
    md = _markdown(accelerated)
    entity = _CountingEntity(md)
    md.inlinePatterns.register(entity, "entity", 80)
    assert md.convert("Words *and more* words.\n\nAnother paragraph.") == (
        "<p>Words <em>and more</em> words.</p>\n<p>Another paragraph.</p>"
    )
    assert (entity.counted.searches == 0) is accelerated
    assert md.convert("Fish &amp; chips") == "<p>Fish &amp; chips</p>"
    assert entity.counted.searches > 0


def test_unknown_patterns_are_always_run() -> None:
    md = markdown.Markdown(extensions=[TriggerExtension(), "nl2br"])
    assert triggers(md.inlinePatterns["nl"]) == ()
    assert md.convert("one\ntwo") == "<p>one<br />\ntwo</p>"


@pytest.mark.parametrize("accelerated", [True, False])
def test_a_block_is_not_searched_for_a_quote_without_its_mark(accelerated: bool) -> None:
    md = _markdown(accelerated)
    quote = md.parser.blockprocessors["quote"]
    counted = _CountedSearches(quote.RE)
    quote.RE = counted  # type: ignore[attr-defined]
    assert md.convert("Words and more words.\n\nAnother paragraph.") == (
        "<p>Words and more words.</p>\n<p>Another paragraph.</p>"
    )
    assert (counted.searches == 0) is accelerated
    assert md.convert("Words\n\n> A quote") == (
        "<p>Words</p>\n<blockquote>\n<p>A quote</p>\n</blockquote>"
    )
    assert counted.searches > 0


def test_a_block_without_a_link_reference_is_given_back_as_it_was() -> None:
    md, stock = markdown.Markdown(extensions=[TriggerExtension()]), markdown.Markdown()
    text = "See [the report][r] and [this].\n\n[r]: https://example.org/r 'R'\n\nLast [r]."
    assert md.convert(text) == stock.convert(text)
    assert md.references == stock.references == {"r": ("https://example.org/r", "R")}


def _counting(
    monkeypatch: pytest.MonkeyPatch, cls: type[inlinepatterns.InlineProcessor]
) -> list[int]:
    """Count the calls of ``cls.handleMatch`` (in every pattern of that class)."""
    calls = [0]
    original = cls.handleMatch

    def counted(self: inlinepatterns.InlineProcessor, m: re.Match[str], data: str) -> Any:
        calls[0] += 1
        return original(self, m, data)

    monkeypatch.setattr(cls, "handleMatch", counted)
    return calls


@pytest.mark.parametrize("accelerated", [True, False])
def test_a_link_is_looked_for_only_where_a_bracket_is_followed_by_an_address(
    monkeypatch: pytest.MonkeyPatch, accelerated: bool
) -> None:
    calls = _counting(monkeypatch, inlinepatterns.LinkInlineProcessor)
    md = _markdown(accelerated)
    assert md.convert("Brackets [a] and [b] (c), no link.") == (
        "<p>Brackets [a] and [b] (c), no link.</p>"
    )
    assert (calls[0] == 0) is accelerated
    assert md.convert("A [link](https://example.org).") == (
        '<p>A <a href="https://example.org">link</a>.</p>'
    )
    assert calls[0] > 0


@pytest.mark.parametrize("accelerated", [True, False])
def test_reference_patterns_are_passed_over_where_no_reference_is_defined(
    monkeypatch: pytest.MonkeyPatch, accelerated: bool
) -> None:
    calls = _counting(monkeypatch, inlinepatterns.ReferenceInlineProcessor)
    md = _markdown(accelerated)
    assert md.convert("See [the report][r] and [r].") == "<p>See [the report][r] and [r].</p>"
    assert (calls[0] == 0) is accelerated
    md.reset()
    assert md.convert("See [the report][r] and [r].\n\n[r]: /r") == (
        '<p>See <a href="/r">the report</a> and <a href="/r">r</a>.</p>'
    )
    assert calls[0] > 0


@settings(max_examples=500, deadline=None)
@given(st.text("[]a\n", max_size=30))
def test_bracket_ends_are_markdowns_for_every_index(data: str) -> None:
    stock = inlinepatterns.LinkInlineProcessor._findBracketEnds(data)
    ends = BracketEnds(data)
    assert len(ends) == len(stock)
    assert [ends[index] for index in range(len(ends))] == stock
    with pytest.raises(IndexError):
        ends[len(ends)]


@pytest.mark.parametrize("accelerated", [True, False])
def test_a_links_text_is_ended_from_its_brackets(
    monkeypatch: pytest.MonkeyPatch, accelerated: bool
) -> None:
    scans = [0]
    stock = inlinepatterns.LinkInlineProcessor._findBracketEnds

    def counted(data: str) -> list[int | None]:
        scans[0] += 1
        return stock(data)

    monkeypatch.setattr(
        inlinepatterns.LinkInlineProcessor, "_findBracketEnds", staticmethod(counted)
    )
    md = _markdown(accelerated)
    assert md.convert("A [link [with] brackets](/x) and ![an [image]](/y.png) [c](/z") == (
        '<p>A <a href="/x">link [with] brackets</a> and <img alt="an [image]" src="/y.png" />'
        " [c](/z</p>"
    )
    assert (scans[0] == 0) is accelerated


def test_markdowns_reference_patterns_are_known_as_such() -> None:
    md, _ = BodyRenderer._new_markdown(ALL)
    patterns = [md.inlinePatterns[name] for name in ("reference", "short_reference")]
    assert all(by_reference(pattern) for pattern in patterns)
    assert not by_reference(md.inlinePatterns["link"])
