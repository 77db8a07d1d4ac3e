"""What rendering hands on, page by page (each page's keys, what it read, its links and
its problems), is the same whichever process rendered the page: the slices this
process renders while a worker renders others are kept packed until every slice is
back, then put in route order with the workers'."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefgen.build import BuildOptions
from briefgen.diagnostics import Diagnostics
from briefgen.pipeline import _render_job, prepare
from briefgen.render import job as job_module
from briefgen.render.job import PageResult, render_all

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from corpus import generate, write_site


def results(root: Path, workers: int) -> list[PageResult]:
    options = BuildOptions(cache=False, jobs=workers)
    prepared = prepare(root, options, Diagnostics())
    job = _render_job(root, prepared, prepared.routes, None, None, options)
    return render_all(job, workers, None)


def test_pages_rendered_by_both_processes_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    write_site(generate(30, seed=2, sources=40), root)
    broken = sorted((root / "content/briefings").rglob("*.md"))[3]
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("\n\n", "\n\nSee [a page](/nowhere/).\n\n", 1), "utf-8")
    packed: list[int] = []
    pack = job_module._packed
    monkeypatch.setattr(job_module, "_packed", lambda part: (packed.append(1), pack(part))[1])
    one = results(root, 1)
    assert not packed
    both = results(root, 2)
    assert packed  # this process rendered slices of its own beside the worker's
    assert len(one) > job_module._PARALLEL_FROM  # enough pages for a worker
    assert both == one
    assert any(result.links and result.links.problems for result in both)
    assert all(result.read for result in both)
