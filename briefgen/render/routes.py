"""The site's routes: every page of the built site, as plain data (site path,
template, context), listed up front.

Rendering is done one route at a time (:mod:`render.page`), so a build never holds
every page in memory and the preview can render just the page a browser asks for.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import compress
from operator import is_not
from typing import Any

from briefgen import urls
from briefgen.diagnostics import Diagnostics, Location
from briefgen.index import lists
from briefgen.model import Briefing, Site, as_datetime
from briefgen.names import fold
from briefgen.theme_folders import TEMPLATES_DIR


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of a paginated listing."""

    items: Sequence[Briefing]
    number: int
    count: int
    total: int
    base: str  # the listing's first page, e.g. 'regions/x/'

    def path(self, number: int) -> str:
        if self.base == "":
            return urls.home(number)
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def previous(self) -> str | None:
        return self.path(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.path(self.number + 1) if self.number < self.count else None


@dataclass(frozen=True, slots=True)
class Route:
    path: str  # site path, e.g. 'briefings/x/'
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True

    @property
    def output_file(self) -> str:
        return urls.output_file(self.path)

    @property
    def origin(self) -> Location:
        """The file the page's own content comes from: its briefing or page, or else
        its template."""
        redirect = self.context.get("redirect")
        if redirect is not None:
            location: Location = redirect.location
            return location
        item = self.context.get("briefing") or self.context.get("page")
        return Location(item.path if item is not None else f"{TEMPLATES_DIR}/{self.template}")


def _paginate(
    base: str,
    items: Sequence[Briefing],
    per_page: int,
    template: str,
    *,
    holding: Holding = None,
    **context: Any,
) -> Iterator[Route]:
    count = max(1, math.ceil(len(items) / per_page))
    for number in range(1, count + 1):
        chunk = items[(number - 1) * per_page : number * per_page]
        if not _holds(chunk, holding):
            continue
        paginator = Paginator(chunk, number, count, len(items), base)
        yield Route(paginator.path(number), template, {**context, "paginator": paginator})


def feed(
    of: str,
    title: str,
    items: Sequence[Briefing],
    site: Site,
    newest: Callable[[], dt.datetime] | None = None,
) -> Route:
    """The Atom feed of the listing at the site path ``of``: its newest ``items``.
    ``newest`` gives the site's newest change (:func:`_newest`), for a listing with
    none: made once for every empty listing of a site, it took a look at every
    briefing each (a registry of 4,000 sources, most of them not cited yet, took 36 s
    to link 4,000 briefings)."""
    entries = items[: site.config.feed_size]
    zone = site.config.zone
    moments = [as_datetime(b.modified or b.date, zone) for b in entries]
    updated = max(moments) if moments else (newest or partial(_newest, site))()
    return Route(
        urls.feed(of),
        "feed.xml",
        {"feed_title": title, "alternate": of, "entries": entries, "updated": updated},
        in_sitemap=False,
    )


def _newest(site: Site) -> dt.datetime:
    """The feed time of an empty listing: the site's newest change, for reproducible output."""
    zone = site.config.zone
    if site.briefings:
        return max(as_datetime(b.modified or b.date, zone) for b in site.briefings)
    return as_datetime(dt.date(1970, 1, 1), site.config.zone)


def _corrections(site: Site) -> list[Route]:
    """The corrections log and its feed, once the site has a correction."""
    if not site.corrections:
        return []
    entries = site.corrections[: site.config.feed_size]
    updated = as_datetime(entries[0][1].date, site.config.zone)
    context = {
        "feed_title": f"{site.config.title}: Corrections",  # for a site's own template of before
        "alternate": urls.corrections(),
        "entries": entries,
        "updated": updated,
    }
    return [
        Route(urls.corrections(), "corrections.html"),
        Route(urls.feed(urls.corrections()), "corrections.xml", context, in_sitemap=False),
    ]


Section = tuple[str, Callable[[], list[Route]]]  # a folder, and the routes of its pages
# A registry's pages: its index's path and template; each entry's path, template and
# name in the template's context; the entries, by key, and the briefings of each.
_Kind = tuple[
    str, str, Callable[[str], str], str, str, Mapping[str, Any], Mapping[str, Sequence[Briefing]]
]


@dataclass(frozen=True, slots=True)
class _Asked:
    """The pages asked for: those that show one of ``briefings``, which the lists
    ``lists`` hold and no other list of the site (each by ``id``)."""

    briefings: frozenset[int]
    lists: frozenset[int]


Holding = _Asked | None  # None: every page


def _holds(items: Iterable[Any], holding: Holding) -> bool:
    """Whether ``items``, a page's briefings, hold one of those asked for."""
    return holding is None or not holding.briefings.isdisjoint(map(id, items))


def _holding_list(items: object, holding: Holding) -> bool:
    """Whether ``items``, a list of the site, holds one of the briefings asked for."""
    return holding is None or id(items) in holding.lists


def routes(site: Site) -> list[Route]:
    """Every page of the site, in a fixed order."""
    out = [route for _, made in _sections(site) for route in made()]
    return [*out, *_sitemaps(out)]


SITEMAP_URLS = 50_000  # the most one sitemap may list (sitemaps.org)


def _sitemaps(pages: list[Route]) -> list[Route]:
    """The sitemap of ``pages``; above :data:`SITEMAP_URLS` of them, one sitemap for
    each that many, named ``sitemap-N.xml``, and ``sitemap.xml`` their index."""
    listed = [r.path for r in pages if r.in_sitemap]
    lastmod = {r.path: b.modified or b.date for r in pages if (b := r.context.get("briefing"))}
    if len(listed) <= SITEMAP_URLS:
        context = {"paths": listed, "lastmod": lastmod}
        return [Route("sitemap.xml", "sitemap.xml", context, in_sitemap=False)]
    parts = [listed[start : start + SITEMAP_URLS] for start in range(0, len(listed), SITEMAP_URLS)]
    files = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
    return [
        *(
            Route(file, "sitemap.xml", {"paths": part, "lastmod": lastmod}, in_sitemap=False)
            for file, part in zip(files, parts, strict=True)
        ),
        Route("sitemap.xml", "sitemapindex.xml", {"sitemaps": files}, in_sitemap=False),
    ]


def routes_of(site: Site, files: Iterable[str]) -> dict[str, Route]:
    """The routes of the pages the output ``files`` hold, by file: a patch renders a
    few pages of a site of 27,000, whose every route took 0.2 s to make at 10,000
    briefings. Only the sections of the site whose folder holds one of the files are
    made (a listing's, a region's, one briefing's); the sitemap, which names every
    page, is not among them."""
    wanted = set(files)
    folders = {rel[: at + 1] for rel in wanted for at, c in enumerate(rel) if c == "/"}
    folders.add("")
    found: dict[str, Route] = {}
    for folder, made in _sections(site):
        if folder in folders:
            found.update((r.output_file, r) for r in made() if r.output_file in wanted)
    return found


def routes_changed(before: Site, now: Site) -> list[Route]:
    """The routes of ``now``, ``before`` with briefings replaced in its lists (see
    :func:`index.replacing`), that show one of those briefings: its page, and each
    page of a list, or feed, that holds it. Every other route of ``now`` is
    ``before``'s."""
    pairs = zip(lists(before), lists(now), strict=True)
    changed = frozenset(id(items) for was, items in pairs if was is not items)
    replaced = compress(now.briefings, map(is_not, before.briefings, now.briefings))
    asked = _Asked(frozenset(map(id, replaced)), changed)
    return [route for _, made in _sections(now, asked) for route in made()]


def _sections(site: Site, holding: Holding = None) -> Iterator[Section]:
    """The site's pages, section by section, in the order of :func:`routes`; with
    ``holding``, only the pages that show one of its briefings."""
    newest = cache(partial(_newest, site))
    every = holding is None
    if _holding_list(site.listed, holding):
        yield "", partial(_listing, site, newest, "", site.listed, "index.html",
                          site.config.title, holding=holding)  # fmt: skip
        yield urls.briefing_index(), partial(_briefing_index, site, holding)
    for b in site.briefings:
        if holding is None or id(b) in holding.briefings:
            path = urls.briefing(b.slug)
            yield path, partial(_one, path, "briefing.html", {"briefing": b})

    # The regions', sources' and tags' index pages, each followed by its entries' lists.
    kinds: tuple[_Kind, ...] = (
        (urls.region_index(), "regions.html", urls.region, "region.html", "region",
         site.regions, site.by_region),
        (urls.source_index(), "sources.html", urls.source, "source.html", "source",
         site.sources, site.by_source),
        (urls.tag_index(), "tags.html", urls.tag, "tag.html", "tag", site.tags, site.by_tag),
    )  # fmt: skip
    for index, indexed, url, template, name, registry, by_key in kinds:
        if every:
            yield index, partial(_one, index, indexed)
        for key, entry in registry.items():
            items = by_key[key]
            if _holding_list(items, holding):
                title = f"{site.config.title}: {entry.name}"
                yield url(key), partial(_listing, site, newest, url(key), items, template,
                                        title, holding=holding, **{name: entry})  # fmt: skip

    if every:
        yield urls.archive(), partial(_one, urls.archive(), "archive.html")
    if _holding_list(site.corrections, holding):
        yield urls.corrections(), partial(_corrections, site)
    if not every:
        return  # no other page holds a briefing
    if site.graded:
        yield urls.grading(), partial(_one, urls.grading(), "grading.html")
    for p in site.pages:
        yield urls.page(p.slug), partial(_one, urls.page(p.slug), "page.html", {"page": p})
    yield "", lambda: [Route(r.path, "redirect.html", {"redirect": r}, in_sitemap=False)
                       for r in site.redirects]  # fmt: skip
    if site.searchable:
        yield urls.search(), lambda: [Route(urls.search(), "search.html", in_sitemap=False)]
    yield "", lambda: [Route("404.html", "404.html", {"root_relative": True}, in_sitemap=False)]


def _briefing_index(site: Site, holding: Holding) -> list[Route]:
    """The pages of the list of every briefing (the home page's, with no feed)."""
    return list(_paginate(urls.briefing_index(), site.listed, site.config.per_page,
                          "briefings.html", holding=holding))  # fmt: skip


def _one(path: str, template: str, context: dict[str, Any] | None = None) -> list[Route]:
    return [Route(path, template, context or {})]


def _listing(
    site: Site,
    newest: Callable[[], dt.datetime],
    base: str,
    items: Sequence[Briefing],
    template: str,
    title: str,
    *,
    holding: Holding = None,
    **context: Any,
) -> list[Route]:
    """The pages of a listing at ``base``, and its feed; with ``holding``, those of
    them that show one of its briefings."""
    pages = list(_paginate(base, items, site.config.per_page, template, holding=holding,
                           **context))  # fmt: skip
    if _holds(items[: site.config.feed_size], holding):
        pages.append(feed(base, title, items, site, newest))
    return pages


def check_redirects(all_routes: list[Route], diags: Diagnostics) -> None:
    """An old URL may not take the place of a page of the site (a tag, a listing's
    second page): those are only known once every route is."""
    pages = {fold(r.path) for r in all_routes if "redirect" not in r.context}
    for route in all_routes:
        redirect = route.context.get("redirect")
        if redirect is not None and fold(route.path) in pages:
            diags.error(
                redirect.location,
                f"alias '/{route.path}' is already a page of the site",
                "remove the alias",
            )
