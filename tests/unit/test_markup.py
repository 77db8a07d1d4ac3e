"""Rendering with only the extensions a body needs gives the HTML of rendering with all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.markup import BodyRenderer, sanitize

ALL = ("tables", "footnotes", "fenced_code", "attr_list")
PIECES = [
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Text[^1]\n\n[^1]: A note.\n",
    "```\ncode [@x]\n```\n",
    "# Heading {#custom .class}\n",
    "Paragraph with [@a] and [@b, p. 2].\n",
    "* item\n* item\n",
    "> quoted {not attr}\n",
    "~~~\nfenced\n~~~\n",
    "a | b\n",
    "## Main\n",
]


def full(text: str) -> str:
    md = BodyRenderer._new_markdown(ALL)
    return sanitize(md.convert(text))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=6))
def test_subset_renders_like_all_extensions(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    assert BodyRenderer().render(text).html == full(text)


def test_renderer_reuses_instances_across_bodies() -> None:
    renderer = BodyRenderer()
    for text in PIECES * 3:
        assert renderer.render(text).html == full(text)
