"""A record read back from the cache is untrusted: anything but a JSON object of the
version asked for is no record."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.cache.folder import read_record


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b"\xff\xfe{}",  # not UTF-8
        b"[1, 2]",
        b'"version"',
        b"null",
        b'{"version": 1}',  # another version
        b'{"version": "2"}',
    ],
)
def test_anything_but_an_object_of_the_version_is_no_record(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(data)
    assert read_record(path, 2) is None


def test_a_record_of_the_version_is_read(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text('{"version": 2, "pages": {"a": 1}}', encoding="utf-8")
    assert read_record(path, 2) == {"version": 2, "pages": {"a": 1}}
    assert read_record(path) == {"version": 2, "pages": {"a": 1}}  # any version


def test_a_record_that_is_missing_or_a_folder_is_none(tmp_path: Path) -> None:
    assert read_record(tmp_path / "missing.json") is None
    assert read_record(tmp_path) is None
