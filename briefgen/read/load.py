"""Stage 1: find the site's files and parse each into model values.

Parsing one file depends on that file alone (its path and bytes), so results are
reused across builds (the persistent cache), across rebuilds of the preview (a
cache keyed by size and modification time) and computed in parallel processes.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from briefgen.cache.memory import ParseCache
from briefgen.cache.settled import Stamp, as_kept, stamp_of
from briefgen.cache.store import (
    BuildCache,
    Entry,
    StoreReader,
    content_key,
    entry_as_read,
    kept_entries,
    store_fingerprint,
    store_path,
)
from briefgen.cache.trust import plausible
from briefgen.diagnostics import Diagnostic, Diagnostics, Location, Severity
from briefgen.markup.body import BodyRenderer
from briefgen.model import (
    Body,
    Briefing,
    Citation,
    Claim,
    Claims,
    Page,
    Parsed,
    References,
    Region,
    SiteConfig,
    Source,
    StoredBody,
)
from briefgen.progress import PARSING, Progress
from briefgen.read.config import load_config
from briefgen.read.files import walk
from briefgen.read.frontmatter import parse_document
from briefgen.read.parse import parse_briefing, parse_page
from briefgen.read.registry import load_regions, load_sources
from briefgen.read.stored import from_store
from briefgen.read.yamldoc import decode_text
from briefgen.workers import pool

BRIEFINGS_DIR = "content/briefings"
PAGES_DIR = "content/pages"
BRIEFING, PAGE = "briefing", "page"
_PARALLEL_FROM = 64  # fewer files than this are parsed faster in one process
_T = TypeVar("_T")


@dataclass(frozen=True)
class Content:
    """Everything read from a site folder, not yet linked."""

    config: SiteConfig
    sources: dict[str, Source] | None
    regions: dict[str, Region] | None
    briefings: tuple[Briefing, ...]
    pages: tuple[Page, ...]
    left_out: dict[str, bool] = field(default_factory=dict)  # unpublished file -> is a draft
    claims: dict[str, Claims] = field(default_factory=dict)  # by briefing path
    unmade: tuple[References, ...] = ()  # of the briefings that could not be made
    # Briefings published but not among ``briefings`` (a patch's site of a few, see
    # patch.py), by file: the site path that links to them lead to.
    elsewhere: dict[str, str] = field(default_factory=dict)


def markdown_files(root: Path, folder: str, diags: Diagnostics) -> list[tuple[str, str]]:
    """The ``.md`` files below ``folder``, sorted, as (path, path relative to the root)."""
    return [
        (path, f"{folder}/{rel}")
        for path, rel in walk(root / folder, folder, diags, contained=True)
        if rel.endswith(".md")
    ]


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


@functools.cache
def _body_renderer(file_urls: bool) -> BodyRenderer:
    """One Markdown instance per process and setting, reused for every file it parses."""
    return BodyRenderer(file_urls)


def file_digest(rel: str, raw: bytes) -> str:
    """The digest of a briefing or page file: of its path and bytes."""
    return hashlib.sha256(rel.encode("utf-8", "surrogateescape") + b"\0" + raw).hexdigest()


def parse_file(
    kind: str, rel: str, raw: bytes, zone: dt.tzinfo | None = None, file_urls: bool = False
) -> Parsed:
    """Parse one file's bytes, reading times without an offset in ``zone``; the same
    bytes at the same path always give the same result for the same ``zone`` and
    ``file_urls`` (whether links in the body name files)."""
    diags = Diagnostics()
    origin = Location(rel)
    text = decode_text(raw, rel, diags)
    doc = parse_document(text, origin, diags) if text is not None else None
    item: Briefing | Page | None = None
    claims: tuple[Claim, ...] = ()
    references = None
    renderer = _body_renderer(file_urls)
    if doc is not None and kind == BRIEFING:
        made = parse_briefing(doc, origin, renderer, diags, zone)
        if isinstance(made, References):
            references = made
        elif made is not None:
            item, claims = made
    elif doc is not None:
        page = parse_page(doc, origin, renderer, diags)
        if isinstance(page, References):
            references = page
        else:
            item = page
    if item is not None:
        digest = file_digest(rel, raw)
        if isinstance(item, Briefing):
            item = replace(item, digest=digest, meta_digest=_meta_digest(item))
        else:
            item = replace(item, digest=digest)
    draft = doc is not None and doc.meta.get("draft") is True
    return Parsed(item, tuple(diags.items), draft, claims, references)


# What other pages may show of a briefing: all but its body and what is made from it
# (the digests, its links to other files, how many markers cite each citation, which
# only the pages showing the body show): editing the text must not re-render every
# listing. A page that reads a citation's ``uses`` reads the whole briefing (see
# render/reads.py).
SHOWN = tuple(
    f.name for f in fields(Briefing) if f.name not in ("body", "digest", "meta_digest", "links")
)
_CITATION_SHOWN = operator.attrgetter(*(f.name for f in fields(Citation) if f.name != "uses"))


def _meta_digest(briefing: Briefing) -> str:
    shown = repr(
        tuple(
            tuple(map(_CITATION_SHOWN, briefing.citations))
            if name == "citations"
            else getattr(briefing, name)
            for name in SHOWN
        )
    )
    return hashlib.sha256(shown.encode()).hexdigest()


def placed(briefing: Briefing | Page | None) -> tuple[Any, ...] | None:
    """All that decides where a briefing stands in the site and what its page links
    to: everything of its front matter but its title and summary."""
    if not isinstance(briefing, Briefing):
        return None
    return tuple(getattr(briefing, name) for name in SHOWN if name not in ("title", "summary"))


class ContentFile(NamedTuple):
    kind: str  # BRIEFING or PAGE
    rel: str  # path relative to the site root, as diagnostics show it
    path: str  # path to read


def _content_files(root: Path, diags: Diagnostics) -> list[ContentFile]:
    files = [
        ContentFile(BRIEFING, rel, path) for path, rel in markdown_files(root, BRIEFINGS_DIR, diags)
    ]
    files += [ContentFile(PAGE, rel, path) for path, rel in markdown_files(root, PAGES_DIR, diags)]
    return files


def _parse_job(
    file: ContentFile, fingerprint: str, zone: dt.tzinfo | None, file_urls: bool
) -> tuple[str, Parsed]:
    """Read and parse one file, in whichever process; return its content key too.

    The key comes from the bytes parsed, so a file saved again meanwhile can never
    be stored under the key of its older bytes.
    """
    try:
        raw = _read(file.path)
    except OSError as exc:
        where = Location(file.rel)
        return "", Parsed(
            None, (Diagnostic(Severity.ERROR, where, f"cannot read file: {exc.strerror}"),)
        )
    key = content_key(file.kind, file.rel, raw, fingerprint)
    return key, parse_file(file.kind, file.rel, raw, zone, file_urls)


def _entry_job(
    file: ContentFile, fingerprint: str, zone: dt.tzinfo | None, file_urls: bool
) -> tuple[str, Parsed | Entry]:
    """:func:`_parse_job` in a worker process of a build with the persistent store:
    what the file parsed to, as the store keeps it (see :class:`Entry`)."""
    key, parsed = _parse_job(file, fingerprint, zone, file_urls)
    entry = Entry.of(parsed, file.rel) if key else None
    return key, parsed if entry is None else entry


def _parse_many(
    files: list[ContentFile],
    workers: int,
    fingerprint: str,
    zone: dt.tzinfo | None,
    file_urls: bool,
    progress: Progress | None = None,
) -> Iterator[tuple[ContentFile, str, Parsed]]:
    """Each file with its content key and parse, in order."""
    parse = functools.partial(_parse_job, fingerprint=fingerprint, zone=zone, file_urls=file_urls)
    yield from _counted(files, _run(parse, files, workers), progress)


def _parse_to_keep(
    files: list[ContentFile],
    workers: int,
    fingerprint: str,
    zone: dt.tzinfo | None,
    file_urls: bool,
    progress: Progress | None = None,
) -> Iterator[tuple[ContentFile, str, Parsed | Entry]]:
    """Each file with its content key and parse, in order: from worker processes as
    the store keeps it."""
    job: Callable[..., tuple[str, Parsed | Entry]]
    job = _entry_job if _in_parallel(files, workers) else _parse_job
    parse = functools.partial(job, fingerprint=fingerprint, zone=zone, file_urls=file_urls)
    yield from _counted(files, _run(parse, files, workers), progress)


def _in_parallel(files: list[ContentFile], workers: int) -> bool:
    return workers > 1 and len(files) >= _PARALLEL_FROM


def _run(job: Callable[[ContentFile], _T], files: list[ContentFile], workers: int) -> Iterator[_T]:
    """``job`` of each file, in order, in ``workers`` processes when that is faster."""
    if not _in_parallel(files, workers):
        yield from map(job, files)
        return
    with pool(workers) as executor:
        chunk = max(1, len(files) // (workers * 8))
        yield from executor.map(job, files, chunksize=chunk)


def _counted(
    files: list[ContentFile], results: Iterator[tuple[str, _T]], progress: Progress | None
) -> Iterator[tuple[ContentFile, str, _T]]:
    for done, (file, (key, result)) in enumerate(zip(files, results, strict=True), start=1):
        if progress is not None:
            progress(PARSING, done, len(files))
        yield file, key, result


def load(
    root: Path,
    diags: Diagnostics,
    include_drafts: bool = False,
    cache: ParseCache | None = None,
    store: BuildCache | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    config: SiteConfig | None = None,
) -> Content:
    """Read the whole site.

    ``cache`` skips files whose stamp is unchanged (no read at all: see cache/settled.py);
    ``store`` is the persistent cache, keyed by content; ``jobs`` processes parse
    what neither has. ``config`` is the site's settings if read already (with the
    command line's changes); else they are read from ``site.yaml``. ``store`` must
    have been opened for the timezone and ``file_urls`` of ``config``.
    """
    config = config if config is not None else load_config(root, diags)
    sources = load_sources(root, diags)
    regions = load_regions(root, diags)
    results = parse_content(root, config, diags, cache, store, jobs, progress)
    briefings, pages, left_out = _published(results, include_drafts, diags)
    claims = {rel: p.claims for rel, p in results if isinstance(p.item, Briefing) and p.claims}
    unmade = tuple(
        p.references
        for _, p in results
        if p.references is not None and (include_drafts or not p.draft)
    )
    return Content(config, sources, regions, briefings, pages, left_out, claims, unmade)


def parse_content(
    root: Path,
    config: SiteConfig,
    diags: Diagnostics,
    cache: ParseCache | None = None,
    store: BuildCache | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[tuple[str, Parsed]]:
    """What every briefing and page file parsed to, drafts too, in file order, by path
    relative to the root. Only problems finding and reading files go to ``diags``:
    each file's own diagnostics are in what it parsed to."""
    if store is not None and (store.timezone, store.file_urls) != (
        config.timezone,
        config.file_urls,
    ):
        raise ValueError("the build cache was opened for other settings")
    started = time.time_ns()
    files = _content_files(root, diags)
    stamps = _stamps(files, diags)
    files = [file for file in files if file.rel in stamps]
    if cache is not None:
        cache.use_timezone(config.timezone)
    if store is None:
        results = _parse_all(files, stamps, cache, config.zone, config.file_urls, jobs, progress)
    else:
        results = _parse_through_store(
            root, files, stamps, started, cache, store, config.zone, jobs, diags, progress
        )
    if cache is not None:
        cache.replace_all({rel: (as_kept(stamps[rel], started), results[rel]) for rel in results})
    return [(file.rel, results[file.rel]) for file in files if file.rel in results]


def _stamps(files: list[ContentFile], diags: Diagnostics) -> dict[str, Stamp]:
    stamps = {}
    for file in files:
        try:
            stat = os.stat(file.path)
        except OSError as exc:
            diags.error(Location(file.rel), f"cannot read file: {exc.strerror}")
            continue
        stamps[file.rel] = stamp_of(stat)
    return stamps


def _parse_all(
    files: list[ContentFile],
    stamps: dict[str, Stamp],
    cache: ParseCache | None,
    zone: dt.tzinfo | None,
    file_urls: bool,
    jobs: int,
    progress: Progress | None,
) -> dict[str, Parsed]:
    """Every file parsed, or taken from the preview's ``cache`` when unchanged."""
    results = {}
    for file in files:
        hit = cache.get(file.rel, stamps[file.rel]) if cache is not None else None
        if hit is not None:
            results[file.rel] = hit
    misses = [file for file in files if file.rel not in results]
    parsed = _parse_many(misses, jobs, "", zone, file_urls, progress)
    results.update((file.rel, result) for file, _, result in parsed)
    return results


def _parse_through_store(
    root: Path,
    files: list[ContentFile],
    stamps: dict[str, Stamp],
    started: int,
    cache: ParseCache | None,
    store: BuildCache,
    zone: dt.tzinfo | None,
    jobs: int,
    diags: Diagnostics,
    progress: Progress | None,
) -> dict[str, Parsed]:
    """Every file from the preview's ``cache``, the persistent ``store`` or parsed anew
    (and then stored). ``stamps`` were taken after ``started`` (see
    :func:`cache.settled.as_kept`).

    A one-off build leaves bodies in the store until a page shows them, and claims
    until a check warns of them; the preview keeps what it parsed in memory for as
    long as it runs, so it reads them now.
    """
    results: dict[str, Parsed] = {}
    keys: dict[str, str] = {}
    unreadable = set()
    for file in files:
        hit = cache.get(file.rel, stamps[file.rel]) if cache is not None else None
        if hit is not None:
            results[file.rel] = hit
        elif not store.empty:
            try:
                keys[file.rel] = store.known_key(file.rel, stamps[file.rel]) or content_key(
                    file.kind, file.rel, _read(file.path), store.fingerprint
                )
            except OSError as exc:
                diags.error(Location(file.rel), f"cannot read file: {exc.strerror}")
                unreadable.add(file.rel)
    again = functools.partial(_parsed_again, root, zone, store.file_urls, store.fingerprint)
    reader = store.reader(again) if store.usable and cache is None else None
    results.update(from_store(store, keys, reader, jobs))
    misses = [file for file in files if file.rel not in results and file.rel not in unreadable]
    parsed_now = _parse_to_keep(misses, jobs, store.fingerprint, zone, store.file_urls, progress)
    for file, key, made in parsed_now:
        if isinstance(made, Entry):  # parsed in a worker process, as the store keeps it
            store.keep(key, made)
            keys[file.rel] = key
            body: Body | StoredBody = Body(made.html, made.toc)
            if reader is not None:
                reader.written(key, made.html, made.toc)
                body = reader.stored(key, file.rel)
            results[file.rel] = made.value(file.rel, key, body, reader)
            continue
        results[file.rel] = made
        if key:
            keys[file.rel] = key
            store.put(key, file.rel, made)
            if reader is not None and made.item is not None:
                reader.written(key, made.item.html, made.item.toc)
                on_disk = replace(made.item, body=reader.stored(key, file.rel))
                results[file.rel] = replace(made, item=on_disk)
    kept = store.close(
        {rel: (as_kept(stamps[rel], started), keys[rel]) for rel in results if rel in keys}
    )
    if reader is not None and not kept:
        # The store failed on the way, so bodies and claims left in it may be lost:
        # parse again every file whose body is not in memory (nor its claims).
        lost = [file for file in files if _on_disk(results.get(file.rel))]
        reparsed = _parse_many(lost, jobs, "", zone, store.file_urls)
        results.update((file.rel, parsed) for file, _, parsed in reparsed)
    return results


def kept_parses(root: Path, config: SiteConfig, files: list[ContentFile]) -> dict[str, Parsed]:
    """What the persistent store keeps for ``files`` as they are now, decoded and
    checked as a build checks what it reads back, by path: those it holds. Each body
    and each briefing's claims are left in the store until read. Only reads the
    store: a patch takes from it the briefings its feeds show beside the edit, rather
    than parsing each of them again (7 ms a file)."""
    path = store_path(root)
    stamps = _stamps(files, Diagnostics())  # a file that cannot be read is not kept
    if path is None or not stamps:
        return {}
    fingerprint = store_fingerprint(config.timezone, config.file_urls)
    again = functools.partial(_parsed_again, root, config.zone, config.file_urls, fingerprint)
    reader = StoreReader(path, config.file_urls, again)
    found = kept_entries(path, fingerprint, stamps, reader)
    return {rel: value for rel, value in found.items() if plausible(value, rel)}


def parse_as_read(root: Path, config: SiteConfig, rel: str) -> Parsed | None:
    """What the file ``rel`` parsed to in the last build that kept it in the persistent
    store, decoded and checked as a build checks what it reads back; None when the
    store keeps none."""
    path = store_path(root)
    if path is None:
        return None
    fingerprint = store_fingerprint(config.timezone, config.file_urls)
    again = functools.partial(_parsed_again, root, config.zone, config.file_urls, fingerprint)
    reader = StoreReader(path, config.file_urls, again)
    found = entry_as_read(path, fingerprint, rel, reader)
    return found if found is not None and plausible(found, rel) else None


def _parsed_again(
    root: Path, zone: dt.tzinfo | None, file_urls: bool, fingerprint: str, rel: str
) -> tuple[str, Parsed] | None:
    """The file at ``rel`` (one this build listed) parsed again, for what the store no
    longer holds as it said: the content key of the bytes read (under ``fingerprint``),
    and what they parse to; None when the file cannot be read."""
    try:
        raw = (root / rel).read_bytes()
    except OSError:
        return None
    kind = PAGE if rel.startswith(f"{PAGES_DIR}/") else BRIEFING
    return content_key(kind, rel, raw, fingerprint), parse_file(kind, rel, raw, zone, file_urls)


def _on_disk(parsed: Parsed | None) -> bool:
    return (
        parsed is not None and parsed.item is not None and isinstance(parsed.item.body, StoredBody)
    )


def _published(
    results: list[tuple[str, Parsed]], include_drafts: bool, diags: Diagnostics
) -> tuple[tuple[Briefing, ...], tuple[Page, ...], dict[str, bool]]:
    """The briefings and pages to publish, in file order, and the files left out (each
    with whether it is a draft); their diagnostics to ``diags``."""
    briefings: list[Briefing] = []
    pages: list[Page] = []
    left_out: dict[str, bool] = {}
    for rel, parsed in results:
        if parsed.draft and not include_drafts:
            left_out[rel] = True  # not published, so not checked either (only with --drafts)
            continue
        diags.extend(parsed.diagnostics)
        item = parsed.item
        if isinstance(item, Briefing):
            briefings.append(item)
        elif isinstance(item, Page):
            pages.append(item)
        else:
            left_out[rel] = False
    return tuple(briefings), tuple(pages), left_out
