"""A file a build lists but cannot read is among what it reads all the same: the
build or check after one appeared fails and says where, as one without the cache
does, where it replayed the last passing one, or patched an edit in beside it.

Run as another user would run them: root reads any file, so as root each command
runs without the capabilities that let it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SITE = """
-- content/site.yaml --
title: Border briefings
base_url: https://example.org/
-- content/regions.yaml --
belgorod:
  name: Belgorod Oblast
-- content/sources.yaml --
dw:
  name: Deutsche Welle
  url: https://www.dw.com/
-- content/briefings/shelling.md --
---
title: Border villages shelled
date: 2023-06-01
regions: [belgorod]
citations:
  dw-1:
    source: dw
    url: https://www.dw.com/en/a-1
    archive: https://web.archive.org/web/2023/https://www.dw.com/en/a-1
---
Villages near the border were shelled overnight [@dw-1].
-- content/briefings/evacuation.md --
---
title: Evacuation announced
date: 2023-06-02
regions: [belgorod]
citations:
  dw-2:
    source: dw
    url: https://www.dw.com/en/a-2
    archive: https://web.archive.org/web/2023/https://www.dw.com/en/a-2
---
Thousands were evacuated from the border villages [@dw-2].
-- templates/assets/extra.css --
p { margin: 0; }
"""
NEW = """---
title: Curfew announced
date: 2023-06-03
regions: [belgorod]
---
A curfew begins at ten.
"""
DENIED = "error: cannot read file: Permission denied"


def briefgen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefgen", *args, "-s", str(site)]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture
def site(make_site) -> Path:
    """A site whose build and check passed, their records kept."""
    site = make_site(SITE)
    site.settle()
    for command in ("build", "check"):
        done = briefgen(site.root, command)
        assert done.returncode == 0, done.stderr
    return site.root


def unreadable_file(root: Path, rel: str, text: str = NEW) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0)


def folder_not_entered(root: Path, rel: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True)
    path.write_text(NEW)
    path.parent.chmod(0o644)  # listed, but no file in it can be opened or looked at


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize(
    ("make", "rel", "error"),
    [
        (unreadable_file, "content/briefings/x.md", f"content/briefings/x.md:1:1: {DENIED}"),
        (unreadable_file, "content/pages/about.md", f"content/pages/about.md:1:1: {DENIED}"),
        (unreadable_file, "content/static/notes.txt", f"content/static/notes.txt:1:1: {DENIED}"),
        (unreadable_file, "templates/404.html", f"templates/404.html:1:1: {DENIED}"),
        (folder_not_entered, "content/briefings/2023/curfew.md", "content/briefings/2023"),
    ],
    ids=["briefing", "page", "static file", "template", "folder not entered"],
)  # fmt: skip
def test_a_file_that_cannot_be_read_fails_the_next_build_and_check(
    site: Path, make, rel: str, error: str, command: str
) -> None:
    make(site, rel)
    try:
        for _ in range(2):  # nor is the record of the failed one taken
            done = briefgen(site, command)
            assert done.returncode == 1 and error in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
    finally:
        (site / rel).parent.chmod(0o755)
        (site / rel).chmod(0o644)


def test_an_edit_beside_a_folder_not_entered_is_not_published(site: Path) -> None:
    page = site / "public/briefings/shelling/index.html"
    before = page.read_bytes()
    shelling = site / "content/briefings/shelling.md"
    shelling.write_text(shelling.read_text() + "\nThe shelling resumed at dawn.\n")
    folder_not_entered(site, "content/briefings/2023/curfew.md")
    try:
        done = briefgen(site, "build")
    finally:
        (site / "content/briefings/2023").chmod(0o755)
    assert done.returncode == 1, done.stderr
    assert page.read_bytes() == before


@pytest.mark.parametrize("name", ["part.html~", "part.html.swp", "#part.html#", "part.tmp"])
def test_a_template_named_as_an_editors_backup_is_no_template(make_site, name: str) -> None:
    """The build lists no such file among its inputs, so it could not tell when one
    changed: including one is an error, with the cache and without."""
    site = make_site(
        SITE,
        f"-- templates/{name} --\n<p>kept aside</p>\n"
        "-- templates/404.html --\n{% extends 'base.html' %}\n"
        f"{{% block main %}}{{% include '{name}' %}}{{% endblock %}}\n",
    )
    for args in (["build"], ["build"], ["build", "--no-cache"], ["check"]):
        done = briefgen(site.root, *args)
        error = f"templates/404.html:1:1: error: template not found: {name}"
        assert done.returncode == 1 and error in done.stderr, done.stderr
