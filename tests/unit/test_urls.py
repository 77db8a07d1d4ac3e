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
