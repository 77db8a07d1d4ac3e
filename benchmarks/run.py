"""Benchmark briefgen (and its peers) on generated corpora: one command, Markdown tables out.

    python benchmarks/run.py                       # N = 1,000, 10,000 and 50,000
    python benchmarks/run.py --sizes 1000,10000 --peers hugo,pelican
    python benchmarks/run.py --sizes 50 --no-peers # the CI smoke run, a few seconds

For each N a corpus is generated (``corpus.py``) into a temporary folder, and
briefgen builds it cold (no ``.briefgen-cache/``, no output), then each installed
peer (``peers.py``; install with ``benchmarks/setup_peers.sh``) builds the same
corpus cold, each build in a fresh child process. Once every size is built cold,
briefgen is measured further on each: a rebuild with nothing changed, rebuilds after
edits, a CI run, and ``briefgen serve``: time until it is ready, and from saving an
edit to the first response that holds the new text. Progress goes to stderr, the
tables to stdout. Standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import http.client
import io
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import (
    Briefing,
    add_newest,
    briefing_path,
    edit_body,
    edit_citing,
    edit_title,
    generate,
    write_briefing,
    write_site,
)
from peers import DEFAULT_ENV, PEERS, Peer, convert, make_peers

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1000, 10000, 50000)
QUICK_SIZES = (200,)
SERVE_READY = re.compile(r"Serving (http://\S+)")
POLL_INTERVAL = 0.005  # seconds between GETs while waiting for an edit to show
STAGE = re.compile(r"^([a-z][a-z ]*): (\d+\.\d+) s \(\d+%\)$", re.M)  # what `build -v` prints


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- running a child and measuring it --------------------------------------------------


@dataclass
class Run:
    """One child process: wall time, peak memory, exit code, the end of its stderr, and
    the CPU time of the process and of the processes it waited for."""

    seconds: float
    peak_kib: int
    returncode: int
    error: str = ""
    user: float = 0.0  # CPU seconds in the process itself
    system: float = 0.0  # CPU seconds in the kernel for it: making files, most of it

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def stages(self) -> dict[str, float]:
        """The seconds of each stage, as ``briefgen build -v`` reported them (if it did)."""
        return {name: float(took) for name, took in STAGE.findall(self.error)}


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree = _children()
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += tree.get(current, [])
    return found


def _pss_kib(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), else RSS; 0 if gone."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path, encoding="ascii") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0


class TreeSampler(threading.Thread):
    """Peak memory of a process tree with several processes (say ``--jobs`` workers).

    The kernel's ru_maxrss is the peak of the largest single process; for a tree we
    add up the PSS of all its processes. Reading PSS makes the kernel walk each
    process's page tables (some 20 ms for 600 MB), so samples are spaced to keep
    the sampler under ``budget`` of one core, and never closer than ``interval``.
    """

    def __init__(self, pid: int, interval: float = 0.2, budget: float = 0.03) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.budget = budget
        self.peak_kib = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/stat").exists():
            return
        wait = self.interval
        while not self.stopping.wait(wait):
            started = time.perf_counter()
            pids = _descendants(self.pid)
            if len(pids) > 1:
                self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in pids))
            wait = max(self.interval, (time.perf_counter() - started) / self.budget)


def run_measured(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 3600
) -> Run:
    """Run ``command`` to completion; wall time from spawn to exit, peak memory from wait4."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(command), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=err, stderr=err, start_new_session=True,
        )  # fmt: skip
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
        sampler.stopping.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read()[-3000:].decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux.
    peak = max(usage.ru_maxrss, sampler.peak_kib)
    return Run(seconds, peak, proc.returncode, tail, usage.ru_utime, usage.ru_stime)


# Where a run removed its folders, the next one waits until the inodes it freed are
# no longer passed over (see measure_cold): Linux's ext4 does so for 60 s after a
# deletion, and for 300 s more while the block that records it is not yet written.
QUIET_MARK = "briefgen-bench-removed"
QUIET_AFTER = 360.0  # seconds


def wait_for_quiet(where: Path, after: float = QUIET_AFTER) -> None:
    """Wait until ``after`` seconds have passed since a run last removed its folders
    in ``where`` (the time of its mark there)."""
    try:
        since = time.time() - (where / QUIET_MARK).stat().st_mtime
    except OSError:
        return
    if 0 <= since < after:
        log(
            f"waiting {after - since:.0f} s: a run removed its folders in {where} "
            f"{since:.0f} s ago, and a file system may make files more slowly until then"
        )
        time.sleep(after - since)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


def count_files(folder: Path, skip: Sequence[str] = (".briefgen-manifest",)) -> int:
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.name not in skip)


# -- briefgen --------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The briefgen being measured: this checkout, or a commit exported by ``--at``."""

    path: Path  # holds briefgen/ and templates/
    label: str


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else ""


def checkout_source() -> Source:
    described = _git("describe", "--always", "--dirty")
    return Source(REPO, f"working tree at {described or 'unknown commit'}")


def export_revision(rev: str, workdir: Path | None) -> Source:
    """``git archive`` the package and theme of ``rev`` into a temp folder (git unchanged)."""
    sha = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    if not sha:
        raise SystemExit(f"run.py: error: not a commit: {rev}")
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", sha, "briefgen", "templates"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    dest = Path(tempfile.mkdtemp(prefix=f"briefgen-src-{sha[:10]}-", dir=workdir))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # Python < 3.10.12 / 3.11.4
            tar.extractall(dest)
    named = "" if sha.startswith(rev) else f"{rev} = "
    return Source(dest, f"{named}{sha[:10]} (exported with git archive)")


def child_env(source: Path | None = None) -> dict[str, str]:
    """Children import briefgen from ``source`` (when given), whatever is installed."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once
    return env


def briefgen_flags(source: Path) -> set[str]:
    """The options ``briefgen build`` accepts, from its --help."""
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--help"],
        capture_output=True, text=True, env=child_env(source), cwd=source, check=False,
    )  # fmt: skip
    return set(re.findall(r"--[a-z][a-z-]+", done.stdout))


@dataclass
class Briefgen:
    """How to run briefgen on one site."""

    site: Path
    out: Path
    jobs: int | None  # passed as --jobs only when briefgen has the option
    source: Path
    verbose: bool = False  # -v: briefgen reports each stage's seconds

    def build_command(self) -> list[str]:
        command = [sys.executable, "-m", "briefgen", "build", "--strict"]
        command += ["-s", str(self.site), "--out", str(self.out)]
        if self.jobs:
            command += ["--jobs", str(self.jobs)]
        if self.verbose:
            command.append("-v")
        return command

    def build(self, timeout: float) -> Run:
        return run_measured(self.build_command(), self.site, child_env(self.source), timeout)

    def check(self, timeout: float) -> Run:
        command = [sys.executable, "-m", "briefgen", "check", "--strict", "-s", str(self.site)]
        if self.verbose:
            command.append("-v")
        return run_measured(command, self.site, child_env(self.source), timeout)

    @property
    def cache(self) -> Path:
        return self.site / ".briefgen-cache"


@dataclass
class ServeResult:
    ready: float  # seconds from spawn to the 'Serving' line
    first_page: float  # seconds for the first GET of the briefing (rendered on demand)
    latencies: list[float]  # seconds from each save to the first response with the new text
    peak_kib: int
    keepalive_get: float | None = None  # median GET of a rendered page on a kept-alive connection
    error: str = ""
    # The same for edits that each cite a citation once more (see corpus.edit_citing).
    cited_latencies: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.latencies) if self.latencies else None

    @property
    def cited_median(self) -> float | None:
        return statistics.median(self.cited_latencies) if self.cited_latencies else None


def http_get(host: str, port: int, path: str) -> tuple[int, bytes]:
    """One GET on a new connection, as the tight polling loop wants (no keep-alive delays)."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def keepalive_get(host: str, port: int, path: str, count: int = 5) -> float:
    """Median time of GETs after the first on one connection, as a browser makes them.

    A server that writes headers and body in separate small writes without
    TCP_NODELAY shows ~40 ms here (Nagle's algorithm meets delayed ACKs).
    """
    conn = http.client.HTTPConnection(host, port, timeout=30)
    times = []
    try:
        for _ in range(count + 1):
            started = time.perf_counter()
            conn.request("GET", path)
            conn.getresponse().read()
            times.append(time.perf_counter() - started)
    finally:
        conn.close()
    return statistics.median(times[1:])


def _read_lines(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


def _wait_ready(proc: subprocess.Popen[str], timeout: float) -> str:
    """The URL that serve prints when it is ready."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.05)
        except queue.Empty:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited with {proc.returncode}") from None
            continue
        match = SERVE_READY.search(line)
        if match:
            return match[1]
    raise RuntimeError(f"serve was not ready after {timeout:.0f} s")


def _peak_rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure_serve(
    source: Path, site: Path, target: Path, slug: str, edits: int, timeout: float
) -> ServeResult:
    """Start serve, then save ``edits`` edits of ``target`` and time each until it shows."""
    original = target.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "briefgen", "serve", "-s", str(site), "--port", "0"]
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=site, env=child_env(source), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=err, text=True, start_new_session=True,
        )  # fmt: skip
        result = ServeResult(0.0, 0.0, [], 0)
        try:
            url = _wait_ready(proc, timeout)
            result.ready = time.perf_counter() - started
            _edit_loop(url, slug, target, original, edits, timeout, result)
            result.peak_kib = _peak_rss_kib(proc.pid)
        except (RuntimeError, OSError, http.client.HTTPException) as exc:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace")
            result.error = f"{exc}\n{tail}"
        finally:
            _stop(proc)
            target.write_text(original, encoding="utf-8")
    return result


def _edit_loop(
    url: str,
    slug: str,
    target: Path,
    original: str,
    edits: int,
    timeout: float,
    result: ServeResult,
) -> None:
    host_port = url.split("://", 1)[1].split("/", 1)[0]
    host, _, port_text = host_port.rpartition(":")
    host, port = host.strip("[]"), int(port_text)
    page = f"/briefings/{slug}/"
    t0 = time.perf_counter()
    status, _ = http_get(host, port, page)
    result.first_page = time.perf_counter() - t0
    if status != 200:
        raise RuntimeError(f"GET {page} answered {status}")
    result.keepalive_get = keepalive_get(host, port, page)
    tokens = [f"serve-{number:02d}" for number in range(1, edits + 1)]
    cited = [f"serve-cited-{number:02d}" for number in range(1, edits + 1)]
    for token in tokens:
        edit = functools.partial(edit_body, target, original, token)
        result.latencies.append(_served(host, port, page, edit, timeout))
    # After the plain edits, so that each of those changes the text alone.
    for number in range(1, edits + 1):
        edit = functools.partial(edit_citing, target, original, cited[:number])
        result.cited_latencies.append(_served(host, port, page, edit, timeout))


def _served(host: str, port: int, page: str, edit: Callable[[], str], timeout: float) -> float:
    """Seconds from an ``edit`` (which returns the text it added) to the first
    response of ``page`` that shows it."""
    time.sleep(0.3)  # let the watcher settle after the previous rebuild
    t0 = time.perf_counter()
    text = edit().encode()
    while text not in http_get(host, port, page)[1]:
        if time.perf_counter() - t0 > timeout:
            raise RuntimeError(f"the edit {text!r} did not show within {timeout:.0f} s")
        time.sleep(POLL_INTERVAL)
    return time.perf_counter() - t0


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()
    if proc.stdout:
        proc.stdout.close()


# -- one size --------------------------------------------------------------------------


@dataclass
class PeerResult:
    name: str
    status: str  # 'ok', 'not installed', 'failed (exit N)', 'timed out'
    seconds: float | None = None
    peak_kib: int | None = None
    pages: int | None = None
    user: float | None = None
    system: float | None = None


@dataclass
class SizeResult:
    n: int
    corpus_mb: float = 0.0
    cold: Run | None = None
    no_change: Run | None = None
    one_edit: Run | None = None
    two_edit: Run | None = None  # two briefings' bodies, in different parts of the index
    title_edit: Run | None = None  # a front-matter edit: one briefing's title
    new_briefing: Run | None = None  # a briefing added, the newest
    check: Run | None = None  # `briefgen check --strict`, nothing changed since the last
    ci_check: Run | None = None  # the same, in a CI run (see _measure_ci)
    ci_build: Run | None = None  # the build after it
    edit_visible: bool | None = None  # did the edited text reach the built page?
    cache_dir: bool | None = None  # was there a .briefgen-cache/ after the cold build?
    pages: int = 0
    serve: ServeResult | None = None
    peers: list[PeerResult] = field(default_factory=list)


@dataclass
class Options:
    source: Source
    seed: int
    peers: list[Peer]
    edits: int
    serve: bool
    jobs: int | None
    rebuilds: int  # times each no-change, one-edit, two-edit and title-edit rebuild is timed
    timeout: float
    verbose: bool = False  # briefgen build has -v (--verbose)


def write_corpus(n: int, seed: int, root: Path, peers: list[Peer]) -> list[Briefing]:
    """Write the briefgen site and each peer's copy in one pass; return the briefings the
    rebuilds edit: the one in the middle, which every edit changes, and the one a
    quarter in, which the two-edit rebuild changes too (at 1,000 briefings and more, in
    another part of the search index)."""
    corpus = generate(n, seed)
    write_site(corpus, root / "briefgen", briefings=False)
    for peer in peers:
        peer.begin(corpus, root / peer.name)
    chosen: dict[int, Briefing] = {}
    for briefing in corpus.briefings():
        write_briefing(root / "briefgen", briefing)
        if briefing.index in (n // 2, n // 4):
            chosen[briefing.index] = briefing
        if peers:
            converted = convert(briefing, corpus)
            for peer in peers:
                peer.add(briefing, converted)
    return [chosen[n // 2], chosen[n // 4]]


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def measure_cold(
    n: int, options: Options, root: Path
) -> tuple[SizeResult, Briefgen, list[Briefing]]:
    """The cold builds at ``n`` briefings, briefgen's and each peer's, with the corpus
    written into ``root``; briefgen as built, and the briefings its rebuilds edit (see
    :func:`write_corpus`).

    A cold build runs before anything is removed or replaced: a file system may pass
    over the inodes freed in the last minutes each time it makes a file (ext4 without
    a journal scans them), so a build begun after tens of thousands of files were
    removed takes longer. Hugo's cold build at 10,000 took 14.03–15.81 s on a quiet
    file system, 18.37 s just after its last output was removed, and 22.06 s after
    30,000 more folders and files were (6 December 2026). The rebuilds come after
    every size's cold builds (see :func:`measure_rebuilds`)."""
    result = SizeResult(n)
    log(f"N={n:,}: generating the corpus in {root}")
    installed = [p for p in options.peers if p.executable()]
    edited = write_corpus(n, options.seed, root, installed)
    result.corpus_mb = folder_mb(root / "briefgen" / "content")
    bg = Briefgen(
        root / "briefgen", root / "out-briefgen", options.jobs, options.source.path,
        options.verbose,
    )  # fmt: skip
    result.cold = _timed(f"N={n:,}: briefgen cold build", lambda: bg.build(options.timeout))
    result.cache_dir = bg.cache.exists()
    result.pages = count_files(bg.out)
    for peer in options.peers:
        result.peers.append(_measure_peer(peer, root, options.timeout))
    return result, bg, edited


def measure_rebuilds(
    result: SizeResult, root: Path, bg: Briefgen, edited: list[Briefing], options: Options
) -> None:
    """Every figure of briefgen's at a size after its cold build (see
    :func:`measure_cold`): the rebuilds, the CI run and ``serve``."""
    site = bg.site
    n = result.n

    def build() -> Run:
        return bg.build(options.timeout)

    times = range(options.rebuilds)
    result.no_change = _median([_timed(f"N={n:,}: no-change rebuild", build) for _ in times])
    chosen, second = edited
    target, beside = briefing_path(site, chosen), briefing_path(site, second)
    original, original_beside = (path.read_text(encoding="utf-8") for path in (target, beside))
    page = bg.out / "briefings" / chosen.slug / "index.html"
    # Each edit adds another paragraph (or title), so each rebuild has a change to make.
    result.one_edit, body_shown = _edits(
        f"N={n:,}: one-edit rebuild", times, build, page,
        lambda k: edit_body(target, original, f"build-edit-{k}"),
    )  # fmt: skip

    def edit_both(k: int) -> str:
        """The same paragraph added to both briefings; the second's page is looked at."""
        edit_body(target, original, f"both-edit-{k}")
        return edit_body(beside, original_beside, f"both-edit-{k}")

    result.two_edit, both_shown = _edits(
        f"N={n:,}: two-edit rebuild", times, build,
        bg.out / "briefings" / second.slug / "index.html", edit_both,
    )  # fmt: skip
    target.write_text(original, encoding="utf-8")
    beside.write_text(original_beside, encoding="utf-8")
    build()  # back to the corpus as generated
    result.title_edit, title_shown = _edits(
        f"N={n:,}: title-edit rebuild", times, build, page,
        lambda k: edit_title(target, original, f"title-edit-{k}"),
    )  # fmt: skip
    result.edit_visible = body_shown and both_shown and title_shown
    target.write_text(original, encoding="utf-8")
    bg.build(options.timeout)
    added, slug = add_newest(site, original, "benchmark")
    result.new_briefing = _timed(
        f"N={n:,}: new-briefing rebuild", lambda: bg.build(options.timeout)
    )
    result.edit_visible = result.edit_visible and (bg.out / "briefings" / slug).is_dir()
    added.unlink()
    build()
    _measure_ci(result, root, bg, options.timeout)
    if options.serve:
        log(f"N={n:,}: serve: waiting until ready, then {options.edits} edits")
        result.serve = measure_serve(
            options.source.path, site, target, chosen.slug, options.edits, options.timeout
        )
        if result.serve.error:
            log(f"N={n:,}: serve failed: {result.serve.error}")
        else:
            median = result.serve.median or 0.0
            log(f"N={n:,}: serve ready in {result.serve.ready:.2f} s, edit→served {median:.3f} s")


def _measure_ci(result: SizeResult, root: Path, bg: Briefgen, timeout: float) -> None:
    """A scheduled run of the workflow `briefgen init` writes, nothing changed: the
    content checked out anew (new times and inodes), `.briefgen-cache/` and the output
    restored from a `tar --posix` as `actions/cache` packs them, then the workflow's
    `check` and `build`. The run before it checked the site too."""
    n = result.n
    bg.check(timeout)
    result.check = _timed(f"N={n:,}: no-change check", lambda: bg.check(timeout))
    packed = root / "ci-cache.tar"
    cache, out = bg.cache.relative_to(root), bg.out.relative_to(root)
    subprocess.run(["tar", "--posix", "-cf", packed, "-C", root, cache, out], check=True)
    content = bg.site / "content"
    checkout = bg.site / "content-checkout"
    shutil.copytree(content, checkout, copy_function=shutil.copyfile)
    # What the checkout replaces is moved aside, not removed, so that no build after
    # it makes its files where tens of thousands were just freed (see measure_cold);
    # the size's folder goes once every size is measured.
    aside = root / "before-ci"
    aside.mkdir()
    for folder in (content, bg.cache, bg.out):
        folder.rename(aside / f"{folder.parent.name}-{folder.name}")
    checkout.rename(content)
    subprocess.run(["tar", "-xf", packed, "-C", root], check=True)
    packed.unlink()
    result.ci_check = _timed(f"N={n:,}: CI run, check", lambda: bg.check(timeout))
    result.ci_build = _timed(f"N={n:,}: CI run, build", lambda: bg.build(timeout))


def _edits(
    what: str, times: range, build: Callable[[], Run], page: Path, edit: Callable[[int], str]
) -> tuple[Run, bool]:
    """Make each edit (``edit(k)`` returns the text it added) and time the build after it:
    the run of the median, and whether every edit's text reached ``page``."""
    runs, shown = [], True
    for k in times:
        text = edit(k)
        runs.append(_timed(what, build))
        shown = shown and page.is_file() and text in page.read_text(encoding="utf-8")
    return _median(runs), shown


def _median(runs: list[Run]) -> Run:
    """The run of the median wall time (the lower of two), with its stages; the first
    that failed, if one did."""
    failed = [run for run in runs if not run.ok]
    return failed[0] if failed else sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def _timed(what: str, action: Callable[[], Run]) -> Run:
    run = action()
    if run.ok:
        log(f"{what}: {run.seconds:.2f} s, {run.peak_kib / 1024:.0f} MiB")
    else:
        log(f"{what}: FAILED (exit {run.returncode})\n{run.error}")
    return run


def _measure_peer(peer: Peer, root: Path, timeout: float) -> PeerResult:
    if not peer.executable():
        return PeerResult(peer.name, "not installed")
    out = root / f"out-{peer.name}"
    shutil.rmtree(out, ignore_errors=True)
    peer.clean()
    env = {**child_env(), **peer.environment()}
    run = run_measured(peer.command(out), peer.root, env, timeout)
    if not run.ok:
        status = (
            "timed out" if run.returncode == -signal.SIGKILL else f"failed (exit {run.returncode})"
        )
        log(f"{peer.name} cold build {status}:\n{run.error}")
        return PeerResult(peer.name, status)
    pages = count_files(out)
    log(
        f"{peer.name} cold build: {run.seconds:.2f} s, {run.peak_kib / 1024:.0f} MiB, {pages} files"
    )
    return PeerResult(peer.name, "ok", run.seconds, run.peak_kib, pages, run.user, run.system)


# -- the report ------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def mib(kib: int | None) -> str:
    return "–" if not kib else f"{kib / 1024:,.0f} MiB"


def _run_cell(run: Run | None, extra: str = "") -> str:
    if run is None:
        return "–"
    if not run.ok:
        return f"failed (exit {run.returncode})"
    return seconds(run.seconds) + extra


def _serve_cells(serve: ServeResult | None) -> list[str]:
    """serve ready, edit→served, cited edit→served, page GET on a kept-alive connection,
    serve's peak RSS."""
    if serve is None:
        return ["–"] * 5
    if serve.error:
        return ["failed"] * 4 + ["–"]
    return [
        seconds(serve.ready),
        seconds(serve.median),
        seconds(serve.cited_median),
        seconds(serve.keepalive_get),
        mib(serve.peak_kib),
    ]


def briefgen_table(results: Sequence[SizeResult], edits: int, rebuilds: int) -> str:
    median = f" (median of {rebuilds})" if rebuilds > 1 else ""
    rows = [
        f"| N | cold build | no-change rebuild{median} | one-edit rebuild{median} "
        f"| two-edit rebuild{median} | title-edit rebuild{median} | new-briefing rebuild "
        "| peak RSS (cold build) "
        "| no-change check | CI run: check + build "
        f"| serve ready | edit→served (median of {edits}) "
        f"| cited edit→served (median of {edits}) | page GET, keep-alive "
        "| serve peak RSS | pages |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        stale = "" if r.edit_visible in (None, True) else " (edit NOT in output!)"
        cells = [
            f"{r.n:,}",
            _run_cell(r.cold),
            _run_cell(r.no_change),
            _run_cell(r.one_edit, stale),
            _run_cell(r.two_edit, stale),
            _run_cell(r.title_edit, stale),
            _run_cell(r.new_briefing, stale),
            mib(r.cold.peak_kib if r.cold else None),
            _run_cell(r.check),
            _ci_cell(r.ci_check, r.ci_build),
            *_serve_cells(r.serve),
            f"{r.pages:,}",
        ]
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(rows)


def _ci_cell(check: Run | None, build: Run | None) -> str:
    if check is None or build is None or not (check.ok and build.ok):
        return _run_cell(check if check is None or not check.ok else build)
    both = seconds(check.seconds + build.seconds)
    return f"{both} ({seconds(check.seconds)} + {seconds(build.seconds)})"


def stage_table(results: Sequence[SizeResult]) -> str:
    """Where each build's time went, as briefgen reported it: seconds and share of each
    stage (wall time less the stages is Python's start-up and imports)."""
    runs = [
        (f"{r.n:,}", what, run)
        for r in results
        for what, run in (
            ("cold", r.cold),
            ("no-change", r.no_change),
            ("one-edit", r.one_edit),
            ("two-edit", r.two_edit),
            ("title-edit", r.title_edit),
            ("new-briefing", r.new_briefing),
            ("check", r.check),
            ("CI run, check", r.ci_check),
            ("CI run, build", r.ci_build),
        )
        if run is not None and run.ok and run.stages
    ]
    if not runs:
        return ""
    names = list(dict.fromkeys(name for _, _, run in runs for name in run.stages))
    rows = [
        "Stages of each build and check, seconds (share of the wall time), from `briefgen "
        "build -v` and `briefgen check -v`:",
        "",
        f"| build | N | wall | {' | '.join(names)} | start-up and the rest |",
        "|--|--:|--:|" + "--:|" * (len(names) + 1),
    ]
    for n, what, run in runs:
        cells = [
            f"{run.stages[name]:.2f} ({run.stages[name] / run.seconds:.0%})"
            if name in run.stages
            else "–"
            for name in names
        ]
        rest = run.seconds - sum(run.stages.values())
        cells.append(f"{rest:.2f} ({rest / run.seconds:.0%})")
        rows.append(f"| {what} | {n} | {run.seconds:.2f} | {' | '.join(cells)} |")
    return "\n".join(rows)


@dataclass(frozen=True)
class Metric:
    """One peer table: a value of briefgen's cold build and of each peer's, and its format."""

    title: str
    mine: Callable[[SizeResult], float | None]
    theirs: Callable[[PeerResult], float | None]
    digits: int


METRICS = (
    Metric(
        "Cold build, seconds (in brackets briefgen ÷ peer: above 1 means briefgen is slower)",
        lambda r: r.cold.seconds if r.cold and r.cold.ok else None,
        lambda p: p.seconds,
        2,
    ),
    Metric(
        "Peak RSS of the cold build, MiB (in brackets briefgen ÷ peer)",
        lambda r: r.cold.peak_kib / 1024 if r.cold and r.cold.ok else None,
        lambda p: p.peak_kib / 1024 if p.peak_kib else None,
        0,
    ),
    Metric(
        "CPU of the cold build (user and system), seconds (in brackets briefgen ÷ peer)",
        lambda r: r.cold.user + r.cold.system if r.cold and r.cold.ok else None,
        lambda p: p.user + p.system if p.user is not None and p.system is not None else None,
        2,
    ),
    Metric(
        "System CPU of the cold build (the kernel's work for it: making files and folders,"
        " most of it), seconds (in brackets briefgen ÷ peer)",
        lambda r: r.cold.system if r.cold and r.cold.ok else None,
        lambda p: p.system,
        2,
    ),
)


def _number(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _peer_cell(metric: Metric, mine: float | None, peer: PeerResult) -> str:
    theirs = metric.theirs(peer)
    if peer.status != "ok" or not theirs:
        return peer.status
    ratio = f" ({mine / theirs:.2f}×)" if mine else ""
    return _number(theirs, metric.digits) + ratio


def _peer_table(title: str, names: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [f"**{title}**", "", f"| N | briefgen | {' | '.join(names)} |"]
    lines.append("|--:|" + "--:|" * (len(names) + 1))
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def peer_tables(results: Sequence[SizeResult]) -> str:
    names = [p.name for p in results[0].peers] if results else []
    if not names:
        return ""
    parts = []
    for metric in METRICS:
        rows = []
        for r in results:
            mine = metric.mine(r)
            cells = [_peer_cell(metric, mine, p) for p in r.peers]
            rows.append([f"{r.n:,}", _number(mine, metric.digits), *cells])
        parts.append(_peer_table(metric.title, names, rows))
    rows = [
        [f"{r.n:,}", f"{r.pages:,}", *(f"{p.pages:,}" if p.pages else p.status for p in r.peers)]
        for r in results
    ]
    parts.append(_peer_table("Files written", names, rows))
    return "\n\n".join(parts)


def machine() -> dict[str, str]:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), ""
            )
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            kib = int(f.readline().split()[1])
            mem = f"{kib / 1024**2:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def report(
    results: Sequence[SizeResult], options: Options, flags: set[str], info: dict[str, str]
) -> str:
    jobs = (
        f"--jobs {options.jobs}"
        if options.jobs
        else "no --jobs option"
        if "--jobs" not in flags
        else "--jobs not passed"
    )
    cache = {True: "yes", False: "no", None: "unknown"}[results[0].cache_dir if results else None]
    versions = ", ".join(f"{p.name}: {p.version() or 'not installed'}" for p in options.peers)
    lines = [
        "## briefgen benchmark",
        "",
        f"- date: {info['date']}; briefgen: {options.source.label}; Python {info['python']}",
        f"- machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}",
        f"- builds: `briefgen build --strict` {jobs}; .briefgen-cache/ after a build: {cache}",
        f"- corpus seed {options.seed}; "
        + "; ".join(f"N={r.n:,}: {r.corpus_mb:,.1f} MB" for r in results),
    ]
    if versions:
        lines.append(f"- peers: {versions}")
    lines += ["", briefgen_table(results, options.edits, options.rebuilds)]
    stages = stage_table(results)
    if stages:
        lines += ["", stages]
    peers = peer_tables(results)
    if peers:
        lines += ["", peers]
    return "\n".join(lines) + "\n"


# -- command line ----------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"sizes must be numbers like 1000,10000: {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def parse_peers(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in PEERS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown peer(s) {unknown}; known: {', '.join(PEERS)}")
    return names


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="corpus sizes, comma-separated (default: 1000,10000,50000)",
    )
    p.add_argument("--quick", action="store_true", help="sizes 200, for CI")
    p.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    p.add_argument(
        "--peers",
        type=parse_peers,
        default=list(PEERS),
        help="peers to compare with (default: hugo,pelican,eleventy)",
    )
    p.add_argument("--no-peers", action="store_true", help="measure briefgen only")
    p.add_argument(
        "--peer-env",
        type=Path,
        default=None,
        help=f"where setup_peers.sh installed the peers (default: {DEFAULT_ENV})",
    )
    p.add_argument("--edits", type=int, default=5, help="serve edits to time (default: 5)")
    p.add_argument(
        "--rebuilds",
        type=int,
        default=3,
        help="times to time each no-change, one-edit, two-edit and title-edit rebuild, "
        "reporting the median (default: 3)",
    )
    p.add_argument("--no-serve", action="store_true", help="skip the serve measurements")
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count(),
        help="--jobs for briefgen build, if it has the option (default: cores)",
    )
    p.add_argument("--timeout", type=float, default=3600, help="seconds allowed per build")
    p.add_argument("--workdir", type=Path, default=None, help="where to make the temp folders")
    p.add_argument("--keep", action="store_true", help="keep the generated corpora and output")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write raw results as JSON")
    p.add_argument(
        "--at",
        metavar="REV",
        help="measure briefgen as committed at REV (exported with git archive) "
        "instead of the working tree",
    )
    return p  # fmt: skip


def save_results(path: Path | None, results: list[SizeResult]) -> None:
    """Write ``results`` as JSON to ``path``, if given: after each size's cold builds and
    again after its rebuilds, so that a long run stopped at any point keeps what it
    measured."""
    if path is not None:
        path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sizes = list(QUICK_SIZES) if args.quick else args.sizes
    source = export_revision(args.at, args.workdir) if args.at else checkout_source()
    flags = briefgen_flags(source.path)
    info = machine()
    options = Options(
        source=source,
        seed=args.seed,
        peers=[] if args.no_peers else make_peers(args.peers, args.peer_env),
        edits=args.edits,
        rebuilds=max(1, args.rebuilds),
        serve=not args.no_serve,
        jobs=args.jobs if "--jobs" in flags else None,
        verbose="--verbose" in flags,
        timeout=args.timeout,
    )
    results: list[SizeResult] = []
    # Every cold build comes first, of every size, and no folder is removed until the
    # end (see measure_cold): the rebuilds replace files, and the CI run's checkout
    # moves folders aside.
    roots: list[Path] = []
    where = args.workdir or Path(tempfile.gettempdir())
    wait_for_quiet(where)
    try:
        built = []
        for n in sizes:
            roots.append(Path(tempfile.mkdtemp(prefix=f"briefgen-bench-{n}-", dir=args.workdir)))
            built.append(measure_cold(n, options, roots[-1]))
            results.append(built[-1][0])
            save_results(args.json, results)
        for root, (result, bg, edited) in zip(roots, built, strict=True):
            if result.cold is not None and result.cold.ok:
                measure_rebuilds(result, root, bg, edited, options)
            save_results(args.json, results)
    finally:
        removed = bool(args.at) or (bool(roots) and not args.keep)
        for root in roots:
            if args.keep:
                log(f"kept {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
        if args.at:
            shutil.rmtree(source.path, ignore_errors=True)
        if removed:
            (where / QUIET_MARK).touch()
    print(report(results, options, flags, info))
    failed = any(r.cold is None or not r.cold.ok or (r.serve and r.serve.error) for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
