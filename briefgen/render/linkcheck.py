"""Checking the internal links and anchors of rendered pages.

Each page is checked as it is rendered, in the process that renders it: a link to
a file the site does not have, or to a missing anchor of the page itself, is found
there and then. Only links to an anchor of another page wait until every page is
rendered; they are few, and so is what a page keeps for them (its ids, as one
string). A build of a large site never holds the pages, nor all of their links.

With ``file_urls`` a page must also work opened from disk: a link to a folder (which
a browser shows as a folder there) or from the root ('/x/') is reported too.
"""

from __future__ import annotations

import collections
import contextlib
import html
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen import urls
from briefgen.diagnostics import Diagnostic, Location, Severity
from briefgen.markup.ids import in_text
from briefgen.model import SiteConfig
from briefgen.read.frontmatter import body_line
from briefgen.theme_folders import ASSETS_DIR, TEMPLATES_DIR, theme_dirs

# An attribute and its value: ' href="x"'. Attributes follow whitespace in HTML (so
# 'data-id' is not an id). Each name is looked for on its own: an expression that
# begins with letters, not with one of five characters as frequent as spaces, is
# found by the regular expression engine's quick scan, in half the time. Each takes
# only the name and the quote, the value looked ahead at, so that no attribute can
# hide inside another's match.
_ATTRIBUTES = tuple(
    (name, re.compile(name + rb'\s*=\s*"(?=([^"]*)")')) for name in (b"href", b"src", b"id")
)
# The same attributes in one pass, where no whitespace comes before an '=': a page's
# '=' are found as quickly as the names are, and each is looked behind for a name. An
# '=' with whitespace before it ends the pass (its group is None), and the page is
# scanned as above instead, since a name may stand before that whitespace. Of the
# 6,020 pages of 2,000 briefings one was; the pass took two thirds of the time of the
# three.
_UNSPACED = re.compile(
    rb"=(?:(?<=\s=)|(?:(?<=[ \t\n\r\f]href=)|(?<=[ \t\n\r\f]src=)|(?<=[ \t\n\r\f]id=))"
    rb'\s*"(?=([^"]*)"))'
)
_NAMED = {name[-1]: name for name, _ in _ATTRIBUTES}  # by its last byte
_WHITESPACE = frozenset(b" \t\n\r\f")  # HTML's


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What checking one output file found, and what waits for the other pages."""

    file: str  # output file, e.g. 'briefings/x/index.html'
    origin: Location  # the file it came from: a briefing, a page or a template
    problems: tuple[Diagnostic, ...]
    deferred: tuple[str, ...] = ()  # links to an anchor of another page, as written
    ids: str = ""  # the ids the page offers, one per line


def _text(value: bytes) -> str:
    text = value.decode()
    return html.unescape(text) if "&" in text else text


def _found(body: bytes) -> list[tuple[int, int, bytes, bytes]]:
    """Each attribute of :data:`_ATTRIBUTES` in ``body``: where it begins, where its value
    ends, its name and its value, in order."""
    found = []
    for match in _UNSPACED.finditer(body):
        value = match.group(1)
        if value is None:
            break
        name = _NAMED[body[match.start() - 1]]
        found.append((match.start() - len(name), match.end(1), name, value))
    else:
        return found
    found = []
    for name, pattern in _ATTRIBUTES:
        for match in pattern.finditer(body):
            start = match.start()
            if start and body[start - 1] in _WHITESPACE:
                found.append((start, match.end(1), name, match.group(1)))
    found.sort()
    return found


def extract(body: bytes) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """The links (each once, in order), the ids, and the ids used more than once of a page."""
    links: dict[bytes, None] = {}
    ids = []
    end = 0
    found = _found(body)
    if b"&lt;" in body:  # markup shown as text: '<code>&lt;a href="x"&gt;</code>'
        found = [attribute for attribute in found if not in_text(body, attribute[0])]
    for start, value_end, name, value in found:
        if start <= end:  # inside the value of the one before, as a single scan would skip it
            continue
        end = value_end + 1
        if name == b"id":
            ids.append(value)
        else:
            links[value] = None
    unique = frozenset(ids)
    twice: tuple[str, ...] = ()
    if len(unique) < len(ids):
        twice = tuple(sorted(_text(i) for i, n in collections.Counter(ids).items() if n > 1))
    return tuple(dict.fromkeys(map(_text, links))), frozenset(map(_text, unique)), twice


def ids_of(body: bytes | None) -> str | None:
    """The ids a page offers, as :class:`PageLinks` keeps them (see :func:`_id_text`);
    None for no page (one that could not be read)."""
    return _id_text(extract(body)[1]) if body is not None else None


def _id_text(ids: frozenset[str]) -> str:
    """Ids as text, one per line, sorted: the one form in which a page's ids are kept,
    in its :class:`PageLinks` and in the anchors record (render/anchors.py)."""
    return "\n".join(sorted(ids))


@dataclass(frozen=True)
class LinkChecker:
    """Checks pages against the files of the output (``files``: every output path)."""

    files: frozenset[str]
    config: SiteConfig
    root: Path
    severity: Severity = Severity.ERROR
    _climbing: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict, repr=False)
    # The site's own templates, by path, once read: the preview's threads share them.
    _templates: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)

    def page(self, file: str, origin: Location, body: bytes) -> PageLinks:
        """Check one page; links to another page's anchors are kept for :meth:`anchors`."""
        links, ids, twice = extract(body)
        problems = [
            Diagnostic(
                self.severity,
                _where(origin, _id_written(value), self.root)[0],
                f"the id '{value}' is used more than once in /{file.removesuffix('index.html')}, "
                "so links to it may land on the wrong one",
            )
            for value in twice
        ]
        deferred = []
        from_disk = self.config.file_urls and file.endswith(".html")  # feeds are for the web
        for link in links:
            target = self._resolve(file, link)
            if target is None:
                continue
            path, fragment = target
            if path not in self.files:
                problems.append(self._broken(origin, link, self._missing(path), path))
            elif from_disk and (problem := _fails_from_disk(link, path)):
                problems.append(self._broken(origin, link, problem))
            elif fragment and path != file:
                deferred.append(link)
            elif fragment and unquote(fragment) not in ids:
                problems.append(self._broken(origin, link, _no_anchor(path, fragment)))
        return PageLinks(file, origin, tuple(problems), tuple(deferred), _id_text(ids))

    def targets(self, page: PageLinks) -> frozenset[str]:
        """The output files whose anchors ``page`` links to: what :meth:`anchors` needs
        beside it to check its links in full."""
        found = set()
        for link in page.deferred:
            target = self._resolve(page.file, link)
            assert target is not None
            found.add(target[0])
        return frozenset(found)

    def anchors(
        self,
        pages: Iterable[PageLinks],
        left: Callable[[str], str | None] | None = None,
        offered: dict[str, str] | None = None,
    ) -> dict[str, list[Diagnostic]]:
        """Every problem of ``pages``, by file, with their links to other pages' anchors
        checked. A target that is not among them is looked up in ``left``, which gives
        the ids of a page left as the output holds it (as :func:`ids_of` gives them;
        None for any other file); one not found there is assumed to have the anchor.
        ``offered``, if given, is filled with the ids of each page linked to that
        the links were checked against.

        The links are checked target by target, so only one page's ids are held as a
        set at a time: most briefings are the target of some link (sources link to the
        citations that quote them), and all their sets at once would be the largest
        thing a large build holds."""
        pages = list(pages)
        ids: dict[str, str | None] = {page.file: page.ids for page in pages}
        linking: dict[str, list[tuple[int, int, str, str]]] = collections.defaultdict(list)
        for n, page in enumerate(pages):
            for place, link in enumerate(page.deferred):
                target = self._resolve(page.file, link)
                assert target is not None
                path, fragment = target
                if path not in ids and left is not None:
                    ids[path] = left(path)
                if ids.get(path) is not None:
                    linking[path].append((n, place, link, fragment))
        missing: dict[int, list[tuple[int, Diagnostic]]] = collections.defaultdict(list)
        for path, links in linking.items():
            text = ids[path] or ""
            if offered is not None:
                offered[path] = text
            present = frozenset(text.split("\n"))
            for n, place, link, fragment in links:
                if unquote(fragment) not in present:
                    problem = self._broken(pages[n].origin, link, _no_anchor(path, fragment))
                    missing[n].append((place, problem))
        found: dict[str, list[Diagnostic]] = {}
        for n, page in enumerate(pages):
            later = sorted(missing.get(n, ()), key=itemgetter(0))
            problems = [*page.problems, *(problem for _, problem in later)]
            if problems:
                found[page.file] = problems
        return found

    def _resolve(self, file: str, link: str) -> tuple[str, str] | None:
        if link.startswith("#"):
            return file, link[1:]
        # The links url() writes climb to the root and down again: where they lead
        # depends on the depth of the page only, and the same few recur on every page.
        depth = file.count("/")
        known = self._climbing.get((depth, link))
        if known is not None:
            return known
        simple = _simple_target(file, link)
        target = simple or _target(file, link, self.config)
        if target is None:
            return None
        path, fragment = target
        if path not in self.files and f"{path}/index.html" in self.files:
            path = f"{path}/index.html"
        if simple is not None and len(self._climbing) < _REMEMBERED:
            self._climbing[depth, link] = (path, fragment)
        return path, fragment

    def _missing(self, path: str) -> str:
        """Why a link to ``path``, which the output lacks, is broken. One from the root
        of the host that leaves the site's path ('/pages/about/' where the site is
        published at '/briefs/') is named so, with the link that would lead to the page
        it names, if the site has one."""
        base = self.config.base_path
        if not path.startswith("//") or base == "/":
            return "no such page or file in the site"
        problem = f"it leads outside the site, which is published under {base}"
        inside = path[2:]
        for file in (inside, inside + "index.html", inside + "/index.html"):
            if file in self.files:
                return f"{problem} (write it as '{base}{inside}', or with url())"
        return problem

    def _broken(self, origin: Location, link: str, problem: str, target: str = "") -> Diagnostic:
        """A problem with ``link``, quoted as the Markdown has it if it comes from a body:
        as the page has it, from the site root, or (with ``file_urls``) to the folder.
        ``target`` is the output file it leads to, as a template may name it to ``url()``
        ('regions/nope/')."""
        forms = (link, urls.folder_url(link)) if self.config.file_urls else (link,)
        shown_as = [shown for form in forms for shown in (form, "/" + form.lstrip("./"))]
        # Markdown's link or HTML's quoted attribute; else one in single quotes, or none.
        written = [before + shown for quotes in ("(\"", "'=") for shown in shown_as
                   for before in quotes]  # fmt: skip
        where, shown = _where(origin, written, self.root)
        if not shown and not _mentions(origin, link, self.root):
            named = target.removesuffix("index.html")
            by_url = [quote + named for quote in ("'", '"')] if named else []
            where = self._in_own_templates([*written, *by_url]) or where
        return Diagnostic(self.severity, where, f"broken link '{shown or link}': {problem}")

    def _in_own_templates(self, written: list[str]) -> Location | None:
        """Where the first of ``written``, less its first character, stands whole in one
        of the site's own templates (sorted by name), if it does: a link a template
        writes as it is, and no content file, is that template's."""
        templates = self._templates.get("own")
        if templates is None:
            templates = self._templates["own"] = _own_templates(self.root)
        for path, text in templates:
            for candidate in written:
                found = _whole(candidate).search(text)
                if found is not None:
                    before = text[: found.start() + 1]
                    line = before.count("\n") + 1
                    return Location(path, line, len(before) - before.rfind("\n"))
        return None


def _fails_from_disk(link: str, path: str) -> str:
    """Why ``link``, to the output file ``path``, fails in a page opened from disk; ''
    when it works."""
    written = link.partition("#")[0].partition("?")[0]
    if written.startswith("/"):
        return "opened from disk, it starts at the root of the disk, not of the site"
    if written and path.endswith("index.html") and not written.endswith("index.html"):
        return "opened from disk, it shows a folder, not the page (link to its index.html)"
    return ""


def _no_anchor(path: str, fragment: str) -> str:
    return f"page /{path.removesuffix('index.html')} has no anchor '#{fragment}'"


def lacks_anchor(problem: Diagnostic, file: str) -> bool:
    """True when ``problem`` may be a link to an anchor the page ``file`` lacked."""
    return _no_anchor(file, "")[:-1] in problem.message


_REMEMBERED = 50_000  # climbing links kept per process; each costs about 200 bytes


def _simple_target(page_file: str, link: str) -> tuple[str, str] | None:
    """The common links, resolved without parsing: '#x', and '../../a/b/' climbing from
    the page's folder to the site root and down again (what ``url()`` writes)."""
    path, _, fragment = link.partition("#")
    if not path:
        return (page_file, fragment)
    climb = "../" * page_file.count("/")
    if not path.startswith(climb):
        return None
    rest = path[len(climb) :]
    # With no './' in it, the only '..' a path can still hold is its last name.
    if "./" in rest or rest.endswith(("/.", "/..")) or rest in (".", ".."):
        return None
    if rest.startswith("/") or "//" in rest or not urls.is_plain(rest):
        return None
    return (urls.output_file(rest), fragment)


def _target(page_file: str, link: str, config: SiteConfig) -> tuple[str, str] | None:
    """(output path, fragment) that an internal link points at; None for external links.
    (:func:`_simple_target` gives the same for the links it takes, sooner.)

    Absolute URLs under ``base_url`` count as internal only in feeds and the sitemap,
    which must use them: in a page, a citation of another page on the site's own
    domain may be served by something else than briefgen.
    """
    if link.startswith(config.base_url) and page_file.endswith(".xml"):
        link = "/" + config.base_path.lstrip("/") + link[len(config.base_url) :]
    elif link.startswith("//") or "\\" in link or urls.scheme(link):
        return None  # a backslash (read as '/') is refused where the link is written
    parts = urlsplit(link)
    path = unquote(parts.path)
    if path.startswith("/"):
        base_path = unquote(config.base_path)  # '/сводки/', written '/%D1%81…/'
        if not path.startswith(base_path):
            return ("/" + path, parts.fragment)  # outside the site: reported as broken
        resolved = path[len(base_path) :]
    elif path:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), path))
        if path.endswith("/") and resolved != ".":
            resolved += "/"
    else:
        return (page_file, parts.fragment)
    if resolved in (".", "./"):
        resolved = ""
    if resolved == ".." or resolved.startswith("../"):
        return ("/" + resolved, parts.fragment)
    if resolved == "" or resolved.endswith("/"):
        resolved += "index.html"
    return (resolved, parts.fragment)


def _id_written(value: str) -> list[str]:
    """How an id may be written in Markdown, each after one character (see _where)."""
    return [f' id="{value}"', f" id='{value}'", f"{{#{value}", f" #{value}"]


def _where(location: Location, written: list[str], root: Path) -> tuple[Location, str]:
    """Where the first of ``written``, less its first character, stands whole in the
    body of the Markdown file of ``location`` (not as the start of a longer link), and
    that text; for a link to a content file's anchor ('a.md#x', published as
    '../a/#x'), where that is written; ``location`` itself and '' if the page came from
    no such file or the text is not there. The front matter is not searched: a title
    may hold the same text, escaped, and no link."""
    if not location.path.endswith(".md"):
        return location, ""
    try:
        text = (root / location.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return location, ""
    body = 0
    for _ in range(body_line(text) - 1):
        body = text.find("\n", body) + 1
    found = next(
        ((match.start() + 1, c[1:]) for c in written if (match := _whole(c).search(text, body))),
        None,
    )
    if found is None:  # a reference definition's: '[r]: ../x/'
        defined = (_DEFINITION.pattern + f"({re.escape(c[1:])})(?=[>\\s]|$)" for c in written)
        found = next(
            ((match.start(1), match[1]) for pattern in defined
             if (match := re.compile(pattern, re.MULTILINE).search(text, body))),
            None,
        )  # fmt: skip
    fragment = written[0].partition("#")[2] if written else ""
    if found is None and fragment:
        as_file = re.compile(
            rf"(?:\(\s*<?|{_DEFINITION.pattern})([^()\s<>]*\.md#{re.escape(fragment)})(?=[>)\s]|$)",
            re.MULTILINE,
        )
        match = as_file.search(text, body)
        found = (match.start(1), match[1]) if match else None
    if found is None:
        return location, ""
    offset, shown = found
    before = text[:offset]
    line = before.count("\n") + 1
    return location.at(line, offset - (before.rfind("\n") + 1) + 1), shown


# The start of a reference definition, up to its URL: '[label]: ' or '[label]: <'.
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?")


def _whole(candidate: str) -> re.Pattern[str]:
    """``candidate`` where the link or id it begins ends with it: before a closing
    bracket or brace, a quote, a space or a title."""
    return re.compile(re.escape(candidate) + r"""(?=[)}"'\s>]|$)""")


def _own_templates(root: Path) -> list[tuple[str, str]]:
    """The site's own templates (its assets left out), each by its path from the site
    and with its text, sorted by path; none when it has no theme of its own."""
    dirs = theme_dirs(root)
    if len(dirs) < 2:
        return []
    found = []
    for path in sorted(dirs[0].rglob("*")):
        rel = path.relative_to(dirs[0]).as_posix()
        if path.suffix in (".html", ".xml") and not rel.startswith(f"{ASSETS_DIR}/"):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                found.append((f"{TEMPLATES_DIR}/{rel}", path.read_text(encoding="utf-8")))
    return found


def _mentions(origin: Location, link: str, root: Path) -> bool:
    """True when the content file ``origin`` names holds ``link`` anywhere: a link of
    its own, though not where :func:`_where` looks (a reference definition)."""
    if not origin.path.endswith(".md"):
        return False
    try:
        return link in (root / origin.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
