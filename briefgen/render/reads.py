"""Which briefings a page read as it rendered, so that an edit re-renders only the
pages that showed what changed.

While a page renders, every briefing its templates read an attribute of (``b.title``,
``b.citations``, ``b | map(attribute='title')``) or hand to a function or macro
(``description(b)``, ``once(..., b)``) is noted: by what other pages may show of it
(its metadata) or, once anything of its body is read, by all of it. The page's key
holds those briefings' digests (see render/keys.py), and the next build reckons the
same briefings' digests again to tell whether the page would come out the same.
Everything a template reaches without reading a briefing (the site's lists, which
briefings they hold and in what order, the registries, the settings) is in every
page's key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from briefgen.model import Briefing
from briefgen.read.load import SHOWN

# What other pages may show of a briefing: each field its metadata digest covers and
# the properties made of them. Anything else read (the body, the claims found in it,
# a property added later) counts as reading all of it.
METADATA = frozenset(SHOWN) | {"retraction", "cited", "sources", "meta_digest"}


@dataclass
class Reads:
    """The paths of the briefings a page read: ``whole`` those it read anything of the
    body of, ``shown`` the others."""

    shown: set[str] = field(default_factory=set)
    whole: set[str] = field(default_factory=set)

    def note(self, briefing: Briefing, attribute: str | None = None) -> None:
        """``attribute`` of ``briefing`` was read; None: the briefing went to a call."""
        if attribute in METADATA:
            self.shown.add(briefing.path)
        else:
            self.whole.add(briefing.path)

    def sorted(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(shown, whole), each sorted, a briefing read whole in the second only."""
        return tuple(sorted(self.shown - self.whole)), tuple(sorted(self.whole))


_CURRENT: ContextVar[Reads | None] = ContextVar("reads", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Note the briefings read in this thread until the block ends."""
    reads = Reads()
    token = _CURRENT.set(reads)
    try:
        yield reads
    finally:
        _CURRENT.reset(token)


def read(briefing: Briefing, attribute: str | None = None) -> None:
    """Note that the page rendering in this thread read ``attribute`` of ``briefing``."""
    reads = _CURRENT.get()
    if reads is not None:
        reads.note(briefing, attribute)
