"""The command as a process: ``python -m briefgen`` ends without Python's teardown once
the command returns (see briefgen/__main__.py), so what it printed must reach a pipe
whole, and its exit status must be the command's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SITE = {
    "content/site.yaml": "title: Test\nbase_url: https://example.org/\nrequire_archive: false\n",
    "content/regions.yaml": "belgorod: {name: Belgorod Oblast}\n",
    "content/sources.yaml": "gladkov:\n  name: Vyacheslav Gladkov\n",
}


def _site(root: Path, citations: list[str]) -> Path:
    for rel, text in SITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "content/briefings").mkdir()
    for n, source in enumerate(citations):
        (root / f"content/briefings/b{n}.md").write_text(
            f"---\ntitle: Briefing {n}\ndate: 2023-06-0{n + 1}\nregions: [belgorod]\n"
            f"citations:\n  g:\n    source: {source}\n    url: https://t.me/x/{n}\n---\n"
            "Villages were shelled.[@g]\n",
            encoding="utf-8",
        )
    return root


def _briefgen(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command with its output buffered, as Python buffers a pipe by default."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def test_a_build_prints_its_summary_into_a_pipe_and_exits_0(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", ["gladkov"])
    result = _briefgen("build", "-s", str(site), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built ") and result.stdout.endswith(f"{site / 'public'}\n")
    assert (site / "public/briefings/b0/index.html").is_file()


def test_a_failed_build_prints_every_error_into_a_pipe_and_exits_1(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", ["gladkv", "gladkof"])
    result = _briefgen("build", "-s", str(site), cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2, result.stderr
    assert all("did you mean 'gladkov'?" in line for line in errors)
    assert "Traceback" not in result.stderr


def test_a_usage_error_exits_2(tmp_path: Path) -> None:
    result = _briefgen("build", "--no-such-option", cwd=tmp_path)
    assert result.returncode == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr
