"""The one rule for names that become paths of the built site.

Region and source keys, slugs, tags, and the files of ``content/static/`` each
become a file or folder name of the output, which is checked out, copied and served
on file systems other than the one it was built on. So a name must be one that every
common file system keeps as it is: no control characters (a newline would also split
a line of the manifest), none of the characters Windows refuses, no device name
(``con``, ``com1.txt``), no trailing dot or space (Windows drops them), and no
longer than 255 bytes. Two names that differ only in letter case or Unicode
normalisation are one file on macOS and Windows, so :func:`fold` gives the form in
which names are compared.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from briefgen.characters import describe

MAX_NAME_BYTES = 255
_KEY_RE = re.compile(r"\w[\w.-]*")
_FORBIDDEN_RE = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")}
)
_TAKEN = frozenset({"index.html", "feed.xml"})  # files a listing folder holds itself


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UNDECODED_RE = re.compile("[\udc80-\udcff]")  # bytes of a name the disk gave that are no UTF-8

# A name none of the rules below refuses: ASCII letters, digits, '_', '-' and '.', not
# ending with a dot, and no device name. Nearly every path of a built site is made of
# such names, and the manifest read back at each build holds tens of thousands of them.
_PLAIN_NAME = (
    r"(?!(?i:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|/|\Z))(?!(?i:\.git|\.hg|\.svn)(?:/|\Z))"
    r"[A-Za-z0-9_.-]*[A-Za-z0-9_-]"
)
_PLAIN_PATH_RE = re.compile(f"{_PLAIN_NAME}(?:/{_PLAIN_NAME})*")
_PLAIN_NAME_RE = re.compile(_PLAIN_NAME)


def control_character(text: str) -> str:
    """The first control character of ``text`` (line breaks and tabs included), or ''."""
    found = _CONTROL_RE.search(text)
    return found[0] if found else ""


def readable(name: str) -> str:
    """A name read from the disk as messages can show it: a byte that is not UTF-8
    (which Python keeps as a lone surrogate) as U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@lru_cache(maxsize=8192)  # file and folder names repeat across a site: 'index.html'
def name_problem(name: str) -> str:
    """Why ``name`` cannot be a file or folder name of the output, or '' if it can."""
    if len(name) <= MAX_NAME_BYTES and _PLAIN_NAME_RE.fullmatch(name):
        return ""  # as nearly every name of a site's files is: one look at it
    return name_rules(name)


def name_rules(name: str) -> str:
    """:func:`name_problem` rule by rule."""
    if name in ("", ".", ".."):
        return "is not a file name"
    if is_repository_name(name):
        return "is a repository's own folder, which briefgen never writes"
    undecoded = _UNDECODED_RE.search(name)
    if undecoded:
        byte = ord(undecoded[0]) - 0xDC00
        return f"is not UTF-8 (the byte 0x{byte:02x}), so no URL can name it"
    bad = _FORBIDDEN_RE.search(name)
    if bad:
        return f"holds the character {describe(bad[0])}, which not every file system allows"
    if name[-1] in ". ":
        return "ends with a dot or a space, which Windows drops"
    if name.split(".")[0].rstrip(" ").casefold() in _DEVICES:
        return "is a device name on Windows"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    return ""


# The folders in which Git, Mercurial and Subversion keep a repository (Git's is a file
# in a submodule's checkout): never published from content/static/, never written or
# removed in the output, whatever a manifest read back says.
_REPOSITORY_NAMES = frozenset({".git", ".hg", ".svn"})


def is_repository_name(name: str) -> bool:
    """True when ``name`` is a repository's own folder, in any letter case (a folder
    '.GIT' is '.git' on macOS and Windows)."""
    return name.lower() in _REPOSITORY_NAMES


def path_problem(rel: str) -> str:
    """Why the relative path ``rel`` ('a/b/c.txt') cannot be written, or ''."""
    if len(rel) <= MAX_NAME_BYTES and _PLAIN_PATH_RE.fullmatch(rel):
        return ""  # each of its names is plain, and no longer than the whole
    for part in rel.split("/"):
        problem = name_problem(part)
        if problem:
            return f"'{part}' {problem}"
    return ""


@lru_cache(maxsize=8192)  # keys and tags repeat across briefings
def key_problem(text: str) -> str:
    """Why ``text`` cannot be a key or slug, or '' if it can.

    A key is one name of letters, digits, '_', '-' and '.' (never '..').
    """
    if text and not text.strip("."):
        return "is dots alone, which name no file ('.' is this folder, '..' the one above)"
    if _KEY_RE.fullmatch(text) is None and not _marked_key(text):
        hidden = first_invisible(text)
        shown = f", not the invisible {describe(hidden)}" if hidden else ""
        return f"may only hold letters, digits, '-', '_' and '.'{shown}"
    if ".." in text:
        return "may not hold '..'"
    if text.casefold() in _TAKEN:
        return "is the name of a file of the site itself"
    return name_problem(text)


@lru_cache(maxsize=8192)  # region and source keys repeat across every briefing read back
def is_key(text: str) -> bool:
    return not key_problem(text)


def first_invisible(text: str) -> str:
    """The first character of ``text`` a reader cannot see or tell from a space (a
    zero-width space, a no-break space, a control character, a right-to-left
    override), or ''. U+0020 itself is no surprise."""
    return next((char for char in text if _invisible(char)), "")


def _invisible(char: str) -> bool:
    return char != " " and unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def _is_mark(char: str) -> bool:
    """A combining mark: a vowel sign of Devanagari, a Hebrew point, an Arabic haraka.
    Part of the word it is written in, though Python's ``\\w`` does not match it."""
    return unicodedata.category(char)[0] == "M"


def _marked_key(text: str) -> bool:
    """True when ``text`` is a key once its combining marks count as letters
    ('हिन्दी'): a letter or digit first, then letters, digits, marks, '_', '-', '.'."""
    return (
        _KEY_RE.fullmatch(text[:1]) is not None
        and any(map(_is_mark, text))
        and all(_KEY_RE.fullmatch(f"a{char}") is not None or _is_mark(char) for char in text)
    )


def _separator(match: re.Match[str]) -> str:
    return match[0] if _is_mark(match[0]) else "-"


@lru_cache(maxsize=8192)  # tags repeat across briefings and pages
def slugify(text: str) -> str:
    """'Human Rights' -> 'human-rights'; letters of any script are kept, and the
    combining marks written in them ('हिन्दी समाचार' -> 'हिन्दी-समाचार')."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"-+", "-", re.sub(r"[^\w-]", _separator, text))
    return text.lstrip("-_" + "".join(filter(_is_mark, text))).rstrip("-_")


def slug_of_name(stem: str) -> str:
    """The slug a file's name (less its extension) gives a briefing or page that sets
    none: the name as it is where it is one, else made one."""
    stem = unicodedata.normalize("NFC", stem)
    return stem if is_key(stem) else slugify(stem)


def fold(name: str) -> str:
    """The form in which two names are the same file on a case-insensitive file system."""
    return unicodedata.normalize("NFC", name).casefold()


def same_folder(what: str, key: str, other: str) -> str:
    """The message for two keys that :func:`fold` makes one."""
    return (
        f"{what} key '{key}' differs from '{other}' only in letter case or accents, "
        "so both would be one folder on macOS and Windows"
    )
