"""Typed, located reading of YAML mappings: front matter, registries, site.yaml.

Each getter checks a field's type and reports a located diagnostic (with a hint
such as "quote the value" for YAML's surprises) instead of raising.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from briefgen.characters import describe, forbidden_in
from briefgen.diagnostics import Diagnostics, Location, did_you_mean
from briefgen.model import Moment, in_zone
from briefgen.names import first_invisible
from briefgen.read.yamldoc import KeyPath, Positions
from briefgen.urls import is_safe_url, scheme, written_url

# ASCII digits alone: a date in full-width or Arabic-Indic digits is none ('\d' takes any).
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DATETIME_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[Tt ](?P<h>\d{2}):(?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.(?P<frac>\d+))?)?"
    r"(?P<tz>[Zz]|(?P<sign>[+-])(?P<tzh>\d{2}):?(?P<tzm>\d{2}))?$",
    re.ASCII,
)


def _hint_for(value: Any) -> str:
    if isinstance(value, bool | int | float):
        return "quote the value"
    return ""


_LANGUAGE_RE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def as_written(key: Any) -> str:
    """A mapping's key as YAML has it: 'null' and 'true', not Python's 'None' and 'True'."""
    if key is None:
        return "null"
    return str(key).lower() if isinstance(key, bool) else str(key)


def type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
        str: "text",
    }.get(type(value), type(value).__name__)


class Fields:
    """The fields of one YAML mapping at ``path`` within a document; times without an
    offset are read in ``zone`` (the site's timezone) when there is one."""

    def __init__(
        self,
        data: dict[Any, Any],
        positions: Positions,
        diags: Diagnostics,
        path: KeyPath = (),
        zone: dt.tzinfo | None = None,
    ) -> None:
        self.data = data
        self.positions = positions
        self.diags = diags
        self.path = path
        self.zone = zone

    def key_at(self, name: str) -> Location:
        return self.positions.key(*self.path, name)

    def value_at(self, name: str) -> Location:
        return self.positions.value(*self.path, name)

    @property
    def location(self) -> Location:
        return self.positions.key(*self.path) if self.path else self.positions.value()

    def error(self, name: str, message: str, hint: str = "") -> None:
        self.diags.error(self.value_at(name), message, hint)

    def check_known(self, allowed: Iterable[str], what: str) -> None:
        """Warn about fields that are not in ``allowed``."""
        allowed = list(allowed)
        for name in self.data:
            if name not in allowed:
                self.diags.warning(
                    self.key_at(name),
                    f"unknown field '{as_written(name)}' in {what}",
                    did_you_mean(as_written(name), allowed)
                    or "known fields: " + ", ".join(allowed),
                )

    def missing(self, name: str, example: str = "…") -> None:
        self.diags.error(
            self.location, f"missing required field '{name}'", f"add '{name}: {example}'"
        )

    def text(self, name: str, required: bool = False, default: str = "", example: str = "…") -> str:
        if name not in self.data or self.data[name] is None:
            if required:
                self.missing(name, example)
            return default
        value = self.data[name]
        if isinstance(value, str):
            if required and not value.strip():
                self.error(name, f"'{name}' must not be empty")
            return self._publishable(name, value)
        self.error(name, f"'{name}' must be text, not {type_name(value)}", _hint_for(value))
        return default

    def blank(self, name: str) -> bool:
        """True when field ``name`` is written with no value (``parent:``, ``title: ''``);
        not when it holds only a character no page may hold, which is told of as such."""
        value = self.data.get(name, ...)
        if not isinstance(value, str):
            return value is None
        return not value.strip() and not forbidden_in(value)

    def check_not_empty(self, *names: str) -> None:
        """Report each of ``names`` written with no value: a field whose absence means
        something else than any value of its own."""
        for name in names:
            if self.blank(name):
                self.error(
                    name,
                    f"'{name}' is empty, and would be taken as not set",
                    "give its value, or remove the line to take the default",
                )

    def _publishable(self, name: str, value: str, where: Location | None = None) -> str:
        """``value`` without the whitespace around it, after reporting a character in it
        that no page or feed may hold, at ``where`` (by default, where the field's value
        is): looked for before the strip, which takes some of them ('\\v', '\\x1c')."""
        char = forbidden_in(value)
        if char:
            self.diags.error(
                where if where is not None else self.value_at(name),
                f"'{name}' holds the character {describe(char)}, which pages and feeds "
                "cannot contain",
                "remove it",
            )
        return value.strip()

    def integer(self, name: str, default: int, minimum: int = 1) -> int:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(name, f"'{name}' must be a whole number of at least {minimum}")
            return default
        return value

    def whole_number(self, name: str) -> int | None:
        """An optional whole number of any sign; None when absent or wrong."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            quoted = isinstance(value, str) and value.strip().lstrip("+-").isdigit()
            self.error(
                name,
                f"'{name}' must be a whole number, like 10",
                "remove the quotes" if quoted else "",
            )
            return None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            quoted = isinstance(value, str) and value.strip().lower() in ("true", "false")
            self.error(
                name, f"'{name}' must be true or false", "remove the quotes" if quoted else ""
            )
            return default
        return value

    def text_list(self, name: str) -> list[tuple[str, Location]]:
        """A list of text items (a single text is taken as a one-item list)."""
        value = self.data.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            if ", " in value:  # 'tags: drones, evacuation' is one tag
                self.diags.warning(
                    self.value_at(name),
                    f"'{name}' is the one text '{value}', not a list",
                    f"for a list, write [{value}]",
                )
            return [(self._publishable(name, value), self.value_at(name))]
        if not isinstance(value, list):
            self.error(
                name,
                f"'{name}' must be a list like [a, b], not {type_name(value)}",
                _hint_for(value),
            )
            return []
        items = []
        for index, item in enumerate(value):
            where = self.positions.value(*self.path, name, index)
            if isinstance(item, str) and not item.strip():
                self.diags.error(where, f"items of '{name}' must not be empty", "remove it")
                continue
            if not isinstance(item, str):
                self.diags.error(
                    where,
                    f"items of '{name}' must be text, not {type_name(item)}",
                    _hint_for(item),
                )
                continue
            items.append((self._publishable(name, item, where), where))
        return items

    def moment(self, name: str, required: bool = False) -> Moment | None:
        """A date (YYYY-MM-DD) or an ISO 8601 date and time."""
        if name not in self.data or self.data[name] is None:
            if required:
                self.missing(name, "YYYY-MM-DD")
            return None
        value = self.data[name]
        hint = "use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00"
        if not isinstance(value, str):
            self.error(name, f"'{name}' must be a date, not {type_name(value)}", hint)
            return None
        raw = value
        if _DATE_RE.match(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError as exc:
                self.error(name, f"'{name}' is not a real date: {raw} ({exc})")
                return None
        match = _DATETIME_RE.match(raw)
        if match:
            try:
                moment = _datetime(match)
            except ValueError as exc:
                self.error(name, f"'{name}' is not a real date and time: {raw} ({exc})")
                return None
            if moment.tzinfo is None and self.zone is not None:
                return in_zone(moment, self.zone)
            if moment.tzinfo is None:
                self.diags.warning(
                    self.value_at(name),
                    f"'{name}' has no UTC offset, so it is read as UTC",
                    "add the offset, like 2023-06-02T09:30:00+03:00, or set 'timezone' "
                    "in content/site.yaml",
                )
            return moment
        self.error(name, f"'{name}' must be a date, not '{raw}'", hint)
        return None

    def url(self, name: str) -> str:
        value = self.text(name)
        if value and not is_safe_url(value):
            if scheme(value.strip()).lower() in ("http", "https"):
                self.error(
                    name,
                    f"'{name}' names no host a browser can reach: '{value}'",
                    "write the host as in the address bar, with no space, control, "
                    "'%', '<', '>', '^' or '|' in it",
                )
            else:
                self.error(name, f"'{name}' must be an http, https or mailto URL, not '{value}'")
            return ""
        hidden = "" if value.isascii() else first_invisible(value)
        if hidden:  # U+202E shows '…/\u202efdp.exe' as '…/exe.pdf'
            self.error(
                name,
                f"'{name}' holds the invisible character {describe(hidden)}, which can make "
                "an address read as another",
                "remove it",
            )
            return ""
        return written_url(value)

    def language(self, name: str, default: str = "") -> str:
        """A language tag ('ru', 'pt-BR'): it becomes a ``lang`` attribute, and names the
        language in search filters and in words of the page."""
        tag = self.text(name, default=default)
        if tag and not _LANGUAGE_RE.fullmatch(tag):
            # 'en_US' is a locale's name, not a tag: no page's lang may hold it
            hint = f"write '{tag.replace('_', '-')}'" if "_" in tag else ""
            self.error(
                name, f"'{name}' must be a language tag like 'en' or 'pt-BR', not '{tag}'", hint
            )
            return default
        return tag

    def mapping(self, name: str) -> dict[Any, Any]:
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(name, f"'{name}' must be a mapping of keys to fields")
            return {}
        return value

    def child(self, name: Any) -> Fields | None:
        value = self.data.get(name)
        if not isinstance(value, dict):
            return None
        return Fields(value, self.positions, self.diags, (*self.path, name), self.zone)

    def entries(self, name: str, first: str) -> list[Fields]:
        """The fields of each mapping in the list ``name`` (whose entries start with the
        field ``first``, for the hint); other items are reported and left out."""
        value = self.data.get(name)
        if value is None:
            return []
        hint = f"start each entry with '- {first}:'"
        if not isinstance(value, list):
            self.error(name, f"'{name}' must be a list of mappings, not {type_name(value)}", hint)
            return []
        found = []
        for index, item in enumerate(value):
            path = (*self.path, name, index)
            if isinstance(item, dict):
                found.append(Fields(item, self.positions, self.diags, path, self.zone))
            else:
                self.diags.error(
                    self.positions.value(*path),
                    f"items of '{name}' must be mappings, not {type_name(item)}",
                    hint,
                )
        return found


def _datetime(match: re.Match[str]) -> dt.datetime:
    """The datetime of an ISO 8601 match, the same on every Python version."""
    number = {k: int(v) for k, v in match.groupdict().items() if v and v.isdigit()}
    zone = None
    if match["tz"]:
        sign = -1 if match["sign"] == "-" else 1
        offset = dt.timedelta(hours=number.get("tzh", 0), minutes=number.get("tzm", 0))
        if offset >= dt.timedelta(hours=24) or number.get("tzm", 0) > 59:
            raise ValueError(f"the UTC offset {match['tz']} is out of range, -23:59 to +23:59")
        zone = dt.timezone(sign * offset)
    return dt.datetime(
        number["y"], number["mo"], number["d"], number["h"], number["mi"], number.get("s", 0),
        int((match["frac"] or "0")[:6].ljust(6, "0")), tzinfo=zone,
    )  # fmt: skip
