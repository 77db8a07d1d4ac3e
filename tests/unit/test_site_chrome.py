"""The header and footer base.html puts around every page, made once for each kind of
page (partials/site-chrome.html through ``once``)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from briefgen.diagnostics import Diagnostics
from briefgen.model import SiteConfig
from briefgen.render.page import Renderer
from briefgen.render.routes import Route

CONFIG = SiteConfig(base_url="https://example.org/briefs/", title="T", description="D")
# (page path, the navigation's link marked as the page itself, the one marked as its section)
PAGES = [
    ("", "Latest", None),
    ("page/2/", None, "Latest"),
    ("regions/", "Regions", None),
    ("regions/x/", None, "Regions"),
    ("regions/x/page/2/", None, "Regions"),
    ("sources/", "Sources", None),
    ("sources/s/page/3/", None, "Sources"),
    ("tags/", "Tags", None),
    ("tags/t/", None, "Tags"),
    ("tags/t/page/2/", None, "Tags"),
    ("archive/", "Archive", None),
    ("pages/about/", "About", None),
    ("pages/other/", None, None),
    ("briefings/a/", None, None),
    ("briefings/page/2/", None, None),
    ("search/", None, None),
    ("grading/", None, None),
    ("corrections/", None, None),
]
CHILD = '{% extends "base.html" %}{% block main %}[{{ page_path }}]{% endblock %}'


def renderer_at(tmp_path: Path) -> Renderer:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates/child.html").write_text(CHILD, encoding="utf-8")
    pages = [SimpleNamespace(slug="about", title="About")]
    site: Any = SimpleNamespace(
        config=CONFIG, nav_pages=pages, searchable=True, corrected=True, graded=False
    )
    return Renderer(site, tmp_path)


def render(renderer: Renderer, path: str) -> str:
    diags = Diagnostics()
    data = renderer.render(Route(path, "child.html", {}), diags)
    assert data is not None, [d.format() for d in diags.items]
    return data.decode()


def nav_items(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return nav.split("<li>")[1:]


def marked(html: str, value: str) -> list[str]:
    items = nav_items(html)
    return [item.rsplit("</a>", 1)[0].rsplit(">", 1)[1] for item in items if value in item]


@pytest.mark.parametrize(("path", "page", "section"), PAGES)
def test_the_navigation_marks_the_page_and_its_section(
    tmp_path: Path, path: str, page: str | None, section: str | None
) -> None:
    html = render(renderer_at(tmp_path), path)
    assert marked(html, 'aria-current="page"') == ([page] if page else [])
    assert marked(html, 'aria-current="true"') == ([section] if section else [])
    up = "../" * path.count("/")
    assert [item.split('"', 2)[1] for item in nav_items(html)] == [
        up or "./", f"{up}regions/", f"{up}sources/", f"{up}tags/", f"{up}archive/",
        f"{up}pages/about/",
    ]  # fmt: skip
    assert f'<a href="{up}archive/">Archive</a> · <a href="{up}corrections/">' in html
    assert f"[{path}]" in html
    assert ('role="search"' in html) == (path != "search/")


def test_each_page_has_the_header_and_footer_it_has_when_rendered_alone(tmp_path: Path) -> None:
    together = renderer_at(tmp_path)
    for round_ in range(2):
        for path, _, _ in PAGES:
            assert render(together, path) == render(renderer_at(tmp_path), path), (round_, path)


def test_the_header_and_footer_are_made_once_for_each_kind_of_page(tmp_path: Path) -> None:
    renderer = renderer_at(tmp_path)
    for number in range(1, 30):
        render(renderer, f"briefings/b{number}/")
        render(renderer, f"regions/r{number}/page/2/")
    once = renderer.env.globals["once"]
    assert once.kept("site-nav") == 2, "one for the briefings, one for the regions' pages"
    assert once.kept("site-footer") == 2, "one for each depth"
    assert once.kept("site-search") == 2
