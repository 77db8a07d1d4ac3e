"""Corrections in the open: notices, the record, retractions, the log and its feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/briefs/"

SITE = """
-- content/site.yaml --
title: Border Watch
base_url: https://example.org/briefs/
timezone: Europe/Moscow
-- content/regions.yaml --
russia: {name: Russia}
belgorod: {name: Belgorod Oblast, parent: russia}
-- content/sources.yaml --
gladkov: {name: Vyacheslav Gladkov, reliability: C}
dw: {name: Deutsche Welle, reliability: B}
-- content/briefings/shelled.md --
---
title: Villages shelled
date: 2023-06-02
updated: 2023-06-03
regions: [belgorod]
tags: [shelling]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/1"}
corrections:
  - date: 2023-06-05
    kind: update
    text: Casualty figures from the evening briefing added.
  - date: 2023-06-04T10:00
    kind: correction
    text: An earlier version named the wrong *district*.
  - date: 2023-06-03
    kind: clarification
    text: "Added that the [governor](https://t.me/vvgladkov) spoke at night."
---
Shelling reported in the district [@g].
-- content/briefings/raid.md --
---
title: Raid on the border claimed
date: 2023-06-03
regions: [belgorod]
tags: [shelling]
citations:
  v: {source: dw, url: "https://www.dw.com/raid"}
corrections:
  - date: 2023-06-04
    kind: clarification
    text: The video was first posted on 2 June.
  - date: 2023-06-06T09:00:00+03:00
    kind: retraction
    text: The video was **staged**; the raid did not happen.
---
A raid was claimed [@v].
-- content/briefings/drones.md --
---
title: Drones over Belgorod
date: 2023-06-07
regions: [belgorod]
citations:
  g: {source: gladkov, url: "https://t.me/vvgladkov/2"}
---
Drones were shot down [@g].
"""

SHELLED, RAID, DRONES = "/briefings/shelled/", "/briefings/raid/", "/briefings/drones/"


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(SITE)
    site.ok()
    return site


def feed(site, path):
    return ET.fromstring(site.file(path).read_bytes())


def entries(site, path):
    return {e.find(f"{A}id").text: e for e in feed(site, path).findall(f"{A}entry")}


def listed(site, path):
    """The briefing pages a listing links to, in order."""
    links = [a.get("href") for a in site.html(path).main.find_all("a")]
    return [href.split("briefings/")[1] for href in links if "briefings/" in href]


def test_notices_at_the_top_name_each_correction_and_clarification_with_its_date(site):
    main = site.html(SHELLED).main
    article = main.find("article")
    order = [e for e in article.children if not isinstance(e, str)]
    notices = main.find("section", cls="notices")
    assert order.index(notices) < order.index(main.find("div", cls="body"))
    assert notices.get("aria-label") == "Corrections and clarifications"
    texts = [n.text for n in notices.find_all("div", cls="notice")]
    assert texts == [
        "Clarification, June 3, 2023: Added that the governor spoke at night.",
        "Correction, June 4, 2023: An earlier version named the wrong district.",
    ]
    times = [t.get("datetime") for t in notices.find_all("time")]
    assert times == ["2023-06-03", "2023-06-04T10:00:00+03:00"]
    assert notices.find("em").text == "district"
    assert notices.find("a").get("href") == "https://t.me/vvgladkov"


def test_the_record_at_the_end_lists_every_entry_oldest_first(site):
    main = site.html(SHELLED).main
    record = main.find("section", cls="corrections")
    assert record.find("h2", id="corrections-heading").text == "Corrections"
    items = record.find_all("li")
    assert [li.get("id") for li in items] == ["correction-1", "correction-2", "correction-3"]
    assert [li.find("strong").text for li in items] == ["Clarification", "Correction", "Update"]
    assert items[2].text == (
        "Update, June 5, 2023: Casualty figures from the evening briefing added."
    )
    article = [e for e in main.find("article").children if not isinstance(e, str)]
    assert article.index(record) > article.index(main.find("div", cls="body"))
    assert article.index(record) < article.index(main.find("section", cls="sources"))


def test_the_page_is_updated_at_the_latest_of_updated_and_the_corrections(site):
    meta = site.html(SHELLED).main.find("p", cls="meta")
    assert "Updated June 5, 2023" in meta.text
    assert meta.find_all("time")[1].get("datetime") == "2023-06-05"


def test_a_briefing_without_corrections_has_no_notice_or_record(site):
    main = site.html(DRONES).main
    assert not main.has(cls="notices") and not main.has(cls="corrections")
    assert "Updated" not in main.find("p", cls="meta").text


def test_a_retracted_briefing_keeps_its_url_and_says_so_prominently(site):
    page = site.html(RAID)
    assert page.find("title").text == "Retracted: Raid on the border claimed · Border Watch"
    assert page.main.find("h1").text == "Retracted: Raid on the border claimed"
    banner = page.main.find(cls="retraction-banner")
    assert banner.get("role") == "note"
    assert banner.text == (
        "Retracted on June 6, 2023 The video was staged; the raid did not happen."
    )
    assert banner.find("time").get("datetime") == "2023-06-06T09:00:00+03:00"
    assert page.main.find("article").classes == ["briefing", "retracted"]
    # the clarification before it is still noted; the retraction is the banner
    notices = page.main.find("section", cls="notices").find_all("div", cls="notice")
    assert [n.find("strong").text for n in notices] == ["Clarification"]


@pytest.mark.parametrize("path", ["/", "/briefings/", "/regions/belgorod/", "/regions/russia/"])
def test_a_retracted_briefing_leaves_the_home_page_and_the_regions(site, path):
    assert listed(site, path) == ["drones/", "shelled/"]


@pytest.mark.parametrize("path", ["/feed.xml", "/regions/belgorod/feed.xml"])
def test_a_retracted_briefing_leaves_the_feeds_of_the_home_page_and_the_regions(site, path):
    assert sorted(entries(site, path)) == [f"{BASE}briefings/drones/", f"{BASE}briefings/shelled/"]


def test_region_counts_leave_a_retracted_briefing_out(site):
    counts = [c.text for c in site.html("/regions/").main.find_all("span", cls="count")]
    assert counts == ["2 briefings", "2 briefings"]


@pytest.mark.parametrize("path", ["/archive/", "/sources/dw/", "/tags/shelling/"])
def test_the_record_keeps_a_retracted_briefing_marked_as_retracted(site, path):
    main = site.html(path).main
    assert "raid/" in listed(site, path)
    assert [s.text for s in main.find_all("strong", cls="retracted-label")] == ["Retracted"]


def test_the_source_feed_keeps_a_retracted_briefing_titled_as_retracted(site):
    entry = entries(site, "/sources/dw/feed.xml")[f"{BASE}briefings/raid/"]
    assert entry.find(f"{A}title").text == "Retracted: Raid on the border claimed"


def test_the_briefings_feed_entry_keeps_its_id_and_published_time_and_is_updated(site):
    entry = entries(site, "/feed.xml")[f"{BASE}briefings/shelled/"]
    assert entry.find(f"{A}published").text == "2023-06-02T00:00:00+03:00"
    assert entry.find(f"{A}updated").text == "2023-06-05T00:00:00+03:00"
    assert entry.find(f"{A}title").text == "Villages shelled"


def test_the_feed_entry_carries_the_corrections(site, html_parser):
    entry = entries(site, "/feed.xml")[f"{BASE}briefings/shelled/"]
    content = html_parser(entry.find(f"{A}content").text)
    item = content.find("ol").find_all("li")[1]
    assert [p.text for p in item.find_all("p")] == [
        "Correction, June 4, 2023:",
        "An earlier version named the wrong district.",
    ]


def test_the_corrections_log_lists_every_correction_newest_first(site):
    main = site.html("/corrections/").main
    items = main.find("ol", cls="correction-log").find_all("li")
    assert [(li.find("strong").text, li.find("time").get("datetime")) for li in items] == [
        ("Retraction", "2023-06-06T09:00:00+03:00"),
        ("Update", "2023-06-05"),
        ("Correction", "2023-06-04T10:00:00+03:00"),
        ("Clarification", "2023-06-04"),
        ("Clarification", "2023-06-03"),
    ]
    links = [li.find("h2").find("a") for li in items]
    assert [a.get("href") for a in links] == [
        "../briefings/raid/#correction-2",
        "../briefings/shelled/#correction-3",
        "../briefings/shelled/#correction-2",
        "../briefings/raid/#correction-1",
        "../briefings/shelled/#correction-1",
    ]
    assert links[1].text == "Villages shelled"
    assert items[0].find("p", cls="meta").text == "Retraction · June 6, 2023"
    assert "The video was staged; the raid did not happen." in items[0].text
    assert items[3].find("strong", cls="retracted-label").text == "Retracted"


def test_the_log_and_its_entries_links_all_resolve(site):
    assert site.broken_links(BASE) == []


def test_the_log_announces_its_feed_and_every_page_links_the_log(site):
    page = site.html("/corrections/")
    link = page.find("link", rel="alternate", title="Corrections")
    assert link.get("href") == "../corrections/feed.xml"
    for path in ("/", SHELLED, "/archive/", "/corrections/"):
        footer = site.html(path).find("footer", cls="site-footer")
        assert [a.text for a in footer.find_all("a")][2] == "Corrections"
    assert site.html("/").find("footer", cls="site-footer").links_to("corrections/")


def test_the_corrections_feed_has_an_entry_per_correction_with_a_stable_id(site):
    root = feed(site, "/corrections/feed.xml")
    assert root.find(f"{A}id").text == f"{BASE}corrections/"
    assert root.find(f"{A}updated").text == "2023-06-06T09:00:00+03:00"
    found = root.findall(f"{A}entry")
    assert [e.find(f"{A}id").text for e in found] == [
        f"{BASE}briefings/raid/#correction-2",
        f"{BASE}briefings/shelled/#correction-3",
        f"{BASE}briefings/shelled/#correction-2",
        f"{BASE}briefings/raid/#correction-1",
        f"{BASE}briefings/shelled/#correction-1",
    ]
    first = found[0]
    assert first.find(f"{A}title").text == "Retraction: Raid on the border claimed"
    assert first.find(f"{A}published").text == "2023-06-06T09:00:00+03:00"
    assert first.find(f"{A}updated").text == "2023-06-06T09:00:00+03:00"
    assert first.find(f"{A}link").get("href") == f"{BASE}briefings/raid/#correction-2"
    assert "<strong>staged</strong>" in first.find(f"{A}content").text


def test_the_log_is_in_the_sitemap_and_its_feed_is_not(site):
    sitemap = site.text("/sitemap.xml")
    assert f"<loc>{BASE}corrections/</loc>" in sitemap
    assert "corrections/feed.xml" not in sitemap


def test_a_site_without_corrections_has_no_log(make_site):
    site = make_site(SITE.split("-- content/briefings/shelled.md --")[0], DRONES_ONLY)
    site.ok()
    assert not site.exists("/corrections/") and not site.exists("/corrections/feed.xml")
    assert not site.html("/").links_to("corrections/")


DRONES_ONLY = (
    "-- content/briefings/drones.md --" + SITE.split("-- content/briefings/drones.md --")[1]
)


def test_a_new_correction_keeps_the_ids_of_the_others_and_reaches_every_page(make_site):
    site = make_site(SITE)
    site.ok()
    before = entries(site, "/corrections/feed.xml")
    drones = site.root / "content/briefings/drones.md"
    text = drones.read_text(encoding="utf-8")
    drones.write_text(
        text.replace(
            "---\nDrones",
            "corrections:\n  - {date: 2023-06-08, kind: correction, text: 'Two drones, not three.'}"
            "\n---\nDrones",
        ),
        encoding="utf-8",
    )
    site.ok()  # with the cache of the first build
    after = entries(site, "/corrections/feed.xml")
    assert list(after) == [f"{BASE}briefings/drones/#correction-1", *before]
    home = entries(site, "/feed.xml")[f"{BASE}briefings/drones/"]
    assert home.find(f"{A}updated").text == "2023-06-08T00:00:00+03:00"
    assert "Two drones, not three." in site.html(DRONES).main.find(cls="notices").text
    clean = make_site(SITE, name="clean")
    (clean.root / "content/briefings/drones.md").write_text(drones.read_text(encoding="utf-8"))
    clean.ok("--no-cache")
    assert clean.output_files() == site.output_files()


def test_a_correction_text_has_no_ids_and_nothing_unsafe(make_site):
    site = make_site(
        SITE.split("-- content/briefings/shelled.md --")[0],
        DRONES_ONLY.replace(
            "---\nDrones",
            "corrections:\n  - date: 2023-06-08\n    kind: correction\n    text: |\n"
            "      ## Fixed {#x}\n\n      Two <span id='y'>drones</span>. "
            "<script>alert(1)</script>\n---\nDrones",
        ),
    )
    result = site.build()
    assert result.code == 0, result.err
    main = site.html(DRONES).main
    for section in (main.find(cls="notices"), main.find(cls="corrections")):
        assert "Fixed" in section.text and "Two drones." in section.text
        assert not section.has("script")
        ids = {e.get("id") for e in section.iter() if e.get("id")}
        assert ids <= {"corrections-heading", "correction-1"}  # the theme's own
    assert [h.text for h in main.find(cls="corrections").find_all("h2")] == ["Corrections", "Fixed"]


def test_a_same_day_correction_of_a_timed_briefing_is_not_dated_before_it(make_site):
    """A correction dated by its day alone, on the day of a briefing published at
    10:00, is accepted, and the feed does not show the briefing updated at midnight,
    before it was published."""
    site = make_site("""
-- content/site.yaml --
title: T
base_url: https://example.org/
-- content/briefings/a.md --
---
title: A
date: 2023-06-02T10:00:00+03:00
regions: [belgorod]
corrections:
  - date: 2023-06-02
    kind: update
    text: Added the governor's figures.
---
Text.
""")
    site.ok()
    entry = ET.fromstring(site.text("/feed.xml")).find(f"{A}entry")
    assert entry.findtext(f"{A}published") == "2023-06-02T10:00:00+03:00"
    assert entry.findtext(f"{A}updated") == "2023-06-02T10:00:00+03:00"


def test_a_sites_own_corrections_feed_of_before_still_has_its_title(make_site):
    """theme.md documented `feed_title` for corrections.xml; a template written to it
    keeps working (the bundled one writes the word in the site's language)."""
    own = '<?xml version="1.0" encoding="utf-8"?>\n<feed><title>{{ feed_title }}</title></feed>\n'
    site = make_site(SITE, f"-- templates/corrections.xml --\n{own}")
    site.ok()
    assert "<title>Border Watch: Corrections</title>" in site.text("/corrections/feed.xml")
