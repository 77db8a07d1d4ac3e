"""Command line: parse arguments, run a command, print diagnostics, choose the exit code.

Exit codes (SPEC section 5): 0 success, 1 content errors, 2 bad usage.

Each command imports what only it runs: a build that finds nothing changed takes
about a second at 10,000 briefings, and the parsers, the renderer and the server
would add a quarter to it (see build.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from briefgen import urls
from briefgen.arguments import parser
from briefgen.build import BuildOptions, BuildResult, build, output_folder
from briefgen.cache.folder import CACHE_DIR
from briefgen.diagnostics import Diagnostics, did_you_mean, printable
from briefgen.interrupts import EXIT_INTERRUPTED, interrupted
from briefgen.progress import PARSING
from briefgen.urls import ascii_host, is_web_url
from briefgen.write import MANIFEST

if TYPE_CHECKING:
    from briefgen.coverage import CoverageReport

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _report(result: BuildResult, strict: bool, github: bool, root: Path) -> None:
    folder = _in_repository(root) if github else ""
    for diagnostic in result.diagnostics:
        print(diagnostic.format(strict), file=sys.stderr)
        if github:
            print(diagnostic.github_annotation(strict, folder))
    errors = sum(1 for d in result.diagnostics if strict or d.severity.value == "error")
    warnings = len(result.diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _in_repository(root: Path) -> str:
    """The site's folder as GitHub names files in annotations: from the repository's
    root (``GITHUB_WORKSPACE``, else the current folder), with a '/' after it; '' for
    the root itself, or a site outside it."""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or ".").resolve()
    site = root.resolve()
    if site == base or not site.is_relative_to(base):
        return ""
    return site.relative_to(base).as_posix() + "/"


_LEAST_CITED = 10  # briefings the coverage summary names


def _print_coverage(report: CoverageReport | None) -> None:
    """The site's citation coverage, and the briefings least cited: a few lines, however
    large the site."""
    from briefgen.coverage import percent

    if report is None or not report.claims:
        return
    claims = f"{report.claims} claim{'s' if report.claims != 1 else ''}"
    briefings = f"{len(report.briefings)} briefing{'s' if len(report.briefings) != 1 else ''}"
    cite = "cites" if report.cited == 1 else "cite"
    unread = ""
    if report.unread == 1:
        unread = "; 1 briefing that could not be read is not counted"
    elif report.unread:
        unread = f"; {report.unread} briefings that could not be read are not counted"
    print(
        f"Citation coverage: {percent(report.cited, report.claims)} "
        f"({report.cited} of {claims} in {briefings} {cite} a source{unread})"
    )
    short = sorted(
        (b for b in report.briefings if b.cited < b.claims),
        key=lambda b: (b.cited / b.claims, b.path),
    )
    for entry in short[:_LEAST_CITED]:
        shown = f"{percent(entry.cited, entry.claims)} ({entry.cited} of {entry.claims})"
        print(f"  {shown:<16} {printable(entry.path)}")
    if len(short) > _LEAST_CITED:
        print(f"  … and {len(short) - _LEAST_CITED} more briefings below 100%")


class _ProgressLine:
    """How far a long phase is, on one line of a terminal: 'Rendering: 1200/5759 pages
    (850/s)', rewritten at most ten times a second and ended when the phase is done."""

    _EVERY = 0.1  # seconds between updates

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._phase = ""
        self._first = 0  # done when the phase was first reported, its clock started
        self._started = self._shown = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self._clock()
        if phase != self._phase:
            self._phase, self._first, self._started, self._shown = phase, done, now, 0.0
        if done < total and now - self._shown < self._EVERY:
            return
        self._shown = now
        what = "files" if phase == PARSING else "pages"
        # The rate of what was done since the clock started, once it has run a while:
        # the first report comes a moment after its files were done.
        elapsed = now - self._started
        rate = f" ({(done - self._first) / elapsed:,.0f}/s)" if elapsed >= self._EVERY else ""
        line = f"\r{phase}: {done}/{total} {what}{rate}\x1b[K"
        print(line, end="\n" if done == total else "", file=sys.stderr, flush=True)


def _serve(root: Path, args: argparse.Namespace) -> int:
    # Imported here: a build needs neither the HTTP server nor the file watcher.
    import webbrowser

    from briefgen.serve.http import attach, start_server
    from briefgen.serve.preview import Preview, preview_options
    from briefgen.serve.watch import Watcher

    try:
        server = start_server(args.host, args.port)
    except OSError as exc:
        port = args.port if args.port is not None else "8000 and the next ones"
        # A name that resolves to no address of this machine is the host's fault.
        fix = (
            "--port"
            if isinstance(exc, PermissionError) or exc.errno == errno.EADDRINUSE
            else "--host"
        )
        print(
            f"briefgen: error: cannot listen on {args.host}:{port} ({exc.strerror}); "
            f"choose another with {fix}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    host, port = server.server_address[:2]
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"briefgen: warning: serving on {args.host}: anyone who can reach this machine "
            "can read the preview",
            file=sys.stderr,
        )
    asked = BuildOptions(drafts=args.drafts, future=args.future, now=args.now)
    options = preview_options(asked, str(host), int(port))
    shown = sys.stderr.isatty()
    preview = Preview(
        root, options, log=_log_with_time, progress=_ProgressLine() if shown else None
    )
    try:
        preview.rebuild()
    except KeyboardInterrupt:
        server.server_close()
        print("Stopped.")
        return EXIT_INTERRUPTED
    attach(server, preview, args.host)
    watcher = Watcher(preview, poll=args.poll)
    watcher.start()
    url = options.base_url or ""
    print(f"Serving {url} (Ctrl+C to stop)", flush=True)
    if args.open:
        webbrowser.open(url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        preview.close()
        watcher.stop()
        server.server_close()
    return EXIT_OK


def _log_with_time(text: str) -> None:
    """A line of the preview's log, each line of it stamped with the time of day.

    Written in one call: the preview's threads log at once, and ``print`` writes a text
    and its line break apart, so two lines could run together."""
    stamp = time.strftime("%H:%M:%S")
    sys.stderr.write("".join(f"{stamp} {line}\n" for line in text.splitlines()))
    sys.stderr.flush()


def _is_site(root: Path) -> bool:
    return (root / "content").is_dir()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names; its exit code. A Ctrl-C that no command's own
    handling meets (while the arguments are read, or a command's modules load) ends
    it with :data:`EXIT_INTERRUPTED`, not a traceback."""
    try:
        return _command(argv)
    except BaseException as exc:
        if not interrupted(exc):
            raise
        print("\nbriefgen: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _command(argv: Sequence[str] | None) -> int:
    top = parser()
    args, unknown = top.parse_known_args(argv)
    if unknown:  # reported with the usage of the command they were given to
        shown = args.commands.get(args.command, top)
        shown.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:  # bad usage, as git and pip have it: the help, and no success
        top.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "init":
        return _init(args.dir)
    root: Path = args.source
    if not _is_site(root):
        print(
            f"briefgen: error: {root.resolve()} is not a briefgen site (no content/ folder)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "new":
        return _new(root, args)
    if args.command == "serve":
        try:
            return _serve(root, args)
        except KeyboardInterrupt:  # while its modules load, before it can stop by itself
            print("Stopped.")
            return EXIT_INTERRUPTED
    if args.command == "drafts":
        return _drafts(root)
    return _build_or_check(root, args)


def _init(folder: Path) -> int:
    from briefgen.scaffold import ScaffoldError, init_site, leaves_output_in

    try:
        made = init_site(folder)
    except ScaffoldError as exc:
        print(f"briefgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    created, kept = made.created, made.kept
    for path in kept:
        print(f"kept {path} (it exists already)")
        if path.name == ".gitignore" and leaves_output_in(path):
            print("  it does not ignore /public/: add that line, or the built site is committed")
    if made.content_left:
        print(
            f"{folder} has briefings or pages already: its content/ was left as it is "
            "(no sample settings, registries, briefing or page)."
        )
    if not created:
        print(f"{folder} is a briefgen site already: nothing was created.")
        return EXIT_OK
    files = f"{len(created)} file{'s' if len(created) != 1 else ''}"
    if kept or made.content_left:
        also = f", and kept the {len(kept)} it had" if kept else ""
        print(f"Added the {files} {folder} lacked{also}.")
    else:
        print(f"Created a new site in {folder} ({files}).")
    print(f"Build it with: cd {folder} && briefgen build")
    return EXIT_OK


def _new(root: Path, args: argparse.Namespace) -> int:
    from briefgen.crossref import renames
    from briefgen.read.config import load_config
    from briefgen.read.registry import load_regions
    from briefgen.scaffold import ScaffoldError, new_briefing

    problems = Diagnostics()
    known = load_regions(root, problems)
    if args.region and problems.has_errors():
        print(
            "briefgen: error: content/regions.yaml has errors, so --region cannot be checked "
            "(briefgen check shows them)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    renamed = renames(known, urls.region)  # a region's old key is read as its key
    regions = [renamed.get(key, key) for key in args.region]
    unknown = [key for key in regions if known is not None and key not in known]
    for key in unknown:  # every one, in one run
        hint = did_you_mean(key, known or {})
        print(
            f"briefgen: error: unknown region '{key}' (not in content/regions.yaml)"
            + (f" ({hint})" if hint else ""),
            file=sys.stderr,
        )
    if unknown:
        return EXIT_USAGE
    if args.slug is not None and not args.slug.strip():
        print("briefgen: error: the slug is empty (leave --slug out to make one of the title)",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    try:
        zone = load_config(root, Diagnostics()).zone  # a bad one is reported by the build
        path = new_briefing(root, args.title, regions, args.date, args.tag, args.slug or "", zone)
    except ScaffoldError as exc:
        print(f"briefgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    return EXIT_OK


def _drafts(root: Path) -> int:
    from briefgen.drafts import find_drafts

    found = find_drafts(root)
    for diagnostic in found.errors:
        print(diagnostic.format(), file=sys.stderr)
    for draft in found.drafts:
        date = draft.date.isoformat() if draft.date is not None else "-"
        print("\t".join(map(printable, (draft.path, draft.title or "-", date))))
    if not found.drafts:
        print("No drafts.")
    if found.errors:
        print(f"{len(found.errors)} error(s)", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def _build_or_check(root: Path, args: argparse.Namespace) -> int:
    write = args.command == "build"
    if write and args.base_url is not None and not is_web_url(args.base_url):
        print(
            f"briefgen: error: --base-url must be an http or https URL, not "
            f"'{args.base_url}' (the site's address, with no '?', '#' or '\\', and one '/' "
            "after its host)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if write and args.base_url is not None and ascii_host(args.base_url) is None:
        print(
            f"briefgen: error: --base-url's host ({urlsplit(args.base_url).hostname}) has no "
            "one ASCII form every browser writes (write it as the domain's registrar shows "
            "it, 'xn--…')",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = BuildOptions(
        out=args.out if write else None,
        drafts=args.drafts,
        strict=args.strict,
        base_url=args.base_url if write else None,
        file_urls=args.file_urls,
        write=write,
        check_links=not write and args.links,
        cache=not args.no_cache and (write or (root / CACHE_DIR).is_dir()),
        jobs=args.jobs if write else 0,
        future=args.future,
        now=args.now,
    )
    started = time.perf_counter()
    manifest = output_folder(root, options) / MANIFEST
    before = _stamp(manifest) if write else None
    had_output = manifest.parent.is_dir()
    try:
        shown = sys.stderr.isatty() and not args.quiet
        result = build(root, options, _ProgressLine() if shown else None)
        # Within the try: a Ctrl-C while the outcome prints (thousands of warnings take
        # a while) may come once the new output is in place, and is told as such.
        return _outcome(root, result, args, had_output, started)
    except BaseException as exc:
        if not interrupted(exc):
            raise
        if not write:
            print("\nbriefgen: interrupted.", file=sys.stderr)
        elif _stamp(manifest) == before:
            print(
                "\nbriefgen: interrupted; the previous output was left untouched.", file=sys.stderr
            )
        else:
            print(
                "\nbriefgen: interrupted once the new output was in place: it is whole, and the "
                "next build finishes what this one left",
                file=sys.stderr,
            )
        return EXIT_INTERRUPTED


def _outcome(
    root: Path, result: BuildResult, args: argparse.Namespace, had_output: bool, started: float
) -> int:
    """Print what the build or check ``result`` found and made; its exit code."""
    write = args.command == "build"
    _report(result, args.strict, args.format == "github", root)
    if not write:
        _print_coverage(result.coverage)
    if result.refusal:
        print(f"briefgen: error: {result.refusal}", file=sys.stderr)
        return EXIT_USAGE
    if result.failure:
        print(f"briefgen: error: {result.failure}", file=sys.stderr)
    if not result.ok:
        if write and had_output:
            print("Build failed; the previous output was left untouched.", file=sys.stderr)
        elif write:
            print("Build failed; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    seconds = time.perf_counter() - started
    if args.verbose:
        _print_timings(result.seconds)
    if write:
        print(
            f"Built {result.pages} pages ({result.rendered} rendered) in {seconds:.2f} s "
            f"into {result.output}"
        )
    else:
        warnings = len(result.diagnostics)
        found = f"{warnings} warning(s), no errors" if warnings else "no problems"
        print(
            f"Checked {result.pages} pages ({result.rendered} rendered) in {seconds:.2f} s: {found}"
        )
    _report_embargoed(result.embargoed)
    return EXIT_OK


def _stamp(path: Path) -> tuple[int, int] | None:
    """When ``path`` was last written, and its size; None when there is no such file.
    A commit writes the output's manifest last, as a new file; one rolled back puts the
    old one back as it was (see write.py)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _print_timings(stages: dict[str, float]) -> None:
    """The seconds of each stage of a build and its share of them, one line each."""
    total = sum(stages.values()) or 1.0
    for stage, took in stages.items():
        print(f"{stage}: {took:.2f} s ({took / total:.0%})", file=sys.stderr)


def _report_embargoed(waiting: dict[str, dt.datetime]) -> None:
    """The briefings left out until their publish_at, soonest first: not a problem,
    but an author looking for one should learn why it is missing."""
    if not waiting:
        return
    print("Embargoed, left out until their publish_at (--future includes them):")
    for path, until in sorted(waiting.items(), key=lambda item: (item[1], item[0])):
        print(f"  {until.isoformat()}  {printable(path)}")
