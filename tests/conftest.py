"""Shared fixture: a whole briefgen site written from one txtar string, built in-process.

    def test_x(make_site):
        site = make_site('''
        -- content/site.yaml --
        title: T
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        ---
        Body.
        ''')
        code, out, err = site.build()
        assert code == 0
        assert "Body." in site.html("/briefings/a/").main.text

The string is dedented, then split at lines ``-- path --`` (Hugo's txtar style).
Paths given to ``html``/``text``/``exists`` are site URL paths: ``/regions/x/`` is
``public/regions/x/index.html``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import textwrap
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import hypothesis
import pytest

from briefgen import cli
from briefgen.cache.settled import FINE_SETTLE_NS, SETTLE_NS

# Property tests check what happens, never how fast: a busy machine must not fail them.
hypothesis.settings.register_profile("briefgen", deadline=None)
hypothesis.settings.load_profile("briefgen")


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # pytest-xdist's hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` runs a worker more than the cores this process may use: many tests
    spend part of their time waiting (for a forked build, a server, a browser, a
    process killed on purpose), and on two cores a third worker ran the suite in 593 s
    where two took 652 s. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    if hasattr(os, "sched_getaffinity"):  # not on macOS or Windows
        return len(os.sched_getaffinity(0)) + 1
    return (os.cpu_count() or 1) + 1


@pytest.fixture(autouse=True)
def _one_thread_as_the_command_has() -> None:
    """Builds run in-process as ``briefgen build`` runs: a build forks its workers only
    while its process runs one thread (see workers.py), and a test before may have left
    the thread that watches Markdown's time budget running for its last tick (see
    markup/budget.py)."""
    waited = time.monotonic()
    while any(t.name == "briefgen-budget" for t in threading.enumerate()):
        if time.monotonic() - waited > 2:
            break  # a test watching a budget in a thread of its own: not this fixture's
        time.sleep(0.01)


_HEADER = re.compile(r"^-- (.+?) --$")


def parse_txtar(text: str) -> dict[str, str]:
    """``-- path --`` sections to {path: content}; text before the first header is ignored."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in textwrap.dedent(text).splitlines():
        header = _HEADER.match(line)
        if header:
            current = files.setdefault(header[1].strip(), [])
        elif current is not None:
            current.append(line)
    return {path: "\n".join(lines).strip("\n") + "\n" for path, lines in files.items()}


# --- a tiny DOM on top of html.parser -------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # fmt: skip


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None = None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """All text inside, entities decoded, whitespace collapsed."""
        return " ".join("".join(self._texts()).split())

    def _texts(self) -> Iterator[str]:
        for child in self.children:
            yield from [child] if isinstance(child, str) else child._texts()

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, id: str | None = None, cls: str | None = None,
                 **attrs: str) -> list[Element]:  # fmt: skip
        return [
            e for e in self.iter()
            if (tag is None or e.tag == tag)
            and (id is None or e.get("id") == id)
            and (cls is None or cls in e.classes)
            and all(e.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]  # fmt: skip

    def find(self, tag: str | None = None, **kw: str) -> Element:
        found = self.find_all(tag, **kw)
        assert found, f"no <{tag or '*'} {kw}> in <{self.tag}>: {self.text[:300]!r}"
        return found[0]

    def has(self, tag: str | None = None, **kw: str) -> bool:
        return bool(self.find_all(tag, **kw))

    @property
    def main(self) -> Element:
        return self.find("main")

    def hrefs(self) -> list[str]:
        return [e.attrs["href"] for e in self.find_all() if e.get("href") is not None]

    def links_to(self, fragment: str) -> list[Element]:
        """<a> elements whose href contains ``fragment``."""
        return [a for a in self.find_all("a") if fragment in (a.get("href") or "")]

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- link checking --------------------------------------------------------------------


def page_url(base_url: str, rel: str) -> str:
    """The URL a file of the output is served at: ``x/index.html`` is ``BASE/x/``."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return base_url + urllib.parse.quote(rel)


def broken_links(out: Path, base_url: str, served_at: dict[str, str] | None = None) -> list[str]:
    """Every href/src in every HTML page of ``out`` that does not resolve, as messages.

    Links are resolved against the page's URL under ``base_url`` (or ``served_at[rel]``);
    a link inside the site must name a file of the output (a folder means its
    index.html), and its ``#fragment`` an id in that page. Links elsewhere are not
    followed, but a link to the same host outside the base path is broken: the site
    cannot serve it.
    """
    base = urllib.parse.urlsplit(base_url)
    documents: dict[Path, Element] = {}

    def document(path: Path) -> Element:
        if path not in documents:
            documents[path] = parse_html(path.read_text(encoding="utf-8"))
        return documents[path]

    problems = []
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        here = (served_at or {}).get(rel) or page_url(base_url, rel)
        for element in document(path).iter():
            for attr in ("href", "src"):
                link = element.get(attr)
                if link is None:
                    continue
                target = urllib.parse.urlsplit(urllib.parse.urljoin(here, link))
                if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                    continue
                if target._replace(fragment="").geturl() == here:  # this very page
                    fragment = urllib.parse.unquote(target.fragment)
                    ok = not fragment or document(path).has(id=fragment)
                    problem = "" if ok else f"no id {fragment!r} in this page"
                else:
                    problem = _check_target(out, base.path, target, document)
                if problem:
                    problems.append(f"{rel}: <{element.tag} {attr}={link!r}>: {problem}")
    return problems


def _check_target(
    out: Path, base_path: str, target: urllib.parse.SplitResult, document: Callable
) -> str:
    if not target.path.startswith(base_path):
        return f"{target.path} is outside the site's base path {base_path}"
    rel = urllib.parse.unquote(target.path[len(base_path) :])
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    file = out / rel
    if not file.is_file():
        return f"no file {rel} in the output"
    if target.fragment and file.suffix == ".html":
        fragment = urllib.parse.unquote(target.fragment)
        if not document(file).has(id=fragment):
            return f"no id {fragment!r} in {rel}"
    return ""


# --- the site ---------------------------------------------------------------------------


@dataclass
class Result:
    code: int
    out: str
    err: str

    def __iter__(self) -> Iterator[object]:  # code, out, err = site.build()
        return iter((self.code, self.out, self.err))

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if ": error: " in line]

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.err.splitlines() if ": warning: " in line]


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "public"

    def write(self, txtar: str) -> Site:
        for rel, text in parse_txtar(txtar).items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return self

    def settle(self) -> None:
        """Wait until the files just written are old enough for a build to keep its
        records (see briefgen/cache/settled.py): a tenth of a second where the file
        system keeps times finer than seconds, two seconds where it keeps whole seconds."""
        fine = (self.root / "content/site.yaml").stat().st_ctime_ns % 1_000_000_000 != 0
        time.sleep((FINE_SETTLE_NS if fine else SETTLE_NS) / 1e9 + 0.2)

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def run(self, *argv: str) -> Result:
        """Run ``briefgen ARGV`` in-process; usage errors (argparse) give code 2 too."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main([str(a) for a in argv])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        return Result(code, out.getvalue(), err.getvalue())

    def build(self, *args: str | Path) -> Result:
        """``briefgen build -s ROOT ARGS``; ``--out DIR`` also retargets html()/exists()."""
        argv = [str(a) for a in args]
        if "--out" in argv:
            self.out = Path(argv[argv.index("--out") + 1])
        return self.run("build", "-s", str(self.root), *argv)

    def ok(self, *args: str | Path) -> Result:
        """Build and insist that it succeeded."""
        result = self.build(*args)
        assert result.code == 0, result.err
        return result

    def file(self, url_path: str) -> Path:
        """The output file serving ``url_path`` (clean URLs: dir/ -> dir/index.html)."""
        rel = url_path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return self.out / rel

    def exists(self, url_path: str) -> bool:
        return self.file(url_path).is_file()

    def text(self, url_path: str) -> str:
        return self.file(url_path).read_text(encoding="utf-8")

    def html(self, url_path: str) -> Element:
        return parse_html(self.text(url_path))

    def broken_links(self, base_url: str, served_at: dict[str, str] | None = None) -> list[str]:
        """Links of the built site that do not resolve (see :func:`broken_links`)."""
        return broken_links(self.out, base_url, served_at)

    def output_files(self) -> dict[str, bytes]:
        """Every file of the output, by path relative to it."""
        return {
            p.relative_to(self.out).as_posix(): p.read_bytes()
            for p in sorted(self.out.rglob("*"))
            if p.is_file()
        }


def new_site(root: Path, *texts: str) -> Site:
    """A site folder at ``root`` holding the files of the txtar ``texts``."""
    site = Site(root)
    (root / "content").mkdir(parents=True, exist_ok=True)
    for text in texts:
        site.write(text)
    return site


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """make_site(*txtar, name='site') -> Site: files written, nothing built yet."""
    return lambda *texts, name="site": new_site(tmp_path / name, *texts)


@pytest.fixture(scope="session")
def html_parser() -> Callable[[str], Element]:
    """parse_html for tests that parse HTML not in a file (feed content, say)."""
    return parse_html


@pytest.fixture(scope="module")
def make_module_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Site]:
    """Like make_site, for module-scoped fixtures: one build shared by many tests."""
    return lambda *texts, name="site": new_site(tmp_path_factory.mktemp(name), *texts)
