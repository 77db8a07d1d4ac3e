"""What `check` reports, in the preview over real sockets: in the pages it serves (for
the problems panel) and once in its log."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FLAWED, REBUILT, TIME_OF_DAY, Served, briefing, flawed, panel_data, start

from briefgen.cli import main


def _log_until(served: Served, start: tuple[str, ...]) -> list[str]:
    """The lines the server prints up to the next one that starts with ``start`` (after
    its time of day), that one included."""
    lines = []
    while True:
        line = served.log.get(timeout=10)
        lines.append(line)
        stamp = TIME_OF_DAY.match(line)
        if stamp is not None and line[stamp.end() :].startswith(start):
            return lines


def test_a_page_carries_what_build_and_check_report_for_it(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content/briefings/first.md").write_text(flawed())
    assert main(["build", "-s", str(site), "--out", str(tmp_path / "out")]) == 0
    built = [line for line in capsys.readouterr().err.splitlines() if ": warning: " in line]
    assert built == FLAWED
    assert main(["check", "-s", str(site)]) == 1
    checked = capsys.readouterr().err  # check: broken links are errors, with a column
    for line in FLAWED[1:]:
        where, message = line.split(" warning: ")
        assert re.search(re.escape(where) + r"\d+: error: " + re.escape(message), checked)
    server = start(site)
    try:
        status, _, body = server.get("/briefings/first/")
        assert status == 200
        assert panel_data(body) == {"page": FLAWED, "elsewhere": [], "more": 0}
        # Elsewhere, the file's warnings are listed apart; its broken links are its own.
        home = panel_data(server.get("/")[2])
        assert home == {"page": [], "elsewhere": FLAWED[:1], "more": 0}
        assert panel_data(server.get("/briefings/second/")[2]) == home
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)
    for page in (tmp_path / "out").rglob("*.html"):
        assert b"briefgen-problems" not in page.read_bytes(), page  # the preview's only


def test_the_panel_goes_when_the_problems_are_fixed(served: Served) -> None:
    served.write("content/briefings/first.md", flawed())
    served.wait_for("/briefings/first/", "briefgen-problems-data")
    served.write("content/briefings/first.md", briefing("First briefing", "Fixed"))
    body = served.wait_for("/briefings/first/", "Fixed")
    assert b"briefgen-live-data" in body
    assert b"briefgen-problems" not in body


def test_broken_links_are_printed_once_per_build_with_the_time(served: Served) -> None:
    served.write("content/briefings/first.md", flawed())
    served.wait_for_log("Rebuilt in ")
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: served.get("/briefings/first/")[0], range(8)))
    assert statuses == [200] * 8
    served.write("content/briefings/second.md", briefing("Second, edited", date="2023-06-01"))
    printed = _log_until(served, REBUILT)
    links = [line for line in printed if "broken link" in line]
    assert [TIME_OF_DAY.sub("", line, count=1) for line in links] == FLAWED[1:]
    assert all(TIME_OF_DAY.match(line) for line in links)
    # A new build checks the page again when it is next served.
    assert served.get("/briefings/first/")[0] == 200
    assert served.wait_for_log("content/briefings/first.md:9: warning: broken link") == FLAWED[1]


def test_problem_text_cannot_end_the_script_that_carries_it(served: Served) -> None:
    key = "</script><script>window.pwned=1</script>"
    served.write(
        "content/briefings/first.md",
        briefing("First briefing").replace("regions:", f"'{key}': 1\nregions:"),
    )
    body = served.wait_for("/briefings/first/", "briefgen-problems-data")
    data = panel_data(body)
    assert data is not None
    lines = data["page"]
    assert isinstance(lines, list) and len(lines) == 1
    assert lines[0].startswith(f"content/briefings/first.md:4: warning: unknown field '{key}' ")
    assert body.count(b"<script>window.pwned") == 0
