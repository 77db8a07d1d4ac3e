"""Rendering with only the extensions and inline patterns a body needs gives the HTML and
table of contents of rendering with all of them; sanitised HTML comes out of the
sanitiser unchanged (bodies read back from the cache are sanitised again, and must stay
byte-identical); and Python-Markdown's extensions, made by class, render as when named."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import markdown
import markdown.util
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocExtension, slugify_unicode

from briefgen.markup.body import _STANDARD, FENCES, TOC_MARKER, BodyRenderer
from briefgen.markup.ids import element_ids, heading_id, in_text, is_reserved_id
from briefgen.markup.sanitize import sanitize
from briefgen.markup.scrolling import scroll_frames

ALL = ("tables", "footnotes", "fenced_code", "attr_list", FENCES, TOC_MARKER)
PIECES = [
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Text[^1]\n\n[^1]: A note.\n",
    "```\ncode [@x]\n```\n",
    "# Heading {#custom .class}\n",
    "Paragraph with [@a] and [@b, p. 2].\n",
    "* item\n* item\n",
    "> quoted {not attr}\n",
    "~~~\nfenced\n~~~\n",
    "a | b\n",
    "## Main\n",
    "Code `span [@x]` and \\*escaped\\* \\[@y].\n",
    "An ![image](pic.png) and ![ref image][r] and ![r].\n\n[r]: other.png\n",
    "A [link](https://example.org), a [reference][r], a [r] and <https://example.org>.\n",
    "Mail <someone@example.org>, <b>bold</b> and &amp; &copy; &#169;.\n",
    "Line one  \nline two\t\nline three\n",
    "*em* **strong** _em_ __strong__ ***both*** * not em *\n",
    "[@a; see @b, p. 3] and a@b.org\n",
    "::: assessment\nOur view [@a].\n:::\n",
    "[TOC]\n",
    "Not a marker: \\[TOC\\], &#91;TOC&#93;, `[TOC]`, [TOC] in a sentence.\n",
    "[TOC]: https://example.org/toc\n",
]
CHARACTERS = "ab @[]()!<>&*_`\\\n\t|^{}#:/.TOC"


def full(text: str) -> tuple[str, str]:
    """The HTML and table of contents of ``text`` by Markdown with every extension."""
    md, _ = BodyRenderer._new_markdown(ALL)
    html = sanitize(scroll_frames(md.convert(text)))
    return html, sanitize(getattr(md, "toc", ""))


def rendered(text: str, renderer: BodyRenderer | None = None) -> tuple[str, str]:
    body = (renderer or BodyRenderer()).render(text)
    return body.html, body.toc


def test_plain_prose_leaves_out_most_patterns() -> None:
    renderer = BodyRenderer()
    renderer.render("Words, *emphasis* and a citation [@a].\n")
    ((_, unused),) = renderer._instances
    assert {"backtick", "escape", "image_link", "html", "entity"} <= set(unused)
    assert "citation" not in unused and "em_strong" not in unused


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6))
def test_subset_renders_like_all_extensions(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    assert rendered(text) == full(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=CHARACTERS, max_size=80))
def test_any_text_renders_like_all_patterns(text: str) -> None:
    assert rendered(text) == full(text)


def test_renderer_reuses_instances_across_bodies() -> None:
    renderer = BodyRenderer()
    for text in PIECES * 3:
        assert rendered(text, renderer) == full(text)


def test_the_table_of_contents_replaces_its_marker_only() -> None:
    """Without '[TOC]' in the text, Markdown is not asked to look for it."""
    renderer = BodyRenderer()
    headings = "# One\n\n## Two\n"
    without = renderer.render("Text.\n\n" + headings)
    ((extensions, _),) = renderer._instances
    assert TOC_MARKER not in extensions
    assert '<a href="#two">Two</a>' in without.toc
    assert without.html.startswith("<p>Text.</p>")
    marked = renderer.render("[TOC]\n\n" + headings)
    assert marked.html.startswith('<div class="toc">') and marked.toc in marked.html
    assert rendered("[TOC]\n\n" + headings) == full("[TOC]\n\n" + headings)


HOSTILE_PIECES = ['<td style="position:fixed">x</td>', "<script>x</script>", '<p id="main">x</p>']


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES + HOSTILE_PIECES), max_size=6), st.text(CHARACTERS, max_size=40)
)
def test_sanitised_html_comes_out_of_the_sanitiser_unchanged(pieces: list[str], text: str) -> None:
    body = BodyRenderer().render("\n".join([*pieces, text]))
    assert sanitize(body.html) == body.html
    assert sanitize(body.toc) == body.toc


def test_an_extension_a_body_does_not_need_is_not_imported() -> None:
    """A rebuild of one edit imports what its body needs: the fenced code's module (and
    Pygments, where installed) only for a body with a fence."""
    script = (
        "import sys\n"
        "from briefgen.markup.body import BodyRenderer\n"
        "def imported():\n"
        "    return [name for name in ('markdown.extensions.fenced_code',\n"
        "            'markdown.extensions.attr_list') if name in sys.modules]\n"
        "BodyRenderer().render('Text [@a] and a [link](https://example.org).')\n"
        "print(imported())\n"
        "BodyRenderer().render('Text\\n\\n```\\ncode\\n```\\n\\n## Head {#h}\\n')\n"
        "print(imported())\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert found == [
        "[]",
        "['markdown.extensions.fenced_code', 'markdown.extensions.attr_list']",
    ]


def test_extensions_are_made_without_looking_up_installed_distributions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given names, Python-Markdown reads the entry points of every installed
    distribution (30 ms at a process's first instance); briefgen gives it classes."""

    def looked_up() -> None:
        raise AssertionError("an extension was looked up by its name")

    monkeypatch.setattr(markdown.util, "get_installed_extensions", looked_up)
    html, toc = full("# Head\n\n| a |\n|---|\n| 1 |\n\nText[^1] [@a].\n\n[^1]: Note.\n")
    assert "<table>" in html and 'class="footnote"' in html and "Head" in toc


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_extensions_made_by_class_render_as_those_named(pieces: list[str]) -> None:
    text = "".join(pieces)
    named = markdown.Markdown(
        extensions=[*_STANDARD, "toc"],
        extension_configs={
            "footnotes": {"BACKLINK_TEXT": "↩"},
            "toc": {"slugify": heading_id, "marker": "[TOC]"},
        },
    )
    made = markdown.Markdown(
        extensions=[
            *(make() for make in _STANDARD.values()),
            TocExtension(slugify=heading_id, marker="[TOC]"),
        ]
    )
    assert made.convert(text) == named.convert(text)
    assert getattr(made, "toc", "") == getattr(named, "toc", "")


def test_no_heading_takes_an_id_the_bundled_theme_writes_around_a_body() -> None:
    """Every fixed id of the templates a body is shown in (the frame, the briefing
    and page templates, the partials) is one a heading never gets."""
    templates = Path(__file__).parents[2] / "templates"
    files = ["base.html", "briefing.html", "page.html", *(
        f"partials/{p.name}" for p in (templates / "partials").glob("*.html")
    )]  # fmt: skip
    fixed = {
        value
        for name in files
        for value in re.findall(r'\sid="([^"{]*)"', (templates / name).read_text("utf-8"))
    }
    assert "site-search-q" in fixed
    for value in fixed:
        assert is_reserved_id(value), value
        assert heading_id(value.replace("-", " "), "-") != value


@given(st.text(max_size=30))
@settings(max_examples=300)
def test_a_heading_id_is_python_markdowns_for_text_without_combining_marks(text: str) -> None:
    assume(not any(unicodedata.category(char)[0] == "M" for char in text))
    expected = slugify_unicode(text, "-")
    assert heading_id(text, "-") in (expected, f"section-{expected}")


def test_a_heading_id_keeps_the_combining_marks_of_its_words() -> None:
    assert heading_id("हिन्दी समाचार", "-") == "हिन्दी-समाचार"
    assert heading_id("اَلسَّلَامُ عَلَيْكُمْ", "-") == "اَلسَّلَامُ-عَلَيْكُمْ"


def _at_depth(frames: int, call: Callable[[], str]) -> str:
    """``call()`` made ``frames`` frames deeper on the stack than here."""
    return call() if frames == 0 else _at_depth(frames - 1, call)


def test_a_deep_list_renders_alike_however_deep_the_callers_stack() -> None:
    """Markdown stops nesting within 100 frames of the recursion limit: without the same
    room for every body, a worker and the preview's thread wrote two pages."""
    body = "".join("  " * n + "- x\n" for n in range(600))
    limit = sys.getrecursionlimit()
    renderer = BodyRenderer()
    renderer.time_budget = 60  # 0.3 s on an idle machine: the depth is checked, not the time
    shallow = renderer.render(body).html
    assert shallow == _at_depth(300, lambda: renderer.render(body).html)
    assert 0 < shallow.count("<ul>") < 300  # the deepest items not nested
    assert sys.getrecursionlimit() == limit  # which every thread shares


def _ids_as_written(html_text: str) -> list[str]:
    """The ids ``element_ids`` gives, by the one expression it stands for."""
    found = re.finditer(r'\sid="([^"]*)"', html_text)
    if "&lt;" in html_text:
        found = (match for match in found if not in_text(html_text, match.start()))
    return [html.unescape(match[1]) for match in found]


@settings(max_examples=500)
@given(
    st.lists(
        st.sampled_from([" ", "\n", "\xa0", "x", "d", "i", "=", '"', 'id="', "<", ">", "&lt;"])
    )
)
def test_element_ids_are_those_after_whitespace(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert element_ids(text) == _ids_as_written(text)


def test_element_ids_skip_other_attributes_and_ids_shown_as_text() -> None:
    tags = '<p id="a" data-id="b">x</p><h2\nid="d&amp;e">y</h2>'
    assert element_ids(tags + '<code>&lt;b id="f"&gt;</code>') == ["a", "d&e"]
    assert element_ids(tags + 'x\xa0id="c" xid=" id="g"') == ["a", "d&e", "c", "g"]
