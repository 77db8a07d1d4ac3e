"""Every URL rule: the paths of a built site, the links between its pages, and which
URLs content may link to.

A *site path* names a page relative to the site root, without a leading slash:
``''`` is the home page, ``'briefings/x/'`` a briefing, ``'feed.xml'`` the feed.
Pages link to each other with relative URLs, so a built site works under any
sub-path and from any static host without knowing where it will be served.

Links name folders ('../../briefings/x/'), which a server answers with the folder's
``index.html``. A site opened from disk has no server to do that, so with
``file_urls`` every link names the file itself ('../../briefings/x/index.html').
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from briefgen.names import control_character

URL_SCHEMES = frozenset({"http", "https", "mailto"})  # all that content may link to


def home(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


def briefing_index(page: int = 1) -> str:
    return _paged("briefings/", page)


def briefing(slug: str) -> str:
    return f"briefings/{slug}/"


def region_index() -> str:
    return "regions/"


def region(key: str, page: int = 1) -> str:
    return _paged(f"regions/{key}/", page)


def source_index() -> str:
    return "sources/"


def source(key: str, page: int = 1) -> str:
    return _paged(f"sources/{key}/", page)


def tag_index() -> str:
    return "tags/"


def tag(slug: str, page: int = 1) -> str:
    return _paged(f"tags/{slug}/", page)


def archive() -> str:
    return "archive/"


def corrections() -> str:
    """The log of every correction on the site."""
    return "corrections/"


def page(slug: str) -> str:
    return f"pages/{slug}/"


def grading() -> str:
    """The legend of the Admiralty grades: each grade has its anchor ('#B', '#2')."""
    return "grading/"


def search() -> str:
    """The search page (made unless ``search: false``)."""
    return "search/"


def search_bundle(file: str = "") -> str:
    """A file of the search index Pagefind writes, e.g. 'pagefind/pagefind-ui.js'."""
    return f"pagefind/{file}"


def feed(of: str = "") -> str:
    """The Atom feed of the listing at site path ``of`` (the whole site by default)."""
    return f"{of}feed.xml"


def _paged(path: str, page: int) -> str:
    return path if page == 1 else f"{path}page/{page}/"


def output_file(path: str) -> str:
    """The file that serves a site path: clean URLs are folders with an index.html."""
    return path + "index.html" if path == "" or path.endswith("/") else path


_PLAIN_RE = re.compile(r"[A-Za-z0-9_./-]*")


def is_plain(path: str) -> bool:
    """True when ``path`` needs no quoting in a URL, as most site paths do."""
    return _PLAIN_RE.fullmatch(path) is not None


def relative(from_path: str, to_path: str, file_urls: bool = False) -> str:
    """The URL of ``to_path`` as written in the page at ``from_path``; with
    ``file_urls``, the URL of the file that serves it."""
    return "../" * from_path.count("/") + _below(to_path, file_urls) or "./"


def _below(to_path: str, file_urls: bool) -> str:
    """What follows the climb to the site root in a link to ``to_path`` (see
    :func:`relative`)."""
    if file_urls:
        to_path = output_file(to_path)
    if not is_plain(to_path):  # most paths need no quoting: skip the slow call
        to_path = quote(to_path, safe="/")
    return to_path


def from_root(base_path: str, to_path: str) -> str:
    """The URL of ``to_path`` from the server's root, for pages served at any depth
    (the 404 page): the site's ``base_path`` ('/' or '/sub/') goes before it."""
    return base_path + quote(to_path, safe="/")


def linker(
    from_path: str, base_path: str | None = None, file_urls: bool = False
) -> Callable[[str], str]:
    """:func:`relative` (or, given ``base_path``, :func:`from_root`) bound to the page at
    ``from_path``: a listing makes a hundred links, so the common case is made short.

    With ``file_urls`` every link is relative, even given ``base_path``: opened from
    disk, a site has no server root to start from (its 404 page is at its root).
    """
    up = "../" * from_path.count("/")
    if file_urls:

        def link_file(to_path: str) -> str:
            if is_plain(to_path):
                return up + output_file(to_path)
            return relative(from_path, to_path, file_urls=True)

        return link_file
    if base_path is not None:
        return lambda to_path: from_root(base_path, to_path)

    def link(to_path: str) -> str:
        if is_plain(to_path):
            return up + to_path or "./"
        return relative(from_path, to_path)

    return link


# A link made for no page in particular, as the ``once`` global keeps a macro's output
# for pages at every depth: the mark CLIMB where the page's climb to the site root goes
# ('../../', or the site's path from the server's root), or CLIMB_HOME alone for a link
# to the home page, which a page at the root names './'. Both are control characters,
# which no published page may hold (see characters.py): neither comes from content, and
# one left in a page is reported, not published. Both lie below U+0100, so an output
# that holds them takes a byte a character, as the page does.
CLIMB = "\x1c"
CLIMB_HOME = "\x1d"


def unplaced(to_path: str, file_urls: bool = False) -> str:
    """The link to ``to_path`` from any page, with its climb marked: :func:`placed`
    makes it what the page's :func:`linker` gives."""
    to_path = _below(to_path, file_urls)
    return CLIMB + to_path if to_path else CLIMB_HOME


def climb(from_path: str, base_path: str | None = None, file_urls: bool = False) -> str:
    """What comes before a site path in a link from the page at ``from_path``, as
    :func:`linker` takes its arguments."""
    if base_path is not None and not file_urls:
        return base_path
    return "../" * from_path.count("/")


def placed(text: str, up: str) -> str:
    """``text`` with the links :func:`unplaced` made in it given the climb ``up``."""
    text = text.replace(CLIMB, up)
    return text.replace(CLIMB_HOME, up or "./") if CLIMB_HOME in text else text


# Briefings and pages are published at the same depth, so a body that links to the
# site root ('/pages/about/') can be given the same relative link on either.
_BODY_DEPTH = briefing("x").count("/")
assert page("x").count("/") == _BODY_DEPTH


def from_body(url: str, file_urls: bool = False) -> str:
    """A link written in a body (``href`` or ``src``), as the body's page gives it.

    One to the site root ('/pages/about/') is made relative to the page, so it works
    under a sub-path; with ``file_urls``, one to a folder, from the root or relative,
    is made one to the file that serves it ('../../pages/about/index.html'). Links
    to other hosts, and any other link, are as written.
    """
    if url.startswith("//") or scheme(url):
        return url
    if url.startswith("/"):
        url = "../" * _BODY_DEPTH + url[1:]
    return file_url(url) if file_urls else url


def _split(url: str) -> tuple[str, str]:
    """A relative URL's path, and the query and fragment after it: ('x/', '?q#a')."""
    end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:end], url[end:]


def file_url(url: str) -> str:
    """A relative link to a folder ('../x/#a', '..') as a link to the file that
    serves it ('../x/index.html#a', '../index.html'); any other link as it is."""
    path, rest = _split(url)
    if path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/"
    if path.endswith("/"):
        path += "index.html"
    return path + rest


def folder_url(url: str) -> str:
    """The other way round: a relative link to a folder's index.html as a link to the
    folder ('../x/index.html#a' -> '../x/#a'), any other link as it is."""
    path, rest = _split(url)
    if path == "index.html" or path.endswith("/index.html"):
        path = path.removesuffix("index.html") or "./"
    return path + rest


_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # browsers skip these inside a scheme


def scheme(url: str) -> str:
    """The scheme of ``url`` as written ('https'), or '' for a relative URL."""
    found = _SCHEME_RE.match(url)
    return found[1] if found else ""


def has_safe_scheme(url: str) -> bool:
    """True for relative URLs and http(s)/mailto ones, however the scheme is disguised
    (``url`` as written in HTML: with character references, spaces, tabs)."""
    if url.startswith(_PLAINLY_SAFE):
        return True  # no reference or skipped character can come before what begins it
    found = scheme(_IGNORED_IN_URL.sub("", html.unescape(url)))
    return not found or found.lower() in URL_SCHEMES


# Beginnings that decide the answer: a fragment, a path, or an allowed scheme as written.
_PLAINLY_SAFE = ("#", "/", ".", "https:", "http:", "mailto:")


# Most URLs are plain web addresses, which this decides without splitting them.
PLAIN_WEB_URL = r"https?://([a-z0-9.-]+)(?::[0-9]+)?(?:[/?#][!-~]*)?"  # and its host
_PLAIN_WEB_URL_RE = re.compile(PLAIN_WEB_URL, re.IGNORECASE)


def is_safe_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host, and mailto: addresses: what a
    citation may link to."""
    if _PLAIN_WEB_URL_RE.fullmatch(url):
        return True
    url = url.strip()
    if control_character(url):  # urlsplit takes 'http://a\tb.org/' for 'http://ab.org/'
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # 'http://[': an IPv6 address never closed
        return False
    if parts.scheme not in URL_SCHEMES:
        return False
    if parts.scheme == "mailto":
        return bool(parts.path)
    host = parts.hostname
    if not host:
        return False
    return "[" in parts.netloc or not _NOT_IN_HOST_RE.search(host)  # '[…]': an IPv6 address


# What a host may not hold, as the WHATWG URL standard forbids in a domain (a space,
# a control, '%', '<>^|'...): 'https://t.me example/1' names no host a browser can
# reach. An IPv6 address in brackets is checked by urlsplit.
_NOT_IN_HOST_RE = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")


# What no address may hold as written (an HTML checker refuses such an href): a space
# or control, '"<>^`{|}', and a '%' that begins no escape. A browser given one as
# typed sends it percent-encoded; each is a single byte.
_UNWRITABLE_IN_URL_RE = re.compile(r'[\x00-\x20"<>^`{|}\x7f]|%(?![0-9A-Fa-f]{2})')


def written_url(url: str) -> str:
    """``url`` as a page may link to it: with each character no address may hold as
    written (a space copied with it, a '|') percent-encoded, as a browser would send it;
    the rest (letters outside ASCII, an escape already written) as it is."""
    return _UNWRITABLE_IN_URL_RE.sub(lambda found: f"%{ord(found[0]):02X}", url)


def normalise_base_url(url: str) -> str:
    """A base URL ending with '/', so site paths can be put after it, its host in ASCII
    and its path percent-encoded (https://пример.рф/сводки/ ->
    https://xn--e1afmkfd.xn--p1ai/%D1%81%D0%B2…/), as a sitemap's URLs must be; a host
    :func:`ascii_host` cannot write stays as it is."""
    url = ascii_host(url) or url
    parts = urlsplit(url)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~")
    url = urlunsplit(parts._replace(path=path)) if path != parts.path else url
    return url if url.endswith("/") else url + "/"


def ascii_host(url: str) -> str | None:
    """``url`` with its host written in ASCII, as browsers send it (IDNA: 'пример.рф' is
    'xn--e1afmkfd.xn--p1ai'), label by label; ``url`` itself when it is ASCII already.
    Python's codec writes IDNA 2003, which browsers' IDNA 2008 follows but for four
    characters it writes otherwise ('straße.de': 'strasse.de' or 'xn--strae-oqa.de'):
    None for a host that holds one, or that the codec cannot write."""
    parts = urlsplit(url)
    if parts.netloc.isascii():
        return url
    host = parts.hostname or ""
    if not _WRITTEN_OTHERWISE.isdisjoint(host):
        return None
    from encodings import idna  # here: a host in another script is rare, the module slow to load

    try:
        labels = [label if label.isascii() else idna.ToASCII(label).decode("ascii")
                  for label in _DOTS.split(host)]  # fmt: skip
    except UnicodeError:
        return None
    written = ".".join(labels)
    netloc = written if parts.port is None else f"{written}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


# The characters IDNA 2003 and IDNA 2008 write differently: ß, final sigma, joiners.
_WRITTEN_OTHERWISE = frozenset("\u00df\u03c2\u200c\u200d")
_DOTS = re.compile("[.\u3002\uff0e\uff61]")  # what IDNA reads as a label's end


def is_web_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host (no user, a port in range), and no
    space, query, fragment or backslash in them, whose path does not begin with '//':
    what a site can be published at, with its pages' paths put after it. A page links
    its site by the base URL's path, and a browser reads a path that begins with '//'
    (or '/\\') as the address of another host."""
    if not is_safe_url(url) or url.strip().lower().startswith("mailto:"):
        return False
    if any(char.isspace() or char in "?#\\" for char in url.strip()):
        return False
    parts = urlsplit(url.strip())
    try:
        parts.port  # noqa: B018  # raises ValueError for a port out of range or no number
    except ValueError:
        return False
    return parts.username is None and not parts.path.startswith("//")


# The web archives a citation's 'archive' may point into, by host: the Wayback Machine,
# archive.today under each of its names, and perma.cc.
_WAYBACK_HOSTS = ("web.archive.org",)
_ARCHIVE_TODAY_HOSTS = (
    "archive.today",
    "archive.ph",
    "archive.is",
    "archive.li",
    "archive.md",
    "archive.vn",
    "archive.fo",
)
ARCHIVE_HOSTS = frozenset({*_WAYBACK_HOSTS, *_ARCHIVE_TODAY_HOSTS, "perma.cc"})
# The page a copy is of, after the capture's time: '/web/20230602120000id_/https://…'
# (also '/web/2023/…', '/web/*/…', '/web/https://…'), and archive.today's
# '/2023.06.02-120000/https://…'.
_WAYBACK_PATH_RE = re.compile(
    r"/web/(?:(?:\d{1,14}(?:[a-z]{2}_)?\*?|\*)/)?(?P<address>.+)", re.DOTALL
)
_ARCHIVE_TODAY_PATH_RE = re.compile(
    r"/(?:\d{4}\.\d{2}\.\d{2}-\d{6}|\d{14}|newest|oldest)/(?P<address>.+)", re.DOTALL
)
_ADDRESS_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:/*")


def host(url: str) -> str:
    """The host of an absolute URL, lower-case and without 'www.' ('' for none)."""
    plain = _PLAIN_WEB_URL_RE.fullmatch(url)
    if plain:
        return plain[1].lower().removeprefix("www.")
    try:
        name = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return name.removeprefix("www.")


def is_archive_url(url: str, own_hosts: frozenset[str] = frozenset()) -> bool:
    """True when ``url`` is a page of a known web archive, or of a host in ``own_hosts``
    (the site's own, and those its settings add), written without 'www.'."""
    name = host(url)
    return bool(name) and (name in ARCHIVE_HOSTS or name in own_hosts)


def archived_address(url: str) -> str:
    """The address that a Wayback Machine or archive.today link is a copy of, as the
    link writes it; '' when the link does not name one (perma.cc, short links)."""
    name = host(url)
    if name in _WAYBACK_HOSTS:
        pattern = _WAYBACK_PATH_RE
    elif name in _ARCHIVE_TODAY_HOSTS:
        pattern = _ARCHIVE_TODAY_PATH_RE
    else:
        return ""
    start = url.find("/", url.find("//") + 2)
    found = pattern.fullmatch(url[start:].split("#", 1)[0]) if start > 0 else None
    return found["address"] if found else ""


def same_address(first: str, second: str) -> bool:
    """True when two addresses name the same page: the scheme, a 'www.', the host's
    case, a trailing '/', a fragment, and a character written as itself or
    percent-encoded ('a b', 'a%20b'; 'новости', '%D0%BD…') make no difference."""
    return _comparable(first) == _comparable(second)


def _comparable(address: str) -> str:
    rest = _ADDRESS_SCHEME_RE.sub("", unquote(address.strip().split("#", 1)[0]))
    name, slash, path = rest.partition("/")
    name = name.lower().removeprefix("www.")
    return f"{name}{slash}{path}".rstrip("/")
