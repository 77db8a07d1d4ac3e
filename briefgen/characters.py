"""Characters the published site may not hold.

XML 1.0 forbids most control characters, lone surrogates and the noncharacters
U+FFFE and U+FFFF anywhere in a document, escaped or not: one of them in a title
makes every feed that carries it unreadable to feed readers. HTML calls the same
characters (and the other C1 controls and noncharacters) parse errors. YAML's
double-quoted escapes (``"\\v"``), a stray form feed in a body, or a character
reference like ``&#x1;`` put them there, so each is reported where it was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
FORBIDDEN_RE = re.compile(f"[{_FORBIDDEN}]")
# A character reference that decodes to one of them ('&#1;', '&#x0B;').
_REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def forbidden_in(text: str) -> str:
    """A character of ``text`` that may not be published, or ''."""
    if text.isprintable():  # each is a control, a surrogate or a noncharacter: none is
        return ""
    try:
        return forbidden_in_page(text.encode())
    except UnicodeEncodeError as exc:
        return text[exc.start]  # a lone surrogate


def forbidden_reference(html: str) -> tuple[int, str] | None:
    """The offset and text of the first character reference in ``html`` that names a
    character that may not be published (or no character at all), or None."""
    return next(forbidden_references(html), None)


def forbidden_references(html: str) -> Iterator[tuple[int, str]]:
    """The offset and text of each such character reference in ``html``."""
    if "&#" not in html:
        return
    for match in _REFERENCE_RE.finditer(html):
        code = int(match[1], 16) if match[1] else int(match[2])
        if code == 0 or code > 0x10FFFF or FORBIDDEN_RE.match(chr(code)):
            yield match.start(), match[0]


# The same, in a page already encoded as UTF-8: C0 and C1 controls, the noncharacters
# U+FDD0..U+FDEF and U+xFFFE/U+xFFFF (lone surrogates cannot be encoded at all).
_FORBIDDEN_UTF8_RE = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]"
    rb"|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]"
)
# Searching with that pattern costs about 15 ns a byte, too much for every page of a
# large site. Most pages hold no byte that can begin a forbidden character but the
# lead bytes of common ones (U+0080..U+00BF, U+F000..U+FFFF), so cheap tests rule
# them out first: deleting every other byte leaves nothing, and neither lead byte is
# followed by what would make it forbidden. Most pages hold nothing in U+F000..U+FFFF,
# and a byte is found sooner than a pattern: the noncharacters' pattern is looked for
# only in a page that holds their lead byte (a fifth less time for the three tests).
_LEAD_BYTES = {*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0xF0, 0xF5)}
_ORDINARY_BYTES = bytes(b for b in range(256) if b not in _LEAD_BYTES)
_C1_RE = re.compile(rb"\xc2[\x80-\x9f]")
_NONCHARACTER_RE = re.compile(rb"\xef[\xb7\xbf]")


def forbidden_in_page(page: bytes) -> str:
    """A character of an encoded page that may not be published, or ''."""
    if (
        page.translate(None, _ORDINARY_BYTES)
        or _C1_RE.search(page)
        or (b"\xef" in page and _NONCHARACTER_RE.search(page))
    ):
        found = _FORBIDDEN_UTF8_RE.search(page)
        return found[0].decode("utf-8", "replace") if found else ""
    return ""


def describe(char: str) -> str:
    """A character as a message can show it: 'U+000B'."""
    return f"U+{ord(char):04X}"
