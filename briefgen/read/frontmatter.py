"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefgen.diagnostics import Diagnostics, Location
from briefgen.read.yamldoc import Positions, load_yaml

_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass(frozen=True)
class Document:
    """A parsed Markdown file: front matter data with positions, and the body."""

    meta: dict[str, Any]
    positions: Positions
    body: str
    body_line: int  # the line of the file on which the body starts (1-based)


def parse_document(text: str, origin: Location, diags: Diagnostics) -> Document | None:
    """Parse ``text``; report problems in ``diags`` and return ``None`` if unusable."""
    lines = text.split("\n")
    if not text.strip():
        diags.error(origin.at(1, 1), "file is empty", "start it with a '---' front matter block")
        return None
    if lines[0].rstrip() != _FENCE:
        diags.error(
            origin.at(1, 1),
            "missing front matter",
            "start the file with a line '---', the YAML fields, and another '---'",
        )
        return None
    close = _closing(lines)
    if close is None:
        diags.error(origin.at(1, 1), "front matter is not closed", "add a line '---' after it")
        return None
    loaded = load_yaml("\n".join(lines[1:close]), origin.at(2, 1), diags)
    if loaded is None:
        return None
    meta, positions = loaded
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        diags.error(
            origin.at(2, 1),
            "front matter must be a mapping of fields, like 'title: ...'",
        )
        return None
    body = "\n".join(lines[close + 1 :])
    return Document(meta, positions, body, close + 2)


def body_line(text: str) -> int:
    """The line of ``text`` on which its body starts: the one after its front matter,
    or 1 when it has none."""
    lines = text.split("\n")
    close = _closing(lines) if lines[0].rstrip() == _FENCE else None
    return 1 if close is None else close + 2


def _closing(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opened by ``lines[0]``."""
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSERS), None)
