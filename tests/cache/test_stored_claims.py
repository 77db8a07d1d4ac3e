"""Claims left in the store: a rebuild counts every briefing's claims by their words
and reads the claims themselves only for the warnings about them, which come out as
a build without the cache makes them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.cache.folder import CACHE_DIR
from briefgen.cache.store import BuildCache, StoreReader
from briefgen.coverage import read_claims
from briefgen.diagnostics import Diagnostics
from briefgen.model import StoredClaims
from briefgen.read import load as load_module
from briefgen.read.load import BRIEFING, load, parse_file

SOURCES = (
    "gladkov: {name: Vyacheslav Gladkov, reliability: B}\n"
    "dw: {name: DW, reliability: A}\n"
    "legion: {name: Legion, reliability: E}\n"
)
LONG = (
    "Thousands of residents left the border villages over the weekend, many of them by their "
    "own means and without any help from the regional authorities"
)


def briefing(n: int, body: str, source: str = "gladkov") -> str:
    return (
        f"---\ntitle: Briefing {n}\ndate: 2023-06-{n + 1:02d}\n"
        f"citations:\n  a: {{source: {source}, url: 'https://t.me/x/{n}'}}\n"
        f"  d: {{source: dw, url: 'https://dw.com/{n}'}}\n---\n{body}\n"
    )


def make_site(root: Path) -> Path:
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/site.yaml").write_text("title: T\nrequire_archive: false\nsearch: false\n")
    (root / "content/sources.yaml").write_text(SOURCES)
    files = {
        # every claim cited: counted, never read
        "cited": briefing(0, f"{LONG} [@a].\n\nThe governor spoke of shelling [@a; @d]."),
        "other": briefing(1, f"{LONG} [@d].\n\n- One [@a]\n- {LONG} [@a]"),
        # an uncited claim: warned of, so read
        "uncited": briefing(2, f"{LONG} [@a].\n\n{LONG}.\n\nShort one."),
        # a claim resting only on a source graded E: warned of, so read
        "graded": briefing(3, f"{LONG} [@a].", source="legion"),
    }
    for name, text in files.items():
        (root / f"content/briefings/{name}.md").write_text(text, encoding="utf-8")
    return root


def warnings(root: Path, cache: bool) -> list[str]:
    result = build(root, BuildOptions(cache=cache, jobs=1))
    assert result.ok
    return [d.format() for d in result.diagnostics]


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose claims are read from the store, as they are read."""
    found: list[str] = []
    claims = StoreReader.claims

    def noted(self: StoreReader, key: str, rel: str, words: tuple[int, ...]) -> object:
        found.append(rel)
        return claims(self, key, rel, words)

    monkeypatch.setattr(StoreReader, "claims", noted)
    return found


def test_a_rebuild_reads_only_the_claims_it_warns_of(tmp_path: Path, read: list[str]) -> None:
    root = make_site(tmp_path / "site")
    plain = warnings(root, cache=False)
    assert any("paragraph without a citation" in w for w in plain)
    assert any("rests only on sources graded E" in w for w in plain)
    assert warnings(root, cache=True) == plain  # parsed, and the store written

    with (root / "content/sources.yaml").open("a") as sources:
        sources.write("# the last build's record no longer holds\n")
    assert warnings(root, cache=True) == plain
    assert sorted(read) == ["content/briefings/graded.md", "content/briefings/uncited.md"]


def test_a_cold_build_parsing_in_workers_leaves_the_claims_in_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: list[str]
) -> None:
    """Files parsed in worker processes come back as the store keeps them: their
    claims are read from it for the warnings of the same build."""
    root = make_site(tmp_path / "site")
    plain = warnings(root, cache=False)
    monkeypatch.setattr(load_module, "_PARALLEL_FROM", 2)
    result = build(root, BuildOptions(jobs=2))
    assert result.ok
    assert [d.format() for d in result.diagnostics] == plain
    assert sorted(read) == ["content/briefings/graded.md", "content/briefings/uncited.md"]


def test_claims_read_back_are_those_parsed(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    load(root, Diagnostics(), store=BuildCache(root))
    content = load(root, Diagnostics(), store=BuildCache(root))
    stored = content.claims["content/briefings/uncited.md"]
    assert isinstance(stored, StoredClaims)
    raw = (root / "content/briefings/uncited.md").read_bytes()
    parsed = parse_file(BRIEFING, "content/briefings/uncited.md", raw).claims
    assert stored.words == (25, -25, -2)
    assert tuple(stored) == parsed


def test_claims_gone_from_the_store_are_parsed_again_or_are_an_error(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    load(root, Diagnostics(), store=BuildCache(root))
    content = load(root, Diagnostics(), store=BuildCache(root))
    rel = "content/briefings/uncited.md"
    parsed = parse_file(BRIEFING, rel, (root / rel).read_bytes()).claims
    with sqlite3.connect(root / CACHE_DIR / "parsed.sqlite") as db:
        db.execute("UPDATE parsed SET claims = '[]'")
    assert tuple(content.claims[rel]) == parsed

    (root / rel).unlink()
    diags = Diagnostics()
    (uncited,) = [b for b in content.briefings if b.path == rel]
    assert read_claims(content.claims[rel], uncited, diags) == ()
    assert [d.format() for d in diags.items] == [
        f"{rel}:1:1: error: {CACHE_DIR} changed during the build; build again"
    ]
