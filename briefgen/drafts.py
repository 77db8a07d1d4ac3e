"""``briefgen drafts``: every draft briefing and page of a site, newest first."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.cache.store import BuildCache
from briefgen.diagnostics import Diagnostic, Diagnostics, Severity
from briefgen.model import Briefing, Moment, as_datetime
from briefgen.read.config import load_config
from briefgen.read.load import parse_content


@dataclass(frozen=True, slots=True)
class Draft:
    path: str  # relative to the site root
    title: str
    date: Moment | None  # None for a page, which has no date


@dataclass(frozen=True)
class Drafts:
    drafts: tuple[Draft, ...]  # briefings newest first, then pages, each by path
    errors: tuple[Diagnostic, ...]  # of site.yaml and of the drafts, sorted


def find_drafts(root: Path) -> Drafts:
    """The drafts of the site at ``root`` that could be read, and the errors of them all.

    Each draft is read as a build with ``--drafts`` reads it, but the site is not
    linked: an unknown region is found by ``check --drafts``, not here.
    """
    diags = Diagnostics()
    config = load_config(root, diags)
    store = BuildCache(root, config.timezone, config.file_urls)
    briefings: list[tuple[Draft, Moment]] = []
    pages: list[Draft] = []
    jobs = os.cpu_count() or 1
    for _, parsed in parse_content(root, config, Diagnostics(), store=store, jobs=jobs):
        if not parsed.draft:
            continue
        diags.extend(parsed.diagnostics)
        item = parsed.item
        if isinstance(item, Briefing):
            briefings.append((Draft(item.path, item.title, item.date), item.date))
        elif item is not None:
            pages.append(Draft(item.path, item.title, None))
    briefings.sort(key=lambda pair: pair[0].path)
    briefings.sort(key=lambda pair: as_datetime(pair[1], config.zone), reverse=True)
    pages.sort(key=lambda draft: draft.path)
    errors = (d for d in diags.sorted() if d.severity is Severity.ERROR)
    return Drafts(tuple(draft for draft, _ in briefings) + tuple(pages), tuple(errors))
