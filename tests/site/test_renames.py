"""Links written to content files, and old URLs that keep working after a rename
(``aliases:``, docs/writing.md)."""

from __future__ import annotations

import pytest

SITE = """
-- content/site.yaml --
title: Border
base_url: https://example.org/briefs/
-- content/sources.yaml --
gladkov-telegram: {name: Governor's Telegram, aliases: [gladkov]}
dw: {name: DW}
-- content/regions.yaml --
russia: {name: Russia}
belgorod: {name: Belgorod Oblast, parent: russia, aliases: [belgorod-oblast, /old/oblast/]}
shebekino: {name: Shebekino, parent: belgorod-oblast}
-- content/briefings/2023/05/graivoron-incursion.md --
---
title: Graivoron incursion
date: 2023-05-22
regions: [belgorod]
slug: graivoron-raid
aliases: [graivoron-incursion, /2023/05/graivoron/]
citations:
  g: {source: gladkov-telegram}
---
Armed groups crossed the border [@g].
-- content/briefings/2023/06/shebekino.md --
---
title: Shebekino shelled
date: 2023-06-02
regions: [belgorod]
---
After [the May raid](../05/graivoron-incursion.md) and
[its source](../05/graivoron-incursion.md#cite-1), see [our method](../../../pages/method.md).
-- content/briefings/2023/06/old-keys.md --
---
title: Written before the rename
date: 2023-06-03
regions: [belgorod-oblast]
citations:
  g: {source: gladkov}
---
Reported [@g].
-- content/pages/method.md --
---
title: Method
aliases: [methodology]
---
How we [grade](../briefings/2023/06/shebekino.md).
"""


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(SITE)
    result = site.ok()
    assert not result.warnings, result.err
    return site


def test_a_link_to_a_briefing_file_points_at_its_page_by_its_slug(site):
    links = site.html("/briefings/shebekino/").main.hrefs()
    assert "../../briefings/graivoron-raid/" in links
    assert "../../briefings/graivoron-raid/#cite-1" in links
    assert "../../pages/method/" in links
    assert not [link for link in links if link.endswith(".md")]
    assert "../../briefings/shebekino/" in site.html("/pages/method/").main.hrefs()


def test_a_file_link_is_resolved_in_feeds_too(site):
    feed = site.text("/feed.xml")
    assert "graivoron-incursion.md" not in feed
    assert "https://example.org/briefs/briefings/graivoron-raid/" in feed


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/briefings/graivoron-incursion/", "briefings/graivoron-raid/"),
        ("/2023/05/graivoron/", "briefings/graivoron-raid/"),
        ("/pages/methodology/", "pages/method/"),
        ("/sources/gladkov/", "sources/gladkov-telegram/"),
        ("/regions/belgorod-oblast/", "regions/belgorod/"),
        ("/old/oblast/", "regions/belgorod/"),
    ],
)
def test_an_old_url_redirects_to_the_page_with_canonical_and_refresh(site, old, new):
    page = site.html(old)
    depth = old.strip("/").count("/") + 1
    relative = "../" * depth + new
    assert page.find("link", rel="canonical").get("href") == f"https://example.org/briefs/{new}"
    refresh = page.find("meta", **{"http-equiv": "refresh"}).get("content")
    assert refresh == f"0; url={relative}"
    assert page.find("meta", name="robots").get("content") == "noindex"
    assert page.main.find("a").get("href") == relative
    assert site.exists("/" + new)


def test_briefings_may_still_use_the_old_keys_of_renamed_sources_and_regions(site):
    assert "Written before the rename" in site.html("/sources/gladkov-telegram/").main.text
    assert "Written before the rename" in site.html("/regions/belgorod/").main.text
    page = site.html("/briefings/old-keys/")
    assert "Governor's Telegram" in page.main.text
    assert "../../regions/belgorod/" in page.hrefs()


def test_a_region_may_still_name_its_parent_by_an_old_key(site):
    assert "../../regions/belgorod/" in site.html("/regions/shebekino/").hrefs()


def test_redirects_are_not_in_the_sitemap(site):
    sitemap = site.text("/sitemap.xml")
    assert "graivoron-incursion" not in sitemap and "methodology" not in sitemap
    assert "briefings/graivoron-raid/" in sitemap


def test_check_passes_a_site_with_links_and_aliases(site):
    result = site.run("check", "-s", str(site.root))
    assert result.code == 0, result.err


BROKEN = """
-- content/briefings/a.md --
---
title: A
date: 2023-06-02
regions: [x]
aliases: [b, "bad/alias", /tags/, //evil.org/x/, /a//b/]
---
See [the raid](graivoron-incurson.md) and [a draft](d.md).
-- content/briefings/graivoron-incursion.md --
---
title: Raid
date: 2023-06-01
regions: [x]
tags: [tags]
---
Text.
-- content/briefings/b.md --
---
title: B
date: 2023-06-01
regions: [x]
---
Text.
-- content/briefings/d.md --
---
title: D
date: 2023-06-01
draft: true
---
Text.
"""


def test_bad_file_links_and_aliases_are_located_errors_with_hints(make_site):
    site = make_site(BROKEN)
    result = site.build()
    assert result.code == 1
    errors = "\n".join(result.errors)
    assert (
        "content/briefings/a.md:7:16: error: link 'graivoron-incurson.md' is to no briefing "
        "or page: there is no file content/briefings/graivoron-incurson.md" in errors
    )
    assert "did you mean 'graivoron-incursion.md'?" in result.err
    assert "content/briefings/a.md:7:53: error: link 'd.md' is to a draft" in errors
    assert (
        "content/briefings/a.md:5:11: error: alias '/briefings/b/' is already the page of 'B'"
        in errors
    )
    assert "content/briefings/a.md:5:14: error: alias 'bad/alias' may only hold" in errors
    assert (
        "content/briefings/a.md:5:27: error: alias '/tags/' is already a page of the site" in errors
    )
    # a browser reads '//evil.org/x/' as another host's address; it was published at
    # evil.org/x/ in the site, and '/a//b/' was said to hold '' that 'may only hold …'
    assert (
        "content/briefings/a.md:5:35: error: alias '//evil.org/x/' begins with '//', which "
        "names another host ('//example.org/')" in errors
    )
    assert (
        "content/briefings/a.md:5:50: error: alias '/a//b/' holds '//', an empty name between "
        "two slashes" in errors
    )
    assert not site.out.exists()


def test_two_items_may_not_claim_one_old_url(make_site):
    site = make_site(
        """
        -- content/sources.yaml --
        a: {name: A, aliases: [old]}
        b: {name: B, aliases: [old]}
        """
    )
    result = site.build()
    assert result.code == 1
    assert (
        "content/sources.yaml:2:24: error: alias '/sources/old/' is already an alias in "
        "content/sources.yaml" in result.err
    )


def test_a_link_to_a_file_outside_briefings_and_pages_is_left_as_written(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [x]
        ---
        See [the notes](../static/notes.md).
        -- content/static/notes.md --
        notes
        """
    )
    site.ok()
    assert "../static/notes.md" in site.html("/briefings/a/").main.hrefs()


def test_renaming_a_linked_file_updates_the_link_on_a_cached_build(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        regions: [x]
        ---
        See [B](b.md).
        -- content/briefings/b.md --
        ---
        title: B
        date: 2023-06-01
        regions: [x]
        ---
        Text.
        """
    )
    site.ok()
    assert "../../briefings/b/" in site.html("/briefings/a/").main.hrefs()
    text = (site.root / "content/briefings/b.md").read_text()
    (site.root / "content/briefings/b.md").write_text(
        text.replace("title: B", "slug: bee\ntitle: B")
    )
    site.ok()
    assert "../../briefings/bee/" in site.html("/briefings/a/").main.hrefs()
    assert not site.exists("/briefings/b/")
