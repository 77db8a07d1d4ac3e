"""What a reader waits for a search on built sites: each output folder is served on
127.0.0.1 and searched in headless Chromium, in a fresh tab each time, with no added
latency and with a round trip added to every request (Chromium's HTTP/1.1: six
connections to a host). It prints, for each site, the parts of its search index, the
requests a first search makes once the page has loaded, and the seconds from typing
the words to the first result shown.

    python benchmarks/search.py public/
    python benchmarks/search.py --words drone,evacuation --latency 40 a/public b/public

A large site's index comes in parts (see docs/search.md): a smaller part makes an
edit's rebuild quicker and a search ask more files. This puts numbers on the second.
Needs the test dependencies (Playwright) and a Chromium (Debian's, see .ci/run).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
INPUT = ".pagefind-ui__search-input"
RESULT = ".pagefind-ui__result-link"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serving(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def parts(folder: Path) -> int:
    """The parts of the site's search index: its bundle and those merged into it."""
    merged = folder / "pagefind" / "parts"
    return 1 + (sum(1 for p in merged.iterdir() if p.is_dir()) if merged.is_dir() else 0)


def search(
    browser: Browser, url: str, words: str, latency: int, timeout: float
) -> tuple[float, int]:
    """Seconds from typing ``words`` to the first result, and the requests made meanwhile."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(timeout * 1000)
        if latency:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            conditions = {"offline": False, "latency": latency,
                          "downloadThroughput": -1, "uploadThroughput": -1}  # fmt: skip
            cdp.send("Network.emulateNetworkConditions", conditions)
        requests = [0]
        page.on("request", lambda _: requests.__setitem__(0, requests[0] + 1))
        page.goto(url + "search/")
        page.wait_for_selector(INPUT)
        page.wait_for_load_state("networkidle")
        before = requests[0]
        began = time.perf_counter()
        page.fill(INPUT, words)
        page.wait_for_selector(RESULT)
        return time.perf_counter() - began, requests[0] - before
    finally:
        context.close()


def _span(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}–{max(seconds):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built output folders")
    parser.add_argument("--words", default="evacuation,governor,drones,hospital,ambulance",
                        help="searches, comma-separated; each must find something")  # fmt: skip
    parser.add_argument("--latency", type=int, default=40, help="round trip added, in ms")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per search")
    parser.add_argument("--chromium", default=CHROMIUM)
    options = parser.parse_args(argv)
    words = [w for w in options.words.split(",") if w]
    latencies = [0, options.latency] if options.latency else [0]
    heads = " | ".join(f"first result, +{ms} ms" for ms in latencies)
    print(f"| site | index parts | requests of a search | {heads} |")
    print("|" + " --- |" * (3 + len(latencies)))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=options.chromium, args=FLAGS)
        try:
            for site in options.sites:
                print(f"searching {site}", file=sys.stderr)
                with _serving(site) as url:
                    cells, counts = [], set()
                    for latency in latencies:
                        found = [search(browser, url, w, latency, options.timeout) for w in words]
                        cells.append(_span([seconds for seconds, _ in found]))
                        counts |= {n for _, n in found}
                requests = "–".join(str(n) for n in sorted({min(counts), max(counts)}))
                print(f"| {site} | {parts(site)} | {requests} | {' | '.join(cells)} |")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
