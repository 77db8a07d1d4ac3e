"""The preview's watcher, driven with the events watchdog hands it."""

from __future__ import annotations

import time
import weakref
from pathlib import Path

from watchdog.events import FileModifiedEvent

from briefgen.build import BuildOptions
from briefgen.serve.preview import Preview
from briefgen.serve.watch import Watcher


def test_an_event_it_cannot_read_is_noted_in_the_previews_log(site: Path) -> None:
    """Every line of the preview's log is stamped with the time; this one was printed
    apart from it, unstamped, between the stamped lines of the threads around it."""
    log: list[str] = []
    preview = Preview(site, BuildOptions(write=False, base_url="http://127.0.0.1:1/"), log.append)
    watcher = Watcher(preview)
    watcher.start()  # and stopped: its watches' threads end only so
    try:
        watcher.handler.on_any_event(FileModifiedEvent(b"content/briefings/\xff.md"))
    finally:
        watcher.stop()
        watcher.thread.join(timeout=30)
    assert [line for line in log if "ignored a file event" in line], log
    assert not watcher.pending


def test_the_watcher_frees_what_a_reload_left_once_the_preview_is_idle(site: Path) -> None:
    """The templates of a snapshot the preview dropped hold its site in cycles that
    only a full collection frees: the watcher runs it once nothing happens."""
    preview = Preview(site, BuildOptions(write=False, base_url="http://127.0.0.1:1/"), [].append)
    preview.rebuild()
    assert preview.snapshot is not None
    templates = weakref.ref(preview.snapshot.renderer.env)
    watcher = Watcher(preview, poll=True, quiet=0.01)  # the polling observer ends as it stops
    watcher.start()
    try:
        for _ in range(2):
            watcher.add(site / "content/site.yaml")  # loaded again
            deadline = time.monotonic() + 30
            while preview.tidy_in() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            assert preview.tidy_in() is not None
        deadline = time.monotonic() + 30
        while templates() is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert templates() is None
        assert preview.tidy_in() is None
    finally:
        watcher.stop()
        watcher.thread.join(timeout=30)  # later tests fork, which a thread left running stops
    assert not watcher.thread.is_alive()
