"""A body's links made absolute for feed readers (markup/absolute.py)."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from briefgen.markup.absolute import absolute_links

BASE = "https://example.org/briefs/briefings/a/"


@pytest.mark.parametrize(
    ("body", "made"),
    [
        ('<a href="../b/">b</a>', '<a href="https://example.org/briefs/briefings/b/">b</a>'),
        ('<img alt="m" src="../../img/m.png">', '<img alt="m" src="https://example.org/briefs/img/m.png">'),
        ('<blockquote cite="x/">q</blockquote>', '<blockquote cite="https://example.org/briefs/briefings/a/x/">q</blockquote>'),
        ('<a href="../b/?a=1&amp;b=2">b</a>', '<a href="https://example.org/briefs/briefings/b/?a=1&amp;b=2">b</a>'),
        # A '>' inside a value does not end the tag.
        ('<a title="1 > 0" href="../b/">b</a>', '<a title="1 > 0" href="https://example.org/briefs/briefings/b/">b</a>'),
        # A value that ends as a link attribute's name is no attribute of its own.
        ('<a href="https://x.org/" title="goes after href=">t</a> <a href="../b/">b</a>',
         '<a href="https://x.org/" title="goes after href=">t</a> <a href="https://example.org/briefs/briefings/b/">b</a>'),
        ('<img alt="a src=" src="../../m.png">', '<img alt="a src=" src="https://example.org/briefs/m.png">'),
        ('<p title="x src=">text</p><img src="m.png">', '<p title="x src=">text</p><img src="https://example.org/briefs/briefings/a/m.png">'),
    ],
)  # fmt: skip
def test_a_link_within_the_site_is_made_absolute(body, made):
    assert absolute_links(body, BASE) == made


@pytest.mark.parametrize(
    "body",
    [
        '<a href="#fn:1">1</a>',  # the entry's own anchor
        '<a href="https://other.example.net/x">x</a>',
        '<a href="mailto:desk@example.org">mail</a>',
        '<a href="//cdn.example.net/x">x</a>',
        '<a href="">empty</a>',
        '<p>Written as <code>&lt;a href="../b/"&gt;</code>, and a href="../b/" in text.</p>',
        '<p data-href="../b/">not a link</p>',
    ],
)
def test_everything_else_is_left_as_it_is(body):
    assert absolute_links(body, BASE) == body


def test_a_base_that_is_not_absolute_leaves_the_body_as_it_is():
    body = '<a href="../b/">b</a>'
    assert absolute_links(body, "/briefs/briefings/a/") == body


def test_markup_stays_markup_and_text_stays_text():
    assert isinstance(absolute_links(Markup('<a href="b/">b</a>'), BASE), Markup)
    made = absolute_links('<a href="b/">b</a>', BASE)
    assert type(made) is str
