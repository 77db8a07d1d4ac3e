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
import functools
import hashlib
import json
import operator
import os
import sqlite3
import sys
import typing
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import markdown
import nh3
import yaml

from . import __version__
from .diagnostics import Diagnostic, Location, Severity
from .markup import sanitize
from .model import Body, BodyStore, Briefing, Citation, Page, Parsed, StoredBody

CACHE_DIR = ".briefgen-cache"
_SCHEMA = 5
_CLASSES: dict[str, type] = {
    cls.__name__: cls for cls in (Parsed, Briefing, Page, Citation, Location, Diagnostic)
}


@functools.cache
def settings_fingerprint() -> str:
    """Everything besides a file's bytes that decides what it parses to: briefgen's own
    code (its Markdown extensions, allow-lists and checks) and the libraries it uses."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    libraries = [markdown.__version__, getattr(nh3, "__version__", ""), yaml.__version__]
    return json.dumps([_SCHEMA, __version__, sys.version, *libraries, digest.hexdigest()])


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
    if hint is Location:
        return (lambda v: [v.path, v.line, v.col]), _location
    if set(args) == {Body, StoredBody}:
        # Bodies travel beside the JSON (see _set_body): the decoder finds one in place.
        def dec_body(value: Any) -> Any:
            if not isinstance(value, Body | StoredBody):
                raise ValueError("expected a body in cache")
            return value

        return (lambda value: None), dec_body
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


def _location(value: Any) -> Location:
    """Locations are most of a briefing's objects: checked in one go, and their file
    names shared (a briefing's dozens of locations name the same file)."""
    path, line, col = value
    if type(path) is not str or type(line) is not int or type(col) is not int:
        raise ValueError("bad Location in cache")
    return Location(sys.intern(path), line, col)


_CODECS: dict[type, tuple[Encoder, Decoder]] = {}
_BODY_AT = {
    tag: [f.name for f in fields(cls)].index("body") for tag, cls in (("B", Briefing), ("P", Page))
}


def _class_codec(cls: type) -> tuple[Encoder, Decoder]:
    """A dataclass as the list of its fields, in order.

    Fields of plain types are checked in place; the others are converted. (This is
    the hot path of a no-change build: one call per object, not one per field.)
    """
    if cls in _CODECS:
        return _CODECS[cls]
    names = [f.name for f in fields(cls)]
    hints = typing.get_type_hints(cls)
    plain = [i for i, name in enumerate(names) if hints[name] in (str, int, bool)]
    plain_values: Callable[[list[Any]], tuple[Any, ...]] | None = None
    if len(plain) > 1:
        plain_values = operator.itemgetter(*plain)
    elif plain:
        (only,) = plain
        plain_values = lambda value: (value[only],)  # noqa: E731
    plain_types = tuple(hints[names[i]] for i in plain)
    converted: list[tuple[int, Decoder]] = []
    encoders: list[Encoder] = []

    def enc(value: Any) -> Any:
        return [encoders[i](getattr(value, name)) for i, name in enumerate(names)]

    def dec(value: Any) -> Any:
        if type(value) is not list or len(value) != len(names):
            raise ValueError(f"bad {cls.__name__} in cache")
        if plain_values is not None and tuple(map(type, plain_values(value))) != plain_types:
            raise ValueError(f"bad field of {cls.__name__} in cache")
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
        parsed: Parsed = _class_codec(Parsed)[1](data)
        return parsed
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad cache entry: {exc}") from None


_TABLES = (
    "CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, data TEXT, html TEXT, toc TEXT)",
    "CREATE TABLE IF NOT EXISTS files (rel TEXT PRIMARY KEY, mtime_ns INT, size INT, key TEXT)",
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT)",
)
_DATABASE = "parsed.sqlite"
_DATABASE_FILES = ("", "-journal", "-wal", "-shm")  # what SQLite may make beside it


def cache_folder(root: Path) -> Path | None:
    """The cache folder of the site at ``root``, made if need be.

    None when it cannot be trusted to keep what is written inside the site (it is a
    symbolic link, or no folder): the build then goes on without a cache. A
    repository can carry such a link, so a pull request could otherwise have a
    build write where the link leads.
    """
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        if folder.is_symlink() or not folder.is_dir():
            return None
        ignore = folder / ".gitignore"
        if not os.path.lexists(ignore):
            with open(ignore, "x", encoding="utf-8") as file:
                file.write("*\n")
    except OSError:
        return None
    return folder


def write_replacing(path: Path, text: str) -> None:
    """Write ``path`` through a new temporary file, never through a link planted there."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    with open(temporary, "x", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


class BuildCache:
    """Parsed files by content key, and the key of each file by its size and time.

    The second table spares a build reading and hashing files that have not been
    touched; bodies are kept out of the JSON so that loading them costs no parsing.
    Every failure degrades to a cache miss.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / _DATABASE
        self.fingerprint = settings_fingerprint()
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str, str]] = []
        self._stamps: dict[str, tuple[int, int, str]] = {}
        self._failed = False  # set once the store had to be reset after it was opened
        folder = cache_folder(root)
        if folder is None or any(os.path.islink(f"{self.path}{end}") for end in _DATABASE_FILES):
            return  # no cache this time
        try:
            self._open()
            assert self._db is not None
            rows = self._db.execute("SELECT rel, mtime_ns, size, key FROM files")
            self._stamps = {rel: (mtime, size, key) for rel, mtime, size, key in rows}
        except (OSError, sqlite3.Error):
            self._reset()
        self._failed = False

    @property
    def usable(self) -> bool:
        return self._db is not None

    @property
    def empty(self) -> bool:
        """True when the store has no entries (it keeps those of the files it knows)."""
        return not self._stamps

    def _open(self) -> None:
        self._db = sqlite3.connect(self.path, isolation_level=None)
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version != _SCHEMA:
            self._db.execute("DROP TABLE IF EXISTS parsed")
            self._db.execute("DROP TABLE IF EXISTS files")
            self._db.execute(f"PRAGMA user_version = {_SCHEMA}")
        for table in _TABLES:
            self._db.execute(table)
        query = "SELECT value FROM settings WHERE name = 'fingerprint'"
        if self._db.execute(query).fetchone() != (self.fingerprint,):
            # Other code or libraries parse differently: forget every entry, and the
            # keys of unchanged files too, which were made under the old fingerprint.
            with self._db:
                self._db.execute("BEGIN")
                self._db.execute("DELETE FROM parsed")
                self._db.execute("DELETE FROM files")
                self._db.execute(
                    "INSERT OR REPLACE INTO settings VALUES ('fingerprint', ?)", (self.fingerprint,)
                )

    def _reset(self) -> None:
        """Start afresh after finding the store unreadable."""
        self._failed = True
        if self._db is not None:
            self._db.close()
        self._db = None
        self._stamps = {}
        try:
            self.path.unlink(missing_ok=True)
            self._open()
        except (OSError, sqlite3.Error):
            self._db = None  # no cache this time; the build goes on without one

    def known_key(self, rel: str, stamp: tuple[int, int]) -> str | None:
        """The content key of ``rel`` if it is as the last build saw it."""
        entry = self._stamps.get(rel)
        return entry[2] if entry is not None and entry[:2] == stamp else None

    def get_many(self, keys: set[str], bodies: BodyStore | None = None) -> dict[str, Parsed]:
        """The cached values of ``keys`` that are present and decode cleanly.

        With ``bodies``, each body is left in the store, to be read from ``bodies``
        when a page shows it; else bodies are read now.
        """
        if self._db is None or not keys:
            return {}
        columns = "key, data, '', ''" if bodies else "key, data, html, toc"
        found = {}
        try:
            for key, data, html, toc in self._db.execute(f"SELECT {columns} FROM parsed"):
                if key in keys:
                    try:
                        entry = json.loads(data)
                        body = StoredBody(bodies or _Unchecked(html, toc), key)
                        _set_body(entry, body)
                        found[key] = decode(entry)
                    except (ValueError, TypeError, IndexError, KeyError):
                        continue
        except sqlite3.Error:
            self._reset()
            return {}
        return found

    def put(self, key: str, value: Parsed) -> None:
        body = value.item.body if value.item is not None else Body("", "")
        data = json.dumps(encode(value), ensure_ascii=False)
        self._pending.append((key, data, body.html, body.toc))
        if len(self._pending) >= 256:
            self._flush()  # a cold build of a large site need not hold every entry twice

    def _flush(self) -> None:
        if self._db is not None and self._pending:
            try:
                with self._db:  # one transaction: a commit per row would cost a sync each
                    self._db.execute("BEGIN")
                    self._db.executemany(
                        "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)", self._pending
                    )
            except sqlite3.Error:
                self._reset()
        self._pending = []

    def close(self, files: dict[str, tuple[int, int, str]]) -> bool:
        """Store new entries; keep only those of ``files`` (rel -> stamp and key).

        True when the store holds every entry of ``files`` now, and every entry it
        held when opened: bodies left in it can be read.
        """
        if self._db is None:
            return False
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)", self._pending
                )
                self._db.execute("DELETE FROM files")
                rows = ((rel, *entry) for rel, entry in files.items())
                self._db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", rows)
                self._db.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM files)")
        except sqlite3.Error:
            return False  # the cache is an optimisation: a build never fails because of it
        finally:
            self._db.close()
            self._db = None
        return not self._failed

    def bodies(self) -> BodyReader:
        return BodyReader(self.path)


class BodyReader:
    """Reads bodies from the store, in whichever process renders the page.

    Each process opens its own read-only connection on first use (a connection must
    not cross a fork). The last body read is kept, since a page asks for its HTML
    and its table of contents one after the other.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._last: tuple[str, Body] | None = None
        self._written: set[str] = set()

    def written(self, key: str) -> None:
        """Note that this build parsed ``key`` and stored its body: a body it wrote
        itself need not be sanitised again."""
        self._written.add(key)

    def body(self, key: str) -> Body:
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        try:
            if self._pid != os.getpid():
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
                self._pid = os.getpid()
            assert self._db is not None
            query = "SELECT html, toc FROM parsed WHERE key = ?"
            row = self._db.execute(query, (key,)).fetchone()
            body = None if row is None else _body(row[0], row[1], clean=key not in self._written)
        except (sqlite3.Error, ValueError):
            body = None
        if body is None:
            raise LookupError(f"{CACHE_DIR} changed during the build; build again")
        self._last = (key, body)
        return body


def _body(html: Any, toc: Any, clean: bool = True) -> Body:
    """A body read from the store; sanitised again when ``clean``, since the store may
    have been tampered with (sanitised HTML comes out of the sanitiser as it went in)."""
    if not isinstance(html, str) or not isinstance(toc, str):
        raise ValueError("bad body in cache")
    return Body(sanitize(html), sanitize(toc)) if clean else Body(html, toc)


class _Unchecked:
    """One body as read from the store, sanitised when a page first shows it: the
    preview reads every body at start but shows few of them."""

    __slots__ = ("_body", "_raw")

    def __init__(self, html: Any, toc: Any) -> None:
        if not isinstance(html, str) or not isinstance(toc, str):
            raise ValueError("bad body in cache")
        self._raw: tuple[str, str] | None = (html, toc)
        self._body: Body | None = None

    def body(self, key: str) -> Body:
        if self._raw is not None:
            self._body, self._raw = _body(*self._raw), None
        assert self._body is not None
        return self._body


def _set_body(data: Any, body: Body | StoredBody) -> None:
    """Put a body into an encoded parsed file, where its fields are decoded from.

    Bodies are stored beside the JSON, as plain text that costs no parsing (or, left
    in the store, nothing at all).
    """
    item = data[0]
    if item is not None:
        item[1][_BODY_AT[item[0]]] = body
