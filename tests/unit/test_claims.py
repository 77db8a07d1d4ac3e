"""A body's claims, as rendering finds them: kind, line, words, keys and first words;
and its fenced blocks, with the lines of those that are wrong."""

from __future__ import annotations

import random
import re

import pytest

from briefgen.markup.body import BodyRenderer
from briefgen.markup.claims import count_words

Claim = tuple[str, int, int, tuple[str, ...], str]  # kind, line, words, keys, opening

CASES: dict[str, tuple[str, list[Claim]]] = {
    "paragraphs, by their first line": (
        "One two three [@a].\n\nFour five\nsix seven eight nine.\n",
        [
            ("paragraph", 1, 3, ("a",), "One two three."),
            ("paragraph", 3, 6, (), "Four five six seven eight…"),
        ],
    ),
    "the same text twice is found twice": (
        "Same words here.\n\nSame words here.\n\n```\nSame words here.\n```\n\nSame words here.\n",
        [("paragraph", line, 3, (), "Same words here.") for line in (1, 3, 9)],
    ),
    "a claim is found after code that holds its words": (
        "```\nLater text.\n```\n\nLater text.\n",
        [("paragraph", 5, 2, (), "Later text.")],
    ),
    "tight list items and a nested list": (
        "- first item [@a]\n- second item\n    - nested [@b] item\n",
        [
            ("list item", 1, 2, ("a",), "first item"),
            ("list item", 2, 2, (), "second item"),
            ("list item", 3, 2, ("b",), "nested item"),
        ],
    ),
    "a loose list's items are paragraphs": (
        "1. first\n\n    more of it [@a]\n\n2. second\n",
        [
            ("paragraph", 1, 1, (), "first"),
            ("paragraph", 3, 3, ("a",), "more of it"),
            ("paragraph", 5, 1, (), "second"),
        ],
    ),
    "table body rows, cells together": (
        "| h | i |\n|---|---|\n| x | y [@a] |\n|  | only |\n",
        [("table row", 3, 2, ("a",), "x y"), ("table row", 4, 1, (), "only")],
    ),
    "a block quote, and its lead-in's citation": (
        "> one\n> two\n\nHe said [@g]:\n\n> three four\n\nThen:\n\n> five\n",
        [
            ("block quote", 1, 2, (), "one two"),
            ("paragraph", 4, 2, ("g",), "He said:"),
            ("block quote", 6, 2, ("g",), "three four"),
            ("paragraph", 8, 1, (), "Then:"),
            ("block quote", 10, 1, (), "five"),
        ],
    ),
    "a footnote's citations count where it is referred to": (
        "Claim one.[^n] Claim two.[^m]\n\n[^n]: From [@a; @b].\n[^m]: Ours.\n",
        [("paragraph", 1, 4, ("a", "b"), "Claim one. Claim two.")],
    ),
    "headings, code, raw HTML, images and the table of contents are no claims": (
        "# Heading words\n\n    code words\n\n<div>raw words</div>\n\n![alt words](x.png)\n\n"
        "[TOC]\n",
        [],
    ),
    "escapes, entities and inline HTML as published": (
        "\\*Starred\\* &amp; <b>bold</b> &copy; x\tend\n",
        [("paragraph", 1, 4, (), "*Starred* & bold © x…")],
    ),
    "an assessment's paragraphs are no claims": (
        "Before.\n\n::: assessment\nOurs.\n\n- also ours\n:::\n\nAfter.\n",
        [("paragraph", 1, 1, (), "Before."), ("paragraph", 9, 1, (), "After.")],
    ),
    "a long opening is cut": (
        "Supercalifragilisticexpialidocious " * 4 + "\n",
        [("paragraph", 1, 4, (), ("Supercalifragilisticexpialidocious " * 3)[:79] + "…")],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_claims_of_a_body(name: str) -> None:
    text, expected = CASES[name]
    body = BodyRenderer().render(text)
    assert [(c.kind, c.line, c.words, c.keys, c.opening) for c in body.claims] == expected


FENCES: dict[str, tuple[str, str, list[tuple[int, str]]]] = {
    "nested blocks": (
        "::: assessment\nA.\n\n::: assessment Inner\nB.\n:::\nC.\n:::\nD.\n",
        '<figure class="assessment">\n<figcaption>Assessment</figcaption>\n<p>A.</p>\n'
        '<figure class="assessment">\n<figcaption>Inner</figcaption>\n<p>B.</p>\n</figure>\n'
        "<p>C.</p>\n</figure>\n<p>D.</p>",
        [],
    ),
    "a fence right after a paragraph's last line": (
        "Text.\n::: assessment\nOurs.\n:::\n",
        '<p>Text.</p>\n<figure class="assessment">\n<figcaption>Assessment</figcaption>\n'
        "<p>Ours.</p>\n</figure>",
        [],
    ),
    "in a list item": (
        "- item\n\n    ::: assessment\n    Ours.\n    :::\n",
        '<ul>\n<li>\n<p>item</p>\n<figure class="assessment">\n'
        "<figcaption>Assessment</figcaption>\n<p>Ours.</p>\n</figure>\n</li>\n</ul>",
        [],
    ),
    "the label is text, not Markdown": (
        "::: assessment *Our* [@a] <b>view</b> :::\nOurs.\n:::\n",
        '<figure class="assessment">\n<figcaption>*Our* [@a] &lt;b&gt;view&lt;/b&gt;'
        "</figcaption>\n<p>Ours.</p>\n</figure>",
        [],
    ),
    "a fence in code is code": (
        "```\n::: assessment\n```\n",
        '<pre tabindex="0" role="group" aria-label="Code"><code>::: assessment\n</code></pre>',
        [],
    ),
    "a wrong fence after one in code": (
        "```\n:::\n```\n\n:::\n",
        '<pre tabindex="0" role="group" aria-label="Code"><code>:::\n</code></pre>',
        [(5, "':::' closes no block")],
    ),
    "each wrong fence at its line": (
        "::: assessment\nA.\n:::\n\n:::\n\n::: note\nB.\n:::\n\n::: assessment\nC.\n",
        '<figure class="assessment">\n<figcaption>Assessment</figcaption>\n<p>A.</p>\n'
        '</figure>\n<div>\n<p>B.</p>\n</div>\n<figure class="assessment">\n'
        "<figcaption>Assessment</figcaption>\n<p>C.</p>\n</figure>",
        [
            (5, "':::' closes no block"),
            (7, "unknown block '::: note'"),
            (11, "'::: assessment' is not closed"),
        ],
    ),
}


@pytest.mark.parametrize("name", FENCES)
def test_fenced_blocks(name: str) -> None:
    text, html, problems = FENCES[name]
    body = BodyRenderer().render(text)
    assert body.html == html
    assert [(p.line, p.message) for p in body.fence_problems] == problems


# A claim's words in one regular expression: the plain statement of count_words().
_WORD_RUN = re.compile(r"\S*[^\W_]\S*")


@pytest.mark.parametrize(
    "text",
    [
        "Shelling resumed overnight, the governor said.",
        "— – … « » ! ?? 100% don't 3.5% x² ½ ۳",
        "snake_case _ __ _x_ a_b",
        "\u00a0non-breaking\u2003em\u2009thin\u200bzero-width\u3000ideographic\x1ccontrol",
        "Київ, Белгород: 12 000 ✓ 🙂 ١٢",
        "",
    ],
)
def test_words_are_runs_with_a_letter_or_digit(text: str) -> None:
    assert count_words(text) == len(_WORD_RUN.findall(text))


def test_words_are_counted_as_the_expression_counts_them_whatever_the_text() -> None:
    alphabet = "ab1_ -—.\u00a0\u2003\u200b\n'½é🙂"
    shuffle = random.Random(15)
    for _ in range(3000):
        text = "".join(shuffle.choices(alphabet, k=shuffle.randrange(0, 30)))
        assert count_words(text) == len(_WORD_RUN.findall(text)), repr(text)
