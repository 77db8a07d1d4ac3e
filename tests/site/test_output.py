"""The output folder: reproducible, replaced only by a good build, never losing others' files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from site_corpus import BORDER

import briefgen

BROKEN = """
-- content/briefings/2023/06/kursk-drones.md --
---
title: Drones hit an oil depot in Kursk Oblast
date: 2023-06-32
regions: [kursk]
---

Broken date.
"""


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and folder below ``folder`` with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (
            p.read_bytes() if p.is_file() else b"<dir>",
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
    }


def test_same_input_same_output_byte_for_byte(make_site, tmp_path):
    one = make_site(BORDER, name="one")
    two = make_site(BORDER, name="two")  # another folder: no absolute path may leak
    one.ok("--out", tmp_path / "out-one")
    two.ok("--out", tmp_path / "out-two")
    files_one, files_two = one.output_files(), two.output_files()
    assert files_one.keys() == files_two.keys()
    for rel, data in files_one.items():
        assert data == files_two[rel], rel
    assert str(tmp_path).encode() not in b"".join(files_one.values())


def test_output_does_not_depend_on_hash_seed_or_build_time(make_site, tmp_path):
    site = make_site(BORDER)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    repo = str(Path(briefgen.__file__).resolve().parent.parent)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        subprocess.run(
            [sys.executable, "-m", "briefgen", "build", "-s", site.root, "--out", out],
            env={**env, "PYTHONHASHSEED": seed, "PYTHONPATH": repo},
            check=True,
            capture_output=True,
        )
        site.out = out
        outputs.append(site.output_files())
    assert outputs[0] == outputs[1]
    today = dt.date.today()
    stamps = [today.isoformat().encode(), f"{today.day} {today:%B} {today.year}".encode()]
    for rel, data in outputs[0].items():
        assert not any(stamp in data for stamp in stamps), f"{rel} holds today's date"


def test_failed_build_leaves_previous_output_untouched(make_site):
    site = make_site(BORDER)
    site.ok()
    before = snapshot(site.out)
    root_before = sorted(p.name for p in site.root.iterdir())
    site.write(BROKEN)
    result = site.build()
    assert result.code == 1
    assert "content/briefings/2023/06/kursk-drones.md:3:7: error:" in result.err
    assert snapshot(site.out) == before
    assert sorted(p.name for p in site.root.iterdir()) == root_before, "build left files behind"


def test_failure_while_rendering_leaves_previous_output_untouched(make_site):
    site = make_site(BORDER)
    site.ok()
    before = snapshot(site.out)
    site.write(
        """
        -- templates/region.html --
        {% extends "default/region.html" %}
        {% block main %}{{ region.no_such_field.deeper }}{% endblock %}
        """
    )
    result = site.build()
    assert result.code == 1
    assert result.errors, result.err
    assert result.errors[0].startswith("templates/region.html:"), result.err
    assert snapshot(site.out) == before


def test_rebuild_after_deleting_a_briefing_leaves_no_stale_page(make_site):
    site = make_site(
        BORDER,
        """
        -- content/briefings/one-off.md --
        ---
        title: One-off
        date: 2023-06-06
        regions: [belgorod]
        tags: [единственный]
        citations:
          x:
            source: dw
            url: https://www.dw.com/x
        ---
        Text [@x].
        """,
        "-- content/site.yaml --\ntitle: T\nper_page: 3\n",
    )
    site.ok()
    for path in ("/briefings/one-off/", "/tags/единственный/", "/page/2/"):
        assert site.exists(path), path
    site.remove("content/briefings/one-off.md")
    site.ok()
    for path in ("/briefings/one-off/", "/tags/единственный/", "/page/2/"):
        assert not site.exists(path), path
    assert not site.file("/briefings/one-off/").parent.exists(), "empty folder left behind"
    assert "One-off" not in site.text("/feed.xml")
    assert "one-off" not in site.text("/sitemap.xml")


def test_files_put_into_the_output_by_hand_survive_a_rebuild(make_site):
    site = make_site(BORDER)
    site.ok()
    (site.out / "CNAME").write_text("briefs.example.org\n")
    (site.out / ".git").mkdir()
    (site.out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site.out / "regions/notes.txt").write_text("kept\n")
    site.ok()
    assert (site.out / "CNAME").read_text() == "briefs.example.org\n"
    assert (site.out / ".git/HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (site.out / "regions/notes.txt").read_text() == "kept\n"
    site.remove("content/briefings/2023/05/graivoron-raid.md")
    site.ok()
    assert (site.out / "CNAME").is_file()
    assert not site.exists("/briefings/graivoron-raid/")


def test_foreign_file_where_a_page_goes_stops_the_build_and_is_named(make_site):
    site = make_site(BORDER)
    site.out.mkdir()
    (site.out / "index.html").write_text("my own home page\n")
    result = site.build()
    # urls.md: the build stops with exit 1, names the file, and changes nothing.
    assert result.code == 1, result.err
    assert (
        f"briefgen: error: {site.out} holds files briefgen did not write that this build "
        "would replace: index.html; move them away or into content/static/"
    ) in result.err.splitlines()
    assert os.listdir(site.out) == ["index.html"]
    assert (site.out / "index.html").read_text() == "my own home page\n"


@pytest.mark.parametrize("out", ["content", ".", "content/static", "templates", ".."])
def test_output_folder_that_holds_or_is_the_content_is_refused(make_site, out):
    site = make_site(BORDER, "-- templates/extra.html --\n{# nothing #}\n")
    before = snapshot(site.root)
    result = site.build("--out", site.root / out)
    assert result.code == 2, result.err
    assert snapshot(site.root) == before
    assert os.listdir(site.root.parent) == [site.root.name], "something was written beside the site"


def test_static_file_clashing_with_a_page_is_an_error(make_site):
    site = make_site(BORDER, "-- content/static/archive/index.html --\n<p>mine</p>\n")
    result = site.build()
    assert result.code == 1
    assert result.errors
    assert "archive/index.html" in result.errors[0]


def test_foreign_files_before_the_first_build_are_kept_beside_the_pages(make_site):
    site = make_site(BORDER)
    (site.out / "docs").mkdir(parents=True)
    (site.out / "CNAME").write_text("CNAME by hand\n")
    (site.out / "docs/notes.txt").write_text("notes by hand\n")
    site.ok()
    assert (site.out / "CNAME").read_text() == "CNAME by hand\n"
    assert (site.out / "docs/notes.txt").read_text() == "notes by hand\n"
    assert site.exists("/briefings/kursk-drones/")


def test_a_git_checkout_briefgen_did_not_build_is_refused_as_output(make_site):
    site = make_site(BORDER)
    (site.out / ".git").mkdir(parents=True)
    (site.out / ".git/HEAD").write_text("ref: refs/heads/gh-pages\n")
    (site.out / "CNAME").write_text("CNAME by hand\n")
    before = snapshot(site.root)
    result = site.build()
    # urls.md: a folder holding .git but no .briefgen-manifest is refused (exit 2).
    assert result.code == 2, result.err
    assert (
        f"briefgen: error: the output folder {site.out} holds a .git folder and was not "
        "written by briefgen"
    ) in result.err.splitlines()
    assert snapshot(site.root) == before
