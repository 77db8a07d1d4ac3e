"""New sites (``briefgen init``) and new briefings (``briefgen new``)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen import __version__
from briefgen.characters import describe, forbidden_in
from briefgen.names import fold, is_key, key_problem, slug_of_name, slugify

_SCAFFOLD_FILES = Path(__file__).parent / "scaffold_files"


class ScaffoldError(Exception):
    """The files could not be created; the message says why."""


_SITE_FILES = {
    "content/site.yaml": """\
title: My Briefings
description: Short, sourced briefings on events as they unfold.
base_url: https://example.org/
# The language of the theme's words and dates: en, ru, uk, de, fr, or any other tag.
language: en
# Your own words for some of the theme's, by their English text.
# strings:
#   Latest: Newest
per_page: 10
# Times written without an offset (09:30, not 09:30+03:00) are read in this zone.
# timezone: Europe/Moscow
# Links that name files, so the built site also works opened from disk.
# file_urls: true
# The share of each briefing's claims (paragraphs, list items…) that must cite
# a source; a briefing below it gets a warning. Without it, every claim must.
# coverage: 0.9
# A warning for each citation without a credibility grade, and each source without a
# reliability grade.
# require_grades: true
# A citation without an archived copy is a warning; this makes it an error (or, as a
# list like [D, E, F], an error for sources of those grades only).
# require_archive: true
""",
    "content/regions.yaml": """\
# Where things happen. 'parent' makes a tree: a briefing about a town is also
# listed on the pages of its province and its country.
country:
  name: Country
province:
  name: Province
  parent: country
town:
  name: Town
  parent: province
""",
    "content/sources.yaml": """\
# Who is cited. reliability is the Admiralty scale, A (reliable) to F (cannot be judged).
wire:
  name: A Wire Agency
  kind: news-agency
  url: https://wire.example.net/
  reliability: B
governor:
  name: The Governor (Telegram)
  kind: official
  url: https://t.me/example
  reliability: C
""",
    "content/briefings/first-briefing.md": """\
---
title: First briefing
date: {today}
summary: What happened, in one sentence.
regions: [town]
tags: [example]
citations:
  governor-post:
    source: governor
    url: https://t.me/example/1
    title: Post on the events of the day
    published: {today}
    quote: The quoted words, exactly as published.
    credibility: 3
    archive: https://web.archive.org/web/https://t.me/example/1
  wire-report:
    source: wire
    url: https://wire.example.net/report
    title: Wire report
    credibility: 2
    archive: https://web.archive.org/web/https://wire.example.net/report
---

The governor described the events of the day in a post [@governor-post]. A wire
agency reported the same, adding detail from residents of the town [@wire-report, para. 2].

::: assessment
Your own judgement, set apart from the reporting: what could not be verified,
and what the reports suggest. It needs no citation.
:::
""",
    "content/pages/about.md": """\
---
title: About
---

Who publishes these briefings, and how to reach them.
""",
    ".gitignore": "/public/\n.briefgen-cache/\n",
}


_CI_FILES = {
    ".github/workflows/publish.yml": "github-publish.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}


@dataclass(frozen=True)
class Scaffold:
    """What ``init`` did: the files it created and those it kept, and whether it left
    the site's content as it was (see :func:`has_content`)."""

    created: list[Path]
    kept: list[Path]
    content_left: bool


def init_site(target: Path) -> Scaffold:
    """Create a site that builds at once, with CI that publishes it.

    A file that already exists is never overwritten. The sample briefing cites the
    sample registries, so it is written only with them: in a folder that has
    registries of its own it would name keys they lack. A site that has content
    already gets only what changes nothing it builds (see :func:`has_content`).
    """
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a folder")
    today = dt.date.today().isoformat()
    files = {rel: text.replace("{today}", today) for rel, text in _SITE_FILES.items()}
    for rel, name in _CI_FILES.items():
        text = (_SCAFFOLD_FILES / name).read_text(encoding="utf-8")
        files[rel] = text.replace("{version}", __version__)
    content_left = has_content(target)
    if content_left:
        files = {rel: text for rel, text in files.items() if not rel.startswith("content/")}
    elif any((target / rel).exists() for rel in _SAMPLE_REGISTRIES):
        del files[_SAMPLE_BRIEFING]
    created, kept = [], []
    try:
        for folder in {(target / rel).parent for rel in files} | {target / "content/static"}:
            _check_inside(target, folder)  # every one before any file is written
        for rel, text in files.items():
            path = target / rel
            if os.path.lexists(path):  # a link too, even one that leads nowhere
                kept.append(path)
                continue
            _create(target, path, text)
            created.append(path)
        if not content_left:
            (target / "content/static").mkdir(exist_ok=True)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise ScaffoldError(f"cannot make the site in {target}: {exc.strerror}{where}") from None
    return Scaffold(created, kept, content_left)


def leaves_output_in(gitignore: Path) -> bool:
    """True when ``gitignore``, a ``.gitignore`` that ``init`` kept, is a file that
    ignores no ``public`` folder: the built site would be committed with the content.
    A link, or a file too large to be one, is not looked into."""
    try:
        if gitignore.is_symlink() or not gitignore.is_file() or gitignore.stat().st_size > 2**20:
            return False
        lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return not any(line.strip().rstrip("*").strip("/") == "public" for line in lines)


def has_content(target: Path) -> bool:
    """True when the site at ``target`` has a briefing or a page. Each sample file of
    ``content/`` would change what such a site builds: registries make its keys
    answer to them (a site without them has keys of its own), the sample briefing
    and page would be published, and the sample settings would move it to another
    address."""
    content = target / "content"
    return any(content.glob("briefings/**/*.md")) or any(content.glob("pages/*.md"))


def _check_inside(root: Path, folder: Path) -> None:
    """Raise ScaffoldError unless ``folder`` is inside ``root`` once links are followed:
    a checkout may hold one that leads anywhere. Looked at from the nearest folder on
    the way that is there, before any is made."""
    there = folder
    while there not in (root, there.parent) and not os.path.lexists(there):
        there = there.parent
    if not there.resolve().is_relative_to(root.resolve()):
        raise ScaffoldError(f"{there} leads outside {root}: refusing to write in {folder}")


def _create(root: Path, path: Path, text: str) -> None:
    """Write the new file ``path`` inside ``root`` (see :func:`_check_inside`), never
    through a link."""
    _check_inside(root, path.parent)
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_inside(root, path.parent)  # a link put there meanwhile
    with open(path, "x", encoding="utf-8") as file:  # fails on anything there, a link too
        file.write(text)


def _quoted(text: str) -> str:
    """``text`` as a double-quoted YAML value, on one line, which reads back as ``text``:
    a line or paragraph separator in it (U+2028, U+2029) is written as an escape. PyYAML
    escapes every character beyond U+FFFD there; those that can be shown (an emoji, a
    letter of an old script) are written as they are."""
    written: str = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=2**30)
    return _ESCAPED_BEYOND_BMP.sub(_shown, written.strip())


# '\U0001F600', unless its backslash is itself escaped ('\\U…' is a backslash, then 'U…')
_ESCAPED_BEYOND_BMP = re.compile(r"(?<!\\)((?:\\\\)*)\\U([0-9A-F]{8})")


def _shown(escape: re.Match[str]) -> str:
    character = chr(int(escape[2], 16))
    return escape[1] + character if character.isprintable() else escape[0]


_SAMPLE_BRIEFING = "content/briefings/first-briefing.md"
_SAMPLE_REGISTRIES = ("content/regions.yaml", "content/sources.yaml")


_SLUG_LENGTH = 80  # a file name made from a title: long enough to tell briefings apart
_SLUG_BYTES = 200  # and short enough for a file name, in any script (255 bytes at most)


def _shortened(slug: str) -> str:
    """``slug`` cut to :data:`_SLUG_LENGTH` characters and :data:`_SLUG_BYTES` bytes."""
    slug = slug[:_SLUG_LENGTH]
    while len(slug.encode("utf-8")) > _SLUG_BYTES:
        slug = slug[:-1]
    return slug.strip("-_")


def new_briefing(
    root: Path,
    title: str,
    regions: list[str],
    date: dt.date | None = None,
    tags: list[str] | None = None,
    slug: str = "",
    zone: dt.tzinfo | None = None,
) -> Path:
    """Write a briefing skeleton under content/briefings/YYYY/MM/, dated ``date``
    (default: today, or the current time in ``zone``, the site's timezone, with its
    offset), its file named ``slug`` (default: made from the title)."""
    for what, text in [("title", title), *(("region", r) for r in regions),
                       *(("tag", t) for t in tags or [])]:  # fmt: skip
        bad = forbidden_in(text)
        if bad:
            raise ScaffoldError(
                f"the {what} holds the character {describe(bad)}, which pages and feeds "
                "cannot contain"
            )
    slug = slug or _shortened(slugify(title))
    if not slug:
        raise ScaffoldError("the title needs at least one letter or digit")
    if not is_key(slug):
        raise ScaffoldError(f"the slug '{slug}' {key_problem(slug)}")
    for tag in tags or []:
        if not is_key(slugify(tag)):
            raise ScaffoldError(f"the tag '{tag}' needs at least one letter or digit")
    day, written = _dated(date, zone)
    path = root / "content/briefings" / f"{day:%Y}" / f"{day:%m}" / f"{slug}.md"
    if os.path.lexists(path):
        raise ScaffoldError(f"{path} already exists")
    other = _slug_taken(root / "content/briefings", slug)
    if other is not None:
        raise ScaffoldError(f"{other} has the slug '{slug}' already: choose another with --slug")
    region_list = ", ".join(_quoted(r) for r in regions)
    tag_list = ", ".join(_quoted(t) for t in tags or [])
    text = (
        "---\n"
        f"title: {_quoted(title)}\n"
        f"date: {written}\n"
        "summary: \n"
        f"regions: [{region_list}]\n"
        f"tags: [{tag_list}]\n"
        "draft: true\n"
        "citations: {}\n"
        "---\n\n"
        "Write the briefing here. Define each source under citations: and cite it as `[@key]`.\n"
    )
    try:
        _create(root, path, text)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise ScaffoldError(f"cannot write {path}: {exc.strerror}{where}") from None
    return path


# A slug written in a file's front matter: among its first lines, as `new` writes them.
_SLUG_LINE = re.compile(r"""^slug:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)


def _slug_taken(briefings: Path, slug: str) -> Path | None:
    """A briefing file under ``briefings`` whose slug is ``slug`` (one URL, even if they
    differ in case), by its 'slug:' or else its name, as the build reads them."""
    wanted = fold(slug)
    for folder, _, names in os.walk(briefings):
        for name in names:
            if not name.endswith(".md"):
                continue
            path = Path(folder, name)
            try:
                with open(path, "rb") as file:
                    head = file.read(4096).decode("utf-8", "replace")
            except OSError:
                continue
            written = _SLUG_LINE.search(head)
            taken = written[1] if written else slug_of_name(path.stem)
            if fold(taken) == wanted:
                return path
    return None


def _dated(date: dt.date | None, zone: dt.tzinfo | None) -> tuple[dt.date, str]:
    """The day of a new briefing (it names the folder) and its 'date:' as written."""
    if date is None and zone is not None:
        now = dt.datetime.now(zone).replace(second=0, microsecond=0)
        return now.date(), now.isoformat()
    day = date or dt.date.today()
    return day, day.isoformat()
