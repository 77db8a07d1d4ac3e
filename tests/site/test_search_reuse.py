"""A part of the search index made again over the files of the one it replaces: Pagefind
finds the pages and index chunks of the output's part where it writes, makes only what
changed, and the bundle is the one it makes from nothing (render/search.py, Run)."""

from __future__ import annotations

import gzip
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from briefgen.render import search
from briefgen.render.search import Run, make_index, reusable
from briefgen.render.search_binary import executable
from briefgen.render.search_parts import BUNDLE

PART = "pagefind/parts/2023-06-02/"
WORDS = ["shelling", "evacuation", "governor", "drones", "granary", "border", "buses", "morning"]


def _page(n: int, extra: str = "") -> tuple[str, bytes]:
    words = " ".join(WORDS[(n + k) % len(WORDS)] for k in range(40))
    html = (
        f'<!DOCTYPE html><html lang="en"><head><title>Briefing {n}</title></head><body>'
        f"<article data-pagefind-body><h1>Briefing {n}</h1><p>{words} number{n} {extra}</p>"
        f'<span data-pagefind-filter="region">Region {n % 3}</span></article></body></html>'
    )
    return f"briefings/b{n:02d}/index.html", html.encode()


def _held(tmp_path: Path, files: dict[str, bytes]) -> Path:
    """A folder holding ``files`` as an output holds them."""
    out = tmp_path / "out"
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


def _binary() -> Path:
    binary = executable()
    assert binary is not None
    return binary


def _fragment_of(files: dict[str, bytes], slug: str) -> str:
    """The fragment file of the page at /briefings/``slug``/."""
    url = f'"url":"/briefings/{slug}/"'.encode()
    found = [rel for rel, data in files.items()
             if "/fragment/" in rel and url in gzip.decompress(data)]  # fmt: skip
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("folder", [BUNDLE, PART])
def test_a_part_made_over_the_files_of_the_last_is_the_one_made_from_nothing(
    tmp_path, folder
) -> None:
    binary = _binary()
    before = [_page(n) for n in range(12)]
    out = _held(tmp_path, make_index(binary, before, folder))
    after = list(before)
    after[4] = _page(4, "a granary burned, and quokkas fled")
    fresh = make_index(binary, after, folder)
    kept = reusable([p.relative_to(out).as_posix() for p in out.rglob("*")], folder)
    assert len(kept) > 12
    again = Run(binary, after, folder, [(rel, out / rel) for rel in kept]).result()
    assert again == fresh
    stale = set(kept) - set(fresh)  # the edited page's fragment, a chunk or more
    assert stale and not stale & set(again)


def test_pagefind_finds_again_the_files_it_is_given_and_they_stay_as_they_were(
    tmp_path,
) -> None:
    """A page's fragment, named after what it holds, is not made again when Pagefind
    finds it: the bytes given are the bundle's. They are copies: the files given are
    left as they were."""
    binary = _binary()
    pages = [_page(n) for n in range(6)]
    made = make_index(binary, pages, BUNDLE)
    out = _held(tmp_path, made)
    given = _fragment_of(made, "b02")
    (out / given).write_bytes(b"found again")
    kept = reusable(made, BUNDLE)
    pages[3] = _page(3, "an edit")
    again = Run(binary, pages, BUNDLE, [(rel, out / rel) for rel in kept]).result()
    assert again[given] == b"found again"
    assert (out / given).read_bytes() == b"found again" and (out / given).stat().st_nlink == 1
    edited = _fragment_of({rel: data for rel, data in again.items() if rel != given}, "b03")
    assert edited != _fragment_of(made, "b03")


def test_a_bundle_holding_a_file_of_an_unknown_kind_is_made_again_from_nothing(
    tmp_path,
) -> None:
    binary = _binary()
    pages = [_page(n) for n in range(6)]
    made = make_index(binary, pages, BUNDLE)
    unknown = "pagefind/sort/en_1234567.pf_sort"
    out = _held(tmp_path, {**made, unknown: b"?"})
    given = [(rel, out / rel) for rel in [*reusable(made, BUNDLE), unknown]]
    assert Run(binary, pages, BUNDLE, given).result() == made


def test_a_file_given_that_cannot_be_read_is_made_by_pagefind(tmp_path) -> None:
    """A file of the output gone, or no longer a file, since the build looked at it:
    Pagefind makes it, and the part is made all the same."""
    binary = _binary()
    pages = [_page(n) for n in range(6)]
    made = make_index(binary, pages, BUNDLE)
    out = _held(tmp_path, made)
    kept = reusable(made, BUNDLE)
    gone, folder = kept[0], kept[1]
    (out / gone).unlink()
    (out / folder).unlink()
    (out / folder).mkdir()
    assert Run(binary, pages, BUNDLE, [(rel, out / rel) for rel in kept]).result() == made


@pytest.mark.parametrize("folder", [BUNDLE, PART])
def test_a_bundle_made_on_one_thread_is_the_one_made_on_every_core(folder) -> None:
    pages = [_page(n) for n in range(12)]
    alone = Run(_binary(), pages, folder, one_thread=True)
    assert alone.result() == make_index(_binary(), pages, folder)


@pytest.mark.parametrize("large", [False, True], ids=["small parts", "large parts"])
def test_pagefind_runs_on_one_thread_while_the_pages_render_and_on_every_core_after(
    make_site, monkeypatch, large
) -> None:
    """Each run of Pagefind on a small part begun while the build's processes render
    pages is given one thread; those begun once every page is rendered, all of them.
    Large parts (here every part is taken for one), made one at a time, are given all
    of them."""
    begun: list[tuple[bool, dict[str, str] | None]] = []
    rendered = []
    finish, popen = search.Indexer.finish, subprocess.Popen

    def finished(self: search.Indexer) -> search.Index:
        rendered.append(True)
        return finish(self)

    def spied(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        begun.append((bool(rendered), kwargs.get("env")))
        return popen(command, **kwargs)

    monkeypatch.setattr(search.Indexer, "finish", finished)
    monkeypatch.setattr(subprocess, "Popen", spied)
    if large:
        monkeypatch.setattr(search, "_PAGES_AT_ONCE", 0)
    texts = [_briefing(name, day, f"Report {name}") for day, name in enumerate("abcdef", 1)]
    site = make_site(
        SITE.replace("\nrequire_archive", "\nsearch_part_size: 1\nrequire_archive"), *texts
    )
    site.ok()
    assert len(begun) == 6 and not begun[0][0]
    for after_rendering, env in begun:
        one = {name: (env or os.environ).get(name) for name in search._ONE_THREAD}
        assert (one == search._ONE_THREAD) == (not after_rendering and not large), begun


def test_only_the_pages_and_chunks_of_a_bundle_are_found_again() -> None:
    files = [
        "pagefind/fragment/en_1a2b3c4.pf_fragment",
        "pagefind/index/en_5d6e7f8.pf_index",
        "pagefind/filter/en_1111111.pf_filter",
        "pagefind/pagefind.en_0123456789.pf_meta",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind.js",
        f"{PART}fragment/pt-br_abc.pf_fragment",
        f"{PART}index/en_abc.pf_index",
        "pagefind/parts/elsewhere/index/en_abc.pf_index",
        "pagefind/fragment/../en_abc.pf_fragment",
        "pagefind/fragment/en_abc.pf_fragment/x",
        "pagefind/index/en_abc.pf_index.gz",
        "briefings/x/index.html",
    ]
    assert reusable(files, BUNDLE) == files[:2]
    assert reusable(files, PART) == files[6:8]


SITE = """
-- content/site.yaml --
title: Border Watch
base_url: https://example.org/
require_archive: false
-- content/regions.yaml --
belgorod: {name: Belgorod Oblast}
-- content/sources.yaml --
gladkov: {name: Vyacheslav Gladkov, kind: official}
"""


def _briefing(name: str, day: int, text: str, tags: str = "[shelling]") -> str:
    return f"""
-- content/briefings/{name}.md --
---
title: Briefing {name}
date: 2023-06-{day:02d}
regions: [belgorod]
tags: {tags}
citations:
  g: {{source: gladkov, url: "https://t.me/vvgladkov/{day}"}}
---
{text} [@g].
"""


def _a(text: str = "Villages were shelled", tags: str = "[shelling]") -> str:
    return _briefing("a", 1, text, tags)


def _site_text(**edit: str) -> str:
    return (
        SITE
        + _a(**edit)
        + _briefing("b", 2, "Schools closed in the district")
        + _briefing("c", 3, "Buses left for the city")
    )


def _behind_the_builds_back(path: Path, data: bytes) -> None:
    """``path`` holding ``data`` of its size, with its time as it was: as the records
    see it, the file the last build left."""
    stat = path.stat()
    assert len(data) == stat.st_size
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param({"text": "Villages were shelled again"}, id="a patched body edit"),
        pytest.param({"tags": "[shelling, schools]"}, id="a build in full"),
    ],
)
def test_a_rebuild_makes_the_part_of_an_edit_over_the_files_the_output_holds(
    make_site, tmp_path, edit
) -> None:
    """Shown by a fragment changed behind the build's back, with its size and time as
    they were: the output is trusted by them, here as for every page left as it was,
    and the changed bytes are what Pagefind finds again. The rest of the bundle is the
    one a build from nothing makes."""
    site = make_site(_site_text())
    site.settle()
    site.ok()
    built = site.output_files()
    unchanged = _fragment_of(built, "c")
    planted = b"x" * len(built[unchanged])
    _behind_the_builds_back(site.out / unchanged, planted)
    site.write(_a(**edit))
    site.settle()
    result = site.ok("-v")
    assert ("parse the edit:" in result.err) == ("text" in edit), result.err
    after = site.output_files()
    assert after[unchanged] == planted
    fresh = make_site(_site_text(**edit), name="fresh")
    fresh.ok("--no-cache")
    assert {**after, unchanged: built[unchanged]} == fresh.output_files()
