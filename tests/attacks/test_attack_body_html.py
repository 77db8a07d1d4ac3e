"""Raw HTML in Markdown bodies: what the sanitiser lets through, and ids that clash.

A `style` attribute may align a table cell, nothing more: a cell styled
`position: fixed` with a background image can cover the page and track readers.
Ids the theme uses itself (`main`, `sources-heading`, `cite-N`...) are an error in
the body that writes them, and `briefgen check` reports any id used twice in a
built page, naming the briefing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from attack_kit import (
    A,
    assert_located_error,
    briefing,
    build,
    elements,
    html_files,
    make_site,
    run,
)

EVIL_CELLS = {
    "as given": '<td style="position:fixed;top:0;left:0;width:100%;height:100%;'
    'background:url(https://evil.example/t.gif)">x</td>',
    "header cell, upper case": '<th style="POSITION : absolute; BACKGROUND-IMAGE: URL( '
    "'https://evil.example/a.gif' )\">x</th>",
    "comments": '<td style="position/**/:fixed;background:/**/url(https://evil.example/b.gif)">'
    "x</td>",
    "css escapes": '<td style="p\\6fsition:fixed;background:\\75rl(https://evil.example/c.gif)">'
    "x</td>",
    "after text-align": '<td style="text-align:left;position:fixed;'
    'background-image:url(https://evil.example/d.gif)">x</td>',
}


def _css(style: str) -> str:
    """A style attribute as CSS sees it: comments gone, escapes decoded, lower case."""
    style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
    style = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m[1], 16)), style)
    style = re.sub(r"\\(.)", r"\1", style)
    return re.sub(r"\s+", "", style.lower())


def _styles(out: Path) -> list[tuple[str, str, str]]:
    """(page, tag, style) for every element with a style attribute in the output."""
    return [
        (rel, tag, attrs["style"])
        for rel, text in html_files(out).items()
        for tag, attrs in elements(text)
        if "style" in attrs
    ]


@pytest.mark.parametrize("cell", EVIL_CELLS.values(), ids=list(EVIL_CELLS))
def test_style_on_table_cells_cannot_position_or_load_anything(tmp_path: Path, cell: str) -> None:
    body = f"Shelling reported [@g].\n\n<table><tr>{cell}</tr></table>\n"
    site = make_site(tmp_path / "site", {A: briefing(body=body)})
    result = build(site)
    # writing.md: raw HTML is sanitised, not refused; of a style, only the alignment of
    # a table cell is kept.
    assert result.code == 0, result.err
    page = (site / "public/briefings/a/index.html").read_text()
    assert ">x</t" in page, "the cell itself should still be published"
    bad = [
        (rel, tag, style)
        for rel, tag, style in _styles(site / "public")
        if "position" in _css(style) or "url(" in _css(style)
    ]
    assert not bad
    feed = (site / "public/feed.xml").read_text()
    assert "evil.example" not in feed


def test_markdown_table_alignment_is_kept(tmp_path: Path) -> None:
    body = (
        "Shelling reported [@g].\n\n"
        "| Village | Shells | Note |\n|:--|--:|:-:|\n| Shebekino | 12 | heavy |\n"
    )
    site = make_site(tmp_path / "site", {A: briefing(body=body)})
    result = build(site)
    assert result.code == 0, result.err
    cells = [
        (tag, attrs)
        for tag, attrs in elements((site / "public/briefings/a/index.html").read_text())
        if tag in ("td", "th")
    ]
    assert len(cells) == 6

    def alignment(attrs: dict[str, str]) -> str:
        found = re.search(r"text-align:(left|right|center)", _css(attrs.get("style", "")))
        return found[1] if found else attrs.get("align", "")

    assert [alignment(attrs) for _, attrs in cells] == ["left", "right", "center"] * 2


RESERVED = {
    "span-cite-1": ('<span id="cite-1">x</span>', "cite-1"),
    "p-main": ('<p id="main">x</p>', "main"),
    "heading-sources-heading": ("## Sources {#sources-heading}", "sources-heading"),
    "a-cite-ref": ('<a id="cite-ref-1-1">x</a>', "cite-ref-1-1"),
    "heading-corrections-heading": ("## Fixes {#corrections-heading}", "corrections-heading"),
    "li-correction-2": ('<ul><li id="correction-2">x</li></ul>', "correction-2"),
}


@pytest.mark.parametrize(("markup", "reserved"), RESERVED.values(), ids=list(RESERVED))
def test_body_using_an_id_of_the_theme_is_an_error_in_the_briefing(
    tmp_path: Path, markup: str, reserved: str
) -> None:
    body = f"Shelling reported [@g].\n\n{markup}\n\nMore text.\n"
    site = make_site(tmp_path / "site", {A: briefing(body=body)})
    result = build(site)
    assert_located_error(result, A)
    assert any(reserved in line for line in result.errors), result.err
    assert not (site / "public").exists()


def test_page_using_an_id_of_the_theme_is_an_error_in_the_page(tmp_path: Path) -> None:
    page = "content/pages/about.md"
    site = make_site(tmp_path / "site", {page: '---\ntitle: About\n---\n<p id="main">x</p>\n'})
    result = build(site)
    assert_located_error(result, page)


DUPLICATES = {
    "two-spans": 'One <span id="dup">a</span> and two <span id="dup">b</span>.',
    "two-headings": "## One {#dup}\n\nText.\n\n## Two {#dup}\n\nText.",
    "heading-and-span": '## Background\n\nText with <span id="background">x</span>.',
}


@pytest.mark.parametrize("body", DUPLICATES.values(), ids=list(DUPLICATES))
def test_check_reports_an_id_used_twice_in_a_page_as_an_error_in_the_briefing(
    tmp_path: Path, body: str
) -> None:
    site = make_site(tmp_path / "site", {A: briefing(body=f"Shelling reported [@g].\n\n{body}\n")})
    result = run("check", "-s", site)
    assert_located_error(result, A)
    assert not (site / "public").exists()
