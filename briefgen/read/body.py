"""A content file's body rendered, and its problems reported where they were written:
what the body holds that a page cannot, its claims and its links to other files."""

from __future__ import annotations

import collections
import html
import re

from briefgen.characters import (
    FORBIDDEN_RE,
    describe,
    forbidden_in,
    forbidden_reference,
    forbidden_references,
)
from briefgen.diagnostics import Diagnostics, Location
from briefgen.markup.body import BodyError, BodyRenderer, RenderedBody
from briefgen.markup.citations import (
    FOOTNOTE_MARK,
    STRAY_RE,
    cites_at,
    raw_link_depth,
    without_code,
)
from briefgen.markup.extension import HTML_LINK, IMAGE
from briefgen.markup.ids import element_ids, is_reserved_id
from briefgen.markup.links import content_links
from briefgen.model import Claim, ContentLink
from briefgen.read.frontmatter import Document

LINKABLE = ("content/briefings/", "content/pages/")  # the folders whose files are pages


def body_location(doc: Document, origin: Location, offset: int) -> Location:
    """The file position of character ``offset`` of the body."""
    before = doc.body[:offset]
    line = doc.body_line + before.count("\n")
    return origin.at(line, offset - (before.rfind("\n") + 1) + 1)


def render_body(
    doc: Document, origin: Location, renderer: BodyRenderer, diags: Diagnostics
) -> RenderedBody | None:
    try:
        body = renderer.render(doc.body)
    except BodyError as exc:
        diags.error(origin.at(doc.body_line, 1), str(exc), "simplify this file's Markdown")
        return None
    _report_unsafe_links(doc, origin, body.unsafe_links, diags)
    _report_dropped(doc, origin, body.dropped, diags)
    _report_forbidden_characters(doc, origin, body, diags)
    _report_bad_ids(doc, origin, body, diags)
    _report_strays(doc, origin, body.strays, diags)
    _report_in_links(doc, origin, body.in_links, diags)
    _report_in_html(doc, origin, body.in_html, diags)
    _report_definitions(doc, origin, body.definitions, diags)
    for problem in body.fence_problems:
        diags.error(origin.at(doc.body_line + problem.line - 1, 1), problem.message, problem.hint)
    return body


def body_claims(doc: Document, origin: Location, body: RenderedBody) -> tuple[Claim, ...]:
    """The body's claims, each at its line of the file."""
    return tuple(
        Claim(c.kind, origin.at(doc.body_line + c.line - 1, 1), c.words, c.keys, c.opening)
        for c in body.claims
    )


def _report_bad_ids(
    doc: Document, origin: Location, body: RenderedBody, diags: Diagnostics
) -> None:
    """Ids the theme uses itself, and ids used twice: either makes links jump to the
    wrong place (a marker [1] to a fake source). Each use is reported where it was
    written, the uses in the order of the text."""
    markers = body.cited.marker_ids()
    uses: collections.Counter[str] = collections.Counter()
    for value in element_ids(body.html):
        use = uses[value]
        uses[value] += 1
        written = use - 1 if value in markers else use  # a marker's first id is the theme's
        if is_reserved_id(value) and written >= 0:
            problem = "is one the theme uses itself"
        elif use > 0:
            problem = "is used twice in this text"
        else:
            continue
        places = _id_places(doc.body, value)
        diags.error(
            body_location(doc, origin, places[min(max(written, 0), len(places) - 1)]),
            f"the id '{value}' {problem}",
            "choose another id",
        )


def _id_places(body: str, value: str) -> list[int]:
    """Where ``value`` is written as an id in ``body`` outside code (``id="x"`` or
    ``{#x}``), in order; [0] if nowhere (an id made from a heading's words)."""
    name = re.escape(value)
    as_attribute = rf"""(?<![\w-])(?i:id)\s*=\s*["']?{name}(?=["'\s/>])"""
    as_attribute_list = rf"(?<=[{{\s])#{name}(?=[\s}}])"
    pattern = re.compile(f"{as_attribute}|{as_attribute_list}")
    return [match.start() for match in pattern.finditer(without_code(body))] or [0]


def _report_forbidden_characters(
    doc: Document, origin: Location, body: RenderedBody, diags: Diagnostics
) -> None:
    """Each character no page or feed may hold, written as it is or as a reference
    (outside code, where a reference is shown as written)."""
    places: list[tuple[int, str]] = []
    if forbidden_in(doc.body):
        chars = FORBIDDEN_RE.finditer(doc.body)
        places += [(m.start(), f"the character {describe(m[0])}") for m in chars]
    if body.reference:
        found = forbidden_references(without_code(doc.body))
        places += [(offset, f"the character reference '{text}'") for offset, text in found]
    if not places and (forbidden_in(body.html) or forbidden_in(body.toc)):
        reference = forbidden_reference(doc.body)
        places = [(0, "a control character") if reference is None else
                  (reference[0], f"the character reference '{reference[1]}'")]  # fmt: skip
    for offset, shown in sorted(places):
        diags.error(
            body_location(doc, origin, offset),
            f"the text holds {shown}, which pages and feeds cannot contain",
            "remove it",
        )


def _report_dropped(
    doc: Document, origin: Location, names: tuple[str, ...], diags: Diagnostics
) -> None:
    """Markup a body may not hold is left out of the page: say so, at each place it was
    written outside code (at the body's start if it cannot be found)."""
    plain = without_code(doc.body)
    for name in names:
        opened = re.finditer(rf"<{re.escape(name)}(?![\w-])", plain, re.IGNORECASE)
        for offset in [match.start() for match in opened] or [0]:
            diags.warning(
                body_location(doc, origin, offset),
                f"<{name}> is not allowed in a body and was left out of the page",
                "link to what it showed instead" if name in _EMBEDS else "remove it",
            )


_EMBEDS = frozenset({"iframe", "embed", "object", "video", "audio", "script"})


# A reference definition as Markdown reads one: on a line of its own, its label first.
_DEFINITION_RE = re.compile(r"^ {0,3}\[([^\[\]]*)\]:", re.MULTILINE)


def _report_definitions(
    doc: Document, origin: Location, labels: tuple[str, ...], diags: Diagnostics
) -> None:
    """Each citation at the start of a line with a colon after it, which Markdown read
    as a link's reference definition: it shows nothing, and no link can use it."""
    if not labels:
        return
    plain = without_code(doc.body)
    written = {found[1].lower(): found for found in _DEFINITION_RE.finditer(plain)}
    for label in labels:
        found = written.get(label)
        where = body_location(doc, origin, found.start(1) - 1 if found else 0)
        diags.warning(
            where,
            f"'[{found[1] if found else label}]:' at the start of a line is read as a "
            "link's reference definition, and the line is published as nothing",
            "put a word before the citation on its line, or no colon right after it",
        )


def _report_strays(
    doc: Document, origin: Location, strays: tuple[str, ...], diags: Diagnostics
) -> None:
    """Each citation the grammar did not take and each footnote's mark no footnote
    defines, published as written: the n-th of a text where it is written the n-th
    time outside code, unescaped and not the start of a citation the grammar takes
    (at the body's start if it cannot be found: Markdown took it from text it wrote)."""
    if not strays:
        return
    plain = without_code(doc.body)
    places: dict[str, list[int]] = collections.defaultdict(list)
    for found in STRAY_RE.finditer(plain):
        if not plain.endswith("\\", 0, found.start()) and not cites_at(plain, found.start()):
            places[_ESCAPE_RE.sub(r"\1", found[0])].append(found.start())
    seen: collections.Counter[str] = collections.Counter()
    for stray in strays:
        written = places.get(stray) or [0]
        where = body_location(doc, origin, written[min(seen[stray], len(written) - 1)])
        seen[stray] += 1
        if stray.startswith(FOOTNOTE_MARK):
            label = stray[2:-1]
            diags.warning(
                where,
                f"footnote '{label}' is not defined, and '{stray}' is published as written",
                f"define it on a line of its own: '[^{label}]: its text'",
            )
            continue
        diags.warning(
            where,
            f"'{stray}' is not read as a citation and is published as written",
            "a citation is '[@key]', closed, with no '[' or '(' right after it; "
            "write '\\[@' to show the bracket",
        )


def _report_in_links(
    doc: Document, origin: Location, citations: tuple[tuple[str, str], ...], diags: Diagnostics
) -> None:
    """Each citation in a link's text or an image's description, published as written:
    the n-th of a kind where it is written the n-th time in such a text outside code."""
    if not citations:
        return
    plain = without_code(doc.body)
    seen: collections.Counter[tuple[str, str]] = collections.Counter()
    for citation, kind in citations:
        written = [found.span() for found in re.finditer(re.escape(citation), plain)]
        places = [start for start, end in written if _stands_in(kind, plain, start, end)] or [0]
        nth = seen[citation, kind]
        seen[citation, kind] += 1
        where = body_location(doc, origin, places[min(nth, len(places) - 1)])
        if kind == IMAGE:
            diags.warning(
                where,
                f"'{citation}' is in an image's description, where no citation can be, and "
                "is published as written",
                f"put it after the image, '![…](…) {citation}'",
            )
            continue
        diags.warning(
            where,
            f"'{citation}' is in a link's text, where no citation can be (its marker would "
            "be a link inside a link), and is published as written",
            f"put it after the link, '[…](…) {citation}', or write '\\{citation}' to show "
            "it as text",
        )


def _report_in_html(
    doc: Document, origin: Location, citations: tuple[tuple[str, str], ...], diags: Diagnostics
) -> None:
    """Each citation in a block of HTML, published as written, where it stands in the
    block; at the block's start if it is not written there as it reads (tags or
    references in it). A block Markdown changed (tabs made spaces) is not found: the
    citation is then told where it is next written, or at the body's start."""
    searched = 0  # the blocks come in the order of the text, and their citations
    after: dict[tuple[str, str], int] = {}  # where the next of a citation of a block is
    for citation, block in citations:
        start = doc.body.find(block, searched)
        if start < 0:
            place = max(doc.body.find(citation, searched), 0)
        else:
            searched = start
            end = start + len(block)
            place = doc.body.find(citation, after.get((citation, block), start), end)
            if place < 0:
                place = start
            else:
                after[citation, block] = place + 1
        where = body_location(doc, origin, place)
        diags.warning(
            where,
            f"'{citation}' is in a block of HTML, which Markdown leaves as it is, so it is no "
            "citation and is published as written",
            "write the paragraph in Markdown, outside the HTML, or write '&#91;' for the "
            "bracket itself",
        )


def _stands_in(kind: str, text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` stands where ``kind`` says: in an HTML link, or in
    the brackets of a Markdown link's text or an image's description."""
    if kind == HTML_LINK:
        return raw_link_depth(text[:start]) > 0
    opener = _link_opener(text, start, end)
    image = opener > 0 and text[opener - 1] == "!"
    return opener >= 0 and image == (kind == IMAGE)


def _link_opener(text: str, start: int, end: int) -> int:
    """Where the '[' stands of the link's text (or image's description) that holds
    ``text[start:end]``: the '[' before it with nothing closing it, whose ']' after it is
    followed by '(' or '['; -1 when it is in none."""
    depth = 0
    for opener in range(start - 1, -1, -1):
        char = text[opener]
        if char == "]":
            depth += 1
        elif char == "[":
            if depth == 0:
                break
            depth -= 1
        elif char == "\n" and text.startswith("\n", opener + 1):
            return -1  # a paragraph ends there
    else:
        return -1
    for at in range(end, len(text)):
        char = text[at]
        if char == "[":
            depth += 1
        elif char == "]":
            if depth == 0:
                return opener if text.startswith(("(", "["), at + 1) else -1
            depth -= 1
    return -1


# A backslash escape Markdown reads ('\\_' for '_'), in the text as written.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _report_unsafe_links(
    doc: Document, origin: Location, links: tuple[str, ...], diags: Diagnostics
) -> None:
    """Each unsafe URL where it is written as a link's: every place, when it is written
    more than once (the rendered body names each URL once)."""
    for url in links:
        written, offset = _written(doc.body, url)
        for place in _as_links(doc.body, written) or [offset]:
            diags.error(
                body_location(doc, origin, place),
                f"link or image URL '{written}' is not allowed: only http, https and mailto "
                "URLs and links within the site",
                "a browser reads '\\' as '/': write '/'" if "\\" in written else "",
            )


def _as_links(body: str, written: str) -> list[int]:
    """Where ``written`` stands as a link's target: after '](', '(', a quote or '=', not
    in the words of the text (a code span that shows it, say)."""
    pattern = r"(?:\]\(\s*<?|[\"'=]|^\[[^\]]*\]:\s*<?)" + re.escape(written)
    return [match.end() - len(written) for match in re.finditer(pattern, body, re.MULTILINE)]


def _written(body: str, url: str) -> tuple[str, int]:
    """A URL of the rendered body as the author wrote it, and where in the body: as it
    is, or as Markdown's escapes stand for it ('&lt;' for '<'), the whitespace in it as
    typed (Markdown turns a tab into spaces); at 0 if it cannot be found."""
    plain = html.unescape(url)
    for text in (url, plain):
        offset = body.find(text)
        if offset >= 0:
            return text, offset
    found = re.search(r"\s+".join(map(re.escape, plain.split())), body) if plain.split() else None
    return plain, found.start() if found else 0


def body_links(doc: Document, origin: Location, body_html: str) -> tuple[ContentLink, ...]:
    """The body's links to other content files, each with where it was written."""
    return tuple(
        ContentLink(
            link.href,
            link.target,
            link.fragment,
            body_location(doc, origin, _written_at(doc.body, link.written)),
        )
        for link in content_links(body_html, origin.path, LINKABLE)
    )


def _written_at(body: str, target: str) -> int:
    """Where a link's target stands in the body: after '(' or a quote, if it can be found."""
    for before in ("(", '"', "'", "<", ""):
        offset = body.find(before + target)
        if offset >= 0:
            return offset + len(before)
    return 0
