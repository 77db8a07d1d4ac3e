"""Helpers for the attack suite: real sites in temporary folders, real builds, snapshots.

Builds run the real command line, in-process (``build``/``check``) or as a child
process (``cli``) where a real process is needed (kills, Ctrl-C, servers).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from briefgen.cli import main

SITE_YAML = "title: Attack site\nbase_url: https://example.org/\n"
REGIONS = "russia: {name: Russia}\nbelgorod: {name: Belgorod Oblast, parent: russia}\n"
SOURCES = "gladkov: {name: Vyacheslav Gladkov, kind: official, reliability: C}\n"
A = "content/briefings/a.md"


def briefing(
    title: str = "Villages shelled",
    body: str = "Shelling reported [@g].\n",
    *,
    date: str = "2023-06-02",
    regions: str = "[belgorod]",
    source: str = "gladkov",
    front: str = "",
    citation: str = "",
) -> str:
    """A valid briefing; ``front`` adds raw front-matter lines, ``citation`` raw lines
    (indented by four spaces) to its one citation ``g``."""
    return (
        f"---\ntitle: {title}\ndate: {date}\nregions: {regions}\n{front}"
        f"citations:\n  g:\n    source: {source}\n    url: https://t.me/vvgladkov/1\n"
        f"{citation}---\n{body}"
    )


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def make_site(
    root: Path, files: dict[str, str | bytes] | None = None, *, registries: bool = True
) -> Path:
    """A site at ``root``: site.yaml, (the registries), one briefing a.md, then ``files``."""
    base: dict[str, str | bytes] = {"content/site.yaml": SITE_YAML, A: briefing()}
    if registries:
        base |= {"content/regions.yaml": REGIONS, "content/sources.yaml": SOURCES}
    (root / "content/briefings").mkdir(parents=True, exist_ok=True)
    write_files(root, {**base, **(files or {})})
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.split("\n") if ": error: " in line]


def run(*argv: str | Path) -> Result:
    """``briefgen ARGV`` in-process, its output captured. An exception is not caught:
    the test fails with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


def build(site: Path, *args: str | Path) -> Result:
    return run("build", "-s", site, *args)


def cli_command(*argv: str | Path) -> list[str]:
    return [sys.executable, "-m", "briefgen", *(str(a) for a in argv)]


def cli(*argv: str | Path, timeout: float = 60) -> Result:
    """``briefgen ARGV`` in a child process."""
    done = subprocess.run(cli_command(*argv), capture_output=True, text=True, timeout=timeout)
    return Result(done.returncode, done.stdout, done.stderr)


def snapshot(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every file and symbolic link below ``folder`` (but ``skip``), by relative path:
    a file's SHA-256, a link's target. Works on names holding any character."""
    found: dict[str, str] = {}
    skipped = {os.path.abspath(p) for p in skip}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in skipped]
        for name in [
            *filenames,
            *(d for d in dirnames if os.path.islink(os.path.join(dirpath, d))),
        ]:
            path = os.path.join(dirpath, name)
            if path in skipped:
                continue
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                found[rel] = "link -> " + os.readlink(path)
            else:
                with open(path, "rb") as file:
                    found[rel] = hashlib.sha256(file.read()).hexdigest()
    return found


def folders(folder: Path) -> set[str]:
    """Every folder below ``folder``, by relative path."""
    return {
        os.path.relpath(os.path.join(d, n), folder)
        for d, names, _ in os.walk(folder)
        for n in names
    }


# A line briefgen may print on stderr: a diagnostic, the summary, or one message.
_ERROR_LINE = re.compile(r"(?:[^\s:][^:]*:\d+:\d+|briefgen): error: .*")
_STDERR_LINE = re.compile(
    r"[^\s:][^:]*:\d+:\d+: error: .*"
    r"|[^\s:][^:]*:\d+: warning: .*"
    r"|\d+ error\(s\), \d+ warning\(s\)"
    r"|briefgen: .*"
    r"|Build failed; (?:the previous output was left untouched|nothing was written)\."
)


def assert_clean_stderr(err: str, strict: bool = True) -> None:
    """No traceback, and no line of stderr is broken by a control character: every
    error is one ``path:line:col: error: ...`` line. ``strict``: and every line is a
    diagnostic, the summary or a ``briefgen:`` message (no fragment of a broken one)."""
    assert "Traceback" not in err, err
    for line in err.split("\n"):
        if not line:
            continue
        assert len(line.splitlines()) == 1, f"a control character breaks this line: {line!r}"
        if strict:
            assert _STDERR_LINE.fullmatch(line), (
                f"stray line on stderr (broken diagnostic?): {line!r}"
            )
        elif ": error: " in line:
            assert _ERROR_LINE.fullmatch(line), f"an error line without its location: {line!r}"


def located_errors(result: Result, path_prefix: str) -> list[str]:
    """Errors located as ``path:line:col`` in a file whose path starts with ``path_prefix``."""
    pattern = re.compile(re.escape(path_prefix) + r"[^:]*:\d+:\d+: error: ")
    return [line for line in result.errors if pattern.match(line)]


def assert_located_error(result: Result, path_prefix: str) -> None:
    """Exit 1, a clean stderr, and at least one error located in ``path_prefix``."""
    assert_clean_stderr(result.err)
    assert result.code == 1, f"exit {result.code}, expected 1; stderr:\n{result.err}"
    assert located_errors(result, path_prefix), (
        f"no error located in {path_prefix}...; stderr:\n{result.err}"
    )


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.001) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


# --- HTML -------------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of ``html``, with its attributes, in document order."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def html_files(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
    }


def make_big_site(root: Path, count: int = 60) -> Path:
    """A site of ``count`` briefings with some text each: a build takes a little while."""
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40
    files: dict[str, str | bytes] = {
        f"content/briefings/b{n:03d}.md": briefing(
            f"Briefing number {n}",
            f"Shelling reported [@g].\n\n{text}\n\n## Part {n}\n\n{text}\n",
            date=f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            front=f"tags: [t{n % 7}]\n",
        )
        for n in range(count)
    }
    return make_site(root, files)


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What differs between two snapshots, for assertion messages."""
    return sorted(
        [f"deleted {rel!r}" for rel in before.keys() - after.keys()]
        + [f"created {rel!r}" for rel in after.keys() - before.keys()]
        + [f"changed {rel!r}" for rel in before.keys() & after.keys() if before[rel] != after[rel]]
    )
