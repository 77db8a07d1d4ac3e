"""Commands, exit codes and diagnostics as a CI job sees them (SPEC section 5)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from site_corpus import BORDER, REGISTRIES

from briefgen.arguments import parser

ERROR_LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$")
WARNING_LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+): warning: (?P<message>.+)$")

TWO_BROKEN = """
-- content/briefings/bad-date.md --
---
title: Bad date
date: 2023-02-30
regions: [belgorod]
---
Text.
-- content/briefings/nested/no-title.md --
---
date: 2023-06-02
regions: [belgorod]
---
Text.
"""

WARNINGS = """
-- content/briefings/warn.md --
---
title: Warnings only
date: 2023-06-02
citations:
  used:
    source: dw
    url: https://www.dw.com/used
  unused:
    source: dw
    url: https://www.dw.com/unused
---

Text [@used].
"""


def diagnostic_lines(err):
    return [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


def test_success_is_exit_0_and_quiet_when_not_a_terminal(make_site):
    site = make_site(BORDER)
    result = site.build()
    assert result.code == 0
    assert result.err == ""
    assert len(result.out.splitlines()) <= 1
    assert "\r" not in result.out and "\x1b[" not in result.out


def test_all_errors_are_printed_with_positions(make_site):
    site = make_site(REGISTRIES, TWO_BROKEN)
    result = site.build()
    assert result.code == 1
    lines = diagnostic_lines(result.err)
    assert len(lines) == 2, result.err
    for line in lines:
        assert ERROR_LINE.match(line), line
    assert lines[0].startswith("content/briefings/bad-date.md:3:7: error: ")
    assert lines[1].startswith("content/briefings/nested/no-title.md:")
    assert "title" in lines[1]
    assert not site.out.exists()


def test_errors_in_many_files_and_kinds_are_all_reported(make_site):
    site = make_site(
        REGISTRIES,
        TWO_BROKEN,
        """
        -- content/briefings/c.md --
        ---
        title: C
        date: 2023-06-02
        regions: [belgorot]
        citations:
          x:
            source: dw
            url: javascript:alert(1)
        ---
        Text [@x] and [@y].
        """,
    )
    result = site.build()
    assert result.code == 1
    lines = diagnostic_lines(result.err)
    assert all(ERROR_LINE.match(line) for line in lines), lines
    files = [ERROR_LINE.match(line)["path"] for line in lines]
    assert files.count("content/briefings/c.md") == 3, lines  # region, URL, undefined key
    assert len(lines) == 5, lines


def test_warnings_print_without_column_and_do_not_fail(make_site):
    site = make_site(REGISTRIES, WARNINGS)
    result = site.build()
    assert result.code == 0, result.err
    lines = diagnostic_lines(result.err)
    assert len(lines) == 2, result.err
    assert all(WARNING_LINE.match(line) for line in lines), lines
    text = "\n".join(lines)
    # A missing field is reported at the first line of the front matter.
    assert "content/briefings/warn.md:2: warning: briefing has no regions" in text
    assert "content/briefings/warn.md:8: warning: citation 'unused'" in text
    assert site.exists("/briefings/warn/")


def test_strict_turns_warnings_into_errors(make_site):
    site = make_site(REGISTRIES, WARNINGS)
    result = site.build("--strict")
    assert result.code == 1
    lines = diagnostic_lines(result.err)
    assert len(lines) == 2
    assert all(ERROR_LINE.match(line) for line in lines), lines
    assert not site.out.exists()
    assert result.err.endswith("Build failed; nothing was written.\n")  # there was no output
    assert site.build().code == 0
    assert site.build("--strict").err.endswith(
        "Build failed; the previous output was left untouched.\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--frobnicate"],
        ["frobnicate"],
        ["new"],
        ["build", "--out"],
    ],
)
def test_bad_usage_is_exit_2(make_site, argv):
    site = make_site(BORDER)
    if argv[:1] == ["build"] or argv[:1] == ["new"]:
        argv = [argv[0], "-s", str(site.root), *argv[1:]]
    result = site.run(*argv)
    assert result.code == 2, result
    assert result.err
    assert not site.out.exists()


@pytest.mark.parametrize("command", ["build", "check", "serve", "new", "drafts"])
def test_a_usage_error_shows_the_usage_of_its_command(make_site, command):
    result = make_site().run(command, "--frobnicate", "x")
    assert result.code == 2
    assert result.err.startswith(f"usage: briefgen {command} ")
    assert f"briefgen {command}: error: unrecognized arguments: --frobnicate" in result.err


@pytest.mark.parametrize("command", ["build", "check", "new", "drafts"])
def test_not_a_site_folder_is_exit_2(make_site, tmp_path, command):
    make_site()
    empty = tmp_path / "empty"
    empty.mkdir()
    argv = ["Title"] if command == "new" else []
    result = make_site().run(command, "-s", empty, *argv)
    assert result.code == 2
    assert "not a briefgen site" in result.err
    assert list(empty.iterdir()) == []


def test_missing_site_folder_is_exit_2(make_site, tmp_path):
    result = make_site().run("build", "-s", tmp_path / "nowhere")
    assert result.code == 2
    assert not (tmp_path / "nowhere").exists()


def test_check_validates_and_writes_nothing(make_site):
    site = make_site(BORDER)
    result = site.run("check", "-s", site.root)
    assert result.code == 0, result.err
    assert not site.out.exists()
    site.write(TWO_BROKEN)
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert len(diagnostic_lines(result.err)) == 2
    assert not site.out.exists()


def test_check_reports_broken_internal_links(make_site):
    site = make_site(
        BORDER,
        """
        -- content/pages/about.md --
        ---
        title: About
        ---

        See [the raid](../../briefings/graivoron-raaid/) and [the map](/pages/mapp/).
        """,
    )
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert (
        "content/pages/about.md:5:16: error: broken link '../../briefings/graivoron-raaid/': "
        "no such page or file in the site"
    ) in result.err
    # quoted as the author wrote it, not as the page links it ('../../pages/mapp/')
    assert (
        "content/pages/about.md:5:64: error: broken link '/pages/mapp/': "
        "no such page or file in the site"
    ) in result.err
    assert site.run("check", "--no-links", "-s", site.root).code == 0


def test_no_cache_option_is_accepted(make_site):
    site = make_site(BORDER)
    site.ok("--no-cache")
    assert not (site.root / ".briefgen-cache").exists()


def test_cache_stays_in_its_folder(make_site):
    site = make_site(BORDER)
    site.ok()
    assert sorted(p.name for p in site.root.iterdir()) == [".briefgen-cache", "content", "public"]


def test_init_makes_a_site_that_builds_strictly(make_site, tmp_path):
    runner = make_site()
    target = tmp_path / "new-site"
    result = runner.run("init", target)
    assert result.code == 0, result.err
    assert (target / "content").is_dir()
    site = make_site(name="new-site")
    built = site.ok("--strict")
    assert built.err == ""
    assert site.exists("/")
    assert site.html("/").main.find_all("a")
    # (its example citations link to example.org itself: check under another host)
    site.ok("--base-url", "https://briefs.example.net/")
    assert not site.broken_links("https://briefs.example.net/")


def test_init_site_yaml_settings_build_strictly_when_turned_on(make_site, tmp_path):
    make_site().run("init", tmp_path / "new-site")
    settings = tmp_path / "new-site/content/site.yaml"
    commented = re.findall(r"^# (\w+): .*$", settings.read_text(), re.M)
    assert commented == ["timezone", "file_urls", "coverage", "require_grades", "require_archive"]
    settings.write_text(re.sub(r"^# (\w+: )", r"\1", settings.read_text(), flags=re.M))
    site = make_site(name="new-site")
    assert site.ok("--strict").err == ""
    assert site.run("check", "-s", site.root).out.startswith(
        "Citation coverage: 100% (1 of 1 claim in 1 briefing cites a source)\n"
    )


def test_init_on_an_existing_site_overwrites_nothing(make_site):
    site = make_site(BORDER)
    (site.root / ".gitignore").write_text("/public/\n")
    before = {p: p.read_bytes() for p in (site.root / "content").rglob("*") if p.is_file()}
    result = site.run("init", site.root)
    assert result.code == 0
    assert "kept" in result.out
    assert re.search(r"Added the \d+ files? .* lacked, and kept the 1 it had\.", result.out)
    assert "Created a new site" not in result.out
    assert {p for p in (site.root / "content").rglob("*") if p.is_file()} == before.keys()
    assert all(path.read_bytes() == data for path, data in before.items())
    assert (site.root / ".github/workflows/publish.yml").is_file()
    again = site.run("init", site.root)
    assert "a briefgen site already: nothing was created" in again.out
    assert "Created" not in again.out


def test_init_on_a_site_of_its_own_keys_adds_nothing_it_would_build(make_site):
    """A site without registries names its regions and sources freely: sample registries
    would make every key of it unknown, and a sample briefing, page or settings would
    be published with it. Only the CI files and .gitignore are added."""
    site = make_site(
        """
        -- content/briefings/free.md --
        ---
        title: Free
        date: 2023-06-02
        regions: [kursk]
        citations:
          t:
            source: tass
            url: https://tass.com/1
            archive: https://web.archive.org/web/2023/https://tass.com/1
        ---

        A claim [@t].
        """
    )
    site.ok("--strict")
    built = {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*.html")}
    result = site.run("init", site.root)
    assert result.code == 0, result.err
    assert "its content/ was left as it is" in result.out
    assert "Created a new site" not in result.out
    assert sorted(p.name for p in (site.root / "content").rglob("*")) == ["briefings", "free.md"]
    assert (site.root / ".gitignore").is_file()
    site.ok("--strict")
    assert built == {p.relative_to(site.out): p.read_bytes() for p in site.out.rglob("*.html")}


def test_bare_briefgen_shows_its_help_as_bad_usage(make_site):
    """No command is bad usage (exit 2), as for git; the help says what to give."""
    result = make_site().run()
    assert result.code == 2, result.err
    assert "usage: briefgen" in result.err and "COMMAND --help" in result.err
    assert result.out == ""


@pytest.mark.parametrize("command", ["build", "check", "serve", "new", "drafts", "init"])
def test_every_command_explains_itself(make_site, command):
    result = make_site().run(command, "--help")
    assert result.code == 0
    usage, description, *_ = result.out.split("\n\n")
    assert usage.startswith(f"usage: briefgen {command}")
    assert len(description.split()) >= 8, "a sentence on what the command does"
    [commands] = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    unexplained = [a.dest for a in commands.choices[command]._actions if not a.help]
    assert unexplained == []


def test_the_site_folder_may_be_named_before_the_command(make_site, tmp_path):
    site = make_site(BORDER)
    result = site.run("-s", site.root, "check")
    assert result.code == 0, result.err
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    after = site.run("-s", elsewhere, "check", "-s", site.root)
    assert after.code == 0, "the -s after the command wins"


def test_check_with_warnings_does_not_say_no_problems(make_site):
    site = make_site(REGISTRIES, WARNINGS)
    result = site.run("check", "-s", site.root)
    assert result.code == 0, result.err
    assert "2 warning(s), no errors" in result.out
    assert "no problems" not in result.out


def test_new_writes_a_briefing_that_builds(make_site, tmp_path):
    site = make_site("-- content/site.yaml --\ntitle: Free-form\n")
    result = site.run("new", "-s", site.root, "Обстрел Шебекино", "--region", "x", "y")
    assert result.code == 0, result.err
    today = dt.date.today()
    written = site.root / f"content/briefings/{today:%Y}/{today:%m}"
    [path] = written.glob("*.md")
    assert str(path.name) in result.out
    text = path.read_text(encoding="utf-8")
    assert "Обстрел Шебекино" in text
    site.ok("--drafts", "--strict")
    slug = path.stem
    doc = site.html(f"/briefings/{slug}/")
    assert doc.main.find("h1").text == "Обстрел Шебекино"
    assert site.exists("/regions/x/") and site.exists("/regions/y/")
    again = site.run("new", "-s", site.root, "Обстрел Шебекино")
    assert again.code == 2
    assert path.read_text(encoding="utf-8") == text


def test_new_takes_the_date_tags_and_slug(make_site):
    site = make_site("-- content/site.yaml --\ntitle: Free-form\n")
    result = site.run(
        "new", "-s", site.root, "Drone strike", "--date", "2023-06-02",
        "--tag", "drones", "Белгород", "--slug", "kursk-drones", "--region", "kursk",
    )  # fmt: skip
    assert result.code == 0, result.err
    path = site.root / "content/briefings/2023/06/kursk-drones.md"
    assert result.out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert "date: 2023-06-02\n" in text and 'tags: ["drones", "Белгород"]\n' in text
    site.ok("--drafts", "--strict")
    assert site.exists("/briefings/kursk-drones/")
    bad = site.run("new", "-s", site.root, "Other", "--slug", "a/b")
    assert bad.code == 2
    assert "the slug 'a/b' may only hold letters, digits" in bad.err
    impossible = site.run("new", "-s", site.root, "Other", "--date", "2023-02-30")
    assert impossible.code == 2
    assert "'2023-02-30' is not a real date (day is out of range for month)" in impossible.err
    assert "fromisoformat" not in impossible.err
    loose = site.run("new", "-s", site.root, "Other", "--date", "23-2-3")
    assert loose.code == 2 and "'23-2-3' is not a date: use YYYY-MM-DD" in loose.err


def test_new_in_an_initialised_site_with_a_known_region(make_site, tmp_path):
    runner = make_site()
    runner.run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    result = site.run("new", "-s", site.root, "Drone strike", "--region", "town")
    assert result.code == 0, result.err
    site.ok("--drafts", "--strict")
    assert "Drone strike" in site.html("/regions/country/").main.text


def test_new_names_every_unknown_region_and_refuses_an_empty_slug(make_site, tmp_path):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    before = sorted(site.root.rglob("*"))
    result = site.run("new", "-s", site.root, "Drones", "--region", "town", "nope", "toun")
    assert result.code == 2
    assert result.err.splitlines() == [
        "briefgen: error: unknown region 'nope' (not in content/regions.yaml)",
        "briefgen: error: unknown region 'toun' (not in content/regions.yaml) "
        "(did you mean 'town'?)",
    ]
    empty = site.run("new", "-s", site.root, "Drones", "--slug", "")
    assert empty.code == 2 and "the slug is empty" in empty.err
    assert sorted(site.root.rglob("*")) == before


@pytest.mark.parametrize("options", [(), ("--no-cache",)])
def test_check_writes_nothing_anywhere_until_a_build_made_a_cache(
    make_site, tmp_path, monkeypatch, options
):
    """SPEC: check writes nothing. A build's cache, once there, is read and kept up to
    date (a CI run restores it for check and build alike), unless --no-cache."""
    site = make_site(BORDER)
    private, temporary = tmp_path / "private", tmp_path / "temporary"
    monkeypatch.setenv("XDG_CACHE_HOME", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    before = sorted(site.root.rglob("*"))
    result = site.run("check", *options, "-s", site.root)
    assert result.code == 0, result.err
    assert sorted(site.root.rglob("*")) == before
    assert not private.exists() and not temporary.exists()
    assert site.run("build", "-s", site.root).code == 0
    cache = site.root / ".briefgen-cache"
    records = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    assert site.run("check", *options, "-s", site.root).code == 0
    kept = {p: p.stat().st_mtime_ns for p in cache.rglob("*")}
    assert (kept == records) is bool(options)  # the check's own records, without the option


@pytest.mark.parametrize(
    "args",
    [
        ("serve", "--port", "70000"),
        ("serve", "--port", "-1"),
        ("build", "--jobs", "-1"),
        ("build", "--jobs", "100000"),  # each a fork of the whole build
        ("init", ""),  # an unset "$DIR": not the current folder
    ],
)
def test_out_of_range_numbers_and_empty_names_are_bad_usage(make_site, args, tmp_path, monkeypatch):
    site = make_site(BORDER)
    monkeypatch.chdir(site.root)  # where an empty name would have made a site
    before = sorted(site.root.rglob("*"))
    result = site.run(*args) if args[0] == "init" else site.run(*args, "-s", site.root)
    assert result.code == 2, result.err
    assert "Traceback" not in result.err and "error: argument" in result.err
    assert sorted(site.root.rglob("*")) == before


def test_init_where_a_folder_cannot_be_made_is_bad_usage(make_site, tmp_path):
    site = make_site(BORDER)
    (tmp_path / "afile").write_text("not a folder\n")
    result = site.run("init", tmp_path / "afile/site")
    assert result.code == 2 and "Traceback" not in result.err
    assert "briefgen: error: cannot make the site in" in result.err
    (tmp_path / "half/content").mkdir(parents=True)
    (tmp_path / "half/content/static").write_text("a file where a folder goes\n")
    result = site.run("init", tmp_path / "half")
    assert result.code == 2 and "content/static" in result.err


def test_init_beside_registries_of_its_own_adds_no_briefing_that_cites_others(make_site, tmp_path):
    site = make_site(BORDER)
    folder = tmp_path / "own"
    (folder / "content").mkdir(parents=True)
    (folder / "content/regions.yaml").write_text("belgorod: {name: Belgorod Oblast}\n")
    assert site.run("init", folder).code == 0
    assert not (folder / "content/briefings/first-briefing.md").exists()
    result = site.run("check", "--strict", "-s", folder)
    assert result.code == 0, result.err


def test_new_refuses_a_slug_another_briefing_has_in_another_folder(make_site, tmp_path):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    result = site.run("new", "-s", site.root, "First briefing", "--region", "town")
    assert result.code == 2
    assert "content/briefings/first-briefing.md has the slug 'first-briefing' already" in (
        result.err
    )
    site.write("-- content/briefings/old/renamed.md --\n---\nslug: Drone-Strike\n---\nText.\n")
    assert site.run("new", "-s", site.root, "Drone strike", "--region", "town").code == 2
    assert site.run("new", "-s", site.root, "Drone strike", "--slug", "drone-strike-2").code == 0


def test_new_takes_a_regions_old_key_for_its_key(make_site, tmp_path):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    regions = site.root / "content/regions.yaml"
    regions.write_text(
        regions.read_text().replace("town:", "town:\n  aliases: [village]", 1), encoding="utf-8"
    )
    result = site.run("new", "-s", site.root, "Drone strike", "--region", "village")
    assert result.code == 0, result.err
    written = (site.root / result.out.strip()).read_text(encoding="utf-8")
    assert 'regions: ["town"]' in written


@pytest.mark.parametrize(
    "base_url",
    ["https://example.org/ briefs/", "https://example.org//evil.example/", "https://x.org/\\y/"],
    ids=["space", "path a browser reads as another host", "backslash"],
)
def test_a_base_url_that_is_no_sites_address_is_bad_usage(make_site, base_url):
    site = make_site(BORDER)
    result = site.run("build", "-s", site.root, "--base-url", base_url)
    assert result.code == 2
    assert "--base-url must be an http or https URL" in result.err
    assert not (site.root / "public").exists()


def test_a_base_url_whose_host_has_no_one_ascii_form_is_bad_usage(make_site):
    """site.yaml's is a warning, kept as written; the command line's is fixed at once."""
    site = make_site(BORDER)
    result = site.run("build", "-s", site.root, "--base-url", "https://straße.de/")
    assert result.code == 2
    assert "--base-url's host (straße.de) has no one ASCII form" in result.err
    assert not (site.root / "public").exists()
    assert site.run("build", "-s", site.root, "--base-url", "https://пример.рф/").code == 0
    assert "https://xn--e1afmkfd.xn--p1ai/" in site.text("/sitemap.xml")


def test_a_host_that_is_no_address_here_is_named_as_the_fault(make_site):
    site = make_site(BORDER)
    result = site.run("serve", "-s", site.root, "--host", "no-such-host.invalid")
    assert result.code == 2
    assert result.err.rstrip().endswith("choose another with --host")


def test_new_cannot_check_a_region_against_a_broken_registry(make_site, tmp_path):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    (site.root / "content/regions.yaml").write_text("town: [unclosed\n", encoding="utf-8")
    before = sorted(site.root.rglob("*"))
    result = site.run("new", "-s", site.root, "Drone strike", "--region", "anywhere")
    assert result.code == 2
    assert "content/regions.yaml has errors" in result.err
    assert sorted(site.root.rglob("*")) == before


def test_init_and_new_never_write_through_a_link(make_site, tmp_path):
    """A checkout may hold a link that leads anywhere, even nowhere: init keeps it as
    it is, and new refuses it, or a folder that leads outside the site."""
    outside = tmp_path / "outside.txt"
    folder = tmp_path / "linked"
    folder.mkdir()
    (folder / ".gitignore").symlink_to(outside)
    site = make_site(BORDER)
    result = site.run("init", folder)
    assert result.code == 0 and "kept" in result.out
    assert not outside.exists()
    fresh = make_site(name="linked")
    (fresh.root / "content/briefings/2024/01").mkdir(parents=True)
    (fresh.root / "content/briefings/2024/01/hello.md").symlink_to(outside)
    result = fresh.run("new", "-s", fresh.root, "Hello", "--date", "2024-01-05")
    assert result.code == 2 and "already exists" in result.err
    assert not outside.exists()
    (tmp_path / "elsewhere").mkdir()
    (fresh.root / "content/briefings/2024/02").symlink_to(tmp_path / "elsewhere")
    result = fresh.run("new", "-s", fresh.root, "Away", "--date", "2024-02-05")
    assert result.code == 2 and "leads outside" in result.err
    assert not list((tmp_path / "elsewhere").iterdir())


def test_init_and_new_make_no_folder_outside_the_site_before_they_refuse(make_site, tmp_path):
    """The link is looked at before any folder is made through it, and init looks at
    every folder it writes in before it writes a file."""
    (tmp_path / "elsewhere").mkdir()
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    briefings = site.root / "content/briefings"
    for child in briefings.iterdir():
        child.unlink()
    briefings.rmdir()
    briefings.symlink_to(tmp_path / "elsewhere")
    result = site.run("new", "-s", site.root, "Hello", "--date", "2024-01-05")
    assert result.code == 2 and "leads outside" in result.err
    assert not list((tmp_path / "elsewhere").iterdir())
    half = tmp_path / "half"
    half.mkdir()
    (half / ".github").symlink_to(tmp_path / "elsewhere")
    result = site.run("init", half)
    assert result.code == 2 and "leads outside" in result.err
    assert not list((tmp_path / "elsewhere").iterdir())
    assert sorted(p.name for p in half.iterdir()) == [".github"]


def test_new_writes_a_title_with_a_line_separator_as_yaml_reads_it(make_site, tmp_path):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    refused = site.run("new", "-s", site.root, "Drones\x85over Kursk", "--region", "town")
    assert refused.code == 2
    assert "the title holds the character U+0085" in refused.err
    title = "Drones\u2028over\u2029Kursk: \u202eevening \U0001f525 \\U0001F525"
    result = site.run("new", "-s", site.root, title, "--region", "town", "--date", "2024-01-05")
    assert result.code == 0, result.err
    written = Path(result.out.strip())
    text = (written if written.is_absolute() else site.root / written).read_text("utf-8")
    assert "\u2028" not in text and "\u2029" not in text
    assert "evening \U0001f525 \\\\U0001F525" in text  # an emoji as it is, not escaped
    assert yaml.safe_load(text.split("---")[1])["title"] == title
    checked = site.run("check", "-s", site.root, "--drafts")
    assert checked.code == 0, checked.err


def test_new_where_its_folder_cannot_be_made_is_bad_usage(make_site, tmp_path):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    (site.root / "content/briefings/2024").write_text("a file where a folder goes\n")
    result = site.run("new", "-s", site.root, "Hello", "--date", "2024-01-05")
    assert result.code == 2 and "Traceback" not in result.err
    assert "briefgen: error: cannot write" in result.err


def test_new_cuts_a_long_title_to_a_file_name_in_any_script_and_refuses_empty_tags(
    make_site, tmp_path
):
    make_site().run("init", tmp_path / "fresh")
    site = make_site(name="fresh")
    result = site.run("new", "-s", site.root, "\U00010330" * 100, "--date", "2024-01-05")
    assert result.code == 0, result.err  # Gothic letters, four bytes each
    name = result.out.strip().rpartition("/")[2]
    assert name.startswith("\U00010330") and len(name.encode()) <= 255
    result = site.run("new", "-s", site.root, "Tagged", "--tag", ":")
    assert result.code == 2 and "the tag ':' needs at least one letter or digit" in result.err


@pytest.mark.parametrize(
    ("ignored", "told"), [("*.pyc\n", True), ("*.pyc\npublic/\n", False), ("/public/**\n", False)]
)
def test_init_beside_a_gitignore_of_its_own_says_when_it_leaves_the_output_committed(
    make_site, tmp_path, ignored, told
):
    """init keeps a folder's own .gitignore; one that does not ignore public/ would have
    the built site committed, and init says so."""
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / ".gitignore").write_text(ignored)
    result = make_site().run("init", folder)
    assert result.code == 0
    assert (folder / ".gitignore").read_text() == ignored
    assert ("does not ignore /public/" in result.out) is told
