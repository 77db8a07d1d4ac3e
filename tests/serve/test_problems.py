"""What `check` reports, in the preview over real sockets: once in its log."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conftest import FLAWED, REBUILT, TIME_OF_DAY, Served, briefing, flawed


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
