"""The preview's two ways of catching up, driven directly (no server, no watcher)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import time
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import SOURCES, briefing

from briefgen.build import BuildOptions
from briefgen.diagnostics import Diagnostics
from briefgen.render.routes import Route
from briefgen.serve import preview as preview_module
from briefgen.serve.preview import Preview, Snapshot


def make(site: Path, **options: Any) -> tuple[Preview, list[str]]:
    log: list[str] = []
    chosen = BuildOptions(write=False, base_url="http://127.0.0.1:1/", **options)
    preview = Preview(site, chosen, log.append)
    preview.rebuild()
    return preview, log


def test_body_edit_patches_the_snapshot(site: Path) -> None:
    preview, log = make(site)
    before = preview.snapshot
    assert before is not None
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "New words"))
    preview.rebuild({"content/briefings/first.md"})
    after = preview.snapshot
    assert after is not None
    assert after.renderer is before.renderer  # patched, not loaded and linked again
    assert log[-1].startswith("Updated the edited text in ")
    assert b"New words" in preview.respond("/briefings/first/").body
    assert b"New words" in preview.respond("/feed.xml").body


@pytest.mark.parametrize("linked", [False, True], ids=["unlinked", "linking already"])
def test_a_link_to_another_file_an_edit_adds_leads_to_its_page(site: Path, linked: bool) -> None:
    """A body's links to other files are made from the site's slugs: an edit that adds
    one is not shown as the text alone, where the link would lead to the file."""
    first = site / "content/briefings/first.md"
    if linked:
        first.write_text(briefing("First briefing", "See [the second](second.md). Shelling"))
    preview, _ = make(site)
    text = "Shelling reported. See [the second briefing](second.md) and [the first](first.md)"
    first.write_text(briefing("First briefing", text))
    preview.rebuild({"content/briefings/first.md"})
    body = preview.respond("/briefings/first/").body
    assert b'href="../../briefings/second/"' in body, body
    assert b'href="../../briefings/first/"' in body
    assert b".md" not in body.split(b"<main")[1].split(b"</main>")[0]


def test_a_line_added_above_a_link_to_another_file_patches_the_snapshot(site: Path) -> None:
    first = site / "content/briefings/first.md"
    first.write_text(briefing("First briefing", "See [the second](second.md). Shelling"))
    preview, log = make(site)
    first.write_text(
        briefing("First briefing", "Sirens at two.\n\nSee [the second](second.md). Shelling")
    )
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Updated the edited text in "), log
    body = preview.respond("/briefings/first/").body
    assert b"Sirens at two." in body
    assert b'href="../../briefings/second/"' in body


def test_a_new_paragraph_without_a_citation_is_warned_of_as_check_warns(site: Path) -> None:
    """The text's claims decide its coverage warnings: an edit that changes them is
    loaded again, so that the page shows what check --strict reports."""
    preview, _ = make(site)
    uncited = " ".join(["Residents said the shelling went on through the night"] * 3)
    text = briefing("First briefing", "Shelling reported").replace(
        "[@g].\n", f"[@g].\n\n{uncited}.\n"
    )
    (site / "content/briefings/first.md").write_text(text)
    preview.rebuild({"content/briefings/first.md"})
    assert preview.snapshot is not None
    warnings = [w.message for w in preview.snapshot.checks.warnings]
    assert any("paragraph without a citation" in w for w in warnings), warnings
    assert b"paragraph without a citation" in preview.respond("/briefings/first/").body


def test_a_claim_resting_on_a_source_graded_e_is_warned_of_in_its_new_words(site: Path) -> None:
    """The warning quotes the claim's opening: an edit of its words is loaded again, so
    that the page quotes what check --strict reports, not the words before the edit."""
    (site / "content/sources.yaml").write_text(SOURCES.replace("reliability: C", "reliability: E"))
    preview, _ = make(site)
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "Drones seen"))
    preview.rebuild({"content/briefings/first.md"})
    assert preview.snapshot is not None
    warnings = [
        w.message
        for w in preview.snapshot.checks.warnings
        if w.location.path == "content/briefings/first.md"
    ]
    assert warnings == ['paragraph rests only on sources graded E: "Drones seen."']
    assert b"Drones seen." in preview.respond("/briefings/first/").body


def test_edits_one_after_another_each_patch_the_pages_that_show_the_text(site: Path) -> None:
    preview, log = make(site)
    before = preview.snapshot
    assert before is not None
    for words in ("New words", "Newer words", "Newest words"):
        (site / "content/briefings/first.md").write_text(briefing("First briefing", words))
        preview.rebuild({"content/briefings/first.md"})
        assert log[-1].startswith("Updated the edited text in ")
        assert bytes(words, "utf-8") in preview.respond("/briefings/first/").body
        assert bytes(words, "utf-8") in preview.respond("/feed.xml").body
    after = preview.snapshot
    assert after is not None
    patched = {path for path in before.routes if after.routes[path] is not before.routes[path]}
    assert "briefings/first/" in patched and "feed.xml" in patched
    assert "briefings/second/" not in patched and "" not in patched  # the home page shows no body


def test_an_edit_to_a_briefing_that_links_to_another_is_patched_with_its_links(
    site: Path,
) -> None:
    """Its pages show a copy of it with its links made: the patch makes the edit's so."""
    first = site / "content/briefings/first.md"
    text = (
        briefing("First briefing").replace(
            "date: 2023-06-02\n", "date: 2023-06-02\nsummary: Shelling.\n"
        )
        + "\nSee [the second](second.md) for the earlier shelling.\n"
    )
    first.write_text(text)
    preview, log = make(site)
    first.write_text(text.replace("the earlier shelling", "the shelling the day before"))
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Updated the edited text in ")
    body = preview.respond("/briefings/first/").body
    assert b"the shelling the day before" in body and b'href="../../briefings/second/"' in body
    assert b"the shelling the day before" in preview.respond("/feed.xml").body

    first.write_text(text.replace("(second.md)", "(/briefings/second/)"))
    preview.rebuild({"content/briefings/first.md"})  # its links changed: loaded again
    assert log[-1].startswith("Rebuilt in ")
    assert b'href="../../briefings/second/"' in preview.respond("/briefings/first/").body


def test_a_reload_leaves_its_garbage_to_the_tidy_once_idle(site: Path) -> None:
    """The collection a reload makes due (its own cycles, and the cycles of the
    snapshot it drops) walks every object of the site: it waits until the preview is
    idle, then leaves nothing for a collection at the next edit."""
    preview, _ = make(site)
    assert preview.tidy_in() is None  # a first load leaves nothing to free
    preview.rebuild()
    waited = preview.tidy_in()
    assert waited is not None and 0 < waited <= preview_module.TIDY_AFTER
    preview.respond("/")  # a page served: the preview is not idle yet
    again = preview.tidy_in()
    assert again is not None and again > waited - 0.05
    preview.tidy()
    assert preview.tidy_in() is None
    assert gc.collect() == 0


def test_the_first_load_leaves_its_snapshot_out_of_collections(site: Path) -> None:
    """A first load has no last snapshot to free: nothing collects the site it loaded,
    not even once before the preview serves it."""
    gc.unfreeze()  # what the tests before this one left out of collections
    preview, _ = make(site)
    assert preview.snapshot is not None
    routes = preview.snapshot.routes
    assert not any(tracked is routes for tracked in gc.get_objects())


def test_no_collection_runs_while_the_first_load_is_made(site: Path) -> None:
    """Every object of a first load is made with the collector paused, and left out of
    its runs before it runs again: no run walks them before the preview serves."""
    runs: list[int] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    chosen = BuildOptions(write=False, base_url="http://127.0.0.1:1/")
    preview = Preview(site, chosen, [].append)
    gc.callbacks.append(noted)
    try:
        preview.rebuild()
    finally:
        gc.callbacks.remove(noted)
    assert preview.snapshot is not None
    assert runs == []


def test_a_reload_frees_the_snapshot_the_first_load_left_out(site: Path) -> None:
    """Once no longer the snapshot before either (a page of the new one that fails is
    served as that one made it)."""
    preview, _ = make(site)
    assert preview.snapshot is not None
    templates = weakref.ref(preview.snapshot.renderer.env)  # held in cycles of its own
    preview.rebuild()
    preview.tidy()
    assert templates() is not None
    preview.rebuild()
    assert templates() is not None  # until the preview is idle
    preview.tidy()
    assert templates() is None


def test_a_snapshot_a_text_edit_drops_is_freed_once_idle(site: Path) -> None:
    """A patched snapshot shares its templates with the one before; the loaded one it
    drops holds its site in cycles of its own."""
    preview, _ = make(site)
    assert preview.snapshot is not None
    templates = weakref.ref(preview.snapshot.renderer.env)
    preview.rebuild()
    preview.tidy()
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "New words"))
    preview.rebuild({"content/briefings/first.md"})  # patched: the first load dropped
    assert preview.tidy_in() is not None
    preview.tidy()
    assert templates() is None


def test_the_first_build_says_built_and_later_ones_rebuilt(site: Path) -> None:
    preview, log = make(site)
    assert log[-1].startswith("Built in ")
    preview.rebuild()
    assert log[-1].startswith("Rebuilt in ")


def test_the_first_site_served_after_a_start_with_errors_says_built(site: Path) -> None:
    first = site / "content/briefings/first.md"
    good = first.read_text()
    first.write_text(good.replace("[@g]", "[@typo]"))
    preview, log = make(site)
    assert log[-1] == "The build has 1 error(s); nothing to serve yet."
    first.write_text(good)
    preview.rebuild(["content/briefings/first.md"])
    assert log[-1].startswith("Built in ")


def saved_again(path: Path, text: str, soon: int) -> None:
    """``path`` rewritten with ``text``, of the same size, with the times ``soon``: as a
    second save within one tick of the file system's clock leaves it."""
    size = path.stat().st_size
    path.write_text(text)
    os.utime(path, ns=(soon, soon))
    assert path.stat().st_size == size


def test_a_file_saved_again_in_the_same_tick_is_read_again_by_a_load(site: Path) -> None:
    """A load keeps what each file parsed to by its size and time, but never for a file
    that changed just before it: such a file could change again and keep both (see
    cache/settled.py)."""
    first = site / "content/briefings/first.md"
    soon = time.time_ns() + 30 * 10**9  # the time of the loads, or later: however slow
    saved_again(first, briefing("First briefinf"), soon)
    preview, _ = make(site)
    assert b"First briefinf" in preview.respond("/").body
    saved_again(first, briefing("First briefing"), soon)  # the typo fixed: a new title
    preview.rebuild({"content/briefings/first.md"})
    assert b"First briefinf" not in preview.respond("/").body
    assert b"First briefing" in preview.respond("/").body


def test_an_edit_of_the_same_size_with_its_time_set_back_is_read_again(site: Path) -> None:
    """A copy that keeps the modification time (`cp -p`, `rsync -t`) is told by the
    change time, which no program sets (see cache/settled.py)."""
    first = site / "content/briefings/first.md"
    hour_ago = time.time_ns() - 3600 * 10**9
    saved_again(first, briefing("First briefinf"), hour_ago)
    time.sleep(0.2)  # the change settled: known by its stamp from now on
    preview, _ = make(site)
    assert b"First briefinf" in preview.respond("/").body
    saved_again(first, briefing("First briefing"), hour_ago)
    time.sleep(0.2)
    preview.rebuild({"content/briefings/first.md"})
    assert b"First briefing" in preview.respond("/").body


def test_a_file_saved_again_in_the_same_tick_after_a_patch_is_read_again_by_a_load(
    site: Path,
) -> None:
    """So for what a patch keeps of the file it read: a load after it, for an edit it
    cannot patch, reads the file again."""
    first, second = site / "content/briefings/first.md", site / "content/briefings/second.md"
    preview, log = make(site)
    soon = time.time_ns() + 30 * 10**9
    saved_again(first, briefing("First briefing", "Shelling reportde"), soon)
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Updated the edited text in ")
    saved_again(first, briefing("First briefing", "Shelling reported"), soon)
    second.write_text(briefing("Second briefing", date="2023-05-31"))  # moved: loaded again
    preview.rebuild(["content/briefings/second.md", "content/briefings/first.md"])
    assert log[-1].startswith("Rebuilt in ")
    page = preview.respond("/briefings/first/").body
    assert b"Shelling reported" in page and b"reportde" not in page


def test_an_edit_that_moves_a_briefing_in_the_lists_loads_again(site: Path) -> None:
    preview, log = make(site)
    before = preview.snapshot
    (site / "content/briefings/second.md").write_text(briefing("Second", date="2023-06-03"))
    preview.rebuild({"content/briefings/second.md"})
    assert preview.snapshot is not None and preview.snapshot.renderer is not before.renderer
    assert log[-1].startswith("Rebuilt in ")
    home = preview.respond("/").body
    assert home.index(b"briefings/second/") < home.index(b"briefings/first/")


def test_a_reload_for_content_alone_renders_no_page_before_it_is_served(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page of each template is rendered before a reload is served only
    when the templates or the settings may have changed: on a large site, the
    sitemap and the archive are a fifth of a reload."""
    checked: list[int] = []
    first_of_each = preview_module._first_of_each_template

    def noted(snapshot: Snapshot) -> tuple[str, ...]:
        checked.append(len(snapshot.pages))
        return first_of_each(snapshot)

    monkeypatch.setattr(preview_module, "_first_of_each_template", noted)
    preview, log = make(site)
    assert len(checked) == 1
    (site / "content/briefings/second.md").write_text(briefing("Second", date="2023-06-03"))
    preview.rebuild({"content/briefings/second.md"})
    assert log[-1].startswith("Rebuilt in ") and len(checked) == 1
    assert preview.snapshot is not None and not preview.snapshot.pages
    (site / "content/site.yaml").write_text("title: Preview again\n")
    preview.rebuild({"content/site.yaml"})
    assert log[-1].startswith("Rebuilt in ") and len(checked) == 2
    assert b"Preview again" in preview.respond("/").body


def test_a_new_title_of_a_briefing_with_an_old_address_loads_again(site: Path) -> None:
    """The old address's redirect page shows the title of the page it moved to."""
    first = site / "content/briefings/first.md"
    first.write_text(briefing("First").replace("title:", "aliases: [/old-first/]\ntitle:"))
    preview, log = make(site)
    first.write_text(
        briefing("First, retitled").replace("title:", "aliases: [/old-first/]\ntitle:")
    )
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Rebuilt in ")
    assert b"First, retitled" in preview.respond("/old-first/").body


def test_body_edit_with_a_new_citation_loads_again(site: Path) -> None:
    preview, _ = make(site)
    text = briefing("First briefing").replace("[@g].", "[@g] and [@missing].")
    (site / "content/briefings/first.md").write_text(text)
    preview.rebuild({"content/briefings/first.md"})
    assert preview.errors and "citation 'missing' is not defined" in preview.errors[0]
    assert b"First briefing" in preview.respond("/briefings/first/").body


# Every page shows how often each citation is cited, of every briefing of the site,
# of those its list shows, and of those its month's archive shows.
COUNTS = (
    '<span class="uses">{% for b in site.briefings %}{{ b.slug }}'
    "{% for c in b.citations %}={{ c.uses }}{% endfor %} {% endfor %}|"
    "{% if paginator is defined %}{% for b in paginator.items %}"
    "{% for c in b.citations %}{{ c.uses }}{% endfor %},{% endfor %}{% endif %}|"
    "{% for month, items in site.by_month %}{% for b in items %}"
    "{% for c in b.cited %}{{ c.uses }}{% endfor %}{% endfor %}{% endfor %}</span>"
)


def _cited(title: str, text: str, date: str, extra: str = "") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\nregions: [belgorod]\ntags: [shelling]\n"
        "citations:\n  g: {source: gladkov, url: 'https://t.me/vvgladkov/1'}\n"
        f"  h: {{source: gladkov, url: 'https://t.me/vvgladkov/2'}}\n{extra}---\n{text}\n"
    )


def _pages(preview: Preview) -> dict[str, bytes | None]:
    snapshot = preview.snapshot
    assert snapshot is not None
    return {
        path: preview_module._rendered(snapshot, route, Diagnostics())
        for path, route in snapshot.routes.items()
    }


def test_an_edit_of_what_any_page_may_show_is_patched_into_every_page(site: Path) -> None:
    """How often a citation is cited is made from the text, and a theme may show it on
    any page that reads the briefing, as it may the title: such an edit is patched into
    every list of the site that holds the briefing, and every page comes out as a site
    loaded afresh makes it."""
    base = (Path(__file__).resolve().parents[2] / "templates/base.html").read_text()
    footer = '<p class="print-only">'
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/base.html").write_text(base.replace(footer, COUNTS + footer))
    first, second = site / "content/briefings/first.md", site / "content/briefings/second.md"
    correction = "corrections:\n  - {date: 2023-06-03, kind: correction, text: 'Two, not three.'}\n"
    first.write_text(_cited("First", "Shelling [@g]. Sirens [@h].", "2023-06-02", correction))
    second.write_text(
        _cited("Second", "Drones [@h]. Sirens [@g]. See [the first](first.md).", "2023-06-01")
    )
    preview, log = make(site)
    edits = [
        (first, "First", "Shelling [@g]. Sirens [@h]. Again [@g]."),  # g once more
        (first, "First", "Shelling [@g]. Sirens went on [@h]. Again [@g]."),  # the text alone
        (second, "Second", "Drones [@h; @g]. See [the first](first.md). More [@h]."),  # h
        (first, "First", "Shelling [@g]. Sirens [@h]."),  # g once less
        (second, "Drones over the border", "Drones [@h; @g]. See [the first](first.md). Ok [@h]."),
        (first, "Shelling, and a correction", "Shelling [@g]. Sirens went on [@h]."),
        (second, "Drones over the border", "Drones [@h; @g]. See [the first](first.md). Ok [@h]."),
    ]
    for number, (file, title, text) in enumerate(edits):
        extra = correction if file == first else "summary: Drones seen at dawn.\n" * (number > 5)
        date = "2023-06-02" if file == first else "2023-06-01"
        file.write_text(_cited(title, text, date, extra))
        rel = f"content/briefings/{file.name}"
        preview.rebuild({rel})
        assert log[-1].startswith("Updated the edited text in "), log
        fresh, _ = make(site)
        assert _pages(preview) == _pages(fresh), text
    counted = preview.respond("/regions/belgorod/").body
    assert b'"uses">first=1=1 second=2=1 |11,21,|1121<' in counted  # in the sources' order
    assert b"Drones over the border" in counted and b"Shelling, and a correction" in counted
    assert b"Drones seen at dawn." in counted
    assert b"Shelling, and a correction" in preview.respond("/corrections/").body


def test_a_new_timezone_reads_unchanged_files_again(site: Path) -> None:
    (site / "content/briefings/first.md").write_text(
        briefing("First briefing", date="2023-06-02T09:15")
    )
    (site / "content/site.yaml").write_text("title: Preview\ntimezone: Europe/Moscow\n")
    preview, _ = make(site)
    assert b'datetime="2023-06-02T09:15:00+03:00"' in preview.respond("/briefings/first/").body
    (site / "content/site.yaml").write_text("title: Preview\ntimezone: Europe/Paris\n")
    preview.rebuild({"content/site.yaml"})
    assert not preview.errors
    assert b'datetime="2023-06-02T09:15:00+02:00"' in preview.respond("/briefings/first/").body


def test_a_body_edit_is_read_in_the_sites_timezone(site: Path) -> None:
    (site / "content/site.yaml").write_text("title: Preview\ntimezone: Europe/Moscow\n")
    first = site / "content/briefings/first.md"
    first.write_text(briefing("First briefing", date="2023-06-02T09:15"))
    preview, log = make(site)
    first.write_text(briefing("First briefing", "New words", date="2023-06-02T09:15"))
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Updated the edited text in ")  # the same time: patched
    body = preview.respond("/briefings/first/").body
    assert b"New words" in body and b'datetime="2023-06-02T09:15:00+03:00"' in body


def test_the_preview_links_folders_whatever_file_urls_says(site: Path) -> None:
    """A server answers a folder with its index.html: the preview keeps clean links."""
    (site / "content/site.yaml").write_text("title: Preview\nfile_urls: true\n")
    (site / "content/briefings/first.md").write_text(
        briefing("First briefing", "See [the second](/briefings/second/)")
    )
    preview, _ = make(site)
    assert not preview.errors
    home = preview.respond("/").body
    assert b'href="briefings/first/"' in home
    assert b"index.html" not in home
    body = preview.respond("/briefings/first/").body
    assert b'href="../../briefings/second/"' in body
    (site / "content/briefings/first.md").write_text(
        briefing("First briefing", "See [the other](/briefings/second/)")
    )
    preview.rebuild({"content/briefings/first.md"})  # patched: parsed on its own
    assert b'<a href="../../briefings/second/">the other</a>' in (
        preview.respond("/briefings/first/").body
    )


LATER = "content/briefings/later.md"
BEFORE = dt.datetime(2023, 6, 3, 2, 59, tzinfo=dt.timezone.utc)  # PUBLISH_AT is 03:00 UTC
AFTER = dt.datetime(2023, 6, 3, 3, 1, tzinfo=dt.timezone.utc)


def embargoed(text: str = "Not yet") -> str:
    front = "date: 2023-06-02\npublish_at: 2023-06-03T06:00:00+03:00\n"
    return briefing("Later briefing", text).replace("date: 2023-06-02\n", front)


def test_an_embargoed_briefing_is_not_previewed_unless_future(site: Path) -> None:
    (site / LATER).write_text(embargoed())
    preview, _ = make(site, now=BEFORE)
    assert preview.respond("/briefings/later/").status == 404
    assert b"Later briefing" not in preview.respond("/").body
    future, _ = make(site, now=BEFORE, future=True)
    page = future.respond("/briefings/later/")
    assert page.status == 200 and b"Scheduled for" in page.body
    assert b"Later briefing" in future.respond("/").body


def test_editing_an_embargoed_briefing_decides_its_embargo_again(site: Path) -> None:
    """The time may have passed since the last rebuild: the edit is not patched in
    (there may be no page to patch), the site is loaded again at the new moment."""
    (site / LATER).write_text(embargoed())
    preview, log = make(site, now=BEFORE)
    preview.options = replace(preview.options, now=AFTER)  # as the clock would move on
    (site / LATER).write_text(embargoed("New words"))
    preview.rebuild({LATER})
    assert log[-1].startswith("Rebuilt in ")
    page = preview.respond("/briefings/later/")
    assert page.status == 200 and b"New words" in page.body
    assert b"Scheduled" not in page.body


def test_an_edit_of_another_briefing_after_an_embargo_ends_publishes_it(site: Path) -> None:
    """A text edit is patched in over the last load, which decided the embargoes of
    its moment: once one has ended, the site is loaded again, so that the briefing
    appears at the next save of any file (docs/previewing.md)."""
    (site / LATER).write_text(embargoed())
    preview, log = make(site, now=BEFORE)
    preview.options = replace(preview.options, now=AFTER)  # as the clock would move on
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "New words"))
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Rebuilt in ")
    assert preview.respond("/briefings/later/").status == 200
    assert b"New words" in preview.respond("/briefings/first/").body


def test_a_briefing_dated_in_the_future_is_told_of_until_its_date(site: Path) -> None:
    """The warning holds until the briefing's date: an edit after it loads the site
    again at the new moment, as an embargo's end does, and the warning is gone."""
    (site / LATER).write_text(briefing("Later briefing", date="2023-06-03T06:00:00+03:00"))
    preview, log = make(site, now=BEFORE)
    warnings = [w.message for w in preview.snapshot.checks.warnings]
    assert any("dated in the future" in w for w in warnings), warnings
    preview.options = replace(preview.options, now=AFTER)  # as the clock would move on
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "New words"))
    preview.rebuild({"content/briefings/first.md"})
    assert log[-1].startswith("Rebuilt in ")
    warnings = [w.message for w in preview.snapshot.checks.warnings]
    assert not any("dated in the future" in w for w in warnings), warnings


def test_the_preview_serves_every_part_of_a_search_index_in_parts(site: Path) -> None:
    """One briefing in May, one in June, a part each: the second at its own folder."""
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text() + "search_part_size: 1\n")
    (site / "content/briefings/first.md").write_text(briefing("First briefing", date="2023-05-02"))
    preview, _ = make(site)
    for part in ("pagefind/", "pagefind/parts/2023-06-01/"):
        entry = preview.respond(f"/{part}pagefind-entry.json")
        assert entry.status == 200 and b'"languages"' in entry.body, part
    assert preview.respond("/pagefind/parts/2023-06-01/pagefind-ui.js").status == 404
    assert b'"../pagefind/parts/2023-06-01/"' in preview.respond("/search/").body


def test_a_tab_that_missed_a_good_build_loads_it_before_it_is_shown_errors(site: Path) -> None:
    """A tab in the background misses a good edit, then a bad one: coming back, it is
    told to reload (and gets the last good build, which shows the errors), not shown
    the errors over the page it had before the good edit."""
    preview, _ = make(site)
    behind = preview.version
    (site / "content/briefings/first.md").write_text(briefing("First briefing, edited"))
    preview.rebuild({"content/briefings/first.md"})
    broken = briefing("First").replace("[belgorod]", "[nowhere]")
    (site / "content/briefings/first.md").write_text(broken)
    preview.rebuild({"content/briefings/first.md"})
    assert preview.errors
    _, event = preview.next_event(behind, timeout=1)
    assert event is not None and event.kind == "reload"
    page = preview.respond("/briefings/first/").body
    assert b"First briefing, edited" in page
    assert b'"kept": true' in page and b"unknown region" in page
    _, event = preview.next_event(preview.version - 1, timeout=1)
    assert event is not None and event.kind == "errors" and event.data["kept"] is True


def test_errors_of_a_template_are_printed_and_nothing_is_said_to_be_kept(site: Path) -> None:
    """A template that fails on its first page: the terminal prints each error (not a
    count alone), and with no build to keep, the error page does not claim one."""
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(
        '{% extends "default/page.html" %}{% block main %}{{ nosuch(1) }}{% endblock %}'
    )
    (site / "content/pages").mkdir()
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nUs.\n")
    preview, log = make(site)
    assert preview.snapshot is None
    printed = [line for line in log if line.startswith("templates/page.html:")]
    assert printed and "'nosuch' is undefined" in printed[0]
    assert log[-1] == "The build has 1 error(s); nothing to serve yet."
    page = preview.respond("/").body
    assert b'"kept": false' in page and b"nosuch" in page


def test_a_stylesheet_that_mends_a_failed_build_reloads_the_tabs(site: Path) -> None:
    """A stylesheet of content/static/ clashing with the theme's fails the build; the
    same build held a text edit. Removing the stylesheet builds the site again with the
    edit: the tabs are told to reload, not to swap stylesheets under the errors."""
    clash = site / "content/static/assets/style.css"
    clash.parent.mkdir(parents=True)
    preview, _ = make(site)
    shown = preview.version
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "New words"))
    clash.write_text("body { color: red; }\n")
    preview.rebuild({"content/briefings/first.md", "content/static/assets/style.css"})
    assert preview.errors
    _, event = preview.next_event(shown, timeout=1)
    assert event is not None and event.kind == "errors"
    shown = preview.version
    clash.unlink()
    preview.rebuild({"content/static/assets/style.css"})
    assert not preview.errors
    _, event = preview.next_event(shown, timeout=1)
    assert event is not None and event.kind == "reload"
    assert b"New words" in preview.respond("/briefings/first/").body


FAILS_ON_SECOND = (  # the first briefing's page, rendered before a snapshot is swapped in, works
    '{% extends "default/briefing.html" %}{% block main %}'
    "{% if briefing.slug == 'second' %}{{ nosuch.attr }}{% endif %}{% endblock %}"
)


def _failing_on_second(site: Path) -> Preview:
    """A preview whose snapshot fails on the second briefing's page only, and the one
    before it renders it."""
    template = site / "templates/briefing.html"
    template.parent.mkdir()
    preview, _ = make(site)
    template.write_text(FAILS_ON_SECOND)
    preview.rebuild({"templates/briefing.html"})
    assert preview.snapshot is not None and not preview.errors
    return preview


def test_a_page_mended_while_it_is_asked_for_is_answered_and_leaves_no_errors_shown(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that fails is answered as the snapshot before rendered it. If an edit
    mends it while it renders, that is still the snapshot before the one asked (not
    the one that failed, now the one before), and the errors of a site no longer
    served are not told."""
    preview = _failing_on_second(site)
    rendered = preview_module._rendered

    def mended_meanwhile(snapshot: Snapshot, route: Route, diags: Diagnostics) -> bytes | None:
        body = rendered(snapshot, route, diags)
        if body is None and snapshot is preview.snapshot:
            (site / "templates/briefing.html").write_text('{% extends "default/briefing.html" %}')
            preview.rebuild({"templates/briefing.html"})
        return body

    monkeypatch.setattr(preview_module, "_rendered", mended_meanwhile)
    assert preview.respond("/briefings/second/").status == 200
    assert not preview.errors
    _, event = preview.next_event(preview.version - 1, timeout=1)
    assert event is not None and event.kind == "reload"


def test_a_page_that_fails_tells_its_errors_beside_those_of_a_failed_build(site: Path) -> None:
    """The errors a failed build showed stay shown when a page of the site still
    served turns out to fail: both are the author's to mend."""
    preview = _failing_on_second(site)
    broken = briefing("First").replace("[belgorod]", "[nowhere]")
    (site / "content/briefings/first.md").write_text(broken)
    preview.rebuild({"content/briefings/first.md"})
    assert len(preview.errors) == 1 and "unknown region 'nowhere'" in preview.errors[0]
    assert preview.respond("/briefings/second/").status == 200
    assert len(preview.errors) == 2 and "unknown region 'nowhere'" in preview.errors[0]
    assert "'nosuch' is undefined" in preview.errors[1]
    page = preview.respond("/").body
    assert b"unknown region" in page and b"nosuch" in page


def test_a_page_that_fails_in_two_snapshots_is_answered_as_the_last_that_rendered_it(
    site: Path,
) -> None:
    """An edit elsewhere swaps in a snapshot that fails on the page too: it is still
    answered as the last snapshot that rendered it, and its errors told to every tab,
    not with a server error that leaves the other tabs showing a site that builds."""
    preview = _failing_on_second(site)
    assert preview.respond("/briefings/second/").status == 200
    assert preview.errors
    (site / "content/briefings/first.md").write_text(briefing("First briefing", "New words"))
    preview.rebuild({"content/briefings/first.md"})
    assert not preview.errors
    answer = preview.respond("/briefings/second/")
    assert answer.status == 200 and b"Second briefing" in answer.body
    assert len(preview.errors) == 1 and "'nosuch' is undefined" in preview.errors[0]
    assert b"New words" in preview.respond("/briefings/first/").body
