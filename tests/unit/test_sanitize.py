"""The sanitiser: what a body may carry."""

from __future__ import annotations

from briefgen.markup.body import BodyRenderer
from briefgen.markup.sanitize import sanitize

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
