"""The domain: sources, regions, citations, briefings, pages, and the linked site."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import urlsplit

from briefgen.diagnostics import Diagnostic, Location
from briefgen.urls import normalise_base_url

Moment = dt.date | dt.datetime


def as_datetime(moment: Moment, zone: dt.tzinfo | None = None) -> dt.datetime:
    """An aware datetime, for sorting and feeds: a date is its midnight, and a date or
    a time without an offset is read in ``zone`` (the site's timezone), else in UTC."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or dt.timezone.utc)
    return moment


# Where each day begins first (the Line Islands): a day that has begun nowhere yet is
# in the future wherever a curator is.
_EARLIEST = dt.timezone(dt.timedelta(hours=14))


def first_moment(moment: Moment, zone: dt.tzinfo | None = None) -> dt.datetime:
    """The first moment ``moment`` is here anywhere on Earth: a date and time is itself
    (read in ``zone`` without an offset, as :func:`as_datetime`), a date alone the moment
    its day begins at UTC+14. Before it, a briefing so dated is dated in the future,
    whatever the site's time zone and the curator's."""
    return as_datetime(moment, zone if isinstance(moment, dt.datetime) else _EARLIEST)


def machine_time(value: Moment) -> str:
    """``value`` as RFC 3339 and HTML's ``datetime`` write it: a date as itself, a time
    with an offset of whole minutes. A zone's local mean time, before its time was
    standardised, has seconds in its offset (Moscow's +02:30:17 in 1900), which neither
    allows, so such a time is written in UTC."""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    offset = value.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        value = value.astimezone(dt.timezone.utc)
    return value.isoformat()


def earlier(first: Moment, second: Moment, zone: dt.tzinfo | None = None) -> bool:
    """True when ``first`` is earlier than ``second``. Where either is a date alone it
    is compared by day: a date says which day, not that it began at midnight (a
    correction dated the day of a briefing published at 10:00 is not before it)."""
    if isinstance(first, dt.datetime) and isinstance(second, dt.datetime):
        return as_datetime(first, zone) < as_datetime(second, zone)
    return _day(first) < _day(second)


def _day(moment: Moment) -> dt.date:
    """The day of ``moment`` as written."""
    return moment.date() if isinstance(moment, dt.datetime) else moment


def in_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """A time without an offset read in ``zone``, with the fixed offset the zone has at
    that moment (so a summer and a winter time in Berlin get +02:00 and +01:00)."""
    offset = moment.replace(tzinfo=zone).utcoffset() or dt.timedelta(0)
    return moment.replace(tzinfo=dt.timezone(offset))


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Briefings"
    base_url: str = "http://localhost/"
    description: str = ""
    language: str = "en"
    per_page: int = 10
    author: str = ""
    feed_size: int = 20
    timezone: str = ""  # an IANA name, checked when read; '' for none
    file_urls: bool = False  # links name files ('x/index.html'), for a site opened from disk
    min_claim_words: int = 20  # a shorter paragraph is no claim that needs a citation; 0: no check
    coverage: float | None = None  # the share of its claims a briefing must cite, 0 to 1
    require_grades: bool = False  # warn of each citation and cited source without a grade
    # None: a citation without an archived copy is a warning; False: it is not checked;
    # True: it is an error; grades ('D', 'E'): an error for sources of those grades.
    require_archive: bool | tuple[str, ...] | None = None
    archive_hosts: tuple[str, ...] = ()  # accepted as web archives, besides the known ones
    search: bool = True  # a search page and box, and a Pagefind index made after every build
    # The theme's words overridden one by one: (English message, its text or plural forms).
    strings: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    search_part_size: int = 250  # briefings per part of the search index (render/search.py)

    @property
    def zone(self) -> dt.tzinfo | None:
        """The site's timezone, which dates and times without an offset are read in."""
        return zoneinfo.ZoneInfo(self.timezone) if self.timezone else None

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. '/briefs/' (always ends with '/')."""
        path = urlsplit(self.base_url).path
        return path if path.endswith("/") else path + "/"

    def absolute(self, path: str) -> str:
        """The full URL of a site path like 'regions/x/' (no leading slash)."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def with_base_url(self, base_url: str) -> SiteConfig:
        return replace(self, base_url=normalise_base_url(base_url))


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    name: str
    kind: str = ""
    url: str = ""
    country: str = ""
    reliability: str = ""
    description: str = ""
    location: Location | None = None
    aliases: tuple[str, ...] = ()  # keys it had before: their pages redirect to its own
    alias_locations: tuple[Location, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    key: str
    name: str
    parent: str = ""
    url: str = ""
    description: str = ""
    location: Location | None = None
    aliases: tuple[str, ...] = ()
    alias_locations: tuple[Location, ...] = ()
    parent_location: Location | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """One entry of a briefing's source list, numbered by first appearance."""

    key: str
    number: int  # 0 for a citation that the body never cites
    uses: int  # how many markers in the body point at it
    source: str
    url: str = ""
    title: str = ""
    published: Moment | None = None
    quote: str = ""
    lang: str = ""
    translation: str = ""
    archive: str = ""
    location: Location | None = None
    source_location: Location | None = None
    credibility: int = 0  # of this report, Admiralty scale 1 to 6; 0: not graded
    archived_at: Moment | None = None  # when the archived copy was made
    archive_location: Location | None = None  # where 'archive' is written, refused or not


CORRECTION_KINDS = ("correction", "clarification", "update", "retraction")


@dataclass(frozen=True, slots=True)
class Correction:
    """One entry of a briefing's ``corrections:``, numbered in date order from 1."""

    date: Moment
    kind: str  # one of CORRECTION_KINDS
    html: str  # the text, rendered and sanitised, without ids (it is shown more than once)
    number: int
    location: Location  # of the entry in the front matter


@dataclass(frozen=True, slots=True)
class Claim:
    """A paragraph, list item, table row or block quote of a briefing's body: a unit
    that should cite a source (the curator's assessment blocks are none).

    Made from the body alone, so it is cached with it; which claims are long enough
    to need a citation is the site's setting, decided when the site is linked.
    """

    kind: str  # 'paragraph', 'list item', 'table row' or 'block quote'
    location: Location  # its first line
    words: int  # in the text as published, citation markers left out
    keys: tuple[str, ...]  # the citations it rests on, first cited first
    opening: str  # its first words, for messages


def claim_words(claims: Iterable[Claim]) -> tuple[int, ...]:
    """Each claim's words, negative for one that cites nothing: all that the coverage
    check counts of a claim (a claim has a word at least)."""
    return tuple([c.words if c.keys else -c.words for c in claims])


class ClaimStore(Protocol):
    def claims(self, key: str, rel: str, words: tuple[int, ...]) -> tuple[Claim, ...]: ...


class StoredClaims:
    """A briefing's claims left in a store until a check needs them.

    Claims are 40% of what a briefing parses to, and a rebuild reads every briefing
    back from the store; but the coverage check counts them by their words alone
    (``words``, see :func:`claim_words`), and only a warning about a claim needs the
    claim itself: its place, what it cites and its opening words.
    """

    __slots__ = ("_key", "_rel", "_store", "words")

    def __init__(self, store: ClaimStore, key: str, rel: str, words: tuple[int, ...]) -> None:
        self._store = store
        self._key = key
        self._rel = rel
        self.words = words

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._store.claims(self._key, self._rel, self.words))

    def __len__(self) -> int:
        return len(self.words)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredClaims):
            return (self._store, self._key, self._rel) == (other._store, other._key, other._rel)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"StoredClaims({self._key!r})"


Claims = tuple[Claim, ...] | StoredClaims


def words_of(claims: Claims) -> tuple[int, ...]:
    """The words of each of ``claims`` (see :func:`claim_words`), without reading them
    from a store."""
    return claims.words if isinstance(claims, StoredClaims) else claim_words(claims)


@dataclass(frozen=True, slots=True)
class Body:
    """A briefing's or page's body as HTML, with its table of contents."""

    html: str
    toc: str


class BodyStore(Protocol):
    def body(self, key: str) -> Body: ...


class StoredBody:
    """A body left in a store until a page shows it.

    A build keeps every briefing's metadata in memory for the listings, but each
    body is shown on one page and in a few feeds: keeping bodies on disk until then
    keeps a large site's memory, and that of the processes rendering it, small.
    """

    __slots__ = ("_key", "_store")

    def __init__(self, store: BodyStore, key: str) -> None:
        self._store = store
        self._key = key

    @property
    def html(self) -> str:
        return self._store.body(self._key).html

    @property
    def toc(self) -> str:
        return self._store.body(self._key).toc

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredBody):
            return (self._store, self._key) == (other._store, other._key)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"StoredBody({self._key!r})"


@dataclass(frozen=True, slots=True)
class ContentLink:
    """A body's link to another content file (``../05/x.md#y``), published as a link
    to that file's page once every file's slug is known."""

    href: str  # as the body's HTML has it
    target: str  # the file linked to, relative to the site root
    fragment: str  # '#y', or ''
    location: Location


class LinkedBody:
    """A body whose links to content files point at those files' pages.

    The links are put in as the body is read, so a stored body stays where it is.
    """

    __slots__ = ("_body", "_hrefs")

    def __init__(self, body: Body | StoredBody | LinkedBody, hrefs: dict[str, str]) -> None:
        self._body = body
        self._hrefs = hrefs

    @property
    def html(self) -> str:
        return _HREF_RE.sub(self._link, self._body.html)

    @property
    def toc(self) -> str:
        return self._body.toc

    @property
    def hrefs(self) -> dict[str, str]:
        """Each link to a content file, as the body has it, and the page it points at."""
        return self._hrefs

    def _link(self, found: re.Match[str]) -> str:
        href = self._hrefs.get(found[2])
        return found[0] if href is None else f"{found[1]}{html.escape(href)}{found[3]}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LinkedBody):
            return (self._body, self._hrefs) == (other._body, other._hrefs)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._body)

    def __repr__(self) -> str:
        return f"LinkedBody({self._body!r}, {self._hrefs!r})"


# A link's href as sanitised HTML writes it: in double quotes, in an <a> tag.
_HREF_RE = re.compile(r'(<a\s[^>]*?\bhref=")([^"]*)(")')


class Bodied:
    """The ``html`` and ``toc`` of a briefing or page, wherever its body is kept."""

    __slots__ = ()
    body: Body | StoredBody | LinkedBody

    @property
    def html(self) -> str:
        return self.body.html

    @property
    def toc(self) -> str:
        return self.body.toc


@dataclass(frozen=True, slots=True)
class Briefing(Bodied):
    path: str  # relative to the site root
    slug: str
    title: str
    date: Moment
    summary: str
    regions: tuple[str, ...]
    tags: tuple[str, ...]
    draft: bool
    updated: Moment | None
    citations: tuple[Citation, ...]  # cited ones by number, then uncited ones
    body: Body | StoredBody | LinkedBody
    location: Location
    region_locations: tuple[Location, ...] = ()
    tag_locations: tuple[Location, ...] = ()
    slug_location: Location | None = None  # where 'slug:' is, or None for the file name
    date_location: Location | None = None  # where the value of 'date:' is
    digest: str = ""  # of the file's path and bytes: changes whenever the briefing does
    meta_digest: str = ""  # of everything but the body: what other pages may show of it
    aliases: tuple[str, ...] = ()  # site paths it was published at before ('briefings/old/')
    alias_locations: tuple[Location, ...] = ()
    links: tuple[ContentLink, ...] = ()
    corrections: tuple[Correction, ...] = ()  # oldest first
    modified: Moment | None = None  # the latest of 'updated' and the corrections' dates
    publish_at: Moment | None = None  # its embargo: published from this moment on
    scheduled: bool = False  # embargoed still, in a build that shows it (--future)

    @property
    def retraction(self) -> Correction | None:
        """The correction that retracts this briefing, if one does."""
        return next((c for c in self.corrections if c.kind == "retraction"), None)

    @property
    def cited(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.number)

    @property
    def sources(self) -> tuple[str, ...]:
        """Keys of the sources this briefing cites, in order of first citation."""
        return tuple(dict.fromkeys(c.source for c in self.cited if c.source))


@dataclass(frozen=True, slots=True)
class Page(Bodied):
    path: str
    slug: str
    title: str
    summary: str
    draft: bool
    body: Body | StoredBody | LinkedBody
    location: Location
    slug_location: Location | None = None
    digest: str = ""
    weight: int | None = None  # its place in the navigation: lighter first, none last
    nav: bool = True  # False: built, but linked from no navigation
    aliases: tuple[str, ...] = ()
    alias_locations: tuple[Location, ...] = ()
    links: tuple[ContentLink, ...] = ()

    @property
    def meta_digest(self) -> str:
        return self.digest


@dataclass(frozen=True, slots=True)
class References:
    """What a briefing or page that could not be made (its title, date or slug is
    wrong) names in the registries, as tags and by links to other files, each with
    where it is written: checked all the same, so that one run reports every error of
    the file."""

    regions: tuple[str, ...] = ()
    region_locations: tuple[Location, ...] = ()
    sources: tuple[str, ...] = ()
    source_locations: tuple[Location, ...] = ()
    tags: tuple[str, ...] = ()
    tag_locations: tuple[Location, ...] = ()
    links: tuple[ContentLink, ...] = ()  # its body's links to content files


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one briefing or page file parsed to, with the problems found in it."""

    item: Briefing | Page | None
    diagnostics: tuple[Diagnostic, ...]
    draft: bool = False  # marked 'draft: true', even if it failed to parse otherwise
    # A briefing's claims, from its body, in order: beside it, not in it, since only the
    # checks made before rendering read them (see StoredClaims).
    claims: Claims = ()
    references: References | None = None  # of a briefing that could not be made


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @property
    def anchor(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old URL of a renamed item (an alias), and the page it moved to."""

    path: str  # site path of the old URL, e.g. 'briefings/old-slug/'
    target: str  # site path of the page it redirects to
    title: str  # of that page
    location: Location  # where the alias was written


@dataclass(frozen=True, slots=True)
class RegionNode:
    """A region in the tree, with the number of briefings in it or below it."""

    region: Region
    count: int
    children: tuple[RegionNode, ...] = ()


@dataclass(frozen=True, slots=True)
class ArchiveShare:
    """How many of a source's citations that link somewhere have an archived copy."""

    archived: int
    total: int

    @property
    def percent(self) -> int:
        """The share in whole percent, rounded, but never 0 or 100 unless it is exactly."""
        if not self.total:
            return 0
        rounded = (200 * self.archived + self.total) // (2 * self.total)
        if self.archived < self.total:
            rounded = min(rounded, 99)
        return max(rounded, 1) if self.archived else 0


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the templates need, linked and indexed; briefings newest first."""

    config: SiteConfig
    briefings: tuple[Briefing, ...]
    pages: tuple[Page, ...]
    sources: dict[str, Source]
    regions: dict[str, Region]
    region_tree: tuple[RegionNode, ...]
    by_region: dict[str, tuple[Briefing, ...]]  # rolled up: a town's briefings count for its oblast
    by_source: dict[str, tuple[Briefing, ...]]
    tags: dict[str, Tag]
    by_tag: dict[str, tuple[Briefing, ...]]
    by_month: tuple[tuple[Month, tuple[Briefing, ...]], ...]
    region_paths: dict[str, tuple[Region, ...]]  # each region with its ancestors, root first
    region_children: dict[str, tuple[Region, ...]]
    redirects: tuple[Redirect, ...] = ()
    listed: tuple[Briefing, ...] = ()  # the briefings not retracted: the home page's
    corrections: tuple[tuple[Briefing, Correction], ...] = ()  # every one, newest first
    graded: bool = False  # a source or citation has a grade: the grading legend is published
    archive_shares: dict[str, ArchiveShare] = field(default_factory=dict)  # by source key

    @property
    def searchable(self) -> bool:
        """True when the site has a search page and box, and an index to search: search
        is on, there is a briefing to find, and the site is served (opened from disk,
        with ``file_urls``, a page may not load the index)."""
        return self.config.search and bool(self.briefings) and not self.config.file_urls

    @property
    def corrected(self) -> bool:
        """True when a briefing has a correction, so the corrections log is published.
        (A page that links to the log reads this, not the log: see render/reads.py.)"""
        return bool(self.corrections)

    @property
    def nav_pages(self) -> tuple[Page, ...]:
        """The pages the header and footer link to, in order (those without 'nav: false')."""
        return tuple(page for page in self.pages if page.nav)
