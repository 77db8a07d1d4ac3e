"""Pagefind's bundle put in a fixed order, so that the same site makes the same bytes;
and the files a bundle is made of, as its entry names them.

Pagefind keeps a page's filters in hash maps, so each run lists the filters, and the
values of each filter, in an order of its own; the files named after their content's
hash then change names too. Every other file of the bundle is the same from run to
run. This module sorts the filter files and the list of them in the language's
metadata, names them after their sorted content, and points the bundle's entry file
at the metadata's new name.

Those files are gzip-compressed: the signature ``pagefind_dcd``, then one CBOR value
made of arrays, text and unsigned integers only (what :func:`_decode` reads). A
bundle that holds anything else is left as Pagefind wrote it.

The entry names each language's metadata, and the metadata its pages (fragments),
the chunks of its index and its filters, each file named after a hash of what it
holds: :func:`files_named` reads them, for a bundle Pagefind made over the files of an
earlier one (see render/search.py).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from briefgen.untrusted import json_value

_SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
_FILTER_RE = re.compile(r"filter/(?P<lang>[^/]+)_[0-9a-f]+\.pf_filter")
_META_RE = re.compile(r"pagefind\.(?P<lang>[^/]+)_[0-9a-f]+\.pf_meta")
_UINT, _TEXT, _ARRAY = 0, 3, 4
NAME = r"[A-Za-z0-9-]+_[0-9a-f]+"  # a name Pagefind gives a file: 'en_1a2b3c4'
_NAME_RE = re.compile(NAME)


class _Unreadable(Exception):
    """Not a file of the format this module knows."""


def fixed_order(files: dict[str, bytes], folder: str) -> dict[str, bytes]:
    """``files`` (the bundle's, each path starting with ``folder``) with the filters in
    a fixed order; as they are when they are not in the format described above."""
    try:
        return _reordered(files, folder)
    except (_Unreadable, ValueError, KeyError, TypeError, OSError, EOFError):
        return files


def _reordered(files: dict[str, bytes], folder: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    renamed: dict[str, str] = {}  # old hash -> new hash, of filter files
    metas: list[tuple[str, Any]] = []
    for path, data in files.items():
        rel = path.removeprefix(folder)
        if _FILTER_RE.fullmatch(rel):
            name, values = _read(data)
            encoded = _encode([name, sorted(values, key=lambda pair: pair[0])])
            new = _hashed_name(rel, encoded, 7)
            renamed[_stem(rel)] = _stem(new)
            out[folder + new] = _pack(encoded)
        elif _META_RE.fullmatch(rel):
            metas.append((rel, _read(data)))
        else:
            out[path] = data
    entry = json.loads(out[folder + ENTRY])
    for rel, meta in metas:
        filters = meta[3]
        meta[3] = sorted([name, renamed.get(stem, stem)] for name, stem in filters)
        encoded = _encode(meta)
        new = _hashed_name(rel, encoded, 10)
        language = _META_RE.fullmatch(rel)["lang"]  # type: ignore[index]
        entry["languages"][language]["hash"] = _stem(new).removeprefix("pagefind.")
        out[folder + new] = _pack(encoded)
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    out[folder + ENTRY] = text.encode()
    return dict(sorted(out.items()))


def files_named(read: Callable[[str], bytes]) -> set[str] | None:
    """The files of a bundle, as paths inside it: its entry, and each language's
    metadata with the pages, index chunks and filters it names; ``read`` gives the
    bytes of one of them (raising OSError when it is missing). None when any of them
    is not in the format described above, or the metadata names anything else
    (sorting, which only a theme of a site's own asks for)."""
    try:
        languages = json_value(read(ENTRY))["languages"]
        named = {ENTRY}
        for language in languages.values():
            meta = f"pagefind.{_hashed(language['hash'])}.pf_meta"
            _, pages, chunks, filters, sorts, *_ = _read(read(meta))
            if sorts:
                return None
            named.add(meta)
            named.update(f"fragment/{_hashed(name)}.pf_fragment" for name, _ in pages)
            named.update(f"index/{_hashed(chunk[2])}.pf_index" for chunk in chunks)
            named.update(f"filter/{_hashed(name)}.pf_filter" for _, name in filters)
    except (_Unreadable, OSError, ValueError, LookupError, TypeError, AttributeError, EOFError):
        return None
    return named


def _hashed(name: Any) -> str:
    """``name``, when it is one Pagefind gives a file; raises ValueError otherwise."""
    if type(name) is not str or not _NAME_RE.fullmatch(name):
        raise ValueError(f"not a name of Pagefind's: {name!r}")
    return name


def _stem(rel: str) -> str:
    """'filter/en_1a2b3c4.pf_filter' -> 'en_1a2b3c4'."""
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _hashed_name(rel: str, content: bytes, digits: int) -> str:
    """``rel`` with the hash in its name replaced by one of ``content``."""
    folder, _, name = rel.rpartition("/")
    head, _, suffix = name.rpartition(".")
    prefix = head.rsplit("_", 1)[0]
    new = f"{prefix}_{hashlib.sha256(content).hexdigest()[:digits]}.{suffix}"
    return f"{folder}/{new}" if folder else new


def _read(data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(_SIGNATURE):
        raise _Unreadable("no signature")
    value, end = _decode(raw, len(_SIGNATURE))
    if end != len(raw):
        raise _Unreadable("trailing bytes")
    return value


def _pack(encoded: bytes) -> bytes:
    """A file of the bundle holding the CBOR value ``encoded``."""
    return gzip.compress(_SIGNATURE + encoded, mtime=0)


def _decode(raw: bytes, at: int) -> tuple[Any, int]:
    """The CBOR value at ``raw[at:]`` and where it ends."""
    major, info = raw[at] >> 5, raw[at] & 0x1F
    at += 1
    if info < 24:
        number = info
    elif info <= 27:
        size = 1 << (info - 24)
        number = int.from_bytes(raw[at : at + size], "big")
        at += size
    else:
        raise _Unreadable("indefinite length")
    if major == _UINT:
        return number, at
    if major == _TEXT:
        return raw[at : at + number].decode(), at + number
    if major == _ARRAY:
        items = []
        for _ in range(number):
            item, at = _decode(raw, at)
            items.append(item)
        return items, at
    raise _Unreadable(f"CBOR major type {major}")


def _encode(value: Any) -> bytes:
    """CBOR, in its shortest form, of arrays, text and unsigned integers."""
    if isinstance(value, bool) or not isinstance(value, int | str | list):
        raise _Unreadable(f"cannot encode {type(value).__name__}")
    if isinstance(value, int):
        return _UINTS[value] if 0 <= value < len(_UINTS) else _head(_UINT, value)
    if isinstance(value, str):
        data = value.encode()
        return _head(_TEXT, len(data)) + data
    return _head(_ARRAY, len(value)) + b"".join(map(_encode, value))


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise _Unreadable("number too large")


# The heads of the unsigned integers the filters hold most (a page's number within its
# part), made once: encoding a part's filters was mostly making them again.
_UINTS = tuple(_head(_UINT, number) for number in range(4096))
