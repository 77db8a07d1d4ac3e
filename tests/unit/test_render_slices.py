"""How the pages to render are cut into the slices the processes take in turn."""

from __future__ import annotations

import pytest

from briefgen.render.job import _COPY_PAGES, _SLICE_LEAST, _runs, _slices


@pytest.mark.parametrize("count", [0, 1, _SLICE_LEAST - 1, _SLICE_LEAST, 300, 26_967])
@pytest.mark.parametrize("workers", [2, 3])
def test_slices_hold_every_page_once_in_order(count: int, workers: int) -> None:
    stale = [3 * n + 1 for n in range(count)]  # route numbers, with gaps
    assert [n for part in _slices(stale, workers) for n in part] == stale


def test_slices_shrink_to_the_least_size_towards_the_end() -> None:
    """The last slices are small, so that no process waits long for another's last."""
    sizes = [len(part) for part in _slices(list(range(26_967)), 2)]
    assert sizes[0] > 16 * _SLICE_LEAST  # few round trips while there is much to do
    assert sizes == sorted(sizes, reverse=True)
    assert all(size >= _SLICE_LEAST for size in sizes[:-1])
    assert sizes[-4:-1] == [_SLICE_LEAST] * 3


@pytest.mark.parametrize("count", [0, 1, 300, _COPY_PAGES, _COPY_PAGES + 1, 131_805])
def test_runs_hold_every_page_once_in_order_and_in_runs_of_a_size(count: int) -> None:
    """Each run is rendered beside a copy forked for it: at most ``_COPY_PAGES`` pages,
    as few runs as that allows, of about the same size."""
    stale = [2 * n for n in range(count)]
    runs = _runs(stale, 2)
    assert [n for run in runs for part in run for n in part] == stale
    sizes = [sum(map(len, run)) for run in runs]
    assert len(runs) == -(-count // _COPY_PAGES)
    assert all(size <= _COPY_PAGES for size in sizes)
    assert max(sizes, default=0) - min(sizes, default=0) <= len(sizes)


def test_each_runs_slices_shrink_towards_its_end() -> None:
    """Neither process waits long for the other's last slice before the next copy."""
    for run in _runs(list(range(131_805)), 2):
        sizes = [len(part) for part in run]
        assert sizes == sorted(sizes, reverse=True)
        assert sizes[-2] == _SLICE_LEAST
