"""JSON read back from disk: the cache's records, the output's manifest, a commit's
journal. Anyone who can write those files can write anything into them, so what they
hold is checked where it is used; this makes sure reading them fails only one way."""

from __future__ import annotations

import json
from typing import Any


def json_value(text: str | bytes) -> Any:
    """The value of the JSON ``text``; ValueError for any text that is not one, nested
    deeper than Python's stack included (which the decoder raises as RecursionError)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None
