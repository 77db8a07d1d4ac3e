"""The persistent build cache: ``.briefgen-cache/`` at the site root.

It maps a content key (a hash of the file's path and bytes, briefgen's version, the
Markdown settings, the site's timezone and ``file_urls``) to what the file parsed
to, including its diagnostics. The store is SQLite (standard library) holding JSON:
plain data, decoded into a short list of our own classes only, so a tampered or
corrupt cache can cost a re-parse but can never run code. Anything that fails to
decode is a miss. The folder is always safe to delete.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from briefgen.cache.codec import (
    decode,
    decode_claims,
    encode,
    encode_claims,
    set_body,
    set_claims,
    stored_words,
)
from briefgen.cache.folder import (
    CACHE_DIR,
    SCHEMA,
    cache_folder,
    settings_fingerprint,
)
from briefgen.cache.seal import holds, seal
from briefgen.cache.settled import Stamp
from briefgen.cache.trust import plausible_claims
from briefgen.markup.sanitize import sanitize
from briefgen.model import (
    Body,
    Claim,
    Claims,
    ClaimStore,
    Parsed,
    StoredBody,
    StoredClaims,
    claim_words,
)
from briefgen.untrusted import json_value

_CHANGED = f"{CACHE_DIR} changed during the build; build again"


class StoreChanged(LookupError):
    """What the store held for the file at ``rel`` is gone, and the file has changed
    since the build read it (None: the file is not known)."""

    def __init__(self, rel: str | None) -> None:
        super().__init__(_CHANGED)
        self.rel = rel


# What a file parses to again, for what the store no longer holds: the file at a path
# read anew, as the content key of its bytes and what they parse to; None when it
# cannot be read.
Again = Callable[[str], "tuple[str, Parsed] | None"]


def content_key(kind: str, rel: str, raw: bytes, fingerprint: str) -> str:
    digest = hashlib.sha256()
    for part in (fingerprint.encode(), kind.encode(), rel.encode("utf-8", "surrogateescape")):
        digest.update(part + b"\0")
    digest.update(raw)
    return digest.hexdigest()


_TABLES = (
    "CREATE TABLE IF NOT EXISTS parsed "
    "(key TEXT PRIMARY KEY, data TEXT, html TEXT, toc TEXT, claims TEXT, body_seal TEXT)",
    "CREATE TABLE IF NOT EXISTS files "
    "(rel TEXT PRIMARY KEY, mtime_ns INT, ctime_ns INT, inode INT, size INT, key TEXT)",
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT)",
)
# The tables as SQLite keeps them: a store whose schema reads otherwise (a column
# renamed, a byte changed) is made afresh, since its rows cannot be read as written.
_SCHEMA_TEXT = sorted(table.replace("IF NOT EXISTS ", "") for table in _TABLES)
# An entry whose body or claims are no text is no entry: it would fail only when a page
# shows the body, after the build has taken the entry's metadata.
_WHOLE = "typeof(html) = 'text' AND typeof(toc) = 'text' AND typeof(claims) = 'text'"
_INSERT = "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?, ?, ?)"
_STAMP = "mtime_ns, ctime_ns, inode, size"  # the columns of a file's stamp (cache.settled)
_DATABASE = "parsed.sqlite"
_DATABASE_FILES = ("", "-journal", "-wal", "-shm")  # what SQLite may make beside it
_AT_ONCE = 500  # keys a query names, within the least limit of SQLite's versions (999)


class Entry(NamedTuple):
    """What the store keeps of one parsed file: its value as JSON, and its body and
    claims apart.

    Made where the file is parsed: a worker process sends it to the main process in
    a third of the bytes and half the time the parsed objects take, and it need not
    be encoded there again.
    """

    data: str
    html: str
    toc: str
    claims: str  # JSON

    @classmethod
    def of(cls, value: Parsed, rel: str) -> Entry | None:
        """What the file at ``rel`` parsed to, as kept; None when it cannot be kept whole."""
        body = value.item.body if value.item is not None else Body("", "")
        try:
            data = json.dumps(encode(value, rel), ensure_ascii=False)
            claims = json.dumps(encode_claims(tuple(value.claims), rel), ensure_ascii=False)
        except ValueError:
            return None
        return cls(data, body.html, body.toc, claims)

    def value(
        self, rel: str, key: str, body: Body | StoredBody, store: ClaimStore | None
    ) -> Parsed:
        """The parsed value of the file at ``rel`` again, kept under ``key``, with its
        ``body`` where it is kept, and its claims left in ``store`` if given."""
        return _parsed(self.data, rel, key, body, self.claims if store is None else store)


def decoded(
    data: Any, rel: str, key: str, body: Body | StoredBody, claims: str | ClaimStore
) -> Parsed | None:
    """The entry ``data`` (its JSON, as stored under ``key``) decoded for the file at
    ``rel``, with its ``body`` where the store keeps it, and its ``claims``: their JSON,
    as stored, or the store that keeps them until they are read; None when it does
    not decode (a miss)."""
    try:
        return _parsed(data, rel, key, body, claims)
    except (ValueError, TypeError, IndexError, KeyError, RecursionError):  # the codec recurses too
        return None


def _parsed(
    data: Any, rel: str, key: str, body: Body | StoredBody, claims: str | ClaimStore
) -> Parsed:
    entry = json_value(data)
    set_body(entry, body)
    words = stored_words(entry)
    if not words:
        found: Claims = ()
    elif isinstance(claims, str):
        found = _claims(claims, rel, words)
    else:
        found = StoredClaims(claims, key, rel, words)
    set_claims(entry, found)
    return decode(entry, rel)


def _claims(text: Any, rel: str, words: tuple[int, ...]) -> tuple[Claim, ...]:
    """The claims stored for the file at ``rel`` as ``text``, if they are claims parsing
    could have made, with ``words``; else raises ValueError."""
    if not isinstance(text, str):
        raise ValueError("bad claims in cache")
    claims = decode_claims(json_value(text), rel)
    if claim_words(claims) != words or not plausible_claims(claims):
        raise ValueError("bad claims in cache")
    return claims


def stored_entries(path: Path) -> Iterator[tuple[Any, Any]]:
    """The key and JSON (see :func:`decoded`) of every entry of the store at ``path``,
    read from a connection of its own that only reads, as another process may; raises
    sqlite3.Error."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        yield from db.execute("SELECT key, data FROM parsed")


def store_fingerprint(timezone: str, file_urls: bool) -> str:
    """What entries are kept under besides the files' bytes (see :func:`content_key`)."""
    return json.dumps([settings_fingerprint(file_urls), timezone])


def store_path(root: Path) -> Path | None:
    """The store of the site at ``root``; None when there can be none: no cache folder
    of ours, or a database file that is a symbolic link."""
    path = root / CACHE_DIR / _DATABASE
    if cache_folder(root) is None or any(os.path.islink(f"{path}{end}") for end in _DATABASE_FILES):
        return None
    return path


def kept_entries(
    path: Path, fingerprint: str, stamps: Mapping[str, Stamp], reader: StoreReader
) -> dict[str, Parsed]:
    """What the store at ``path`` keeps for the files ``stamps`` (rel -> stamp) that are
    as the build that kept them saw them, under ``fingerprint``: decoded, bodies and
    claims left in the store for ``reader``, by rel; those that do not decode are left
    out. Only reads, through a connection of its own, and only the rows of those
    files: a patch wants a handful."""
    found: dict[str, Parsed] = {}
    rels = list(stamps)
    setting = "SELECT value FROM settings WHERE name = 'fingerprint'"
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                return {}
            if db.execute(setting).fetchone() != (fingerprint,):
                return {}
            for start in range(0, len(rels), _AT_ONCE):
                part = rels[start : start + _AT_ONCE]
                query = f"SELECT rel, {_STAMP}, key FROM files WHERE rel IN ({_marks(part)})"
                keys = {
                    key: rel
                    for rel, *stamp, key in db.execute(query, part)
                    if stamps.get(rel) == tuple(stamp) and isinstance(key, str)
                }
                query = f"SELECT key, data FROM parsed WHERE key IN ({_marks(keys)}) AND {_WHOLE}"
                for key, data in db.execute(query, list(keys)):
                    value = decoded(data, keys[key], key, reader.stored(key, keys[key]), reader)
                    if value is not None:
                        found[keys[key]] = value
    except sqlite3.Error:
        return {}
    return found


def entry_as_read(path: Path, fingerprint: str, rel: str, reader: StoreReader) -> Parsed | None:
    """What the store at ``path`` keeps for ``rel`` as the last build that kept it read
    it, under ``fingerprint``, whatever the file holds now; None when it keeps none
    that decodes. A patch of an edit compares the edit with it."""
    setting = "SELECT value FROM settings WHERE name = 'fingerprint'"
    query = (
        "SELECT parsed.key, data FROM files JOIN parsed ON files.key = parsed.key "
        f"WHERE rel = ? AND {_WHOLE}"
    )
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                return None
            if db.execute(setting).fetchone() != (fingerprint,):
                return None
            row = db.execute(query, (rel,)).fetchone()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    key, data = row
    return decoded(data, rel, key, reader.stored(key, rel), reader)


def _marks(values: Collection[Any]) -> str:
    """The parameters of ``... IN (...)`` for ``values``."""
    return ",".join("?" * len(values))


class BuildCache:
    """Parsed files by content key, and the key of each file by its stamp (its size,
    times and inode: see cache/settled.py).

    The second table spares a build reading and hashing files that have not been
    touched; bodies are kept out of the JSON so that loading them costs no parsing.
    Every failure degrades to a cache miss. The store holds the parses of one
    ``file_urls`` setting: opened with the other, it starts afresh.
    """

    def __init__(self, root: Path, timezone: str = "", file_urls: bool = False) -> None:
        """The store of the site at ``root``, for parsing in its ``timezone`` with its
        ``file_urls``: entries parsed otherwise are forgotten, like those of other code."""
        self.path = root / CACHE_DIR / _DATABASE
        self.timezone = timezone
        self.file_urls = file_urls
        self.fingerprint = store_fingerprint(timezone, file_urls)
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, str, str, str, str | None]] = []
        self._stamps: dict[str, tuple[Stamp, str]] = {}
        self._failed = False  # set once the store had to be reset after it was opened
        if store_path(root) is None:
            return  # no cache this time
        try:
            self._open()
            assert self._db is not None
            rows = self._db.execute(f"SELECT rel, {_STAMP}, key FROM files")
            self._stamps = {rel: (tuple(stamp), key) for rel, *stamp, key in rows}
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
        if version != SCHEMA or not self._as_written():
            for table in ("parsed", "files", "settings"):
                self._db.execute(f"DROP TABLE IF EXISTS {table}")
            self._db.execute(f"PRAGMA user_version = {SCHEMA}")
        for table in _TABLES:
            self._db.execute(table)
        query = "SELECT value FROM settings WHERE name = 'fingerprint'"
        if self._db.execute(query).fetchone() != (self.fingerprint,):
            # Other code, libraries or a new timezone parse differently: forget every
            # entry, and the keys of unchanged files too, made under the old fingerprint.
            with self._db:
                self._db.execute("BEGIN")
                self._db.execute("DELETE FROM parsed")
                self._db.execute("DELETE FROM files")
                self._db.execute(
                    "INSERT OR REPLACE INTO settings VALUES ('fingerprint', ?)", (self.fingerprint,)
                )

    def _as_written(self) -> bool:
        """True when the store's tables are as :data:`_TABLES` makes them, or none is."""
        assert self._db is not None
        query = "SELECT sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        found = [sql for (sql,) in self._db.execute(query)]
        return not found or sorted(found) == _SCHEMA_TEXT

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

    def known_key(self, rel: str, stamp: Stamp) -> str | None:
        """The content key of ``rel`` if it is as the last build saw it."""
        entry = self._stamps.get(rel)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def get_many(
        self,
        files: Mapping[str, str],
        reader: StoreReader | None = None,
        seen: Callable[[str, Any], None] | None = None,
    ) -> dict[str, Parsed]:
        """The cached values of ``files`` (key -> the file it is read for) that are
        present and decode cleanly.

        With ``reader``, each body and each briefing's claims are left in the store,
        to be read through ``reader`` when a page shows the body or a check the
        claims; else they are read now. ``seen`` is given the key and JSON of each
        entry of ``files`` as it is read, before it is decoded.
        """
        if self._db is None or not files:
            return {}
        columns = "key, data, '', '', ''" if reader else "key, data, html, toc, claims"
        found = {}
        try:
            rows = self._db.execute(f"SELECT {columns} FROM parsed WHERE {_WHOLE}")
            for key, data, html, toc, claims in rows:
                rel = files.get(key)
                if rel is not None:
                    if seen is not None:
                        seen(key, data)
                    body = (
                        reader.stored(key, rel)
                        if reader is not None
                        else StoredBody(_Unchecked(html, toc, self.file_urls), key)
                    )
                    value = decoded(data, rel, key, body, reader or claims)
                    if value is not None:
                        found[key] = value
        except sqlite3.Error:
            self._reset()
            return {}
        return found

    def put(self, key: str, rel: str, value: Parsed) -> None:
        """Keep what the file at ``rel`` parsed to (unless it cannot be kept whole)."""
        entry = Entry.of(value, rel)
        if entry is not None:
            self.keep(key, entry)

    def keep(self, key: str, entry: Entry) -> None:
        """Keep ``entry`` under ``key``, its body sealed (see :mod:`cache.seal`)."""
        body_seal = seal(key, entry.html, entry.toc)
        self._pending.append((key, entry.data, entry.html, entry.toc, entry.claims, body_seal))
        if len(self._pending) >= 256:
            self._flush()  # a cold build of a large site need not hold every entry twice

    def _flush(self) -> None:
        if self._db is not None and self._pending:
            try:
                with self._db:  # one transaction: a commit per row would cost a sync each
                    self._db.execute("BEGIN")
                    self._db.executemany(_INSERT, self._pending)
            except sqlite3.Error:
                self._reset()
        self._pending = []

    def close(self, files: dict[str, tuple[Stamp, str]]) -> bool:
        """Store new entries; keep only those of ``files`` (rel -> stamp and key).

        True when the store holds every entry of ``files`` now, and every entry it
        held when opened: bodies left in it can be read.
        """
        if self._db is None:
            return False
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(_INSERT, self._pending)
                self._db.execute("DELETE FROM files")
                rows = ((rel, *stamp, key) for rel, (stamp, key) in files.items())
                self._db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", rows)
                self._db.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM files)")
        except sqlite3.Error:
            return False  # the cache is an optimisation: a build never fails because of it
        finally:
            self._db.close()
            self._db = None
        return not self._failed

    def reader(self, again: Again | None = None) -> StoreReader:
        """What reads the bodies and claims left in the store; ``again`` parses a file
        anew (see :meth:`StoreReader.body` and :meth:`StoreReader.claims`)."""
        return StoreReader(self.path, self.file_urls, again)


class StoreReader:
    """Reads bodies and claims left in the store, in whichever process needs them: a
    body where a page shows it, claims where a check warns of them.

    Each process opens its own read-only connection on first use (a connection must
    not cross a fork). The last body read is kept, since a page asks for its HTML
    and its table of contents one after the other.
    """

    def __init__(
        self,
        path: Path,
        file_urls: bool = False,
        again: Again | None = None,
    ) -> None:
        self.path = path
        self.file_urls = file_urls
        self._again = again
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._last: tuple[str, Body] | None = None
        self._clean: dict[str, bytes] = {}  # key -> digest of a body known to be clean
        self._files: dict[str, str] = {}  # key -> the file whose body it keeps

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a worker process without its connection, which it opens anew."""
        return {**self.__dict__, "_db": None, "_pid": 0, "_last": None}

    def stored(self, key: str, rel: str) -> StoredBody:
        """The body of the file at ``rel``, left in the store under ``key``."""
        self._files[key] = rel
        return StoredBody(self, key)

    def written(self, key: str, html: str, toc: str) -> None:
        """Note that this build parsed ``key`` and stored its body: read back unchanged,
        it need not be sanitised again."""
        self._clean[key] = _digest(html, toc)

    def body(self, key: str) -> Body:
        """The body stored under ``key``, sanitised again unless it is known to be clean
        already: one this build wrote, one whose seal holds (see :mod:`cache.seal`), or
        one that came out of the sanitiser unchanged before (a body is shown on its
        page and in several feeds).

        One the store no longer holds is parsed again from its file, while that holds
        the bytes it was kept for: another command on the same site may have removed
        it meanwhile (a build of the other ``file_urls`` starts the store afresh, and
        any leaves in it only the entries of the files as it read them)."""
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        try:
            row = self._row("SELECT html, toc, body_seal FROM parsed WHERE key = ?", key)
            body = None if row is None else self._checked(key, *row)
        except (sqlite3.Error, ValueError):
            body = None
        if body is None:
            body = self._body_again(key)
        if body is None:
            raise StoreChanged(self._files.get(key))
        self._last = (key, body)
        return body

    def claims(self, key: str, rel: str, words: tuple[int, ...]) -> tuple[Claim, ...]:
        """The claims stored under ``key`` for the file at ``rel``, checked as every
        value read back is, and against the ``words`` its entry gave of each. Claims
        that fail are a miss found late: the file's claims are parsed again."""
        try:
            row = self._row("SELECT claims FROM parsed WHERE key = ?", key)
            if row is not None:
                return _claims(row[0], rel, words)
        except (sqlite3.Error, ValueError):
            pass
        found = self._again(rel) if self._again is not None else None
        if found is None:
            raise StoreChanged(rel)
        return tuple(found[1].claims)

    def _body_again(self, key: str) -> Body | None:
        """The body kept under ``key`` parsed again, if its file holds the same bytes."""
        rel = self._files.get(key)
        found = self._again(rel) if rel is not None and self._again is not None else None
        if found is None or found[0] != key or found[1].item is None:
            return None
        return Body(found[1].item.html, found[1].item.toc)

    def _row(self, query: str, key: str) -> tuple[Any, ...] | None:
        """The row ``query`` finds for ``key``, through this process's connection."""
        if self._pid != os.getpid():
            self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self._pid = os.getpid()
        assert self._db is not None
        row: tuple[Any, ...] | None = self._db.execute(query, (key,)).fetchone()
        return row

    def _checked(self, key: str, html: Any, toc: Any, body_seal: Any) -> Body:
        if not isinstance(html, str) or not isinstance(toc, str):
            raise ValueError("bad body in cache")
        if holds(body_seal, key, html, toc):
            return Body(html, toc)
        digest = _digest(html, toc)
        if self._clean.get(key) == digest:
            return Body(html, toc)
        body = _body(html, toc, self.file_urls)
        if (body.html, body.toc) == (html, toc):
            self._clean[key] = digest
        return body


def _digest(html: str, toc: str) -> bytes:
    digest = hashlib.blake2b(html.encode(), digest_size=16)
    digest.update(b"\0" + toc.encode())
    return digest.digest()


def _body(html: Any, toc: Any, file_urls: bool) -> Body:
    """A body read from the store, sanitised again: the store may have been tampered
    with (sanitised HTML comes out of the sanitiser as it went in)."""
    if not isinstance(html, str) or not isinstance(toc, str):
        raise ValueError("bad body in cache")
    return Body(sanitize(html, file_urls), sanitize(toc, file_urls))


class _Unchecked:
    """One body as read from the store, sanitised when a page first shows it: the
    preview reads every body at start but shows few of them."""

    __slots__ = ("_body", "_file_urls", "_raw")

    def __init__(self, html: Any, toc: Any, file_urls: bool) -> None:
        if not isinstance(html, str) or not isinstance(toc, str):
            raise ValueError("bad body in cache")
        self._file_urls = file_urls
        self._raw: tuple[str, str] | None = (html, toc)
        self._body: Body | None = None

    def body(self, key: str) -> Body:
        if self._raw is not None:
            self._body, self._raw = _body(*self._raw, self._file_urls), None
        assert self._body is not None
        return self._body
