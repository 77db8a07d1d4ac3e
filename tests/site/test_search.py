"""Search: what the pages tell Pagefind, the search page and box, the index written with
the output (and only with a good build), and ``search: false``. The index is searched
in Chromium by tests/serve/test_search_browser.py."""

from __future__ import annotations

import gzip
import html
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SITE = """
-- content/site.yaml --
title: Border Watch
base_url: https://example.org/
require_archive: false
-- content/regions.yaml --
russia: {name: Russia}
belgorod: {name: Belgorod Oblast, parent: russia}
shebekino: {name: Shebekino, parent: belgorod}
kursk: {name: Kursk Oblast, parent: russia}
-- content/sources.yaml --
gladkov: {name: Vyacheslav Gladkov, kind: official}
dw: {name: Deutsche Welle, kind: broadcaster}
-- content/briefings/shebekino.md --
---
title: Shebekino granary burns
date: 2023-06-02
regions: [shebekino, kursk]
tags: [drones, Farming]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/1", quote: Горит зерносклад., lang: ru}
  d: {source: dw, url: "https://www.dw.com/x"}
---
A drone set the granary of a collective farm on fire [@g; @d].
-- content/briefings/other.md --
---
title: Evacuation continues
date: 2022-11-04
regions: [belgorod]
tags: [evacuation]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/3"}
---
Buses left for Belgorod in the morning [@g].
"""
OFF = "-- content/site.yaml --\ntitle: Border Watch\nrequire_archive: false\nsearch: false\n"


def _filters(site, path: str) -> list[tuple[str, str]]:
    article = site.html(path).find("article")
    return [(e.get("data-pagefind-filter"), e.text) for e in article.find_all("span")
            if e.get("data-pagefind-filter")]  # fmt: skip


def test_a_briefing_is_found_under_every_region_above_its_own_and_what_it_cites(make_site):
    site = make_site(SITE)
    site.ok()
    assert _filters(site, "/briefings/shebekino/") == [
        ("region", "Russia"),
        ("region", "Belgorod Oblast"),
        ("region", "Shebekino"),
        ("region", "Kursk Oblast"),
        ("source", "Vyacheslav Gladkov"),
        ("source", "Deutsche Welle"),
        ("tag", "drones"),
        ("tag", "Farming"),
        ("language", "Russian"),
        ("year", "2023"),
    ]
    holder = site.html("/briefings/shebekino/").find("article").find("div", hidden="")
    assert holder.get("data-pagefind-ignore") == ""  # filters, not words of the text


def test_only_the_briefing_itself_is_indexed(make_site):
    site = make_site(SITE)
    site.ok()
    page = site.html("/briefings/shebekino/")
    assert page.find("article").get("data-pagefind-body") == ""
    assert len(page.find_all(**{"data-pagefind-body": ""})) == 1  # not the header, nav, footer
    ignored = {
        e.tag + "." + ".".join(e.classes) for e in page.find_all(**{"data-pagefind-ignore": ""})
    }
    assert {"p.meta", "section.sources", "footer.briefing-footer"} <= ignored
    assert not page.find("article").has("nav")  # the breadcrumbs are outside <main>


def test_pagefind_is_given_a_briefings_page_without_what_lies_outside_its_indexed_part(
    make_site,
):
    """The head after its title, the header, the footer and the scripts are cut from
    the copy of a briefing's page Pagefind reads (test_same_bytes.py checks that the
    index is the same); the page keeps them, and other pages carry no marks."""
    from briefgen.render.search_pages import SKIP_FROM, for_indexing

    site = make_site(SITE)
    site.ok()
    page = (site.out / "briefings/shebekino/index.html").read_bytes()
    given = for_indexing(page).decode()
    assert "<title>Shebekino granary burns" in given and '<html lang="en">' in given
    assert "<main" in given and "collective farm" in given
    for kept_from_pagefind in ('name="description"', "ld+json", "site-header", "site-footer",
                               "cards.js"):  # fmt: skip
        assert kept_from_pagefind in page.decode()
        assert kept_from_pagefind not in given, kept_from_pagefind
    assert SKIP_FROM not in (site.out / "index.html").read_bytes()
    assert SKIP_FROM not in (site.out / "regions/russia/index.html").read_bytes()


def test_the_index_holds_the_briefings_and_their_filters(make_site):
    site = make_site(SITE)
    site.ok()
    files = site.output_files()
    fragments = [
        gzip.decompress(data) for rel, data in files.items() if rel.endswith(".pf_fragment")
    ]
    assert len(fragments) == 2
    text = b"".join(fragments).decode()
    assert "collective farm" in text and "/briefings/shebekino/" in text
    # search.md: the markers of citations are not indexed, so excerpts do not show them
    contents = [part.split('"')[1] for part in text.split('"content":')[1:]]
    assert not [content for content in contents if "[" in content], contents
    assert "on fire." in text and "fire ." not in text  # nor the space before a marker
    assert "Deutsche Welle" not in text.split('"filters"')[0]  # the source list is not indexed
    filters = b"".join(gzip.decompress(d) for r, d in files.items() if r.endswith(".pf_filter"))
    for value in (b"Belgorod Oblast", b"Deutsche Welle", b"Farming", b"Russian", b"2022"):
        assert value in filters
    assert "pagefind/pagefind-entry.json" in (site.out / ".briefgen-manifest").read_text()


def test_pagefind_keeps_a_filter_value_as_its_interface_shows_it_written(make_site):
    """Its interface writes a filter's value into the search page as HTML: what the
    index keeps of a name or tag holding markup is its text escaped once."""
    tag = "<img src=x onerror='alert(1)'> & more"
    site = make_site(SITE.replace("tags: [evacuation]", f'tags: ["{tag}"]'))
    site.ok()
    files = site.output_files()
    for suffix in (".pf_fragment", ".pf_filter"):
        kept = b"".join(gzip.decompress(d) for r, d in files.items() if r.endswith(suffix))
        assert html.escape(tag).encode() in kept, suffix
        assert b"<img" not in kept, suffix


def test_the_search_page_and_the_box_of_every_other_page(make_site):
    site = make_site(SITE)
    site.ok()
    form = site.html("/regions/russia/").find("form", role="search")
    assert form.get("action") == "../../search/"
    assert form.get("method") == "get"
    assert form.find("input").get("name") == "q"
    label = form.find("label")
    assert label.get("for") == form.find("input").get("id")
    search = site.html("/search/")
    assert not search.find_all("form", role="search")  # Pagefind's own box is on it
    scripts = [e.get("src") for e in search.find_all("script") if e.get("src")]
    assert scripts == ["../pagefind/pagefind-ui.js"]
    assert site.exists("/pagefind/pagefind-ui.js") and site.exists("/pagefind/pagefind-ui.css")
    assert "/search/" not in site.text("/sitemap.xml")
    assert site.broken_links("https://example.org/") == []


def test_two_builds_make_the_same_index(make_site, tmp_path):
    # Pagefind lists filter values in an order of its own each run: the build fixes it.
    one, two = make_site(SITE, name="one"), make_site(SITE, name="two")
    one.ok("--out", tmp_path / "one-out")
    two.ok("--out", tmp_path / "two-out")
    index_one = {r: d for r, d in one.output_files().items() if r.startswith("pagefind/")}
    assert len(index_one) > 10
    assert index_one == {r: d for r, d in two.output_files().items() if r.startswith("pagefind/")}


def test_an_edit_reindexes_and_a_rebuild_without_one_changes_nothing(make_site, tmp_path):
    site = make_site(SITE)
    site.ok()
    before = site.output_files()
    site.ok()
    assert site.output_files() == before
    site.write(SITE.replace("Buses left for Belgorod", "Trains left for Voronezh"))
    site.ok()
    after = site.output_files()
    text = b"".join(gzip.decompress(d) for r, d in after.items() if r.endswith(".pf_fragment"))
    assert b"Voronezh" in text and b"Buses" not in text
    clean = make_site(SITE.replace("Buses left for Belgorod", "Trains left for Voronezh"), name="c")
    clean.ok("--out", tmp_path / "clean")
    assert clean.output_files() == after


def test_search_false_makes_no_page_box_or_index(make_site):
    site = make_site(SITE, OFF)
    site.ok()
    files = site.output_files()
    assert not [rel for rel in files if rel.startswith(("search/", "pagefind/"))]
    pages = {rel: data for rel, data in files.items() if rel.endswith(".html")}
    assert not [rel for rel, data in pages.items() if b"pagefind" in data or b"search" in data]


def test_a_site_without_briefings_has_nothing_to_search(make_site):
    site = make_site("-- content/site.yaml --\ntitle: Empty\nrequire_archive: false\n")
    site.ok()
    assert not site.exists("/search/") and not site.exists("/pagefind/pagefind-ui.js")
    assert not site.html("/").find_all("form", role="search")


def test_a_site_for_opening_from_disk_has_no_search(make_site, monkeypatch, tmp_path):
    # A page opened from disk may not load the index, so the box would lead nowhere;
    # nor is the binary's absence worth a warning.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    site = make_site(SITE)
    assert site.ok("--file-urls").warnings == []
    assert not site.exists("/search/") and not site.exists("/pagefind/pagefind-ui.js")
    assert not site.html("/briefings/shebekino/").find_all(**{"data-pagefind-body": ""})


def test_without_the_binary_the_site_is_built_without_search(make_site, monkeypatch, tmp_path):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    site = make_site(SITE)
    result = site.ok()
    assert result.warnings == [
        "content/site.yaml:1: warning: the site is made without search: the pagefind binary is "
        "not installed (pip install 'pagefind[bin]', or set 'search: false' in site.yaml)"
    ]
    assert not site.exists("/search/") and not site.exists("/pagefind/pagefind-ui.js")
    assert not site.html("/").find_all("form", role="search")
    assert site.build("--strict").code == 1


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
def test_a_failing_index_fails_the_build_and_keeps_the_previous_output(
    make_site, monkeypatch, tmp_path
):
    site = make_site(SITE)
    site.ok()
    before = site.output_files()
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: out of disk' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    site.write(SITE.replace("Buses left", "Trains left"))
    result = site.build()
    assert result.code == 1
    assert result.errors == [
        "content/site.yaml:1:1: error: pagefind failed: Error: out of disk "
        "(set 'search: false' in site.yaml to build without it)"
    ]
    assert site.output_files() == before
    assert not list(Path(site.out.parent).glob(".public.briefgen-*"))


@pytest.fixture
def pagefind_runs(monkeypatch, tmp_path) -> Callable[[], int]:
    """Pagefind behind a script that counts its runs; the count so far."""
    from briefgen.render.search_binary import executable

    real = executable()
    assert real is not None
    runs = tmp_path / "runs"
    counting = tmp_path / "pagefind"
    counting.write_text(f'#!/bin/sh\necho run >> "{runs}"\nexec "{real}" "$@"\n')
    counting.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(counting))
    return lambda: len(runs.read_text().splitlines()) if runs.exists() else 0


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
def test_the_index_is_made_again_only_when_an_indexed_page_changed(
    make_site, pagefind_runs, tmp_path
):
    made = pagefind_runs
    site = make_site(SITE)
    site.ok()
    first = site.output_files()
    assert made() == 1
    site.ok()
    assert made() == 1 and site.output_files() == first  # nothing changed: the index is kept

    site.write(SITE.replace("Buses left", "Trains left"))
    site.ok()
    assert made() == 2
    edited = site.output_files()
    index = sorted(rel for rel in edited if rel.startswith("pagefind/"))
    fresh = make_site(SITE.replace("Buses left", "Trains left"), name="fresh")
    fresh.ok("--no-cache")
    assert {rel: edited[rel] for rel in index} == {
        rel: data for rel, data in fresh.output_files().items() if rel.startswith("pagefind/")
    }

    runs = made()
    tampered = site.out / "pagefind/pagefind-entry.json"
    tampered.write_bytes(b"{}")
    site.ok()  # a file changed by hand: made again
    assert made() == runs + 1 and site.output_files() == edited


def test_a_page_keys_record_naming_a_file_outside_the_index_is_not_trusted(make_site):
    site = make_site(SITE)
    site.ok()
    (record,) = (site.root / ".briefgen-cache").glob("pages-*.json")
    data = json.loads(record.read_text())
    entries = data["pages"]
    key = entries["pagefind/pagefind-entry.json"][0]
    victim = site.root / "victim.txt"
    victim.write_text("not briefgen's")
    stat = victim.stat()
    entries["pagefind/../../victim.txt"] = [key, stat.st_size, stat.st_mtime_ns, [], [], []]
    record.write_text(json.dumps(data))
    before = site.output_files()
    site.ok()
    assert site.output_files() == before
    assert "victim" not in (site.out / ".briefgen-manifest").read_text()
    assert victim.read_text() == "not briefgen's"


PARTS = SITE.replace(
    "base_url: https://example.org/", "base_url: https://example.org/\nsearch_part_size: 1"
)


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
@pytest.mark.parametrize("settled", [False, True], ids=["just written", "settled"])
def test_a_large_sites_index_comes_in_parts_each_made_again_only_when_its_pages_change(
    make_site, pagefind_runs, settled
):
    """Briefings of 2022-11-04 and 2023-06-02, one per part: the first part at pagefind/,
    the other at pagefind/parts/2023-06-02/ with its index alone, merged by the search
    page. Each build follows its files just written, or settled (when an edit is
    patched in, see patch.py)."""
    made = pagefind_runs

    def build() -> None:
        if settled:
            site.settle()
        site.ok()

    site = make_site(PARTS)
    build()
    assert made() == 2
    files = site.output_files()
    second = sorted(rel.removeprefix("pagefind/parts/2023-06-02/") for rel in files
                    if rel.startswith("pagefind/parts/"))  # fmt: skip
    assert "pagefind-entry.json" in second
    assert {rel.split("/")[0] for rel in second} == {
        "pagefind-entry.json", "index", "fragment", "filter", second[-1]
    }  # fmt: skip
    assert second[-1].endswith(".pf_meta")
    assert "pagefind/pagefind-ui.js" in files and "pagefind/wasm.en.pagefind" in files
    script = site.html("/search/").find_all("script")[-1].text
    assert 'var parts = ["../pagefind/parts/2023-06-02/"];' in script
    (site.out / "pagefind/pagefind-entry.json").write_bytes(b"{}")  # changed by hand
    build()
    assert made() == 3 and site.output_files() == files  # that part alone made again

    site.write(PARTS.replace("A drone set", "A missile set"))  # 2023-06-02: the second part
    build()
    assert made() == 4
    edited = site.output_files()
    assert {
        r: d for r, d in edited.items() if r.startswith("pagefind/") and "/parts/" not in r
    } == {r: d for r, d in files.items() if r.startswith("pagefind/") and "/parts/" not in r}
    fresh = make_site(PARTS.replace("A drone set", "A missile set"), name="fresh")
    fresh.ok("--no-cache")
    assert edited == fresh.output_files()

    runs = made()
    site.write(PARTS)
    build()
    assert made() == runs + 1 and site.output_files() == files


def test_the_parts_follow_the_days_of_the_briefings(make_site):
    more = (
        PARTS.replace("search_part_size: 1", "search_part_size: 2")
        + """
-- content/briefings/kursk.md --
---
title: Kursk farm struck
date: 2023-06-03
regions: [kursk]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/2"}
---
Shelling damaged a granary near the border [@g].
-- content/briefings/december.md --
---
title: Kursk in December
date: 2022-12-03
regions: [kursk]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/4"}
---
Shelling in December [@g].
-- content/briefings/june.md --
---
title: Kursk in June
date: 2023-06-04
regions: [kursk]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/5"}
---
Shelling in June [@g].
"""
    )
    site = make_site(more)
    site.ok()
    parts = sorted(
        p.parent.name for p in (site.out / "pagefind/parts").glob("*/pagefind-entry.json")
    )
    # November and December in the first part; June's three days, two at most a part
    assert parts == ["2023-06-02", "2023-06-04"]


def prepared_parts(root: Path) -> tuple[Any, list[str], list[str]]:
    """The site of PARTS at ``root``, prepared, and the pages of its two parts."""
    from briefgen.build import BuildOptions
    from briefgen.diagnostics import Diagnostics
    from briefgen.pipeline import prepare
    from briefgen.render.search_parts import parts
    from briefgen.urls import briefing, output_file

    prepared = prepare(root, BuildOptions(cache=False), Diagnostics())
    first, second = (
        [output_file(briefing(b.slug)) for b in part.briefings] for part in parts(prepared.site)
    )
    return prepared.site, first, second


def final(writer: Any, indexer: Any, pages: list[str]) -> None:
    """Hand ``pages`` to ``indexer`` as the build does, each left as the output has it."""
    for rel in pages:
        writer.record(rel, staged=False)
        indexer.page(rel, "key")


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
def test_a_part_is_made_as_soon_as_its_last_page_is_final(make_site, pagefind_runs):
    """The build hands every page to the index as it comes, so Pagefind runs beside the
    rendering of the rest: here the first part starts before the second's page is in."""
    from briefgen.render.search import Indexer
    from briefgen.write import OutputWriter

    made = pagefind_runs
    site = make_site(PARTS)
    site.ok()
    runs = made()
    linked, first, second = prepared_parts(site.root)
    writer = OutputWriter(site.out)
    indexer = Indexer(linked, writer, None, jobs=2)
    try:
        final(writer, indexer, first)
        for _ in range(600):
            if made() > runs:
                break
            time.sleep(0.05)
        assert made() == runs + 1  # the first part, alone
        final(writer, indexer, second)
        index = indexer.finish()
    finally:
        indexer.close()
        writer.discard()
    assert made() == runs + 2
    assert {"pagefind/pagefind-entry.json", "pagefind/parts/2023-06-02/pagefind-entry.json"} <= set(
        index.files
    )


def test_a_rebuild_goes_through_the_pages_of_the_index_before_the_others(make_site, monkeypatch):
    """A rebuild hands the index its pages first, so the part an edit makes again runs
    beside the pass over the listings and feeds, not after it; the results still come
    in the routes' order."""
    import briefgen.pipeline as pipeline
    from briefgen.urls import briefing, output_file

    site = make_site(PARTS)
    site.ok()
    handed: list[list[str]] = []
    returned: list[list[str]] = []
    final, render_all = pipeline._final, pipeline.render_all

    def noting(writer: Any, indexer: Any, results: list[Any]) -> None:
        handed.append([r.file for r in results])
        final(writer, indexer, results)

    def rendering(*args: Any, **kwargs: Any) -> list[Any]:
        results = render_all(*args, **kwargs)
        returned.append([r.file for r in results])
        return results

    monkeypatch.setattr(pipeline, "_final", noting)
    monkeypatch.setattr(pipeline, "render_all", rendering)
    site.write(PARTS.replace("A drone set", "A missile set"))
    site.ok()
    ((*order,),) = handed  # one pass: a few pages, under 500
    pages = [output_file(briefing(slug)) for slug in ("shebekino", "other")]
    assert sorted(order[:2]) == sorted(pages) and len(order) > 10
    (files,) = returned
    assert sorted(files) == sorted(order) and files != order
    assert files.index("index.html") < files.index(pages[0])  # the routes' order


def test_a_part_made_during_the_pass_leaves_the_render_workers_forked(make_site, monkeypatch):
    """Pagefind runs as a process nothing waits on in a thread, so a rebuild that begins
    a part in its pass and then needs workers for the rest still forks them (a thread
    running would have them start afresh and be sent the whole site: a new briefing at
    10,000 took 20 s instead of 13)."""
    import briefgen.render.job as job_module

    site = make_site(PARTS)
    site.ok()
    forked: list[bool] = []
    pool = job_module.pool
    before = set(threading.enumerate())  # an earlier test's may still be ending

    def noting(*args: Any, **kwargs: Any) -> Any:
        forked.append(set(threading.enumerate()) <= before)  # none of this build's
        return pool(*args, **kwargs)

    monkeypatch.setattr(job_module, "_PARALLEL_FROM", 1)  # a page in the pass, then workers
    monkeypatch.setattr(job_module, "pool", noting)
    # A new tag too: an edit of the text alone is patched in once the first build's
    # files are settled, as they are when it starts late on a busy machine.
    edited = PARTS.replace("A drone set", "A missile set").replace("Farming]", "Farming, fire]")
    site.write(edited)
    site.ok("-j", "2")
    assert forked == [True]
    fresh = make_site(edited, name="fresh")
    fresh.ok("--no-cache")
    assert site.output_files() == fresh.output_files()


def test_the_index_is_looked_in_on_between_the_pages_the_build_renders(make_site):
    """With no thread waiting for Pagefind, the build itself stages the parts made and
    begins the next: between every page the main process renders, so a run that ends
    while it renders a long slice does not wait for the slice's end (at 10,000 that
    wait had left 6 s of the index to make after the rendering)."""
    from briefgen.build import BuildOptions
    from briefgen.diagnostics import Diagnostics
    from briefgen.pipeline import _render_job, prepare
    from briefgen.render.job import render_all

    site = make_site(PARTS)
    options = BuildOptions(cache=False, jobs=1)
    prepared = prepare(site.root, options, Diagnostics())
    job = _render_job(site.root, prepared, prepared.routes, None, None, options)
    looks: list[int] = []
    results = render_all(job, 1, None, idle=lambda: looks.append(1))
    assert len(results) == len(prepared.routes) > 10
    assert len(looks) == len(results)


def logged_pagefind(tmp_path: Path, monkeypatch: Any, pause: float = 0) -> Path:
    """Have builds run Pagefind through a script that notes each run's start and end in
    the file returned, pausing ``pause`` seconds after the start."""
    from briefgen.render import search_binary

    real = search_binary.executable()
    assert real is not None
    runs = tmp_path / "runs"
    logging = tmp_path / "pagefind"
    logging.write_text(
        f'#!/bin/sh\necho start >> "{runs}"\nsleep {pause}\n"{real}" "$@"\nstatus=$?\n'
        f'echo end >> "{runs}"\nexit $status\n'
    )
    logging.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(logging))
    return runs


def large_parts(make_site, monkeypatch, tmp_path: Path, pause: float = 0) -> tuple[Any, ...]:
    """The note of Pagefind's runs (see :func:`logged_pagefind`), a writer over a built
    site of two parts, an index of them with every part too large to make two at a
    time (the limit lowered) on two cores, and the pages of each part."""
    from briefgen.render import search
    from briefgen.write import OutputWriter

    runs = logged_pagefind(tmp_path, monkeypatch, pause)
    site = make_site(PARTS)
    site.ok()
    monkeypatch.setattr(search, "_PAGES_AT_ONCE", 0)
    runs.unlink()
    linked, first, second = prepared_parts(site.root)
    writer = OutputWriter(site.out)
    return runs, writer, search.Indexer(linked, writer, None, jobs=2), first, second


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
def test_large_parts_are_made_one_at_a_time_beside_the_rendering_and_staged_when_made(
    make_site, monkeypatch, tmp_path
):
    """Parts too large to make two at a time (here every part, the limit lowered) are
    made one after another as their pages come, and have their files staged as soon
    as they are made, not held until the end."""
    runs, writer, indexer, first, second = large_parts(make_site, monkeypatch, tmp_path)
    try:
        final(writer, indexer, first)
        for _ in range(600):
            indexer.page("index.html", "key")  # a page of no part: made parts are staged
            if "pagefind/pagefind-entry.json" in writer.files:
                break
            time.sleep(0.05)
        assert "pagefind/pagefind-entry.json" in writer.files
        final(writer, indexer, second)
        index = indexer.finish()
    finally:
        indexer.close()
        writer.discard()
    assert runs.read_text().split() == ["start", "end", "start", "end"]
    assert "pagefind/parts/2023-06-02/pagefind-entry.json" in index.files


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
def test_large_parts_left_when_the_rendering_ends_are_still_made_one_at_a_time(
    make_site, monkeypatch, tmp_path
):
    """Once every page is rendered, the build holds every page's result: at 50,000
    briefings two large parts made at once then raised its peak above rendering's
    (1,003 MiB and Pagefind's two 200), so they are made one after another still."""
    runs, writer, indexer, first, second = large_parts(make_site, monkeypatch, tmp_path, pause=0.5)
    try:
        final(writer, indexer, first)
        final(writer, indexer, second)  # waits: the first part's run has half a second to go
        for _ in range(100):
            if runs.exists() and runs.read_text():
                break
            time.sleep(0.01)
        assert runs.read_text().split() == ["start"]
        index = indexer.finish()
    finally:
        indexer.close()
        writer.discard()
    assert runs.read_text().split() == ["start", "end", "start", "end"]
    assert {"pagefind/pagefind-entry.json", "pagefind/parts/2023-06-02/pagefind-entry.json"} <= set(
        index.files
    )


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for the binary")
def test_a_site_of_large_parts_builds_the_same_bytes(make_site, monkeypatch):
    from briefgen.render import search

    site = make_site(PARTS)
    site.ok()
    monkeypatch.setattr(search, "_PAGES_AT_ONCE", 0)
    again = make_site(PARTS, name="again")
    again.ok()
    assert again.output_files() == site.output_files()


def test_a_cold_build_of_large_parts_renders_on_every_core(make_site, monkeypatch):
    """Parts too large to make two at a time leave the rendering every core: with its
    results packed while a worker renders, a cold build at 50,000 on two renderers
    peaked at 1,406 MiB and took 0.63 times as long as one renderer."""
    import briefgen.render.job as job_module
    from briefgen.render import search

    workers: list[int] = []
    pool = job_module.pool

    def noting(count: int, *args: Any, **kwargs: Any) -> Any:
        workers.append(count)
        return pool(count, *args, **kwargs)

    monkeypatch.setattr(search, "_PAGES_AT_ONCE", 0)
    monkeypatch.setattr(job_module, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(job_module, "pool", noting)
    site = make_site(PARTS)
    site.ok("-j", "2")
    assert workers == [1]
    plain = make_site(PARTS, name="plain")
    plain.ok("-j", "1", "--no-cache")
    assert site.output_files() == plain.output_files()
