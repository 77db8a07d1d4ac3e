"""The theme's words inside a rendered body, put in when a page is rendered.

A body is rendered once, cached, and shown in every language, so the few words the
Markdown stage writes into it are English: the names of the scrolling frames ("Code",
"Table"), the caption of an assessment left unnamed ("Assessment"), and the title of
a footnote's way back ("Jump back to footnote 1 in the text"). A page puts the words
of its site's language in their place, from the theme's ``body_word`` macro.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markupsafe

from briefgen.markup.fences import DEFAULT_LABEL

Word = Callable[[str, int], object]  # (which word, its number) -> the word, as text or Markup

_WORDS_RE = re.compile(
    r'(?P<frame><(?:pre|div class="table-scroll") tabindex="0" role="group" aria-label=")'
    r'(?P<name>Code|Table)"'
    rf'|(?P<figure><figure class="assessment">\s*<figcaption>){DEFAULT_LABEL}</figcaption>'
    r'|(?P<back>class="footnote-backref" href="#fnref[^"]*" title=")'
    r'Jump back to footnote (?P<number>\d+) in the text"'
)
_HINTS = ('role="group"', '<figure class="assessment">', "footnote-backref")


def reword_body(html: str, word: Word) -> str:
    """``html`` with each of its English words replaced by ``word(which, number)``:
    ``which`` is 'code', 'table', 'assessment' or 'footnote' (with its number)."""
    if not any(hint in html for hint in _HINTS):
        return html

    def replace(match: re.Match[str]) -> str:
        if match["frame"]:
            return f'{match["frame"]}{_text(word(match["name"].lower(), 0))}"'
        if match["figure"]:
            return f"{match['figure']}{_text(word('assessment', 0))}</figcaption>"
        return f'{match["back"]}{_text(word("footnote", int(match["number"])))}"'

    return _WORDS_RE.sub(replace, html)


def _text(value: object) -> str:
    """A word as the page holds it: escaped, its surrounding whitespace dropped."""
    return str(markupsafe.escape(str(value).strip()))
