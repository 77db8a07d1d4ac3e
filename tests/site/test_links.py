"""Every internal link of every page resolves, under a sub-path and at the root (SPEC §4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from site_corpus import BORDER

import briefgen

SUB = "https://example.org/briefs/"
ROOT = "https://example.org/"

EXTRAS = """
-- content/site.yaml --
title: Сводки
base_url: https://example.org/briefs/
per_page: 2
-- content/pages/about.md --
---
title: About
---

See [the Graivoron raid](../../briefings/graivoron-raid/) and
[its first source](../../briefings/graivoron-raid/#cite-1).

## Contact {#contact}

Write to [the editors](mailto:editors@example.org).
-- content/pages/методика.md --
---
title: Методика
---

[Back to contact](../about/#contact). ![map](../../img/map.svg)
-- content/static/img/map.svg --
<svg xmlns="http://www.w3.org/2000/svg"></svg>
-- content/briefings/2023/06/belgorod-tags.md --
---
title: Tags in two scripts
date: 2023-06-03
regions: [belgorod]
tags: [Обстрелы, Human Rights]
---

An overview; see also [Shebekino](../shebekino-evacuation/).
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, EXTRAS)
    site.ok()
    return site


def test_link_checker_finds_broken_links(make_site, tmp_path):
    site = make_site()
    site.out = tmp_path / "handmade"
    (site.out / "a").mkdir(parents=True)
    (site.out / "a/index.html").write_text(
        '<a href="../b/">b</a><a href="../a/#there">x</a><a id="here" href="#here">ok</a>'
        '<img src="/elsewhere.png"><a href="https://other.example/x">ok</a><a href="#nowhere">x</a>'
    )
    (site.out / "b").mkdir()
    broken = site.broken_links(SUB)
    assert len(broken) == 4, broken
    assert "no file b/index.html" in broken[0]
    assert "no id 'there'" in broken[1]
    assert "outside the site's base path" in broken[2]
    assert "no id 'nowhere' in this page" in broken[3]


def test_every_link_resolves_under_a_sub_path(site):
    assert site.broken_links(SUB) == []


def test_pages_are_linked_with_their_sub_path(site):
    doc = site.html("/briefings/shebekino-evacuation/")
    canonical = [e.get("href") for e in doc.find_all("link") if e.get("rel") == "canonical"]
    assert canonical == [SUB + "briefings/shebekino-evacuation/"]


def test_404_page_links_work_from_any_depth(site):
    assert site.broken_links(SUB, {"404.html": SUB + "no/such/deep/page"}) == []
    assert site.html("/404.html").find_all("a"), "the 404 page should offer links"


def test_every_link_resolves_at_the_root(make_site):
    site = make_site(
        BORDER, EXTRAS.replace("base_url: https://example.org/briefs/", "base_url: " + ROOT)
    )
    site.ok()
    assert site.broken_links(ROOT) == []
    home = site.html("/")
    assert home.main.find_all("a")
    canonical = [e.get("href") for e in home.find_all("link") if e.get("rel") == "canonical"]
    assert canonical == [ROOT]


def test_base_url_option_overrides_site_yaml(make_site, tmp_path):
    site = make_site(BORDER)
    other = "https://mirror.example.net/deep/sub/path/"
    site.ok("--base-url", other.rstrip("/"), "--out", tmp_path / "mirror")
    assert site.broken_links(other) == []
    canonical = [
        e.get("href") for e in site.html("/").find_all("link") if e.get("rel") == "canonical"
    ]
    assert canonical == [other]
    assert f"<loc>{other}briefings/kursk-drones/</loc>" in site.text("/sitemap.xml")


def _example(make_site):
    """A copy of the bundled example site: a build writes its cache at the site root,
    and the checkout must stay as it is."""
    repo = Path(briefgen.__file__).resolve().parent.parent
    if not (repo / "content").is_dir():
        pytest.skip("not a checkout")
    site = make_site()
    for folder in ("content", "templates"):
        shutil.copytree(repo / folder, site.root / folder, dirs_exist_ok=True)
    return site


def test_the_bundled_example_site_has_no_broken_links(make_site, tmp_path):
    site = _example(make_site)
    site.ok("--out", tmp_path / "example", "--base-url", SUB, "--strict")
    assert site.broken_links(SUB) == []


def test_the_bundled_example_site_names_its_sitemap_in_robots_txt(make_site, tmp_path):
    site = _example(make_site)
    site.ok("--out", tmp_path / "example")
    base = yaml.safe_load((site.root / "content/site.yaml").read_text())["base_url"]
    robots = (tmp_path / "example/robots.txt").read_text().splitlines()
    assert f"Sitemap: {base}sitemap.xml" in robots
    assert (tmp_path / "example/sitemap.xml").is_file()


def test_ids_are_unique_on_every_page(site):
    for rel in site.output_files():
        if rel.endswith(".html"):
            ids = [e.get("id") for e in site.html("/" + rel).find_all() if e.get("id")]
            assert len(ids) == len(set(ids)), (rel, sorted(i for i in ids if ids.count(i) > 1))


def test_body_headings_do_not_clash_with_the_pages_own_ids(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [x]
        citations:
          k:
            source: s
            url: https://example.com/k
        ---

        ## Main

        ## Cite 1

        Text [@k].
        """
    )
    site.ok()
    doc = site.html("/briefings/a/")
    ids = [e.get("id") for e in doc.find_all() if e.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert doc.find(id="cite-1").tag == "li", "the marker [1] must lead to the source entry"


def test_check_reports_an_id_used_twice_in_a_built_page_where_it_was_written(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [x]
        ---

        Text.

        ## Overview {#summary}
        -- templates/briefing.html --
        {% extends "default/briefing.html" %}
        {% block main %}<p id="summary">From the theme.</p>{{ super() }}{% endblock %}
        """
    )
    result = site.run("check", "-s", str(site.root))
    assert result.code == 1
    assert result.errors == [
        "content/briefings/a.md:9:14: error: the id 'summary' is used more than once in "
        "/briefings/a/, so links to it may land on the wrong one"
    ]
    (site.root / "templates/briefing.html").unlink()
    assert site.run("check", "-s", str(site.root)).code == 0


def test_site_root_links_in_markdown_work_under_a_sub_path(make_site):
    site = make_site(
        """
        -- content/site.yaml --
        title: T
        base_url: https://example.org/briefs/
        -- content/pages/about.md --
        ---
        title: About
        ---
        About.
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [x]
        ---

        Read [about us](/pages/about/).
        """
    )
    result = site.build()
    # urls.md: root links in bodies are rewritten to relative ones, so they work here.
    assert (result.code, result.err) == (0, "")
    assert site.broken_links(SUB) == []
    assert site.html("/briefings/a/").main.find("a", href="../../pages/about/").text == "about us"


def test_a_link_typed_in_one_unicode_form_finds_a_file_named_in_the_other(make_site):
    """macOS names files in NFD ('e' and a combining accent); an author types NFC."""
    decomposed = "cafe\u0301"
    site = make_site(f"""
-- content/site.yaml --
title: T
base_url: https://example.org/
-- content/briefings/{decomposed}.md --
---
title: Café
date: 2024-01-01
regions: [paris]
---
Text.
-- content/briefings/b.md --
---
title: B
date: 2024-01-02
regions: [paris]
---
See [the café](caf\u00e9.md).
""")
    site.ok()
    (link,) = [a for a in site.html("/briefings/b/").main.find_all("a") if a.text == "the café"]
    assert link.get("href") == "../../briefings/caf\u00e9/"  # slugs are NFC
    assert not site.broken_links("https://example.org/")


def test_a_base_url_in_another_script_is_percent_encoded_in_absolute_urls(make_site):
    site = make_site(
        BORDER,
        """
-- content/site.yaml --
title: Сводки
base_url: https://Сводки.рф/сводки/
require_archive: false
""",
    )
    # The 404 page's links from the root and the feeds' absolute links are checked
    # as the path reads: they were each reported broken.
    assert "warning" not in site.ok().err
    base = "https://xn--b1aemhsq.xn--p1ai/%D1%81%D0%B2%D0%BE%D0%B4%D0%BA%D0%B8/"
    sitemap = site.text("/sitemap.xml")
    assert f"<loc>{base}</loc>" in sitemap and "сводки" not in sitemap.lower()
    assert f'<link rel="self" type="application/atom+xml" href="{base}feed.xml"/>' in (
        site.text("/feed.xml")
    )
    assert f'<link rel="canonical" href="{base}">' in site.text("/")
    assert not site.broken_links(base)


def test_a_base_url_whose_host_has_no_one_ascii_form_is_told(make_site):
    site = make_site(
        BORDER,
        "-- content/site.yaml --\ntitle: Lagebild\nbase_url: https://straße.de/\n"
        "require_archive: false\n",
    )
    result = site.ok()
    assert (
        "content/site.yaml:2: warning: the host of 'base_url' (straße.de) cannot be written "
        "in ASCII here as every browser writes it"
    ) in result.err
    assert "<loc>https://straße.de/</loc>" in site.text("/sitemap.xml")
