"""Resolving and checking internal links of rendered pages."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.diagnostics import Location
from briefgen.model import SiteConfig
from briefgen.render.linkcheck import LinkChecker, _simple_target, _target, extract

CONFIG = SiteConfig(base_url="https://example.org/briefs/")
FILES = {
    "index.html",
    "briefings/a/index.html",
    "regions/r/index.html",
    "feed.xml",
    "assets/style.css",
}


CHECKER = LinkChecker(frozenset(FILES), CONFIG, Path("."))
TARGET = '<li id="cite-1"><a id="cite-ref-1-1"></a></li>'  # ids of briefings/a/


def problems(file: str, body: str) -> list[str]:
    pages = [CHECKER.page(file, Location(file), (body + TARGET).encode())]
    if file != "briefings/a/index.html":
        pages.append(CHECKER.page("briefings/a/index.html", Location("a"), TARGET.encode()))
    found = CHECKER.anchors(pages)
    return [d.message for d in found.get(file, [])]


@pytest.mark.parametrize(
    "link",
    [
        "../../regions/r/",
        "../../assets/style.css",
        "../../",
        "./",
        "#cite-1",
        "../a/#cite-ref-1-1",
        "/briefs/regions/r/",
        "../../regions/r",
        "https://elsewhere.org/x",
        "mailto:desk@example.org",
        "//cdn.example.net/x.js",
        "https://example.org/briefs/nothing/",  # absolute URLs in pages are not ours to judge
    ],
)
def test_good_and_external_links_pass(link: str) -> None:
    assert problems("briefings/a/index.html", f'<a href="{link}">x</a>') == []


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("../../regions/nope/", "no such page or file in the site"),
        ("../../../outside/", "no such page or file in the site"),
        (  # misses the /briefs/ sub-path
            "/regions/r/",
            "it leads outside the site, which is published under /briefs/ (write it as "
            "'/briefs/regions/r/', or with url())",
        ),
        ("/regions/nope/", "it leads outside the site, which is published under /briefs/"),
        ("#cite-2", "page /briefings/a/ has no anchor '#cite-2'"),
        ("../../briefings/a/#nope", "page /briefings/a/ has no anchor '#nope'"),
    ],
)
def test_broken_links_are_named(link: str, problem: str) -> None:
    assert problems("briefings/a/index.html", f'<a href="{link}">x</a>') == [
        f"broken link '{link}': {problem}"
    ]


def test_feeds_absolute_links_are_checked() -> None:
    body = (
        '<link href="https://example.org/briefs/briefings/a/"/>'
        '<link href="https://example.org/briefs/briefings/gone/"/>'
    )
    assert problems("feed.xml", body) == [
        "broken link 'https://example.org/briefs/briefings/gone/': no such page or file in the site"
    ]


def test_entities_in_links_are_decoded() -> None:
    assert problems("index.html", '<a href="regions/r/?a=1&amp;b=2">x</a>') == []


def test_link_in_markdown_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/a.md").write_text("---\ntitle: T\n---\n\nSee [x](../../nope/).\n")
    checker = LinkChecker(frozenset(FILES), CONFIG, tmp_path)
    page = checker.page(
        "briefings/a/index.html", Location("content/a.md"), b'<a href="../../nope/">x</a>'
    )
    assert page.problems[0].location == Location("content/a.md", 5, 9)


def test_anchor_of_another_page_is_checked_once_all_pages_are_known() -> None:
    source = CHECKER.page(
        "index.html",
        Location("index"),
        b'<a href="briefings/a/#cite-1">x</a> <a href="briefings/a/#gone">y</a>',
    )
    assert source.problems == ()
    assert source.deferred == ("briefings/a/#cite-1", "briefings/a/#gone")
    target = CHECKER.page("briefings/a/index.html", Location("a"), TARGET.encode())
    found = CHECKER.anchors([source, target])
    assert [d.message for d in found["index.html"]] == [
        "broken link 'briefings/a/#gone': page /briefings/a/ has no anchor '#gone'"
    ]
    assert CHECKER.anchors([source]) == {}  # a target left unrendered is not judged


def test_missing_anchors_of_several_pages_are_told_in_the_order_the_page_links_them() -> None:
    """Anchors are checked target by target; each page's problems still follow its links."""
    first = CHECKER.page("feed.xml", Location("feed"), b'<a href="regions/r/#x">x</a>')
    second = CHECKER.page(
        "index.html",
        Location("index"),
        b'<a href="briefings/a/#gone">a</a> <a href="regions/r/#none">r</a> '
        b'<a href="#here" id="here">h</a>',
    )
    pages = [
        first,
        second,
        CHECKER.page("briefings/a/index.html", Location("a"), TARGET.encode()),
        CHECKER.page("regions/r/index.html", Location("r"), b'<p id="x"></p>'),
    ]
    found = CHECKER.anchors(pages)
    assert [d.message for d in found["index.html"]] == [
        "broken link 'briefings/a/#gone': page /briefings/a/ has no anchor '#gone'",
        "broken link 'regions/r/#none': page /regions/r/ has no anchor '#none'",
    ]
    assert "feed.xml" not in found


def test_data_attributes_are_not_ids() -> None:
    page = CHECKER.page("index.html", Location("index"), b'<p data-id="x"></p><a href="#x">x</a>')
    assert [d.message for d in page.problems] == ["broken link '#x': page / has no anchor '#x'"]


# What a page's attributes are, read in one left-to-right scan: the plain statement of
# what extract() finds in several quicker ones.
_ONE_SCAN = re.compile(rb"""[ \t\n\r\f](href|src|id)\s*=\s*"([^"]*)\"""")


def _one_scan(body: bytes) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
    found = _ONE_SCAN.findall(body)
    links = tuple(dict.fromkeys(v.decode().replace("&amp;", "&") for n, v in found if n != b"id"))
    ids = [v.decode().replace("&amp;", "&") for n, v in found if n == b"id"]
    twice = tuple(sorted({i for i in ids if ids.count(i) > 1}))
    return links, frozenset(ids), twice


@pytest.mark.parametrize(
    "page",
    [
        b'<a href="a id="x" id="y">',  # an attribute's value that looks like one
        b' id="a href="b" src="c"',
        b'data-href="x" href="y" id="z',  # no closing quote: no attribute
        b'data-href="x href="y"',  # an attribute that ends inside what is not one
        b'\nhref = "q"\tsrc="r"\fid="s" id="s"',
        b'<p id="a"><a href="#a">x</a> <a href="#a">y</a><img src="i.png" alt=""></p>',
        b'href="at-start" <b data-id="d" xid="e" id="f&amp;g">',
        b'<a\thref="x"\nid="y" src= "z">',  # whitespace after an '=', none before one
        b'<a href=\x0b"x">\x0bid="y"',  # a vertical tab: whitespace to re, not to HTML
        b'<a href\x0b="x"> <a href="y">',  # ... so an '=' after one is looked at again
        b'<a href="x" title="a = b">',  # the one '=' with whitespace before it
    ],
)
def test_attributes_are_those_of_a_single_scan(page: bytes) -> None:
    assert extract(page) == _one_scan(page)


def test_attributes_are_those_of_a_single_scan_whatever_the_markup() -> None:
    pieces = [
        b" ",
        b"\n",
        b"href",
        b"src",
        b"id",
        b"data-",
        b"=",
        b" = ",
        b'"',
        b"x",
        b"&amp;",
        b"<a",
    ]
    shuffle = random.Random(15)
    spaced = 0  # pages with whitespace before an '=', which extract() scans otherwise
    for _ in range(3000):
        page = b"".join(shuffle.choices(pieces, k=shuffle.randrange(1, 40)))
        assert extract(page) == _one_scan(page), page
        spaced += bool(re.search(rb"\s=", page))
    assert 500 < spaced < 2500


def test_links_climbing_to_a_sibling_folder_depend_on_the_page_not_just_its_depth() -> None:
    checker = LinkChecker(frozenset({*FILES, "briefings/b/index.html"}), CONFIG, Path("."))
    for _ in range(2):  # the second round finds the first one's links remembered
        assert (
            checker.page("briefings/a/index.html", Location("a"), b' href="../b/"').problems == ()
        )
        (problem,) = checker.page("regions/r/index.html", Location("r"), b' href="../b/"').problems
        assert problem.message == "broken link '../b/': no such page or file in the site"
        assert checker.page("regions/r/index.html", Location("r"), b' href="../../"').problems == ()


@given(
    st.sampled_from(["index.html", "feed.xml", "briefings/a/index.html", "a/b/c/index.html"]),
    st.lists(st.sampled_from(["../", "./", "..", ".", "/", "a", "b/", "index.html", "x.html",
                              "%41", "?q", "é", "//", "#", "#x"]), max_size=7).map("".join),
)  # fmt: skip
def test_links_resolved_without_parsing_resolve_as_parsed(page: str, link: str) -> None:
    simple = _simple_target(page, link)
    assert simple is None or simple == _target(page, link, CONFIG)


FILE_URLS = LinkChecker(frozenset(FILES), replace(CONFIG, file_urls=True), Path("."))
FOLDER = "opened from disk, it shows a folder, not the page (link to its index.html)"


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ("../../regions/r/index.html", ""),
        ("../../index.html#x", ""),
        ("../../assets/style.css", ""),
        ("#cite-1", ""),
        ("https://example.org/briefs/regions/r/", ""),  # not ours to judge, as above
        ("../../regions/r/", FOLDER),
        ("../../regions/r", FOLDER),
        ("../../", FOLDER),
        ("./", FOLDER),
        ("../../regions/nope/index.html", "no such page or file in the site"),
        (
            "/briefs/regions/r/index.html",
            "opened from disk, it starts at the root of the disk, not of the site",
        ),
    ],
)
def test_with_file_urls_a_page_must_work_opened_from_disk(link: str, problem: str) -> None:
    page = FILE_URLS.page(
        "briefings/a/index.html", Location("a"), (f'<a href="{link}">' + TARGET).encode()
    )
    assert [d.message for d in page.problems] == (
        [f"broken link '{link}': {problem}"] if problem else []
    )


def test_with_file_urls_feeds_keep_their_clean_absolute_links() -> None:
    body = b'<link href="https://example.org/briefs/regions/r/"/>'
    assert FILE_URLS.page("feed.xml", Location("feed"), body).problems == ()
