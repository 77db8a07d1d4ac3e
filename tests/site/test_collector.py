"""A full build's last stages run without Python's cyclic collector: what they make
lives until the build ends, beside every page's result, and a full collection walks
all of it to free nothing (see pipeline.build_in_full)."""

from __future__ import annotations

import gc

from site_corpus import BORDER

from briefgen.build import Clock


def test_no_collection_runs_from_the_pages_rendered_to_the_records_saved(
    make_site, monkeypatch
) -> None:
    """Collections made due every fifty allocations from the moment the pages are
    rendered: none runs until the build's record is saved."""
    window: list[bool] = []
    ran: list[int] = []
    lap = Clock.lap
    thresholds = gc.get_threshold()

    def timed(self: Clock, stage: str) -> None:
        lap(self, stage)
        if stage == "render":
            gc.collect()  # from a count of none
            window.append(True)
            gc.set_threshold(50, 1, 1)
        elif stage == "save build record":
            window.clear()

    def noted(phase: str, info: dict[str, int]) -> None:
        if window and phase == "start":
            ran.append(info["generation"])

    monkeypatch.setattr(Clock, "lap", timed)
    site = make_site(BORDER)
    gc.callbacks.append(noted)
    try:
        result = site.ok("-v")
    finally:
        gc.callbacks.remove(noted)
        gc.set_threshold(*thresholds)
    assert "save build record:" in result.err
    assert ran == []
