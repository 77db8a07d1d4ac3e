"""Parsed values to plain JSON data and back, for the persistent cache.

A value is encoded as nested lists (a dataclass as the list of its fields, tagged
with its class), and decoded into a short list of briefgen's own classes only,
checking every field's type on the way: data that does not fit raises ValueError,
TypeError, IndexError or KeyError, which the store treats as a miss. Nothing read
back can choose a class to build or a function to call.

Every location in what a file parsed to is in that file, so a location travels as
its line and column alone and is decoded into the file the entry is read for: an
entry cannot point a diagnostic at another file, and its locations cost no text.

A briefing's claims travel apart (see :class:`model.StoredClaims`): the entry holds
the words of each (:func:`model.claim_words`), and :func:`encode_claims` makes the
claims themselves, which the store keeps beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import typing
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import fields
from typing import Any

from briefgen.diagnostics import Diagnostic, Location, Severity
from briefgen.model import (
    Body,
    Briefing,
    Citation,
    Claim,
    Claims,
    ContentLink,
    Correction,
    LinkedBody,
    Page,
    Parsed,
    References,
    StoredBody,
    StoredClaims,
    words_of,
)

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Parsed,
        Briefing,
        Page,
        References,
        Citation,
        Claim,
        ContentLink,
        Correction,
        Location,
        Diagnostic,
    )
}


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

    # A site's briefings and citations share few days: each decoded once, and shared.
    @functools.lru_cache(maxsize=4096)
    def dec(value: Any) -> Any:
        if value is None:
            return None
        if value[0] == "t":
            return dt.datetime.fromisoformat(value[1:])
        return dt.date.fromisoformat(value[1:])

    return enc, dec


# A date or moment as text ('d2023-06-01', 't2023-06-01T10:00:00+03:00'), and back, for
# the records that keep briefings' dates beside the cache (see outline.py).
moment_text, moment_of = _moment_codec()


# The fields that hold names many files repeat (a source's or a region's key, a tag, a
# language), by class: decoded into one object for all of them (sys.intern, which
# refuses anything but text), at 50,000 briefings tens of MB less in every process
# that holds the site.
_SHARED_NAMES = {
    Briefing: {"regions", "tags"},
    Citation: {"key", "source", "lang"},
}


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
        return (lambda v: [enc(x) for x in v]), (lambda v: tuple(map(dec, v)))
    if hint is Location:
        return _line_and_col, _location
    if set(args) == {Body, StoredBody, LinkedBody}:
        # Bodies travel beside the JSON (see _set_body): the decoder finds one in place.
        def dec_body(value: Any) -> Any:
            if not isinstance(value, Body | StoredBody):
                raise ValueError("expected a body in cache")
            return value

        return (lambda value: None), dec_body
    if set(args) == set(typing.get_args(Claims)):
        # The claims travel apart (see set_claims): the decoder finds them in place.
        def dec_claims(value: Any) -> Any:
            if not isinstance(value, tuple | StoredClaims):
                raise ValueError("expected claims in cache")
            return value

        return words_of, dec_claims
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


_FILE: ContextVar[str] = ContextVar("file")  # the file whose entry is encoded or decoded


def _line_and_col(value: Location) -> list[int]:
    if value.path != _FILE.get():
        raise ValueError(f"a location in {value.path!r}, not in the file parsed")
    return [value.line, value.col]


def _slot_setters(cls: type) -> list[Callable[[Any, Any], None]]:
    """What sets each field of ``cls`` on an instance made with ``object.__new__``.

    Decoding makes objects so, not through ``__init__``: a frozen dataclass's sets
    each field through ``object.__setattr__``, which made decoding a third slower.
    Only a slotted dataclass whose ``__init__`` does nothing more qualifies.
    """
    if "__slots__" not in vars(cls) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} cannot be decoded without its __init__")
    return [getattr(cls, f.name).__set__ for f in fields(cls)]


def _location(value: Any) -> Location:
    """Locations are most of a briefing's objects: checked in one go, each in the file
    the entry is for."""
    line, col = value
    if type(line) is not int or type(col) is not int:
        raise ValueError("bad Location in cache")
    location = _new(Location)
    _set_path(location, _FILE.get())
    _set_line(location, line)
    _set_col(location, col)
    return location


_new = object.__new__
_set_path, _set_line, _set_col = _slot_setters(Location)
_CODECS: dict[type, tuple[Encoder, Decoder]] = {}
_CLAIMS_AT = [f.name for f in fields(Parsed)].index("claims")
_BODY_AT = {
    tag: [f.name for f in fields(cls)].index("body") for tag, cls in (("B", Briefing), ("P", Page))
}


def _class_codec(cls: type) -> tuple[Encoder, Decoder]:
    """A dataclass as the list of its fields, in order."""
    if cls not in _CODECS:
        names = [f.name for f in fields(cls)]
        hints = typing.get_type_hints(cls)
        shared = {i for i, name in enumerate(names) if name in _SHARED_NAMES.get(cls, ())}
        codecs = [
            _names_codec(hints[name]) if i in shared else _codec(hints[name])
            for i, name in enumerate(names)
        ]
        encoders = [enc for enc, _ in codecs]

        def enc(value: Any) -> Any:
            return [encoders[i](getattr(value, name)) for i, name in enumerate(names)]

        _CODECS[cls] = enc, _decoder(cls, [hints[name] for name in names], codecs, shared)
    return _CODECS[cls]


def _names_codec(hint: Any) -> tuple[Encoder, Decoder]:
    """The codec of a field of shared names: a name, or a tuple of them."""
    if hint is str:
        return (lambda value: value), sys.intern
    if hint == tuple[str, ...]:
        return (lambda value: list(value)), (lambda value: tuple(map(sys.intern, value)))
    raise TypeError(f"no codec of shared names for {hint!r}")


def _decoder(
    cls: type, hints: list[Any], codecs: list[tuple[Encoder, Decoder]], shared: set[int]
) -> Decoder:
    """The decoder of ``cls``, written out for its fields (their count, the type of
    each plain one, the converter of each other) and compiled once: this is the hot
    path of every rebuild, one call per object. The code is made from briefgen's own
    type hints, never from data read back."""
    count = len(hints)
    values = [f"v{i}" for i in range(count)]
    checks = [f"type(v{i}) is not {hint.__name__}" for i, hint in enumerate(hints)
              if i not in shared and hint in (str, int, bool)]  # fmt: skip
    built = [
        f"v{i}" if i not in shared and hint in (str, int, bool) else f"c{i}(v{i})"
        for i, hint in enumerate(hints)
    ]
    source = (
        "def dec(value):\n"
        f"    if type(value) is not list or len(value) != {count}:\n"
        f"        raise ValueError('bad {cls.__name__} in cache')\n"
        f"    {', '.join(values)}, = value\n"
        f"    if {' or '.join(checks) or 'False'}:\n"
        f"        raise ValueError('bad field of {cls.__name__} in cache')\n"
        "    made = new(cls)\n"
        + "".join(f"    s{i}(made, {value})\n" for i, value in enumerate(built))
        + "    return made\n"
    )
    namespace: dict[str, Any] = {
        "cls": cls,
        "new": _new,
        **{f"c{i}": dec for i, (_, dec) in enumerate(codecs)},
        **{f"s{i}": setter for i, setter in enumerate(_slot_setters(cls))},
    }
    exec(source, namespace)
    decoder: Decoder = namespace["dec"]
    return decoder


def encode(parsed: Parsed, rel: str) -> Any:
    """What the file at ``rel`` parsed to, as JSON-ready data; raises ValueError when it
    holds a location in another file (no parse makes one)."""
    token = _FILE.set(rel)
    try:
        return _class_codec(Parsed)[0](parsed)
    finally:
        _FILE.reset(token)


def decode(data: Any, rel: str) -> Parsed:
    """The inverse of :func:`encode` for the file at ``rel``; raises ValueError on
    anything unexpected."""
    token = _FILE.set(rel)
    try:
        parsed: Parsed = _class_codec(Parsed)[1](data)
        return parsed
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad cache entry: {exc}") from None
    finally:
        _FILE.reset(token)


def encode_claims(claims: tuple[Claim, ...], rel: str) -> Any:
    """The claims of the file at ``rel`` as JSON-ready data, kept beside its entry."""
    token = _FILE.set(rel)
    try:
        return _CLAIM_LIST[0](claims)
    finally:
        _FILE.reset(token)


def decode_claims(data: Any, rel: str) -> tuple[Claim, ...]:
    """The inverse of :func:`encode_claims`; raises ValueError on anything unexpected."""
    token = _FILE.set(rel)
    try:
        if type(data) is not list:
            raise ValueError("bad claims in cache")
        claims: tuple[Claim, ...] = _CLAIM_LIST[1](data)
        return claims
    except (TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"bad claims in cache: {exc}") from None
    finally:
        _FILE.reset(token)


def stored_words(data: Any) -> tuple[int, ...]:
    """The words of each claim an encoded entry names (see :func:`model.claim_words`);
    raises ValueError unless each is a number of words, cited or not."""
    words = data[_CLAIMS_AT]
    if type(words) is not list or not all(type(w) is int and w != 0 for w in words):
        raise ValueError("bad claim words in cache")
    return tuple(words)


def set_claims(data: Any, claims: Claims) -> None:
    """Put a file's claims into its encoded entry, where they are decoded from."""
    data[_CLAIMS_AT] = claims


def set_body(data: Any, body: Body | StoredBody) -> None:
    """Put a body into an encoded parsed file, where its fields are decoded from.

    Bodies are stored beside the JSON, as plain text that costs no parsing (or, left
    in the store, nothing at all).
    """
    item = data[0]
    if item is not None:
        item[1][_BODY_AT[item[0]]] = body


_CLAIM_LIST = _codec(tuple[Claim, ...])
