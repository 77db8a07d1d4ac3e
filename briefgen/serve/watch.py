"""Watching the site for changes: a burst of file events becomes one rebuild."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

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

from briefgen.read.files import is_editor_temp
from briefgen.serve.preview import Preview
from briefgen.theme_folders import TEMPLATES_DIR, bundled_theme

_WATCHED = ("content", TEMPLATES_DIR)


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
        self.handler = _EventHandler(self.add, preview.log)
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

    def relevant(self, path: Path, is_folder: bool = False) -> str | None:
        """The changed file (or folder) as a site-relative path, or None if no rebuild
        needs it."""
        for folder, prefix in self.roots:
            if path.is_relative_to(folder):
                rel = PurePosixPath(prefix + path.relative_to(folder).as_posix())
                break
        else:
            return None
        if not rel.parts or rel.parts[0] not in _WATCHED:
            return None
        if any(is_editor_temp(part) for part in rel.parts):
            return None  # editors' temp files
        if rel.name.isdigit() and not is_folder:
            return None  # vim's '4913' probe (a folder of that name is a year's, a month's)
        return rel.as_posix()

    def add(self, path: Path, is_folder: bool = False) -> None:
        if path.parent == self.preview.root and path.name in _WATCHED:
            self.watch(path)  # content/ or templates/ was made (or moved) anew
        rel = self.relevant(path, is_folder)
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
                while not (self.pending or self.stopping):
                    tidy_in = self.preview.tidy_in()
                    if tidy_in == 0:
                        break
                    self.condition.wait(tidy_in)
                if self.stopping:
                    return
                tidy = not self.pending
                while not tidy:
                    now = time.monotonic()
                    wait = min(self.last + self.quiet, self.first + self.longest) - now
                    if wait <= 0:
                        break
                    self.condition.wait(wait)
                changed, self.pending = self.pending, set()
            if tidy:
                self.preview.tidy()
                continue
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
    def __init__(self, on_path: Callable[[Path, bool], None], log: Callable[[str], None]) -> None:
        self.on_path = on_path
        self.log = log

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if raw:
                    path = Path(raw if isinstance(raw, str) else raw.decode())
                    self.on_path(path, event.is_directory)
        except Exception as exc:  # never let one odd event stop the watcher
            self.log(f"briefgen: ignored a file event: {exc!r}")
