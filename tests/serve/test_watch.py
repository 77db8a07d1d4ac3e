"""The preview's watcher, driven with the events watchdog hands it."""

from __future__ import annotations

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
    watcher.handler.on_any_event(FileModifiedEvent(b"content/briefings/\xff.md"))
    assert [line for line in log if "ignored a file event" in line], log
    assert not watcher.pending
