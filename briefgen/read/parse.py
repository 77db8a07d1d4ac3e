"""A content file to a :class:`Briefing` or :class:`Page`: fields checked, body rendered."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath

from briefgen import urls
from briefgen.characters import describe
from briefgen.diagnostics import Diagnostics, Location, did_you_mean
from briefgen.markup.body import BodyRenderer
from briefgen.markup.citations import find_key, is_valid_key
from briefgen.markup.extension import CitedKeys, unlinked_markers
from briefgen.model import (
    Body,
    Briefing,
    Citation,
    Claim,
    ContentLink,
    Moment,
    Page,
    References,
    as_datetime,
    earlier,
    first_moment,
)
from briefgen.names import control_character, is_key, key_problem, slug_of_name, slugify
from briefgen.read.aliases import read_aliases
from briefgen.read.body import body_claims, body_links, body_location, render_body
from briefgen.read.corrections import modified, read_corrections
from briefgen.read.evidence import check_copy, read_credibility
from briefgen.read.fields import Fields, as_written, type_name
from briefgen.read.files import REGIONS_FILE, SOURCES_FILE
from briefgen.read.frontmatter import Document

BRIEFING_FIELDS = (
    "title",
    "date",
    "summary",
    "regions",
    "tags",
    "slug",
    "draft",
    "updated",
    "citations",
    "aliases",
    "corrections",
    "publish_at",
)
CITATION_FIELDS = (
    "source",
    "url",
    "title",
    "published",
    "quote",
    "lang",
    "translation",
    "archive",
    "credibility",
    "archived_at",
)
PAGE_FIELDS = ("title", "slug", "summary", "draft", "weight", "nav", "aliases")


# What a citation key may hold (markup/citations.KEY): said where one does not.
KEY_RULE = "may only hold letters, digits and '_', with '-', '.' or ':' only between them"
_KEY_BREAK_RE = re.compile(r"[^\w.:-]+")  # what a key it suggests has a '-' for
_NAME_RE = re.compile(r"[\w' -]+")  # words: a name, as a registry's entry has one


def _bad_key(what: str, key: str) -> tuple[str, str]:
    """The error of a region's or source's key that is none, and its hint. Keys name
    pages of the site, so they must be safe as one folder name; the one most often
    written instead is the entry's name ('Belgorod Oblast' for 'belgorod')."""
    suggestion = slugify(key)
    registry = REGIONS_FILE if what == "region" else SOURCES_FILE
    hint = ""
    if _NAME_RE.fullmatch(key) and is_key(suggestion):
        hint = f"write a key, such as '{suggestion}', or the one {registry} gives it"
    return f"{what} key '{key}' {key_problem(key)}", hint


def _slug(fields: Fields, rel: str) -> str:
    """The slug as written (or made from the file name), NFC-normalised as file systems
    may do; '' (reported) when it cannot name a folder of the output."""
    written = fields.data.get("slug")
    if isinstance(written, str) and not written.strip():
        fields.error("slug", "'slug' is empty", "remove it to take the file's name, or write one")
        return ""
    slug = unicodedata.normalize("NFC", fields.text("slug"))
    if slug:
        if not is_key(slug):
            suggestion = slugify(slug)
            fields.error(
                "slug",
                f"slug '{slug}' {key_problem(slug)}",
                f"try '{suggestion}'" if is_key(suggestion) else "",
            )
            return ""
        return slug
    slug = slug_of_name(PurePosixPath(rel).stem)
    if not is_key(slug):
        fields.diags.error(
            Location(rel, 1, 1),
            f"the file name gives the slug '{slug}', which {key_problem(slug)}",
            "set 'slug:' in the front matter",
        )
        return ""
    return slug


def _slug_location(fields: Fields) -> Location | None:
    return fields.value_at("slug") if "slug" in fields.data else None


def _citation(fields: Fields, key: str, number: int, uses: int) -> Citation:
    fields.check_known(CITATION_FIELDS, f"citation '{key}'")
    source = fields.text("source")
    written = fields.data.get("source")
    if not source and (written is None or isinstance(written, str)):  # else reported as read
        fields.diags.warning(
            fields.location, f"citation '{key}' names no source", "add 'source: <key>'"
        )
    elif source and not is_key(source):
        fields.error("source", *_bad_key("source", source))
        source = ""
    url = fields.url("url")
    published = fields.moment("published")
    archive = fields.url("archive")
    archived_at = fields.moment("archived_at")
    check_copy(fields, url, archive, archived_at, published)
    return Citation(
        key=key,
        number=number,
        uses=uses,
        source=source,
        url=url,
        title=fields.text("title"),
        published=published,
        quote=fields.text("quote"),
        lang=fields.language("lang"),
        translation=fields.text("translation"),
        archive=archive,
        location=fields.location,
        source_location=fields.value_at("source"),
        credibility=read_credibility(fields),
        archived_at=archived_at,
        # Where 'archive' is written, if it is: also where it is refused, so that no
        # warning says the citation has no copy where an error says its copy is wrong.
        archive_location=(
            fields.value_at("archive")
            if "archive" in fields.data and not fields.blank("archive")
            else None
        ),
    )


def parse_briefing(
    doc: Document,
    origin: Location,
    renderer: BodyRenderer,
    diags: Diagnostics,
    zone: dt.tzinfo | None = None,
) -> tuple[Briefing, tuple[Claim, ...]] | References | None:
    """The briefing of ``doc``, with its body's claims; its times without an offset are
    read in ``zone``. When its title, date or slug is wrong (reported), what it names
    instead; None when its body cannot be read."""
    fields = Fields(doc.meta, doc.positions, diags, zone=zone)
    fields.check_known(BRIEFING_FIELDS, "a briefing")
    title = fields.text("title", required=True)
    date = fields.moment("date", required=True)
    publish_at = _publish_at(fields, date)
    body = render_body(doc, origin, renderer, diags)
    if body is None:
        return None
    citations = _citations(doc, origin, fields, body.cited, diags)
    regions = _regions(fields, diags)
    tags = _tags(fields, diags)
    slug = _slug(fields, origin.path)
    aliases, alias_locations = read_aliases(fields, urls.briefing)
    corrections = read_corrections(fields, renderer, date)
    updated = _updated(fields, date)
    summary = fields.text("summary")
    draft = fields.flag("draft")
    if title is None or date is None or not slug:
        return _references(regions, tags, citations, body_links(doc, origin, body.html))
    briefing = Briefing(
        path=origin.path,
        slug=slug,
        title=title,
        date=date,
        summary=summary,
        regions=tuple(regions),
        tags=tuple(tags),
        draft=draft,
        updated=updated,
        citations=citations,
        body=Body(body.html, body.toc),
        location=origin.at(1, 1),
        region_locations=tuple(regions.values()),
        tag_locations=tuple(tags.values()),
        slug_location=_slug_location(fields),
        date_location=fields.value_at("date"),
        aliases=aliases,
        alias_locations=alias_locations,
        links=body_links(doc, origin, body.html),
        corrections=corrections,
        modified=modified(updated, corrections, zone, date),
        publish_at=publish_at,
    )
    return briefing, body_claims(doc, origin, body)


def _references(
    regions: dict[str, Location],
    tags: dict[str, Location],
    citations: tuple[Citation, ...],
    links: tuple[ContentLink, ...],
) -> References:
    """What a briefing that could not be made names, for the checks made once the
    registries are read and every file's page is known."""
    sources = [(c.source, c.source_location) for c in citations if c.source and c.source_location]
    return References(
        regions=tuple(regions),
        region_locations=tuple(regions.values()),
        sources=tuple(key for key, _ in sources),
        source_locations=tuple(where for _, where in sources),
        tags=tuple(tags),
        tag_locations=tuple(tags.values()),
        links=links,
    )


def _publish_at(fields: Fields, date: Moment | None) -> Moment | None:
    """The briefing's embargo, if it has one. Going live before its own date would
    publish a briefing dated in the future: that is reported, but allowed."""
    publish_at = fields.moment("publish_at")
    if publish_at is None or date is None:
        return publish_at
    if as_datetime(publish_at, fields.zone) < first_moment(date, fields.zone):
        fields.diags.warning(
            fields.value_at("publish_at"),
            f"'publish_at' ({publish_at.isoformat()}) is before the briefing's 'date' "
            f"({date.isoformat()}), so it would be published dated in the future",
            "set 'publish_at' to the date or later, or correct the date",
        )
    return publish_at


def _updated(fields: Fields, date: Moment | None) -> Moment | None:
    """When the briefing was last changed; a change before its own date is reported,
    since readers would see it updated before it was published."""
    updated = fields.moment("updated")
    if updated is not None and date is not None and earlier(updated, date, fields.zone):
        fields.diags.warning(
            fields.value_at("updated"),
            f"'updated' ({updated.isoformat()}) is before the briefing's 'date' "
            f"({date.isoformat()})",
            "set 'updated' to when the briefing last changed, or correct the date",
        )
    return updated


def _citations(
    doc: Document, origin: Location, fields: Fields, cited: CitedKeys, diags: Diagnostics
) -> tuple[Citation, ...]:
    """The citations defined in the front matter, in the order the body first cites
    them (those it never cites last); every key cited but not defined reported."""
    defined = fields.mapping("citations")
    # A key YAML reads as a number or true/false is told to be quoted, where it is
    # defined; its citations are not also told it is undefined.
    unquoted = {as_written(key).casefold() for key in defined if not isinstance(key, str)}
    for key in cited.keys:
        if key not in defined and key.casefold() not in unquoted:
            where = body_location(doc, origin, max(find_key(doc.body, key), 0))
            hint = did_you_mean(key, (str(k) for k in defined)) or "define it under 'citations:'"
            diags.error(where, f"citation '{key}' is not defined in the front matter", hint)
    citations = []
    for key in defined:
        where = fields.positions.key("citations", key)
        if not isinstance(key, str):
            diags.error(
                where, f"a citation key must be text, not {type_name(key)}", "quote the key"
            )
            continue
        if not is_valid_key(key):
            suggestion = _KEY_BREAK_RE.sub("-", key).strip("-.:")
            hint = f"try '{suggestion}'" if is_valid_key(suggestion) else ""
            diags.error(where, f"citation key '{key}' {KEY_RULE}", hint)
            continue
        child = Fields(defined, fields.positions, diags, ("citations",), fields.zone).child(key)
        if child is None:
            diags.error(where, f"citation '{key}' must be a mapping of fields like 'source:'")
            continue
        number = cited.number(key)
        if not number:
            diags.warning(
                where,
                f"citation '{key}' is defined but never cited in the text",
                f"cite it as [@{key}] or remove it",
            )
        citations.append(_citation(child, key, number, cited.uses_of(key)))
    citations.sort(key=lambda c: c.number or len(cited.keys) + 1)
    return tuple(citations)


def _regions(fields: Fields, diags: Diagnostics) -> dict[str, Location]:
    """Each region key, once, with where it was written."""
    regions: dict[str, Location] = {}
    for key, where in fields.text_list("regions"):
        if is_key(key):
            regions.setdefault(key, where)
        else:
            diags.error(where, *_bad_key("region", key))
    if not fields.data.get("regions"):  # none written; ones that cannot be read are reported
        diags.warning(fields.key_at("regions"), "briefing has no regions", "add 'regions: [key]'")
    return regions


def _tags(fields: Fields, diags: Diagnostics) -> dict[str, Location]:
    """Each tag, once, with where it was written."""
    tags: dict[str, Location] = {}
    for tag, where in fields.text_list("tags"):
        char = control_character(tag)
        if char:
            diags.error(where, f"tag '{tag}' holds the character {describe(char)}", "remove it")
        else:
            tags.setdefault(tag, where)
    return tags


def parse_page(
    doc: Document, origin: Location, renderer: BodyRenderer, diags: Diagnostics
) -> Page | References | None:
    """The page of ``doc``; when its title or slug is wrong (reported), the links its
    body makes instead; None when its body cannot be read."""
    fields = Fields(doc.meta, doc.positions, diags)
    fields.check_known(PAGE_FIELDS, "a page")
    title = fields.text("title", required=True)
    slug = _slug(fields, origin.path)
    aliases, alias_locations = read_aliases(fields, urls.page)
    summary = fields.text("summary")
    draft = fields.flag("draft")
    weight = fields.whole_number("weight")
    nav = fields.flag("nav", default=True)
    body = render_body(doc, origin, renderer, diags)
    if body is None:
        return None
    html = body.html
    if body.cited.keys:
        where = body_location(doc, origin, max(find_key(doc.body, body.cited.keys[0]), 0))
        diags.warning(where, "citations are for briefings; a page cannot cite", "write a link")
        html = unlinked_markers(html)  # a page has no source list to link to
    if not title or not slug:
        return References(links=body_links(doc, origin, html))
    return Page(
        path=origin.path,
        slug=slug,
        title=title,
        summary=summary,
        draft=draft,
        body=Body(html, body.toc),
        location=origin.at(1, 1),
        slug_location=_slug_location(fields),
        weight=weight,
        nav=nav,
        aliases=aliases,
        alias_locations=alias_locations,
        links=body_links(doc, origin, html),
    )
