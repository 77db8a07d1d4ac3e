"""The preview server over real sockets: reload events, overlay, safety, and build equality."""

from __future__ import annotations

import http.client
import importlib.abc
import io
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TIME_OF_DAY, EventStream, Served, briefing, start
from processes import interruptible

from briefgen.cli import _log_with_time, main
from briefgen.serve.http import HostCheck


def test_edit_sends_one_reload_that_navigates_to_the_edited_briefing(served: Served) -> None:
    assert b"First briefing" in served.get("/briefings/first/")[2]
    stream = EventStream(served.port, served.version())
    served.write("content/briefings/second.md", briefing("Second, edited", date="2023-06-01"))
    kind, data = stream.next()
    stream.close()
    assert kind == "reload"
    assert data["navigate"] == "briefings/second/"
    assert b"Second, edited" in served.get("/briefings/second/")[2]


def test_broken_edit_keeps_last_good_site_and_reports_errors_until_fixed(served: Served) -> None:
    stream = EventStream(served.port, served.version())
    served.write("content/briefings/first.md", briefing("First").replace("[@g]", "[@typo]"))
    kind, data = stream.next()
    assert kind == "errors"
    assert data["errors"] == [
        "content/briefings/first.md:8:20: error: citation 'typo' is not defined in the front "
        "matter (define it under 'citations:')"
    ]
    status, _, body = served.get("/briefings/first/")
    assert status == 200
    assert b"First briefing" in body  # the last good build
    assert b"citation 'typo' is not defined" in body  # shown by the injected overlay data
    served.write("content/briefings/first.md", briefing("First, fixed"))
    kind, data = stream.next()
    stream.close()
    assert kind == "reload"
    page = served.get("/briefings/first/")[2]
    assert b"First, fixed" in page
    assert b'"errors": []' in page


def test_a_template_that_fails_as_it_renders_keeps_the_last_good_site(served: Served) -> None:
    """It fails a build, as a template that does not compile does: every open tab is
    told, and the last good pages are served until it is fixed."""
    stream = EventStream(served.port, served.version())
    served.write(
        "templates/briefing.html",
        '{% extends "default/briefing.html" %}{% block main %}{{ nosuch.attr }}{% endblock %}',
    )
    kind, data = stream.next()
    assert kind == "errors"
    assert data["errors"] and all("templates/briefing.html" in e for e in data["errors"])
    status, _, body = served.get("/briefings/first/")
    assert status == 200
    assert b"First briefing" in body
    served.write("templates/briefing.html", '{% extends "default/briefing.html" %}')
    kind, _ = stream.next()
    stream.close()
    assert kind == "reload"


def test_a_template_that_fails_on_a_later_page_serves_that_page_as_it_was(
    served: Served,
) -> None:
    """Only the first page of each template is rendered before a rebuild is swapped in:
    a page that fails later is served as the build before made it, with the errors,
    which every open tab is told, as of a failed build (SPEC section 5)."""
    assert b"Second briefing" in served.get("/briefings/second/")[2]
    stream = EventStream(served.port, served.version())
    served.write(
        "templates/briefing.html",
        '{% extends "default/briefing.html" %}{% block main %}'
        '{% if "Second" in briefing.title %}{{ 1 // 0 }}{% endif %}{{ super() }}{% endblock %}',
    )
    assert stream.next()[0] == "reload"  # the first briefing's page renders
    status, _, body = served.get("/briefings/second/")
    assert status == 200
    assert b"Second briefing" in body
    assert b"ZeroDivisionError" in body  # the errors, in the page's overlay data
    kind, data = stream.next()
    stream.close()
    assert kind == "errors"
    assert data["errors"] and "templates/briefing.html" in data["errors"][0]
    assert b"ZeroDivisionError" in served.get("/briefings/first/")[2]


def test_a_burst_of_changes_is_one_rebuild(served: Served, tmp_path: Path) -> None:
    """previewing.md: a git checkout of hundreds of files causes one rebuild. The burst
    is a folder of 40 briefings with vim's swap and probe files, made outside the site
    and moved into it in one rename: its events (the folder, then each file in it)
    all come at once, however slowly the test runs."""
    before = served.version()
    stream = EventStream(served.port, before)
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for n in range(40):
        (incoming / f"many-{n}.md").write_text(briefing(f"Many {n}"))
        (incoming / f".many-{n}.md.swp").write_text("vim swap")
    (incoming / "4913").write_text("")
    incoming.rename(served.root / "content/briefings/many")
    kind, data = stream.next()
    assert (kind, data["version"]) == ("reload", before + 1)
    for n in range(40):  # all in that one rebuild
        assert f"Many {n}".encode() in served.get(f"/briefings/many-{n}/")[2], n
    # No second rebuild for the burst: the next one is the next edit's.
    served.write("content/briefings/first.md", briefing("First briefing", "Evacuation ordered"))
    kind, data = stream.next()
    stream.close()
    assert (kind, data) == ("reload", {"version": before + 2, "navigate": "briefings/first/"})


def test_editor_temp_files_alone_cause_no_rebuild(served: Served) -> None:
    """Temp files, then an edit of a briefing's text (the positive control: a watcher
    that saw nothing fails here). The watcher gets the events in order, so a rebuild
    for the temp files would come before the edit's, or, with it in one burst, make it
    a full rebuild instead of the update of the edited text alone."""
    assert served.next_rebuild().startswith("Built in ")  # the build at start
    before = served.version()
    stream = EventStream(served.port, before)
    served.write("content/briefings/.first.md.swp", "swap")
    served.write("content/briefings/first.md~", "backup")
    served.write("content/briefings/4913", "")
    served.write("content/briefings/#first.md#", "emacs")
    served.write("content/briefings/first.md", briefing("First briefing", "Evacuation ordered"))
    kind, data = stream.next()
    stream.close()
    assert (kind, data) == ("reload", {"version": before + 1, "navigate": "briefings/first/"})
    assert served.next_rebuild().startswith("Updated the edited text in ")
    assert b"Evacuation ordered" in served.get("/briefings/first/")[2]


def test_css_change_swaps_stylesheets_without_reload(served: Served) -> None:
    served.write("templates/assets/style.css", "body { color: red; }\n")
    served.wait_for("/assets/style.css", "color: red")
    stream = EventStream(served.port, served.version())
    served.write("templates/assets/style.css", "body { color: blue; }\n")
    kind, _ = stream.next()
    stream.close()
    assert kind == "css"
    assert b"color: blue" in served.get("/assets/style.css")[2]


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/assets/..%2f..%2fcontent/site.yaml",
        "/briefings/%00",
        "/..\\..\\etc\\passwd",
    ],
)
def test_traversal_is_refused(served: Served, path: str) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        host = f"127.0.0.1:{served.port}"
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert status == 400
    assert b"root:" not in reply
    assert b"base_url" not in reply


def test_double_encoded_traversal_is_a_plain_404(served: Served) -> None:
    status, _, body = served.get("/%252e%252e/%252e%252e/etc/passwd")
    assert status == 404
    assert b"root:" not in body


def test_head_types_and_no_store(served: Served) -> None:
    status, headers, body = served.get("/briefings/first/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    assert served.get("/feed.xml")[1]["content-type"] == "application/atom+xml; charset=utf-8"
    assert served.get("/sitemap.xml")[1]["content-type"] == "application/xml; charset=utf-8"
    assert served.get("/assets/style.css")[1]["content-type"] == "text/css; charset=utf-8"
    assert served.get("/briefings/first")[0] == 301
    assert served.get("/no/such/page/")[0] == 404


def test_the_librarys_own_answers_are_not_stored_either(served: Served) -> None:
    """An unknown method or a request line too long is answered by http.server itself."""
    for method, path in (
        ("POST", "/"),
        ("DELETE", "/briefings/first/"),
        ("GET", "/" + "a" * 70_000),
    ):
        status, headers, _ = served.get(path, method=method)
        assert status in (414, 501), (method, status)
        assert headers.get("cache-control") == "no-store", (method, headers)


def test_every_answer_forbids_sniffing_its_type(site: Path) -> None:
    """A static file of a suffix the system does not know goes out as bytes; a browser
    must not sniff the HTML in it and run it as a page of the preview's."""
    (site / "content/static").mkdir(parents=True)
    (site / "content/static/upload.qzx").write_text("<script>alert(1)</script>\n")
    server = start(site)
    try:
        status, headers, _ = server.get("/upload.qzx")
        assert (status, headers["content-type"]) == (200, "application/octet-stream")
        answers = [
            server.get(path, method)[1]
            for path, method in (
                ("/upload.qzx", "GET"),
                ("/", "HEAD"),
                ("/no/such/page/", "GET"),
                ("/briefings", "GET"),
                ("/", "POST"),
            )
        ]
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/__briefgen/events")
        events = conn.getresponse()
        answers.append({k.lower(): v for k, v in events.getheaders()})
        conn.close()
        assert [a.get("x-content-type-options") for a in answers] == ["nosniff"] * 6
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_many_connections_at_once_are_all_taken_at_once(served: Served) -> None:
    """A page opening asks for its files at once: with five connections waiting at
    most, as the library has it, the system dropped the rest, and each was tried again
    a second later (the bound below is that second, not a speed)."""
    started = time.monotonic()
    sockets = [socket.create_connection(("127.0.0.1", served.port), timeout=5)
               for _ in range(40)]  # fmt: skip
    took = time.monotonic() - started
    for sock in sockets:
        sock.close()
    assert took < 0.9, took


def test_a_static_folder_is_answered_with_its_index_and_a_redirect_keeps_the_query(
    site: Path,
) -> None:
    """As a static host answers the built site: a folder of content/static/ with its
    index.html, and the address without its slash redirected with its query."""
    (site / "content/static/docs").mkdir(parents=True)
    (site / "content/static/docs/index.html").write_text("<p>Our docs</p>\n")
    server = start(site)
    try:
        status, _, body = server.get("/docs/")
        assert (status, body) == (200, b"<p>Our docs</p>\n")
        status, headers, _ = server.get("/docs?lang=en")
        assert (status, headers["location"]) == (301, "/docs/?lang=en")
        status, headers, _ = server.get("/search?q=shelling")
        assert (status, headers["location"]) == (301, "/search/?q=shelling")
        assert server.get("/docs/nothing/")[0] == 404
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def _without_live_script(body: bytes) -> bytes:
    return re.sub(
        rb'<script type="application/json" id="briefgen-live-data">.*?</script>\n'
        rb"<script>.*?</script>\n",
        b"",
        body,
        flags=re.S,
    )


def test_served_pages_equal_a_clean_build_after_edits(served: Served, tmp_path: Path) -> None:
    site = served.root
    served.write("content/briefings/third.md", briefing("Third", date="2023-06-03"))
    served.wait_for("/briefings/third/", "Third")
    (site / "content/briefings/second.md").unlink()
    shutil.move(site / "content/briefings/first.md", site / "content/briefings/renamed.md")
    served.write("content/briefings/third.md", briefing("Third, edited", date="2023-06-03"))
    served.write(
        "content/regions.yaml",
        "russia: {name: Russland}\nbelgorod: {name: Belgorod, parent: russia}\n",
    )
    served.wait_for("/regions/russia/", "Russland")
    served.wait_for("/briefings/renamed/", "First briefing")
    # Body-only edits: the preview patches just the pages that show these bodies.
    served.write("content/briefings/renamed.md", briefing("First briefing", "Evacuations began"))
    served.wait_for("/briefings/renamed/", "Evacuations began")
    served.write(
        "content/briefings/third.md", briefing("Third, edited", "A new body", "2023-06-03")
    )
    served.wait_for("/briefings/third/", "A new body")
    out = tmp_path / "clean"
    assert main(["build", "-s", str(site), "--out", str(out), "--base-url", served.url]) == 0
    pages = sorted(p for p in out.rglob("*") if p.is_file() and p.name != ".briefgen-manifest")
    assert len(pages) > 10
    for page in pages:
        rel = page.relative_to(out).as_posix()
        status, _, body = served.get("/" + rel)
        assert status == 200, rel
        assert _without_live_script(body) == page.read_bytes(), rel
    assert served.get("/briefings/second/")[0] == 404
    assert served.get("/briefings/first/")[0] == 404


def test_busy_port_is_a_one_line_error(served: Served, capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "-s", str(served.root), "--port", str(served.port)])
    err = capfd.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith(f"briefgen: error: cannot listen on 127.0.0.1:{served.port}")


def test_starting_with_errors_serves_them_and_recovers(site: Path) -> None:
    (site / "content/briefings/first.md").write_text("---\ntitle: x\n")
    server = start(site)
    try:
        status, _, body = server.get("/")
        assert status == 503
        assert b"front matter is not closed" in body
        server.write("content/briefings/first.md", briefing("First, recovered"))
        server.wait_for("/briefings/first/", "First, recovered")
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_host_other_than_loopback_warns(site: Path) -> None:
    server = start(site, "--host", "0.0.0.0")
    try:
        assert server.get("/")[0] == 200
        assert server.wait_for_log("briefgen: warning: serving on 0.0.0.0", stamped=False)
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_ipv6_loopback(site: Path) -> None:
    server = start(site, "--host", "::1")
    try:
        conn = http.client.HTTPConnection("::1", server.port, timeout=10)
        conn.request("GET", "/briefings/first/")
        response = conn.getresponse()
        assert response.status == 200
        assert b"First briefing" in response.read()
        conn.close()
    finally:
        server.process.terminate()
        server.process.wait(timeout=10)


def test_a_recreated_content_folder_is_watched_again(served: Served) -> None:
    content = served.root / "content"
    saved = served.root.parent / "saved-content"
    shutil.copytree(content, saved)
    shutil.rmtree(content)
    deadline = time.monotonic() + 10
    while served.get("/briefings/first/")[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.get("/briefings/first/")[0] == 404
    shutil.copytree(saved, content)
    served.wait_for("/briefings/first/", "First briefing")
    served.write("content/briefings/first.md", briefing("First, after the folder came back"))
    served.wait_for("/briefings/first/", "First, after the folder came back")


@pytest.mark.parametrize(
    ("bound", "header", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "LOCALHOST", True),
        ("127.0.0.1", "evil.example:8000", False),
        ("127.0.0.1", "127.0.0.1.evil.example:8000", False),
        ("127.0.0.1", "192.168.1.20:8000", False),
        ("0.0.0.0", "192.168.1.20:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
        ("::", "[fe80::1]:8000", True),
        ("192.168.1.20", "192.168.1.20:8000", True),
        ("127.0.0.1", "127.0.0.1:9000", True),  # a forwarded port
        ("127.0.0.1", "localhost:9000", True),
        ("127.0.0.1", "[::1]:9000", True),
        ("127.0.0.1", "evil.example:9000", False),
        ("::", "fe80::1", True),
    ],
)
def test_the_preview_answers_only_to_its_own_host_names(
    bound: str, header: str, allowed: bool
) -> None:
    assert HostCheck(bound).allows(header) is allowed


@pytest.mark.parametrize(
    ("target", "headers", "status"),
    [
        ("/regions/", ["Host: 127.0.0.1"], 200),
        ("http://evil.example/regions/", ["Host: 127.0.0.1"], 403),
        ("http://127.0.0.1/regions/", ["Host: 127.0.0.1"], 200),
        ("/regions/", [], 403),
        ("/regions/", ["Host: 127.0.0.1", "Host: evil.example"], 403),
        ("/regions/", ["Host: evil.example", "Host: 127.0.0.1"], 403),
    ],
)
def test_a_request_must_name_the_preview_once_wherever_it_names_a_host(
    served: Served, target: str, headers: list[str], status: int
) -> None:
    """A whole URL as the target names the host that counts (RFC 9112); no Host, or
    two, cannot be told to be the preview's."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        request = "\r\n".join([f"GET {target} HTTP/1.1", *headers, "Connection: close", "", ""])
        conn.sendall(request.encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.split(b" ", 2)[1] == str(status).encode(), answer[:200]


def test_the_preview_answers_to_the_name_it_was_started_on() -> None:
    """--host laptop.local binds the address the name resolves to, and requests come
    addressed to the name."""
    named = HostCheck("192.168.1.20", "Laptop.local")
    assert named.allows("laptop.local:8000")
    assert named.allows("192.168.1.20:8000")
    assert not named.allows("evil.example:8000")


def test_a_browser_gone_mid_request_is_no_error_in_the_terminal(served: Served) -> None:
    """A page left before it loaded resets its connection: the preview says nothing of
    it (socketserver would print a traceback), and goes on serving."""
    for _ in range(20):
        client = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        client.sendall(b"GET /briefings/first/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # a reset, not a close: what a browser does to a request it drops
    assert b"First briefing" in served.get("/briefings/first/")[2]
    time.sleep(0.5)  # for what the preview printed to reach the log
    printed = []
    while not served.log.empty():
        printed.append(served.log.get_nowait())
    assert not [line for line in printed if "Exception" in line or "Traceback" in line], printed


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_static_file_made_a_link_out_of_the_site_is_not_served(
    served: Served, tmp_path: Path, what: str
) -> None:
    """The build refuses the link, and the preview keeps the last good build: that
    build's files are served only while they are where it found them, never through
    a link made since (SPEC: it never serves a file outside the output directory)."""
    secret = tmp_path / "elsewhere" / "notes.txt"
    secret.parent.mkdir()
    secret.write_text("a secret of the machine's\n")
    served.write("content/static/docs/notes.txt", "public notes\n")
    served.wait_for("/docs/notes.txt", "public notes")
    if what == "file":
        (served.root / "content/static/docs/notes.txt").unlink()
        (served.root / "content/static/docs/notes.txt").symlink_to(secret)
    else:
        shutil.rmtree(served.root / "content/static/docs")
        (served.root / "content/static/docs").symlink_to(secret.parent)
    served.wait_for_log("content/static/docs")
    status, _, body = served.get("/docs/notes.txt")
    assert b"secret" not in body
    assert status == 404


def test_a_month_folder_moved_out_of_content_is_a_change(served: Served, tmp_path: Path) -> None:
    """Folders named with digits alone are years and months (as `briefgen new` makes
    them), not vim's probe file '4913': moving one away removes its briefings."""
    served.write("content/briefings/2023/06/third.md", briefing("Third briefing"))
    served.wait_for("/briefings/third/", "Third briefing")
    (served.root / "content/briefings/2023/06").rename(tmp_path / "06")
    deadline = time.monotonic() + 10
    while served.get("/briefings/third/")[0] != 404 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.get("/briefings/third/")[0] == 404


def test_a_tab_of_an_earlier_run_catches_up_with_the_preview_started_again(site: Path) -> None:
    """A tab keeps the version of the page it shows and asks for what comes after it:
    every version of a later run does, so a tab left open across a restart reloads at
    once, and at each save after (it waited while the new run counted up from 0)."""
    first = start(site)
    try:
        seen = first.version()
    finally:
        first.process.terminate()
        first.process.wait(timeout=10)
    second = start(site)
    try:
        stream = EventStream(second.port, seen)
        kind, data = stream.next()
        assert kind == "reload" and isinstance(data["version"], int) and data["version"] > seen
        stream.close()
    finally:
        second.process.terminate()
        second.process.wait(timeout=10)


class _InterruptedImport(importlib.abc.MetaPathFinder):
    """A Ctrl-C that arrives as one module is imported."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname == self.name:
            raise KeyboardInterrupt


def test_ctrl_c_while_serve_loads_its_modules_ends_quietly(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server and the watcher are imported once serve starts (a build needs
    neither): a third of a second in which a Ctrl-C printed a traceback."""
    monkeypatch.delitem(sys.modules, "briefgen.serve.watch", raising=False)
    monkeypatch.setattr(
        sys, "meta_path", [_InterruptedImport("briefgen.serve.watch"), *sys.meta_path]
    )
    assert main(["serve", "-s", str(site), "--port", "0"]) == 130
    assert capsys.readouterr().out == "Stopped.\n"


@pytest.mark.parametrize("command", ["serve", "drafts"])
def test_ctrl_c_while_the_site_is_first_read_ends_quietly(site: Path, command: str) -> None:
    """The first load of a large site takes seconds, in which a Ctrl-C ends the command
    as one during a build does: exit 130, no traceback."""
    text = briefing("Many", text="Shelling reported " * 40)
    for n in range(1500):
        (site / f"content/briefings/b{n}.md").write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", command, "-s", str(site),
         *(["--port", "0"] if command == "serve" else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=interruptible,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not (site / ".briefgen-cache").exists():  # reading has begun
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert "Serving" not in out, "the first load ended before the Ctrl-C"
    assert process.returncode == 130, err
    assert "Traceback" not in err


class _Writes(io.StringIO):
    """A stream that keeps each text written to it apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


def test_each_log_entry_is_one_write_of_whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's threads log at once: a line written apart from its line break ran
    together with another thread's line."""
    stream = _Writes()
    monkeypatch.setattr(sys, "stderr", stream)
    _log_with_time("content/a.md:3:1: error: one\ncontent/b.md:4:1: error: two")
    _log_with_time("Rebuilt in 40 ms")
    assert len(stream.writes) == 2, stream.writes
    first, second = (TIME_OF_DAY.findall(write) for write in stream.writes)
    assert len(first) == 2 and len(second) == 1, stream.writes
    assert all(write.endswith("\n") for write in stream.writes), stream.writes
    assert stream.getvalue().splitlines()[1].endswith(" content/b.md:4:1: error: two")
