"""Headless Chromium for tests of what a reader's browser does with a built site:
Debian's /usr/bin/chromium driven by Playwright, and axe-core (from the npm package in
package.json, installed by ``npm ci``) to check a page's accessibility."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@contextmanager
def chromium() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (see .ci/run)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_tab(browser: Browser, timeout_ms: int) -> Iterator[Page]:
    """A tab of its own (cookies, storage) in ``browser``, closed afterwards."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(timeout_ms)
    try:
        yield tab
    finally:
        context.close()


@contextmanager
def serving(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler]) -> Iterator[str]:
    """``folder`` served on 127.0.0.1 by ``handler`` in a thread: 'http://127.0.0.1:PORT'."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def axe_violations(page: Page) -> list[str]:
    """Every axe-core rule that ``page`` breaks, as it is now, each with the elements
    that break it: ``["link-in-text-block: .footnote-backref", ...]``. Every rule is
    run, those of WCAG's AAA level too (axe-core leaves them out unless asked), but
    the experimental and deprecated ones."""
    assert AXE.exists(), "install axe-core: npm ci (see .ci/run)"
    if not page.evaluate("typeof axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const rules = axe.getRules().filter(r => !r.tags.some(
                t => t === "experimental" || t === "deprecated")).map(r => r.ruleId);
            const result = await axe.run(document, {
                runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]});
            return result.violations.map(
                v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}));
        }"""
    )
    return [f"{v['id']}: {', '.join(v['nodes'])}" for v in found]
