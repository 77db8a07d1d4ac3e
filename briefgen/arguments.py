"""The command line's arguments: every command, its options and their help."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
from pathlib import Path

from briefgen import __version__


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Build sites of curated, sourced briefings.",
        epilog="Run 'briefgen COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    # -s is accepted before the command too ('briefgen -s site build'); after it, it wins.
    parser.add_argument("-s", "--source", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder (default: the current folder)")  # fmt: skip
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=description)

    parser.set_defaults(commands=commands.choices)

    def with_source(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "-s", "--source", type=Path, default=argparse.SUPPRESS, metavar="DIR",
            help="the site folder (default: the current folder)",
        )  # fmt: skip
        return sub

    def with_output(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        shown = sub.add_mutually_exclusive_group()
        shown.add_argument("-q", "--quiet", action="store_true",
                           help="no progress display, even on a terminal")  # fmt: skip
        shown.add_argument("-v", "--verbose", action="store_true",
                           help="also print the seconds each stage took")  # fmt: skip
        return sub

    def with_format(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--format",
            choices=("text", "github"),
            default="github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",
            help="'github' also prints diagnostics as GitHub Actions annotations "
            "(the default when GITHUB_ACTIONS=true)",
        )
        return sub

    def with_embargo(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--future", action="store_true",
            help="include briefings whose publish_at is still to come, marked as "
            "scheduled (default: they are left out until then)",
        )  # fmt: skip
        sub.add_argument(
            "--now", type=moment, metavar="TIME",
            help="decide embargoes as at TIME, an ISO 8601 date and time with its offset "
            "(2024-08-20T06:00:00+03:00), instead of the current time",
        )  # fmt: skip
        return sub

    def with_file_urls(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument(
            "--file-urls", action=argparse.BooleanOptionalAction, default=None,
            help="link every page by its file (briefings/x/index.html, not briefings/x/), "
            "so the site also works opened from disk; overrides file_urls in site.yaml "
            "(default: off)",
        )  # fmt: skip
        return sub

    b = with_output(with_format(with_source(command(
        "build", "build the site into public/",
        "Check the site and build it into public/ (or --out). The previous output is "
        "replaced only when the whole build succeeds. Exit status: 0 built, 1 the site "
        "has errors (or warnings, with --strict), 2 bad usage.",
    ))))  # fmt: skip
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--drafts", action="store_true", help="include drafts")
    with_embargo(b)
    b.add_argument(
        "--out", type=Path, metavar="DIR",
        help="output folder (default: public/ in the site folder; a relative DIR is "
        "taken from the current folder)",
    )  # fmt: skip
    b.add_argument("--base-url", metavar="URL", help="override base_url of site.yaml")
    with_file_urls(b)
    b.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .briefgen-cache/"
    )
    b.add_argument(
        "-j", "--jobs", type=workers, default=0, metavar="N",
        help="worker processes (default: one per core)",
    )  # fmt: skip

    c = with_output(with_format(with_source(command(
        "check", "validate, write nothing",
        "Check every file and render every page, writing no page: what CI runs. It "
        "writes nothing in a site that has no cache (.briefgen-cache/) yet; where a build "
        "made one, it reads it and keeps its own records there for the next run, unless "
        "--no-cache. Exit status: 0 no errors, 1 errors (or warnings, with --strict), "
        "2 bad usage.",
    ))))  # fmt: skip
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.add_argument("--drafts", action="store_true", help="include drafts")
    with_embargo(c)
    c.add_argument(
        "--links",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="verify every internal link and anchor (default: on)",
    )
    with_file_urls(c)
    c.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .briefgen-cache/"
    )

    v = with_source(command(
        "serve", "preview the site with live reload",
        "Preview the site at http://127.0.0.1:8000/: every save rebuilds it and "
        "reloads open tabs; problems show in the page and in the terminal.",
    ))  # fmt: skip
    v.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    v.add_argument(
        "--port", type=port, default=None, help="port (default: 8000, or the next free one)"
    )
    v.add_argument("--drafts", action="store_true", help="include drafts")
    with_embargo(v)
    v.add_argument("--poll", action="store_true", help="poll for changes (network drives)")
    v.add_argument("--open", action="store_true", help="open the site in a browser")

    n = with_source(command(
        "new", "start a new briefing",
        "Write content/briefings/<year>/<month>/<slug>.md with today's date (the current "
        "time, when site.yaml sets a timezone) and the front matter to fill in, and print "
        "its path.",
    ))  # fmt: skip
    n.add_argument("title", help="the briefing's title (its slug is made from it)")
    n.add_argument(
        "--region", action="extend", nargs="+", default=[], metavar="KEY",
        help="a region key of content/regions.yaml; several may follow one --region",
    )  # fmt: skip
    n.add_argument(
        "--date", type=day, metavar="YYYY-MM-DD",
        help="the briefing's date, which also names its folder (default: today)",
    )  # fmt: skip
    n.add_argument(
        "--tag", action="extend", nargs="+", default=[], metavar="TAG",
        help="a tag; several may follow one --tag",
    )  # fmt: skip
    n.add_argument("--slug", default=None, help="the file's name (default: made from the title)")

    with_source(command(
        "drafts", "list the drafts",
        "List every draft briefing and page: its path, title and date, separated by "
        "tabs, newest first (pages, which have no date, last). A draft's errors are "
        "printed too. Exit status: 0 listed, 1 a draft or site.yaml has errors, 2 bad usage.",
    ))  # fmt: skip

    i = command(
        "init",
        "create a new site",
        "Create a new site in DIR: settings, registries, a first briefing, a page and "
        "the CI workflows. Files that exist already are kept.",
    )
    i.add_argument("dir", type=folder, help="the folder of the new site (made if missing)")
    return parser


def folder(value: str) -> Path:
    """A folder named on the command line: never an empty name, which would be the
    current folder (an unset ``"$DIR"`` in a script)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the folder's name is empty")
    return Path(value)


def port(value: str) -> int:
    """The value of ``--port``: a TCP port, or 0 for any free one."""
    return _whole_number(value, 65535, "a port (0 to 65535)")


MOST_JOBS = 256  # processes a build may be asked for: each is a fork of the whole build


def workers(value: str) -> int:
    """The value of ``--jobs``: a number of processes, or 0 for one per core."""
    return _whole_number(
        value, MOST_JOBS, f"a number of processes from 0 (one per core) to {MOST_JOBS}"
    )


def _whole_number(value: str, most: int | None, what: str) -> int:
    """``value`` as a whole number from 0 to ``most``, else bad usage naming ``what``."""
    number = int(value) if value.strip().isdigit() else -1
    if number < 0 or (most is not None and number > most):
        raise argparse.ArgumentTypeError(f"'{value}' is not {what}")
    return number


def day(value: str) -> dt.date:
    """The value of ``new --date``: a day that is in the calendar."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: use YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a real date ({exc})") from None


_MOMENT_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d|Z)", re.ASCII)


def moment(value: str) -> dt.datetime:
    """The value of ``--now``: a date and time with its UTC offset."""
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None and _MOMENT_RE.fullmatch(value.strip()):  # written right, not a real one
        raise argparse.ArgumentTypeError(f"'{value}' is not a real date and time")
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date and time with a UTC offset, like 2024-08-20T06:00:00+03:00"
        )
    return moment
