"""The sanitiser: what a body may carry."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.markup.body import BodyRenderer
from briefgen.markup.sanitize import (
    _FILTERING,
    _LINK_ATTR_RE,
    _NOTE_FILTERING,
    _filter_changes,
    _link_values,
    sanitize,
    sanitize_note,
    unsafe_links,
)

HOSTILE = [
    '<td style="position:fixed;top:0;left:0;width:100%;height:100%">x</td>',
    '<th style="background:url(https://tracker.example/t.gif)">x</th>',
    '<td style="text-align: left; position: fixed">x</td>',
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://example.org/"></iframe>',
    '<p style="color:red">x</p>',
]


def test_table_cells_keep_their_alignment_and_nothing_else() -> None:
    html = BodyRenderer().render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n").html
    assert html.count('style="text-align: left;"') == 2
    assert html.count('style="text-align: center;"') == 2
    assert html.count('style="text-align: right;"') == 2
    for hostile in HOSTILE:
        cleaned = sanitize(f"<table><tr>{hostile}</tr></table>")
        for word in ("position", "url(", "background", "script", "onerror", "javascript",
                     "iframe", "color"):  # fmt: skip
            assert word not in cleaned, (hostile, cleaned)


def test_a_quote_cites_a_web_address_or_nothing() -> None:
    """Browsers follow no ``cite``, but feed readers may show it as a link."""
    for written in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "/pages/x/", "x"):
        for tag in ("blockquote", "q"):
            assert sanitize(f'<{tag} cite="{written}">x</{tag}>') == f"<{tag}>x</{tag}>"
    kept = '<blockquote cite="https://www.dw.com/en/a-1">x</blockquote>'
    assert sanitize(kept) == kept and sanitize(kept, file_urls=True) == kept


# The sanitiser skips its attribute filter where the filter would change nothing: what it
# writes must be what the filtering cleaner writes, byte for byte, on any HTML.
TAGS = ["a", "img", "td", "th", "div", "pre", "p", "span", "table", "tr", "script", "q",
        "blockquote"]  # fmt: skip
NAMES = ["href", "src", "style", "tabindex", "role", "id", "class", "title", "onclick", "cite"]
VALUES = [
    "/pages/about/",
    "//other.example/x",
    "&#47;x",
    " /x",
    "/",
    "x/",
    "#cite-1",
    "../x/",
    "https://example.org/?a=1&amp;b=2",
    "javascript:alert(1)",
    "mailto:a@b.org",
    "text-align: left;",
    "TEXT-ALIGN:right",
    " text-align : center ; ",
    "text-align: justify",
    "text-align:&nbsp;left",
    "text-align: left; color: red",
    "color: red",
    "0",
    "00",
    " 0",
    "-1",
    "&#48;",
    "group",
    "GROUP",
    "button",
    "",
    'a"b',
    "a'b",
    "a>b",
    'style="text-align: left;"',
    '="/x',
]
TEXTS = [' style="', '="/', ' style="text-align: left;"', ' tabindex="1"', "<", "&", "'", '"', "x"]


def _element(tag: str, attributes: list[tuple[str, str, str]], text: str) -> str:
    written = "".join(f" {name}={quote}{value}{quote}" for name, value, quote in attributes)
    return f"<{tag}{written}>{text}</{tag}>"


element = st.builds(
    _element,
    st.sampled_from(TAGS),
    st.lists(
        st.tuples(st.sampled_from(NAMES), st.sampled_from(VALUES), st.sampled_from(['"', "'", ""])),
        max_size=4,
    ),
    st.lists(st.sampled_from(TEXTS), max_size=4).map("".join),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(element | st.sampled_from(TEXTS), max_size=8))
def test_sanitising_writes_what_the_attribute_filter_writes(pieces: list[str]) -> None:
    html = "".join(pieces)
    assert sanitize(html) == _FILTERING[False].clean(html)
    assert sanitize_note(html) == _NOTE_FILTERING.clean(html)
    assert sanitize(html, file_urls=True) == _FILTERING[True].clean(html)


def test_every_attribute_and_value_is_sanitised_as_the_filter_does() -> None:
    for tag in TAGS:
        for name in NAMES:
            for value in VALUES:
                for quote in ('"', "'"):
                    html = _element(tag, [(name, value, quote)], "x")
                    assert sanitize(html) == _FILTERING[False].clean(html), html
                    assert sanitize_note(html) == _NOTE_FILTERING.clean(html), html


def test_a_body_is_sanitised_without_calling_back_for_each_attribute() -> None:
    """Citations, links elsewhere, aligned cells, code frames and a table of contents:
    nothing the filter would change, so the sanitiser does without it."""
    text = (
        "## Heading\n\nText [@a] and a [link](https://example.org/x?a=1&b=2).\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```\ncode\n```\n"
    )
    body = BodyRenderer().render(text)
    assert 'style="text-align: left;"' in body.html and 'tabindex="0"' in body.html
    assert not _filter_changes(body.html) and not _filter_changes(body.toc)
    assert _filter_changes(sanitize('<a href="/pages/about/">x</a>').replace("../", "/"))
    assert _filter_changes('<td style="color: red">x</td>')


# The links of a body's HTML are found where their names are written, not by the
# expression alone: the same values, in the same order, on any text.
LINK_PIECES = ["href", "HREF", "Src", "src", "ſrc", "İ", " ", "\n", "/", "=", '"', "'", ">", "x"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(LINK_PIECES) | element, max_size=12).map("".join))
def test_links_are_found_as_the_expression_finds_them(html: str) -> None:
    assert list(_link_values(html)) == [m["value"] for m in _LINK_ATTR_RE.finditer(html)]


def test_a_link_inside_another_attribute_is_not_found() -> None:
    html = """<a href="x src='javascript:y" src='z'>t</a><img ſrc="javascript:w">"""
    assert list(_link_values(html)) == ['"x src=\'javascript:y"', "'z'", '"javascript:w"']
    assert unsafe_links(html) == ("javascript:w",)
