"""The benchmark runs end to end at a tiny size (CI never times anything)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_smoke_run_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", "30", "--no-peers", "--edits", "2",
         "--rebuilds", "2", "--workdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 30 |")]
    assert len(rows) == 1
    assert "failed" not in rows[0] and "NOT in output" not in rows[0]
    (header,) = [line for line in result.stdout.splitlines() if line.startswith("| N | cold")]
    assert "| one-edit rebuild (median of 2) |" in header
    timed = [line for line in result.stderr.splitlines() if "N=30: one-edit rebuild:" in line]
    assert len(timed) == 2  # each timed twice, the median reported
    stages = [line for line in result.stdout.splitlines() if line.startswith("| build | N |")]
    assert len(stages) == 1 and "| render |" in stages[0] and "| search index |" in stages[0]
    builds = [line.split("|")[1].strip() for line in result.stdout.splitlines()
              if line.endswith("|") and "| 30 |" in line][1:]  # fmt: skip
    assert builds == ["cold", "no-change", "one-edit", "title-edit", "new-briefing", "check",
                      "CI run, check", "CI run, build"]  # fmt: skip
    assert "| no-change check | CI run: check + build |" in header


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
