"""The build command: it replays the last build when nothing changed
(last_build.py), patches in an edit of a few briefings' text (patch.py), or builds in
full (pipeline.py). Where the files changed by their times (a CI run's fresh
checkout), the first two are tried again by their bytes (see contents.py) before the
build runs in full.

The last two are imported only when they run: a build that finds nothing changed
needs neither the parsers nor the renderer, and importing them was a quarter of its
time at 10,000 briefings.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import gc_pause
from briefgen.cache.folder import CACHE_DIR, library_version, settings_fingerprint
from briefgen.diagnostics import Diagnostic, Diagnostics
from briefgen.last_build import Inputs, LastBuild, Outcome, OutputLook, read_inputs
from briefgen.patch_record import Patches, PatchRecord
from briefgen.progress import Progress
from briefgen.render.search_binary import executable
from briefgen.theme_folders import TEMPLATES_DIR, theme_dirs
from briefgen.write import OutputError, link_reason, output_lock, recover, refuse_reason

if TYPE_CHECKING:
    from briefgen.contents import Contents
    from briefgen.coverage import CoverageReport
    from briefgen.model import Site

OUTPUT_DIR = "public"


@dataclass(frozen=True)
class BuildOptions:
    out: Path | None = None  # default: <root>/public
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    file_urls: bool | None = None  # links name files ('x/index.html'); None: as site.yaml says
    write: bool = True  # False for `check`: everything is rendered, nothing written
    check_links: bool = False  # verify every internal link and anchor of the rendered pages
    cache: bool = True  # use the persistent cache in .briefgen-cache/
    jobs: int = 0  # worker processes; 0: one per core
    future: bool = False  # publish embargoed briefings too, marked as scheduled
    now: dt.datetime | None = None  # the moment embargoes are judged at; None: the clock's

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    ok: bool
    site: Site | None = None
    pages: int = 0
    rendered: int = 0  # pages rendered anew; the others were left as they were
    output: Path | None = None
    refusal: str = ""  # why the output folder was refused; nothing was touched
    failure: str = ""  # why the output could not be written, when it could not
    seconds: dict[str, float] = field(default_factory=dict)  # of each stage, in order
    embargoed: dict[str, dt.datetime] = field(default_factory=dict)  # file -> when it goes live
    coverage: CoverageReport | None = None  # the site's citation coverage, once it is linked


def output_folder(root: Path, options: BuildOptions) -> Path:
    """Where a build of the site at ``root`` writes: ``--out``, else ``public/`` in it;
    as given, where links on the way go round a loop (see write.link_reason)."""
    folder = options.out or root / OUTPUT_DIR
    try:
        return folder.resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        return Path(os.path.abspath(folder))


def build(root: Path, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build (or, with ``write=False``, check) the site at ``root``.

    Nothing outside the output folder is touched, and the output is replaced only
    when the whole build succeeded.
    """
    linked = link_reason(root, options.out or root / OUTPUT_DIR) if options.write else ""
    root = root.resolve()
    out = output_folder(root, options)
    if not options.write:
        return _check(root, out, options, progress)
    protected = [root / "content", root / TEMPLATES_DIR, root / CACHE_DIR, *theme_dirs(root)]
    reason = linked or refuse_reason(root, out, protected)
    if reason:
        return BuildResult([], ok=False, refusal=reason)
    try:
        with output_lock(out):
            recover(out)  # a commit killed mid-way is undone before anything else
            if not options.cache:
                return _in_full(root, out, options, progress)
            clock = Clock()
            last = LastBuild(root, out)
            look = OutputLook(last)
            try:
                # A replay or a patch reads records of hundreds of thousands of objects,
                # all alive until it ends: the collector's runs over them were a tenth
                # of a patch's time at 10,000 briefings.
                with gc_pause.paused(), gc_pause.settling():
                    inputs = read_inputs(root, theme_dirs(root), _settings_read(out, options))
                    now = options.now or dt.datetime.now(dt.timezone.utc)
                    outcome = last.replay(inputs, now, look)
                    if outcome is not None:
                        return _replayed(outcome, out, clock, "unchanged")
                    clock.lap("check inputs")
                    patches = Patches(root, out)
                    record = patches.load() if last.same_but_content(inputs) else None
                    if record is not None and record.may_patch(inputs):
                        patched = _patch(root, out, options, inputs, now, clock, look, record)
                        if patched is not None:
                            return patched
                    contents = _contents(root, out, options)
                    found = last.replay_by_content(inputs, contents, now, look)
                    if found is not None:
                        patches.restamp(found.inputs, inputs, record)
                        return _replayed(found.outcome, out, clock, "unchanged by content")
                    inputs = replace(inputs, by_content=contents)
                    record = record or patches.load()
                    restamped = record.restamped(inputs, contents) if record else None
                    if restamped is not None and restamped.may_patch(inputs):
                        patched = _patch(root, out, options, inputs, now, clock, look, restamped)
                        if patched is not None:
                            return patched
                    clock.lap("check inputs")
                return _in_full(root, out, options, progress, (last, inputs, look), clock)
            finally:
                look.stop()
    except (OutputError, OSError) as exc:
        return BuildResult([], ok=False, failure=str(exc))


def _replayed(outcome: Outcome, out: Path, clock: Clock, stage: str) -> BuildResult:
    """The result of a build that replayed the last one, which reported ``outcome``."""
    clock.lap(stage)
    return BuildResult(
        outcome.diagnostics, ok=True, pages=outcome.pages, output=out, seconds=clock.laps,
        embargoed=outcome.embargoed,
    )  # fmt: skip


def _patch(
    root: Path,
    out: Path,
    options: BuildOptions,
    inputs: Inputs,
    now: dt.datetime,
    clock: Clock,
    look: OutputLook,
    record: PatchRecord,
) -> BuildResult | None:
    """The build after a few briefings' text was edited, made by patching the last one's
    output (see patch.py), which left ``record`` (restamped, where ``inputs`` were
    read by content: see :meth:`PatchRecord.restamped`); None when it cannot be."""
    from briefgen import patch, pipeline

    diags = Diagnostics()
    config = pipeline.settings(root, options, diags)
    tried = Clock()
    done = None
    if not diags.items:
        done = patch.rebuild(root, out, config, inputs, now, options.drafts, options.future,
                             tried.lap, record, look)  # fmt: skip
    if done is None:
        clock.lap("check inputs")  # the try is part of it
        return None
    clock.take(tried)
    outcome, last = done.last.outcome, LastBuild(root, out)
    inputs = inputs.with_contents_checked()
    last.save(inputs, done.last.window, done.files, outcome, done.stamps, done.known)
    Patches(root, out).save(done.patch if inputs.settled else None, done.outline)
    clock.lap("save build record")
    return BuildResult(
        outcome.diagnostics, ok=True, pages=outcome.pages, rendered=done.rendered, output=out,
        seconds=clock.laps, embargoed=outcome.embargoed,
    )  # fmt: skip


def _check(root: Path, out: Path, options: BuildOptions, progress: Progress | None) -> BuildResult:
    """A check: the last passing one's report again when nothing it read has changed
    (see last_check.py), else a check in full (see pipeline.py), recorded if it passes."""
    if not (options.cache and options.check_links):
        return _in_full(root, out, options, progress)
    from briefgen.last_check import LastCheck, Report

    clock = Clock()
    last = LastCheck(root, out)
    now = options.now or dt.datetime.now(dt.timezone.utc)
    contents = _read_contents(root, _settings_checked(options))
    report = last.replay(contents, now)
    if report is not None:
        clock.lap("unchanged")
        outcome = report.outcome
        return BuildResult(
            outcome.diagnostics, ok=True, pages=outcome.pages, seconds=clock.laps,
            embargoed=outcome.embargoed, coverage=report.coverage,
        )  # fmt: skip
    clock.lap("check inputs")
    result = _in_full(root, out, replace(options, now=now), progress, clock=clock)
    if result.ok and result.site is not None and result.coverage is not None:
        from briefgen.pipeline import embargo_window

        between = embargo_window(result.site, result.embargoed, now)
        outcome = Outcome(result.pages, result.diagnostics, result.embargoed)
        last.save(contents, between, Report(outcome, result.coverage))
        clock.lap("save check record")
    return result


def _contents(root: Path, out: Path, options: BuildOptions) -> Contents:
    """What a build reads, by content: its files, and the same options as
    :func:`_settings_read`, with the Pagefind binary known by its bytes (a CI run
    installs it anew)."""
    return _read_contents(root, [settings_fingerprint(), *_made(out, options)])


def _read_contents(root: Path, settings: list[str]) -> Contents:
    """Every file of ``root``'s content and theme and the Pagefind binary, by content,
    with ``settings``: the files whose stamps the cache knows are not read again, and
    those read are known from now on."""
    from briefgen.contents import KnownFiles, read_contents

    known = KnownFiles(root)
    binary = executable()
    binaries = [binary] if binary is not None else []
    settings = [*settings, repr(binary)]
    contents, files = read_contents(
        root / "content", theme_dirs(root), settings, known.known, binaries
    )
    known.save(files, contents)
    return contents


def _settings_checked(options: BuildOptions) -> list[str]:
    """What decides a check's report besides its files (the Pagefind binary's among
    them: a site is checked without search where there is none) and its moment:
    briefgen's code and the libraries it uses, and its options."""
    made = (options.drafts, options.strict, options.file_urls, options.future)
    rendering = (library_version("Jinja2"), library_version("babel"))
    return [settings_fingerprint(), repr(made), repr(rendering)]


def _in_full(
    root: Path,
    out: Path,
    options: BuildOptions,
    progress: Progress | None,
    record: tuple[LastBuild, Inputs, OutputLook] | None = None,
    clock: Clock | None = None,
) -> BuildResult:
    """A build in full (see pipeline.py)."""
    from briefgen import pipeline

    return pipeline.build_in_full(root, out, options, progress, record, clock)


def _settings_read(out: Path, options: BuildOptions) -> list[str]:
    """What decides a build's output besides its files, its moment and the libraries
    that parse (see cache/folder.py): its options, the libraries that render, and the
    Pagefind binary it would run."""
    binary = executable()
    stat = binary.stat() if binary is not None else None
    found = (binary, stat.st_size, stat.st_mtime_ns) if stat is not None else None
    return [*_made(out, options), repr(found)]


def _made(out: Path, options: BuildOptions) -> list[str]:
    """The options of a build into ``out``, and the libraries that render."""
    made = (out, options.drafts, options.strict, options.base_url, options.file_urls,
            options.future, options.check_links)  # fmt: skip
    return [repr(made), repr((library_version("Jinja2"), library_version("babel")))]


class Clock:
    """The seconds each stage of a build took (``-v`` shows them)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Add the time since the last lap to ``stage``'s."""
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self._last
        self._last = now

    def take(self, other: Clock) -> None:
        """Go on from ``other``, begun at this one's last lap: its laps become this one's."""
        self.laps.update(other.laps)
        self._last = other._last
