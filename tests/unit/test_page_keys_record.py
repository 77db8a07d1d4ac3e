"""The page keys record is written in pieces, as JSON, and reads back as it was saved;
the shapes of the parts of the site it keeps are those of their briefings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.build import BuildOptions
from briefgen.diagnostics import Diagnostics
from briefgen.pipeline import prepare
from briefgen.render.keys import PageEntry, RouteKeys, SiteShapes, _sha, _shape
from briefgen.render.reads import KEY, KEYED, SITE_NAMES

REPO = Path(__file__).resolve().parents[2]  # the repository is a site: the example


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2345])
def test_the_record_written_in_pieces_reads_back_as_saved(tmp_path: Path, count: int) -> None:
    out = tmp_path / "public"
    out.mkdir()
    saved = {}
    for n in range(count):
        rel = f"p{n}/index.html"
        (out / f"p{n}").mkdir()
        (out / rel).write_bytes(b"x" * (n % 7))
        shown = tuple(f"content/briefings/b{m}é.md" for m in range(n % 3))
        read = (shown, (), ("config",) if n % 2 else ())
        anchored = frozenset(f"b{m}/index.html" for m in range(n % 4))
        saved[rel] = PageEntry(f"key{n}", f"route{n}", True, (), read, anchored)
    keys = RouteKeys(tmp_path, out)
    stamps = keys.save(out, saved, {}, {"config": "shape"}).stamps
    assert stamps == {rel: [n % 7, (out / rel).stat().st_mtime_ns] for n, rel in enumerate(saved)}
    text = keys.path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text))
    again = RouteKeys(tmp_path, out).load()
    assert {rel: again.read(rel) for rel in saved} == {rel: saved[rel].read for rel in saved}
    assert all(again.entries[rel][:2] == [f"key{n}", n % 7] for n, rel in enumerate(saved))
    assert all(again.entries[rel][7] == f"route{n}" for n, rel in enumerate(saved))
    assert {rel: again.anchored(rel) for rel in saved} == {r: e.anchored for r, e in saved.items()}
    for rel, bad in zip(saved, ["9999", "x", 7, None], strict=False):  # untrusted: unknown
        again.entries[rel][8] = bad
        assert again.anchored(rel) is None


def test_each_part_of_the_site_has_the_shape_it_has_briefing_by_briefing() -> None:
    """The parts listing briefings are shaped from each briefing's shape, known from
    the start: the same text as shaping each briefing as it is met."""
    site = prepare(REPO, BuildOptions(cache=False), Diagnostics()).site
    shapes = SiteShapes(site)
    for name in sorted(SITE_NAMES | {f"{field}{KEY}{key}" for field in KEYED
                                     for key in getattr(site, field)}):  # fmt: skip
        part = shapes._part(name)
        assert shapes[name] == _sha(_shape(part)), name
    assert site.by_region and any(len(items) > 1 for items in site.by_region.values())


def test_the_record_tells_which_pages_read_each_briefing_whole(tmp_path: Path) -> None:
    """What a patch renders again (see patch.py): the pages that read all of a briefing;
    nothing when a page is not on record, since it may have read any."""
    out = tmp_path / "public"
    out.mkdir()
    a, b, c = (f"content/briefings/{name}.md" for name in "abc")
    reads = {
        "a/index.html": ((), (a,), ("config",)),
        "b/index.html": ((a,), (b,), ()),
        "c/index.html": ((), (c,), ()),
        "feed.xml": ((), (c,), ()),
    }
    for rel in reads:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"page")
    saved = {rel: PageEntry(f"key-{rel}", "route", True, (), read) for rel, read in reads.items()}
    keys = RouteKeys(tmp_path, out)

    found = keys.save(out, saved, {}, {"config": "shape"})

    assert found.readers == {a: ("a/index.html",), b: ("b/index.html",),
                             c: ("c/index.html", "feed.xml")}  # fmt: skip
    assert found.shapes == {"config": "shape"}
    again = RouteKeys(tmp_path, out).load()
    left = dict(saved, **{"b/index.html": PageEntry("key-b/index.html", "route", False, (), None)})
    assert again.save(out, left, {}, {"config": "shape"}).readers == found.readers
    (out / "c/index.html").unlink()  # a page whose file is gone is left off the record
    assert RouteKeys(tmp_path, out).load().save(out, saved, {}, {"config": "shape"}).readers == {}


def test_a_file_looked_at_is_judged_by_the_look_and_the_others_by_their_file(
    tmp_path: Path,
) -> None:
    """Files the build saw the output hold at its start are not looked at again: their
    size and time as seen then decide; a file the look did not cover is looked at."""
    out = tmp_path / "public"
    out.mkdir()
    for name in "abc":
        (out / name).write_bytes(b"page")
    saved = {name: PageEntry(f"key-{name}", "route", True, (), ((), (), ())) for name in "abc"}
    stamps = RouteKeys(tmp_path, out).save(out, saved, {}, {}).stamps
    (out / "a").unlink()  # gone since the look: the look decides
    looked = {"a": stamps["a"], "b": [stamps["b"][0] + 1, stamps["b"][1]]}

    keys = RouteKeys(tmp_path, out).load(looked)

    assert keys.unchanged(out, "a", "key-a")
    assert not keys.unchanged(out, "b", "key-b")  # seen other than the record has it
    assert keys.unchanged(out, "c", "key-c")  # not looked at: its file decides
    (out / "c").write_bytes(b"changed")
    assert not keys.unchanged(out, "c", "key-c")
    assert not keys.unchanged(out, "a", "another key")
    plain = RouteKeys(tmp_path, out).load()
    assert not plain.unchanged(out, "a", "key-a")
    assert plain.unchanged(out, "b", "key-b")
