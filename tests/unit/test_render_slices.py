"""How the pages to render are cut into the slices the processes take in turn."""

from __future__ import annotations

import pytest

from briefgen.render.job import _SLICE_LEAST, _slices


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
