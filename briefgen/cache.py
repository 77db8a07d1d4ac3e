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
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import markdown
import nh3

from . import __version__
from .diagnostics import Diagnostic, Location, Severity
from .markup import MARKDOWN_EXTENSIONS
from .model import Briefing, Citation, Page, Parsed

CACHE_DIR = ".briefgen-cache"
_SCHEMA = 2
_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (Parsed, Briefing, Page, Citation, Location, Diagnostic)
}


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


Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _simple(kind: type) -> tuple[Encoder, Decoder]:
    def check(value: Any) -> Any:
        if not isinstance(value, kind):
            raise ValueError(f"expected {kind.__name__} in cache")
        return value

    return (lambda value: value), check


def _moment_codec() -> tuple[Encoder, Decoder]:
    def enc(value: Any) -> Any:
        if value is None:
            return None
        return ("t" if isinstance(value, dt.datetime) else "d") + value.isoformat()

    def dec(value: Any) -> Any:
        if value is None:
            return None
        if value[0] == "t":
            return dt.datetime.fromisoformat(value[1:])
        return dt.date.fromisoformat(value[1:])

    return enc, dec


def _optional(codec: tuple[Encoder, Decoder]) -> tuple[Encoder, Decoder]:
    enc, dec = codec
    return (lambda v: None if v is None else enc(v)), (lambda v: None if v is None else dec(v))


def _codec(hint: Any) -> tuple[Encoder, Decoder]:
    """How one field travels: chosen once per field from its type hint."""
    args = typing.get_args(hint)
    if hint in (str, int, bool):
        return _simple(hint)
    if hint is Severity:
        return (lambda v: v.value), Severity
    if set(args) >= {dt.date, dt.datetime}:
        return _moment_codec()
    if typing.get_origin(hint) is tuple:
        enc, dec = _codec(args[0])
        return (lambda v: [enc(x) for x in v]), (lambda v: tuple(dec(x) for x in v))
    if set(args) == {Briefing, Page, type(None)}:
        kinds = {"B": Briefing, "P": Page}
        codecs = {tag: _class_codec(cls) for tag, cls in kinds.items()}

        def enc_item(value: Any) -> Any:
            if value is None:
                return None
            tag = "B" if isinstance(value, Briefing) else "P"
            return [tag, codecs[tag][0](value)]

        def dec_item(value: Any) -> Any:
            return None if value is None else codecs[value[0]][1](value[1])

        return enc_item, dec_item
    if type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        return _optional(_codec(inner))
    if isinstance(hint, type) and hint in _CLASSES.values():
        return _class_codec(hint)
    raise TypeError(f"no cache codec for {hint!r}")


_CODECS: dict[type, tuple[Encoder, Decoder]] = {}


def _class_codec(cls: type) -> tuple[Encoder, Decoder]:
    """A dataclass as the list of its fields, in order.

    Fields of plain types are checked in place; the others are converted. (This is
    the hot path of a no-change build: one call per object, not one per field.)
    """
    if cls in _CODECS:
        return _CODECS[cls]
    names = [f.name for f in fields(cls)]
    hints = typing.get_type_hints(cls)
    plain = [(i, hints[name]) for i, name in enumerate(names) if hints[name] in (str, int, bool)]
    converted: list[tuple[int, Decoder]] = []
    encoders: list[Encoder] = []

    def enc(value: Any) -> Any:
        return [encoders[i](getattr(value, name)) for i, name in enumerate(names)]

    def dec(value: Any) -> Any:
        if type(value) is not list or len(value) != len(names):
            raise ValueError(f"bad {cls.__name__} in cache")
        for i, kind in plain:
            if not isinstance(value[i], kind):
                raise ValueError(f"bad {names[i]} of {cls.__name__} in cache")
        for i, convert in converted:
            value[i] = convert(value[i])
        return cls(*value)

    _CODECS[cls] = (enc, dec)
    for i, name in enumerate(names):
        encode_field, decode_field = _codec(hints[name])
        encoders.append(encode_field)
        if hints[name] not in (str, int, bool):
            converted.append((i, decode_field))
    return enc, dec


def encode(parsed: Parsed) -> Any:
    """A parsed file as JSON-ready data."""
    return _class_codec(Parsed)[0](parsed)


def decode(data: Any) -> Parsed:
    """The inverse of :func:`encode`; raises ValueError on anything unexpected."""
    try:
        return _class_codec(Parsed)[1](data)
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad cache entry: {exc}") from None


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

    def get_many(self, keys: set[str]) -> dict[str, Parsed]:
        """The cached values of ``keys`` that are present and decode cleanly."""
        if self._db is None or not keys:
            return {}
        found = {}
        try:
            for key, data in self._db.execute("SELECT key, data FROM parsed"):
                if key in keys:
                    try:
                        found[key] = decode(json.loads(data))
                    except ValueError:
                        continue
        except sqlite3.Error:
            self._reset()
            return {}
        return found

    def put(self, key: str, value: Parsed) -> None:
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
