"""Site settings from ``content/site.yaml`` and the command line."""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

from briefgen import words
from briefgen.diagnostics import Diagnostics, Location, did_you_mean
from briefgen.model import SiteConfig
from briefgen.read.fields import Fields
from briefgen.read.files import SITE_FILE, present
from briefgen.read.yamldoc import load_yaml, read_text
from briefgen.theme_folders import theme_dirs
from briefgen.urls import ascii_host, is_web_url, normalise_base_url

_FIELDS = (
    "title",
    "base_url",
    "description",
    "language",
    "per_page",
    "author",
    "feed_size",
    "timezone",
    "file_urls",
    "min_claim_words",
    "coverage",
    "require_grades",
    "require_archive",
    "archive_hosts",
    "search",
    "strings",
    "search_part_size",
)


def load_config(root: Path, diags: Diagnostics) -> SiteConfig:
    if not present(root, SITE_FILE, diags):
        return SiteConfig()
    text = read_text(root / SITE_FILE, SITE_FILE, diags)
    if text is None:
        return SiteConfig()
    loaded = load_yaml(text, Location(SITE_FILE, 1, 1), diags)
    if loaded is None:
        return SiteConfig()
    data, positions = loaded
    if data is None:
        return SiteConfig()
    if not isinstance(data, dict):
        diags.error(Location(SITE_FILE, 1, 1), "site.yaml must be a mapping of settings")
        return SiteConfig()
    fields = Fields(data, positions, diags)
    fields.check_known(_FIELDS, "site.yaml")
    fields.check_not_empty(*_NOT_EMPTY)
    defaults = SiteConfig()
    base_url = fields.text("base_url", default=defaults.base_url) or defaults.base_url
    if not is_web_url(base_url):
        fields.error(
            "base_url",
            f"'base_url' must be an http or https URL, not '{base_url}'",
            "the site's address, with no '?', '#' or '\\', and one '/' after its host: "
            "pages' paths are put after it",
        )
        base_url = defaults.base_url
    elif ascii_host(base_url) is None:
        diags.warning(
            fields.value_at("base_url"),
            f"the host of 'base_url' ({urlsplit(base_url).hostname}) cannot be written in "
            "ASCII here as every browser writes it, so the sitemap and feeds give it as it is",
            "write the host in its ASCII form ('xn--…'), as the domain's registrar shows it",
        )
    title = fields.text("title", default=defaults.title)
    return SiteConfig(
        title=title,
        base_url=normalise_base_url(base_url),
        description=fields.text("description"),
        language=_language(fields, defaults.language),
        per_page=fields.integer("per_page", defaults.per_page),
        author=fields.text("author", default=title),
        feed_size=fields.integer("feed_size", defaults.feed_size),
        timezone=_timezone(fields),
        file_urls=fields.flag("file_urls"),
        min_claim_words=fields.integer("min_claim_words", defaults.min_claim_words, minimum=0),
        coverage=_coverage(fields),
        require_grades=fields.flag("require_grades"),
        require_archive=_require_archive(fields),
        archive_hosts=_archive_hosts(fields),
        search=fields.flag("search", default=True),
        strings=_strings(root, fields),
        search_part_size=fields.integer("search_part_size", defaults.search_part_size),
    )


# Settings whose default is no site's own value: written empty, they are a slip.
_NOT_EMPTY = ("title", "base_url", "language", "timezone")


def _coverage(fields: Fields) -> float | None:
    """The share of its claims a briefing must cite (0 to 1), or None for any share."""
    value = fields.data.get("coverage")
    if value is None:
        return None
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and 0 <= value <= 1:
        return float(value)
    hint = ""
    if number and 1 < value <= 100:
        hint = f"for {value:g}%, write {value / 100:g}"
    elif isinstance(value, str) and value.strip().endswith("%"):
        hint = "write a share: 0.9 for 90%"
    fields.error("coverage", "'coverage' must be a number from 0 to 1, like 0.9", hint)
    return None


def _language(fields: Fields, default: str) -> str:
    """The site's language tag ('ru', 'pt-BR'); its theme words and dates follow it."""
    tag = fields.language("language", default=default)
    if tag and words.babel_locale(tag) is None:  # an empty one is told of as such
        fields.diags.warning(
            fields.value_at("language"),
            f"unknown language '{tag}': dates and the theme's words are in English",
            did_you_mean(tag, words.known_languages()) or "use a tag like 'en', 'ru' or 'pt-BR'",
        )
    return tag


def _strings(root: Path, fields: Fields) -> words.Strings:
    """``strings:``: the theme's messages, by their English text, with the site's own words
    for them; a plural message takes a list of its forms in the site's language."""
    value = fields.data.get("strings")
    if value is None:
        return ()
    if not isinstance(value, dict):
        fields.error(
            "strings",
            "'strings' must be a mapping of the theme's words to your own",
            "like Latest: Newest",
        )
        return ()
    language = fields.data.get("language")
    language = language if isinstance(language, str) else SiteConfig.language
    known = words.theme_messages(theme_dirs(root), language)
    inner = Fields(value, fields.positions, fields.diags, ("strings",))
    found: list[tuple[str, str | tuple[str, ...]]] = []
    for message, text in value.items():
        where = inner.value_at(message)
        if not isinstance(message, str) or not message:
            fields.diags.error(
                inner.key_at(message), "each key of 'strings' must be a message of the theme"
            )
            continue
        if known and message not in known:
            fields.diags.warning(
                inner.key_at(message),
                f"'{message}' is not a message of the theme, so 'strings' cannot change it",
                did_you_mean(message, known) or "docs/theme.md lists where the messages are",
            )
        forms = _string_forms(text)
        if forms is None:
            fields.diags.error(
                where, f"the text for '{message}' must be text, or a list of texts for a plural"
            )
            continue
        problem = next(filter(None, (words.markup_problem(message, f) for f in forms)), "")
        if problem:
            fields.diags.error(where, f"the text for '{message}' cannot be used: {problem}")
            continue
        if isinstance(text, list):
            count = words.plural_count(language)
            if not known.get(message, True):
                fields.diags.error(where, f"'{message}' has no plural forms: give it one text")
                continue
            if len(forms) != count:
                fields.diags.error(
                    where, f"'{message}' has {count} plural forms in '{language}', not {len(forms)}"
                )
                continue
            found.append((message, forms))
        else:
            found.append((message, forms[0]))
    return tuple(found)


def _string_forms(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


_SYSTEMS_OWN = ("localtime", "posixrules")  # files a system keeps as its own zone


def _timezone(fields: Fields) -> str:
    """The IANA name of the site's timezone, '' (and an error) when it names none."""
    name = fields.text("timezone")
    if not name:
        return ""
    if name.casefold() in _SYSTEMS_OWN:
        fields.error(
            "timezone",
            f"timezone '{name}' is the system's own, so each machine would build another site",
            "name the zone, like 'Europe/Moscow'",
        )
        return ""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        known = {
            zone for zone in zoneinfo.available_timezones() if zone.casefold() not in _SYSTEMS_OWN
        }
        if known:
            hint = did_you_mean(name, known) or "use an IANA name like 'Europe/Moscow'"
            fields.error("timezone", f"unknown timezone '{name}'", hint)
        else:
            fields.error(
                "timezone",
                f"unknown timezone '{name}': this system has no timezone database",
                "install the tzdata package: pip install tzdata",
            )
        return ""
    return name


_GRADE_RE = re.compile(r"[A-F]")
_HOST_RE = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def _require_archive(fields: Fields) -> bool | tuple[str, ...] | None:
    """``require_archive``: true, false, or the reliability grades it applies to (a
    tuple in A to F order); None when not set (or wrong, reported)."""
    value = fields.data.get("require_archive")
    if value is None or isinstance(value, bool):
        return value
    word = value if isinstance(value, str) and "," not in value else ""  # one grade, or not
    if not isinstance(value, str | list) or (word and not _GRADE_RE.fullmatch(word.upper())):
        fields.error(
            "require_archive",
            "'require_archive' must be true, false or a list of reliability grades",
            "like [D, E, F]",
        )
        return None
    grades = set()
    for grade, where in fields.text_list("require_archive"):
        if _GRADE_RE.fullmatch(grade):
            grades.add(grade)
        else:
            upper = grade.upper()
            fields.diags.error(
                where,
                f"'require_archive' lists '{grade}', which is not a reliability grade",
                f"did you mean '{upper}'?"
                if _GRADE_RE.fullmatch(upper)
                else "use the letters A–F of the Admiralty scale",
            )
    return tuple(sorted(grades))


def _archive_hosts(fields: Fields) -> tuple[str, ...]:
    """``archive_hosts``: more hosts whose pages count as archived copies."""
    hosts = []
    for name, where in fields.text_list("archive_hosts"):
        host = name.lower().removeprefix("www.")
        if _HOST_RE.fullmatch(host):
            hosts.append(host)
        else:
            fields.diags.error(
                where,
                f"'archive_hosts' lists '{name}', which is not a host name",
                "write the host alone, like 'arquivo.pt'",
            )
    return tuple(sorted(set(hosts)))
