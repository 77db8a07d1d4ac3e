"""The wheel carries the bundled theme, and a site builds from the installed package alone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import briefgen

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_theme_and_builds_a_site(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("briefgen-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "briefgen/templates/base.html" in names
        assert "briefgen/templates/assets/style.css" in names
        assert "briefgen/serve/live.js" in names
        assert "briefgen/serve/panel.js" in names
        assert "briefgen/scaffold_files/github-publish.yml" in names
        assert not any(name.startswith(("content/", "tests/")) for name in names)
        installed = tmp_path / "installed"
        archive.extractall(installed)

    env = {**os.environ, "PYTHONPATH": str(installed)}
    site = tmp_path / "site"
    run = [sys.executable, "-m", "briefgen"]
    subprocess.run([*run, "init", str(site)], cwd=tmp_path, env=env, check=True)
    result = subprocess.run(
        [*run, "build", "--strict"], cwd=site, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (site / "public/assets/style.css").is_file()
    assert (site / "public/briefings/first-briefing/index.html").is_file()


def test_the_sdist_builds_a_wheel_of_the_one_version(tmp_path: Path) -> None:
    """The version is written once (briefgen/__init__.py); the sdist carries what a
    wheel needs, theme included, and both are named with that version."""

    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    (sdist,) = dist.glob("briefgen-*.tar.gz")
    assert sdist.name == f"briefgen-{briefgen.__version__}.tar.gz"
    unpacked = tmp_path / "unpacked"
    subprocess.run(["tar", "-xzf", str(sdist), "-C", str(tmp_path)], check=True)
    (unpacked,) = tmp_path.glob("briefgen-*/")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=unpacked, check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("briefgen-*.whl")
    assert wheel.name.startswith(f"briefgen-{briefgen.__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        assert "briefgen/templates/base.html" in archive.namelist()
