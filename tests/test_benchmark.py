"""The benchmark runs end to end at a tiny size (CI never times anything)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import peers  # noqa: E402
import run  # noqa: E402


def test_benchmark_smoke_run_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", "20,30", "--no-peers", "--edits", "2",
         "--rebuilds", "2", "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    # Every size is built cold before any is rebuilt, and the run leaves its mark.
    log = result.stderr.splitlines()
    cold = [n for n, line in enumerate(log) if "N=30: briefgen cold build:" in line]
    rebuilt = [n for n, line in enumerate(log) if "N=20: no-change rebuild:" in line]
    assert cold and rebuilt and cold[0] < rebuilt[0]
    assert (tmp_path / run.QUIET_MARK).is_file()
    assert not [folder for folder in tmp_path.iterdir() if folder.is_dir()]  # all removed
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 30 |")]
    assert len(rows) == 1
    assert "failed" not in rows[0] and "NOT in output" not in rows[0]
    (header,) = [line for line in result.stdout.splitlines() if line.startswith("| N | cold")]
    assert "| one-edit rebuild (median of 2) |" in header
    for rebuild in ("one-edit", "two-edit"):
        timed = [line for line in result.stderr.splitlines() if f"N=30: {rebuild} rebuild:" in line]
        assert len(timed) == 2  # each timed twice, the median reported
    assert "| two-edit rebuild (median of 2) |" in header
    stages = [line for line in result.stdout.splitlines() if line.startswith("| build | N |")]
    assert len(stages) == 1 and "| render |" in stages[0] and "| search index |" in stages[0]
    builds = [line.split("|")[1].strip() for line in result.stdout.splitlines()
              if line.endswith("|") and "| 30 |" in line][1:]  # fmt: skip
    assert builds == ["cold", "no-change", "one-edit", "two-edit", "title-edit", "new-briefing",
                      "check", "CI run, check", "CI run, build"]  # fmt: skip
    assert "| no-change check | CI run: check + build |" in header
    assert "| edit→served (median of 2) | cited edit→served (median of 2) |" in header


def test_search_timing_prints_its_table(tmp_path: Path) -> None:
    out = tmp_path / "public"
    built = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-q", "--no-cache", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    result = subprocess.run(
        [sys.executable, "benchmarks/search.py", "--words", "belgorod", "--latency", "20",
         str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    (row,) = [line for line in result.stdout.splitlines() if line.startswith(f"| {out} |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "1" and int(cells[2]) > 0
    assert all(cell.endswith(")") and " s (" in cell for cell in cells[3:])


class _Recorder(peers.Peer):
    """A peer whose build writes down what the size's folder held when it ran."""

    name = "recorder"

    def executable(self) -> list[str] | None:
        return [sys.executable]

    def add(self, briefing: object, converted: object) -> None:
        pass

    def command(self, out: Path) -> list[str]:
        size = self.root.parent
        look = (
            "import json, sys, pathlib; size, out = map(pathlib.Path, sys.argv[1:]); out.mkdir();"
            "held = sorted(p.name for p in (size / 'briefgen/.briefgen-cache').iterdir());"
            "(out / 'seen').write_text(json.dumps([held, (size / 'before-ci').exists()]))"
        )
        self.root.mkdir(parents=True, exist_ok=True)
        return [sys.executable, "-c", look, str(size), str(out)]


def test_the_peers_build_cold_before_briefgen_rebuilds_or_anything_is_removed(
    tmp_path: Path,
) -> None:
    recorder = _Recorder(tmp_path)
    options = run.Options(
        source=run.checkout_source(), seed=1, peers=[recorder], edits=1, serve=False,
        jobs=None, rebuilds=1, timeout=600,
    )  # fmt: skip
    result, bg, chosen = run.measure_cold(30, options, tmp_path)
    run.measure_rebuilds(result, tmp_path, bg, chosen, options)
    assert result.cold is not None and result.cold.ok and result.ci_build is not None
    assert result.ci_build.ok and [p.status for p in result.peers] == ["ok"]
    held, aside = json.loads((tmp_path / "out-recorder" / "seen").read_text())
    assert not any(name.startswith("check-report") for name in held), held  # no check yet
    assert not aside  # nor the CI run's checkout
    # What the CI run's checkout replaced is kept until the size's folder goes.
    kept = sorted(p.name for p in (tmp_path / "before-ci").iterdir())
    assert kept == ["briefgen-.briefgen-cache", "briefgen-content", f"{tmp_path.name}-out-briefgen"]
    assert (tmp_path / "before-ci" / "briefgen-content" / "briefings").is_dir()


def test_a_runs_cpu_time_is_measured(tmp_path: Path) -> None:
    done = run.run_measured([sys.executable, "-c", "sum(range(3 * 10**7))"], tmp_path)
    assert done.ok and done.user > 0.2 and done.system >= 0.0
    assert done.user + done.system <= done.seconds + 0.05


def test_a_run_waits_until_the_last_ones_removals_are_old_enough(tmp_path: Path) -> None:
    run.wait_for_quiet(tmp_path, after=5)  # no run removed anything here: no wait
    mark = tmp_path / run.QUIET_MARK
    mark.touch()
    os.utime(mark, (time.time() - 10, time.time() - 10))
    started = time.monotonic()
    run.wait_for_quiet(tmp_path, after=5)  # removed 10 s ago: old enough
    assert time.monotonic() - started < 0.5
    mark.touch()
    run.wait_for_quiet(tmp_path, after=0.6)
    assert time.monotonic() - started >= 0.5


def test_a_run_stopped_after_its_cold_builds_keeps_them_in_its_json(
    tmp_path: Path, monkeypatch
) -> None:
    def stopped(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "measure_rebuilds", stopped)
    saved = tmp_path / "results.json"
    with pytest.raises(KeyboardInterrupt):
        run.main(["--sizes", "20,30", "--no-peers", "--no-serve", "--workdir", str(tmp_path),
                  "--json", str(saved)])  # fmt: skip
    results = json.loads(saved.read_text())
    assert [r["n"] for r in results] == [20, 30]
    assert all(r["cold"]["returncode"] == 0 and r["cold"]["seconds"] > 0 for r in results)
    assert all(r["one_edit"] is None for r in results)
