"""The preview's HTTP server: pages on demand, the live-reload event stream, and
only for the host names it was started on."""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from briefgen.serve.preview import Preview
from briefgen.serve.responses import Response

LIVE_PATH = "/__briefgen/events"  # live.js listens here


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    hosts: HostCheck
    server_version = "briefgen"
    protocol_version = "HTTP/1.1"
    _no_store = False  # set while the library sends an error page of its own

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this, Nagle's algorithm and
        # the client's delayed ACK hold the body back ~40 ms on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        if not self._host_allowed(body=True):
            return
        if urlsplit(self.path).path == LIVE_PATH:
            self._events()
        else:
            self._send(self.preview.respond(self.path), body=True)

    def do_HEAD(self) -> None:
        if self._host_allowed(body=False):
            self._send(self.preview.respond(self.path), body=False)

    def _host_allowed(self, body: bool) -> bool:
        """Refuse a request addressed to another host name: a page on any site can make
        the browser ask for one that resolves to 127.0.0.1 (DNS rebinding), and would
        then read the preview, drafts included. A request must name one host, in its
        one Host header and in its target if that is a whole URL (RFC 9112, 3.2)."""
        named = self.headers.get_all("Host") or []
        authority = urlsplit(self.path).netloc  # a request for 'http://host/path'
        one = len(named) == 1 and self.hosts.allows(named[0])
        if one and (not authority or self.hosts.allows(authority)):
            return True
        text = b"This preview answers only to the address it was started on.\n"
        self._send(Response(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", text), body)
        return False

    def _send(self, response: Response, body: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        if response.location:
            self.send_header("Location", response.location)
        self.end_headers()
        if body:
            self.wfile.write(response.body)

    def _events(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        try:
            since = int(query.get("version", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.preview.closing:
                since, event = self.preview.next_event(since, timeout=15)
                if event is None:
                    self.wfile.write(b": ping\n\n")
                else:
                    self.wfile.write(
                        f"event: {event.kind}\ndata: {json.dumps(event.data)}\n\n".encode()
                    )
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The library's own answers (an unknown method, a request line too long) are
        not kept by the browser either."""
        self._no_store = True
        super().send_error(code, message, explain)

    def end_headers(self) -> None:
        """Every answer says its type is the one to go by: a static file of a suffix the
        system does not know goes out as ``application/octet-stream``, and a browser
        that sniffed it would run the HTML it holds as a page of the preview's."""
        if self._no_store:
            self.send_header("Cache-Control", "no-store")
            self._no_store = False
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows builds, not every request."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Connections waiting to be accepted: a page opening asks for its stylesheet,
    # scripts, images and feeds at once, and a connection the queue (5 by default)
    # has no room for is tried again a second later.
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that dropped its connection (a page left before it loaded) is no
        error of the preview's, and gets no traceback in the terminal; anything else is
        reported as ``socketserver`` reports it."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


def start_server(host: str, port: int | None, tries: int = 20) -> PreviewServer:
    """Bind ``host:port``; with no port given, the first free one from 8000 on."""
    server = _PreviewServer6 if ":" in host else PreviewServer
    if port is not None:
        return server((host, port), _Handler)
    last_error: OSError | None = None
    for candidate in range(8000, 8000 + tries):
        try:
            return server((host, candidate), _Handler)
        except OSError as exc:
            last_error = exc
    assert last_error is not None
    raise last_error


@dataclass(frozen=True)
class HostCheck:
    """Which ``Host`` headers the preview answers: the address it was started on and
    the loopback names; bound to every interface, also any IP address and this
    machine's name (an IP address cannot be rebound to another site). With any port:
    a preview reached through a forwarded port (``ssh -L``, a container's) is named
    with that one, and a port is no defence against rebinding, which changes names."""

    host: str  # the address bound
    name: str = ""  # the name --host gave, when it is not that address ('laptop.local')

    def allows(self, header: str | None) -> bool:
        if header is None:
            return True  # HTTP/1.0 clients; browsers always send one
        name = header.strip().lower()
        if name.startswith("["):
            name = name[1:].partition("]")[0]
        else:
            before, colon, port = name.rpartition(":")
            if colon and port.isdigit() and ":" not in before:  # not an IPv6 address
                name = before
        if name in {"localhost", "127.0.0.1", "::1", self.host.lower(), self.name.lower()}:
            return True
        if self.host not in ("0.0.0.0", "::", ""):
            return False
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in {socket.gethostname().lower(), socket.getfqdn().lower()}


def attach(server: PreviewServer, preview: Preview, name: str = "") -> None:
    """Serve ``preview``, to requests addressed to the server's address or ``name``,
    the host it was started on."""
    hosts = HostCheck(str(server.server_address[0]), name)
    server.RequestHandlerClass = type("Handler", (_Handler,), {"preview": preview, "hosts": hosts})
