"""Pathological but possible sites: each is exit 0 or 1 with located errors, never a traceback.

Symbolic-link loops and links to their own parent folder in the content, a region
tree 500 levels deep, Markdown and HTML nested very deeply. Builds run as real
processes, so a traceback printed by any process of the build shows on stderr.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from attack_kit import REGIONS, A, assert_clean_stderr, briefing, cli, make_site


def _loop(folder: Path, a: str, b: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink(b, folder / a)
    os.symlink(a, folder / b)


def _up(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink("..", folder / name)


LINKS = {
    "briefings-loop-md": lambda site: _loop(site / "content/briefings", "x.md", "y.md"),
    "briefings-loop-folders": lambda site: _loop(site / "content/briefings", "x", "y"),
    "briefings-link-to-own-parent": lambda site: _up(site / "content/briefings/2023", "up"),
    "briefings-link-to-itself": lambda site: os.symlink("self", site / "content/briefings/self"),
    "pages-loop": lambda site: _loop(site / "content/pages", "p.md", "q.md"),
    "static-loop": lambda site: _loop(site / "content/static", "x", "y"),
    "static-link-to-own-parent": lambda site: _up(site / "content/static/css", "up"),
}


@pytest.mark.parametrize("make_links", LINKS.values(), ids=list(LINKS))
def test_symlink_loops_in_the_content_are_located_errors_not_a_traceback(
    tmp_path: Path, make_links
) -> None:
    site = make_site(tmp_path / "site")
    make_links(site)
    result = cli("build", "-s", site)
    assert_clean_stderr(result.err)
    assert result.code in (0, 1), result.err
    if result.code == 1:
        assert result.errors
        assert all(line.startswith("content/") for line in result.errors), result.err


def test_region_chain_500_deep_builds_without_a_traceback(tmp_path: Path) -> None:
    chain = "".join(f"r{n}: {{name: Region {n}, parent: r{n + 1}}}\n" for n in range(500))
    site = make_site(
        tmp_path / "site",
        {
            "content/regions.yaml": REGIONS + chain + "r500: {name: Region 500}\n",
            A: briefing(regions="[r0]"),
        },
    )
    result = cli("build", "-s", site)
    assert_clean_stderr(result.err)
    assert result.code in (0, 1), result.err
    if result.code == 0:
        assert (site / "public/regions/r0/index.html").is_file()
        assert "Villages shelled" in (site / "public/regions/r500/index.html").read_text()
    else:
        assert all(line.startswith("content/") for line in result.errors), result.err


DEEP_BODIES = {
    "list-500-deep": "".join("  " * n + "- item\n" for n in range(500)),
    "list-300-deep-by-four": "".join("    " * n + "- item\n" for n in range(300)),
    "blockquote-1000-deep": "> " * 1000 + "quoted\n",
    "html-divs-5000-deep": "<div>" * 5000 + "x" + "</div>" * 5000 + "\n",
    "html-spans-unclosed-5000": "<span>" * 5000 + "x\n",
}


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=list(DEEP_BODIES))
def test_deeply_nested_body_is_built_or_a_located_error_never_a_traceback(
    tmp_path: Path, body: str
) -> None:
    site = make_site(tmp_path / "site", {A: briefing(body=f"Shelling reported [@g].\n\n{body}")})
    result = cli("build", "-s", site)
    assert_clean_stderr(result.err)
    assert result.code in (0, 1), result.err
    if result.code == 1:
        assert result.errors
        assert all(line.startswith(A + ":") for line in result.errors), result.err
