"""Drafts, tags and the archive (SPEC sections 2 and 4)."""

from __future__ import annotations

import pytest
from site_corpus import BORDER

DRAFT_TITLE = "Черновик: не публиковать"
DRAFTS = f"""
-- content/briefings/2023/06/draft.md --
---
title: "{DRAFT_TITLE}"
date: 2023-06-10
regions: [shebekino]
tags: [черновик, drones]
draft: true
citations:
  post:
    source: dw
    url: https://www.dw.com/draft
---

Not yet [@post].
-- content/pages/draft-page.md --
---
title: Draft page
draft: true
---

Unfinished.
-- content/briefings/2022/12/winter.md --
---
title: Winter shelling of Shebekino
date: 2022-12-31T23:30:00+03:00
regions: [shebekino]
tags: [Human Rights, обстрелы]
---

A year-end briefing.
"""


@pytest.fixture(scope="module")
def published(make_module_site):
    site = make_module_site(BORDER, DRAFTS)
    site.ok()
    return site


@pytest.fixture(scope="module")
def with_drafts(make_module_site):
    site = make_module_site(BORDER, DRAFTS)
    site.ok("--drafts")
    return site


LISTINGS = [
    "/",
    "/briefings/",
    "/regions/shebekino/",
    "/regions/russia/",
    "/sources/dw/",
    "/tags/drones/",
    "/archive/",
    "/feed.xml",
    "/regions/russia/feed.xml",
    "/sources/dw/feed.xml",
    "/sitemap.xml",
]


@pytest.mark.parametrize("path", LISTINGS)
def test_drafts_are_left_out_by_default(published, path):
    text = published.text(path)
    assert DRAFT_TITLE not in text
    assert "briefings/draft/" not in text


def test_drafts_have_no_pages_by_default(published):
    assert not published.exists("/briefings/draft/")
    assert not published.exists("/pages/draft-page/")
    assert not published.exists("/tags/черновик/")
    assert "Draft page" not in published.text("/")


@pytest.mark.parametrize("path", [p for p in LISTINGS if p != "/sitemap.xml"])
def test_drafts_are_built_with_the_drafts_flag(with_drafts, path):
    assert DRAFT_TITLE in with_drafts.text(path)


def test_draft_pages_are_built_with_the_drafts_flag(with_drafts):
    assert DRAFT_TITLE in with_drafts.html("/briefings/draft/").main.text
    assert "Unfinished." in with_drafts.html("/pages/draft-page/").main.text
    assert DRAFT_TITLE in with_drafts.html("/tags/черновик/").main.text


def test_drafts_are_marked_as_drafts_when_built(with_drafts, published):
    assert with_drafts.html("/briefings/draft/").main.has("strong", cls="draft")
    assert with_drafts.html("/pages/draft-page/").main.find("strong", cls="draft").text == "Draft"
    assert not published.html("/briefings/winter/").main.has("strong", cls="draft")
    assert not with_drafts.html("/briefings/winter/").main.has("strong", cls="draft")


def briefing_titles(site, path):
    return [a.text for a in site.html(path).main.find_all("a") if "briefings/" in a.get("href", "")]


@pytest.mark.parametrize(
    ("tag", "titles"),
    [
        (
            "drones",
            ["Drones hit an oil depot in Kursk Oblast", "Shebekino shelled; children evacuated"],
        ),
        ("evacuation", ["Shebekino shelled; children evacuated"]),
        ("raid", ["Armed group crosses the border near Graivoron"]),
        ("human-rights", ["Winter shelling of Shebekino"]),
        ("обстрелы", ["Winter shelling of Shebekino"]),
    ],
)
def test_tag_pages_list_the_right_briefings(published, tag, titles):
    assert briefing_titles(published, f"/tags/{tag}/") == titles


def test_briefing_links_to_its_tag_pages(published):
    doc = published.html("/briefings/winter/")
    tag_links = [h for h in doc.main.hrefs() if "tags/" in h]
    assert len(tag_links) == 2
    assert not published.broken_links("https://example.org/briefs/")


def grouped(main):
    """[(heading text, [briefing titles])] in document order."""
    groups = []
    for element in main.iter():
        if element.tag in ("h2", "h3"):
            groups.append((element.text, []))
        elif element.tag == "a" and "briefings/" in element.get("href", "") and groups:
            groups[-1][1].append(element.text)
    return groups


def test_every_briefing_is_listed_at_briefings_newest_first(make_site, published):
    titles = [
        a.text for a in published.html("/").main.find_all("a") if "briefings/" in a.get("href")
    ]
    listed = published.html("/briefings/").main
    assert [a.text for a in listed.find_all("a") if "briefings/" in a.get("href")] == titles
    assert listed.find("h1").text == "All briefings"
    site = make_site(
        "\n".join(
            f"-- content/briefings/b{n}.md --\n---\ntitle: B{n}\ndate: 2023-06-{n:02d}\n---\nText."
            for n in range(1, 4)
        ),
        "-- content/site.yaml --\ntitle: T\nper_page: 2\n",
    )
    site.ok()
    assert "B1" not in site.html("/briefings/").main.text
    second = site.html("/briefings/page/2/")
    assert "B1" in second.main.text
    assert second.find("a", rel="prev").get("href") == "../../../briefings/"


def test_archive_groups_by_month_newest_first(published):
    groups = grouped(published.html("/archive/").main)
    labels = ["June 2023", "May 2023", "December 2022"]
    assert len(groups) == len(labels)
    assert all(h.startswith(label) for (h, _), label in zip(groups, labels, strict=True)), groups
    assert [titles for _, titles in groups] == [
        ["Drones hit an oil depot in Kursk Oblast", "Shebekino shelled; children evacuated"],
        ["Armed group crosses the border near Graivoron"],
        ["Winter shelling of Shebekino"],
    ]


def test_archive_uses_the_month_the_author_wrote(make_site):
    # 01:00 on 1 July in Moscow is 30 June in UTC; the briefing belongs to July.
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: Early July
        date: 2023-07-01T01:00:00+03:00
        regions: [x]
        ---
        Text.
        -- content/briefings/b.md --
        ---
        title: Late June
        date: 2023-06-30T23:00:00+03:00
        regions: [x]
        ---
        Text.
        """
    )
    site.ok()
    groups = grouped(site.html("/archive/").main)
    assert [(h.split()[0], titles) for h, titles in groups] == [
        ("July", ["Early July"]),
        ("June", ["Late June"]),
    ]


def test_archive_months_stay_newest_first_when_offsets_cross_a_month(make_site):
    # 23:30 UTC on 31 March is 01:30 on 1 April in Vienna: the newer briefing, but
    # written in March, so its month stays below April's.
    site = make_site(
        """
        -- content/site.yaml --
        title: T
        base_url: https://example.org/
        timezone: Europe/Vienna
        -- content/briefings/late.md --
        ---
        title: Written in March
        date: 2024-03-31T23:30:00Z
        regions: [x]
        ---
        Text.
        -- content/briefings/early.md --
        ---
        title: Written in April
        date: 2024-04-01T00:30
        regions: [x]
        ---
        Text.
        """
    )
    site.ok()
    listed = [h.text for h in site.html("/").main.find_all("h2", cls="briefing-item-title")]
    assert listed == ["Written in March", "Written in April"]
    archive = site.html("/archive/").main
    groups = grouped(archive)
    assert [(h.split()[0], titles) for h, titles in groups] == [
        ("April", ["Written in April"]),
        ("March", ["Written in March"]),
    ]
    months = archive.find("ul", cls="archive-months").find_all("a")
    assert [a.get("href") for a in months] == ["#2024-04", "#2024-03"]
