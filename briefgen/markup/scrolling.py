"""Tables and code blocks as frames that scroll sideways, reachable by keyboard.

A wide table or a long line of code must not make a narrow page scroll sideways, so
each scrolls inside its own frame; a frame that scrolls must be reachable by keyboard
(one cannot scroll what one cannot focus) and be named, so each is a focusable group:
a code block is its own frame, a table is put in one. The theme's stylesheet gives
frames their scroll bars (``.table-scroll``, ``pre``).
"""

from __future__ import annotations

import re

_FRAME = 'tabindex="0" role="group"'
_NAMED_FRAME_RE = re.compile(
    r'(<(?:pre|div class="table-scroll") tabindex="0" role="group" aria-label=")(Code|Table)"'
)
_PRE_RE = re.compile(r"<pre(?=[\s>])", re.I)
_TABLE_RE = re.compile(r"<table(?=[\s>])", re.I)
_TABLE_END_RE = re.compile(r"</table\s*>", re.I)


def scroll_frames(html: str) -> str:
    """``html`` (as Markdown made it, before it is sanitised) with every code block a
    focusable group named "Code", and every table inside one named "Table"."""
    if "<pre" in html:
        html = _PRE_RE.sub(f'<pre {_FRAME} aria-label="Code"', html)
    if "<table" in html:
        html = _TABLE_RE.sub(f'<div class="table-scroll" {_FRAME} aria-label="Table"><table', html)
        html = _TABLE_END_RE.sub("</table></div>", html)
    return html
