"""Seals on the bodies the store keeps (cache/seal.py): a rebuild sanitises none of
the bodies this user's builds wrote; a body without a seal that holds is sanitised,
and so is every body without a private folder for the secret."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.cache import seal as seal_module
from briefgen.cache import store as store_module

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import edit_body, generate, write_site  # noqa: E402
from test_same_bytes import hashes, plain  # noqa: E402

COUNT = 30


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of the user's caches of its own, for the secret."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    seal_module._secret.cache_clear()
    yield folder
    seal_module._secret.cache_clear()


@pytest.fixture
def sanitised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The bodies a build sanitised again as it read them back, by their HTML."""
    found: list[str] = []
    body = store_module._body

    def sanitising(html: str, toc: str, file_urls: bool) -> object:
        found.append(html)
        return body(html, toc, file_urls)

    monkeypatch.setattr(store_module, "_body", sanitising)
    return found


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_site(generate(COUNT, seed=13, sources=10), root)
    return root


def rebuild(root: Path, out: Path | None = None) -> BuildResult:
    """A build that reads the store, whether or not the files changed."""
    for record in (root / ".briefgen-cache").glob("build-*.json"):
        record.unlink()
    result = build(root, BuildOptions(out=out, strict=True, jobs=1))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def briefings(root: Path) -> list[Path]:
    return sorted((root / "content/briefings").rglob("*.md"))


def test_a_rebuild_sanitises_no_body_this_users_builds_sealed(
    tmp_path: Path, user_cache: Path, sanitised: list[str]
) -> None:
    root = site(tmp_path)
    rebuild(root)
    assert sanitised == []  # everything parsed now, nothing read back
    edited = briefings(root)[3]
    edit_body(edited, edited.read_text(encoding="utf-8"), "sealed")
    fresh = rebuild(root, tmp_path / "fresh")  # every page rendered, every body read back
    assert fresh.rendered == fresh.pages
    assert sanitised == []
    assert hashes(tmp_path / "fresh") == plain(root, tmp_path / "plain")
    assert (user_cache / "briefgen/seal-key").stat().st_mode & 0o777 == 0o600


def test_bodies_sealed_with_another_secret_are_sanitised(
    tmp_path: Path, user_cache: Path, monkeypatch: pytest.MonkeyPatch, sanitised: list[str]
) -> None:
    root = site(tmp_path)
    rebuild(root)  # sealed with the secret of this user's cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user-cache"))
    seal_module._secret.cache_clear()  # as on another machine: a store from a CI cache
    rebuild(root, tmp_path / "out")
    assert len(set(sanitised)) == COUNT + 1  # every briefing's body, and the page's
    assert hashes(tmp_path / "out") == plain(root, tmp_path / "plain")


def test_a_body_edited_in_the_store_is_sanitised_and_never_publishes_script(
    tmp_path: Path, user_cache: Path, sanitised: list[str]
) -> None:
    root = site(tmp_path)
    rebuild(root)
    with sqlite3.connect(root / ".briefgen-cache/parsed.sqlite") as db:
        (key,) = db.execute("SELECT key FROM parsed WHERE data LIKE '[[\"B\"%' LIMIT 1").fetchone()
        script = "UPDATE parsed SET html = html || '<script>alert(1)</script>' WHERE key = ?"
        assert db.execute(script, (key,)).rowcount == 1  # its seal as it was
    rebuild(root, tmp_path / "out")
    assert sanitised and all(html.endswith("<script>alert(1)</script>") for html in sanitised)
    assert hashes(tmp_path / "out") == plain(root, tmp_path / "plain")


@pytest.mark.parametrize("how", ["open to others", "a link", "the secret open to others"])
def test_without_a_private_secret_nothing_is_sealed_and_every_body_sanitised(
    tmp_path: Path, user_cache: Path, sanitised: list[str], how: str
) -> None:
    folder = user_cache / "briefgen"
    if how == "a link":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        user_cache.mkdir()
        folder.symlink_to(elsewhere, target_is_directory=True)
    else:
        folder.mkdir(parents=True, mode=0o700)
        if how == "open to others":
            folder.chmod(0o755)
        else:
            (folder / "seal-key").write_bytes(os.urandom(32))
            (folder / "seal-key").chmod(0o644)
    root = site(tmp_path)
    rebuild(root)
    with sqlite3.connect(root / ".briefgen-cache/parsed.sqlite") as db:
        query = "SELECT count(*) FROM parsed WHERE body_seal IS NOT NULL"
        assert db.execute(query).fetchone() == (0,)
    rebuild(root, tmp_path / "out")
    assert len(set(sanitised)) == COUNT + 1
    assert hashes(tmp_path / "out") == plain(root, tmp_path / "plain")
    if how == "a link":
        assert list((tmp_path / "elsewhere").iterdir()) == []
