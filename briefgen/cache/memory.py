"""The preview's cache of parsed files, kept in memory while ``serve`` runs."""

from __future__ import annotations

from briefgen.cache.settled import Stamp
from briefgen.model import Parsed


class ParseCache:
    """Parsed files, reused while a file's size, times and inode are unchanged.

    The preview server keeps one across rebuilds, so an edit re-parses one file. A
    file that changed just before it was read is put under a stamp no file has (see
    :func:`cache.settled.as_kept`), so the next load parses it again.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Stamp, Parsed]] = {}
        self._timezone = ""

    def use_timezone(self, timezone: str) -> None:
        """Forget every entry if the site's timezone changed: what a file parsed to
        depends on it."""
        if timezone != self._timezone:
            self._entries = {}
            self._timezone = timezone

    @property
    def empty(self) -> bool:
        return not self._entries

    def get(self, rel: str, stamp: Stamp) -> Parsed | None:
        entry = self._entries.get(rel)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def entry(self, rel: str) -> Parsed | None:
        """What ``rel`` parsed to last time, however it has changed since."""
        entry = self._entries.get(rel)
        return entry[1] if entry is not None else None

    def put(self, rel: str, stamp: Stamp, parsed: Parsed) -> None:
        self._entries[rel] = (stamp, parsed)

    def replace_all(self, entries: dict[str, tuple[Stamp, Parsed]]) -> None:
        self._entries = entries
