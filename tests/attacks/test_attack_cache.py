"""The persistent cache (.briefgen-cache/parsed.sqlite) is input an attacker can edit.

Whoever can write the cache folder (a shared CI cache, a restored artefact) must not
be able to publish script through it, steer a write outside the output, or make a
build write somewhere else through a symbolic link. A cache that is garbage is a
cache miss.
"""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from attack_kit import (
    A,
    Result,
    assert_clean_stderr,
    briefing,
    build,
    changes,
    elements,
    html_files,
    make_site,
    run,
    snapshot,
)

from briefgen.model import Parsed

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"
BODY = "## Background\n\nShelling reported [@g].\n\n### Details\n\nMore text.\n"
TOC_TEMPLATE = (
    '{% extends "default/briefing.html" %}'
    '{% block main %}<nav class="toc">{{ briefing.toc | safe }}</nav>{{ super() }}{% endblock %}'
)


def _site(root: Path) -> Path:
    return make_site(
        root,
        {
            "content/briefings/a.md": briefing(
                body=BODY, front="slug: zz-unique-slug\naliases: [zz-old-alias]\n"
            ),
            "content/briefings/b.md": briefing("Second briefing", BODY),
            "content/pages/about.md": "---\ntitle: About\n---\n## Who\n\nUs.\n",
            "templates/briefing.html": TOC_TEMPLATE,
        },
    )


def _cache(site: Path) -> sqlite3.Connection:
    path = site / ".briefgen-cache/parsed.sqlite"
    assert path.is_file(), "the build made no cache to attack"
    return sqlite3.connect(path, isolation_level=None)


def _forget_the_last_build(site: Path) -> None:
    """Remove the record of the last build, if it left one (see last_build.py): with
    it, a build whose files did not change since would report the last one's outcome
    without reading the cache."""
    for record in (site / ".briefgen-cache").glob("build-*.json"):
        record.unlink()


def _scripts_and_handlers(out: Path) -> list[str]:
    """<script> elements and on* attributes in every page, and in every feed's HTML;
    the theme's own script (the citation cards') is no finding."""
    found = []
    documents = html_files(out)
    for rel, text in documents.items():
        if rel == "search/index.html":
            continue  # the theme's own search page runs Pagefind's script, and shows no content
        for tag, attrs in elements(text):
            # JSON-LD is data, never run; tests/site/test_metadata.py checks it is safe.
            ours = attrs.get("type") == "application/ld+json" or (
                (attrs.get("src") or "").endswith("/assets/cards.js")
            )
            if tag == "script" and not ours:
                found.append(f"{rel}: <script>")
            found += [f"{rel}: <{tag} {name}=...>" for name in attrs if name.startswith("on")]
    for feed in sorted(out.rglob("*.xml")):
        # Atom <content type="html"> holds escaped HTML: decode it, then look inside.
        for node in ET.parse(feed).iter():
            if node.text and "<" in node.text:
                for tag, attrs in elements(node.text):
                    rel = feed.relative_to(out).as_posix()
                    if tag == "script" or any(n.startswith("on") for n in attrs):
                        found.append(f"{rel}: <{tag}> in feed HTML")
    return found


@pytest.mark.parametrize("into", ["same output", "same output, theme edited", "fresh output"])
def test_poisoned_cached_bodies_never_publish_script(tmp_path: Path, into: str) -> None:
    """Only the cache is edited (and, in one case, the theme, so every page is rendered)."""
    site = _site(tmp_path / "site")
    assert build(site).code == 0
    assert not _scripts_and_handlers(site / "public")
    with _cache(site) as db:
        rows = db.execute("UPDATE parsed SET html = ?, toc = ?", (PAYLOAD, PAYLOAD)).rowcount
    assert rows >= 3
    if into == "same output, theme edited":
        (site / "templates/briefing.html").write_text(TOC_TEMPLATE + "\n")

    out = tmp_path / "fresh/out" if into == "fresh output" else site / "public"
    result = build(site, "--out", out)

    # urls.md: bodies read from the cache are sanitised again, and the build goes on.
    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    assert not _scripts_and_handlers(out)


@pytest.mark.parametrize("slug", ["../../pwned", "../../../pwned", "{tmp}/abs-pwned"])
@pytest.mark.parametrize("into", ["same output", "fresh output"])
def test_slug_edited_in_the_cache_never_writes_outside_the_output(
    tmp_path: Path, slug: str, into: str
) -> None:
    site = _site(tmp_path / "site")
    assert build(site).code == 0
    slug = slug.format(tmp=tmp_path)
    with _cache(site) as db:
        rows = db.execute(
            "UPDATE parsed SET data = replace(data, ?, ?)", ('"zz-unique-slug"', f'"{slug}"')
        ).rowcount
        hits = db.execute("SELECT count(*) FROM parsed WHERE data LIKE ?", (f'%"{slug}"%',))
        assert rows and hits.fetchone()[0] == 1, "the slug was not found in the cached data"
    out = site / "public" if into == "same output" else tmp_path / "fresh/out"
    clean = tmp_path / "clean"
    keep = (out, clean, site / ".briefgen-cache")
    outside = snapshot(tmp_path, skip=keep)

    result = build(site, "--out", out)

    assert not changes(outside, snapshot(tmp_path, skip=keep))
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "abs-pwned").exists()
    # urls.md: an entry whose slug parsing could not produce is a miss: the file is
    # parsed again, and the build is as without the cache.
    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    assert build(site, "--out", clean, "--no-cache").code == 0
    assert not changes(snapshot(clean), snapshot(out))


@pytest.mark.parametrize("path", ["../../pwned/", "briefings/../../pwned/", "{tmp}/abs-pwned/"])
def test_alias_edited_in_the_cache_never_writes_outside_the_output(
    tmp_path: Path, path: str
) -> None:
    site = _site(tmp_path / "site")
    assert build(site).code == 0
    assert (site / "public/briefings/zz-old-alias/index.html").is_file()
    path = path.format(tmp=tmp_path)
    with _cache(site) as db:
        db.execute(
            "UPDATE parsed SET data = replace(data, ?, ?)",
            ('"briefings/zz-old-alias/"', f'"{path}"'),
        )
        hits = db.execute("SELECT count(*) FROM parsed WHERE data LIKE ?", (f'%"{path}"%',))
        assert hits.fetchone()[0] == 1, "the alias was not found in the cached data"
    outside = snapshot(tmp_path, skip=(site / "public", site / ".briefgen-cache"))

    result = build(site)

    assert not changes(
        outside, snapshot(tmp_path, skip=(site / "public", site / ".briefgen-cache"))
    )
    assert result.code == 0, result.err
    assert (site / "public/briefings/zz-old-alias/index.html").is_file()


def _mark_scheduled(site: Path) -> int:
    """Mark every briefing in the cache scheduled (its last fields: publish_at, none,
    and scheduled); the number of entries changed."""
    with _cache(site) as db:
        return db.execute(
            "UPDATE parsed SET data = replace(data, ?1, ?2) WHERE instr(data, ?1)",
            ("null, false]]", "null, true]]"),
        ).rowcount


def test_a_briefing_marked_scheduled_in_the_cache_is_a_miss(tmp_path: Path) -> None:
    """Parsing never marks a briefing scheduled (each build's moment decides that): an
    entry that says so was edited, and must not label a published briefing unpublished."""
    site = _site(tmp_path / "site")
    assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0
    assert build(site).code == 0
    assert _mark_scheduled(site) == 2, "the briefings' 'scheduled' was not found in the cache"
    _forget_the_last_build(site)

    result = build(site)

    assert result.code == 0, result.err
    assert not changes(snapshot(tmp_path / "clean"), snapshot(site / "public"))


def test_an_entry_moved_to_another_files_key_is_a_miss(tmp_path: Path) -> None:
    """An entry describes the file it was parsed from: one file's entry put under
    another file's key is a miss."""
    site = _site(tmp_path / "site")
    assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0
    assert build(site).code == 0
    with _cache(site) as db:
        rows = dict(db.execute("SELECT rel, key FROM files"))
        a, b = rows["content/briefings/a.md"], rows["content/briefings/b.md"]
        moved = db.execute(
            "UPDATE parsed SET data = (SELECT data FROM parsed WHERE key = ?) WHERE key = ?",
            (a, b),
        ).rowcount
        assert moved == 1
    _forget_the_last_build(site)

    result = build(site)

    assert result.code == 0, result.err
    assert not changes(snapshot(tmp_path / "clean"), snapshot(site / "public"))


def _large_site_checked_apart(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site whose entries a forked worker checks beside the main process, built
    once (its cache filled) and once more after an edit into ``root / "clean"``
    without the cache, with the last build forgotten, so that the next build reads
    every entry back from the cache."""
    import briefgen.read.stored as stored

    files = {f"content/briefings/b{n}.md": briefing(f"Briefing {n}", BODY) for n in range(6)}
    site = make_site(root / "site", files)
    assert build(site).code == 0
    monkeypatch.setattr(stored, "_CHECKED_APART_FROM", 2)
    (site / "content/briefings/b0.md").write_text(briefing("Briefing 0", BODY + "\nMore.\n"))
    assert build(site, "--out", root / "clean", "--no-cache").code == 0
    _forget_the_last_build(site)  # else the edit is patched in, reading no entry (patch.py)
    return site


def _previewed(site: Path) -> dict[str, object]:
    """The routes of the preview's first load of ``site``, by site path."""
    from briefgen.build import BuildOptions
    from briefgen.serve.preview import Preview

    chosen = BuildOptions(write=False, base_url="http://127.0.0.1:1/", jobs=2)
    preview = Preview(site, chosen, lambda line: None)
    preview.rebuild()
    assert preview.snapshot is not None
    return dict(preview.snapshot.routes)


def _read_back_as_built(root: Path, reader: str) -> None:
    """Read the site at ``root / "site"`` back from its cache as ``reader`` does (a build
    with two processes, or the preview's first load, which reads every body and claim
    with its entry), and check it is the site built from nothing into ``root / "clean"``:
    no entry found edited was taken (for the preview: every briefing has its page)."""
    site = root / "site"
    if reader == "build":
        result = build(site, "-j", "2")
        assert result.code == 0, result.err
        assert not changes(snapshot(root / "clean"), snapshot(site / "public"))
    else:
        assert {f"briefings/b{n}/" for n in range(6)} <= _previewed(site).keys()


@pytest.mark.parametrize("reader", ["build", "preview"])
@pytest.mark.parametrize("worker", ["checks", "fails"])
def test_entries_a_worker_checks_are_misses_when_edited_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: str, reader: str
) -> None:
    """A large site's entries are mostly checked by a forked worker beside the decoding
    (here every site is large), for a build and for the preview's first load alike: an
    entry it finds edited is a miss like any other, and so is one the main process
    checks. A worker that fails leaves its share to the main process."""
    import briefgen.read.stored as stored

    if worker == "fails":
        monkeypatch.setattr(stored, "_failing", lambda *args: 1 / 0)

    site = _large_site_checked_apart(tmp_path, monkeypatch)
    assert _mark_scheduled(site) == 7, "the briefings' 'scheduled' was not found in the cache"
    workers = []

    def counted(task: Callable[[], bytes]) -> object:
        forked = fork(task)
        workers.append(forked)
        return forked

    fork = stored.fork
    monkeypatch.setattr(stored, "fork", counted)

    _read_back_as_built(tmp_path, reader)

    assert [forked is not None for forked in workers] == [True]


@pytest.mark.parametrize("reader", ["build", "preview"])
def test_an_entry_rewritten_after_the_worker_read_it_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    """The worker's verdicts hold for the entries it read: every entry is marked
    scheduled after the worker has checked its share, before the main process reads
    it, and the main process, reading other bytes than the worker checked, checks
    them itself."""
    import briefgen.read.stored as stored

    site = _large_site_checked_apart(tmp_path, monkeypatch)
    fork = stored.fork
    rewritten = []

    def then_rewritten(task: Callable[[], bytes]) -> object:
        forked = fork(task)
        assert forked is not None and forked.result() is not None
        rewritten.append(_mark_scheduled(site))
        return forked

    monkeypatch.setattr(stored, "fork", then_rewritten)

    _read_back_as_built(tmp_path, reader)

    assert rewritten == [7], "the cache's entries were not rewritten between the two reads"


def test_the_workers_verdicts_are_taken_for_the_entries_it_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Left alone, both processes read the same entries: the main process takes the
    worker's verdicts instead of checking its share again."""
    import briefgen.read.stored as stored

    site = _large_site_checked_apart(tmp_path, monkeypatch)
    taken: list[list[str] | None] = []
    verdicts = stored._Share.verdicts

    def noted(share: stored._Share, said: bytes | None) -> list[str] | None:
        taken.append(verdicts(share, said))
        return taken[-1]

    monkeypatch.setattr(stored._Share, "verdicts", noted)

    result = build(site, "-j", "2")

    assert result.code == 0, result.err
    assert taken == [[]]
    assert not changes(snapshot(tmp_path / "clean"), snapshot(site / "public"))


CORRECTED = (
    "corrections:\n"
    "  - {date: 2023-06-03, kind: correction, text: Fixed the district.}\n"
    "  - {date: 2023-06-04, kind: update, text: More figures.}\n"
)


@pytest.mark.parametrize(
    ("found", "put"),
    [
        ("<p>Fixed the district.</p>", PAYLOAD),
        ("<p>Fixed the district.</p>", '<p id=\\"cite-1\\">Fake source</p>'),
        ('"correction"', '"rumour"'),
    ],
)
def test_correction_edited_in_the_cache_is_a_miss(tmp_path: Path, found: str, put: str) -> None:
    """Its text must be what sanitising makes (without ids), its kind a known one."""
    site = make_site(tmp_path / "site", {"content/briefings/a.md": briefing(front=CORRECTED)})
    assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0
    assert build(site).code == 0
    with _cache(site) as db:
        db.execute("UPDATE parsed SET data = replace(data, ?, ?)", (found, put))
        hits = db.execute("SELECT count(*) FROM parsed WHERE data LIKE ?", (f"%{put}%",))
        assert hits.fetchone()[0] == 1, "the value was not found in the cached data"
    _forget_the_last_build(site)

    result = build(site)

    assert result.code == 0, result.err
    assert not _scripts_and_handlers(site / "public")
    assert not changes(snapshot(tmp_path / "clean"), snapshot(site / "public"))


@pytest.mark.parametrize("garbage", ["random bytes", "empty file", "cache folder is a file"])
def test_garbage_cache_is_a_miss_and_the_build_is_as_without_it(
    tmp_path: Path, garbage: str
) -> None:
    site = _site(tmp_path / "site")
    assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0
    expected = snapshot(tmp_path / "clean")
    assert build(site).code == 0
    cache = site / ".briefgen-cache"
    if garbage == "random bytes":
        (cache / "parsed.sqlite").write_bytes(bytes(range(256))[::-1] * 64)
    elif garbage == "empty file":
        (cache / "parsed.sqlite").write_bytes(b"")
    else:
        for path in cache.iterdir():
            path.unlink()
        cache.rmdir()
        cache.write_bytes(b"SQLite format 3\x00 but not really")

    result = build(site, "--out", tmp_path / "again")

    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    assert not changes(expected, snapshot(tmp_path / "again"))


@pytest.mark.parametrize("when", ["before the first build", "after a build"])
def test_cache_folder_symlinked_elsewhere_gets_nothing_written_there(
    tmp_path: Path, when: str
) -> None:
    site = _site(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the cache\n")
    if when == "after a build":
        assert build(site).code == 0
        for path in (site / ".briefgen-cache").iterdir():
            path.unlink()
        (site / ".briefgen-cache").rmdir()
    (site / ".briefgen-cache").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(elsewhere)

    result = build(site)

    assert not changes(before, snapshot(elsewhere)), "the build wrote through the symlink"
    # urls.md: a .briefgen-cache that is a symbolic link is not used; the build goes on.
    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    assert "Villages shelled" in (site / "public/briefings/zz-unique-slug/index.html").read_text()


def test_cache_file_symlinked_elsewhere_is_not_written_through(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    assert build(site).code == 0
    victim = tmp_path / "victim.sqlite"
    victim.write_bytes((site / ".briefgen-cache/parsed.sqlite").read_bytes())
    (site / ".briefgen-cache/parsed.sqlite").unlink()
    (site / ".briefgen-cache/parsed.sqlite").symlink_to(victim)
    before = victim.read_bytes()
    write_edit = briefing("Edited briefing", BODY)
    (site / "content/briefings/b.md").write_text(write_edit)

    result = build(site)

    assert victim.read_bytes() == before, "the build wrote through the symlink"
    # The cache is always safe to lose (urls.md): the build goes on and is up to date.
    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    assert "Edited briefing" in (site / "public/briefings/b/index.html").read_text()


CLAIMS_AT = [f.name for f in fields(Parsed)].index("claims")
UNCITED = (
    "Thousands of residents left the border villages over the weekend, many of them by their "
    "own means and without any help from the regional authorities.\n"
)
# Each field of a cached claim, and a value that parsing the file could not have made.
CLAIM_EDITS = {
    "kind": (0, "nonsense"),
    "another file": (1, ["content/briefings/b.md", 11, 1]),
    "no line": (1, ["content/briefings/a.md", 0, 1]),
    "no words": (2, 0),
    "a key no body can cite": (3, ["not a key"]),
    "a terminal escape in its words": (4, "Thousands\u001b[2J of residents…"),
}


def _built_with_an_uncited_claim(tmp_path: Path) -> tuple[Path, Result]:
    """A site whose briefing has a cited claim, then an uncited one, built once."""
    site = make_site(
        tmp_path / "site",
        {
            A: briefing(body=f"Shelling reported [@g].\n\n{UNCITED}"),
            "content/site.yaml": "title: T\nrequire_archive: false\n",
        },
    )
    first = build(site)
    assert first.code == 0, first.err
    return site, first


@pytest.mark.parametrize("edit", CLAIM_EDITS)
def test_claims_edited_in_the_cache_are_misses(tmp_path: Path, edit: str) -> None:
    """Warnings quote claims, and a later check reads their keys: a claim parsing could
    not have made is a miss, and the file is parsed again."""
    site, first = _built_with_an_uncited_claim(tmp_path)
    warned = [line for line in first.err.splitlines() if ": warning: " in line]
    assert warned == [
        f'{A}:12: warning: paragraph without a citation: "Thousands of residents left the…" '
        "(cite a source, or mark your own analysis as a '::: assessment' block)"
    ]
    field, value = CLAIM_EDITS[edit]
    with _cache(site) as db:
        ((key, data),) = db.execute("SELECT key, claims FROM parsed WHERE data LIKE '[[\"B\"%'")
        claims = json.loads(data)
        claims[1][field] = value  # the second claim, the uncited one
        db.execute("UPDATE parsed SET claims = ? WHERE key = ?", (json.dumps(claims), key))
    _forget_the_last_build(site)

    again = build(site)

    assert again.code == 0, again.err
    assert [line for line in again.err.splitlines() if ": warning: " in line] == warned


@pytest.mark.parametrize("edit", CLAIM_EDITS)
def test_claims_edited_in_the_cache_are_misses_for_the_preview(tmp_path: Path, edit: str) -> None:
    """The preview reads every claim with its entry, where a build leaves them in the
    store until a check needs them: a claim parsing could not have made is a miss there
    too."""
    from briefgen.build import BuildOptions
    from briefgen.serve.preview import Preview

    site, first = _built_with_an_uncited_claim(tmp_path)
    warned = [line for line in first.err.splitlines() if ": warning: " in line]
    field, value = CLAIM_EDITS[edit]
    with _cache(site) as db:
        ((key, data),) = db.execute("SELECT key, claims FROM parsed WHERE data LIKE '[[\"B\"%'")
        claims = json.loads(data)
        claims[1][field] = value
        db.execute("UPDATE parsed SET claims = ? WHERE key = ?", (json.dumps(claims), key))
    log: list[str] = []

    Preview(site, BuildOptions(write=False, base_url="http://127.0.0.1:1/"), log.append).rebuild()

    assert [line for line in log if ": warning: " in line] == warned


# What an entry says of its claims' words (negative: cites nothing), and what it cannot say.
WORDS_EDITS = {
    "no list": "12",
    "no words": [9, 0],
    "a flag": [9, True],
    "text": [9, "-17"],
}


@pytest.mark.parametrize("edit", WORDS_EDITS)
def test_claim_words_edited_in_the_cache_are_misses(tmp_path: Path, edit: str) -> None:
    """The coverage check counts claims by the words their entry gives: words that no
    parse could give are a miss, and the file is parsed again."""
    site, first = _built_with_an_uncited_claim(tmp_path)
    with _cache(site) as db:
        ((key, data),) = db.execute("SELECT key, data FROM parsed WHERE data LIKE '[[\"B\"%'")
        entry = json.loads(data)
        assert entry[CLAIMS_AT] == [2, -25]  # cited, then the uncited one
        entry[CLAIMS_AT] = WORDS_EDITS[edit]
        db.execute("UPDATE parsed SET data = ? WHERE key = ?", (json.dumps(entry), key))
    _forget_the_last_build(site)

    again = build(site)

    assert again.code == 0, again.err
    assert again.err == first.err


DEEP = '{"version": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize("command", ["build", "check"])
def test_records_nested_too_deeply_are_no_records(tmp_path: Path, command: str) -> None:
    """JSON nested deeper than Python's stack in every record of the cache: read back
    as no record, never a traceback."""
    site = _site(tmp_path / "site")
    assert build(site).code == 0
    assert run("check", "-s", site).code == 0
    records = sorted((site / ".briefgen-cache").glob("*.json"))
    assert len(records) >= 4
    for path in records:
        path.write_text(DEEP)
    edited = site / "content/briefings/b.md"
    edited.write_text(edited.read_text().replace("More text.", "More text, edited."))

    result = run(command, "-s", site)

    assert result.code == 0, result.err
    assert_clean_stderr(result.err, strict=False)
    if command == "build":
        assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0
        assert not changes(snapshot(tmp_path / "clean"), snapshot(site / "public"))


@pytest.mark.parametrize("where", ["manifest", "journal"])
def test_a_manifest_or_journal_nested_too_deeply_is_told_or_ignored(
    tmp_path: Path, where: str
) -> None:
    """The manifest is then one that does not read as one, and the journal one of a
    commit cut off that cannot be undone: the build stops and says so, and keeps the
    backup, which may hold the only copies of the files it replaced."""
    site = _site(tmp_path / "site")
    assert build(site).code == 0
    before = snapshot(site / "public")
    if where == "manifest":
        (site / "public/.briefgen-manifest").write_text(DEEP)
    else:
        backup = site / ".public.briefgen-old"
        (backup / "files").mkdir(parents=True)
        (backup / ".briefgen-made-this").write_text("")
        (backup / "journal.json").write_text(DEEP)

    result = build(site)

    assert "Traceback" not in result.err
    if where == "manifest":
        assert result.code == 1
        assert "cannot be read" in result.err
    else:
        assert result.code == 1, result.err
        assert "is no such list (it does not read as one)" in result.err
        assert (backup / "journal.json").read_text() == DEEP
    manifest = site / "public/.briefgen-manifest"
    before.pop(".briefgen-manifest")
    assert not changes(before, snapshot(site / "public", skip=(manifest,)))


STORE_DAMAGE = {
    "bodies null": "UPDATE parsed SET html = NULL",
    "tables of contents blobs": "UPDATE parsed SET toc = x'3c703e'",
    "claims blobs": "UPDATE parsed SET claims = x'00ff'",
    "claims nested too deeply": "UPDATE parsed SET claims = '" + "[" * 100_000 + "'",
    "a column renamed": "ALTER TABLE parsed RENAME COLUMN html TO body",
    "a byte of the schema changed": (
        "PRAGMA writable_schema = ON; "
        "UPDATE sqlite_master SET sql = replace(sql, 'body_seal', 'body_sea1') "
        "WHERE name = 'parsed'; PRAGMA writable_schema = OFF"
    ),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("damage", STORE_DAMAGE.values(), ids=list(STORE_DAMAGE))
def test_a_store_whose_rows_or_tables_are_not_as_written_is_a_miss(
    tmp_path: Path, damage: str, command: str
) -> None:
    """Entries whose body, table of contents or claims are no text, or a store whose
    tables are not as briefgen makes them, are misses when the build reads the entries,
    not failures once a page shows a body, on this and every later run."""
    site = _site(tmp_path / "site")
    assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0
    assert build(site).code == 0
    with _cache(site) as db:
        db.executescript(damage)
    site_yaml = site / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "description: Now described.\n")
    assert build(site, "--out", tmp_path / "clean", "--no-cache").code == 0

    for _ in range(2):
        result = run(command, "-s", site)
        assert result.code == 0, result.err
        assert_clean_stderr(result.err, strict=False)
    if command == "build":
        assert not changes(snapshot(tmp_path / "clean"), snapshot(site / "public"))
