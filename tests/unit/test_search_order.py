"""Pagefind's bundle in a fixed order (briefgen/render/search_order.py)."""

from __future__ import annotations

import gzip
import json

import pytest

from briefgen.render.search_order import _decode, _encode, files_named, fixed_order

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
    for number in (23, 24, 255, 256, 4095, 4096, 65535, 65536):  # each side of each size
        encoded = _encode(number)
        assert _decode(encoded, 0) == (number, len(encoded))
        assert len(encoded) == 1 + (number >= 24) + (number >= 256) + 2 * (number >= 65536)
    with pytest.raises(ValueError):
        _encode(-1)  # no CBOR unsigned integer: fixed_order leaves such a bundle as it is


def _named(files: dict[str, bytes]) -> set[str] | None:
    def read(rel: str) -> bytes:
        try:
            return files[f"pagefind/{rel}"]
        except KeyError:
            raise FileNotFoundError(rel) from None

    return files_named(read)


def test_the_files_a_bundle_is_made_of_are_those_its_entry_and_metadata_name() -> None:
    files = bundle([["Russia", [0]]], [["region", "en_1111111"], ["year", "en_2222222"]])
    assert _named(files) == {
        "pagefind-entry.json",
        "pagefind.en_0123456789.pf_meta",
        "fragment/en_aaaaaaa.pf_fragment",
        "index/en_bbbbbbb.pf_index",
        "filter/en_1111111.pf_filter",
        "filter/en_2222222.pf_filter",
    }


@pytest.mark.parametrize(
    "meta",
    [
        ["1.5.2", [["en_aaaaaaa", 12]], [], [], [["date", "en_ccccccc"]], ["title"]],  # sorting
        ["1.5.2", [["../../x", 12]], [], [], [], ["title"]],
        ["1.5.2", [["en_aaaaaaa/x", 12]], [], [], [], ["title"]],
        ["1.5.2", [["en_aaaaaaa"]], [], [], [], ["title"]],
        ["1.5.2", [[12, 12]], [], [], [], ["title"]],
        ["1.5.2", [], [["a", "z"]], [], []],
        ["1.5.2", []],
        "1.5.2",
    ],
)
def test_metadata_naming_anything_else_names_no_files(meta: object) -> None:
    files = bundle([["Russia", [0]]], [])
    files["pagefind/pagefind.en_0123456789.pf_meta"] = pack(meta)
    assert _named(files) is None


def test_an_entry_or_metadata_not_as_pagefind_writes_them_names_no_files() -> None:
    files = bundle([["Russia", [0]]], [])
    assert _named({**files, "pagefind/pagefind-entry.json": b"{"}) is None
    assert _named({**files, "pagefind/pagefind-entry.json": b'{"languages": {"en": {}}}'}) is None
    assert _named({**files, "pagefind/pagefind.en_0123456789.pf_meta": b"not gzip"}) is None
    del files["pagefind/pagefind.en_0123456789.pf_meta"]
    assert _named(files) is None
