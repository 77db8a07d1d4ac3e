"""Long work shows progress on a terminal, and nothing in CI logs (SPEC section 5)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cli import _ProgressLine

BRIEFING = """---
title: Briefing {n}
date: 2023-06-{day:02d}
regions: [belgorod]
citations:
  g: {{source: gladkov, url: "https://t.me/x/{n}", archive: "https://archive.ph/x{n}"}}
---
Shelling reported [@g].
"""


def make_site(root: Path, count: int = 80) -> Path:
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/regions.yaml").write_text("belgorod: {name: Belgorod}\n")
    for n in range(count):
        text = BRIEFING.format(n=n, day=n % 28 + 1)
        (root / f"content/briefings/b{n:03d}.md").write_text(text)
    return root


def run_on_a_terminal(site: Path, *args: str) -> tuple[int, str]:
    """Run ``briefgen build`` with its stderr on a pseudo-terminal; its exit code and
    everything it wrote there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "-s", str(site), *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    written = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed once the build has ended
            break
        if not chunk:
            break
        written += chunk
    os.close(leader)
    return process.wait(), written.decode()


def test_a_terminal_sees_each_phase_counted_to_its_end(tmp_path: Path) -> None:
    code, shown = run_on_a_terminal(make_site(tmp_path))
    assert code == 0, shown
    assert re.search(r"\rParsing: 80/80 files( \([\d,]+/s\))?\x1b", shown), shown
    pages = re.findall(r"\rRendering: (\d+)/(\d+) pages", shown)
    assert pages and pages[-1][0] == pages[-1][1], shown


def test_a_rate_is_shown_once_the_clock_has_run_a_while(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The first report comes a moment after its files were done, a batch of rendered
    pages at once: counted from it, the rate was '50,000,000/s'."""
    times = iter([5.0, 5.02, 10.0, 10.000001, 10.5, 11.0])
    progress = _ProgressLine(clock=lambda: next(times))
    progress("Parsing", 1, 30)
    progress("Parsing", 30, 30)  # its last line, 0.02 s on: too soon to tell a rate
    progress("Rendering", 50, 152)
    progress("Rendering", 60, 152)  # too soon after the last line: not shown
    progress("Rendering", 101, 152)
    progress("Rendering", 152, 152)
    lines = capsys.readouterr().err.replace("\x1b[K", "").split("\r")[1:]
    assert lines == [
        "Parsing: 1/30 files",
        "Parsing: 30/30 files\n",
        "Rendering: 50/152 pages",
        "Rendering: 101/152 pages (102/s)",
        "Rendering: 152/152 pages (102/s)\n",
    ]


def test_quiet_shows_no_progress_even_on_a_terminal(tmp_path: Path) -> None:
    code, shown = run_on_a_terminal(make_site(tmp_path), "-q")
    assert code == 0
    assert "Parsing" not in shown and "Rendering" not in shown


def test_no_terminal_no_progress_and_verbose_tells_the_stages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    quiet = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-s", str(site), "--no-cache"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert quiet.stderr == ""
    verbose = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-s", str(site), "-v"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    timings = re.findall(r"^([a-z ]+): (\d+\.\d\d) s \((\d+)%\)$", verbose.stderr, re.M)
    stages = [stage for stage, _, _ in timings]
    assert stages == [
        "check inputs", "load", "link", "render", "check links", "search index", "write",
        "save page keys", "save build record",
    ], verbose.stderr  # fmt: skip
    assert 97 <= sum(int(share) for _, _, share in timings) <= 103


def test_serve_shows_its_first_load_on_a_terminal(tmp_path: Path) -> None:
    """A large site takes seconds to load before serve answers: it counts the files."""
    site = make_site(tmp_path)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "-s", str(site), "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    written = b""
    try:
        while b"Built in" not in written:
            chunk = os.read(leader, 65536)
            assert chunk, written.decode()
            written += chunk
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.close(leader)
    assert re.search(r"\rParsing: 80/80 files( \([\d,]+/s\))?\x1b", written.decode()), written
