"""Problems found in a site, as data: where, how bad, what, and a hint.

Every stage adds to one :class:`Diagnostics` collector instead of raising, so a
build reports all problems of a site in one run.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file of the site; ``path`` is relative to the site root."""

    path: str
    line: int = 0
    col: int = 0

    def at(self, line: int, col: int = 0) -> Location:
        return Location(self.path, line, col)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    location: Location
    message: str
    hint: str = ""

    def format(self, strict: bool = False) -> str:
        """``path:line:col: error: ...`` or ``path:line: warning: ...`` (SPEC section 5).

        Always one line: control characters from content are shown escaped.
        """
        loc = self.location
        line = max(loc.line, 1)
        path = printable(loc.path)
        if strict or self.severity is Severity.ERROR:
            text = f"{path}:{line}:{max(loc.col, 1)}: error: {self.message}"
        else:
            text = f"{path}:{line}: warning: {self.message}"
        return printable(f"{text} ({self.hint})" if self.hint else text)

    def github_annotation(self, strict: bool = False, folder: str = "") -> str:
        """The diagnostic as a GitHub Actions workflow command, shown on the changed line:
        its file named from the repository's root, where the site is at ``folder``."""
        loc = self.location
        kind = "error" if strict or self.severity is Severity.ERROR else "warning"
        path = printable(_escape(folder + loc.path, True))
        where = f"file={path},line={max(loc.line, 1)},col={max(loc.col, 1)}"
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        return f"::{kind} {where}::{printable(_escape(text, False))}"

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.message)


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage of a build."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(severity, location, message, hint))

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(Severity.ERROR, location, message, hint))

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(Severity.WARNING, location, message, hint))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=Diagnostic.sort_key)

    def has_errors(self, strict: bool = False) -> bool:
        return any(strict or d.severity is Severity.ERROR for d in self.items)


# Control characters, line and paragraph separators, lone surrogates, and the marks
# and overrides that reorder a line of text (U+202E shows 'sheb\u202eekino' as 'shebonike').
_UNPRINTABLE_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """``text`` with the characters that could break or fake a line of output escaped."""
    if _UNPRINTABLE_RE.search(text) is None:
        return text
    return _UNPRINTABLE_RE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def _escape(text: str, in_property: bool) -> str:
    """Escape text for a workflow command, as GitHub's own toolkit does."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if in_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the known keys closest to ``word``, or '' when none is close. One
    that differs only in letter case is named alone ('TOWN' for 'town'); where none
    is close as written, letter case is set aside. One that looks the same but is
    written with other characters (Unicode's normalisation makes them one: a letter
    and a combining accent, as text from macOS file names may have them) is named with
    that said, since the two cannot be told apart on screen."""
    known = sorted(candidates)
    composed = unicodedata.normalize("NFC", word)
    twin = next((c for c in known if unicodedata.normalize("NFC", c) == composed), None)
    if twin is not None and twin != word:
        return (
            f"did you mean '{twin}'? It looks the same, but is written with other "
            "characters (an accent apart from its letter, say): type this one again"
        )
    folded: dict[str, str] = {}
    for candidate in known:
        folded.setdefault(candidate.casefold(), candidate)
    same = folded.get(word.casefold())
    close = [same] if same is not None else difflib.get_close_matches(word, known, 3, 0.6)
    if not close:
        matches = difflib.get_close_matches(word.casefold(), list(folded), 3, 0.6)
        close = [folded[match] for match in matches]
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
