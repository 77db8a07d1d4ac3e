"""The routes of a few pages, made without the rest of the site's (render/routes.py):
the same routes as the whole site's, and only the sections that hold them made."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.model import Site
from briefgen.render import routes as routes_module
from briefgen.render.routes import Route, routes, routes_of

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

    def noted(site: Site, base: str, *args: object, **kwargs: object) -> list[Route]:
        made.append(base)
        return listing(site, base, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routes_module, "_listing", noted)
    region = next(iter(site.regions))
    page = f"regions/{region}/index.html"
    assert list(routes_of(site, [page, "archive/index.html"])) == [page, "archive/index.html"]
    assert made == [f"regions/{region}/"]
    made.clear()
    routes(site)
    assert len(made) == len(site.regions) + len(site.sources) + len(site.tags)
