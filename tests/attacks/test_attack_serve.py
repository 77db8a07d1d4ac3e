"""`briefgen serve` under hostile requests, over real sockets.

A request path whose percent-escapes are not UTF-8 is a 400 (and the server goes on
serving); a Host header naming another site is refused with 403, so a page on
another origin cannot read the preview through DNS rebinding; and no spelling of
'..' reaches a file outside the output.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from attack_kit import briefing, cli_command, make_site, wait_until

SECRET = "briefgen-attack-secret-4f2a9c"


@dataclass
class Server:
    port: int
    process: subprocess.Popen[str]
    root: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve")
    (root / "secret.txt").write_text(SECRET + "\n")
    site = make_site(
        root / "site",
        {
            "content/briefings/a.md": briefing(),
            "content/static/robots.txt": "User-agent: *\n",
        },
    )
    port = _free_port()
    process = subprocess.Popen(
        cli_command("serve", "-s", site, "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert wait_until(lambda: process.poll() is not None or _answers(port), 30, 0.02)
        assert process.poll() is None, "the server did not start"
        yield Server(port, process, root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(server: Server, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET ``path`` as written (no quoting), with a Host header (default: the server's)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host or server.host})
        try:
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError) as exc:
            raise AssertionError(f"GET {path}: the server closed without answering") from exc
        body = response.read() if not path.startswith("/__briefgen/") else b""
        return response.status, body
    finally:
        conn.close()


def raw(server: Server, target: str) -> bytes:
    """A request sent byte for byte, as no client library would send it; the full answer."""
    request = f"GET {target} HTTP/1.1\r\nHost: {server.host}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request.encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "path",
    ["/%ff", "/%c0%ae%c0%ae/", "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/briefings/%e2%82/"],
)
def test_undecodable_path_is_400_and_the_server_keeps_serving(server: Server, path: str) -> None:
    status, _ = get(server, path)
    assert status == 400
    assert server.process.poll() is None
    assert get(server, "/")[0] == 200


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("evil.example", "/"),
        ("evil.example:{port}", "/briefings/a/"),
        ("127.0.0.1.evil.example", "/"),
        ("localhost.evil.example:{port}", "/"),
        ("evil.example", "/__briefgen/events?version=0"),
    ],
)
def test_request_for_another_host_is_refused_with_403(server: Server, host: str, path: str) -> None:
    """DNS rebinding: evil.example resolves to 127.0.0.1, the browser sends its name."""
    status, body = get(server, path, host=host.format(port=server.port))
    assert status == 403
    assert b"Villages shelled" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}"])
def test_request_for_the_local_host_is_served(server: Server, host: str) -> None:
    status, body = get(server, "/briefings/a/", host=host.format(port=server.port))
    assert status == 200
    assert b"Villages shelled" in body


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("/../../etc/passwd", 400),
        ("/../../../../../../../../etc/passwd", 400),
        ("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 400),
        ("/..%2f..%2f..%2f..%2fetc%2fpasswd", 400),
        ("/assets/../../../../../../etc/passwd", 400),
        ("/..\\..\\..\\..\\etc\\passwd", 400),
        ("//etc/passwd", 404),  # no '..': a page of the site that does not exist
        ("/../../secret.txt", 400),
        ("/../secret.txt", 400),
        ("/%2e%2e/%2e%2e/secret.txt", 400),
        ("/robots.txt/../../../secret.txt", 400),
    ],
)
def test_dotdot_in_a_raw_request_never_returns_a_file_outside_the_output(
    server: Server, target: str, status: int
) -> None:
    """previewing.md: a path that tries to leave the site gets 400 Bad Request."""
    answer = raw(server, target)
    assert answer.startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    assert SECRET.encode() not in answer
    assert not re.search(rb"root:[^:\n]*:0:0:", answer), "served /etc/passwd"
    assert get(server, "/")[0] == 200
