"""The persistent cache and parallel parsing never change a byte of the output."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefgen
from briefgen import pipeline
from briefgen.cache.folder import CACHE_DIR
from briefgen.cache.memory import ParseCache
from briefgen.cache.settled import FINE_SETTLE_NS
from briefgen.cache.store import BuildCache
from briefgen.cli import main
from briefgen.diagnostics import Diagnostics
from briefgen.model import Body, Parsed, StoredBody
from briefgen.read.config import load_config
from briefgen.read.load import BRIEFING, PAGE, ContentFile, kept_parses, load
from briefgen.theme_folders import bundled_theme
from briefgen.workers import can_fork

REGIONS = "russia: {name: Russia}\nbelgorod: {name: Belgorod Oblast, parent: russia}\n"


def briefing(n: int) -> str:
    day = n % 28 + 1
    return (
        f"---\ntitle: Briefing {n} — обстрел\ndate: 2023-06-{day:02d}T{n % 24:02d}:00:00+03:00\n"
        f"updated: 2023-07-{day:02d}\nregions: [belgorod]\ntags: [t{n % 5}]\n"
        "citations:\n"
        f"  a: {{source: gladkov, url: 'https://t.me/x/{n}', published: 2023-06-{day:02d}}}\n"
        f"  b: {{source: dw, quote: 'Цитата {n}', lang: ru, translation: 'Quote {n}'}}\n"
        f"---\n## Part {n}\n\nText [@a] and [@b, para. {n}] then [@a].\n\n"
        "| x | y |\n|---|---|\n| 1 | 2 |\n"
    )


def make_site(root: Path, count: int) -> Path:
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/pages").mkdir()
    (root / "content/regions.yaml").write_text(REGIONS)
    (root / "content/pages/about.md").write_text("---\ntitle: About\n---\nWho we are.\n")
    for n in range(count):
        (root / f"content/briefings/b{n:03d}.md").write_text(briefing(n), encoding="utf-8")
    (root / "content/briefings/warn.md").write_text(
        briefing(999).replace("regions: [belgorod]\n", "")
    )
    return root


def age(root: Path) -> None:
    """Give every content file of ``root`` the times of an hour ago, and wait until the
    change time that gives them is a moment old: a store knows a file by its stamp only
    once it has not changed for a moment (see cache/settled.py)."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in (root / "content").rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago))
    time.sleep(2 * FINE_SETTLE_NS / 10**9)


def output(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def build(site: Path, out: Path, *args: str) -> dict[str, bytes]:
    assert main(["build", "-s", str(site), "--out", str(out), *args]) == 0
    return output(out)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # enough briefings to be parsed and rendered in parallel
    return make_site(tmp_path_factory.mktemp("cached"), count=140)


@pytest.fixture(scope="module")
def reference(site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build(site, tmp_path_factory.mktemp("ref") / "out", "--no-cache", "--jobs", "1")


def test_no_cache_writes_no_cache(site: Path, reference: dict[str, bytes]) -> None:
    assert not (site / CACHE_DIR).exists()
    assert len(reference) > 100


def test_cold_and_warm_cached_builds_equal_a_cacheless_build(
    site: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    assert build(site, tmp_path / "cold") == reference
    assert (site / CACHE_DIR / "parsed.sqlite").is_file()
    assert build(site, tmp_path / "warm") == reference


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_parallel_parsing_and_rendering_equal_one_process(
    site: Path, reference: dict[str, bytes], tmp_path: Path, jobs: str
) -> None:
    assert build(site, tmp_path / "many", "--no-cache", "--jobs", jobs) == reference


@pytest.mark.parametrize("first", [True, False])
def test_a_build_keeps_bodies_in_the_store_until_a_page_shows_them(
    tmp_path: Path, first: bool
) -> None:
    root = make_site(tmp_path, count=3)
    if not first:
        assert main(["build", "-s", str(root)]) == 0
    store = BuildCache(root)
    content = load(root, Diagnostics(), store=store)
    briefing = next(b for b in content.briefings if b.path.endswith("b001.md"))
    assert isinstance(briefing.body, StoredBody)
    assert '<span class="cite">' in briefing.html and "Part 1" in briefing.toc
    preview = load(root, Diagnostics(), cache=ParseCache(), store=BuildCache(root))
    shutil.rmtree(root / CACHE_DIR)  # the preview has read them all already
    assert all('<span class="cite">' in b.html for b in preview.briefings)


class FailingStore(BuildCache):
    """A store whose disk fails when new entries are written (as a full disk would)."""

    def put(self, key: str, rel: str, value: Parsed) -> None:
        self._reset()


def test_bodies_are_read_again_when_the_store_fails_mid_build(tmp_path: Path) -> None:
    root = make_site(tmp_path, count=3)
    assert main(["build", "-s", str(root)]) == 0
    (root / "content/briefings/b001.md").write_text(briefing(1).replace("Part 1", "Part one"))
    content = load(root, Diagnostics(), store=FailingStore(root))
    assert all(isinstance(b.body, Body) for b in content.briefings)
    tocs = "".join(b.toc for b in content.briefings)
    assert ">Part one<" in tocs and ">Part 2<" in tocs


def test_a_body_gone_from_the_store_mid_build_is_parsed_again_while_its_file_holds_it(
    tmp_path: Path,
) -> None:
    """Another command on the site (one of the other ``file_urls``) may start the store
    afresh while a build renders: its bodies were lost, and every page that showed one
    an error. One whose file holds the bytes it was kept for is parsed again; one
    changed since, or gone, is the error it was."""
    root = make_site(tmp_path, count=3)
    content = load(root, Diagnostics(), store=BuildCache(root))
    with sqlite3.connect(root / CACHE_DIR / "parsed.sqlite") as db:
        db.execute("DELETE FROM parsed")
    first, second, page = content.briefings[0], content.briefings[1], content.pages[0]
    assert isinstance(first.body, StoredBody) and isinstance(page.body, StoredBody)
    assert '<span class="cite">' in first.html and ">Part" in first.toc
    assert "Who we are." in page.html
    (root / second.path).write_text(briefing(1).replace("Part 1", "Part one"))
    with pytest.raises(LookupError, match="changed during the build"):
        second.html  # noqa: B018
    again = load(root, Diagnostics(), store=BuildCache(root))
    shutil.rmtree(root / CACHE_DIR)  # before anything was read from it
    assert all(">Part" in b.toc for b in again.briefings)
    (root / again.briefings[2].path).unlink()
    with pytest.raises(LookupError, match="changed during the build"):
        again.briefings[2].html  # noqa: B018


def test_a_build_whose_store_another_command_starts_afresh_writes_what_it_would_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_site(tmp_path / "site", count=8)
    assert main(["build", "-s", str(root)]) == 0
    (root / "content/briefings/b003.md").write_text(briefing(3).replace("Part 3", "Part three"))
    link = pipeline.link

    def afresh(*args: Any, **kwargs: Any) -> Any:
        with sqlite3.connect(root / CACHE_DIR / "parsed.sqlite") as db:
            db.execute("DELETE FROM parsed")
        return link(*args, **kwargs)

    monkeypatch.setattr(pipeline, "link", afresh)
    assert main(["build", "-s", str(root), "-j", "1"]) == 0
    monkeypatch.undo()
    assert main(["build", "-s", str(root), "--no-cache", "--out", str(tmp_path / "clean")]) == 0
    assert output(root / "public") == output(tmp_path / "clean")


def test_a_file_changed_after_its_body_was_dropped_is_one_error_at_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a template error of every page that shows it, located in the bundled theme."""
    root = make_site(tmp_path / "site", count=8)
    assert main(["build", "-s", str(root)]) == 0
    before = output(root / "public")
    (root / "content/briefings/b003.md").write_text(briefing(3).replace("Part 3", "Part three"))
    link = pipeline.link

    def afresh(*args: Any, **kwargs: Any) -> Any:
        with sqlite3.connect(root / CACHE_DIR / "parsed.sqlite") as db:
            db.execute("DELETE FROM parsed")
        (root / "content/briefings/b005.md").write_text(briefing(5).replace("Part", "Section"))
        return link(*args, **kwargs)

    monkeypatch.setattr(pipeline, "link", afresh)
    capsys.readouterr()
    assert main(["build", "-s", str(root), "-j", "1"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        f"content/briefings/b005.md:1:1: error: {CACHE_DIR} changed during the build; build again"
    ]
    assert output(root / "public") == before


@pytest.mark.parametrize("written_by_this_build", [True, False])
def test_a_body_changed_in_the_store_is_sanitised_at_every_read(
    tmp_path: Path, written_by_this_build: bool
) -> None:
    root = make_site(tmp_path, count=3)
    if not written_by_this_build:
        load(root, Diagnostics(), store=BuildCache(root))
    content = load(root, Diagnostics(), store=BuildCache(root))
    first, second = content.briefings[0], content.briefings[1]
    before = (first.html, second.html)  # read, and so known clean, once
    with sqlite3.connect(root / CACHE_DIR / "parsed.sqlite") as db:
        db.execute("UPDATE parsed SET html = html || '<script>alert(1)</script>'")
    for _ in range(2):
        assert (first.html, second.html) == before


def test_warnings_survive_the_cache(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(site, tmp_path / "a")
    capsys.readouterr()
    build(site, tmp_path / "b")
    assert (
        "content/briefings/warn.md:2: warning: briefing has no regions" in capsys.readouterr().err
    )


def test_corrupt_cache_file_is_ignored(
    site: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    build(site, tmp_path / "prime")
    (site / CACHE_DIR / "parsed.sqlite").write_bytes(b"this is not a database" * 100)
    assert build(site, tmp_path / "after") == reference
    assert build(site, tmp_path / "again") == reference


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE parsed SET data = 'not json'",
        'UPDATE parsed SET data = \'{"__class__": "os.system"}\'',
        'UPDATE parsed SET data = replace(data, \'"title": "Briefing\', \'"title": 7, "x": "\')',
        "UPDATE parsed SET data = replace(data, '\"Briefing\"', '\"Nothing\"')",
        "UPDATE parsed SET data = '[1, 2, 3]'",
    ],
)
def test_tampered_entries_are_misses_never_trusted(
    site: Path, reference: dict[str, bytes], tmp_path: Path, tamper: str
) -> None:
    build(site, tmp_path / "prime")
    with sqlite3.connect(site / CACHE_DIR / "parsed.sqlite") as db:
        db.execute(tamper)
    assert build(site, tmp_path / "after") == reference


def test_an_edit_is_picked_up(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=3)
    build(site, tmp_path / "one")
    (site / "content/briefings/b001.md").write_text(briefing(1).replace("Text", "Edited text"))
    pages = build(site, tmp_path / "two")
    assert b"Edited text" in pages["briefings/b001/index.html"]
    reference = build(site, tmp_path / "three", "--no-cache")
    assert pages == reference


def _write(rel: str, text: str) -> Callable[[Path], object]:
    def edit(site: Path) -> None:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)

    return edit


def corrected(n: int, kind: str) -> str:
    """Briefing ``n`` with one correction of ``kind``, dated after everything else in it."""
    entry = f"corrections:\n  - {{date: 2023-08-01, kind: {kind}, text: Fixed.}}\n"
    return briefing(n).replace("citations:\n", entry + "citations:\n")


EDITS: list[tuple[str, Callable[[Path], object]]] = [
    ("body", _write("content/briefings/b001.md", briefing(1).replace("Text", "New"))),
    ("title", _write("content/briefings/b002.md", briefing(2).replace("Briefing 2 ", "Retitled "))),
    ("region", _write("content/regions.yaml", REGIONS.replace("Russia", "Russland"))),
    (
        "template",
        _write(
            "templates/page.html",
            "{% extends 'default/page.html' %}{% block title %}Custom{% endblock %}",
        ),
    ),
    ("correction", _write("content/briefings/b004.md", corrected(4, "correction"))),
    ("retraction", _write("content/briefings/b005.md", corrected(5, "retraction"))),
    ("delete", lambda site: (site / "content/briefings/b003.md").unlink()),
    ("add", _write("content/briefings/new.md", briefing(500))),
    ("static", _write("content/static/x.txt", "x")),
    ("config", _write("content/site.yaml", "title: Renamed\nper_page: 7\n")),
    ("nothing", lambda site: None),
]


def test_incremental_builds_equal_clean_builds_after_every_kind_of_edit(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", count=20)
    out = tmp_path / "out"
    build(site, out, "--jobs", "2")
    for name, edit in EDITS:
        edit(site)
        incremental = build(site, out, "--jobs", "2")
        clean = build(site, tmp_path / f"clean-{name}", "--no-cache", "--jobs", "1")
        assert incremental == clean, name


def test_rebuilds_render_only_pages_whose_inputs_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path / "site", count=30)
    out = tmp_path / "out"

    def rendered(*args: str) -> int:
        capsys.readouterr()
        assert main(["build", "-s", str(site), "--out", str(out), *args]) == 0
        line = capsys.readouterr().out
        return int(line.split("(")[1].split(" rendered")[0])

    total = rendered()
    assert total > 60
    assert rendered() == 0
    (site / "content/briefings/b001.md").write_text(briefing(1).replace("Text", "Changed"))
    # Its page, and the listings and feeds that carry it: a handful, not the site.
    assert 0 < rendered() < total // 4
    assert rendered("--no-cache") == total


def test_a_change_to_briefgens_own_code_reaches_bodies_already_cached(tmp_path: Path) -> None:
    """A fix to the sanitiser or a Markdown extension must not wait for the file to change:
    the cache key covers the code. (A copy of the package is edited, as an upgrade would.)"""
    package = tmp_path / "install"
    code = Path(briefgen.__file__).parent
    shutil.copytree(code, package / "briefgen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(bundled_theme(), package / "briefgen/templates")
    site = tmp_path / "site"
    (site / "content/briefings").mkdir(parents=True)
    (site / "content/briefings/a.md").write_text(
        "---\ntitle: A\ndate: 2023-06-02\nregions: [x]\n---\nA note.[^1]\n\n[^1]: Footnote.\n"
    )

    def built() -> str:
        """Build with the copy of the package; the page of the briefing."""
        # No bytecode: an edit within the second of the last build could leave it stale.
        env = {**os.environ, "PYTHONPATH": str(package), "PYTHONDONTWRITEBYTECODE": "1"}
        command = [sys.executable, "-m", "briefgen", "build", "-s", str(site)]
        subprocess.run(command, env=env, check=True, capture_output=True, cwd=tmp_path)
        return (site / "public/briefings/a/index.html").read_text(encoding="utf-8")

    assert "↩" in built()
    markup = package / "briefgen/markup/body.py"
    markup.write_text(markup.read_text(encoding="utf-8").replace('"↩"', '"⤴"'), encoding="utf-8")
    assert "⤴" in built()


def test_a_parallel_build_beside_other_threads_starts_fresh_workers_and_equals_one_process(
    site: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    # As in the preview: a build in one thread while another thread runs, where
    # forking would copy only the calling thread.
    results: list[dict[str, bytes]] = []
    forkable = can_fork()  # False when an earlier test in this process left a thread running
    release = threading.Event()
    bystander = threading.Thread(target=release.wait)
    bystander.start()
    try:
        assert not can_fork()
        builder = threading.Thread(
            target=lambda: results.append(
                build(site, tmp_path / "threaded", "--no-cache", "--jobs", "2")
            )
        )
        builder.start()
        builder.join(timeout=120)
    finally:
        release.set()
        bystander.join()
    assert results == [reference]
    assert can_fork() == forkable


def test_the_store_gives_back_any_number_of_files_as_they_are(tmp_path: Path) -> None:
    """What a patch reads back from the store is asked for a few hundred files at a
    time (SQLite limits what one query names): every file the store holds as it is
    now comes back, whatever their number; a file touched since does not."""
    root = make_site(tmp_path / "many", count=520)
    age(root)
    diags = Diagnostics()
    config = load_config(root, diags)
    store = BuildCache(root, config.timezone, config.file_urls)
    content = load(root, diags, store=store, jobs=2, config=config)
    items = {item.path: item for item in (*content.briefings, *content.pages)}
    assert len(items) == 522
    touched = "content/briefings/b007.md"
    os.utime(root / touched, ns=(1, 1))

    files = [
        ContentFile(PAGE if rel.startswith("content/pages/") else BRIEFING, rel, f"{root}/{rel}")
        for rel in sorted(items)
    ]
    kept = kept_parses(root, config, files)

    assert set(kept) == set(items) - {touched}
    for rel, parsed in kept.items():
        assert parsed.item is not None
        assert parsed.item.digest == items[rel].digest
        assert parsed.item.html == items[rel].html


def test_a_file_changed_just_before_a_build_is_read_again_by_the_next_whatever_its_times(
    tmp_path: Path,
) -> None:
    """Saved twice within one tick of the file system's clock (or two seconds where it
    keeps whole seconds), with the same size, a file keeps its times: the store must
    not know it by them."""
    root = make_site(tmp_path / "site", count=3)
    age(root)
    edited = root / "content/briefings/b001.md"
    edited.write_text(briefing(1).replace("Briefing 1 ", "Briefinf 1 "), encoding="utf-8")
    soon = time.time_ns() + 30 * 10**9  # the time of the load, or later: however slow this is
    os.utime(edited, ns=(soon, soon))
    diags = Diagnostics()
    config = load_config(root, diags)

    def titles() -> set[str]:
        store = BuildCache(root, config.timezone, config.file_urls)
        return {b.title for b in load(root, diags, store=store, config=config).briefings}

    assert any("Briefinf" in title for title in titles())
    size = edited.stat().st_size
    edited.write_text(briefing(1), encoding="utf-8")  # the typo fixed: the same size
    os.utime(edited, ns=(soon, soon))
    assert edited.stat().st_size == size
    assert not any("Briefinf" in title for title in titles())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_edit_of_the_same_size_with_its_time_set_back_is_built(
    tmp_path: Path, jobs: str
) -> None:
    """Programs that copy files keep their modification times (`cp -p`, `rsync -t`,
    `touch -r`): a briefing replaced by another version of the same size, its time
    set back, is known by its change time, which no program sets."""
    site = make_site(tmp_path / "site", count=3)
    age(site)
    out = tmp_path / "out"
    build(site, out, "--jobs", jobs)
    edited = site / "content/briefings/b001.md"
    before = edited.stat()
    edited.write_text(briefing(1).replace("Text", "Tex2"), encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    time.sleep(2 * FINE_SETTLE_NS / 10**9)  # the change settled: not read again as racy
    pages = build(site, out, "--jobs", jobs)
    assert b"Tex2" in pages["briefings/b001/index.html"]
    assert pages == build(site, tmp_path / "plain", "--no-cache")


@pytest.mark.parametrize("change", ["slug", "delete", "draft"])
def test_a_page_left_as_it_was_is_checked_again_when_a_page_it_links_to_is_gone(
    tmp_path: Path, change: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page's key holds what its templates read, not the pages its body links to: a
    briefing left as it was still links to one given another slug, deleted or held
    back, and the rebuild must say so as a build from nothing does."""
    site = make_site(tmp_path / "site", count=3)
    linking = site / "content/briefings/b000.md"
    linking.write_text(briefing(0) + "\nSee [the next](/briefings/b001/).\n", encoding="utf-8")
    out = tmp_path / "out"
    build(site, out)
    target = site / "content/briefings/b001.md"
    if change == "delete":
        target.unlink()
    else:
        field = "slug: moved" if change == "slug" else "draft: true"
        target.write_text(briefing(1).replace("\ndate:", f"\n{field}\ndate:", 1), encoding="utf-8")
    capsys.readouterr()
    for _ in range(2):  # and again: the problem is not forgotten
        assert main(["build", "-s", str(site), "--out", str(out)]) == 0
        printed = capsys.readouterr()
        assert "content/briefings/b000.md:19: warning: broken link '/briefings/b001/'" in (
            printed.out + printed.err
        )


LINK_CHANGES = {
    # change: (link in b000, the edit, whether the rebuild warns of the link)
    "page-appears": ("/briefings/later/", lambda site: write(site, "later", briefing(7)), False),
    "anchor-renamed": (
        "/briefings/b001/#part-1",
        lambda site: write(site, "b001", briefing(1).replace("## Part 1", "## Chapter 1")),
        True,
    ),
    "file-gone": ("/notes.txt", lambda site: (site / "content/static/notes.txt").unlink(), True),
    "anchor-added": (
        "/briefings/b001/#later",
        lambda site: write(site, "b001", briefing(1).replace("## Part 1", "## Later")),
        False,
    ),
}


def write(site: Path, name: str, text: str) -> None:
    (site / f"content/briefings/{name}.md").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("change", LINK_CHANGES)
def test_a_page_left_as_it_was_is_checked_again_when_what_it_links_to_changes(
    tmp_path: Path, change: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A briefing left as it was links to a page that appears, a static file removed,
    or an anchor of a page rendered again that loses or gains it: the rebuild reports
    what a build from nothing reports, neither missing a broken link nor keeping one
    mended."""
    link, edit, warns = LINK_CHANGES[change]
    site = make_site(tmp_path / "site", count=3)
    (site / "content/static").mkdir()
    (site / "content/static/notes.txt").write_text("Notes.\n", encoding="utf-8")
    write(site, "b000", briefing(0) + f"\nSee [the next]({link}).\n")
    out = tmp_path / "out"

    def warnings(*args: str) -> list[str]:
        capsys.readouterr()
        assert main(["build", "-s", str(site), "--out", str(out), *args]) == 0
        printed = capsys.readouterr()
        return [line for line in (printed.out + printed.err).splitlines() if "broken link" in line]

    assert bool(warnings()) is not warns
    edit(site)
    for _ in range(2):  # and again: what was found is kept
        assert bool(warnings()) is warns
    out = tmp_path / "plain"
    assert bool(warnings("--no-cache")) is warns


def test_pages_checked_again_on_two_cores_are_checked_as_on_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many pages checked again (every page left, once a briefing is deleted) are shared
    with a forked copy, which finds what this process would."""
    import briefgen.pipeline as pipeline

    site = make_site(tmp_path / "site", count=6)
    link = "\nSee [the next](/briefings/b001/).\n"
    write(site, "b000", briefing(0) + link)  # among the first pages left, "about" the last
    (site / "content/pages/about.md").write_text(f"---\ntitle: About\n---\n{link}")
    out = tmp_path / "out"
    build(site, out, "--jobs", "2")
    (site / "content/briefings/b001.md").unlink()
    forks = []

    def counted(task: Callable[[], bytes]) -> object:
        forked = fork(task)
        forks.append(forked is not None)
        return forked

    fork = pipeline.fork
    monkeypatch.setattr(pipeline, "fork", counted)
    monkeypatch.setattr(pipeline, "_CHECKED_APART_FROM", 1)
    capsys.readouterr()
    assert main(["build", "-s", str(site), "--out", str(out), "--jobs", "2"]) == 0
    printed = capsys.readouterr()
    assert forks == [True]
    lines = printed.err.splitlines()
    warned = sorted(line.split(":")[0] for line in lines if "broken link" in line)
    assert warned == ["content/briefings/b000.md", "content/pages/about.md"]
