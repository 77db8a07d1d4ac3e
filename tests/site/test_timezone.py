"""The site's timezone: times without an offset are read in it (SPEC section 6)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest


def site_yaml(timezone: str = "") -> str:
    setting = f"timezone: {timezone}\n" if timezone else ""
    return f"-- content/site.yaml --\ntitle: T\nbase_url: https://example.org/\n{setting}"


def briefing(slug: str, date: str, front: str = "") -> str:
    return (
        f"-- content/briefings/{slug}.md --\n---\ntitle: Briefing {slug}\ndate: {date}\n"
        f"regions: [x]\n{front}---\nText of {slug}.\n"
    )


def times(site, url_path: str) -> list[str]:
    """The datetime attributes of the <time> elements in the page's <main>."""
    return [t.get("datetime") for t in site.html(url_path).main.find_all("time")]


def feed_times(site, slug: str, field: str) -> str:
    """The <published> or <updated> of the feed entry of the briefing ``slug``."""
    entries = re.findall(r"<entry>.*?</entry>", site.text("/feed.xml"), re.S)
    [entry] = [e for e in entries if f"/briefings/{slug}/" in e]
    found = re.search(rf"<{field}>(.*?)</{field}>", entry)
    assert found is not None
    return found[1]


def order(site) -> list[str]:
    """The briefings of the home page, as slugs, in the order listed."""
    links = site.html("/").main.links_to("briefings/")
    return [a.get("href").rstrip("/").rsplit("/", 1)[-1] for a in links]


def test_a_time_without_offset_is_read_in_the_sites_timezone(make_site):
    site = make_site(site_yaml("Europe/Moscow"), briefing("a", "2023-06-02T09:15"))
    built = site.ok("--strict")
    assert built.warnings == []  # no "read as UTC": the site says how to read it
    assert times(site, "/briefings/a/") == ["2023-06-02T09:15:00+03:00"]
    assert feed_times(site, "a", "published") == "2023-06-02T09:15:00+03:00"
    assert feed_times(site, "a", "updated") == "2023-06-02T09:15:00+03:00"


def test_a_time_in_local_mean_time_is_written_in_utc_where_machines_read_it(make_site):
    """Moscow's offset in 1900 was +02:30:17; RFC 3339 and HTML allow whole minutes."""
    site = make_site(site_yaml("Europe/Moscow"), briefing("a", "1900-01-01T10:00"))
    site.ok("--strict")
    assert times(site, "/briefings/a/") == ["1900-01-01T07:29:43+00:00"]
    assert feed_times(site, "a", "published") == "1900-01-01T07:29:43Z"
    metadata = site.text("/briefings/a/")
    assert '"datePublished":"1900-01-01T07:29:43+00:00"' in metadata
    assert "02:30:17" not in metadata


def test_without_a_timezone_the_time_is_read_as_utc_with_a_warning(make_site):
    site = make_site(site_yaml(), briefing("a", "2023-06-02T09:15"))
    built = site.ok()
    assert any("'date' has no UTC offset" in line for line in built.warnings)
    assert times(site, "/briefings/a/") == ["2023-06-02T09:15:00"]
    assert feed_times(site, "a", "published") == "2023-06-02T09:15:00Z"


def test_summer_and_winter_times_get_the_offset_in_force_then(make_site):
    site = make_site(
        site_yaml("Europe/Berlin"),
        briefing("summer", "2023-06-02T09:15"),
        briefing("winter", "2023-01-02T09:15:30"),
    )
    site.ok("--strict")
    assert times(site, "/briefings/summer/") == ["2023-06-02T09:15:00+02:00"]
    assert times(site, "/briefings/winter/") == ["2023-01-02T09:15:30+01:00"]
    assert feed_times(site, "winter", "published") == "2023-01-02T09:15:30+01:00"


def test_a_time_with_an_offset_is_kept_as_written(make_site):
    site = make_site(
        site_yaml("Europe/Moscow"),
        briefing("a", "2023-06-02T09:15:00+05:00", "updated: 2023-06-03T10:00Z\n"),
    )
    site.ok("--strict")
    assert times(site, "/briefings/a/") == [
        "2023-06-02T09:15:00+05:00",
        "2023-06-03T10:00:00+00:00",
    ]
    assert feed_times(site, "a", "published") == "2023-06-02T09:15:00+05:00"
    assert feed_times(site, "a", "updated") == "2023-06-03T10:00:00Z"


def test_a_date_is_midnight_in_the_sites_timezone(make_site):
    site = make_site(
        site_yaml("Europe/Moscow"), briefing("a", "2023-06-02", "updated: 2023-06-03\n")
    )
    site.ok("--strict")
    assert times(site, "/briefings/a/") == ["2023-06-02", "2023-06-03"]  # still a date
    assert feed_times(site, "a", "published") == "2023-06-02T00:00:00+03:00"
    assert feed_times(site, "a", "updated") == "2023-06-03T00:00:00+03:00"
    updated = re.search(r"<updated>(.*?)</updated>", site.text("/feed.xml"))
    assert updated is not None and updated[1] == "2023-06-03T00:00:00+03:00"


def test_a_date_is_midnight_utc_without_a_timezone(make_site):
    site = make_site(site_yaml(), briefing("a", "2023-06-02"))
    site.ok("--strict")
    assert feed_times(site, "a", "published") == "2023-06-02T00:00:00Z"


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [
        # 01:00 in Moscow is 22:00 UTC the day before: earlier than 23:30 UTC.
        ("Europe/Moscow", ["utc", "local", "day"]),
        # read as UTC, 01:00 on 2 June is the newest; the date (midnight UTC) next.
        ("", ["local", "day", "utc"]),
    ],
)
def test_briefings_are_sorted_by_the_moment_in_the_sites_timezone(make_site, timezone, expected):
    site = make_site(
        site_yaml(timezone),
        briefing("local", "2023-06-02T01:00"),
        briefing("utc", "2023-06-01T23:30:00+00:00"),
        briefing("day", "2023-06-02"),  # midnight Moscow: 21:00 UTC on 1 June
    )
    site.ok()
    assert order(site) == expected


def test_the_archive_month_is_the_month_in_the_sites_timezone(make_site):
    site = make_site(site_yaml("Asia/Tokyo"), briefing("a", "2023-07-01T02:00"))
    site.ok("--strict")
    archive = site.html("/archive/").main
    assert archive.has(id="2023-07")
    assert not archive.has(id="2023-06")
    assert times(site, "/briefings/a/") == ["2023-07-01T02:00:00+09:00"]


def test_a_citations_published_time_is_read_in_the_timezone(make_site):
    citation = (
        "citations:\n  c:\n    source: s\n    url: https://example.net/c\n"
        "    published: 2023-01-15T08:00\n"
        "    archive: https://web.archive.org/web/2023/https://example.net/c\n"
    )
    site = make_site(
        site_yaml("America/New_York"),
        briefing("a", "2023-01-16", citation).replace("Text of a.", "Text [@c]."),
    )
    site.ok("--strict")
    assert "2023-01-15T08:00:00-05:00" in times(site, "/briefings/a/")


def test_changing_the_timezone_changes_the_times_of_a_cached_build(make_site):
    site = make_site(site_yaml("Europe/Moscow"), briefing("a", "2023-06-02T09:15"))
    site.ok()
    assert (site.root / ".briefgen-cache").is_dir()
    assert times(site, "/briefings/a/") == ["2023-06-02T09:15:00+03:00"]
    site.write(site_yaml("Europe/London"))
    site.ok()
    assert times(site, "/briefings/a/") == ["2023-06-02T09:15:00+01:00"]
    assert feed_times(site, "a", "published") == "2023-06-02T09:15:00+01:00"
    site.write(site_yaml("Europe/Moscow"))
    site.ok()
    assert times(site, "/briefings/a/") == ["2023-06-02T09:15:00+03:00"]


def test_an_unknown_timezone_is_a_located_error_with_a_suggestion(make_site):
    site = make_site(site_yaml("Europe/Moskow"), briefing("a", "2023-06-02"))
    result = site.build()
    assert result.code == 1
    [error] = result.errors
    assert error.startswith("content/site.yaml:3:11: error: unknown timezone 'Europe/Moskow' ")
    assert "did you mean 'Europe/Moscow'" in error
    assert not site.out.exists()


def test_a_missing_timezone_database_is_a_located_error(make_site, monkeypatch):
    def no_database(key: str) -> zoneinfo.ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(f"No time zone found with key {key}")

    monkeypatch.setattr(zoneinfo, "ZoneInfo", no_database)
    monkeypatch.setattr(zoneinfo, "available_timezones", set)
    site = make_site(site_yaml("Europe/Moscow"), briefing("a", "2023-06-02"))
    result = site.build()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.errors == [
        "content/site.yaml:3:11: error: unknown timezone 'Europe/Moscow': this system has "
        "no timezone database (install the tzdata package: pip install tzdata)"
    ]


def test_new_writes_the_current_time_in_the_sites_timezone(make_site):
    zone = zoneinfo.ZoneInfo("Pacific/Kiritimati")  # UTC+14: its date is often not ours
    site = make_site(site_yaml("Pacific/Kiritimati"))
    before = dt.datetime.now(zone).replace(second=0, microsecond=0)
    result = site.run("new", "-s", site.root, "Night strike", "--region", "x")
    after = dt.datetime.now(zone)
    assert result.code == 0, result.err
    [path] = (site.root / "content/briefings").rglob("night-strike.md")
    written = re.search(r"^date: (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert written is not None and written[1].endswith("+14:00")
    moment = dt.datetime.fromisoformat(written[1])
    assert before <= moment <= after
    assert path.parent == site.root / f"content/briefings/{moment:%Y}/{moment:%m}"
    site.ok("--drafts", "--strict")
    assert times(site, "/briefings/night-strike/") == [moment.isoformat()]


def test_new_with_a_date_writes_that_date(make_site):
    site = make_site(site_yaml("Europe/Moscow"))
    assert site.run("new", "-s", site.root, "Old", "--date", "2023-06-02").code == 0
    text = (site.root / "content/briefings/2023/06/old.md").read_text(encoding="utf-8")
    assert "\ndate: 2023-06-02\n" in text
