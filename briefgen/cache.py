"""The persistent build cache: ``.briefgen-cache/`` at the site root.

It maps a content key (a hash of the file's path and bytes, briefgen's version and
the Markdown settings) to what the file parsed to, including its diagnostics. The
store is SQLite (standard library) holding JSON: plain data, decoded into a short
list of our own classes only, so a tampered or corrupt cache can cost a re-parse
but can never run code. Anything that fails to decode is a miss. The folder is
always safe to delete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

import markdown
import nh3

from . import __version__
from .diagnostics import Diagnostic, Location, Severity
from .markup import MARKDOWN_EXTENSIONS
from .model import Briefing, Citation, Page, Parsed

CACHE_DIR = ".briefgen-cache"
_SCHEMA = 1
_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (Parsed, Briefing, Page, Citation, Location, Diagnostic)
}
_SIMPLE = (str, int, bool)
T = TypeVar("T")


def settings_fingerprint() -> str:
    """Everything besides a file's bytes that decides what it parses to."""
    return json.dumps(
        [_SCHEMA, __version__, markdown.__version__, getattr(nh3, "__version__", ""),
         MARKDOWN_EXTENSIONS]
    )  # fmt: skip


def content_key(kind: str, rel: str, raw: bytes, fingerprint: str) -> str:
    digest = hashlib.sha256()
    for part in (fingerprint.encode(), kind.encode(), rel.encode("utf-8", "surrogateescape")):
        digest.update(part + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def encode(value: Any) -> Any:
    """Model values to JSON-ready data, tagging the types JSON lacks."""
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: encode(getattr(value, f.name)) for f in fields(value)}
        return {"__class__": type(value).__name__, **data}
    if isinstance(value, Severity):
        return {"__severity__": value.value}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    return value


def decode(data: Any) -> Any:
    """The inverse of :func:`encode`; raises ValueError on anything unexpected."""
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if not isinstance(data, dict):
        return data
    if "__severity__" in data:
        return Severity(data["__severity__"])
    if "__datetime__" in data:
        return dt.datetime.fromisoformat(data["__datetime__"])
    if "__date__" in data:
        return dt.date.fromisoformat(data["__date__"])
    cls = _CLASSES.get(data.get("__class__", ""))
    if cls is None:
        raise ValueError("unknown record in cache")
    values = {k: decode(v) for k, v in data.items() if k != "__class__"}
    hints = _hints(cls)
    for name, value in values.items():
        expected = hints.get(name)
        if expected in _SIMPLE and not isinstance(value, expected):
            raise ValueError(f"bad {name} in cached {cls.__name__}")
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(str(exc)) from None


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


class BuildCache:
    """A key-value store of parsed files; every failure degrades to a cache miss."""

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / "parsed.sqlite"
        self.fingerprint = settings_fingerprint()
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str]] = []
        try:
            self.path.parent.mkdir(exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data TEXT)")
        except (OSError, sqlite3.Error):
            self._reset()

    def _reset(self) -> None:
        """Start afresh after finding the store unreadable."""
        if self._db is not None:
            self._db.close()
        self._db = None
        try:
            self.path.unlink(missing_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data TEXT)")
        except (OSError, sqlite3.Error):
            self._db = None  # no cache this time; the build goes on without one

    def get_many(self, keys: set[str], kind: type[T]) -> dict[str, T]:
        """The cached values of ``keys`` that are present and decode to a ``kind``."""
        if self._db is None or not keys:
            return {}
        found = {}
        try:
            for key, data in self._db.execute("SELECT key, data FROM parsed"):
                if key in keys:
                    try:
                        value = decode(json.loads(data))
                    except (ValueError, TypeError, KeyError):
                        continue
                    if isinstance(value, kind):
                        found[key] = value
        except sqlite3.Error:
            self._reset()
            return {}
        return found

    def put(self, key: str, value: Any) -> None:
        self._pending.append((key, json.dumps(encode(value), ensure_ascii=False)))

    def close(self, keep: set[str]) -> None:
        """Store new entries and drop those of files no longer in the site."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", self._pending)
                self._db.execute("CREATE TEMP TABLE keep (key TEXT PRIMARY KEY)")
                self._db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keep))
                self._db.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM keep)")
        except sqlite3.Error:
            pass  # the cache is an optimisation: a build never fails because of it
        finally:
            self._db.close()
            self._db = None
