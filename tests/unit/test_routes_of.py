"""The routes of a few pages, made without the rest of the site's (render/routes.py):
the same routes as the whole site's, and only the sections that hold them made."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import BuildOptions, build
from briefgen.index import replacing
from briefgen.model import Briefing, Site
from briefgen.render import routes as routes_module
from briefgen.render.routes import Route, routes, routes_changed, routes_of

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from corpus import generate, write_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("site")
    write_site(generate(60, seed=5, sources=12), root)
    result = build(root, BuildOptions(write=False))
    assert result.ok and result.site is not None
    return result.site


def by_file(every: list[Route], files: set[str]) -> dict[str, str]:
    return {route.output_file: repr(route) for route in every if route.output_file in files}


def test_the_routes_of_any_pages_are_those_of_the_whole_site(site: Site) -> None:
    every = routes(site)
    files = [route.output_file for route in every if route.path != "sitemap.xml"]
    assert len(files) > 300 and len(set(files)) == len(files)
    chosen = random.Random(3)
    for count in (1, 2, 16, 100, len(files)):
        wanted = set(chosen.sample(files, count))
        found = {rel: repr(route) for rel, route in routes_of(site, wanted).items()}
        assert found == by_file(every, wanted)
    assert routes_of(site, ["sitemap.xml", "no/such/index.html"]) == {}


def test_only_the_sections_that_hold_the_pages_are_made(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    listing = routes_module._listing

    def noted(
        site: Site, newest: object, base: str, *args: object, **kwargs: object
    ) -> list[Route]:
        made.append(base)
        return listing(site, newest, base, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routes_module, "_listing", noted)
    region = next(iter(site.regions))
    page = f"regions/{region}/index.html"
    assert list(routes_of(site, [page, "archive/index.html"])) == [page, "archive/index.html"]
    assert made == ["", f"regions/{region}/"]  # the home page's list, in the root folder
    made.clear()
    routes(site)
    assert len(made) == 1 + len(site.regions) + len(site.sources) + len(site.tags)


def test_the_feeds_of_empty_listings_look_at_the_briefings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registry of sources most of which nobody cites yet: every empty listing's feed
    took the site's newest change from every briefing again (36 s to link 4,000
    briefings beside 3,600 such sources)."""
    corpus = generate(40, seed=2, sources=12)
    write_site(corpus, tmp_path)
    with (tmp_path / "content/sources.yaml").open("a", encoding="utf-8") as registry:
        for n in range(50):
            registry.write(
                f"\nuncited-{n}:\n  name: Uncited {n}\n  url: https://u{n}.example.org/\n"
            )
    result = build(tmp_path, BuildOptions(write=False))
    assert result.ok and result.site is not None
    site = result.site
    empty = [key for key in site.sources if not site.by_source[key]]
    assert len(empty) >= 50
    looked = 0
    as_datetime = routes_module.as_datetime

    def counted(*args: Any) -> Any:
        nonlocal looked
        looked += 1
        return as_datetime(*args)

    monkeypatch.setattr(routes_module, "as_datetime", counted)
    every = routes(site)
    feeds = [route.context for route in every if route.template == "feed.xml"]
    # Each feed's own entries, and every briefing once for all the empty ones.
    assert looked == sum(len(feed["entries"]) for feed in feeds) + len(site.briefings)
    assert len({feed["updated"] for feed in feeds if not feed["entries"]}) == 1


def _holding(value: object, wanted: Callable[[object], bool]) -> int:
    """How many times ``value``, a site's field, holds an object ``wanted`` picks."""
    if wanted(value):
        return 1
    if isinstance(value, dict):
        return sum(_holding(v, wanted) for v in value.values())
    if isinstance(value, tuple | list):
        return sum(_holding(v, wanted) for v in value)
    return 0


def _recounted(briefing: Briefing) -> Briefing:
    """``briefing`` as an edit citing its first citation once more makes it."""
    first, *rest = briefing.citations
    return replace(briefing, citations=(replace(first, uses=first.uses + 1), *rest))


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A site of which one briefing has a correction, and another was retracted."""
    root = tmp_path_factory.mktemp("corrected")
    write_site(generate(40, seed=7, sources=8), root)
    files = sorted((root / "content/briefings").rglob("*.md"))
    for file, kind in ((files[5], "correction"), (files[20], "retraction")):
        entry = f"corrections:\n  - {{date: 2026-01-02, kind: {kind}, text: 'Withdrawn.'}}\n"
        file.write_text(file.read_text().replace("\ncitations:", f"\n{entry}citations:", 1))
    result = build(root, BuildOptions(write=False))
    assert result.ok and result.site is not None
    return result.site


def test_a_briefing_replaced_is_in_every_list_that_held_it(corrected: Site) -> None:
    """Every field of the site that holds briefings, a field added later included,
    holds the new briefing wherever it held the old one, and the same lists elsewhere."""
    site = corrected
    assert len(site.corrections) == 2 and len(site.listed) == len(site.briefings) - 1
    retracted = next(b for b in site.briefings if b.retraction is not None)
    for old in (site.briefings[0], site.corrections[0][0], retracted):
        new = _recounted(old)
        replaced = replacing(site, [(old, new)])
        for name in (f.name for f in fields(Site)):
            before, now = getattr(site, name), getattr(replaced, name)
            held = _holding(before, lambda item, old=old: item is old)  # type: ignore[misc]
            assert _holding(now, lambda item, new=new: item is new) == held, name  # type: ignore[misc]
            assert _holding(now, lambda item, old=old: item is old) == 0, name  # type: ignore[misc]
            if not held:
                assert now is before or now == before, name
        assert routes(replaced) != routes(site)


def test_the_routes_changed_are_those_that_hold_the_briefing_replaced(site: Site) -> None:
    """Its page, and the pages of the lists and feeds that hold it: no other."""
    every_before = {route.path: repr(route) for route in routes(site)}
    for at in (0, len(site.briefings) // 2, len(site.briefings) - 1):
        old = site.briefings[at]
        replaced = replacing(site, [(old, _recounted(old))])
        changed = {route.path: repr(route) for route in routes_changed(site, replaced)}
        every_now = {route.path: repr(route) for route in routes(replaced)}
        assert {path for path in every_now if every_now[path] != every_before[path]} == set(changed)
        assert all(changed[path] == every_now[path] for path in changed)
        assert f"briefings/{old.slug}/" in changed
        assert ("feed.xml" in changed) == (at < site.config.feed_size)
        assert len(changed) < len(every_now) / 10
