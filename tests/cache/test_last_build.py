"""A build that would change nothing is recognised from the record of the last one:
it reports what that build reported and writes nothing. Anything a build reads, its
options, its moment (embargoes) or a file of its output that changed makes it run in
full; a record that is malformed or lies runs it in full too."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from checkout import check_out_anew
from processes import in_fresh_python

from briefgen.build import BuildOptions, _settings_read
from briefgen.cache.settled import SETTLE_NS, changed_before
from briefgen.last_build import KnownOutputs, LastBuild, Outcome, read_inputs
from briefgen.theme_folders import theme_dirs

SITE = """
-- content/site.yaml --
title: Border briefings
base_url: https://example.org/
-- content/regions.yaml --
belgorod:
  name: Belgorod Oblast
-- content/sources.yaml --
dw:
  name: Deutsche Welle
  url: https://www.dw.com/
-- content/briefings/shelling.md --
---
title: Border villages shelled
date: 2023-06-01
regions: [belgorod]
citations:
  dw-1:
    source: dw
    url: https://www.dw.com/en/a-1
---
Villages near the border were shelled overnight [@dw-1]. See [the map](/nowhere/).
-- content/briefings/later.md --
---
title: Evacuation announced
date: 2023-06-02
publish_at: 2023-06-10T09:00:00Z
regions: [belgorod]
citations:
  dw-2:
    source: dw
    url: https://www.dw.com/en/a-2
---
Thousands were evacuated from the border villages [@dw-2].
"""
BEFORE = "2023-06-05T00:00:00Z"  # 'later' is embargoed
AFTER = "2023-06-11T00:00:00Z"  # it is published


def replayed(result) -> bool:
    return "(0 rendered)" in result.out and "unchanged:" in result.err


@pytest.fixture
def site(make_site):
    """A site built once, whose next build replays the first: every test changes one
    thing and sees whether that still happens."""
    site = make_site(SITE)
    site.settle()
    site.first = site.ok("--now", BEFORE, "-v")
    assert not replayed(site.first)
    assert replayed(site.ok("--now", BEFORE, "-v"))
    return site


def test_an_unchanged_site_replays_the_last_builds_report_and_writes_nothing(site) -> None:
    first = site.first
    files = {p: p.stat().st_mtime_ns for p in site.out.rglob("*")}
    again = site.ok("--now", BEFORE, "-v")
    assert replayed(again)
    assert again.warnings == first.warnings
    assert any("/nowhere/" in w for w in again.warnings)
    assert "content/briefings/later.md" in again.out  # still reported as embargoed
    pages = first.out.split("Built ")[1].split(" pages")[0]
    assert f"Built {pages} pages (0 rendered)" in again.out
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*")} == files


@pytest.mark.parametrize("rel", ["content/briefings/shelling.md", "templates/page.html"])
def test_no_build_is_replayed_by_the_times_of_a_file_changed_just_before_the_last(
    site, rel: str
) -> None:
    """A file whose time is that of the build (here, a little later) could change
    again within the same tick of the file system's clock and keep it: a content
    file is recorded as changed whatever its times, and a theme's file leaves no
    record."""
    path = site.root / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{% extends 'base.html' %}\n", encoding="utf-8")
    soon = time.time_ns() + 30 * 10**9
    os.utime(path, ns=(soon, soon))
    assert not replayed(site.ok("--now", BEFORE, "-v"))
    assert not replayed(site.ok("--now", BEFORE, "-v"))
    records = list(site.root.joinpath(".briefgen-cache").glob("build-*.json"))
    assert bool(records) is rel.startswith("content/")
    os.utime(path, ns=(time.time_ns() - SETTLE_NS, time.time_ns() - SETTLE_NS))
    site.settle()  # its change time, too
    site.ok("--now", BEFORE)
    assert replayed(site.ok("--now", BEFORE, "-v"))


def inputs(site) -> list[Path]:
    return [p for p in site.root.joinpath("content").rglob("*") if p.is_file()]


def test_a_tenth_of_a_second_settles_files_with_times_finer_than_seconds(site) -> None:
    now = time.time_ns() - 123_456_789
    for path in inputs(site):
        os.utime(path, ns=(now, now))
    time.sleep(0.3)
    site.ok("--now", BEFORE)
    assert replayed(site.ok("--now", BEFORE, "-v"))


@pytest.mark.parametrize(
    ("mtime", "ctime", "settled"),
    [
        (1_700_000_001_000_000_000, 1_700_000_001_500_000_001, True),  # fine: 0.1 s is enough
        (1_700_000_001_000_000_000, 1_700_000_001_000_000_000, False),  # whole: two seconds
        (1_699_999_999_000_000_000, 1_699_999_999_000_000_000, True),
        (1_700_000_002_450_000_000, 1_700_000_002_450_000_000, False),  # a tenth not yet
    ],
)
def test_a_change_settles_after_a_tenth_of_a_second_or_two_seconds_for_whole_seconds(
    mtime: int, ctime: int, settled: bool
) -> None:
    """As on FAT, where a file changed again within the same two seconds keeps its times;
    tar and git archive set a file's modification time to a whole second, not its
    change time."""
    assert changed_before(mtime, ctime, now_ns=1_700_000_002_500_000_000) is settled


@pytest.mark.parametrize(
    "change",
    [
        lambda site: site.write(
            "-- content/briefings/new.md --\n---\ntitle: New\ndate: 2023-06-03\n---\nText.\n"
        ),
        lambda site: (site.root / "content/briefings/shelling.md").write_text(
            (site.root / "content/briefings/shelling.md").read_text() + "\nMore.\n"
        ),
        lambda site: os.utime(site.root / "content/briefings/shelling.md"),  # touched
        lambda site: site.remove("content/briefings/later.md"),
        lambda site: site.write("-- templates/page.html --\n{% extends 'base.html' %}\n"),
        lambda site: site.write("-- content/static/robots.txt --\nUser-agent: *\n"),
    ],
    ids=["new briefing", "edited body", "touched", "removed", "theme", "static file"],
)
def test_any_change_to_what_a_build_reads_runs_it_in_full(site, change) -> None:
    change(site)
    assert not replayed(site.ok("--now", BEFORE, "-v"))


def _misnamed(site) -> None:
    site.write("-- content/briefings/bad:name.md --\n---\ntitle: X\ndate: 2023-06-03\n---\nX.\n")


def _link_to_nowhere(site) -> None:
    (site.root / "content/briefings/gone.md").symlink_to(site.root / "nowhere.md")


@pytest.mark.parametrize("how", ["build", "check", "build of a fresh checkout"])
@pytest.mark.parametrize(
    "problem",
    [
        (_misnamed, "content/briefings/bad:name.md:1:1: error: the name 'bad:name.md'"),
        (_link_to_nowhere, "content/briefings/gone.md:1:1: error: symbolic link leads nowhere"),
    ],
    ids=["name no file system allows", "link to nowhere"],
)
def test_a_file_the_walk_passes_over_is_reported_by_the_next_build(site, problem, how) -> None:
    """Such a file is read by no build, but a build that finds one is not the last:
    the record of a build before it was added is no answer."""
    add, error = problem
    command = "check" if how == "check" else "build"
    shelling = site.root / "content/briefings/shelling.md"
    shelling.write_text(shelling.read_text().replace(" See [the map](/nowhere/).", ""))
    site.settle()
    assert site.run(command, "-s", site.root, "--now", BEFORE).code == 0  # a check's record
    if how == "build of a fresh checkout":
        check_out_anew(site.root)
    add(site)
    site.settle()
    for _ in range(2):
        result = site.run(command, "-s", site.root, "--now", BEFORE)
        assert result.code == 1 and error in result.err, result.err
    assert site.exists("/briefings/shelling/")


@pytest.mark.parametrize("what", ["folder", "link to nothing"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_settings_file_that_is_a_folder_is_reported_by_the_next_build(
    site, command, what
) -> None:
    """An empty folder, or a link that leads nowhere, is listed by no walk, but either
    named content/regions.yaml is an error (the registry would stop being the one the
    site's keys are checked against): the record of the build before it was made is
    no answer."""
    site.remove("content/regions.yaml")  # regions are then free-form
    shelling = site.root / "content/briefings/shelling.md"
    shelling.write_text(shelling.read_text().replace(" See [the map](/nowhere/).", ""))
    site.settle()
    assert site.run(command, "-s", site.root, "--now", BEFORE).code == 0
    regions = site.root / "content/regions.yaml"
    if what == "folder":
        regions.mkdir()
        said = "this is a folder, not a file (move the folder away)"
    else:
        regions.symlink_to(site.root / "gone.yaml")
        said = (
            f"this is a symbolic link to {site.root / 'gone.yaml'}, which is not there "
            "(remove the link, or make what it leads to)"
        )
    site.settle()
    for _ in range(2):
        result = site.run(command, "-s", site.root, "--now", BEFORE)
        assert result.code == 1, result.err
        assert result.errors == [f"content/regions.yaml:1:1: error: {said}"]


@pytest.mark.parametrize("what", ["file", "link to nothing"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_templates_folder_that_is_a_file_is_reported_by_the_next_build(
    site, command, what
) -> None:
    """A file named templates (or a link leading nowhere) holds no templates, so the
    bundled theme's would be used without a word: it is an error, and the record of
    the build before it was made is no answer."""
    shelling = site.root / "content/briefings/shelling.md"
    shelling.write_text(shelling.read_text().replace(" See [the map](/nowhere/).", ""))
    site.settle()
    assert site.run(command, "-s", site.root, "--now", BEFORE).code == 0
    templates = site.root / "templates"
    if what == "file":
        templates.write_text("{% extends 'base.html' %}\n")
        said = "this is a file, not the folder of the site's templates"
    else:
        templates.symlink_to(site.root / "gone")
        said = f"this is a symbolic link to {site.root / 'gone'}, which is not there"
    site.settle()
    for _ in range(2):
        result = site.run(command, "-s", site.root, "--now", BEFORE)
        assert result.code == 1, result.err
        assert result.errors == [
            f"templates:1:1: error: {said} (remove it, or make it a folder of templates)"
        ]
    assert site.exists("/briefings/shelling/")


@pytest.mark.parametrize(
    "args",
    [["--drafts"], ["--future"], ["--base-url", "https://other.example/"], ["--file-urls"]],
)
def test_other_options_run_the_build_in_full(site, args) -> None:
    assert not replayed(site.ok("--now", BEFORE, "-v", *args))


def test_an_embargo_that_ends_runs_the_build_and_publishes(site) -> None:
    assert not site.exists("/briefings/later/")
    after = site.ok("--now", AFTER, "-v")
    assert not replayed(after)
    assert site.exists("/briefings/later/")
    earlier = site.ok("--now", BEFORE, "-v")  # a moment before the last build's release
    assert not replayed(earlier)
    assert not site.exists("/briefings/later/")


@pytest.mark.parametrize("how", ["edited", "deleted"])
def test_an_output_file_changed_by_hand_is_written_again(site, how) -> None:
    page = site.file("/briefings/shelling/")
    wanted = page.read_bytes()
    if how == "edited":
        page.write_bytes(wanted.replace(b"shelled", b"SHELLED"))
    else:
        page.unlink()
    assert not replayed(site.ok("--now", BEFORE, "-v"))
    assert page.read_bytes() == wanted


def test_no_cache_neither_reads_nor_keeps_a_record(site) -> None:
    site.ok("--now", BEFORE, "--no-cache")  # rewrites the manifest: the record is stale
    assert not replayed(site.ok("--now", BEFORE, "-v"))


def record(site) -> Path:
    (found,) = (site.root / ".briefgen-cache").glob("build-*.json")
    return found


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data: "not json",
        lambda data: json.dumps([]),
        lambda data: json.dumps({**data, "version": 99}),
        lambda data: json.dumps({**data, "pages": "many"}),
        lambda data: json.dumps({**data, "until": "tomorrow"}),
        lambda data: json.dumps({**data, "from": "2023-06-01T00:00:00"}),  # no offset
        lambda data: json.dumps({**data, "diagnostics": [["fatal", "x", 1, 1, "m", ""]]}),
        lambda data: json.dumps({**data, "diagnostics": [["warning", "x", "1", 1, "m", ""]]}),
        lambda data: json.dumps({**data, "embargoed": {"x": None}}),
        lambda data: json.dumps({**data, "outputs": {"index.html": data["outputs"]["index.html"]}}),
    ],
    ids=[
        "garbage", "list", "version", "pages", "until", "naive", "severity", "line",
        "embargo", "no manifest",
    ],
)  # fmt: skip
def test_a_record_that_is_malformed_or_lies_runs_the_build_in_full(site, tamper) -> None:
    data = json.loads(record(site).read_text())
    record(site).write_text(tamper(data))
    result = site.ok("--now", BEFORE, "-v")
    assert not replayed(result)
    assert "Traceback" not in result.err


def test_a_record_of_outputs_all_known_before_it_is_saved_is_whole(site) -> None:
    """The record's outputs are the part encoded beforehand (``KnownOutputs``, as a
    patch makes it while Pagefind runs) and the rest; with no rest, that part alone."""
    files = sorted(site.output_files())
    stamps = {}
    for rel in files:
        stat = (site.out / rel).stat()
        stamps[rel] = [stat.st_size, stat.st_mtime_ns]
    now = dt.datetime.fromisoformat(BEFORE.replace("Z", "+00:00"))
    inputs = read_inputs(
        site.root, theme_dirs(site.root), _settings_read(site.out, BuildOptions(now=now))
    )
    LastBuild(site.root, site.out).save(
        inputs, (None, None), [], Outcome(len(files), [], {}), {}, KnownOutputs.of(stamps)
    )
    assert json.loads(record(site).read_text(encoding="utf-8"))["outputs"] == stamps


def test_a_record_naming_a_file_outside_the_output_runs_the_build_in_full(site) -> None:
    """Even one that is there, and as the record says: it is no file a build writes."""
    data = json.loads(record(site).read_text())
    outside = site.root / "content/site.yaml"
    stat = outside.stat()
    data["outputs"]["../content/site.yaml"] = [stat.st_size, stat.st_mtime_ns]
    record(site).write_text(json.dumps(data))
    assert not replayed(site.ok("--now", BEFORE, "-v"))


HEAVY = ["jinja2", "markdown", "yaml", "nh3", "babel", "sqlite3", "briefgen.model",
         "briefgen.pipeline", "briefgen.patch", "briefgen.cache.store",
         "multiprocessing", "concurrent.futures"]  # fmt: skip


def heavy_imports(root: Path, *args: str) -> tuple[str, str]:
    """What ``briefgen build -s ROOT ARGS -v``, run in a new Python process, printed on
    its standard error, and its exit code with the modules of ``HEAVY`` it imported."""
    script = (
        "import sys\n"
        "from briefgen.cli import main\n"
        f"code = main(['build', '-s', {str(root)!r}, *{list(args)!r}, '-v'])\n"
        f"print(code, [name for name in {HEAVY!r} if name in sys.modules])\n"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return found.stderr, found.stdout.splitlines()[-1]


def test_a_build_that_finds_nothing_changed_imports_no_parser_or_renderer(site) -> None:
    """Importing them was a quarter of such a build at 10,000 briefings (see build.py),
    and a process pool's machinery 20 ms of it (see workers.py)."""
    said, imported = heavy_imports(site.root, "--now", BEFORE)
    assert "unchanged:" in said
    assert imported == "0 []"


def _looking(site, code: str) -> list[str]:
    """What ``code`` prints, run in a new Python process (a build forks its look only
    while it runs one thread; a test run's process may have more), with ``last``,
    the record of the site's builds, ``now``, the moment of the fixture's builds, and
    ``shelled`` changing a page of the output by hand."""
    prelude = f"""
import datetime as dt
from pathlib import Path
from briefgen.build import BuildOptions, _settings_read
from briefgen.last_build import LastBuild, OutputLook, read_inputs
from briefgen.theme_folders import theme_dirs

root, out = Path({str(site.root)!r}), Path({str(site.out)!r})
now = dt.datetime.fromisoformat({BEFORE.replace("Z", "+00:00")!r})
last = LastBuild(root, out)
inputs = read_inputs(root, theme_dirs(root), _settings_read(out, BuildOptions(now=now)))
page = Path({str(site.file("/briefings/shelling/"))!r})

def shelled():
    page.write_bytes(page.read_bytes().replace(b"shelled", b"SHELLED"))
"""
    return in_fresh_python(prelude + code).split()


def test_the_output_looked_at_apart_is_what_the_build_goes_by(site) -> None:
    """The look, made by a forked process while the build reads its inputs, stands for
    the record it read: a file changed after it looked is found by the next build."""
    wanted = site.file("/briefings/shelling/").read_bytes()
    said = _looking(
        site,
        """
look = OutputLook(last)
print(bool(look.verdict()))
shelled()
print(last.recorded(now, look=look) is not None, last.recorded(now) is None)
print(last.replay(inputs, now, look) is not None, last.replay(inputs, now) is None)
""",
    )
    assert said == ["True"] * 5
    assert not replayed(site.ok("--now", BEFORE, "-v"))
    assert site.file("/briefings/shelling/").read_bytes() == wanted


def test_a_look_at_another_record_is_not_taken(site) -> None:
    """The same text written again is another file: the build looks at the output itself."""
    said = _looking(
        site,
        f"""
print(last.replay(inputs, now, OutputLook(last)) is not None)
look = OutputLook(last)
print(bool(look.verdict()))
record = Path({str(record(site))!r})
text = record.read_bytes()
record.unlink()
record.write_bytes(text)
shelled()
print(last.recorded(now, look=look) is None, last.replay(inputs, now, look) is None)
print(last.looked(look) == {{}})
""",
    )
    assert said == ["True"] * 5


def test_a_look_that_finds_a_file_changed_is_not_taken(site) -> None:
    said = _looking(
        site,
        """
shelled()
look = OutputLook(last)
print(look.verdict() == b"", last.recorded(now, look=look) is None, last.looked(look) == {})
""",
    )
    assert said == ["True"] * 3


def test_where_no_process_can_be_forked_the_build_looks_itself(site) -> None:
    """With another thread running (as in the preview), the look is made in the
    build's own process: the replay and a file changed by hand are found as before."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert replayed(site.ok("--now", BEFORE, "-v"))
        page = site.file("/briefings/shelling/")
        wanted = page.read_bytes()
        page.write_bytes(wanted.replace(b"shelled", b"SHELLED"))
        assert not replayed(site.ok("--now", BEFORE, "-v"))
        assert page.read_bytes() == wanted
    finally:
        stop.set()
        thread.join()


def _retitled(site, code: str) -> tuple[list[str], bytes]:
    """What ``code`` prints, run as :func:`_looking` runs it, with ``sources``, the
    sources page of the output, ``by_hand()`` changing it, and ``retitled()`` changing
    a briefing's title and returning the inputs then; and the page's bytes before."""
    sources = site.file("/sources/")
    wanted = sources.read_bytes()
    prelude = f"""
sources = Path({str(sources)!r})
def by_hand():
    sources.write_bytes(sources.read_bytes().replace(b"Deutsche Welle", b"DW"))
def retitled():
    brief = root / "content/briefings/shelling.md"
    brief.write_text(brief.read_text().replace("villages shelled", "villages shelled again"))
    return read_inputs(root, theme_dirs(root), _settings_read(out, BuildOptions(now=now)))
"""
    return _looking(site, prelude + code), wanted


def test_a_build_in_full_goes_by_the_look_at_the_output(site) -> None:
    """A front-matter edit is built in full; the pages it leaves as they are are judged
    by what the look saw of their files, not looked at again. A page changed after the
    look is found by the next build."""
    said, wanted = _retitled(
        site,
        """
from briefgen.pipeline import build_in_full
look = OutputLook(last)
print(bool(look.verdict()))
by_hand()
done = build_in_full(root, out, BuildOptions(now=now), None, (last, retitled(), look))
print(done.ok, 0 < done.rendered < done.pages, b"DW" in sources.read_bytes())
print(b"shelled again" in page.read_bytes())
""",
    )
    assert said == ["True"] * 5
    assert not replayed(site.ok("--now", BEFORE, "-v"))
    assert site.file("/sources/").read_bytes() == wanted


def test_a_build_in_full_after_a_look_that_found_a_change_looks_itself(site) -> None:
    said, wanted = _retitled(
        site,
        """
from briefgen.build import build
by_hand()
retitled()
done = build(root, BuildOptions(now=now))
print(done.ok, 0 < done.rendered < done.pages, b"DW" not in sources.read_bytes())
""",
    )
    assert said == ["True"] * 3
    assert site.file("/sources/").read_bytes() == wanted


def test_the_build_looks_from_the_last_file_back_until_it_meets_the_forked_look(site) -> None:
    """A build with nothing else to do looks at the output too, from the other end: the
    forked look (slowed down here) stops where the build reached, and the two
    together stand for the record; a file changed by hand is found by one of them."""
    said = _looking(
        site,
        """
import json, time
import briefgen.last_build as lb
lb.Meeting._RUN = 1
plain = lb._hold
def slow(out, files, checked=()):
    time.sleep(0.02)
    return plain(out, files, checked)
def slow_look():
    lb._hold = slow  # in the forked process only
    look = OutputLook(last)
    lb._hold = plain
    return look
look = slow_look()
count = len(json.loads(last.path.read_text())["outputs"])
print(last.replay(inputs, now, look) is not None)
print(int(look.verdict().rpartition(b" ")[2]) < count)
look.stop()
shelled()
look = slow_look()
print(last.replay(inputs, now, look) is None, last.looked(look) == {})
""",
    )
    assert said == ["True"] * 4
