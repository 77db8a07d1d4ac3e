"""Smaller promises of the built site: order of equal dates, meta descriptions, check's reach."""

from __future__ import annotations

SAME_DAY = """
-- content/briefings/zeta.md --
---
title: Zeta
date: 2023-06-02
regions: [x]
summary: The zeta summary.
---
Text.
-- content/briefings/alpha.md --
---
title: Alpha
date: 2023-06-02
regions: [x]
---
Text.
"""


def test_briefings_of_the_same_moment_list_in_slug_order(make_site):
    site = make_site(SAME_DAY)
    site.ok()
    titles = [h.text.strip() for h in site.html("/").main.find_all("h2")]
    assert titles[:2] == ["Alpha", "Zeta"]


def test_meta_description_from_summary_without_a_site_description(make_site):
    site = make_site(SAME_DAY)
    site.ok()
    meta = site.html("/briefings/zeta/").find("meta", name="description")
    assert meta.get("content") == "The zeta summary."
    meta = site.html("/briefings/alpha/").find("meta", name="description")
    assert meta.get("content") == "Text."  # its first sentence


def test_check_reports_a_static_file_in_the_place_of_a_page(make_site):
    site = make_site(SAME_DAY, "-- content/static/archive/index.html --\nmine\n")
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert (
        "content/static/archive/index.html:1:1: error: static file clashes with a page of the "
        "site: /archive/index.html"
    ) in result.err


def test_new_refuses_a_region_the_registry_does_not_know(make_site):
    site = make_site("-- content/regions.yaml --\nbelgorod: {name: Belgorod Oblast}\n")
    result = site.run("new", "-s", site.root, "Shelling", "--region", "belgorot")
    assert result.code == 2
    assert result.err.strip() == (
        "briefgen: error: unknown region 'belgorot' (not in content/regions.yaml) "
        "(did you mean 'belgorod'?)"
    )
    assert not (site.root / "content/briefings").exists()


BROKEN_LINK = """
-- content/briefings/a.md --
---
title: A
date: 2023-06-02
regions: [x]
---
See [the raid](../nope/) and [anchor](#missing).
"""


def test_build_warns_of_broken_links_and_strict_refuses_them(make_site):
    site = make_site(BROKEN_LINK)
    result = site.build()
    assert result.code == 0
    assert result.warnings == [
        "content/briefings/a.md:6: warning: broken link '../nope/': no such page or file in "
        "the site",
        "content/briefings/a.md:6: warning: broken link '#missing': page /briefings/a/ has no "
        "anchor '#missing'",
    ]
    assert site.build("--strict").code == 1
