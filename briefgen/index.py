"""Stage 2: resolve keys against the registries and build the site's indexes.

Indexes are built in one pass over the briefings (newest first), so each list is
already in order and a source cited by thousands of briefings costs one append each.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from itertools import repeat
from operator import is_, itemgetter
from typing import Any

from briefgen import urls
from briefgen.archiving import archive_shares
from briefgen.crossref import link_files, old_keys, redirects, renames
from briefgen.diagnostics import Diagnostics, Location, did_you_mean
from briefgen.embargo import embargoed, scheduled, warn_dated_ahead
from briefgen.grading import check_claim_grades, check_grades, is_graded
from briefgen.model import (
    Briefing,
    Correction,
    Month,
    Page,
    References,
    Region,
    RegionNode,
    Site,
    Source,
    Tag,
    as_datetime,
)
from briefgen.names import fold, key_problem, same_folder, slugify
from briefgen.read.files import REGIONS_FILE, SOURCES_FILE
from briefgen.read.load import Content


def link(content: Content, diags: Diagnostics, now: dt.datetime, future: bool = False) -> Site:
    """The site as published at ``now``: briefings embargoed until later are left out
    of everything, or with ``future`` published and marked as scheduled."""
    zone = content.config.zone
    waiting = embargoed(content.briefings, now, zone)
    renamed = old_keys(content.briefings, content.sources, content.regions)
    if future:
        renamed, waiting = tuple(scheduled(renamed, waiting)), {}
    linked, linked_pages = link_files(
        renamed,
        content.pages,
        content.left_out,
        content.config.file_urls,
        diags,
        waiting,
        content.unmade,
        content.elsewhere,
    )
    held = [b for b in linked if b.path in waiting]
    # Newest first; briefings of the same moment in slug order (the sort is stable).
    by_slug = sorted((b for b in linked if b.path not in waiting), key=lambda b: b.slug)
    briefings = sorted(by_slug, key=lambda b: as_datetime(b.date, zone), reverse=True)
    warn_dated_ahead(briefings, now, zone, diags)
    _check_slugs([*briefings, *held], "briefing", diags)
    pages = sorted(linked_pages, key=_nav_order)
    _check_slugs(pages, "page", diags)

    sources = _link_sources(content.sources, briefings, diags)
    regions = _link_regions(content.regions, briefings, diags)
    parents = _region_parents(regions, diags)
    paths = {key: _ancestry(key, regions, parents) for key in regions}

    by_region: dict[str, list[Briefing]] = {key: [] for key in regions}
    by_source: dict[str, list[Briefing]] = {key: [] for key in sources}
    by_tag: dict[str, list[Briefing]] = defaultdict(list)
    by_month: dict[Month, list[Briefing]] = defaultdict(list)
    tags: dict[str, Tag] = {}
    for briefing in briefings:
        # A retracted briefing keeps its page but leaves the listings of news, the home
        # page's and the regions'; the record keeps it: the archive, sources and tags.
        if briefing.retraction is None:
            covered = {r.key for key in briefing.regions if key in paths for r in paths[key]}
            for key in covered:
                by_region[key].append(briefing)
        for key in briefing.sources:
            if key in by_source:
                by_source[key].append(briefing)
        for name, where in zip(briefing.tags, briefing.tag_locations, strict=True):
            slug = _tag_slug(name, where, tags, diags)
            if slug and (not by_tag[slug] or by_tag[slug][-1] is not briefing):
                by_tag[slug].append(briefing)
        date = briefing.date
        by_month[Month(date.year, date.month)].append(briefing)

    _check_embargoed(held, content, dict(tags), diags)
    _check_unmade(content.unmade, content, dict(tags), diags)
    tree = _tree(regions, parents, by_region)
    check_grades(content.config, sources, briefings, diags)
    check_claim_grades(sources, briefings, content.claims, diags)
    shares = archive_shares(content.config, sources, briefings, diags)
    return Site(
        config=content.config,
        briefings=tuple(briefings),
        pages=tuple(pages),
        sources=dict(sorted(sources.items())),
        regions=regions,
        region_tree=tree,
        by_region={key: tuple(items) for key, items in by_region.items()},
        by_source={key: tuple(items) for key, items in by_source.items()},
        tags=dict(sorted(tags.items())),
        by_tag={key: tuple(items) for key, items in sorted(by_tag.items())},
        by_month=tuple((month, tuple(by_month[month])) for month in _newest_first(by_month)),
        region_paths=paths,
        region_children={
            node.region.key: tuple(c.region for c in node.children) for node in _walk(tree)
        },
        redirects=redirects(briefings, pages, sources.values(), regions.values(), diags),
        listed=tuple(b for b in briefings if b.retraction is None),
        corrections=_corrections_log(briefings, zone),
        graded=is_graded(content.config, sources.values(), briefings),
        archive_shares=shares,
    )


def lists(site: Site) -> Iterator[tuple[Any, ...]]:
    """Every list of briefings of ``site`` that its pages show, in a fixed order (the
    corrections log's items are pairs, the briefing first)."""
    yield site.listed
    yield from site.by_region.values()
    yield from site.by_source.values()
    yield from site.by_tag.values()
    yield site.corrections


def replacing(site: Site, pairs: Iterable[tuple[Briefing, Briefing]]) -> Site:
    """``site`` with each briefing of ``pairs`` (one of the site's, and what to put in
    its place) replaced in every list that holds it: what :func:`link` makes of the
    site's files with those briefings edited where nothing that places them in the
    lists changed (all of their front matter but the title and the summary, see
    read/load.py, ``placed``). A list that holds none of them is the same list. Each
    is found by its identity, in C code that reads no briefing of a list: a list of
    10,000 looked through in about 0.2 ms, a quarter of the time that reading each
    one's path takes."""
    swaps = list(pairs)

    def swap(items: tuple[Any, ...]) -> tuple[Any, ...]:
        swapped: list[Any] | None = None
        for old, new in swaps:
            if any(map(is_, items, repeat(old))):  # each briefing is in a list once
                swapped = swapped or list(items)
                swapped[list(map(is_, items, repeat(old))).index(True)] = new
        return items if swapped is None else tuple(swapped)

    def swap_all(keyed: dict[str, tuple[Briefing, ...]]) -> dict[str, tuple[Briefing, ...]]:
        return {key: swap(items) for key, items in keyed.items()}

    corrected = tuple(map(itemgetter(0), site.corrections))  # once for each correction
    by_id = {id(old): new for old, new in swaps}
    return replace(
        site,
        briefings=swap(site.briefings),
        by_region=swap_all(site.by_region),
        by_source=swap_all(site.by_source),
        by_tag=swap_all(site.by_tag),
        by_month=tuple((month, swap(items)) for month, items in site.by_month),
        listed=swap(site.listed),
        corrections=site.corrections
        if swap(corrected) is corrected
        else tuple((by_id.get(id(b), b), c) for b, c in site.corrections),
    )


def _newest_first(months: Iterable[Month]) -> list[Month]:
    """The archive's months, newest first. A briefing counts in the month its date is
    written in, as the date its entry shows; its moment orders the briefings, so one
    written with another offset may come before a briefing of a later month."""
    return sorted(months, key=lambda m: (m.year, m.month), reverse=True)


def _check_embargoed(
    held: list[Briefing], content: Content, tags: dict[str, Tag], diags: Diagnostics
) -> None:
    """Briefings waiting for their ``publish_at`` are checked against the registries
    and the published ``tags`` now, like their slugs and links: the build that
    publishes them runs unattended."""
    if content.sources is not None:
        _link_sources(content.sources, held, diags)
    if content.regions is not None:
        _link_regions(content.regions, held, diags)
    for briefing in held:
        for name, where in zip(briefing.tags, briefing.tag_locations, strict=True):
            _tag_slug(name, where, tags, diags)


def _corrections_log(
    briefings: Iterable[Briefing], zone: dt.tzinfo | None
) -> tuple[tuple[Briefing, Correction], ...]:
    """Every correction of every briefing, newest first; those of one moment by the
    briefing's slug and their number, so the order never depends on the files."""
    log = [(b, c) for b in briefings for c in b.corrections]
    log.sort(key=lambda entry: (as_datetime(entry[1].date, zone), entry[0].slug, entry[1].number))
    return tuple(reversed(log))


def _nav_order(page: Page) -> tuple[bool, int, str, str, str]:
    """Pages with a weight first, lightest first and equal weights by title; then the
    pages without one. The slug settles the rest (it alone orders a site without weights)."""
    if page.weight is None:
        return (True, 0, "", "", page.slug)
    return (False, page.weight, page.title.casefold(), page.title, page.slug)


def _tag_slug(name: str, where: Location, tags: dict[str, Tag], diags: Diagnostics) -> str:
    """The slug of the tag ``name`` (its page), added to ``tags``; '' when it has none."""
    slug = slugify(name)
    if not slug:
        diags.error(where, f"tag '{name}' has no letters or digits")
        return ""
    problem = key_problem(slug)
    if problem:
        diags.error(where, f"tag '{name}' would be published as '{slug}', which {problem}")
        return ""
    tag = tags.setdefault(slug, Tag(slug, name))
    if tag.name != name and fold(tag.name) != fold(name):
        diags.warning(
            where,
            f"tags '{tag.name}' and '{name}' share the page /tags/{slug}/",
            "rename one of them",
        )
    return slug


def _check_slugs(items: Iterable[Briefing | Page], what: str, diags: Diagnostics) -> None:
    """Two files may not publish to one URL, even if their slugs differ only in case."""
    first: dict[str, Briefing | Page] = {}
    for item in sorted(items, key=lambda i: i.path):
        folded = fold(item.slug)
        if folded in first:
            other = first[folded]
            if item.slug_location is None and fold(item.path) == fold(other.path):
                continue  # the files' names are told already (read/files.py)
            # Told at a 'slug:' that makes the clash, whichever file sorts first.
            blame_other = item.slug_location is None and other.slug_location is not None
            told, kept = (other, item) if blame_other else (item, other)
            diags.error(
                told.slug_location or told.location,
                f"{what} slug '{told.slug}' is already used by {kept.path}",
                "set a different 'slug:' in one of them",
            )
        else:
            first[folded] = item


def _link_sources(
    registry: dict[str, Source] | None, briefings: list[Briefing], diags: Diagnostics
) -> dict[str, Source]:
    if registry is None:
        used = [(c.source, c.source_location) for b in briefings for c in b.citations if c.source]
        return {key: Source(key=key, name=key) for key in _free_keys(used, "source", diags)}
    cited = [
        (c.source, c.source_location or b.location)
        for b in briefings
        for c in b.citations
        if c.source
    ]
    _check_known(registry, cited, "source", SOURCES_FILE, diags)
    return registry


def _link_regions(
    registry: dict[str, Region] | None, briefings: list[Briefing], diags: Diagnostics
) -> dict[str, Region]:
    if registry is None:
        used = [pair for b in briefings for pair in zip(b.regions, b.region_locations, strict=True)]
        return {key: Region(key=key, name=key) for key in _free_keys(used, "region", diags)}
    placed = [pair for b in briefings for pair in zip(b.regions, b.region_locations, strict=True)]
    _check_known(registry, placed, "region", REGIONS_FILE, diags)
    return registry


def _check_known(
    registry: Mapping[str, object],
    used: Iterable[tuple[str, Location]],
    what: str,
    file: str,
    diags: Diagnostics,
) -> None:
    """Report each key of ``used`` that ``registry`` (read from ``file``) lacks, with the
    known keys nearest it: those close enough to be a slip, else the three most alike."""
    for key, where in used:
        if key not in registry:
            hint = did_you_mean(key, registry)
            if not hint:
                alike = [f"'{k}'" for k in difflib.get_close_matches(key, sorted(registry), 3, 0)]
                such = " or ".join([", ".join(alike[:-1]), alike[-1]] if len(alike) > 1 else alike)
                hint = "add it there" + (f", or use a key it has, such as {such}" if such else "")
            diags.error(where, f"unknown {what} '{key}' (not in {file})", hint)


def _check_unmade(
    unmade: Iterable[References], content: Content, tags: dict[str, Tag], diags: Diagnostics
) -> None:
    """What the briefings that could not be made name is checked as a briefing's would
    be, so that one run reports every error of their files."""
    for names in unmade:
        if content.sources is not None:
            sources = zip(names.sources, names.source_locations, strict=True)
            _check_known(content.sources, sources, "source", SOURCES_FILE, diags)
        if content.regions is not None:
            regions = zip(names.regions, names.region_locations, strict=True)
            _check_known(content.regions, regions, "region", REGIONS_FILE, diags)
        for name, where in zip(names.tags, names.tag_locations, strict=True):
            _tag_slug(name, where, tags, diags)


def _free_keys(
    used: Iterable[tuple[str, Location | None]], what: str, diags: Diagnostics
) -> list[str]:
    """The keys used where no registry lists them, sorted; of keys that differ only in
    case, the first in sort order is kept and the others are reported where used."""
    places: dict[str, list[Location]] = defaultdict(list)
    for key, where in used:
        places[key] += [where] if where is not None else []
    kept: dict[str, str] = {}
    for key in sorted(places):
        other = kept.setdefault(fold(key), key)
        if other != key:
            for where in sorted(set(places[key])):
                diags.error(where, same_folder(what, key, other))
    return sorted(kept.values())


def _region_parents(regions: dict[str, Region], diags: Diagnostics) -> dict[str, str]:
    """Each region's parent key, an old key (an alias) read as the key it became, as
    briefings' are; unknown parents and cycles are reported and cut."""
    parents = {}
    renamed = renames(regions, urls.region)
    for key, region in regions.items():
        if not region.parent:
            continue
        if region.parent in renamed:
            parents[key] = renamed[region.parent]
            continue
        if region.parent not in regions:
            diags.error(
                region.parent_location or region.location or Location(REGIONS_FILE),
                f"region '{key}' has unknown parent '{region.parent}'",
                did_you_mean(region.parent, regions)
                or f"add a region '{region.parent}' to {REGIONS_FILE}, or remove this parent",
            )
            continue
        parents[key] = region.parent
    reported: set[str] = set()
    for key in regions:
        seen = [key]
        current = parents.get(key)
        while current is not None and current not in seen:
            seen.append(current)
            current = parents.get(current)
        if current == key and key not in reported:
            reported.update(seen)  # one error per cycle, at its first region
            region = regions[key]
            cycle = " -> ".join([*seen, key])
            diags.error(
                region.parent_location or region.location or Location(REGIONS_FILE),
                f"region parents form a cycle: {cycle}",
                "a region cannot be inside itself: remove one of these parents",
            )
    for key in list(parents):
        if _in_cycle(key, parents):
            del parents[key]
    _limit_depth(regions, parents, diags)
    return parents


MAX_REGION_DEPTH = 20  # levels from a root region; the deepest real hierarchy is a few


def _limit_depth(regions: dict[str, Region], parents: dict[str, str], diags: Diagnostics) -> None:
    """Report a region tree deeper than MAX_REGION_DEPTH, at the first region too deep,
    and cut the regions below that depth loose (the build fails anyway)."""
    depth: dict[str, int] = {}
    for key in regions:
        chain = [key]
        while chain[-1] in parents and chain[-1] not in depth:
            chain.append(parents[chain[-1]])
        known = depth.get(chain[-1], 1)
        depth[chain[-1]] = known
        for offset, below in enumerate(reversed(chain[:-1]), start=1):
            depth[below] = known + offset
    for key, level in depth.items():
        if level == MAX_REGION_DEPTH + 1:
            diags.error(
                regions[key].location or Location(REGIONS_FILE),
                f"region '{key}' is {MAX_REGION_DEPTH + 1} levels deep; "
                f"at most {MAX_REGION_DEPTH} are allowed",
                "give it a parent nearer the top",
            )
        if level > MAX_REGION_DEPTH:
            parents.pop(key, None)


def _in_cycle(key: str, parents: dict[str, str]) -> bool:
    seen = set()
    current: str | None = key
    while current is not None and current not in seen:
        seen.add(current)
        current = parents.get(current)
    return current is not None


def _ancestry(key: str, regions: dict[str, Region], parents: dict[str, str]) -> tuple[Region, ...]:
    """The region and its ancestors, root first."""
    chain = [regions[key]]
    while chain[-1].key in parents:
        chain.append(regions[parents[chain[-1].key]])
    return tuple(reversed(chain))


def _tree(
    regions: dict[str, Region], parents: dict[str, str], by_region: dict[str, list[Briefing]]
) -> tuple[RegionNode, ...]:
    children: dict[str, list[str]] = defaultdict(list)
    for key, parent in parents.items():
        children[parent].append(key)

    def node(key: str) -> RegionNode:
        kids = sorted(children[key], key=lambda k: (regions[k].name.casefold(), k))
        return RegionNode(regions[key], len(by_region[key]), tuple(node(k) for k in kids))

    roots = sorted(
        (k for k in regions if k not in parents), key=lambda k: (regions[k].name.casefold(), k)
    )
    return tuple(node(key) for key in roots)


def _walk(nodes: Iterable[RegionNode]) -> Iterable[RegionNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)
