"""Pathological but possible sites: each builds, or is exit 1 with located errors; never a
traceback.

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


NOWHERE = "symbolic link leads nowhere (or in a loop)"
AROUND = "symbolic link leads into a folder around it"

# How to make the links, and the error expected at each link.
LINKS = {
    "briefings-loop-md": (
        lambda site: _loop(site / "content/briefings", "x.md", "y.md"),
        {"content/briefings/x.md": NOWHERE, "content/briefings/y.md": NOWHERE},
    ),
    "briefings-loop-folders": (
        lambda site: _loop(site / "content/briefings", "x", "y"),
        {"content/briefings/x": NOWHERE, "content/briefings/y": NOWHERE},
    ),
    "briefings-link-to-own-parent": (
        lambda site: _up(site / "content/briefings/2023", "up"),
        {"content/briefings/2023/up": AROUND},
    ),
    "briefings-link-to-itself": (
        lambda site: os.symlink("self", site / "content/briefings/self"),
        {"content/briefings/self": NOWHERE},
    ),
    "pages-loop": (
        lambda site: _loop(site / "content/pages", "p.md", "q.md"),
        {"content/pages/p.md": NOWHERE, "content/pages/q.md": NOWHERE},
    ),
    "static-loop": (
        lambda site: _loop(site / "content/static", "x", "y"),
        {"content/static/x": NOWHERE, "content/static/y": NOWHERE},
    ),
    "static-link-to-own-parent": (
        lambda site: _up(site / "content/static/css", "up"),
        {"content/static/css/up": AROUND},
    ),
}


@pytest.mark.parametrize(("make_links", "expected"), LINKS.values(), ids=list(LINKS))
def test_symlink_loops_in_the_content_are_located_errors_not_a_traceback(
    tmp_path: Path, make_links, expected: dict[str, str]
) -> None:
    site = make_site(tmp_path / "site")
    make_links(site)
    result = cli("build", "-s", site)
    assert_clean_stderr(result.err)
    assert result.code == 1, result.err
    assert result.errors == [f"{path}:1:1: error: {message}" for path, message in expected.items()]
    assert not (site / "public").exists()


def test_region_chain_500_deep_is_a_located_error_not_a_traceback(tmp_path: Path) -> None:
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
    # writing.md: a tree deeper than 20 levels is an error. r500 is the top, so r480
    # (line 2 + 480 + 1 of regions.yaml) is the first region 21 levels deep.
    assert result.code == 1, result.err
    assert result.errors == [
        "content/regions.yaml:483:1: error: region 'r480' is 21 levels deep; at most 20 are "
        "allowed (give it a parent nearer the top)"
    ]
    assert not (site / "public").exists()


# Each body, and a text its page shows. Since Markdown 3.11.4 a list, a quote or a
# definition nested near the interpreter's limit keeps its deeper markers as text;
# before, the lists raised RecursionError, reported as a located error.
DEEP_BODIES = {
    "list-500-deep": ("".join("  " * n + "- item\n" for n in range(500)), "- item"),
    "list-300-deep-by-four": ("".join("    " * n + "- item\n" for n in range(300)), "- item"),
    "blockquote-1000-deep": ("> " * 1000 + "quoted\n", "quoted"),
    "html-divs-5000-deep": ("<div>" * 5000 + "innermost" + "</div>" * 5000 + "\n", "innermost"),
    "html-spans-unclosed-5000": ("<span>" * 5000 + "unclosed\n", "unclosed"),
}


@pytest.mark.parametrize(("body", "outcome"), DEEP_BODIES.values(), ids=list(DEEP_BODIES))
def test_deeply_nested_body_is_built_never_a_traceback(
    tmp_path: Path, body: str, outcome: str
) -> None:
    site = make_site(tmp_path / "site", {A: briefing(body=f"Shelling reported [@g].\n\n{body}")})
    result = cli("build", "-s", site)
    assert_clean_stderr(result.err)
    assert result.code == 0, result.err
    assert outcome in (site / "public/briefings/a/index.html").read_text()


def test_a_deeply_nested_body_is_read_alike_by_check_and_build(tmp_path: Path) -> None:
    """Markdown stops nesting near the recursion limit and keeps the deeper markers as
    text, so how deep the caller's stack was decided where a 500-deep list ended:
    ``check`` (in its main process) found a paragraph without a citation ('- x - x -…')
    that ``build`` (in a worker) did not."""
    items = "".join("  " * n + "- x\n" for n in range(500))
    site = make_site(tmp_path / "site", {A: briefing(body=f"Shelling reported [@g].\n\n{items}")})
    checked = cli("check", "-s", site, "--no-cache")
    built = cli("build", "-s", site, "--no-cache")
    assert (checked.code, built.code) == (0, 0), checked.err + built.err
    assert checked.err == built.err


@pytest.mark.parametrize(
    ("options", "value"), [("{ linenums=True }", "True"), ("{ .python guess_lang=False }", "False")]
)
def test_code_block_options_markdown_cannot_write_are_a_located_error(
    tmp_path: Path, options: str, value: str
) -> None:
    """Python-Markdown accepts a fenced block's highlighting options, then cannot write
    them without a highlighter."""
    body = f"Shelling reported [@g].\n\n``` {options}\nx = 1\n```\n"
    site = make_site(tmp_path / "site", {A: briefing(body=body)})
    result = cli("build", "-s", site)
    assert_clean_stderr(result.err)
    assert result.code == 1
    assert result.errors == [
        f"{A}:10:1: error: Markdown could not render this body (cannot serialize {value} "
        "(type bool)) (simplify this file's Markdown)"
    ]
