from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from briefgen import urls


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        ("", "", "./"),
        ("", "regions/x/", "regions/x/"),
        ("briefings/a/", "", "../../"),
        ("briefings/a/", "regions/x/", "../../regions/x/"),
        ("regions/x/page/2/", "regions/x/", "../../../../regions/x/"),
        ("feed.xml", "briefings/a/", "briefings/a/"),
        ("briefings/a/", "tags/война/", "../../tags/%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0/"),
    ],
)
def test_relative_links(start: str, target: str, expected: str) -> None:
    assert urls.relative(start, target) == expected


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        ("", "", "index.html"),
        ("", "regions/x/", "regions/x/index.html"),
        ("briefings/a/", "", "../../index.html"),
        ("regions/x/page/2/", "regions/x/page/3/", "../../../../regions/x/page/3/index.html"),
        ("briefings/a/", "assets/style.css", "../../assets/style.css"),
        ("briefings/a/", "feed.xml", "../../feed.xml"),
        ("briefings/a/", "tags/война/", "../../tags/%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0/index.html"),
    ],
)
def test_file_urls_name_the_file_that_serves_each_page(
    start: str, target: str, expected: str
) -> None:
    assert urls.relative(start, target, file_urls=True) == expected
    assert urls.linker(start, file_urls=True)(target) == expected


def test_with_file_urls_the_404_page_links_from_its_own_place_not_the_server_root() -> None:
    assert urls.linker("404.html", "/briefs/")("briefings/a/") == "/briefs/briefings/a/"
    link = urls.linker("404.html", "/briefs/", file_urls=True)
    assert link("briefings/a/") == "briefings/a/index.html"
    assert link("") == "index.html"


@pytest.mark.parametrize(
    ("written", "clean", "files"),
    [
        ("/pages/about/", "../../pages/about/", "../../pages/about/index.html"),
        ("/briefings/x/#c-2", "../../briefings/x/#c-2", "../../briefings/x/index.html#c-2"),
        ("/", "../../", "../../index.html"),
        ("/?q=1#top", "../../?q=1#top", "../../index.html?q=1#top"),
        ("/img/map.svg", "../../img/map.svg", "../../img/map.svg"),
        ("../other/", "../other/", "../other/index.html"),
        ("../other", "../other", "../other"),
        ("..", "..", "../index.html"),
        ("./#a", "./#a", "./index.html#a"),
        ("#cite-1", "#cite-1", "#cite-1"),
        ("", "", ""),
        ("https://example.org/x/", "https://example.org/x/", "https://example.org/x/"),
        ("//example.org/x/", "//example.org/x/", "//example.org/x/"),
        ("mailto:a@example.org", "mailto:a@example.org", "mailto:a@example.org"),
    ],
)
def test_links_in_bodies(written: str, clean: str, files: str) -> None:
    assert urls.from_body(written) == clean
    assert urls.from_body(written, file_urls=True) == files


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("../../pages/x/index.html#a", "../../pages/x/#a"),
        ("../../index.html", "../../"),
        ("../../feed.xml", "../../feed.xml"),
        ("../../myindex.html", "../../myindex.html"),
        ("#a", "#a"),
    ],
)
def test_folder_url_undoes_file_url(url: str, folder: str) -> None:
    assert urls.folder_url(url) == folder
    assert urls.file_url(folder) == url


def test_folder_url_of_the_index_of_the_pages_own_folder() -> None:
    assert urls.folder_url("index.html#a") == "./#a"


@pytest.mark.parametrize(
    ("archive", "address"),
    [
        ("https://web.archive.org/web/20230602120000/https://t.me/x/1", "https://t.me/x/1"),
        ("https://web.archive.org/web/20230602120000id_/https://t.me/x/1", "https://t.me/x/1"),
        ("https://web.archive.org/web/2023*/https://t.me/x/1", "https://t.me/x/1"),
        ("https://web.archive.org/web/*/t.me/x/1", "t.me/x/1"),
        ("https://web.archive.org/web/https://t.me/x/1", "https://t.me/x/1"),
        ("https://web.archive.org/web/2023/https://t.me/x?a=1&b=2#top", "https://t.me/x?a=1&b=2"),
        ("https://WEB.archive.org/web/2023/https://t.me/x/1", "https://t.me/x/1"),
        ("https://archive.ph/2023.06.02-120000/https://t.me/x/1", "https://t.me/x/1"),
        ("https://archive.is/20230602120000/https://t.me/x/1", "https://t.me/x/1"),
        ("https://archive.ph/AbCdE", ""),
        ("https://perma.cc/AB12-CD34", ""),
        ("https://web.archive.org/", ""),
        ("https://example.org/web/2023/https://t.me/x/1", ""),
    ],
)
def test_the_address_an_archive_link_is_a_copy_of(archive: str, address: str) -> None:
    assert urls.archived_address(archive) == address


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("https://t.me/x/1", "http://t.me/x/1", True),
        ("https://www.dw.com/a/", "https://dw.com/a", True),
        ("https://T.ME/x/1", "t.me/x/1", True),
        ("https:/t.me/x/1", "https://t.me/x/1#post", True),
        ("https://t.me/x/1", "https://t.me/x/2", False),
        ("https://t.me/X/1", "https://t.me/x/1", False),
        ("https://t.me/x?id=1", "https://t.me/x?id=2", False),
        # a character as itself or percent-encoded (written_url encodes a space)
        ("https://example.org/новости/a b",
         "example.org/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/a%20b", True),
        ("https://example.org/a|b", "https://example.org/a%7Cb", True),
    ],
)  # fmt: skip
def test_two_addresses_name_the_same_page(first: str, second: str, same: bool) -> None:
    assert urls.same_address(first, second) is same


@pytest.mark.parametrize(
    ("archive", "accepted"),
    [
        ("https://web.archive.org/web/2023/https://t.me/x/1", True),
        ("https://archive.today/abc", True),
        ("https://archive.fo/abc", True),
        ("https://perma.cc/AB12-CD34", True),
        ("https://www.example.org/copies/1.pdf", True),  # the site's own host
        ("https://arquivo.pt/wayback/2023/t.me/x", True),  # listed in archive_hosts
        ("https://web.archive.org.evil.example/x", False),
        ("https://mirror.example.net/x", False),
        ("mailto:archive@web.archive.org", False),
    ],
)
def test_archive_links_are_accepted_on_known_archives_and_the_sites_own_hosts(
    archive: str, accepted: bool
) -> None:
    assert urls.is_archive_url(archive, frozenset({"example.org", "arquivo.pt"})) is accepted


@pytest.mark.parametrize(
    "url",
    [
        "https://WWW.Example.org/a",
        "http://a.b:80",
        "https://x.org?q",
        "https://x.org#f",
        "HTTPS://Archive.PH/abc",
        "https://www.",
        "https://user@x.org/",
        "https://[::1]/",
        " https://x.org/ ",
        "https://x.org:/a",
        "https://x.org\\y/",
        "mailto:desk@example.org",
        "no host",
        "https://",
    ],
)
def test_a_hosts_name_is_the_one_python_splits_out_however_it_is_found(url: str) -> None:
    """Plain web addresses are read without splitting them: the same host."""
    assert urls.host(url) == (urlsplit(url.strip()).hostname or "").removeprefix("www.")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("#cite-gov", True),
        ("/regions/x/", True),
        ("../x/", True),
        ("https://t.me/x/1", True),
        ("http:x", True),
        ("mailto:desk@example.org", True),
        ("HTTPS://T.ME/x", True),
        ("x/y", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java&#115;cript:alert(1)", False),
        ("&#x6A;avascript:alert(1)", False),
        ("data:text/html,x", False),
        ("#x&#58;javascript:", True),
    ],
)
def test_a_scheme_is_judged_however_it_is_written(url: str, safe: bool) -> None:
    assert urls.has_safe_scheme(url) is safe


@pytest.mark.parametrize(
    ("written", "linked"),
    [
        ("https://example.org/wiki/Shebekino (town)|x", "https://example.org/wiki/Shebekino%20(town)%7Cx"),
        ("https://x.org/a%20b c", "https://x.org/a%20b%20c"),  # an escape written stays
        ("https://x.org/100% sure", "https://x.org/100%25%20sure"),
        ("https://ru.wikipedia.org/wiki/Шебекино#part 2", "https://ru.wikipedia.org/wiki/Шебекино#part%202"),
        ("https://x.org/<b>?q=\"a\"", "https://x.org/%3Cb%3E?q=%22a%22"),
        ("https://ru.wikipedia.org/wiki/Шебекино", "https://ru.wikipedia.org/wiki/Шебекино"),
    ],
)  # fmt: skip
def test_an_address_is_linked_with_what_no_address_may_hold_encoded(
    written: str, linked: str
) -> None:
    assert urls.written_url(written) == linked


@pytest.mark.parametrize(
    ("url", "written"),
    [("https://example.org/a/", "https://example.org/a/"),
     ("https://Пример.РФ:8443/x", "https://xn--e1afmkfd.xn--p1ai:8443/x"),
     ("http://bücher.example/", "http://xn--bcher-kva.example/"),
     ("https://xn--e1afmkfd.рф/", "https://xn--e1afmkfd.xn--p1ai/"),  # half written already
     ("https://пример。рф/", "https://xn--e1afmkfd.xn--p1ai/"),  # an ideographic full stop
     ("https://ﬀ.example/", "https://ff.example/"),  # a ligature, written alike by both
     ("https://straße.de/", None),  # IDNA 2003 writes 'strasse.de', IDNA 2008 'xn--strae-oqa'
     ("https://ς.example/", None), ("https://a\u200db.example/", None)],
)  # fmt: skip
def test_a_host_is_written_in_ascii_as_browsers_write_it(url: str, written: str | None) -> None:
    assert urls.ascii_host(url) == written
