"""Templates compiled by one build are run by the next, from a private folder of the
user's own (render/compiled.py), and never change a byte of the output."""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import bc_magic

SITE = """
-- content/sources.yaml --
dw: {name: Deutsche Welle, url: 'https://www.dw.com/'}
-- content/regions.yaml --
belgorod: {name: Belgorod Oblast}
-- content/briefings/shelling.md --
---
title: Border villages shelled
date: 2023-06-01
regions: [belgorod]
tags: [shelling]
citations:
  dw: {source: dw, url: 'https://www.dw.com/a-1'}
---
Villages near the border were shelled overnight, the regional governor said [@dw].
-- templates/base.html --
{% extends "default/base.html" %}
{% block footer %}<footer id="own-footer">First words</footer>{% endblock %}
"""


@pytest.fixture
def private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder compiled templates go to, under a temporary folder of the test's own."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return temporary / f"_jinja2-cache-{os.getuid()}"


def compiled(folder: Path) -> dict[str, int]:
    """The compiled templates in ``folder``, by name, with the time each was written."""
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("__briefgen_*.cache")}


def test_a_second_build_runs_what_the_first_compiled(make_site: Callable, private: Path) -> None:
    site = make_site(SITE)
    site.ok()
    first = compiled(private)
    assert len(first) >= 5  # the pages, base.html, its bundled parent, the partials
    assert (private.stat().st_mode & 0o777) == 0o700
    pages = site.output_files()

    site.ok("--out", site.root / "again")
    assert compiled(private) == first  # nothing compiled, so nothing written again
    assert site.output_files() == pages


def test_an_edited_template_is_compiled_again(make_site: Callable, private: Path) -> None:
    site = make_site(SITE)
    site.ok()
    first = compiled(private)
    site.write(SITE.replace("First words", "Second words"))
    site.ok()
    assert site.html("/").find(id="own-footer").text == "Second words"
    now = compiled(private)
    assert now.keys() == first.keys()
    assert len([name for name in now if now[name] != first[name]]) == 1  # base.html's alone


def test_damaged_entries_are_compiled_again(make_site: Callable, private: Path) -> None:
    site = make_site(SITE)
    site.ok()
    pages = site.output_files()
    for name in compiled(private):
        (private / name).write_bytes(b"j2\x80\x02K\x05.not what was written")
    site.ok("--out", site.root / "again")
    assert site.output_files() == pages
    assert all(b"not what was written" not in (private / n).read_bytes() for n in compiled(private))


def _code_apart(entry: bytes) -> tuple[bytes, bytes]:
    """An entry as what precedes its template's compiled code (Jinja's header, with
    the checksum of the template's source, and what comes before it), and that code."""
    stream = io.BytesIO(entry)
    stream.seek(entry.index(bc_magic) + len(bc_magic))
    pickle.load(stream)
    return entry[: stream.tell()], entry[stream.tell() :]


def test_an_entry_whose_code_is_not_its_own_is_compiled_again(
    make_site: Callable, private: Path
) -> None:
    """Jinja checks an entry's header (its template's source) alone: code damaged
    behind a sound header would run, and can crash the interpreter. The digest each
    entry holds finds it; here, the code of two entries swapped."""
    site = make_site(SITE)
    site.ok()
    pages = site.output_files()
    one, other = sorted(compiled(private))[:2]
    (head, code), (other_head, other_code) = (
        _code_apart((private / name).read_bytes()) for name in (one, other)
    )
    (private / one).write_bytes(head + other_code)
    (private / other).write_bytes(other_head + code)
    site.ok("--out", site.root / "again")
    assert site.output_files() == pages
    assert _code_apart((private / one).read_bytes())[1] == code


def test_a_link_in_place_of_the_folder_is_refused(make_site: Callable, private: Path) -> None:
    elsewhere = private.parent / "elsewhere"
    elsewhere.mkdir()
    private.symlink_to(elsewhere)
    site = make_site(SITE)
    site.ok()
    assert "First words" in site.text("/")
    assert list(elsewhere.iterdir()) == []


def test_without_the_cache_nothing_is_kept(make_site: Callable, private: Path) -> None:
    site = make_site(SITE)
    site.ok("--no-cache")
    assert "First words" in site.text("/")
    assert not private.exists() or compiled(private) == {}


def test_builds_without_the_cache_run_what_this_process_compiled(
    make_site: Callable, private: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept in memory alone: nothing is written, and an edited template is compiled
    again."""
    names: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def noting(env: jinja2.Environment, source: str, name: str | None = None,
               *args: object, **kwargs: object) -> object:  # fmt: skip
        names.append(name)
        return compile_template(env, source, name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", noting)
    site = make_site(SITE)
    site.ok("--no-cache", "--out", site.root / "first")
    first = site.output_files()
    names.clear()
    site.ok("--no-cache", "--out", site.root / "second")
    assert names == []  # nothing compiled again
    assert site.output_files() == first
    site.write(SITE.replace("First words", "Second words"))
    site.ok("--no-cache", "--out", site.root / "third")
    assert site.html("/").find(id="own-footer").text == "Second words"
    assert names == ["base.html"]  # the template edited alone
    assert not private.exists() or compiled(private) == {}
