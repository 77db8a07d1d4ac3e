"""The theme's words put into a rendered body: each English word the Markdown stage
wrote is replaced, and nothing else, as one expression over the whole body replaces
them (the reference below), on bodies as Markdown writes them and on any text made of
their pieces."""

from __future__ import annotations

import re

import markupsafe
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.markup.body import BodyRenderer
from briefgen.markup.wording import reword_body

_REFERENCE_RE = re.compile(
    r'(?P<frame><(?:pre|div class="table-scroll") tabindex="0" role="group" aria-label=")'
    r'(?P<name>Code|Table)"'
    r'|(?P<figure><figure class="assessment">\s*<figcaption>)Assessment</figcaption>'
    r'|(?P<back>class="footnote-backref" href="#fnref[^"]*" title=")'
    r'Jump back to footnote (?P<number>\d+) in the text"'
)


def word(which: str, number: int) -> object:
    return markupsafe.Markup("<b>{}</b> ").format(f"{which.upper()} {number}")


def reference(html: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match["frame"]:
            which, number, kept = match["name"].lower(), 0, match["frame"]
        elif match["figure"]:
            which, number, kept = "assessment", 0, match["figure"]
        else:
            which, number, kept = "footnote", int(match["number"]), match["back"]
        text = markupsafe.escape(str(word(which, number)).strip())
        return f"{kept}{text}" + ("</figcaption>" if match["figure"] else '"')

    return _REFERENCE_RE.sub(replace, html)


BODY = (
    "Text[^1] and more[^2].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n"
    "::: assessment\nOur view.\n:::\n\n[^1]: One.\n[^2]: Two.\n"
)


def test_every_word_of_a_body_is_replaced() -> None:
    html = BodyRenderer().render(BODY).html
    reworded = reword_body(html, word)
    assert reworded == reference(html) != html
    for english in ('"Code"', '"Table"', ">Assessment<", "Jump back"):
        assert english in html and english not in reworded
    for put in ("CODE 0", "TABLE 0", "ASSESSMENT 0", "FOOTNOTE 1", "FOOTNOTE 2"):
        assert f"&lt;b&gt;{put}&lt;/b&gt;" in reworded


PIECES = [
    '<pre tabindex="0" role="group" aria-label="Code">',
    '<div class="table-scroll" tabindex="0" role="group" aria-label="Table">',
    '<div tabindex="0" role="group" aria-label="Table">',
    ' tabindex="0" role="group" aria-label="Code"',
    '<pre tabindex="0" role="group" aria-label="Other">',
    '<figure class="assessment">\n<figcaption>Assessment</figcaption>',
    '<figure class="assessment"><figcaption>Ours</figcaption>',
    '<a class="footnote-backref" href="#fnref:1" title="Jump back to footnote 1 in the text">',
    'class="footnote-backref" href="#fnref:2" title="Jump back to footnote x in the text"',
    "<pre",
    '<div class="table-scroll"',
    '"',
    "<",
    " ",
    "x",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_any_text_is_reworded_as_one_expression_rewords_it(html: str) -> None:
    assert reword_body(html, word) == reference(html)
