"""``briefgen serve``: a live preview that rebuilds on save and reloads open tabs.

watch -> debounce -> rebuild -> notify. A rebuild loads and links the site again
(re-parsing only files that changed) and swaps in a new immutable snapshot; pages
are rendered when a browser asks for them, from the snapshot current at the
request, so a request never sees half of one build and half of another. A build
with errors keeps the last good snapshot and shows the errors in every open tab.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import json
import mimetypes
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, quote, unquote, urlsplit

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

from briefgen import gc_pause, urls
from briefgen.build import BuildOptions, prepare
from briefgen.cache.memory import ParseCache
from briefgen.diagnostics import Diagnostics, Severity
from briefgen.model import Briefing
from briefgen.read.files import is_editor_temp
from briefgen.read.load import BRIEFING, parse_file
from briefgen.render.routes import Renderer, Route, routes
from briefgen.render.theme import TEMPLATES_DIR, bundled_theme

LIVE_PATH = "/__briefgen/events"
_LIVE_JS = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")
_WATCHED = ("content", TEMPLATES_DIR)


@dataclass(frozen=True)
class Snapshot:
    """One good build, ready to render on demand."""

    renderer: Renderer
    routes: dict[str, Route]  # site path -> route
    copies: dict[str, Path]  # output path -> source file
    briefing_paths: dict[str, str]  # source file -> site path of the briefing or page
    pages: dict[str, bytes] = field(default_factory=dict)  # rendered so far, by site path


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    location: str = ""


@dataclass(frozen=True)
class Event:
    kind: str  # 'reload', 'css' or 'errors'
    data: dict[str, object]


class Preview:
    """The site being previewed: the current snapshot, its errors, and a version counter."""

    def __init__(self, root: Path, options: BuildOptions, log: Callable[[str], None]) -> None:
        self.root = root.resolve()
        self.options = options
        self.log = log
        self.cache = ParseCache()
        self.condition = threading.Condition()
        self.closing = False
        self.version = 0
        self.snapshot: Snapshot | None = None
        self.errors: tuple[str, ...] = ()
        self._reload_version = 0
        self._navigate = ""
        self._css_version = 0
        self._build_lock = threading.Lock()

    # -- building -----------------------------------------------------------------

    def rebuild(self, changed: Collection[str] = ()) -> None:
        """Bring the preview up to date with the changed files.

        An edit to the text of briefings alone, that changes nothing other pages
        show of them (title, dates, citations...), patches the routes that show
        those bodies; anything else loads and links the site again. Either way the
        new snapshot is swapped in only if it has no errors.
        """
        with self._build_lock:
            started = time.perf_counter()
            try:
                snapshot = self._patched(changed)
                how = "Updated the edited text"
                if snapshot is None:
                    snapshot, how = self._loaded(), "Rebuilt"
            except Exception as exc:  # a bug must not stop the preview
                self._publish_errors((f"briefgen: internal error while building: {exc!r}",))
                return
            if snapshot is None:
                return
            targets = [
                snapshot.briefing_paths[rel] for rel in changed if rel in snapshot.briefing_paths
            ]
            css_only = bool(changed) and all(_is_stylesheet(rel) for rel in changed)
            with self.condition:
                self.version += 1
                self.snapshot = snapshot
                self.errors = ()
                if css_only and self._reload_version:
                    self._css_version = self.version
                else:
                    self._reload_version = self.version
                    self._navigate = quote(targets[0]) if len(targets) == 1 else ""
                self.condition.notify_all()
            self.log(f"{how} in {(time.perf_counter() - started) * 1000:.0f} ms")

    def _loaded(self) -> Snapshot | None:
        """Load and link the whole site (reusing files that did not change)."""
        diags = Diagnostics()
        with gc_pause.paused():
            prepared = prepare(self.root, self.options, diags, self.cache)
            all_routes = routes(prepared.site)
        for diagnostic in diags.sorted():
            self.log(diagnostic.format())
        errors = tuple(d.format() for d in diags.sorted() if d.severity is Severity.ERROR)
        if errors:
            self._publish_errors(errors)
            return None
        return Snapshot(
            renderer=prepared.renderer,
            routes={route.path: route for route in all_routes},
            copies=prepared.copies,
            briefing_paths={
                **{b.path: urls.briefing(b.slug) for b in prepared.site.briefings},
                **{p.path: urls.page(p.slug) for p in prepared.site.pages},
            },
        )

    def _patched(self, changed: Collection[str]) -> Snapshot | None:
        """The current snapshot with new bodies for edited briefings, or None if the
        edit reaches further than their bodies."""
        snapshot = self.snapshot
        if snapshot is None or self.errors or not changed:
            return None
        replaced: dict[int, Briefing] = {}
        for rel in changed:
            old = self.cache.entry(rel)
            if old is None or not isinstance(old.item, Briefing):
                return None
            try:
                stat = (self.root / rel).stat()
                new = parse_file(BRIEFING, rel, (self.root / rel).read_bytes())
            except OSError:
                return None
            item = new.item
            if not isinstance(item, Briefing) or (item.meta_digest, new.diagnostics) != (
                old.item.meta_digest,
                old.diagnostics,
            ):
                return None
            replaced[id(old.item)] = item
            self.cache.put(rel, (stat.st_mtime_ns, stat.st_size), new)
        routes_now = dict(snapshot.routes)
        for path, route in snapshot.routes.items():
            context = route.context
            if id(context.get("briefing")) in replaced:
                context = {**context, "briefing": replaced[id(context["briefing"])]}
            elif any(id(b) in replaced for b in context.get("entries", ())):
                entries = tuple(replaced.get(id(b), b) for b in context["entries"])
                context = {**context, "entries": entries}
            else:
                continue
            routes_now[path] = replace(route, context=context)
        return replace(snapshot, routes=routes_now, pages={})

    def _publish_errors(self, errors: tuple[str, ...]) -> None:
        with self.condition:
            self.version += 1
            self.errors = errors
            self.condition.notify_all()
        self.log(f"The build has {len(errors)} error(s); still serving the last good build.")

    def close(self) -> None:
        with self.condition:
            self.closing = True
            self.condition.notify_all()

    # -- events -------------------------------------------------------------------

    def next_event(self, since: int, timeout: float) -> tuple[int, Event | None]:
        """Wait for a version newer than ``since``; the event that catches a tab up."""
        with self.condition:
            self.condition.wait_for(lambda: self.version > since or self.closing, timeout)
            if self.version <= since:
                return since, None
            if self.errors:
                return self.version, Event(
                    "errors", {"version": self.version, "errors": self.errors}
                )
            if self._reload_version > since:
                data = {"version": self.version, "navigate": self._navigate}
                return self.version, Event("reload", data)
            return self.version, Event("css", {"version": self.version})

    # -- responding ---------------------------------------------------------------

    def respond(self, raw_path: str) -> Response:
        path = _site_path(raw_path)
        with self.condition:
            snapshot, version, errors = self.snapshot, self.version, self.errors
        if path is None:
            return Response(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"Bad path\n")
        if snapshot is None:
            page = _error_page(errors)
            return Response(HTTPStatus.SERVICE_UNAVAILABLE, _HTML, inject(page, version, errors))
        route_path = path.removesuffix("index.html")
        route = snapshot.routes.get(route_path)
        if route is not None:
            return self._page(snapshot, route, version, errors, HTTPStatus.OK)
        if path and not path.endswith("/") and f"{path}/" in snapshot.routes:
            return Response(HTTPStatus.MOVED_PERMANENTLY, _HTML, b"", "/" + quote(f"{path}/"))
        source = snapshot.copies.get(path)
        if source is not None:
            try:
                return Response(HTTPStatus.OK, content_type(path), source.read_bytes())
            except OSError:
                pass  # removed since the snapshot was taken: answer as not found
        return self._page(
            snapshot, snapshot.routes["404.html"], version, errors, HTTPStatus.NOT_FOUND
        )

    def _page(
        self, snapshot: Snapshot, route: Route, version: int, errors: tuple[str, ...], status: int
    ) -> Response:
        body = snapshot.pages.get(route.path)
        if body is None:
            diags = Diagnostics()
            body = snapshot.renderer.render(route, diags)
            if body is None:
                problems = tuple(d.format() for d in diags.sorted())
                self.log("\n".join(problems))
                page = _error_page(problems)
                return Response(
                    HTTPStatus.INTERNAL_SERVER_ERROR, _HTML, inject(page, version, problems)
                )
            snapshot.pages[route.path] = body
        kind = content_type(urls.output_file(route.path))
        if kind.startswith("text/html"):
            body = inject(body, version, errors)
        return Response(status, kind, body)


_HTML = "text/html; charset=utf-8"


def _is_stylesheet(rel: str) -> bool:
    return rel.endswith(".css") and "/assets/" in f"/{rel}"


def _site_path(raw: str) -> str | None:
    """The site path of a request path, or None when it tries to leave the site.

    The path is decoded once: '%2e%2e' is refused like '..', and a double-encoded
    '%252e%252e' stays the literal, harmless text '%2e%2e'.
    """
    try:
        path = unquote(urlsplit(raw).path, errors="strict")
    except UnicodeDecodeError:
        return None  # '%ff', or an overlong '%c0%ae': not a path of the site
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = path.split("/")[1:]
    if any(part in (".", "..") for part in parts):
        return None
    return "/".join(parts)


def content_type(path: str) -> str:
    suffix = PurePosixPath(path).suffix
    if path.endswith("feed.xml"):
        kind = "application/atom+xml"
    elif suffix == ".xml":
        kind = "application/xml"
    else:
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = kind.startswith("text/") or kind.endswith(("xml", "json", "javascript"))
    return f"{kind}; charset=utf-8" if textual else kind


def inject(page: bytes, version: int, errors: tuple[str, ...]) -> bytes:
    """Add the live-reload script before ``</body>`` (serve only; builds stay clean)."""
    data = json.dumps({"version": version, "errors": list(errors)}).replace("<", "\\u003c")
    script = (
        f'<script type="application/json" id="briefgen-live-data">{data}</script>\n'
        f"<script>{_LIVE_JS}</script>\n"
    ).encode()
    index = page.lower().rfind(b"</body>")
    if index < 0:
        return page + script
    return page[:index] + script + page[index:]


def _error_page(errors: tuple[str, ...]) -> bytes:
    items = "\n".join(html.escape(e) for e in errors)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build error</title></head><body><main><h1>The site has errors</h1>"
        f"<pre>{items}</pre></main></body></html>\n"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    preview: Preview
    hosts: HostCheck
    server_version = "briefgen"
    protocol_version = "HTTP/1.1"

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
        then read the preview, drafts included."""
        if self.hosts.allows(self.headers.get("Host")):
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

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows builds, not every request."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Watcher:
    """Watches the site (and the bundled theme) and rebuilds once per burst of changes.

    An editor's atomic save, vim's swap and probe files or a ``git checkout`` of
    hundreds of files arrive as a burst of events: they are collected until the
    file system has been quiet for ``quiet`` seconds (at most ``longest``), then
    one rebuild runs with the set of changed files.
    """

    def __init__(
        self, preview: Preview, poll: bool = False, quiet: float = 0.05, longest: float = 0.5
    ) -> None:
        self.preview = preview
        self.quiet = quiet
        self.longest = longest
        self.condition = threading.Condition()
        self.pending: set[str] = set()
        self.first = self.last = 0.0
        self.stopping = False
        self.roots = [(preview.root, "")]
        theme = bundled_theme().resolve()
        if not theme.is_relative_to(preview.root):
            self.roots.append((theme, f"{TEMPLATES_DIR}/"))
        self.observer = PollingObserver(timeout=0.5) if poll else Observer()
        self.handler = _EventHandler(self.add)
        self.watches: dict[Path, ObservedWatch] = {}
        # The site folder itself only for its top level (content/ or templates/ made
        # anew); the folders that matter recursively. Never the output or the cache.
        self.observer.schedule(self.handler, str(preview.root), event_filter=_EVENTS)
        for name in _WATCHED:
            self.watch(preview.root / name)
        if len(self.roots) > 1:
            self.watch(theme)
        self.thread = threading.Thread(target=self._run, name="briefgen-rebuild", daemon=True)

    def watch(self, folder: Path) -> None:
        """Watch ``folder`` recursively (again, if it was deleted and made anew)."""
        if not folder.is_dir():
            return
        old = self.watches.pop(folder, None)
        if old is not None:
            with contextlib.suppress(KeyError, OSError):
                self.observer.unschedule(old)
        self.watches[folder] = self.observer.schedule(
            self.handler, str(folder), recursive=True, event_filter=_EVENTS
        )

    def start(self) -> None:
        self.observer.start()
        self.thread.start()

    def stop(self) -> None:
        with self.condition:
            self.stopping = True
            self.condition.notify_all()
        self.observer.stop()
        self.observer.join(timeout=5)

    def relevant(self, path: Path) -> str | None:
        """The changed file as a site-relative path, or None if no rebuild needs it."""
        for folder, prefix in self.roots:
            if path.is_relative_to(folder):
                rel = PurePosixPath(prefix + path.relative_to(folder).as_posix())
                break
        else:
            return None
        if not rel.parts or rel.parts[0] not in _WATCHED:
            return None
        if any(is_editor_temp(part) for part in rel.parts) or rel.name.isdigit():
            return None  # editors' temp files, and vim's '4913' probe
        return rel.as_posix()

    def add(self, path: Path) -> None:
        if path.parent == self.preview.root and path.name in _WATCHED:
            self.watch(path)  # content/ or templates/ was made (or moved) anew
        rel = self.relevant(path)
        if rel is None:
            return
        with self.condition:
            now = time.monotonic()
            if not self.pending:
                self.first = now
            self.pending.add(rel)
            self.last = now
            self.condition.notify_all()

    def _run(self) -> None:
        while True:
            with self.condition:
                self.condition.wait_for(lambda: self.pending or self.stopping)
                if self.stopping:
                    return
                while True:
                    now = time.monotonic()
                    wait = min(self.last + self.quiet, self.first + self.longest) - now
                    if wait <= 0:
                        break
                    self.condition.wait(wait)
                changed, self.pending = self.pending, set()
            try:
                self.preview.rebuild(changed)
            except Exception as exc:  # the watcher outlives any one rebuild
                self.preview.log(f"briefgen: rebuild failed: {exc!r}")


_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]  # not opened, read or attribute events: briefgen's own reading must not wake it


class _EventHandler(FileSystemEventHandler):
    def __init__(self, on_path: Callable[[Path], None]) -> None:
        self.on_path = on_path

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if raw:
                    self.on_path(Path(raw if isinstance(raw, str) else raw.decode()))
        except Exception as exc:  # never let one odd event stop the watcher
            print(f"briefgen: ignored a file event: {exc!r}", file=sys.stderr)


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


def preview_options(options: BuildOptions, host: str, port: int) -> BuildOptions:
    """Absolute URLs (feeds, canonical links) point at the preview server itself."""
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return replace(options, base_url=f"http://{shown}:{port}/", write=False)


@dataclass(frozen=True)
class HostCheck:
    """Which ``Host`` headers the preview answers: the address it was started on and
    the loopback names; bound to every interface, also any IP address and this
    machine's name (an IP address cannot be rebound to another site)."""

    host: str
    port: int

    def allows(self, header: str | None) -> bool:
        if header is None:
            return True  # HTTP/1.0 clients; browsers always send one
        name = header.strip().lower()
        if name.endswith(f":{self.port}"):
            name = name[: -len(f":{self.port}")]
        name = name.removeprefix("[").removesuffix("]")
        if name in {"localhost", "127.0.0.1", "::1", self.host.lower()}:
            return True
        if self.host not in ("0.0.0.0", "::", ""):
            return False
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in {socket.gethostname().lower(), socket.getfqdn().lower()}


def attach(server: PreviewServer, preview: Preview) -> None:
    host, port = server.server_address[:2]
    hosts = HostCheck(str(host), int(port))
    server.RequestHandlerClass = type("Handler", (_Handler,), {"preview": preview, "hosts": hosts})
