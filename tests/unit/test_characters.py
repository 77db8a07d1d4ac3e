"""The characters a page may not hold are found in text and in encoded pages alike."""

from __future__ import annotations

import pytest

from briefgen.characters import FORBIDDEN_RE, forbidden_in, forbidden_in_page

# Every character of the Basic Multilingual Plane, and the last two of every plane.
CODE_POINTS = [
    *range(0x10000),
    *(p << 16 | low for p in range(1, 17) for low in (0xFFFD, 0xFFFE, 0xFFFF)),
]


@pytest.mark.parametrize("where", ["alone", "in text"])
def test_a_character_is_found_exactly_when_xml_or_html_forbids_it(where: str) -> None:
    wrong = []
    for code in CODE_POINTS:
        char = chr(code)
        text = char if where == "alone" else f"«Обстрел» — {char} a\u00a0b\n"
        expected = char if FORBIDDEN_RE.search(char) else ""
        if forbidden_in(text) != expected:
            wrong.append(f"U+{code:04X}")
    assert wrong == []


def test_a_page_is_checked_as_encoded() -> None:
    page = "<p>«Белгород» — ©\u00a0\ufffd 😀</p>\n".encode()
    assert forbidden_in_page(page) == ""
    assert forbidden_in_page(page + "\x85".encode()) == "\x85"
    assert forbidden_in_page(b"\x0b" + page) == "\x0b"
    assert forbidden_in_page(page + "\U0010ffff".encode()) == "\U0010ffff"
    assert forbidden_in_page(page + "\ufdd0".encode()) == "\ufdd0"
