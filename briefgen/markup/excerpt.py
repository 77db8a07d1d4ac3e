"""A rendered body's opening as plain text: the description of a page that has no summary.

Search engines and link previews show a page's description under its title, so it
is the body's first sentence (or first few, when the first is short), without the
citation markers and footnote numbers that mean nothing out of the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from briefgen.markup.extension import GROUP_CLASS

SHORTEST = 50  # characters: a shorter first sentence is followed by the next
LONGEST = 160  # characters: about what a search result shows of a description

# Elements whose text is no prose of the body: citation groups ("[1; 2]"), footnote
# numbers and the footnotes themselves, code, and an assessment block's caption.
_SKIPPED_CLASSES = frozenset({GROUP_CLASS, "cite-ref", "footnote", "footnote-ref", "toc"})
_SKIPPED_TAGS = frozenset({"sup", "pre", "code", "figcaption", "script", "style", "template"})
_BLOCKS = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"})
_VOID = frozenset({"br", "hr", "img", "input", "wbr", "col", "area", "source", "track"})

# A sentence ends at '.', '!', '?' or '…' (and any closing quote or bracket after it)
# followed by a space, when what follows is no lower-case letter ("e.g. this").
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=\S)")


class _Text(HTMLParser):
    """The text of the first paragraph (or of the whole body when it has none)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: whether its text is skipped
        self.paragraph: list[str] = []
        self.all: list[str] = []
        self.in_paragraph = 0
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = tag in _SKIPPED_TAGS or bool(classes & _SKIPPED_CLASSES)
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))
        if tag == "p" and not self.stack[-1]:
            self.in_paragraph += 1
        elif tag in _BLOCKS:
            self.all.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.stack:
            return
        skipped = self.stack.pop()
        if tag == "p" and not skipped and self.in_paragraph:
            self.in_paragraph -= 1
            if "".join(self.paragraph).strip():
                self.done = True
        if tag in _BLOCKS:
            self.all.append(" ")

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1]:
            return
        self.all.append(data)
        if self.in_paragraph and not self.done:
            self.paragraph.append(data)


def plain_text(html: str, first_paragraph: bool = True) -> str:
    """The prose of ``html``, whitespace collapsed: of its first paragraph only, unless
    no paragraph has any or ``first_paragraph`` is false."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.paragraph).split()) if first_paragraph else ""
    return _tidy(text or " ".join("".join(parser.all).split()))


def opening(html: str, shortest: int = SHORTEST, longest: int = LONGEST) -> str:
    """The first sentence of ``html`` as plain text, with the next ones while it is
    shorter than ``shortest``; cut at a word and ended with '…' past ``longest``."""
    text = plain_text(html)
    end = 0
    for found in _SENTENCE_END.finditer(text):
        if text[found.end()].islower():
            continue
        end = found.end()
        if len(text[:end].rstrip()) >= shortest:
            break
    else:
        end = len(text)
    text = text[:end].rstrip()
    if len(text) <= longest:
        return text
    cut = text[: longest - 1].rsplit(" ", 1)[0] if " " in text[: longest - 1] else ""
    return (cut or text[: longest - 1]).rstrip(" ,;:–—-") + "…"


def _tidy(text: str) -> str:
    """Spaces that removed markers leave before punctuation ('said [1].' → 'said .')."""
    return re.sub(r"\s+([.,;:!?])", r"\1", text)
