"""The ids of the pages other pages link into, kept from one build to the next.

A source's pages link to the citations that quote it (``briefings/x/#cite-4``), so a
rebuild that renders a source's pages again (a new briefing moves every page of the
newest-first lists it joins) checks links into thousands of briefing pages it left
as they were. Reading each of those back and finding its ids took seconds at 10,000
briefings. So a build records the ids of every page its links were checked against,
with the page's key (see render/keys.py): a page is left as it was only with the key
it was rendered with and its file as that build wrote it, and the same key makes the
same bytes, so the ids recorded with that key are the ids its file holds.

The record is read back as untrusted: anything but a page's key and its ids, as
text, is no entry, and a page whose entry has another key is read from the output.
Its names are only looked up, never made into paths.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from briefgen.cache.folder import cache_folder, output_record, read_record, write_replacing

_VERSION = 1
_READ_FIRST = 100  # pages read back before the record is
_AT_ONCE = 1000  # entries made into text at a time


class AnchorRecord:
    """The ids of the pages linked to in the builds into one output folder, each with
    the key of the page they were found in.

    The record is about 400 bytes a briefing, and reading it (or writing it again)
    costs about what reading a hundred pages back does. So a rebuild that asks for the
    ids of fewer pages left as they were reads those pages, and one whose links went
    to fewer pages leaves the record as it is: the entries of the pages it rendered
    again no longer hold, and those pages are read back until a larger rebuild
    records them again.
    """

    def __init__(self, root: Path, out: Path, kind: str = "anchors") -> None:
        self.root = root
        self.path = output_record(root, out, kind)
        self._entries: dict[str, list[str]] | None = None  # read at the first need
        self._read = 0  # pages read back before the record was

    @property
    def entries(self) -> dict[str, list[str]]:
        if self._entries is None:
            self._entries = _read(self.path) if cache_folder(self.root) is not None else {}
        return self._entries

    def ids(self, rel: str, key: str, read: Callable[[str], str | None]) -> str | None:
        """The ids of the page ``rel``, left as it was with ``key``: as the record holds
        them with that key, else as ``read`` finds them in the output."""
        if self._entries is None and self._read < _READ_FIRST:
            self._read += 1
            return read(rel)
        entry = self.entries.get(rel)
        return entry[1] if entry is not None and key and entry[0] == key else read(rel)

    def save(self, offered: Mapping[str, str], keys: Mapping[str, str]) -> None:
        """Keep the ids ``offered`` by the pages linked to in this build, and the entries
        on record of the pages that still have the key on record, ``keys`` holding each
        page's key now; written only when that differs from the record."""
        if cache_folder(self.root) is None:
            return
        if self._entries is None and len(offered) <= _READ_FIRST and self.path.exists():
            return
        entries = {
            rel: entry
            for rel, entry in self.entries.items()
            if entry[0] and keys.get(rel) == entry[0]
        }
        for rel, text in offered.items():
            key = keys.get(rel)
            if key:
                entries[rel] = [key, text]
        if entries == self.entries:
            return
        with contextlib.suppress(OSError):  # only an optimisation: if lost, pages are read
            write_replacing(self.path, _text(entries))
        self._entries = entries


def _text(entries: dict[str, list[str]]) -> Iterator[str]:
    """The record as ``json.dumps`` writes it, made a thousand entries at a time: whole,
    its text at 50,000 briefings would be 20 MB at the end of a build, where the
    build holds the most."""
    yield f'{{"version": {_VERSION}, "pages": {{'
    items = iter(entries.items())
    first = True
    while batch := dict(itertools.islice(items, _AT_ONCE)):
        text = json.dumps(batch, ensure_ascii=False)[1:-1]
        yield text if first else ", " + text
        first = False
    yield "}}"


def _read(path: Path) -> dict[str, list[str]]:
    data = read_record(path, _VERSION)
    if data is None:
        return {}
    pages = data.get("pages")
    if not isinstance(pages, dict):
        return {}
    return {
        rel: entry
        for rel, entry in pages.items()
        if isinstance(entry, list) and len(entry) == 2 and all(type(item) is str for item in entry)
    }
