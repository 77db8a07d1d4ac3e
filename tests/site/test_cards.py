"""Citation cards and markers as built: one card per citation beside the source list,
markers named after their source, and tables and code blocks that scroll in frames a
keyboard can reach. What a browser does with them is in tests/serve/test_cards_browser.py."""

from __future__ import annotations

CARDS = """
-- content/site.yaml --
title: Cards
base_url: https://example.org/briefs/
-- content/sources.yaml --
gladkov:
  name: Vyacheslav Gladkov (Telegram)
  reliability: C
reuters:
  name: Reuters & Co
-- content/briefings/a.md --
---
title: Shelling
date: 2023-06-02
citations:
  g:
    source: gladkov
    url: https://t.me/vvgladkov/1
    title: Post on shelling
    published: 2023-06-02
    quote: Погибли две женщины.
    lang: ru
    translation: Two women died.
    archive: https://web.archive.org/web/2023/https://t.me/vvgladkov/1
    credibility: 3
  r:
    source: reuters
    url: https://www.reuters.com/x
    title: Villages evacuated
---
Strikes were reported [@g]. Thousands left [@g; @r, para. 3].
"""


def test_markers_are_named_after_their_source(make_site):
    site = make_site(CARDS)
    site.ok()
    body = site.html("/briefings/a/").main.find("div", cls="body")
    labels = {m.get("id"): m.get("aria-label") for m in body.find_all("a", cls="cite-ref")}
    assert labels == {
        "cite-ref-1-1": "Source 1: Vyacheslav Gladkov (Telegram)",
        "cite-ref-1-2": "Source 1: Vyacheslav Gladkov (Telegram)",
        "cite-ref-2-1": "Source 2: Reuters & Co",
    }
    assert '"Source 2: Reuters &amp; Co"' in site.text("/briefings/a/")
    assert [m.text for m in body.find_all("a", cls="cite-ref")] == ["1", "1", "2"]
    assert body.find("a", id="cite-ref-2-1").get("href") == "#cite-2"  # still jumps to the list


def test_markers_without_a_registry_are_named_by_the_key(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        citations:
          x:
            source: some-paper
            url: https://example.com/x
        ---
        A claim [@x].
        """
    )
    site.ok()
    marker = site.html("/briefings/a/").main.find("a", cls="cite-ref")
    assert marker.get("aria-label") == "Source 1: some-paper"


def test_one_card_per_citation_with_the_evidence(make_site):
    site = make_site(CARDS)
    site.ok()
    main = site.html("/briefings/a/").main
    cards = main.find_all("div", cls="cite-card")
    assert [c.get("id") for c in cards] == ["cite-card-1", "cite-card-2"]
    card = cards[0]
    assert card.get("popover") == "manual"
    assert card.get("role") == "dialog"
    assert card.get("aria-label") == "Source 1: Vyacheslav Gladkov (Telegram)"
    assert card.get("data-citation") == "cite-1"
    assert card.find(cls="card-name").text == "Vyacheslav Gladkov (Telegram)"
    assert [g.text for g in card.find(cls="grading").find_all("abbr")] == ["C", "3"]
    assert card.find("time").get("datetime") == "2023-06-02"
    assert card.find(cls="card-lang").text == "Russian"
    quote = card.find("blockquote")
    assert (quote.get("lang"), quote.text) == ("ru", "Погибли две женщины.")
    assert card.find(cls="card-translation").text == "Translation from Russian: Two women died."
    links = {a.text: a.get("href") for a in card.find("ul", cls="card-links").find_all("a")}
    assert links == {
        "Original": "https://t.me/vvgladkov/1",
        "Archived copy": "https://web.archive.org/web/2023/https://t.me/vvgladkov/1",
        "Source page": "../../sources/gladkov/",
        "In the source list": "#cite-1",
    }
    second = {a.text for a in cards[1].find("ul", cls="card-links").find_all("a")}
    assert second == {"Original", "Source page", "In the source list"}
    assert not site.broken_links("https://example.org/briefs/")


def test_the_script_comes_with_the_cards_only(make_site):
    site = make_site(
        CARDS,
        """
        -- content/briefings/b.md --
        ---
        title: B
        date: 2023-06-01
        ---
        Nothing cited.
        """,
    )
    site.ok()
    page = site.html("/briefings/a/")
    scripts = [s.get("src") for s in page.find_all("script") if s.get("src")]
    assert scripts == ["../../assets/cards.js"]
    assert site.exists("/assets/cards.js")
    plain = site.html("/briefings/b/")
    assert not [s for s in plain.find_all("script") if s.get("src")]
    assert not plain.find_all(cls="cite-card")


def test_tables_and_code_scroll_in_frames_a_keyboard_reaches(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        ---
        | District | Villages |
        |---|---|
        | Shebekino | 12 |

        ```
        fenced = 1
        ```

            indented = 2

        <table><tr><td>raw</td></tr></table>
        """
    )
    site.ok()
    body = site.html("/briefings/a/").main.find("div", cls="body")
    frames = body.find_all("div", cls="table-scroll")
    assert len(frames) == 2 == len(body.find_all("table"))
    for frame in frames:
        assert (frame.get("tabindex"), frame.get("role"), frame.get("aria-label")) == (
            "0",
            "group",
            "Table",
        )
        assert frame.children[0].tag == "table"
    blocks = body.find_all("pre")
    assert len(blocks) == 2
    for pre in blocks:
        assert (pre.get("tabindex"), pre.get("role"), pre.get("aria-label")) == (
            "0",
            "group",
            "Code",
        )


def test_a_body_may_make_a_frame_but_not_reorder_focus_or_fake_a_control(make_site):
    site = make_site(
        """
        -- content/briefings/a.md --
        ---
        title: A
        date: 2023-06-02
        ---
        <div tabindex="5" role="button" aria-label="Close">x</div>

        <div tabindex="-1" role="alert">y</div>

        <div tabindex="0" role="group" aria-label="Wide figures">z</div>
        """
    )
    site.ok()
    divs = site.html("/briefings/a/").main.find("div", cls="body").find_all("div")
    found = [(d.get("tabindex"), d.get("role"), d.get("aria-label")) for d in divs]
    # Only a scrolling frame's own values are kept.
    assert found == [(None, None, "Close"), (None, None, None), ("0", "group", "Wide figures")]


def test_frames_and_named_markers_survive_the_cache(make_site):
    """A body read back from the cache is sanitised again: the frames must pass."""
    site = make_site(CARDS.replace("Strikes were reported", "| a |\n|---|\n| 1 |\n\nStrikes"))
    site.ok()
    first = site.output_files()
    site.ok("--out", site.root / "again")
    assert site.output_files() == first
    page = site.html("/briefings/a/")
    assert page.main.find("div", cls="table-scroll").get("tabindex") == "0"
    assert page.main.find("a", id="cite-ref-1-1").get("aria-label")
