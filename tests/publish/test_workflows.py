"""CI publishing: the workflows that `init` writes (and the repository's own) are valid and
their steps, run locally in the same order, produce a Pages-ready folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from checkout import check_out_anew

import briefgen
from briefgen.build import BuildOptions, build
from briefgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES_BASE_URL = "https://owner.github.io/repo"


def load_workflow(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key 'on' as true
    return data


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "mysite")]) == 0
    return tmp_path / "mysite"


def test_init_writes_ci_files_and_gitignore(new_site: Path) -> None:
    assert (new_site / ".github/workflows/publish.yml").is_file()
    assert (new_site / ".gitlab-ci.yml").is_file()
    ignored = (new_site / ".gitignore").read_text().split()
    assert "/public/" in ignored
    assert ".briefgen-cache/" in ignored


def test_init_pins_the_version_that_wrote_the_ci_files(new_site: Path) -> None:
    pinned = f'python -m pip install "briefgen=={briefgen.__version__}"'
    for name in (".github/workflows/publish.yml", ".gitlab-ci.yml"):
        text = (new_site / name).read_text()
        assert pinned in text, name
        assert "{version}" not in text
    assert "Put this file at" not in (new_site / ".github/workflows/publish.yml").read_text()


def test_a_version_tag_releases_what_was_built_and_tried_with_trusted_publishing() -> None:
    workflow = load_workflow(ROOT / ".github/workflows/release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python -m build" in runs
    assert "briefgen init" in runs and "briefgen build --strict" in runs
    assert '"v$version" = "$GITHUB_REF_NAME"' in runs
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uses = [step["uses"].split("@")[0] for step in publish["steps"]]
    assert uses == ["actions/download-artifact", "pypa/gh-action-pypi-publish"]
    assert "password" not in str(publish), "trusted publishing: no token"


def test_init_never_overwrites(new_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (new_site / ".gitlab-ci.yml").write_text("mine\n")
    (new_site / "content/site.yaml").write_text("title: Mine\n")
    assert main(["init", str(new_site)]) == 0
    assert (new_site / ".gitlab-ci.yml").read_text() == "mine\n"
    assert (new_site / "content/site.yaml").read_text() == "title: Mine\n"
    assert f"kept {new_site / '.gitlab-ci.yml'}" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["scaffold", "repository"])
def test_github_workflow_builds_checks_and_deploys_only_main(which: str, new_site: Path) -> None:
    path = (new_site if which == "scaffold" else ROOT) / ".github/workflows/publish.yml"
    workflow = load_workflow(path)
    assert set(workflow["on"]) >= {"push", "pull_request"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/cache@") for u in uses)
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert [p.rstrip("/") for p in cache["with"]["path"].split()] == [".briefgen-cache", "public"]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "public"
    assert "pull_request" in upload["if"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "briefgen build --strict --base-url" in runs
    assert "steps.pages.outputs.base_url" in str(build)
    assert deploy["needs"] == "build"
    assert "pull_request" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_github_workflow_steps_run_locally_in_order(new_site: Path) -> None:
    """Install (already done here), check, build with the Pages base URL: the artifact
    folder exists and every link carries the project sub-path."""
    workflow = load_workflow(new_site / ".github/workflows/publish.yml")
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "PAGES_BASE_URL": PAGES_BASE_URL,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        # The `briefgen` command runs this checkout's package, not whichever is installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    for step in workflow["jobs"]["build"]["steps"]:
        script = step.get("run")
        if not script or "pip install" in script:
            continue
        step_env = {**env, **{k: v for k, v in step.get("env", {}).items() if "${{" not in v}}
        result = subprocess.run(
            ["bash", "-e", "-c", script], cwd=new_site, env=step_env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{step.get('name')}: {result.stdout}{result.stderr}"
    public = new_site / "public"
    assert (public / "index.html").is_file()
    assert f"{PAGES_BASE_URL}/briefings/first-briefing/" in (public / "sitemap.xml").read_text()
    assert 'href="/repo/assets/style.css"' in (public / "404.html").read_text()


def _files(folder: Path) -> dict[str, bytes]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


@pytest.mark.parametrize("form", ["--posix", "--format=gnu"])
def test_a_run_given_the_last_output_by_the_cache_renders_only_with_its_times(
    form: str, new_site: Path, tmp_path: Path
) -> None:
    """The GitHub workflow caches public/ with .briefgen-cache/: actions/cache packs
    them with `tar --posix`, which keeps each file's time to the nanosecond, and
    the next run checks the content out anew (new times, new inodes). Its build then
    renders nothing that did not change. A tar that keeps whole seconds (GNU's own
    form) loses what tells briefgen a page is as it left it: every page is rendered
    again, and the bytes are the same either way."""
    assert main(["build", "-q", "-s", str(new_site)]) == 0
    built = _files(new_site / "public")
    packed = tmp_path / "cache.tar"
    subprocess.run(["tar", form, "-cf", packed, "-C", new_site, ".briefgen-cache", "public"],
                   check=True)  # fmt: skip
    shutil.rmtree(new_site / ".briefgen-cache")
    shutil.rmtree(new_site / "public")
    check_out_anew(new_site)
    subprocess.run(["tar", "-xf", packed, "-C", new_site], check=True)
    result = build(new_site, BuildOptions())
    assert result.ok and result.pages > 10
    assert result.rendered == (0 if form == "--posix" else result.pages)
    assert _files(new_site / "public") == built


def test_gitlab_pages_job(new_site: Path) -> None:
    config = yaml.safe_load((new_site / ".gitlab-ci.yml").read_text())
    pages = config["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    script = "\n".join(str(line) for line in pages["script"])
    assert 'briefgen build --strict --base-url "$CI_PAGES_URL/"' in script
    assert "$CI_DEFAULT_BRANCH" in str(pages["rules"])
    assert ".briefgen-cache/" in config["cache"]["paths"]


def holds(condition: str, values: dict[str, str]) -> bool:
    """A CI condition of the form these files use, comparisons joined by '&&', with
    ``values`` for its variables ('github.ref', '$CI_COMMIT_BRANCH'; unset: empty)."""

    def value(term: str) -> str:
        return term[1:-1] if term[0] in "'\"" else values.get(term.lstrip("$"), "")

    for part in condition.split("&&"):
        found = re.fullmatch(r"\s*(\S+)\s*(==|!=)\s*(\S+)\s*", part)
        assert found is not None, f"not a comparison: {part!r}"
        left, operator, right = found.groups()
        if (value(left) == value(right)) != (operator == "=="):
            return False
    return True


def test_the_condition_reader_reads_what_the_files_write() -> None:
    assert holds("github.event_name != 'pull_request'", {"github.event_name": "push"})
    assert not holds('$A == $B && $C == "x"', {"A": "1", "B": "1", "C": "y"})


def test_github_workflow_publishes_embargoed_briefings_on_a_schedule(new_site: Path) -> None:
    workflow = load_workflow(new_site / ".github/workflows/publish.yml")
    assert workflow["on"]["schedule"] == [{"cron": "7,22,37,52 * * * *"}]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    scheduled = {"github.event_name": "schedule", "github.ref": "refs/heads/main"}
    pull_request = {"github.event_name": "pull_request", "github.ref": "refs/pull/1/merge"}
    for condition in (upload["if"], deploy["if"]):
        assert holds(condition, scheduled)
        assert not holds(condition, pull_request)
    runs = [step.get("run", "") for step in build["steps"]]
    # Scheduled briefings are checked as the run that publishes them will check them,
    # and the build leaves them out until then.
    assert "briefgen check --strict --future" in runs
    assert not any("build" in run and "--future" in run for run in runs)


def test_gitlab_pages_job_runs_on_scheduled_pipelines(new_site: Path) -> None:
    text = (new_site / ".gitlab-ci.yml").read_text()
    assert "New schedule" in text and "publish_at" in text
    config = yaml.safe_load(text)
    pipelines = {
        "push": {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"},
        "schedule": {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"},
        "merge request": {"CI_PIPELINE_SOURCE": "merge_request_event"},
        "schedule of another branch": {"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "x"},
    }
    runs = {
        job: sorted(
            name
            for name, values in pipelines.items()
            if any(holds(rule["if"], {**values, "CI_DEFAULT_BRANCH": "main"}) for rule in rules)
        )
        for job, rules in ((job, config[job]["rules"]) for job in ("pages", "check"))
    }
    assert runs == {"pages": ["push", "schedule"], "check": ["merge request"]}
    for job in ("pages", "check"):
        script = [str(line) for line in config[job]["script"]]
        assert "briefgen check --strict --future" in script
        assert not any(line.startswith("briefgen build") and "--future" in line for line in script)
