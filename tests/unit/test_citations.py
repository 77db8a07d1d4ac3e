"""The Pandoc citation grammar, and how the Markdown stage applies it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.markup import citations
from briefgen.markup.body import BodyRenderer
from briefgen.markup.citations import (
    _CODE_RE,
    CiteItem,
    find_key,
    is_valid_key,
    parse_group,
    without_code,
)


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("@gladkov", (CiteItem("gladkov"),)),
        ("@a; @b", (CiteItem("a"), CiteItem("b"))),
        ("@stanovaya, para. 3", (CiteItem("stanovaya", locator="para. 3"),)),
        ("see @doe, pp. 33-35; also @smith, ch. 1",
         (CiteItem("doe", "see", "pp. 33-35"), CiteItem("smith", "also", "ch. 1"))),
        ("-@doe", (CiteItem("doe"),)),
        ("@gladkov-0602", (CiteItem("gladkov-0602"),)),
        ("@a.b:c_d", (CiteItem("a.b:c_d"),)),
        ("@key.", (CiteItem("key", locator="."),)),  # Pandoc's suffix
        ("@кириллица", (CiteItem("кириллица"),)),
        ("@x, 01:35", (CiteItem("x", locator="01:35"),)),
        ("  @spaced  ;  @out  ", (CiteItem("spaced"), CiteItem("out"))),
    ],
)  # fmt: skip
def test_parse_group_accepts(inner: str, expected: tuple[CiteItem, ...]) -> None:
    assert parse_group(inner) == expected


@pytest.mark.parametrize(
    "inner",
    [
        "mail me at a@b.org",  # an e-mail address is not a citation
        "a@b",
        "@",
        "@a; no key here",  # every item needs a key
        "@a @b",  # two keys in one item
        "@-a",
        "",
    ],
)
def test_parse_group_rejects(inner: str) -> None:
    assert parse_group(inner) is None


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("a", True),
        ("a-b.c:d_e", True),
        ("wire--report", True),
        ("a..b", True),
        ("tass:-2023", True),
        ("1x", True),
        ("a.", False),
        ("-a", False),
        ("a--", False),
        ("a b", False),
        ("a\n", False),
    ],
)
def test_valid_keys(key: str, valid: bool) -> None:
    assert is_valid_key(key) is valid


def test_find_key_skips_longer_keys_and_addresses() -> None:
    text = "mail a@ab.org [@abc] then [@ab]"
    assert find_key(text, "ab") == text.index("@ab]")
    assert find_key(text, "zz") == -1
    text = "[@ab--c] then [@ab]"
    assert find_key(text, "ab") == text.index("@ab]")


def test_code_is_blanked_out_to_spaces_keeping_line_breaks() -> None:
    text = "See `[@a]` and\n```\n[@b] x\n```\nthen [@c] ~~~ and\n~~~\n@d\n~~~\n"
    assert without_code(text) == (
        "See        and\n   \n      \n   \nthen [@c] ~~~ and\n   \n  \n   \n"
    )


class _CountedSubs:
    """The code expression, counting the texts it is run over."""

    def __init__(self) -> None:
        self.runs = 0

    def sub(self, replace: Callable[[re.Match[str]], str], text: str) -> str:
        self.runs += 1
        return _CODE_RE.sub(replace, text)


def test_text_without_code_is_not_searched_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = _CountedSubs()
    monkeypatch.setattr(citations, "_CODE_RE", counted)
    text = "Words [@a], more words [@b; @c, p. 3] ~~ and ~~ once.\n"
    assert without_code(text) == text
    assert counted.runs == 0
    assert without_code("A `[@a]` code span.") == "A        code span."
    assert counted.runs == 1


@given(st.text(alphabet=st.sampled_from("`~@ a\n"), max_size=40))
def test_without_code_blanks_what_the_code_expression_finds(text: str) -> None:
    expected = _CODE_RE.sub(lambda m: "".join(c if c == "\n" else " " for c in m[0]), text)
    assert without_code(text) == expected


@pytest.fixture(scope="module")
def renderer() -> BodyRenderer:
    return BodyRenderer()


def test_numbers_follow_first_appearance(renderer: BodyRenderer) -> None:
    body = renderer.render("B first [@b]. Then [@a; @b]. Again [@a, p. 2].")
    assert body.cited.keys == ("b", "a")
    assert body.cited.uses == (2, 2)
    assert '<a class="cite-ref" href="#cite-1" id="cite-ref-1-1">1</a>' in body.html
    assert 'href="#cite-2" id="cite-ref-2-2">2</a>, p. 2]' in body.html


@pytest.mark.parametrize(
    "text",
    [
        r"Escaped \[@x] stays literal.",
        "In code `[@x]` it is literal.",
        "```\n[@x]\n```",
        "    [@x] in an indented code block",
        "Write to press@x.org or [press@x.org].",
        "A link [@x](https://example.org) is a link.",
        "In HTML's code <code>[@x]</code> it is literal.",
        "And in <KBD class='k'>press [@x]</KBD> or <samp>[@x; @y]</samp>.",
        "Nested <code><b>[@x]</b></code> too.",
        "Link text [see [@x]](https://x.example/) is a link's.",
    ],
)
def test_literal_forms_are_not_citations(renderer: BodyRenderer, text: str) -> None:
    assert renderer.render(text).cited.keys == ()


def test_a_citation_after_html_code_is_one(renderer: BodyRenderer) -> None:
    body = renderer.render("See <code>x</code> [@a] and <codex>[@b]</codex>.")
    assert body.cited.keys == ("a", "b")


def test_adjacent_groups_are_two_citations_numbered_in_order(renderer: BodyRenderer) -> None:
    """As in Pandoc: '[@a][@b]' cites a, then b; '[@a][ref]' is still a link's text."""
    body = renderer.render("Adjacent [@a][@b]. Later [@a].")
    assert body.cited.keys == ("a", "b")
    assert body.cited.uses == (2, 1)
    assert "[@" not in body.html


@pytest.mark.parametrize(
    "text",
    [
        "He listed two points [@a]: evacuations and roads.",
        "[@a]: evacuations and roads, at the start of a line, are no reference definition.",
        "Points [@a]:x and [@a];",
    ],
)
def test_a_citation_before_a_colon_is_one(renderer: BodyRenderer, text: str) -> None:
    """As in Pandoc: only a reference definition ('[x]: url' on a line of its own) is
    not, and Markdown has taken it out of the text before citations are looked for."""
    body = renderer.render(text)
    assert body.cited.keys == ("a",)
    assert "[@" not in body.html and not body.strays


def test_a_reference_definition_is_still_one(renderer: BodyRenderer) -> None:
    text = "See [the report][r] [@a].\n\n[r]: https://example.org/r\n[@b]: https://example.org/b\n"
    body = renderer.render(text)
    assert body.cited.keys == ("a",)
    assert '<a href="https://example.org/r">the report</a>' in body.html
    assert "example.org/b" not in body.html


def test_a_locator_of_marks_alone_follows_the_number(renderer: BodyRenderer) -> None:
    """'[@a.]' is Pandoc's citation with the suffix '.': '[1.]', not '[1, .]'."""
    body = renderer.render("Fires [@a.]. Roads [@a, p. 2]. Power [@b:]")
    assert body.cited.keys == ("a", "b")
    assert not body.strays
    assert 'id="cite-ref-1-1">1</a>.]' in body.html
    assert 'id="cite-ref-1-2">1</a>, p. 2]' in body.html
    assert 'id="cite-ref-2-1">2</a>:]' in body.html


def test_citation_in_footnote_and_table_numbered_in_document_order(renderer: BodyRenderer) -> None:
    text = "Text[^n] [@a]\n\n| h |\n|---|\n| [@b] |\n\n[^n]: Note [@c]."
    assert renderer.render(text).cited.keys == ("a", "b", "c")


def test_locator_text_is_escaped_or_sanitised(renderer: BodyRenderer) -> None:
    html = renderer.render("[@a, p. 3 & <script>alert(1)</script>4]").html
    assert ", p. 3 &amp; 4]" in html


def test_unsafe_html_is_removed(renderer: BodyRenderer) -> None:
    html = renderer.render(
        '<script>alert(1)</script>\n\n<a href="javascript:alert(1)">x</a> '
        '<img src=x onerror="alert(1)">\n\n# Head {onclick="alert(1)"}'
    ).html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "onclick" not in html


def test_renderer_is_reusable(renderer: BodyRenderer) -> None:
    renderer.render("[@a] [^x]\n\n[^x]: n")
    again = renderer.render("[@b]")
    assert again.cited.keys == ("b",)
    assert "footnote" not in again.html


@given(st.text(alphabet=st.sampled_from("[]@;,-:. ab\\`*_\n<>&"), max_size=60))
def test_random_text_never_crashes(text: str) -> None:
    body = BodyRenderer().render(text)
    assert len(body.cited.keys) == len(body.cited.uses)
    assert all(use >= 1 for use in body.cited.uses)


def test_a_heading_that_cites_is_named_by_its_words_in_the_table_of_contents(
    renderer: BodyRenderer,
) -> None:
    body = renderer.render("[TOC]\n\n## Shelling reported [@a, para. 3; @b]\n\nText [@a].")
    toc = body.html[: body.html.index("</div>")]
    assert ">Shelling reported</a>" in toc
    assert "[" not in toc and "cite" not in toc
    assert 'para. 3; <a class="cite-ref" href="#cite-2"' in body.html  # the heading cites
