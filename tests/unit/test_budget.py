"""A pathological body fails on its own within its time budget, in the main thread
(as a build parses) and in any other (as the preview rebuilds)."""

from __future__ import annotations

import threading
import time

import pytest

from briefgen.markup.body import BodyError, BodyRenderer
from briefgen.markup.budget import Expired, time_limit

SLOW = "[a](" * 5000  # links never closed: Python-Markdown takes seconds over them


def render_slow(renderer: BodyRenderer) -> BaseException | None:
    try:
        renderer.render(SLOW)
    except BodyError as exc:
        return exc
    return None


@pytest.mark.parametrize("in_thread", [False, True], ids=["main-thread", "other-thread"])
def test_a_body_over_budget_is_a_body_error(in_thread: bool) -> None:
    renderer = BodyRenderer()
    renderer.time_budget = 0.3
    outcome: list[BaseException | None] = []
    started = time.monotonic()
    if in_thread:
        thread = threading.Thread(target=lambda: outcome.append(render_slow(renderer)))
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the budget never interrupted the thread"
    else:
        outcome.append(render_slow(renderer))
    assert isinstance(outcome[0], BodyError)
    assert "longer than 0.3 s" in str(outcome[0])
    assert time.monotonic() - started < 10
    assert renderer.render("Fine [@a].\n").cited.keys == ("a",), "the renderer works afterwards"


@pytest.mark.parametrize("in_thread", [False, True], ids=["main-thread", "other-thread"])
def test_the_budget_counts_the_processor_time_the_call_spends(in_thread: bool) -> None:
    """Not the wall's: a long body that builds alone failed beside other commands
    keeping the cores busy. Waiting stands in for them here, spending none."""
    outcome: list[str] = []

    def waits() -> None:
        try:
            with time_limit(0.2):
                time.sleep(0.6)
            outcome.append("finished")
        except Expired:
            outcome.append("expired")

    if in_thread:
        thread = threading.Thread(target=waits)
        thread.start()
        thread.join(timeout=30)
    else:
        waits()
    assert outcome == ["finished"]


def test_a_budget_that_was_not_used_up_never_fires_later() -> None:
    def work() -> None:
        with time_limit(0.1):
            pass
        time.sleep(0.4)  # well past the deadline: nothing may be raised here

    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except Expired as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert errors == []


def test_the_watchdog_thread_ends_once_no_budget_is_watched() -> None:
    """A build forks its workers only while it runs one thread (see workers.py): a
    process whose other thread watched a budget (the preview's rebuild) can fork again
    once that is over."""
    done = threading.Event()

    def watched() -> None:
        with time_limit(5):
            time.sleep(0.1)
        done.set()

    thread = threading.Thread(target=watched)
    thread.start()
    thread.join()
    assert done.is_set()
    waited = time.monotonic()
    while any(t.name == "briefgen-budget" for t in threading.enumerate()):
        assert time.monotonic() - waited < 5, "the watchdog thread still runs"
        time.sleep(0.01)
