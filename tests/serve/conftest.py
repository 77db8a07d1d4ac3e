"""A real `briefgen serve` process on a free port of 127.0.0.1, over a site in a temp folder."""

from __future__ import annotations

import http.client
import json
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REGIONS = "russia: {name: Russia}\nbelgorod: {name: Belgorod Oblast, parent: russia}\n"
SOURCES = "gladkov: {name: Vyacheslav Gladkov, kind: official, reliability: C}\n"


def briefing(title: str, text: str = "Shelling reported", date: str = "2023-06-02") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nregions: [belgorod]\n"
        "citations:\n  g: {source: gladkov, url: 'https://t.me/vvgladkov/1'}\n"
        f"---\n{text} [@g].\n"
    )


def flawed(extra: str = "") -> str:
    """A briefing with what `check` reports: a citation never cited (line 7), and broken
    links to a missing page and a missing anchor (line 9) and to another page's missing
    anchor (line 11); ``extra`` ends its text."""
    return (
        "---\ntitle: First briefing\ndate: 2023-06-02\nregions: [belgorod]\ncitations:\n"
        "  g: {source: gladkov, url: 'https://t.me/vvgladkov/1'}\n"
        "  spare: {source: gladkov, url: 'https://t.me/vvgladkov/2'}\n"
        "---\nShelling reported [@g]. See [the list](/pages/missing/) and [below](#nowhere).\n"
        f"\nCompare [the second](/briefings/second/#no-such-anchor).\n{extra}"
    )


FLAWED = [  # what `check` reports for flawed(), as warnings, in order
    "content/briefings/first.md:7: warning: citation 'spare' is defined but never cited in "
    "the text (cite it as [@spare] or remove it)",
    "content/briefings/first.md:9: warning: broken link '/pages/missing/': no such page or "
    "file in the site",
    "content/briefings/first.md:9: warning: broken link '#nowhere': page /briefings/first/ "
    "has no anchor '#nowhere'",
    "content/briefings/first.md:11: warning: broken link '/briefings/second/#no-such-anchor': "
    "page /briefings/second/ has no anchor '#no-such-anchor'",
]


def panel_data(body: bytes) -> dict[str, object] | None:
    """What the problems panel of a served page lists, or None if it has no panel."""
    found = re.search(rb'id="briefgen-problems-data">(.*?)</script>', body)
    return None if found is None else dict(json.loads(found[1]))


REBUILT = ("Built in ", "Rebuilt in ", "Updated the edited text in ", "The build has ")
TIME_OF_DAY = re.compile(r"\d\d:\d\d:\d\d ")  # before every line of the preview's log


@dataclass
class Served:
    root: Path
    url: str
    process: subprocess.Popen[str]
    log: queue.Queue[str] = field(default_factory=queue.Queue)  # its stderr, line by line

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def version(self, path: str = "/") -> int:
        _, _, body = self.get(path)
        found = re.search(rb'id="briefgen-live-data">(.*?)</script>', body)
        assert found is not None
        return int(json.loads(found[1])["version"])

    def wait_for(self, path: str, needle: str, timeout: float = 10) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, _, body = self.get(path)
            if needle.encode() in body:
                return body
            time.sleep(0.05)
        raise AssertionError(f"{needle!r} never appeared at {path}")

    def wait_for_log(
        self, start: str | tuple[str, ...], timeout: float = 10, stamped: bool = True
    ) -> str:
        """The next line the server prints on stderr that starts with ``start`` (after
        the time of day, which every line of the preview's log must start with)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.log.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the server printed no line starting {start!r}") from None
            stamp = TIME_OF_DAY.match(line)
            if stamped and stamp is not None and line[stamp.end() :].startswith(start):
                return line[stamp.end() :]
            if not stamped and line.startswith(start):
                return line

    def next_rebuild(self) -> str:
        """What the server printed for its next build: 'Rebuilt in 12 ms', 'Updated the
        edited text in 3 ms' (a briefing's text alone changed) or 'The build has...'."""
        return self.wait_for_log(REBUILT)


class EventStream:
    """A Server-Sent Events client over a plain HTTP connection."""

    def __init__(self, port: int, version: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.conn.request("GET", f"/__briefgen/events?version={version}")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")

    def next(self) -> tuple[str, dict[str, object]]:
        """The next named event (pings and the retry hint are skipped)."""
        kind, data = "", ""
        while True:
            line = self.response.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and kind:
                return kind, json.loads(data)

    def close(self) -> None:
        self.conn.close()


def start(root: Path, *args: str) -> Served:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "-s", str(root), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    found = re.search(r"Serving (http://\S+) ", line)
    assert found, line + (process.stderr.read() if process.poll() is not None else "")
    served = Served(root, found[1], process)
    stderr = process.stderr

    def read_log() -> None:
        for printed in stderr:
            served.log.put(printed.rstrip("\n"))

    threading.Thread(target=read_log, daemon=True).start()
    return served


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/site.yaml").write_text(
        "title: Preview\nbase_url: https://example.org/\nrequire_archive: false\n"
    )
    (root / "content/regions.yaml").write_text(REGIONS)
    (root / "content/sources.yaml").write_text(SOURCES)
    (root / "content/briefings/first.md").write_text(briefing("First briefing"))
    (root / "content/briefings/second.md").write_text(
        briefing("Second briefing", date="2023-06-01")
    )
    return root


@pytest.fixture
def served(site: Path) -> Iterator[Served]:
    server = start(site)
    yield server
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
