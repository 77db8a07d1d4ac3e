"""A rebuild after one briefing's text was edited is patched into the last build's
output without loading the site (see patch.py): it writes exactly what a full build
of the same files writes, and anything it cannot vouch for goes to the full build,
with nothing written first."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import patch
from briefgen.model import Parsed

SITE = """
-- content/site.yaml --
title: Border briefings
base_url: https://example.org/
feed_size: 1
-- content/regions.yaml --
russia:
  name: Russia
belgorod:
  name: Belgorod Oblast
  parent: russia
-- content/sources.yaml --
dw:
  name: Deutsche Welle
  url: https://www.dw.com/
  reliability: B
gladkov:
  name: Vyacheslav Gladkov
  url: https://t.me/vvgladkov
-- content/pages/about.md --
---
title: About
---
Who writes these briefings, and how.
-- content/briefings/a.md --
---
title: Border villages shelled
date: 2023-06-01
regions: [belgorod]
tags: [shelling]
citations:
  dw-1:
    source: dw
    url: https://www.dw.com/en/a-1
    archive: https://web.archive.org/web/2023/https://www.dw.com/en/a-1
    credibility: 2
---
## Overnight

Villages near the border were shelled overnight [@dw-1].
-- content/briefings/b.md --
---
title: Schools closed in Shebekino
date: 2023-06-02
regions: [belgorod]
tags: [shelling]
citations:
  g-1:
    source: gladkov
    url: https://t.me/vvgladkov/1
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/1
corrections:
  - {date: 2023-06-03, kind: correction, text: The district was wrong.}
---
The governor closed the schools of the district [@g-1].
-- content/briefings/c.md --
---
title: Evacuation announced
date: 2023-06-04
regions: [belgorod]
tags: [shelling]
citations:
  dw-2:
    source: dw
    url: https://www.dw.com/en/a-2
    archive: https://web.archive.org/web/2023/https://www.dw.com/en/a-2
  g-2:
    source: gladkov
    url: https://t.me/vvgladkov/2
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/2
---
Thousands were evacuated from the border villages [@dw-2] [@g-2].
"""
A = "content/briefings/a.md"
B = "content/briefings/b.md"
C = "content/briefings/c.md"


def patched(result) -> bool:
    return "parse the edit:" in result.err


def replayed(result) -> bool:
    return "unchanged:" in result.err


def append(site, rel: str, text: str) -> None:
    path = site.root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def full_build(site, tmp_path: Path, name: str = "clean", *options: str) -> dict[str, bytes]:
    """What a build of the site's files writes from nothing, and without the cache."""
    out = site.out
    site.ok("--no-cache", "--out", tmp_path / name, *options)
    files = site.output_files()
    site.out = out
    return files


@pytest.fixture
def site(make_site):
    """A site built once its files had settled, so that the build kept a patch record."""
    site = make_site(SITE)
    site.settle()
    site.ok()
    return site


def test_a_body_edit_is_patched_in_and_writes_what_a_full_build_writes(site, tmp_path) -> None:
    append(site, A, "\nThe shelling went on until morning.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert "(1 rendered)" in result.out
    assert "until morning" in site.text("/briefings/a/")
    assert site.output_files() == full_build(site, tmp_path)
    assert replayed(site.ok("-v"))  # the records were kept

    append(site, A, "\nBy noon it had stopped.\n")  # and again, from the patched build
    site.settle()
    assert patched(site.ok("-v"))
    assert site.output_files() == full_build(site, tmp_path, "clean-again")


def test_a_text_edit_citing_a_source_once_more_is_patched_in(site, tmp_path) -> None:
    # The source list shows one more back link; the source's page, which lists the
    # citation without them, is left as it was.
    append(site, C, "\nThe governor confirmed it [@g-2] [@dw-2].\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert "place 2" in site.text("/briefings/c/")
    assert site.output_files() == full_build(site, tmp_path)


def test_edits_each_built_as_soon_as_it_is_saved_are_each_patched(site, tmp_path) -> None:
    """A file saved just before a build could change again and keep its times: the
    records keep it as changed, not by its times, so each next edit is patched too."""
    for n in range(3):
        append(site, A, f"\nEdit number {n} of the morning.\n")
        result = site.ok("-v")
        assert patched(result), (n, result.err)
        assert f"Edit number {n}" in site.text("/briefings/a/")
    assert site.output_files() == full_build(site, tmp_path)
    site.settle()
    again = site.ok("-v")  # the last edit read again, and found as it was built
    assert "load:" not in again.err and "(0 rendered)" in again.out
    assert replayed(site.ok("-v"))


def test_an_edit_of_another_briefing_right_after_one_built_at_once_is_patched(
    site, tmp_path
) -> None:
    """The briefing built as soon as it was saved is read again, found as built, and
    not taken for a second change."""
    append(site, A, "\nEdited, and built at once.\n")
    assert patched(site.ok("-v"))
    append(site, B, "\nThe next briefing edited.\n")
    result = site.ok("-v")
    assert patched(result), result.err
    assert "(1 rendered)" in result.out
    assert site.output_files() == full_build(site, tmp_path)
    append(site, A, "\nA itself changed again, with B just built.\n")
    append(site, B, "\nAnd B too.\n")
    both = site.ok("-v")
    assert patched(both) and "(2 rendered)" in both.out, both.err
    assert site.output_files() == full_build(site, tmp_path, "clean-both")


def edit_and_undo(site):
    """A sentence added to A and built, then taken out and built again: the result of
    the second build."""
    original = (site.root / A).read_text(encoding="utf-8")
    append(site, A, "\nA sentence written in error.\n")
    site.settle()
    assert patched(site.ok("-v"))
    (site.root / A).write_text(original, encoding="utf-8")
    site.settle()
    return site.ok("-v")


def test_an_edit_undone_is_patched_back(site, tmp_path) -> None:
    result = edit_and_undo(site)
    assert patched(result) and "(1 rendered)" in result.out
    assert "written in error" not in site.text("/briefings/a/")
    assert site.output_files() == full_build(site, tmp_path)


def test_a_briefing_touched_but_not_changed_is_rendered_by_no_build(site) -> None:
    before = {p: p.stat().st_mtime_ns for p in site.out.rglob("*")}
    os.utime(site.root / A)
    site.settle()
    result = site.ok("-v")
    assert "load:" not in result.err and "(0 rendered)" in result.out
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*")} == before
    assert replayed(site.ok("-v"))


def test_the_search_index_part_of_the_edit_is_made_again(site) -> None:
    before = {rel for rel in site.output_files() if rel.startswith("pagefind/")}
    assert any(rel.startswith("pagefind/fragment/") for rel in before)
    append(site, A, "\nA word no briefing had: zyxwabble.\n")
    result = site.ok("-v")
    assert patched(result), result.err
    after = {rel for rel in site.output_files() if rel.startswith("pagefind/")}
    assert after != before
    manifest = json.loads((site.out / ".briefgen-manifest").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == set(site.output_files()) - {".briefgen-manifest"}


def test_the_record_a_patch_keeps_lists_each_file_of_the_output_once_as_it_is(site) -> None:
    """The files a patch left as they were are encoded while Pagefind runs, the rest
    once written: together, every file of the output, none twice, with its size and
    time."""
    append(site, A, "\nA word no briefing had: quorrelstane.\n")
    site.settle()
    assert patched(site.ok("-v"))
    (found,) = (site.root / ".briefgen-cache").glob("build-*.json")
    outputs = dict(json.loads(found.read_text(encoding="utf-8"), object_pairs_hook=list))["outputs"]
    assert sorted(rel for rel, _ in outputs) == sorted(site.output_files())
    for rel, stamp in outputs:
        stat = (site.out / rel).stat()
        assert stamp == [stat.st_size, stat.st_mtime_ns], rel
    assert replayed(site.ok("-v"))


def test_a_link_to_an_anchor_the_output_holds_is_patched_in(site, tmp_path) -> None:
    append(site, A, "\nAs [the schools' source](/briefings/b/#cite-1) said.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert not result.warnings
    assert site.output_files() == full_build(site, tmp_path)


def feeds_of(site, size: int) -> None:
    """Give the site's feeds ``size`` entries and build it, its files settled."""
    settings = site.root / "content/site.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("feed_size: 1\n", f"feed_size: {size}\n"), encoding="utf-8")
    site.settle()
    site.ok()


@pytest.mark.parametrize("shown", [1, 3])
def test_a_briefing_feeds_show_is_patched_in_with_them(site, tmp_path, shown) -> None:
    """The newest briefing is in every feed of its lists; with three a feed, the one
    edited is shown beside others, which are read again for it."""
    feeds_of(site, shown)
    edited = "content/briefings/c.md" if shown == 1 else "content/briefings/b.md"
    append(site, edited, "\nBuses left every hour.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    feeds = [rel for rel in site.output_files() if rel.endswith("feed.xml")]
    showing = [rel for rel in feeds if "Buses left every hour" in (site.out / rel).read_text()]
    assert len(showing) > 1
    assert f"({1 + len(showing)} rendered)" in result.out
    assert site.output_files() == full_build(site, tmp_path)


def parts_of(site, size: int) -> None:
    """Make the site's search index in parts of ``size`` briefings, and build it."""
    settings = site.root / "content/site.yaml"
    settings.write_text(settings.read_text() + f"search_part_size: {size}\n", encoding="utf-8")
    site.settle()
    site.ok()


@pytest.mark.parametrize(
    ("feed_size", "edited"),
    [(1, (A, B, C)), (3, (A, B, C)), (1, (A, C))],
    ids=["1-ABC", "3-ABC", "1-AC"],
)
def test_text_edits_of_several_briefings_are_patched_in_with_their_parts_of_the_index(
    site, tmp_path, feed_size, edited
) -> None:
    """A commit that changed the text of several briefings: their pages, the feeds that
    show any of them (each once), and each of their parts of the search index, the
    other parts left as they were."""
    feeds_of(site, feed_size)
    parts_of(site, 1)
    bundle = {rel: data for rel, data in site.output_files().items() if rel.startswith("pagefind/")}
    for n, rel in enumerate(edited):
        append(site, rel, f"\nA word no briefing had: zyxwabble{n}.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result) and "search index:" in result.err, result.err
    feeds = [rel for rel in site.output_files() if rel.endswith("feed.xml")]
    showing = [rel for rel in feeds if "zyxwabble" in (site.out / rel).read_text()]
    assert showing
    assert f"({len(edited) + len(showing)} rendered)" in result.out
    after = site.output_files()
    folders = {A: "pagefind/", B: "pagefind/parts/2023-06-02/", C: "pagefind/parts/2023-06-04/"}
    for rel, folder in folders.items():
        made = {f: data for f, data in after.items() if f.startswith(folder + "fragment/")}
        before = {f: data for f, data in bundle.items() if f.startswith(folder + "fragment/")}
        assert made and (made != before) == (rel in edited), rel
    assert after == full_build(site, tmp_path)
    assert replayed(site.ok("-v"))


def test_a_text_edit_beside_a_front_matter_edit_is_built_in_full(site, tmp_path) -> None:
    append(site, A, "\nThe shelling went on until morning.\n")
    replace_in(site, B, "Schools closed", "Schools shut")
    site.settle()
    result = site.ok("-v")
    assert "load:" in result.err and not patched(result)
    assert "Schools shut" in site.text("/briefings/b/")
    assert site.output_files() == full_build(site, tmp_path)


def test_a_text_edit_beside_an_edit_bringing_an_error_is_reported_by_the_full_build(
    site, tmp_path
) -> None:
    append(site, A, "\nThe shelling went on until morning.\n")
    append(site, B, "\nAs reported [@nobody].\n")
    site.settle()
    result = site.build("-v")
    assert result.code == 1 and not patched(result)
    assert [e for e in result.errors if "content/briefings/b.md" in e and "nobody" in e]
    assert "until morning" not in site.text("/briefings/a/")  # the output left as it was


def test_a_text_edit_beside_a_briefing_saved_again_unchanged_is_patched(site, tmp_path) -> None:
    os.utime(site.root / B)
    append(site, A, "\nThe shelling went on until morning.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result) and "(1 rendered)" in result.out, result.err
    assert site.output_files() == full_build(site, tmp_path)
    assert replayed(site.ok("-v"))


def test_a_text_edit_beside_a_briefing_its_feeds_show_saved_again_unchanged_is_patched(
    site, tmp_path
) -> None:
    """B, saved again as it was (by an editor, a checkout, or after an error in it was
    undone), is in the feeds that show A: it is read for them as any other briefing they
    show, not taken for an edit."""
    feeds_of(site, 3)
    os.utime(site.root / B)
    append(site, A, "\nThe shelling went on until morning.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert "until morning" in (site.out / "feed.xml").read_text()
    assert site.output_files() == full_build(site, tmp_path)
    assert replayed(site.ok("-v"))


def test_more_edits_than_a_patch_takes_are_built_in_full(site, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(patch, "MOST_EDITS", 2)
    monkeypatch.setattr("briefgen.patch_record.MOST_EDITS", 2)
    for rel in (A, B, C):
        append(site, rel, "\nThe shelling went on until morning.\n")
    site.settle()
    result = site.ok("-v")
    assert "load:" in result.err and not patched(result)
    assert site.output_files() == full_build(site, tmp_path)


def parsing_noted(monkeypatch) -> list[str]:
    """The files a patch parses from now on, as it parses them."""
    parsed: list[str] = []
    parse = patch.parse_file

    def noted(kind: str, rel: str, *args: object) -> Parsed:
        parsed.append(rel)
        return parse(kind, rel, *args)

    monkeypatch.setattr(patch, "parse_file", noted)
    return parsed


def test_what_feeds_show_beside_an_edit_is_read_back_not_parsed(
    site, tmp_path, monkeypatch
) -> None:
    """The other briefings the edit's feeds show, and the site's pages, are taken from
    the persistent store as the last build kept them (7 ms a file parsed; the newest
    briefing of a large site is in a dozen feeds or more): only the edit is parsed."""
    feeds_of(site, 3)
    parsed = parsing_noted(monkeypatch)
    append(site, "content/briefings/b.md", "\nBuses left every hour.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert parsed == ["content/briefings/b.md"]
    assert site.output_files() == full_build(site, tmp_path)


def test_a_briefing_a_patch_edited_is_read_from_its_file_by_the_next_patch(
    site, tmp_path, monkeypatch
) -> None:
    """A patch leaves the cache as the last full build made it: the briefing it edited
    is not as the cache holds it, and the next patch, whose feeds show it, parses it."""
    feeds_of(site, 3)
    append(site, "content/briefings/c.md", "\nThe buses were full.\n")
    site.settle()
    assert patched(site.ok("-v"))
    parsed = parsing_noted(monkeypatch)
    append(site, "content/briefings/b.md", "\nBuses left every hour.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert parsed == ["content/briefings/b.md", "content/briefings/c.md"]
    feed = (site.out / "feed.xml").read_text(encoding="utf-8")
    assert "The buses were full." in feed and "Buses left every hour." in feed
    assert site.output_files() == full_build(site, tmp_path)


def _undecodable(db: sqlite3.Connection, key: str) -> None:
    db.execute("UPDATE parsed SET data = '[1, 2' WHERE key = ?", (key,))


def _scheduled(db: sqlite3.Connection, key: str) -> None:
    """Parsing never marks a briefing scheduled: such an entry was edited."""
    db.execute(
        "UPDATE parsed SET data = replace(data, 'null, false]]', 'null, true]]') WHERE key = ?",
        (key,),
    )


def _of_another_file(db: sqlite3.Connection, key: str) -> None:
    other = db.execute("SELECT key FROM files WHERE rel = ?", (A,)).fetchone()[0]
    db.execute("UPDATE parsed SET data = (SELECT data FROM parsed WHERE key = ?) WHERE key = ?",
               (other, key))  # fmt: skip


def _file_changed(db: sqlite3.Connection, key: str) -> None:
    """The store's record of the file's time, as if the file had changed since."""
    db.execute("UPDATE files SET mtime_ns = mtime_ns + 1 WHERE key = ?", (key,))


@pytest.mark.parametrize("tamper", [_undecodable, _scheduled, _of_another_file, _file_changed])
def test_an_entry_a_patch_cannot_trust_is_parsed_again(
    site, tmp_path, monkeypatch, tamper: Callable[[sqlite3.Connection, str], None]
) -> None:
    """The store is read back as untrusted, as a full build reads it: an entry that does
    not decode, is not one parsing could have made, or is not of the file as it is now
    is a miss, and the file is parsed."""
    feeds_of(site, 3)
    shown = "content/briefings/c.md"
    with contextlib.closing(sqlite3.connect(site.root / ".briefgen-cache/parsed.sqlite")) as db:
        key = db.execute("SELECT key FROM files WHERE rel = ?", (shown,)).fetchone()[0]
        with db:
            tamper(db, key)
    parsed = parsing_noted(monkeypatch)
    append(site, "content/briefings/b.md", "\nBuses left every hour.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert parsed == ["content/briefings/b.md", shown]
    assert site.output_files() == full_build(site, tmp_path)


def test_a_feed_that_shows_a_briefing_linking_to_another_file_is_patched(site, tmp_path) -> None:
    """Links between briefings follow their slugs, which only the edited files could
    have changed: the patch takes them from its record (it went the full way)."""
    text = (site.root / "content/site.yaml").read_text(encoding="utf-8")
    (site.root / "content/site.yaml").write_text(text.replace("feed_size: 1", "feed_size: 3"))
    append(site, A, "\nSee [the evacuation](c.md).\n")
    site.settle()
    site.ok()
    append(site, "content/briefings/b.md", "\nMore.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert site.output_files() == full_build(site, tmp_path)


LINKS = {
    "to a briefing": "See [the evacuation](c.md).",
    "to a briefing's heading": "As [the first night](a.md#overnight) showed.",
    "to a page": "Read [who we are](../pages/about.md).",
}


@pytest.mark.parametrize("options", [(), ("--file-urls",)], ids=["", "file urls"])
@pytest.mark.parametrize("written", LINKS.values(), ids=list(LINKS))
def test_a_text_edit_with_a_link_to_another_file_is_patched_in(
    site, tmp_path, written, options
) -> None:
    site.ok(*options)
    append(site, B, f"\n{written}\n")
    site.settle()
    result = site.ok("-v", *options)
    assert patched(result), result.err
    assert not result.warnings
    assert site.output_files() == full_build(site, tmp_path, "clean", *options)


def test_a_line_added_above_a_link_to_another_file_is_a_text_edit(site, tmp_path) -> None:
    """What the link leads to is as it was: only its place in the text moved, which no
    other page shows."""
    append(site, A, "\nSee [the evacuation](c.md).\n")
    site.settle()
    site.ok()
    replace_in(site, A, "## Overnight\n", "## Overnight\n\nThe sirens sounded at two.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert "(1 rendered)" in result.out
    assert site.output_files() == full_build(site, tmp_path)


def test_a_link_an_edit_adds_to_a_draft_is_reported_by_the_full_build(site) -> None:
    """The record holds the briefings the last build published: a link to any other
    file is the full build's to report."""
    replace_in(site, C, "title:", "draft: true\ntitle:")
    site.settle()
    site.ok()
    append(site, A, "\nSee [the evacuation](c.md).\n")
    site.settle()
    result = site.build("-v")
    assert not patched(result)
    assert result.code == 1
    assert [error for error in result.errors if "is to a draft" in error], result.err


def test_a_text_edit_beside_a_page_linking_to_a_briefing_is_patched_in(site, tmp_path) -> None:
    """The site's pages are in every patch's site: one linking to a briefing made every
    patch go the full way."""
    append(
        site, "content/pages/about.md", "\nOur first briefing: [the shelling](../briefings/a.md).\n"
    )
    site.settle()
    site.ok()
    append(site, C, "\nMore were evacuated by noon.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert site.output_files() == full_build(site, tmp_path)


def test_a_full_build_after_a_patch_writes_what_a_full_build_writes(site, tmp_path) -> None:
    """The patch leaves the page keys record as it was: the next full build finds its
    entries out of date and renders those pages again rather than trusting them."""
    append(site, A, "\nMore text.\n")
    site.settle()
    assert patched(site.ok("-v"))
    text = (site.root / A).read_text(encoding="utf-8")
    (site.root / A).write_text(text.replace("2023-06-01", "2023-06-05"), encoding="utf-8")
    result = site.ok("-v")
    assert not patched(result)
    assert site.output_files() == full_build(site, tmp_path)


def test_a_page_an_undone_edit_left_as_it_was_is_rendered_by_one_full_build(site) -> None:
    """An edit undone, each patched in, leaves the briefing's page as its entry in the
    page keys record has it, but its file is newer than the entry says. The next full
    build renders it again and finds the bytes the output holds: it must record the
    file as it is, or every full build after it renders that page (and makes its part
    of the search index) again. A build that lost the last build's record is such a
    build."""
    assert patched(edit_and_undo(site))
    replace_in(site, C, "2023-06-04", "2023-06-06")
    site.settle()
    assert not patched(site.ok("-v"))
    for record in site.root.glob(".briefgen-cache/build-*.json"):
        record.unlink()
    result = site.ok("-v")
    assert "load:" in result.err and "(0 rendered)" in result.out


def replace_in(site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS: dict[str, Callable[[object], None]] = {
    "the date": lambda site: replace_in(site, A, "2023-06-01", "2023-06-05"),
    "its regions": lambda site: replace_in(site, A, "regions: [belgorod]", "regions: [russia]"),
    "its slug": lambda site: replace_in(site, A, "title:", "slug: villages\ntitle:"),
    "an old address": lambda site: replace_in(site, A, "title:", "aliases: [/old/]\ntitle:"),
    "a citation's source": lambda site: replace_in(site, A, "source: dw", "source: gladkov"),
    "a title with an unknown citation": lambda site: (
        replace_in(site, A, "shelled", "struck"),
        append(site, A, "\nAs reported [@nobody].\n"),
    ),
    "two files, one of them a page": lambda site: (
        append(site, A, "\nMore.\n"),
        append(site, "content/pages/about.md", "\nMore.\n"),
    ),
    "a page": lambda site: append(site, "content/pages/about.md", "\nMore.\n"),
    "a citation cited first": lambda site: replace_in(site, C, "[@dw-2] [@g-2]", "[@g-2] [@dw-2]"),
    "a warning": lambda site: append(site, A, "\nSee [the map](/nowhere/).\n"),
    "an error": lambda site: append(site, A, "\nAs reported [@nobody].\n"),
    "a link to no file": lambda site: append(site, A, "\nSee [the schools](nowhere.md).\n"),
    "a link to another page's anchor": lambda site: append(
        site, A, "\nSee [the log](/corrections/#nowhere).\n"
    ),
    "an anchor gone": lambda site: (site.root / A).write_text(
        (site.root / A).read_text(encoding="utf-8").replace("## Overnight\n", ""),
        encoding="utf-8",
    ),
    "the registry": lambda site: append(site, "content/sources.yaml", "# a comment\n"),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_what_a_patch_cannot_vouch_for_goes_to_the_full_build(site, tmp_path, edit) -> None:
    EDITS[edit](site)
    site.settle()
    result = site.build("-v")
    assert not patched(result)
    clean = site.build("--no-cache", "--out", tmp_path / "clean")
    assert (result.code, result.warnings, result.errors) == (
        clean.code,
        clean.warnings,
        clean.errors,
    )
    if result.code == 0:
        site.out = site.root / "public"
        wanted = {p.relative_to(tmp_path / "clean").as_posix(): p.read_bytes()
                  for p in sorted((tmp_path / "clean").rglob("*")) if p.is_file()}  # fmt: skip
        assert site.output_files() == wanted


def test_what_the_last_build_reported_of_other_files_is_reported_again(site, tmp_path) -> None:
    append(site, "content/briefings/b.md", "\nSee [the map](/nowhere/).\n")
    site.settle()
    warned = site.ok().warnings
    assert warned
    append(site, A, "\nMore.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result)
    assert result.warnings == warned
    assert site.output_files() == full_build(site, tmp_path)


def test_a_warning_of_a_link_to_the_anchor_an_edit_adds_is_not_reported_again(
    site, tmp_path
) -> None:
    """Another page's link to an anchor the briefing lacked was reported; the edit
    that adds the anchor leaves that page as it was, and its warning must go."""
    append(site, B, "\nSee [the morning](/briefings/a/#the-morning).\n")
    site.settle()
    assert site.ok().warnings
    append(site, A, "\n## The morning\n\nIt was quiet.\n")
    site.settle()
    result = site.ok("-v")
    assert not result.warnings
    assert site.output_files() == full_build(site, tmp_path)


@pytest.mark.parametrize("edit", ["\nMore.\n", "title"], ids=["text", "title"])
def test_a_page_removed_from_the_output_by_hand_is_made_by_the_full_build(
    site, tmp_path, edit
) -> None:
    site.file("/briefings/a/").unlink()
    if edit == "title":
        path = site.root / A
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: Border", "title: Renamed border", 1), encoding="utf-8")
    else:
        append(site, A, edit)
    site.settle()
    result = site.ok("-v")
    assert not patched(result)
    assert site.output_files() == full_build(site, tmp_path)


BROKEN_LINK = "\nSee [the map](/nowhere/).\n"
WARNED = {  # the file warned of, the warning added, the file then edited, and the edit
    "a broken link": (A, BROKEN_LINK, A, "[@dw-1]"),
    "a paragraph citing nothing": (
        A,
        "\nThe villages were evacuated by noon, the roads to the border were closed to every "
        "car and truck, and the buses took the last families north.\n",
        A,
        "[@dw-1]",
    ),
    "a missing anchor": (A, "\nSee [the log](/briefings/c/#nowhere).\n", A, "[@dw-1]"),
    "another briefing its feeds show": (B, BROKEN_LINK, C, "[@g-2]"),
}


@pytest.mark.parametrize("case", WARNED, ids=list(WARNED))
def test_a_text_edit_that_leaves_the_last_builds_warnings_is_patched_with_them(
    site, tmp_path, case
) -> None:
    warned_file, warning, edited, cite = WARNED[case]
    feeds_of(site, 3)  # each feed shows the other briefings too
    append(site, warned_file, warning)
    site.settle()
    warned = site.ok().warnings
    assert warned and all(w.startswith(warned_file) for w in warned)
    append(site, edited, f"\nBuses left every hour {cite}.\n")
    site.settle()
    result = site.ok("-v")
    assert patched(result), result.err
    assert result.warnings == warned
    assert site.output_files() == full_build(site, tmp_path)
    assert site.ok().warnings == warned  # and replayed


CHANGED_WARNINGS = {
    "moved by a line above it": lambda site: replace_in(
        site, A, "## Overnight\n", "## Overnight\n\nCalm.\n"
    ),
    "fixed": lambda site: replace_in(site, A, "(/nowhere/)", "(/briefings/c/)"),
    "joined by another": lambda site: append(site, A, "\nSee [the list](/nowhere-else/).\n"),
}


@pytest.mark.parametrize("change", CHANGED_WARNINGS, ids=list(CHANGED_WARNINGS))
def test_an_edit_that_changes_what_the_last_build_warned_of_goes_the_full_way(
    site, tmp_path, change
) -> None:
    append(site, A, BROKEN_LINK)
    site.settle()
    assert site.ok().warnings
    CHANGED_WARNINGS[change](site)
    site.settle()
    result = site.ok("-v")
    assert not patched(result)
    clean = site.build("--no-cache", "--out", tmp_path / "clean")
    assert result.warnings == clean.warnings
    site.out = site.root / "public"
    assert site.output_files() == full_build(site, tmp_path)


def patch_record(site) -> Path:
    (found,) = (site.root / ".briefgen-cache").glob("patch-*.json")
    return found


def _retarget(data: dict) -> None:
    for entry in data["briefings"].values():
        entry[2] = "index.html"


def _escape_part(data: dict) -> None:
    data["parts"][0][0] = "../../elsewhere/"


def _escape_beside_the_edit(data: dict) -> None:
    """A page outside the output put in the part that holds the edited page."""
    (part,) = [part for part in data["parts"] if "briefings/a/index.html" in part[1]]
    part[1].append("../../etc/passwd")


def _flip_a_shape(data: dict) -> None:
    for name in data["shapes"]:
        data["shapes"][name] = "0" * 64


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: "not json",
        lambda data: json.dumps({**data, "version": 99}),
        lambda data: json.dumps({**data, "briefings": {"content/briefings/a.md": "x"}}),
        lambda data: json.dumps({**data, "parts": [["pagefind/", ["../../etc/passwd"]]]}),
        lambda data: json.dumps({**data, "files": {}}),
        lambda data: json.dumps({**data, "surprise": 1}),
        lambda data: (_retarget(data), json.dumps(data))[1],
        lambda data: (_escape_part(data), json.dumps(data))[1],
        lambda data: (_escape_beside_the_edit(data), json.dumps(data))[1],
        lambda data: (_flip_a_shape(data), json.dumps(data))[1],
    ],
    ids=[
        "garbage",
        "version",
        "briefings",
        "part outside",
        "files",
        "unknown field",
        "another page",
        "part folder outside",
        "page beside the edit outside",
        "shapes",
    ],
)
def test_a_patch_record_that_lies_is_a_full_build(site, tmp_path, tamper) -> None:
    record = patch_record(site)
    record.write_text(tamper(json.loads(record.read_text(encoding="utf-8"))), encoding="utf-8")
    append(site, A, "\nMore text.\n")
    result = site.ok("-v")
    assert not patched(result)
    assert "Traceback" not in result.err
    assert site.output_files() == full_build(site, tmp_path)


def test_a_last_build_record_naming_a_file_outside_the_output_is_a_full_build(
    site, tmp_path
) -> None:
    """The patch takes no output path the output's manifest lacks, even one that is
    there as recorded."""
    (found,) = (site.root / ".briefgen-cache").glob("build-*.json")
    data = json.loads(found.read_text(encoding="utf-8"))
    outside = site.root / "content/site.yaml"
    stat = outside.stat()
    data["outputs"]["../content/site.yaml"] = [stat.st_size, stat.st_mtime_ns]
    found.write_text(json.dumps(data), encoding="utf-8")
    append(site, A, "\nMore text.\n")
    result = site.ok("-v")
    assert not patched(result)
    assert site.output_files() == full_build(site, tmp_path)


def test_an_output_file_changed_by_hand_before_an_edit_is_written_again(site, tmp_path) -> None:
    """The output is looked at apart, while the edit is parsed: the change is found, and
    the full build writes the page again."""
    page = site.file("/briefings/c/")
    page.write_bytes(page.read_bytes().replace(b"evacuated", b"EVACUATED"))
    append(site, A, "\nMore text.\n")
    site.settle()
    assert not patched(site.ok("-v"))
    assert site.output_files() == full_build(site, tmp_path)


def test_a_patch_runs_no_collection_of_its_records(site) -> None:
    """Its records are hundreds of thousands of objects at 10,000 briefings, alive until
    it ends: the collector is paused (see build.py)."""
    runs: list[str] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        runs.append(phase)

    append(site, A, "\nMore text.\n")
    site.settle()
    # From a count of none: what ran before in this process (other tests) must not
    # leave the next young collection due in the build's first steps, before the pause.
    gc.collect()
    gc.callbacks.append(noted)
    try:
        result = site.ok("-v")
    finally:
        gc.callbacks.remove(noted)
    assert patched(result)
    assert runs == []


def patched_in(site) -> None:
    """The build after an edit, its files settled: patched in, the site not loaded."""
    site.settle()
    result = site.ok("-v")
    assert patched(result) and "load:" not in result.err, result.err


def test_a_title_edit_is_patched_into_every_page_that_shows_it(site, tmp_path) -> None:
    """Its page, the listings that name it, the archive: every page that read it when
    the last build rendered it, the rest of the site standing in (see outline.py)."""
    replace_in(site, A, "Border villages shelled", "Border villages struck by drones")
    patched_in(site)
    for page in ("/briefings/a/", "/", "/archive/", "/regions/belgorod/", "/tags/shelling/"):
        assert "struck by drones" in site.text(page), page
    assert site.output_files() == full_build(site, tmp_path)
    assert replayed(site.ok("-v"))


def test_title_and_text_edits_one_after_another_are_each_patched(site, tmp_path) -> None:
    """Each front-matter patch keeps the outline as the site now is, for the next."""
    edits = [
        lambda: replace_in(site, A, "Border villages shelled", "Villages shelled"),
        lambda: append(site, A, "\nThe shelling stopped at dawn.\n"),
        lambda: replace_in(site, C, "Evacuation announced", "Evacuation ordered"),
        lambda: replace_in(site, A, "Villages shelled", "Villages shelled again"),
    ]
    for edit in edits:
        edit()
        patched_in(site)
    archive = site.text("/archive/")
    assert "Villages shelled again" in archive and "Evacuation ordered" in archive
    assert site.output_files() == full_build(site, tmp_path)


@pytest.mark.parametrize("shown", [1, 3])
def test_a_title_edit_of_a_briefing_feeds_show_is_patched_with_them(site, tmp_path, shown) -> None:
    feeds_of(site, shown)
    edited, old = (C, "Evacuation announced") if shown == 1 else (A, "Border villages shelled")
    replace_in(site, edited, old, "Everyone was told to leave")
    patched_in(site)
    assert "Everyone was told to leave" in site.text("/feed.xml")
    assert site.output_files() == full_build(site, tmp_path)


def test_a_summary_edit_is_patched(site, tmp_path) -> None:
    replace_in(site, A, "date: 2023-06-01", "date: 2023-06-01\nsummary: Shelling overnight.")
    site.settle()
    assert not patched(site.ok("-v")), "a line added moves where the rest of it stands"
    replace_in(site, A, "summary: Shelling overnight.", "summary: Shelling through the night.")
    patched_in(site)
    assert "Shelling through the night." in site.text("/")
    assert site.output_files() == full_build(site, tmp_path)


def standing_in_for_the_archive(site, monkeypatch) -> None:
    """One briefing a listing page, and the archive's three stand in: as at 10,000
    briefings, where a page that reads more than a hundred reads stand-ins."""
    monkeypatch.setattr(patch, "_FEW", 2)
    replace_in(site, "content/site.yaml", "feed_size: 1\n", "feed_size: 1\nper_page: 1\n")
    site.settle()
    site.ok()


def test_a_title_edit_is_patched_with_the_archive_read_from_stand_ins(
    site, tmp_path, monkeypatch
) -> None:
    standing_in_for_the_archive(site, monkeypatch)
    replace_in(site, A, "Border villages shelled", "Border villages struck")
    patched_in(site)
    assert "Border villages struck" in site.text("/archive/")
    assert site.output_files() == full_build(site, tmp_path)


ARCHIVE_SHOWING_SUMMARIES = """
-- templates/archive.html --
{% extends "default/archive.html" %}
{% block main %}{{ super() }}
<ul class="summaries">
{% for b in site.listed %}<li>{{ b.summary | default("") }}</li>{% endfor %}
</ul>
{% endblock %}
"""


def test_a_page_reading_what_a_stand_in_lacks_is_built_in_full(site, tmp_path, monkeypatch) -> None:
    """An archive showing every briefing's summary reads of each what no stand-in
    holds (where a stand-in lacks it, ``default`` would show nothing, and no error
    tells): a title edit then goes to the build in full, which shows them all."""
    site.write(ARCHIVE_SHOWING_SUMMARIES)
    replace_in(site, B, "date: 2023-06-02", "date: 2023-06-02\nsummary: Schools shut.")
    standing_in_for_the_archive(site, monkeypatch)
    replace_in(site, A, "Border villages shelled", "Border villages struck")
    site.settle()
    result = site.ok("-v")
    assert not patched(result) and "load:" in result.err
    assert "Schools shut." in site.text("/archive/")
    assert site.output_files() == full_build(site, tmp_path)


@pytest.mark.parametrize("edit", ["tags: [shelling]\n", "date: 2023-06-01\n"])
def test_a_front_matter_edit_checked_before_it_is_built_is_built_in_full(
    site, tmp_path, edit
) -> None:
    """CI checks, then builds. The check keeps the edited file in the store, where a
    patch looked for the file as the last build read it: a tag or a date changed, it
    took the edit for one of the title alone, and left the tag's pages as they were."""
    path = site.root / A
    changed = {"tags: [shelling]\n": "tags: []\n", "date: 2023-06-01\n": "date: 2023-06-05\n"}
    path.write_text(path.read_text(encoding="utf-8").replace(edit, changed[edit]), "utf-8")
    site.settle()
    assert site.run("check", "-s", site.root).code == 0
    result = site.ok("-v")
    assert not patched(result), result.err
    assert site.output_files() == full_build(site, tmp_path)


def test_a_title_edit_reads_the_page_its_sources_link_into_once(
    site, tmp_path, monkeypatch
) -> None:
    """The page of each source a briefing cites links into the briefing's page, and a
    title edit renders them all: each read that page again (a briefing citing 800
    sources took 47 s)."""
    sources = "".join(
        f"s{n}:\n  name: Source {n}\n  url: https://s{n}.example.org/\n" for n in range(12)
    )
    append(site, "content/sources.yaml", sources)
    citations = "".join(
        f"  s{n}-1:\n    source: s{n}\n    url: https://s{n}.example.org/1\n"
        f"    archive: https://web.archive.org/web/2023/https://s{n}.example.org/1\n"
        for n in range(12)
    )
    replace_in(site, A, "citations:\n", f"citations:\n{citations}")
    cited = " ".join(f"[@s{n}-1]" for n in range(12))
    append(site, A, f"\nEvery source said so {cited}.\n")
    site.settle()
    site.ok()
    reads: list[str] = []
    held = patch._held

    def counted(writer: object, rel: str) -> str | None:
        reads.append(rel)
        return held(writer, rel)  # type: ignore[arg-type]

    monkeypatch.setattr(patch, "_held", counted)
    replace_in(site, A, "Border villages shelled", "Border villages struck by drones")
    patched_in(site)
    assert "struck by drones" in site.text("/sources/s11/")
    assert reads.count("briefings/a/index.html") == 1, reads
    assert site.output_files() == full_build(site, tmp_path)


def test_a_title_edit_of_a_briefing_with_an_old_address_is_built_in_full(site, tmp_path) -> None:
    """Its old address redirects to it, by its title, and reads nothing the record
    keeps: only the build in full knows to make it again."""
    replace_in(site, A, "title:", "aliases: [/old/]\ntitle:")
    site.settle()
    site.ok()
    replace_in(site, A, "Border villages shelled", "Border villages struck")
    site.settle()
    result = site.ok("-v")
    assert not patched(result)
    assert "Border villages struck" in site.text("/old/")
    assert site.output_files() == full_build(site, tmp_path)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: data["table"].reverse(),
        lambda data: data["listed"].append(len(data["order"])),
        lambda data: data["table"][0].__setitem__(2, "not a date"),
        lambda data: data.update(name="another outline"),
    ],
)
def test_an_outline_that_lies_is_a_full_build(site, tmp_path, monkeypatch, tamper) -> None:
    standing_in_for_the_archive(site, monkeypatch)
    (outline,) = (site.root / ".briefgen-cache").glob("outline-*.json")
    data = json.loads(outline.read_text(encoding="utf-8"))
    tamper(data)
    outline.write_text(json.dumps(data), encoding="utf-8")
    replace_in(site, A, "Border villages shelled", "Border villages struck")
    site.settle()
    result = site.ok("-v")
    assert not patched(result)
    assert site.output_files() == full_build(site, tmp_path)


def test_a_title_edit_of_a_corrected_briefing_is_built_in_full(site, tmp_path) -> None:
    """The corrections log names it, and lists what no outline keeps."""
    replace_in(site, B, "Schools closed in Shebekino", "Shebekino schools shut")
    site.settle()
    result = site.ok("-v")
    assert not patched(result)
    assert "Shebekino schools shut" in site.text("/corrections/")
    assert site.output_files() == full_build(site, tmp_path)


NEWEST_WHEN_STRUCK = """
-- templates/briefing.html --
{% extends "default/briefing.html" %}
{% block main %}{{ super() }}
{% if "struck" in briefing.title %}
<p class="newest">{{ site.by_month[0][1][0].title }}</p>
{% endif %}
{% endblock %}
"""


def test_a_page_that_reads_anew_what_its_title_decides_is_built_in_full(site, tmp_path) -> None:
    """A title that makes its page show another briefing's: the page keys record
    must learn it, or that briefing's next title edit would leave the page as it was."""
    site.write(NEWEST_WHEN_STRUCK)
    site.settle()
    site.ok()
    replace_in(site, A, "Border villages shelled", "Border villages struck")
    site.settle()
    assert not patched(site.ok("-v"))
    replace_in(site, C, "Evacuation announced", "Evacuation ordered")
    site.settle()
    site.ok()
    assert "Evacuation ordered" in site.html("/briefings/a/").find(cls="newest").text
    assert site.output_files() == full_build(site, tmp_path)
