"""Diagnostics as GitHub Actions annotations, so CI shows them on the changed lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.diagnostics import Diagnostic, Location, Severity

BAD = """---
title: Shelled
date: 2023-02-30
regions: [belgorod]
citations:
  g: {source: gladkov}
---
Reported [@g] and [@missing].
"""


def make_site(root: Path) -> Path:
    (root / "content/briefings").mkdir(parents=True)
    (root / "content/briefings/bad.md").write_text(BAD)
    return root


def test_github_actions_environment_prints_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["build", "-s", str(make_site(tmp_path))]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "::error file=content/briefings/bad.md,line=3,col=7::'date' is not a real date: "
        "2023-02-30 (day is out of range for month)",
        "::error file=content/briefings/bad.md,line=8,col=20::citation 'missing' is not "
        "defined in the front matter (define it under 'citations:')",
    ]
    assert "content/briefings/bad.md:3:7: error:" in err


@pytest.mark.parametrize("repository_from", ["GITHUB_WORKSPACE", "the current folder"])
def test_a_site_in_a_folder_of_its_repository_is_annotated_from_the_repositorys_root(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    repository_from: str,
) -> None:
    """GitHub finds an annotation's file from the repository's root: the site's folder
    is put before its paths there, not in the lines on standard error."""
    repository = tmp_path / "repo"
    site = make_site(repository / "news")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    if repository_from == "GITHUB_WORKSPACE":
        monkeypatch.setenv("GITHUB_WORKSPACE", str(repository))
    else:
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
        monkeypatch.chdir(repository)
    assert main(["check", "-s", str(site)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("::error file=news/content/briefings/bad.md,line=3,")
    assert err.startswith("content/briefings/bad.md:3:7: error:")


def test_format_flag_without_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    site = make_site(tmp_path)
    assert main(["check", "-s", str(site)]) == 1
    assert "::error" not in capsys.readouterr().out
    assert main(["check", "--format", "github", "-s", str(site)]) == 1
    assert capsys.readouterr().out.count("::error file=") == 2


def test_warnings_are_warnings_unless_strict() -> None:
    diagnostic = Diagnostic(Severity.WARNING, Location("a,b:c.md", 2, 0), "50% done\nnext")
    assert (
        diagnostic.github_annotation()
        == "::warning file=a%2Cb%3Ac.md,line=2,col=1::50%25 done%0Anext"
    )
    assert diagnostic.github_annotation(strict=True).startswith("::error ")
