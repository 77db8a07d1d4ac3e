from __future__ import annotations

import pytest

from briefgen import urls


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        ("", "", "./"),
        ("", "regions/x/", "regions/x/"),
        ("briefings/a/", "", "../../"),
        ("briefings/a/", "regions/x/", "../../regions/x/"),
        ("regions/x/page/2/", "regions/x/", "../../../../regions/x/"),
        ("feed.xml", "briefings/a/", "briefings/a/"),
        ("briefings/a/", "tags/война/", "../../tags/%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0/"),
    ],
)
def test_relative_links(start: str, target: str, expected: str) -> None:
    assert urls.relative(start, target) == expected


@pytest.mark.parametrize(
    ("text", "safe"),
    [("belgorod", True), ("Белгород", True), ("a.b-c_d", True), ("..", False), ("a/b", False),
     ("../x", False), (".hidden", False), ("", False), ("CON", False), ("a b", False)],
)  # fmt: skip
def test_safe_segments(text: str, safe: bool) -> None:
    assert urls.is_safe_segment(text) is safe


def test_slugify_keeps_letters_of_any_script() -> None:
    assert urls.slugify("Human Rights!") == "human-rights"
    assert urls.slugify("Беспилотники") == "беспилотники"
    assert urls.slugify("???") == ""
