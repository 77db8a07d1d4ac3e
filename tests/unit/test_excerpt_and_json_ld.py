"""Descriptions from body HTML, Open Graph locales, and JSON-LD safe in a script element."""

from __future__ import annotations

import json

import pytest

from briefgen.markup.excerpt import opening, plain_text
from briefgen.render.metadata import json_ld, og_locale

MARKER = '<span class="cite">[<a class="cite-ref" href="#cite-1" id="cite-ref-1-1">1</a>]</span>'
FOOTNOTE = '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (f"<p>Gladkov reported strikes on villages near Shebekino {MARKER}. More.</p>",
         "Gladkov reported strikes on villages near Shebekino."),
        (f"<p>Short. The governor said so{FOOTNOTE} on Telegram late at night. Third one.</p>",
         "Short. The governor said so on Telegram late at night."),
        ("<p>Prices rose, e.g. bread and milk, in the border districts of the region. Next.</p>",
         "Prices rose, e.g. bread and milk, in the border districts of the region."),
        ("<h2>Background</h2><p>Первая фраза о событиях в Белгородской области вчера. Вторая.</p>",
         "Первая фраза о событиях в Белгородской области вчера."),
        ("<ul><li>A list and nothing else</li></ul>", "A list and nothing else"),
        ("<pre><code>code only</code></pre>", ""),
        ("", ""),
    ],
)  # fmt: skip
def test_opening(html, expected):
    assert opening(html) == expected


def test_a_long_opening_is_cut_at_a_word():
    text = opening("<p>" + "word " * 60 + "end.</p>")
    assert len(text) <= 160 and text.endswith("word…")


def test_plain_text_of_the_whole_body():
    html = "<p>An earlier version named the wrong <em>district</em>.</p><p>Sorry.</p>"
    assert plain_text(html) == "An earlier version named the wrong district."
    assert plain_text(html, first_paragraph=False) == (
        "An earlier version named the wrong district. Sorry."
    )


@pytest.mark.parametrize(
    ("language", "locale"),
    [("en", "en_US"), ("ru", "ru_RU"), ("uk", "uk_UA"), ("de", "de_DE"), ("fr", "fr_FR"),
     ("en-GB", "en_GB"), ("pt_br", "pt_BR"), ("xx", "xx"), ("he", "he_IL"),
     ("ar", "ar")],  # the C library names it "ar_AA", and AA is no territory
)  # fmt: skip
def test_og_locale(language, locale):
    assert og_locale(language) == locale


def test_json_ld_is_safe_in_a_script_element():
    data = {"headline": "</script><!-- & -->", "name": "Шебекино"}
    text = str(json_ld(data))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "Шебекино" in text
    assert json.loads(text) == data
