"""What Pagefind is given of a page: the parts a theme marks as never indexed are cut,
unless Pagefind could need something in them, and no space is left before a citation's marker."""

from __future__ import annotations

import pytest

from briefgen.render.search_pages import SKIP_FROM, SKIP_TO, for_indexing

FROM, TO = SKIP_FROM.decode(), SKIP_TO.decode()


def cut(page: str) -> str:
    return for_indexing(page.encode()).decode()


def test_a_marked_part_is_cut_and_its_element_stays() -> None:
    page = f"<p>Text</p><section data-pagefind-ignore>{FROM}<ol><li>A</li></ol>{TO}</section>"
    assert cut(page) == "<p>Text</p><section data-pagefind-ignore></section>"


def test_every_marked_part_is_cut() -> None:
    page = f"a{FROM}b{TO}c{FROM}d{TO}e"
    assert cut(page) == "ace"


@pytest.mark.parametrize(
    "needed",
    ['<span data-pagefind-filter="region">Russia</span>', '<b data-PAGEFIND-meta="x">',
     '<img src="a.png" alt="">', '<IMG SRC="a.png">'],
)  # fmt: skip
def test_a_part_pagefind_could_need_is_kept(needed: str) -> None:
    page = f"a{FROM}b{needed}{TO}c{FROM}d{TO}e"
    assert cut(page) == f"a{FROM}b{needed}{TO}ce"


def test_a_mark_that_is_not_closed_keeps_the_rest() -> None:
    page = f"a{FROM}b{TO}c{FROM}d"
    assert cut(page) == f"ac{FROM}d"


def test_a_page_without_marks_is_handed_on_as_it_is() -> None:
    page = b"<p>Nothing to cut <img src='x'></p>"
    assert for_indexing(page) is page
    assert for_indexing(f"a{TO}b{FROM}c".encode()) == f"a{TO}b{FROM}c".encode()


def test_a_citations_marker_is_joined_to_the_word_before_it() -> None:
    """Pagefind leaves the marker out; the space before it showed in excerpts."""
    marker = '<span class="cite">[<a class="cite-ref" href="#cite-1">1</a>]</span>'
    page = f"<p>in a post \n {marker}. A wire {marker} said<em>so</em>{marker}</p>"
    assert cut(page) == f"<p>in a post{marker}. A wire{marker} said<em>so</em>{marker}</p>"
