"""The theme's words in the site's language: gettext catalogs, and Babel for dates and numbers.

The theme's templates mark their words with Jinja's i18n extension (``{% trans %}``,
``_()``). The translations are gettext catalogs in the theme, ``templates/locale/<lang>.po``,
so a site's own ``templates/locale/<lang>.po`` replaces a bundled catalog or adds a
language, as any theme file does; ``strings:`` in site.yaml overrides single strings over
whichever catalog applies. Dates, months, times, numbers and language names come from
Babel's CLDR data for the language. The English words are the messages themselves, so a
language without a catalog shows them.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import re
from collections.abc import Sequence
from pathlib import Path

import babel
import babel.dates
import babel.localedata
import babel.numbers
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po

from briefgen.model import Month

LOCALE_DIR = "locale"  # in a theme folder: the catalogs, one '<lang>.po' per language
TEMPLATE_FILE = "messages.pot"  # in LOCALE_DIR of the bundled theme: every message, untranslated

Strings = tuple[tuple[str, str | tuple[str, ...]], ...]  # site.yaml's `strings:`, in order

_PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]")
_FORMATTED_RE = re.compile(r"%(?:%|\(\w+\)[sd])")  # what %-formatting reads: a value, or '%%'


class CatalogError(Exception):
    """A catalog could not be read; ``line`` is where, when known."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class UnusableTranslation(CatalogError):
    """A catalog's translation uses a ``%(name)s`` its message does not have, or holds
    HTML or a character that is markup the message does not (see :func:`markup_problem`):
    the theme puts its messages into pages as they are."""


def placeholders(message: str) -> set[str]:
    """The names of the ``%(name)s`` values a message is filled with."""
    return set(_PLACEHOLDER_RE.findall(message))


_TAG_RE = re.compile(r"<[^>]*>")


def markup_problem(message: str, text: str) -> str:
    """Why ``text`` cannot stand for ``message``, or ''. A message may hold HTML and is put
    into pages as it is, some of it inside attribute values, so its text must hold the same
    tags and no quote mark, ampersand or angle bracket the message does not hold."""
    if sorted(_TAG_RE.findall(text)) != sorted(_TAG_RE.findall(message)):
        return "it must hold the same HTML tags as the message"
    bare_text, bare_message = _TAG_RE.sub("", text), _TAG_RE.sub("", message)
    for char in '"&<>':
        if char in bare_text and char not in bare_message:
            return f"it may not hold {char!r}: write the words only"
    missing = placeholders(text) - placeholders(message)
    if missing:
        return f"it uses %({sorted(missing)[0]})s, which the message does not have"
    if "%" in _FORMATTED_RE.sub("", text):  # every message is %-formatted, with or without values
        return "it holds a '%' that begins no value: write '%%' for a percent sign"
    return ""


def babel_locale(language: str) -> babel.Locale | None:
    """The CLDR locale of a language tag like 'ru' or 'pt-BR'; None for an unknown one."""
    try:
        return babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        return None


def catalog_names(language: str) -> list[str]:
    """The catalog files that may hold ``language``, most specific first:
    'pt-BR' is looked for in pt_BR.po, then pt.po."""
    parts = language.replace("-", "_").split("_")
    names = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
    return [f"{name}.po" for name in dict.fromkeys(names) if name]


def find_catalog(theme_dirs: Sequence[Path], language: str) -> Path | None:
    """The catalog of ``language`` in the first theme folder that has one."""
    for name in catalog_names(language):
        for folder in theme_dirs:
            path = folder / LOCALE_DIR / name
            if path.is_file():
                return path
    return None


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """A .po or .pot file; raises CatalogError when it is not one, or its Plural-Forms
    is no rule Python's gettext can run (Babel keeps it as written)."""
    try:
        with path.open("rb") as file:
            catalog = read_po(file, locale=language, abort_invalid=True)
        gettext.c2py(catalog.plural_expr)
        return catalog
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from exc
    except PoFileError as exc:
        line = getattr(exc, "lineno", -1) + 1  # Babel counts lines from 0
        raise CatalogError(path, line, re.sub(r" on \d+$", "", str(exc))) from exc
    except ValueError as exc:
        if "plural form" in str(exc):
            raise CatalogError(
                path, _header_line(path, "Plural-Forms:"), f"its Plural-Forms cannot be read: {exc}"
            ) from exc
        raise CatalogError(path, 0, str(exc)) from exc
    except (OSError, babel.UnknownLocaleError) as exc:
        raise CatalogError(path, 0, str(exc)) from exc


def _header_line(path: Path, name: str) -> int:
    """The line of ``path`` (from 1) where the header field ``name`` is; 0 if none."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return next((n for n, line in enumerate(lines, start=1) if name in line), 0)


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> CatalogError:
    """Where a catalog Babel could not decode fails as UTF-8, which a catalog's charset
    is unless its header names another."""
    try:
        raw = path.read_bytes()
        raw.decode("utf-8")
    except OSError:
        pass
    except UnicodeDecodeError as found:
        line = raw.count(b"\n", 0, found.start) + 1
        return CatalogError(path, line, f"it is not valid UTF-8 (byte 0x{raw[found.start]:02x})")
    return CatalogError(path, 0, str(exc))


def load_catalog(
    theme_dirs: Sequence[Path], language: str
) -> tuple[Catalog | None, list[CatalogError]]:
    """The catalog of ``language`` in the theme (None when it has none, or one that
    cannot be used), and why it cannot: it cannot be read, or the translation of a
    message cannot stand for it, as ``strings:`` may not (see :func:`markup_problem`)."""
    path = find_catalog(theme_dirs, language)
    if path is None:
        return None, []
    try:
        catalog = read_catalog(path, language.replace("-", "_"))
    except CatalogError as exc:
        return None, [exc]
    unusable: list[CatalogError] = [
        UnusableTranslation(path, message.lineno or 0, problem)
        for message in catalog
        if message.id and message.string and (problem := _unusable(message.id, message.string))
    ]
    return (None if unusable else catalog), unusable


def _unusable(message: str | Sequence[str], text: str | Sequence[str]) -> str:
    """Why the translation ``text`` of ``message`` cannot stand for it, or ''."""
    forms = [message] if isinstance(message, str) else list(message)
    known = set().union(*map(placeholders, forms))
    for translated in [text] if isinstance(text, str) else text:
        missing = placeholders(translated) - known
        if missing:
            return (
                f"the translation of '{forms[0]}' uses %({sorted(missing)[0]})s, which the "
                "message does not have"
            )
        problem = markup_problem(forms[-1], translated) if translated else ""
        if problem:
            return f"the translation of '{forms[0]}' cannot be used: {problem}"
    return ""


def theme_messages(theme_dirs: Sequence[Path], language: str) -> dict[str, bool]:
    """The theme's messages by their English text, and whether each is a plural: those of
    the bundled theme (its ``messages.pot``) and of the site's own catalog of ``language``."""
    paths = [theme_dirs[-1] / LOCALE_DIR / TEMPLATE_FILE]
    own = find_catalog(theme_dirs[:-1], language)
    if own is not None:
        paths.append(own)
    messages: dict[str, bool] = {}
    for path in paths:
        try:
            catalog = read_catalog(path)
        except CatalogError:
            continue
        for m in catalog:
            if m.id:
                messages[m.id if isinstance(m.id, str) else m.id[0]] = not isinstance(m.id, str)
    return messages


def known_languages() -> list[str]:
    """The language tags CLDR has data for, for hints."""
    return [name.replace("_", "-") for name in babel.localedata.locale_identifiers()]


def translations(
    catalog: Catalog | None, strings: Strings, language: str
) -> gettext.NullTranslations:
    """The translations of ``catalog`` (None: the English messages) with ``strings`` put
    over it; plurals follow the rules of ``language``."""
    if catalog is None and not strings:
        return gettext.NullTranslations()
    if catalog is None:
        catalog = Catalog(locale=babel_locale(language) or "en")
    plurals = get_plural(catalog.locale_identifier or "en").num_plurals
    by_id = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    for message_id, text in strings:
        existing = by_id.get(message_id)
        if existing is None:
            catalog.add(message_id, text if isinstance(text, str) else text[0])
        elif isinstance(existing.id, tuple):
            existing.string = text if isinstance(text, tuple) else (text,) * plurals
        else:
            existing.string = text if isinstance(text, str) else text[0]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Formats:
    """Dates, months, times, numbers and language names as the site's language writes them.

    A site shows the same few hundred days and small numbers on thousands of pages, and
    Babel takes tens of microseconds for each, so each value is formatted once."""

    def __init__(self, locale: babel.Locale) -> None:
        self.locale = locale
        self._days: dict[dt.date, str] = {}
        self._numbers: dict[int, str] = {}

    def date(self, moment: dt.date | None) -> str:
        """'June 2, 2023', '2 июня 2023 г.', '2. Juni 2023'."""
        if moment is None:
            return ""
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = babel.dates.format_date(day, "long", locale=self.locale)
        return text

    def month(self, month: Month) -> str:
        """'June 2023', 'Июнь 2023': a month on its own, as a heading."""
        first = dt.date(month.year, month.month, 1)
        text = babel.dates.format_date(first, "LLLL y", locale=self.locale)
        return text[:1].upper() + text[1:]

    def time(self, moment: dt.datetime) -> str:
        """'9:30 AM', '09:30'."""
        return babel.dates.format_time(moment.time(), "short", locale=self.locale)

    def number(self, value: int) -> str:
        """'1,234', '1 234'."""
        text = self._numbers.get(value)
        if text is None:
            text = self._numbers[value] = babel.numbers.format_decimal(value, locale=self.locale)
        return text

    def language(self, tag: str) -> str:
        """The name of the language ``tag`` in the site's language: 'ru' is 'Russian' in
        English, 'русский' in Russian; a tag Babel does not know is shown as written."""
        names = self.locale.languages
        lowered = tag.lower().replace("-", "_")
        return names.get(lowered) or names.get(lowered.split("_")[0]) or tag


@functools.cache  # asked on every page of a build, of one language
def direction(language: str) -> str:
    """'rtl' for a language written from right to left (Arabic, Hebrew, Persian), else
    'ltr', as for a language CLDR does not know."""
    locale = babel_locale(language)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


def formats(language: str) -> Formats:
    """The formats of ``language``, English for a language CLDR does not know."""
    return Formats(babel_locale(language) or babel.Locale("en"))


def plural_count(language: str) -> int:
    """How many plural forms a message has in ``language``."""
    try:
        return get_plural(language.replace("-", "_")).num_plurals
    except (ValueError, babel.UnknownLocaleError):
        return 2
