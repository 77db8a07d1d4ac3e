"""Pagefind's bundle in a fixed order (briefgen/render/search_order.py)."""

from __future__ import annotations

import gzip
import json

from briefgen.render.search_order import _decode, _encode, fixed_order

SIGNATURE = b"pagefind_dcd"


def pack(value: object) -> bytes:
    return gzip.compress(SIGNATURE + _encode(value), mtime=0)


def unpack(data: bytes) -> object:
    raw = gzip.decompress(data)
    assert raw.startswith(SIGNATURE)
    return _decode(raw, len(SIGNATURE))[0]


def bundle(values: list[list[object]], filters: list[list[str]]) -> dict[str, bytes]:
    meta = ["1.5.2", [["en_aaaaaaa", 12]], [["a", "z", "en_bbbbbbb"]], filters, [], ["title"]]
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_0123456789", "page_count": 2}}}
    return {
        "pagefind/filter/en_1111111.pf_filter": pack(["region", values]),
        "pagefind/filter/en_2222222.pf_filter": pack(["year", [["2023", [0, 1]]]]),
        "pagefind/pagefind.en_0123456789.pf_meta": pack(meta),
        "pagefind/pagefind-entry.json": json.dumps(entry).encode(),
        "pagefind/pagefind.js": b"// untouched",
    }


def test_filters_and_their_values_are_sorted_and_named_after_their_content() -> None:
    one = fixed_order(
        bundle(
            [["Shebekino", [0]], ["Russia", [0, 1]], ["Belgorod Oblast", [0]]],
            [["year", "en_2222222"], ["region", "en_1111111"]],
        ),
        "pagefind/",
    )
    two = fixed_order(
        bundle(
            [["Russia", [0, 1]], ["Belgorod Oblast", [0]], ["Shebekino", [0]]],
            [["region", "en_1111111"], ["year", "en_2222222"]],
        ),
        "pagefind/",
    )
    assert one == two
    entry = json.loads(one["pagefind/pagefind-entry.json"])
    meta = unpack(one[f"pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert isinstance(meta, list)
    assert [name for name, _ in meta[3]] == ["region", "year"]
    region = unpack(one[f"pagefind/filter/{meta[3][0][1]}.pf_filter"])
    assert region == ["region", [["Belgorod Oblast", [0]], ["Russia", [0, 1]], ["Shebekino", [0]]]]
    assert one["pagefind/pagefind.js"] == b"// untouched"
    assert len(one) == 5


def test_a_bundle_in_another_format_is_left_as_pagefind_wrote_it() -> None:
    files = bundle([["Russia", [0]]], [["region", "en_1111111"]])
    files["pagefind/filter/en_1111111.pf_filter"] = gzip.compress(b"pagefind_dcd\xa1\x01\x02")
    assert fixed_order(files, "pagefind/") is files


def test_cbor_round_trip_of_long_text_big_numbers_and_long_arrays() -> None:
    value = ["x" * 300, 70_000, 5_000_000_000, list(range(30)), [], ""]
    encoded = _encode(value)
    assert _decode(encoded, 0) == (value, len(encoded))
