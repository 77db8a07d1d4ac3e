"""Where Markdown's link text ends, found from the text's brackets alone.

A link's or image's text may hold brackets of its own ('[a [b] c](x)'), so
Python-Markdown finds where it ends by counting them: since 3.11.4, for every index
of a piece of text at once (``LinkInlineProcessor._findBracketEnds``), in a Python
loop over each of its characters, and again whenever a link before it has changed
the text. A body's paragraph with a link in it is a few thousand characters and a
few brackets, so that loop was about a twentieth of parsing a briefing.

Between one bracket and the next the count cannot change, so every index there has
the same end: :class:`BracketEnds` counts from bracket to bracket (found by a
regular expression) and looks an index's end up by the brackets before it. It gives
the end Markdown's list gives for every index (tests/unit/test_triggers.py), in
time that grows with the brackets, as Markdown's with the characters.
"""

from __future__ import annotations

import bisect
import re

_BRACKET = re.compile(r"[\[\]]")


class BracketEnds:
    """For each index of a text, the index just past the ']' that closes a '[' before
    it, or None if it never closes: what ``_findBracketEnds`` returns, indexed alike."""

    __slots__ = ("_brackets", "_ends", "_size")

    def __init__(self, data: str) -> None:
        self._size = len(data) + 1
        self._brackets = [match.start() for match in _BRACKET.finditer(data)]
        # The end of each stretch of indexes: the n-th runs up to the n-th bracket,
        # the last from the last bracket to the end of the text.
        self._ends: list[int | None] = [None] * (len(self._brackets) + 1)
        depth = 0
        waiting: list[tuple[int, int]] = []  # (stretch, its depth), depths rising
        for stretch, position in enumerate(self._brackets):
            waiting.append((stretch, depth))
            depth += 1 if data[position] == "[" else -1
            while waiting and depth < waiting[-1][1]:
                self._ends[waiting.pop()[0]] = position + 1

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, index: int) -> int | None:
        if not 0 <= index < self._size:
            raise IndexError(index)
        return self._ends[bisect.bisect_left(self._brackets, index)]
