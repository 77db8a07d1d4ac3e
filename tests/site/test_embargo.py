"""Embargo: a briefing with a publish_at is in no file of the site until then (SPEC
section 6), --future shows it marked as scheduled, and the moment is the build's."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from site_corpus import BORDER

ATOM = "{http://www.w3.org/2005/Atom}"
EMBARGOED = "content/briefings/2023/06/embargoed.md"
TITLE = "Эмбарго: drones over Graivoron"
PUBLISH_AT = "2023-06-07T06:00:00+03:00"
BEFORE = "2023-06-07T02:59:59Z"  # a second before PUBLISH_AT
AT = "2023-06-07T03:00:00Z"  # PUBLISH_AT itself, in UTC


def embargoed(publish_at: str = PUBLISH_AT, front: str = "", body: str = "") -> str:
    """The embargoed briefing: the newest of the site, with a tag, a region and a
    source that only it uses in that way."""
    at = f"publish_at: {publish_at}\n" if publish_at else ""
    return f"""
-- {EMBARGOED} --
---
title: "{TITLE}"
date: 2023-06-06T20:00:00+03:00
{at}summary: Drones were seen over Graivoron at night.
regions: [graivoron]
tags: [embargoed-tag, drones]
citations:
  dw-0606:
    source: dw
    url: https://www.dw.com/en/graivoron-drones/a-1
    title: Drones over Graivoron
{front}---

Residents reported drones over the town [@dw-0606].{body}
"""


def test_an_embargoed_briefing_leaves_no_trace_in_any_file(make_site):
    """Pages, listings, feeds, sitemap, tag, region and source pages and counts: the
    output is byte for byte that of the site without the briefing."""
    site = make_site(BORDER, embargoed())
    built = site.ok("--now", BEFORE, "--strict")
    without = make_site(BORDER, name="without")
    without.ok("--now", BEFORE, "--strict")
    assert site.output_files() == without.output_files()
    assert not site.exists("/briefings/embargoed/")
    assert not site.exists("/tags/embargoed-tag/")
    assert "embargoed" in built.out and EMBARGOED in built.out


def test_at_its_publish_at_it_is_published_like_a_briefing_without_one(make_site):
    site = make_site(BORDER, embargoed())
    site.ok("--now", AT, "--strict")
    plain = make_site(BORDER, embargoed(publish_at=""), name="plain")
    plain.ok("--now", AT, "--strict")
    assert site.output_files() == plain.output_files()
    assert TITLE in site.html("/briefings/embargoed/").main.text
    assert not site.html("/briefings/embargoed/").main.has(cls="scheduled")


@pytest.fixture(scope="module")
def future(make_module_site):
    site = make_module_site(BORDER, embargoed())
    site.ok("--now", BEFORE, "--future", "--strict")
    return site


def test_future_publishes_it_marked_as_scheduled(future):
    main = future.html("/briefings/embargoed/").main
    assert TITLE in main.text
    marker = main.find("strong", cls="scheduled")
    assert marker.text == "Scheduled for June 7, 2023, 6:00 AM"
    assert marker.find("time").get("datetime") == PUBLISH_AT
    assert not future.html("/briefings/kursk-drones/").main.has(cls="scheduled")


@pytest.mark.parametrize(
    "path", ["/", "/briefings/", "/regions/graivoron/", "/regions/russia/", "/sources/dw/"]
)
def test_future_lists_it_marked_as_scheduled(future, path):
    [item] = [
        li for li in future.html(path).main.find_all("li", cls="briefing-item") if TITLE in li.text
    ]
    assert item.find("strong", cls="scheduled").text == "Scheduled"


def test_future_puts_it_in_feeds_sitemap_and_tags(future):
    entries = ET.fromstring(future.text("/feed.xml")).findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}title") == TITLE
    assert "https://example.org/briefs/briefings/embargoed/" in future.text("/sitemap.xml")
    assert TITLE in future.html("/tags/embargoed-tag/").main.text
    assert TITLE in future.html("/archive/").main.text


def test_an_embargo_lifting_between_cached_builds_publishes_everywhere(make_site):
    site = make_site(BORDER, embargoed())
    site.ok("--now", BEFORE)
    assert not site.exists("/briefings/embargoed/")
    site.ok("--now", AT)  # same output folder, same cache: only the moment changed
    assert TITLE in site.html("/briefings/embargoed/").main.text
    assert TITLE in site.html("/").main.text
    assert TITLE in site.html("/tags/drones/").main.text
    assert TITLE in site.text("/regions/graivoron/feed.xml")
    clean = make_site(BORDER, embargoed(), name="clean")
    clean.ok("--now", AT, "--no-cache")
    assert site.output_files() == clean.output_files()


def test_a_scheduled_mark_goes_when_the_time_comes_with_the_cache(make_site):
    """Nothing in the file changed, only the moment: the pages that marked it are
    rendered again all the same."""
    site = make_site(BORDER, embargoed())
    site.ok("--now", BEFORE, "--future")
    assert site.html("/briefings/embargoed/").main.has(cls="scheduled")
    assert site.html("/").main.has(cls="scheduled")
    site.ok("--now", AT, "--future")
    assert not site.html("/briefings/embargoed/").main.has(cls="scheduled")
    assert not site.html("/").main.has(cls="scheduled")


def test_a_normal_build_removes_what_a_future_build_published(make_site):
    site = make_site(BORDER, embargoed())
    site.ok("--now", BEFORE, "--future")
    assert site.exists("/briefings/embargoed/")
    assert site.exists("/tags/embargoed-tag/")
    site.ok("--now", BEFORE)
    assert not site.exists("/briefings/embargoed/")
    assert not site.exists("/tags/embargoed-tag/")
    assert not any(TITLE.encode() in data for data in site.output_files().values())


def test_a_briefing_dated_after_the_build_is_published_with_a_warning(make_site):
    """A mistyped year puts a briefing above every other: the build that publishes it
    dated in the future says so, at its date, until that moment comes (a cached build
    too). A briefing held back by its publish_at until then is dated in the past."""
    site = make_site(BORDER, embargoed(publish_at=""))
    dated = "2023-06-06T17:00:00Z"  # its date, 20:00 in Moscow
    early, earlier = "2023-06-06T16:59:59Z", "2023-06-06T12:00:00Z"
    said = (
        f"{EMBARGOED}:3: warning: 'date' (2023-06-06T20:00:00+03:00) is still to come, so "
        "the briefing is published now dated in the future, above every briefing before it "
        "(correct the date, or hold the briefing back until then with 'publish_at')"
    )
    for now in (earlier, early):  # the second replays what the first found, and is as true
        assert said in site.ok("--now", now).warnings
    assert site.exists("/briefings/embargoed/")
    assert not [w for w in site.ok("--now", dated).warnings if EMBARGOED in w]
    assert site.build("--now", early, "--strict").code == 1
    held = make_site(BORDER, embargoed(publish_at=PUBLISH_AT), name="held")
    assert not [w for w in held.ok("--now", AT, "--strict").warnings if EMBARGOED in w]
    code = site.run("check", "-s", site.root, "--now", early)
    assert code.code == 0 and said in code.err


def test_a_briefing_dated_today_alone_is_never_told_of(make_site):
    """A day alone is in the future only before it begins anywhere on Earth (UTC+14):
    a curator east of UTC who dates a briefing today, on a site without a time zone
    (where the day is read from midnight UTC), is not told it is in the future."""
    site = make_site(BORDER, embargoed(publish_at="").replace(
        "date: 2023-06-06T20:00:00+03:00", "date: 2023-06-07"))  # fmt: skip
    begun = "2023-06-06T10:00:00Z"  # 2023-06-07 00:00 at UTC+14
    assert not [w for w in site.ok("--now", begun, "--strict").warnings if EMBARGOED in w]
    warned = site.ok("--now", "2023-06-06T09:59:59Z").warnings
    assert [w for w in warned if EMBARGOED in w and "'date' (2023-06-07)" in w]


def test_a_publish_at_on_the_day_of_a_date_alone_is_not_before_it(make_site):
    """'publish_at' 08:00 at UTC+12 on the day the briefing is dated is that day where
    the curator is, though the day has not begun in UTC: no warning, as for a build on
    that day."""
    site = make_site(BORDER, embargoed(publish_at="2023-06-07T08:00:00+12:00").replace(
        "date: 2023-06-06T20:00:00+03:00", "date: 2023-06-07"))  # fmt: skip
    assert not [w for w in site.ok("--now", AT).warnings if EMBARGOED in w]
    early = make_site(BORDER, embargoed(publish_at="2023-06-06T08:00:00+12:00").replace(
        "date: 2023-06-06T20:00:00+03:00", "date: 2023-06-07"), name="early")  # fmt: skip
    assert [w for w in early.ok("--now", AT).warnings if "'publish_at'" in w]


def test_a_date_alone_is_midnight_in_the_sites_timezone(make_site):
    site = make_site(BORDER, embargoed(publish_at="2023-06-07"))
    site.write("-- content/site.yaml --\ntitle: T\nbase_url: https://example.org/\n"
               "timezone: Europe/Moscow\n")  # fmt: skip
    site.ok("--now", "2023-06-06T20:59:59Z")
    assert not site.exists("/briefings/embargoed/")
    site.ok("--now", "2023-06-06T21:00:00Z")  # midnight in Moscow
    assert site.exists("/briefings/embargoed/")


def test_without_now_the_clock_decides(make_site):
    site = make_site(BORDER, embargoed(publish_at="2999-01-01T00:00:00Z"))
    site.write(embargoed(publish_at="2001-01-01T00:00:00Z").replace("embargoed.md", "past.md"))
    site.ok()
    assert not site.exists("/briefings/embargoed/")
    assert site.exists("/briefings/past/")


def test_drafts_do_not_show_embargoed_briefings_but_future_does(make_site):
    site = make_site(BORDER, embargoed(front="draft: true\n"))
    site.ok("--now", BEFORE, "--drafts")
    assert not site.exists("/briefings/embargoed/")
    site.ok("--now", BEFORE, "--drafts", "--future")
    main = site.html("/briefings/embargoed/").main
    assert main.has("strong", cls="scheduled") and main.find("strong").text == "Draft"


def test_without_registries_its_keys_make_no_pages(make_site):
    site = make_site(
        "-- content/site.yaml --\ntitle: T\n",
        "-- content/briefings/old.md --\n---\ntitle: Old\ndate: 2023-06-01\nregions: [kursk]\n"
        "---\nText.\n",
        embargoed(),
    )
    site.ok("--now", BEFORE)
    assert site.exists("/regions/kursk/")
    assert not site.exists("/regions/graivoron/")
    assert not site.exists("/sources/dw/")
    assert "graivoron" not in site.text("/regions/")
    site.ok("--now", AT)
    assert site.exists("/regions/graivoron/") and site.exists("/sources/dw/")


# --- links to it, and its own problems --------------------------------------------------

LINKING = """
-- content/pages/about.md --
---
title: About
---
Our latest: [the drones](../briefings/2023/06/embargoed.md#top).
"""


def test_a_link_to_it_by_file_is_an_error_until_then(make_site):
    site = make_site(BORDER, embargoed(), LINKING)
    result = site.build("--now", BEFORE)
    assert result.code == 1
    assert result.errors == [
        "content/pages/about.md:4:26: error: link '../briefings/2023/06/embargoed.md#top' is to "
        f"a briefing embargoed until {PUBLISH_AT}, which is not published yet (link to it once "
        "it is published, or build with --future to preview)"
    ]
    assert site.build("--now", BEFORE, "--future").code == 0
    assert site.build("--now", AT).code == 0
    assert site.html("/pages/about/").main.links_to("../../briefings/embargoed/#top")


def test_a_link_by_url_to_it_is_a_broken_link_until_then(make_site):
    site = make_site(BORDER, embargoed())
    site.write("-- content/pages/about.md --\n---\ntitle: About\n---\n"
               "See [it](/briefings/embargoed/).\n")  # fmt: skip
    result = site.run("check", "-s", site.root, "--now", BEFORE)
    assert result.code == 1
    assert result.errors == [
        "content/pages/about.md:4:10: error: broken link '/briefings/embargoed/': "
        "no such page or file in the site"
    ]
    assert site.run("check", "-s", site.root, "--now", BEFORE, "--future").code == 0


def later(publish_at: str, target: str) -> str:
    """A second embargoed briefing, linking the first one by file."""
    return (
        "-- content/briefings/2023/06/later.md --\n---\ntitle: Later\ndate: 2023-06-06\n"
        f"publish_at: {publish_at}\nregions: [kursk]\n---\nSee [it]({target}).\n"
    )


def test_an_embargoed_briefing_may_link_one_that_goes_live_no_later(make_site):
    site = make_site(BORDER, embargoed(), later("2023-06-07T07:00:00+03:00", "embargoed.md"))
    assert site.build("--now", BEFORE).code == 0
    site.ok("--now", "2023-06-07T04:00:00Z")
    assert site.html("/briefings/later/").main.links_to("../../briefings/embargoed/")


def test_an_embargoed_briefing_may_not_link_one_that_goes_live_later(make_site):
    site = make_site(BORDER, embargoed(), later("2023-06-07T05:00:00+03:00", "embargoed.md"))
    result = site.build("--now", "2023-06-07T01:00:00Z")  # both embargoed
    assert result.errors == [
        "content/briefings/2023/06/later.md:7:10: error: link 'embargoed.md' is to a briefing "
        f"embargoed until {PUBLISH_AT}, after this one is published (2023-06-07T05:00:00+03:00) "
        "(give this briefing a 'publish_at' no earlier than that one's)"
    ]


def test_it_is_checked_while_embargoed(make_site):
    """Its problems cannot wait for the unattended build that publishes it."""
    site = make_site(
        BORDER,
        embargoed(front="slug: kursk-drones\n", body=" [gone](missing.md)")
        .replace("[graivoron]", "[graivoronn]")
        .replace("drones]", "Drones, '#']")
        .replace("source: dw", "source: dww"),
    )
    result = site.build("--now", BEFORE)
    assert result.code == 1
    assert result.errors == [
        f"{EMBARGOED}:6:11: error: unknown region 'graivoronn' (not in content/regions.yaml) "
        "(did you mean 'graivoron'?)",
        f"{EMBARGOED}:7:31: error: tag '#' has no letters or digits",
        f"{EMBARGOED}:10:13: error: unknown source 'dww' (not in content/sources.yaml) "
        "(did you mean 'dw'?)",
        f"{EMBARGOED}:13:7: error: briefing slug 'kursk-drones' is already used by "
        "content/briefings/2023/06/kursk-drones.md (set a different 'slug:' in one of them)",
        f"{EMBARGOED}:16:60: error: link 'missing.md' is to no briefing or page: there is no "
        "file content/briefings/2023/06/missing.md",
    ]


# --- the command line ---------------------------------------------------------------------


def test_build_and_check_name_what_waits_and_until_when(make_site):
    site = make_site(BORDER, embargoed())
    for command in ("build", "check"):
        result = site.run(command, "-s", site.root, "--now", BEFORE)
        assert result.code == 0, result.err
        assert result.out.splitlines()[-2:] == [
            "Embargoed, left out until their publish_at (--future includes them):",
            f"  {PUBLISH_AT}  {EMBARGOED}",
        ]
        assert "Embargoed" not in site.run(command, "-s", site.root, "--now", AT).out
        assert "Embargoed" not in site.run(command, "-s", site.root, "--future").out


@pytest.mark.parametrize("value", ["2023-06-07", "2023-06-07T06:00", "tomorrow", ""])
def test_now_must_be_a_time_with_an_offset(make_site, value):
    site = make_site(BORDER)
    result = site.build("--now", value)
    assert result.code == 2
    assert "argument --now: " in result.err
    assert "is not a date and time with a UTC offset" in result.err


def test_now_written_right_but_not_in_the_calendar_is_said_to_be_so(make_site):
    result = make_site(BORDER).build("--now", "2024-13-40T06:00:00+03:00")
    assert result.code == 2
    assert "argument --now: '2024-13-40T06:00:00+03:00' is not a real date and time" in result.err


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_help_explains_future_and_now(make_site, command):
    text = " ".join(make_site(BORDER).run(command, "--help").out.split())
    assert "--future include briefings whose publish_at is still to come" in text
    assert "--now TIME decide embargoes as at TIME" in text
