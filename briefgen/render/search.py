"""The site's search index, made by Pagefind from its briefings' pages.

Pagefind (https://pagefind.app) indexes what a page marks ``data-pagefind-body``,
makes filters of its ``data-pagefind-filter`` values, and writes a bundle of static
files: the index and the search page's script. The bundle is returned as bytes, so
the build writes it by the same protocol as every page (replaced whole or not at
all) and the preview can serve it from memory.
"""

from __future__ import annotations

import collections
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import heap, urls
from briefgen.model import Briefing, Site
from briefgen.render import scratch
from briefgen.render.keys import RouteKeys
from briefgen.render.search_binary import executable
from briefgen.render.search_order import ENTRY, NAME, files_named, fixed_order
from briefgen.render.search_pages import for_indexing
from briefgen.render.search_parts import BUNDLE, parts
from briefgen.write import OutputError, OutputWriter

UI_FILES = tuple(urls.search_bundle(name) for name in ("pagefind-ui.js", "pagefind-ui.css"))
# The marks a body's text carries for its citations and footnotes ('[4]', '1', '↩'),
# wherever a page has them: left out of what is indexed, they are out of the excerpts
# of results too, which showed "without giving details [ 4]. The evacuation".
NOT_INDEXED = "span.cite, a.footnote-ref, a.footnote-backref"
_TIMEOUT = 600  # seconds: far more than any site takes; a hung binary must not hang the build
_LOOK_EVERY = 0.005  # seconds between looks at the runs of Pagefind, as pages come
# Pagefind reads a file per page and writes one per page and more: in memory, a part
# of 247 briefings took 0.64 s where the disk of the machine measured took 1.05-1.45 s.
# A part of 1,000 pages needs a few tens of MB there; Docker gives /dev/shm 64 MB.
_IN_MEMORY = Path("/dev/shm")
_ROOM_IN_MEMORY = 512 * 2**20  # bytes free there, at least, for Pagefind to work in it
# Pagefind needs about 200 KB of memory a page: parts larger than this are made one at a
# time (at 50,000 briefings, two parts of 1,000 at once raised the process tree's peak
# to 2.4 GB while pages rendered, and above rendering's once they were: see
# Indexer.finish).
_PAGES_AT_ONCE = 500
_SWEPT: set[Path | None] = set()  # where this process removed what builds killed left
# Pagefind spreads its work over every core, on the thread pools of its libraries
# (Rayon's and Tokio's, each sized by these variables). While a build's own processes
# keep every core busy rendering, and small parts are made several at once, those
# threads only contend with them: on one thread a part of 244 briefings took 0.47 s of
# CPU where it took 0.52 s, and at 10,000 briefings six cold builds each way took
# 46.6 s against 48.0 s (medians, written to memory). Large parts, made one at a time,
# keep every thread: at 50,000 two cold builds each way took 268-269 s with one thread
# against 255-261 s.
_ONE_THREAD = {"RAYON_NUM_THREADS": "1", "TOKIO_WORKER_THREADS": "1"}


_INDEX_FOLDERS = ("index", "fragment", "filter")  # the folders of a bundle's index
# A page or a chunk of the index, inside its bundle's folder, as Pagefind names them.
_REUSABLE_RE = re.compile(rf"fragment/{NAME}\.pf_fragment|index/{NAME}\.pf_index")


class SearchError(Exception):
    """Pagefind could not index the site; the message says why."""


@dataclass(frozen=True)
class Index:
    """The index a build wrote or kept: each file's key (that of its part) and whether
    it was written anew."""

    files: dict[str, tuple[str, bool]]


class Indexer:
    """Makes the index of the site's briefings while the build renders its pages.

    Pagefind reads a part's pages once every one of them is final (rendered, or left
    as the output holds it), so a part is made as soon as its last page is, beside
    the rendering of the listings that follow the briefings' pages, instead of after
    every page.

    A part whose pages have the keys they had when the output's part was made, with
    its files as that build left them, is kept as it is: Pagefind would make the same
    bytes again, at the cost of reading and indexing every page of it. Up to ``jobs``
    parts are made at once while they are small, each on one thread until every page
    is rendered (see :data:`_ONE_THREAD`); larger ones go one at a time, on every
    thread Pagefind has. Each run of Pagefind is a process the build looks in on
    (:meth:`look`), with no thread waiting for it: a thread running would keep the
    build from forking its render workers (see :mod:`workers`). A part's files are
    staged as soon as it is seen made. :meth:`close` stops the parts still being made.
    """

    def __init__(
        self, site: Site, writer: OutputWriter, previous: RouteKeys | None, jobs: int = 1
    ) -> None:
        binary = executable()
        if binary is None:
            raise SearchError("the pagefind binary is gone")
        self._binary = binary
        self._writer = writer
        self._previous = previous
        self._parts = parts(site)
        self._files = [
            sorted(urls.output_file(urls.briefing(b.slug)) for b in part.briefings)
            for part in self._parts
        ]
        self._part_of = {rel: n for n, files in enumerate(self._files) for rel in files}
        self._keys: dict[str, str] = {}
        self._left = [len(files) for files in self._files]
        self._jobs = max(1, jobs)
        self._small = max(self._left, default=0) <= _PAGES_AT_ONCE  # parts made `jobs` at once
        self._at_once = self._jobs if self._small else 1
        self._made: dict[int, tuple[str, list[str]]] = {}  # key and files, once staged
        self._waiting: collections.deque[tuple[int, str]] = collections.deque()
        self._running: dict[int, tuple[str, Run]] = {}
        self._looked = 0.0  # when the runs were last looked in on
        self._rendering = True  # until finish(): small parts are made on one thread meanwhile

    @property
    def pages(self) -> Container[str]:
        """The output files of the pages the index is made of."""
        return self._part_of.keys()

    @property
    def layout(self) -> list[list[Any]]:
        """Each part of the index: its folder and the output files of its pages."""
        return [[part.folder, files] for part, files in zip(self._parts, self._files, strict=True)]

    def close(self) -> None:
        """Stop the parts being made, and forget those not begun."""
        self._waiting.clear()
        for _, run in self._running.values():
            run.discard()
        self._running.clear()

    def look(self) -> None:
        """Stage the parts Pagefind has made since the last look and begin those waiting
        (looking at most every few milliseconds); raises SearchError if a part failed.
        The build looks whenever it is handed a page, and between the pages it renders."""
        now = time.monotonic()
        if self._running and now - self._looked > _LOOK_EVERY:
            self._looked = now
            self._stage_made()

    def page(self, rel: str, key: str) -> None:
        """Note that the page ``rel`` is final, with ``key`` (see render/keys.py); the
        writer must know whether it staged it. Raises SearchError if a part failed."""
        self.look()
        n = self._part_of.get(rel)
        if n is None:
            return
        self._keys[rel] = key
        self._left[n] -= 1
        if self._left[n] == 0:
            self._start(n)

    def _start(self, n: int) -> None:
        """Keep part ``n`` as the output holds it, or make it (once a run is free)."""
        part, files = self._parts[n], self._files[n]
        key = _index_key(self._binary, part.folder, ((rel, self._keys[rel]) for rel in files))
        kept = []
        if self._previous is not None:
            kept = self._previous.kept(self._writer.out, part.folder, key, part.inner)
        for rel in kept:
            self._writer.record(rel, staged=False)
        if kept:
            self._made[n] = (key, kept)
            return
        self._waiting.append((n, key))
        self._begin()

    def _begin(self) -> None:
        """Begin making the parts waiting, as many as may run at once."""
        while self._waiting and len(self._running) < self._at_once:
            n, key = self._waiting.popleft()
            part, files = self._parts[n], self._files[n]
            pages = [(rel, self._writer.current(rel)) for rel in files]
            reused = self._reused(n)
            one_thread = self._rendering and self._small
            run = Run(self._binary, pages, part.folder, reused, one_thread=one_thread)
            self._running[n] = (key, run)

    def _reused(self, n: int) -> list[tuple[str, Path]]:
        """What Pagefind may find again of part ``n``'s bundle (see :class:`Run`): its
        files the output holds as the last build left them, when at least half of its
        pages are (and so their fragments); none for a part made anew whole."""
        previous, files = self._previous, self._files[n]
        if previous is None or 2 * sum(
            previous.made_for(rel, self._keys[rel]) for rel in files
        ) < len(files):
            return []
        out = self._writer.out
        found = reusable(self._writer.previous, self._parts[n].folder)
        return files_held(self._writer, [rel for rel in found if previous.as_left(out, rel)])

    def _stage_made(self) -> bool:
        """Stage the parts Pagefind has made, beginning those waiting; whether any was."""
        made = [n for n, (_, run) in self._running.items() if run.done()]
        for n in made:
            self._stage(n)
        return bool(made)

    def _stage(self, n: int) -> None:
        """Stage the files of part ``n``, waiting until it is made (raises SearchError
        if Pagefind failed), and begin the next part waiting."""
        key, run = self._running.pop(n)
        files = run.result()
        self._begin()
        for rel, data in files.items():
            self._writer.write(rel, data)
        self._made[n] = (key, list(files))  # its bytes are let go once staged

    def finish(self) -> Index:
        """Stage every part (waiting for those still being made); raises SearchError."""
        if any(self._left):
            raise SearchError("a page of the index was not rendered")
        # Every page is rendered, and the processes that rendered them are gone with the
        # memory they held, but this process now holds every page's result. Large parts
        # are still made one at a time: at 50,000 briefings two at once shortened the
        # wait for the last parts from 19.5 s to 15.0 s, and made the build's peak (this
        # process's 1,003 MiB and Pagefind's two 200) once rendering no longer did.
        heap.release()
        self._rendering = False
        self._begin()
        while self._running:
            if not self._stage_made():
                time.sleep(_LOOK_EVERY)
        index: dict[str, tuple[str, bool]] = {}
        for n in range(len(self._parts)):
            key, files = self._made[n]
            index.update((rel, (key, rel in self._writer.staged)) for rel in files)
        return Index(index)


def _scratch() -> Path | None:
    """The folder Pagefind works in: in memory when the system has one with room to
    spare and ``TMPDIR`` names no other; None for the usual temporary folder."""
    if "TMPDIR" in os.environ:
        return None
    try:
        free = os.statvfs(_IN_MEMORY)
    except OSError:
        return None
    if free.f_bavail * free.f_frsize < _ROOM_IN_MEMORY or not os.access(_IN_MEMORY, os.W_OK):
        return None
    return _IN_MEMORY


def _files_in(folder: Path) -> set[str]:
    """The files below ``folder``, as paths inside it. ``os.walk`` lists each folder
    without looking at its files one by one, as ``rglob`` and ``is_file`` do: a part's
    bundle of 545 files in 0.3 ms where they took 6 ms."""
    top = os.fspath(folder)
    found: set[str] = set()
    for path, _, names in os.walk(top):
        inside = os.path.relpath(path, top).replace(os.sep, "/")
        found.update(names if inside == "." else (f"{inside}/{name}" for name in names))
    return found


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` made a hard link to ``source`` where the file system allows (Pagefind
    only reads it, and a link costs no copy of the page), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _index_key(binary: Path, folder: str, pages: Iterable[tuple[str, str]]) -> str:
    """What a part of the index is made of: the binary (by path, size and time), its
    folder and every page it indexes, by its output file and key."""
    stat = binary.stat()
    digest = hashlib.sha256(f"{binary}\0{stat.st_size}\0{stat.st_mtime_ns}\0{folder}\0".encode())
    for rel, key in pages:
        digest.update(f"{rel}\0{key}\0".encode())
    return digest.hexdigest()


class Run:
    """One run of Pagefind over the pages of a bundle at ``folder``, given as (output
    file, HTML or the file holding it), in a temporary folder of its own: begun when
    made, and not waited for until :meth:`result`. Pagefind reads each page as
    :func:`search_pages.for_indexing` leaves it.

    ``reused`` are files of the bundle the output holds at ``folder``, by their output
    path, as :func:`reusable` picks them: pages and chunks of the index, each named
    after a hash of what it holds. Pagefind finds them where it writes, and does not
    make again a file it finds there: a part of 250 briefings with one of them edited
    took 0.23-0.33 s where it took 0.38-0.39 s, and made the same bundle. They are
    copied, never linked, so that nothing Pagefind does can touch the output.

    ``one_thread`` runs Pagefind on one thread, for a build whose own processes keep
    the cores busy meanwhile (see :data:`_ONE_THREAD`)."""

    def __init__(
        self,
        binary: Path,
        pages: Iterable[tuple[str, bytes | Path]],
        folder: str,
        reused: Iterable[tuple[str, Path]] = (),
        *,
        one_thread: bool = False,
    ) -> None:
        self.folder = folder
        self.one_thread = one_thread
        where = _scratch()
        if where not in _SWEPT:  # once a process: a build runs Pagefind for every part
            scratch.sweep(where)
            _SWEPT.add(where)
        self._work, self._marker = scratch.made(where)
        self._process: subprocess.Popen[bytes] | None = None
        self._site, self._bundle = self._work / "site", self._work / "bundle"
        self._binary = binary
        self._reused = False
        try:
            self._site.mkdir()
            for rel, data in pages:
                (self._site / rel).parent.mkdir(parents=True, exist_ok=True)
                html = data.read_bytes() if isinstance(data, Path) else data
                indexed = for_indexing(html)
                if indexed is html and isinstance(data, Path):
                    _link_or_copy(data, self._site / rel)
                else:
                    (self._site / rel).write_bytes(indexed)
            for rel, source in reused:
                target = self._bundle / rel.removeprefix(folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    shutil.copyfile(source, target)
                except OSError:  # gone or unreadable since: Pagefind makes it
                    target.unlink(missing_ok=True)
                    continue
                self._reused = True
            self._begin()
        except (OSError, subprocess.SubprocessError) as exc:
            self.discard()
            raise SearchError(f"pagefind did not run: {exc}") from exc

    def _begin(self) -> None:
        command = [str(self._binary), "--site", str(self._site), "--output-path",
                   str(self._bundle), "--exclude-selectors", NOT_INDEXED, "--silent"]  # fmt: skip
        env = {**os.environ, **_ONE_THREAD} if self.one_thread else None
        with open(self._work / "said", "wb") as said:
            self._process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=said, env=env
            )
        self._began = time.monotonic()

    def done(self) -> bool:
        """True once Pagefind has ended (or has run too long)."""
        assert self._process is not None
        over = time.monotonic() - self._began > _TIMEOUT
        return over or self._process.poll() is not None

    def result(self) -> dict[str, bytes]:
        """The files (output path -> bytes) of the bundle, once Pagefind has made them;
        raises SearchError when it fails. A part merged into the first keeps only its
        index: its script, styles and WebAssembly would be the first part's again, and
        are never loaded. The temporary folder is removed."""
        try:
            self._wait()
            names = self._made() if self._reused else self._all()
            if names is None:  # a bundle of a kind this build does not know: made from nothing
                shutil.rmtree(self._bundle)
                self._reused = False
                self._begin()
                self._wait()
                names = self._all()
            files = {self.folder + rel: (self._bundle / rel).read_bytes() for rel in sorted(names)}
        finally:
            self.discard()
        return fixed_order(files, self.folder)

    def _wait(self) -> None:
        """Wait for Pagefind to end; raises SearchError unless it made a bundle."""
        assert self._process is not None
        left = max(0.0, _TIMEOUT - (time.monotonic() - self._began))
        try:
            code = self._process.wait(timeout=left)
        except subprocess.TimeoutExpired as exc:
            raise SearchError(f"pagefind did not finish in {_TIMEOUT} s") from exc
        if code != 0 or not self._bundle.is_dir():
            said = (self._work / "said").read_bytes().decode(errors="replace")
            lines = said.strip().splitlines()
            raise SearchError(f"pagefind failed: {lines[-1] if lines else f'exit {code}'}")

    def _all(self) -> set[str]:
        """The files of a bundle Pagefind made from nothing, as paths inside it: all of
        them for the first part, the index alone for another."""
        found = _files_in(self._bundle)
        return {rel for rel in found if self.folder == BUNDLE or _is_index(rel)}

    def _made(self) -> set[str] | None:
        """The files of the bundle Pagefind made over the files reused, as paths inside
        it: those its entry names, and the first part's script, styles and WebAssembly.
        None when the bundle holds a file of a kind this build does not know."""
        bundle = self._bundle
        named = files_named(lambda rel: (bundle / rel).read_bytes())
        if named is None:
            return None
        found = _files_in(bundle)
        if not named <= found or any(
            "/" in rel and rel.split("/", 1)[0] not in _INDEX_FOLDERS for rel in found
        ):
            return None
        if self.folder != BUNDLE:
            return named
        return named | {rel for rel in found if "/" not in rel and not rel.endswith(".pf_meta")}

    def discard(self) -> None:
        """Stop Pagefind if it runs still, and remove the temporary folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._work, ignore_errors=True)
        self._marker.close()


def make_index(
    binary: Path, pages: Iterable[tuple[str, bytes | Path]], folder: str = BUNDLE
) -> dict[str, bytes]:
    """The files (output path -> bytes) of the bundle at ``folder`` for ``pages``, given
    as (output file, HTML or the file holding it); raises SearchError when Pagefind
    fails (see :class:`Run`)."""
    return Run(binary, pages, folder).result()


def _is_index(rel: str) -> bool:
    """A file of a bundle's index itself: its entry, metadata, words, filters and pages."""
    return rel.split("/", 1)[0] in _INDEX_FOLDERS or rel == ENTRY or rel.endswith(".pf_meta")


def files_held(writer: OutputWriter, files: Iterable[str]) -> list[tuple[str, Path]]:
    """Each of ``files`` with the path of the file the output holds, that Pagefind may
    find again (see :class:`Run`); one that is no regular file there is left out."""
    held = []
    for rel in files:
        try:
            if writer.output.is_file(rel):
                held.append((rel, writer.output.inside(rel)))
        except OutputError:
            continue
    return held


def reusable(files: Iterable[str], folder: str) -> list[str]:
    """The files among ``files`` (output paths) that Pagefind may find again when it
    makes the bundle at ``folder``: each of its pages (fragments) and chunks of its
    index, named after a hash of what they hold. Its metadata, filters and entry are
    made again by every run; the other parts' files are not in its folders."""
    heads = (f"{folder}fragment/", f"{folder}index/")
    return [rel for rel in files
            if rel.startswith(heads) and _REUSABLE_RE.fullmatch(rel, len(folder))]  # fmt: skip


def index_of(site: Site, page: Callable[[Briefing], bytes | Path]) -> dict[str, bytes]:
    """Every part of the site's index, made from each briefing's ``page``; raises
    SearchError."""
    binary = executable()
    if binary is None:
        raise SearchError("the pagefind binary is gone")
    files: dict[str, bytes] = {}
    for part in parts(site):
        pages = sorted((urls.output_file(urls.briefing(b.slug)), page(b)) for b in part.briefings)
        files.update(make_index(binary, pages, part.folder))
    return files
