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

# Each word's place, found by an expression that begins with what is written there
# (one that begins with '<' would be tried at every tag: 190 µs for a body of 6 KB
# with a table, against a few): a scrolling frame's name after its element's opening,
# an assessment's caption, a footnote's way back. No replacement can make another:
# each word is escaped, and holds no quote.
_FRAME_RE = re.compile(r'( tabindex="0" role="group" aria-label=")(Code|Table)"')
_FRAMES = ("<pre", '<div class="table-scroll"')
_FIGURE_RE = re.compile(
    rf'(<figure class="assessment">\s*<figcaption>){DEFAULT_LABEL}</figcaption>'
)
_BACK_RE = re.compile(
    r'(class="footnote-backref" href="#fnref[^"]*" title=")'
    r'Jump back to footnote (\d+) in the text"'
)


def reword_body(html: str, word: Word) -> str:
    """``html`` with each of its English words replaced by ``word(which, number)``:
    ``which`` is 'code', 'table', 'assessment' or 'footnote' (with its number)."""
    source = html

    def frame(match: re.Match[str]) -> str:
        if not source.endswith(_FRAMES, 0, match.start()):
            return match[0]
        return f'{match[1]}{_text(word(match[2].lower(), 0))}"'

    if 'role="group"' in html:
        html = _FRAME_RE.sub(frame, source)
    if '<figure class="assessment">' in html:
        html = _FIGURE_RE.sub(lambda m: f"{m[1]}{_text(word('assessment', 0))}</figcaption>", html)
    if "footnote-backref" in html:
        html = _BACK_RE.sub(lambda m: f'{m[1]}{_text(word("footnote", int(m[2])))}"', html)
    return html


def _text(value: object) -> str:
    """A word as the page holds it: escaped, its surrounding whitespace dropped."""
    return str(markupsafe.escape(str(value).strip()))
