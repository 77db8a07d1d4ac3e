"""Command line: parse arguments, run a command, print diagnostics, choose the exit code.

Exit codes (SPEC section 5): 0 success, 1 content errors, 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import BuildOptions, BuildResult, build
from .scaffold import ScaffoldError, init_site, new_briefing

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen", description="Build sites of curated, sourced briefings."
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_source(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "-s", "--source", type=Path, default=Path("."), metavar="DIR",
            help="the site folder (default: the current folder)",
        )  # fmt: skip
        return sub

    b = with_source(commands.add_parser("build", help="build the site into public/"))
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--drafts", action="store_true", help="include drafts")
    b.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: public)")
    b.add_argument("--base-url", metavar="URL", help="override base_url of site.yaml")

    c = with_source(commands.add_parser("check", help="validate content, write nothing"))
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument("--drafts", action="store_true", help="include drafts")

    n = with_source(commands.add_parser("new", help="start a new briefing"))
    n.add_argument("title")
    n.add_argument("--region", action="append", default=[], metavar="KEY")

    i = commands.add_parser("init", help="create a new site")
    i.add_argument("dir", type=Path)
    return parser


def _report(result: BuildResult, strict: bool) -> None:
    for diagnostic in result.diagnostics:
        print(diagnostic.format(strict), file=sys.stderr)
    errors = sum(1 for d in result.diagnostics if strict or d.severity.value == "error")
    warnings = len(result.diagnostics) - errors
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _progress(done: int, total: int) -> None:
    """A one-line counter on a terminal; CI logs (not a TTY) get none."""
    if done == total or done % 200 == 0:
        end = "\n" if done == total else ""
        print(f"\rRendering pages: {done}/{total}", end=end, file=sys.stderr, flush=True)


def _is_site(root: Path) -> bool:
    return (root / "content").is_dir()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "init":
        try:
            created = init_site(args.dir)
        except ScaffoldError as exc:
            print(f"briefgen: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"Created a new site in {args.dir} ({len(created)} files).")
        print(f"Build it with: cd {args.dir} && briefgen build")
        return EXIT_OK

    root: Path = args.source
    if not _is_site(root):
        print(
            f"briefgen: error: {root.resolve()} is not a briefgen site (no content/ folder)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "new":
        try:
            path = new_briefing(root, args.title, args.region)
        except ScaffoldError as exc:
            print(f"briefgen: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print(path)
        return EXIT_OK

    write = args.command == "build"
    options = BuildOptions(
        out=args.out if write else None,
        drafts=args.drafts,
        strict=args.strict,
        base_url=args.base_url if write else None,
        write=write,
    )
    started = time.perf_counter()
    result = build(root, options, _progress if sys.stderr.isatty() else None)
    _report(result, args.strict)
    if result.refusal:
        print(f"briefgen: error: {result.refusal}", file=sys.stderr)
        return EXIT_USAGE
    if result.failure:
        print(f"briefgen: error: {result.failure}", file=sys.stderr)
    if not result.ok:
        print("Build failed; the previous output was left untouched.", file=sys.stderr)
        return EXIT_CONTENT
    seconds = time.perf_counter() - started
    if write:
        print(f"Built {result.pages} pages in {seconds:.2f} s into {result.output}")
    else:
        print(f"Checked {result.pages} pages in {seconds:.2f} s: no problems")
    return EXIT_OK
