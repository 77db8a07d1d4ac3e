"""Stage 2, between items: links to content files given their pages' URLs, and the
old URLs of renamed items (``aliases:``) made redirects to where they live now.

Both need every item's slug or key, so neither can be done while files are read.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TypeVar

from briefgen import urls
from briefgen.diagnostics import Diagnostics, Location, did_you_mean
from briefgen.model import (
    Briefing,
    ContentLink,
    LinkedBody,
    Page,
    Redirect,
    References,
    Region,
    Source,
)
from briefgen.names import fold, slug_of_name
from briefgen.read.load import PAGES_DIR

Item = TypeVar("Item", Briefing, Page)


def link_files(
    briefings: tuple[Briefing, ...],
    pages: tuple[Page, ...],
    left_out: dict[str, bool],
    file_urls: bool,
    diags: Diagnostics,
    embargoed: Mapping[str, dt.datetime] | None = None,
    unmade: Iterable[References] = (),
    elsewhere: Mapping[str, str] | None = None,
) -> tuple[tuple[Briefing, ...], tuple[Page, ...]]:
    """The items with their links to briefing and page files pointing at those files'
    pages (at their index.html, with ``file_urls``); a link to a file that is not
    published is reported where it was written, in the items and in the files that
    could not be made into one (``unmade``) alike.

    ``embargoed`` briefings (file -> when they go live) are among ``briefings``: a
    link to one is reported unless it is from a briefing that goes live no sooner.
    ``elsewhere`` are briefings published but not among ``briefings`` (file -> site
    path): links to them lead there.
    """
    # By their names in one Unicode form: a file named on macOS (NFD) is linked to as
    # typed (NFC).
    published = {_nfc(path): site_path for path, site_path in (elsewhere or {}).items()}
    published.update({_nfc(b.path): urls.briefing(b.slug) for b in briefings})
    published.update({_nfc(p.path): urls.page(p.slug) for p in pages})
    waiting = {_nfc(path): until for path, until in (embargoed or {}).items()}
    unpublished = {_nfc(path): draft for path, draft in left_out.items()}

    def target(link: ContentLink, rel: str, own: dt.datetime | None) -> str | None:
        """Where ``link``, in the file ``rel``, leads; None, reported, where nowhere."""
        file = _nfc(link.target)
        until = waiting.get(file)
        if until is not None and (own is None or until > own):
            _link_to_embargoed(link.href, link.location, until, own, diags)
            return None
        site_path = published.get(file)
        if site_path is not None:
            return urls.from_body(f"/{site_path}{link.fragment}", file_urls)
        if file not in unpublished:
            _no_such_file(rel, link.href, link.location, [*published, *unpublished], diags)
        elif unpublished[file]:
            diags.error(
                link.location,
                f"link '{html.unescape(link.href)}' is to a draft, which is not published",
                "publish it first, or build with --drafts to preview",
            )
        else:
            return urls.from_body(f"/{unread_page(link.target)}{link.fragment}", file_urls)
        return None

    def linked(item: Item) -> Item:
        own = waiting.get(_nfc(item.path))
        found = {link.href: target(link, item.path, own) for link in item.links}
        hrefs = {href: to for href, to in found.items() if to is not None}
        return replace(item, body=LinkedBody(item.body, hrefs)) if hrefs else item

    for names in unmade:
        for link in names.links:
            target(link, link.location.path, None)
    return tuple(map(linked, briefings)), tuple(map(linked, pages))


def _nfc(rel: str) -> str:
    return unicodedata.normalize("NFC", rel)


def unread_page(rel: str) -> str:
    """The site path of the briefing or page file ``rel``, which could not be read
    (reported), as its file name gives it: where a link to it is taken to lead, so
    that the links of a build that failed are checked without blaming that file's."""
    folder, _, name = rel.rpartition("/")
    slug = slug_of_name(name.removesuffix(".md"))
    return urls.page(slug) if folder.startswith(PAGES_DIR) else urls.briefing(slug)


def _link_to_embargoed(
    href: str, where: Location, until: dt.datetime, own: dt.datetime | None, diags: Diagnostics
) -> None:
    written = html.unescape(href)
    if own is None:
        diags.error(
            where,
            f"link '{written}' is to a briefing embargoed until {until.isoformat()}, "
            "which is not published yet",
            "link to it once it is published, or build with --future to preview",
        )
    else:
        diags.error(
            where,
            f"link '{written}' is to a briefing embargoed until {until.isoformat()}, "
            f"after this one is published ({own.isoformat()})",
            "give this briefing a 'publish_at' no earlier than that one's",
        )


def _no_such_file(
    rel: str, href: str, where: Location, files: list[str], diags: Diagnostics
) -> None:
    written = html.unescape(href)
    folder = posixpath.dirname(rel)
    path = written.partition("#")[0]
    missing = posixpath.normpath(posixpath.join(folder, path))
    diags.error(
        where,
        f"link '{written}' is to no briefing or page: there is no file {missing}",
        did_you_mean(path, (posixpath.relpath(file, folder) for file in files)),
    )


def old_keys(
    briefings: tuple[Briefing, ...],
    sources: dict[str, Source] | None,
    regions: dict[str, Region] | None,
) -> tuple[Briefing, ...]:
    """The briefings with the old keys of renamed sources and regions (their aliases)
    replaced by the new ones, so renaming a key needs no edit of every briefing."""
    new_source = renames(sources, urls.source)
    new_region = renames(regions, urls.region)
    if not new_source and not new_region:
        return briefings

    def renamed(briefing: Briefing) -> Briefing:
        citations = tuple(
            replace(c, source=new_source[c.source]) if c.source in new_source else c
            for c in briefing.citations
        )
        regions = tuple(new_region.get(key, key) for key in briefing.regions)
        if citations == briefing.citations and regions == briefing.regions:
            return briefing
        return replace(briefing, citations=citations, regions=regions)

    return tuple(map(renamed, briefings))


def renames(
    registry: dict[str, Source] | dict[str, Region] | None, section: Callable[[str], str]
) -> dict[str, str]:
    """Each old key of the registry's entries (an alias in their own section) -> its key."""
    found = {}
    for key, entry in (registry or {}).items():
        for path in entry.aliases:
            old = path.split("/")[-2]
            if section(old) == path and old not in (registry or {}):
                found[old] = key
    return found


def redirects(
    briefings: Iterable[Briefing],
    pages: Iterable[Page],
    sources: Iterable[Source],
    regions: Iterable[Region],
    diags: Diagnostics,
) -> tuple[Redirect, ...]:
    """A redirect from each alias to its item's page, sorted by path; an alias that
    is the URL of an item, or an alias of another one too, is reported."""
    items: list[tuple[str, str, tuple[str, ...], tuple[Location, ...]]] = [
        *((urls.briefing(b.slug), b.title, b.aliases, b.alias_locations) for b in briefings),
        *((urls.page(p.slug), p.title, p.aliases, p.alias_locations) for p in pages),
        *((urls.source(s.key), s.name, s.aliases, s.alias_locations) for s in sources),
        *((urls.region(r.key), r.name, r.aliases, r.alias_locations) for r in regions),
    ]
    taken = {fold(path): f"the page of '{title}'" for path, title, _, _ in items}
    found = []
    for target, title, aliases, locations in items:
        for path, where in zip(aliases, locations, strict=True):
            if fold(path) in taken:
                diags.error(
                    where,
                    f"alias '/{path}' is already {taken[fold(path)]}",
                    "remove the alias, or rename what has that URL",
                )
                continue
            taken[fold(path)] = f"an alias in {where.path}"
            found.append(Redirect(path, target, title, where))
    return tuple(sorted(found, key=lambda r: r.path))
