"""`build --file-urls` and `file_urls: true`: a site that works opened from disk (urls.md).

Every link of every page names a file, so a browser opening `index.html` from disk
(file://) can follow it; absolute URLs (canonical links, feeds, sitemap) stay clean.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from site_corpus import BORDER

SUB = "https://example.org/briefs/"

EXTRAS = """
-- content/site.yaml --
title: Сводки
base_url: https://example.org/briefs/
per_page: 2
-- content/pages/about.md --
---
title: About
---

Start at [the home page](/), read [the raid](/briefings/graivoron-raid/) and
[its first source](/briefings/graivoron-raid/#cite-1), or the
[region](../../regions/belgorod/). ![map](/img/map.svg)

## Contact {#contact}

Write to [the editors](mailto:editors@example.org).
-- content/static/img/map.svg --
<svg xmlns="http://www.w3.org/2000/svg"></svg>
-- content/briefings/2023/06/belgorod-tags.md --
---
title: Tags in two scripts
date: 2023-06-03
regions: [belgorod]
tags: [Обстрелы, Human Rights]
---

An overview; see also [Shebekino](../shebekino-evacuation/) and [us](/pages/about/#contact).
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, EXTRAS)
    site.ok("--file-urls")
    return site


Parse = Callable[[str], Any]  # the test suite's HTML parser (the html_parser fixture)


def links_from_disk(out: Path, parse: Parse) -> tuple[list[str], int]:
    """Every href/src of every HTML page of ``out``, followed as a browser does from
    disk: each must name an existing file (never a folder) inside ``out``, and its
    fragment an id of that file. The problems, and how many links were followed."""
    documents: dict[Path, Any] = {}

    def document(path: Path) -> Any:
        if path not in documents:
            documents[path] = parse(path.read_text(encoding="utf-8"))
        return documents[path]

    problems, followed = [], 0
    for page in sorted(out.rglob("*.html")):
        for element in document(page).iter():
            for attr in ("href", "src"):
                link = element.get(attr)
                if link is None or (element.tag == "link" and element.get("rel") == "canonical"):
                    continue
                target = urllib.parse.urlsplit(urllib.parse.urljoin(page.as_uri(), link))
                if target.scheme != "file":
                    continue
                followed += 1
                file = Path(urllib.parse.unquote(target.path))
                where = f"{page.relative_to(out)}: <{element.tag} {attr}={link!r}>"
                if not file.is_relative_to(out) or not file.is_file():
                    problems.append(f"{where}: {file} is not a file of the site")
                elif target.fragment and not document(file).has(
                    id=urllib.parse.unquote(target.fragment)
                ):
                    problems.append(f"{where}: no id {target.fragment!r} in {file.name}")
    return problems, followed


def internal_folder_links(out: Path, parse: Parse) -> list[str]:
    """Every href in the HTML pages of ``out`` that names a folder of the site."""
    found = []
    for page in sorted(out.rglob("*.html")):
        for link in parse(page.read_text(encoding="utf-8")).hrefs():
            path = urllib.parse.urlsplit(link)
            if not path.scheme and not path.netloc and path.path.endswith(("/", ".")):
                found.append(f"{page.relative_to(out)}: {link}")
    return found


def test_every_link_of_every_page_opens_a_file_from_disk(site, html_parser):
    problems, followed = links_from_disk(site.out, html_parser)
    assert problems == []
    assert followed > 500  # nav, listings, pagination, breadcrumbs, bodies, 404 page


def test_no_page_links_a_folder(site, html_parser):
    assert internal_folder_links(site.out, html_parser) == []


def test_links_name_index_files_and_keep_their_anchors(site):
    briefing = site.html("/briefings/shebekino-evacuation/")
    assert briefing.find("a", cls="site-title").get("href") == "../../index.html"
    crumbs = [a.get("href") for a in briefing.find("nav", cls="breadcrumbs").find_all("a")]
    assert crumbs == [
        "../../regions/russia/index.html",
        "../../regions/belgorod/index.html",
        "../../regions/shebekino/index.html",
    ]
    stylesheet = [e.get("href") for e in briefing.find_all("link") if e.get("rel") == "stylesheet"]
    assert stylesheet == ["../../assets/style.css"]
    source = site.html("/sources/gladkov-telegram/")
    cited = source.main.find("a", cls="cited-number").get("href")
    assert cited == "../../briefings/shebekino-evacuation/index.html#cite-1"


def test_pagination_links_name_files(site):
    home = site.html("/")
    assert home.find("a", rel="next").get("href") == "page/2/index.html"
    second = site.html("/page/2/")
    assert second.find("a", rel="prev").get("href") == "../../index.html"


def test_the_404_page_links_from_the_site_root_on_disk(site):
    page = site.html("/404.html")
    links = page.main.hrefs()
    assert links and all(not link.startswith("/") for link in links)
    assert "archive/index.html" in links


def test_links_written_in_bodies_are_rewritten(site):
    about = site.html("/pages/about/").main
    assert about.find("a", href="../../index.html").text == "the home page"
    assert about.find("a", href="../../briefings/graivoron-raid/index.html").text == "the raid"
    assert about.has("a", href="../../briefings/graivoron-raid/index.html#cite-1")
    assert about.has("a", href="../../regions/belgorod/index.html")
    assert about.find("img").get("src") == "../../img/map.svg"
    tags = site.html("/briefings/belgorod-tags/").main
    assert tags.has("a", href="../shebekino-evacuation/index.html")
    assert tags.has("a", href="../../pages/about/index.html#contact")


def test_absolute_urls_stay_clean(site):
    page = site.html("/briefings/kursk-drones/")
    canonical = [e.get("href") for e in page.find_all("link") if e.get("rel") == "canonical"]
    assert canonical == [SUB + "briefings/kursk-drones/"]
    assert f"<loc>{SUB}briefings/kursk-drones/</loc>" in site.text("/sitemap.xml")
    feed = site.text("/feed.xml")
    assert f"<id>{SUB}briefings/kursk-drones/</id>" in feed
    assert f'<link rel="alternate" type="text/html" href="{SUB}briefings/kursk-drones/"/>' in feed


def test_site_yaml_setting_turns_it_on_and_the_flag_wins(make_site, tmp_path):
    site = make_site(BORDER, "-- content/site.yaml --\ntitle: T\nfile_urls: true\n")
    site.ok()
    assert site.html("/").find("a", cls="site-title").get("href") == "index.html"
    site.ok("--no-file-urls", "--out", tmp_path / "clean")
    assert site.html("/").find("a", cls="site-title").get("href") == "./"
    assert site.html("/briefings/kursk-drones/").has("a", href="../../regions/kursk/")


def test_without_it_links_name_folders(make_site):
    site = make_site(BORDER, EXTRAS)
    site.ok()
    about = site.html("/pages/about/").main
    assert about.has("a", href="../../briefings/graivoron-raid/#cite-1")
    assert about.has("a", href="../../regions/belgorod/")
    assert site.html("/").find("a", rel="next").get("href") == "page/2/"
    assert not [link for link in site.html("/").hrefs() if link.endswith("index.html")]


def test_a_setting_that_is_not_true_or_false_is_an_error(make_site):
    site = make_site(BORDER, "-- content/site.yaml --\ntitle: T\nfile_urls: yes please\n")
    result = site.build()
    assert result.code == 1
    assert "content/site.yaml:2:12: error: 'file_urls' must be true or false" in result.err


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_switching_modes_into_the_same_output_leaves_no_link_of_the_other(
    make_site, html_parser, tmp_path, cache: list[str]
):
    site = make_site(BORDER, EXTRAS)
    site.ok("--no-cache", "--file-urls", "--out", tmp_path / "fresh-files")
    with_files = site.output_files()
    site.ok("--no-cache", "--out", tmp_path / "fresh-clean")
    clean = site.output_files()
    # Each way round: what the cache holds comes from a build in the other mode.
    for files in (True, False, True, False):
        site.ok(*(["--file-urls"] if files else []), "--out", tmp_path / "public", *cache)
        assert site.output_files() == (with_files if files else clean)
        assert bool(internal_folder_links(site.out, html_parser)) is not files


def test_a_body_edit_rebuilt_from_the_cache_keeps_file_links(make_site, html_parser):
    site = make_site(BORDER, EXTRAS)
    site.ok("--file-urls")
    about = site.root / "content/pages/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    site.ok("--file-urls")
    assert "More." in site.html("/pages/about/").main.text
    assert internal_folder_links(site.out, html_parser) == []


def test_check_reports_links_that_fail_from_disk(make_site):
    site = make_site(
        BORDER,
        EXTRAS,
        """
        -- content/pages/links.md --
        ---
        title: Links
        ---

        See [a missing page](/pages/mapp/) and [the folder](../about).
        """,
    )
    missing = (
        "content/pages/links.md:5:22: error: broken link '/pages/mapp/': "
        "no such page or file in the site"
    )
    assert site.run("check", "-s", site.root).errors == [missing]
    result = site.run("check", "--file-urls", "-s", site.root)
    assert result.code == 1
    assert result.errors == [
        missing,  # quoted as written, not as the page links it ('../../pages/mapp/index.html')
        "content/pages/links.md:5:53: error: broken link '../about': opened from disk, "
        "it shows a folder, not the page (link to its index.html)",
    ]


def test_check_reports_a_template_that_links_a_folder(make_site):
    site = make_site(
        BORDER,
        """
        -- templates/archive.html --
        {% extends "default/archive.html" %}
        {% block main %}<a href="../regions/">Regions</a><a href="/briefs/">Home</a>{% endblock %}
        """,
    )
    result = site.run("check", "--file-urls", "-s", site.root)
    assert result.code == 1
    assert result.errors == [
        "templates/archive.html:2:26: error: broken link '../regions/': opened from disk, "
        "it shows a folder, not the page (link to its index.html)",
        "templates/archive.html:2:59: error: broken link '/briefs/': opened from disk, "
        "it starts at the root of the disk, not of the site",
    ]
