"""The registries ``content/sources.yaml`` and ``content/regions.yaml``.

A registry that exists is authoritative, even one that lists nothing yet (only
comments); one that is absent loads as ``None`` and the link stage makes an entry for
every key that briefings use. An unreadable registry is treated as absent, so one
YAML error does not cascade into an "unknown key" error for every briefing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from briefgen import urls
from briefgen.diagnostics import Diagnostics, Location
from briefgen.model import Region, Source
from briefgen.names import fold, key_problem, same_folder
from briefgen.read.aliases import read_aliases
from briefgen.read.fields import Fields, type_name
from briefgen.read.files import REGIONS_FILE, SOURCES_FILE, present
from briefgen.read.yamldoc import load_yaml, read_text

SOURCE_FIELDS = ("name", "kind", "url", "country", "reliability", "description", "aliases")
REGION_FIELDS = ("name", "parent", "url", "description", "aliases")
_RELIABILITY_RE = re.compile(r"[A-F]")


def _entries(root: Path, rel: str, what: str, diags: Diagnostics) -> Iterator[Fields] | None:
    if not present(root, rel, diags):
        return None
    text = read_text(root / rel, rel, diags)
    loaded = load_yaml(text, Location(rel, 1, 1), diags) if text is not None else None
    if loaded is None:
        return None
    data, positions = loaded
    data = {} if data is None else data
    if not isinstance(data, dict):
        diags.error(Location(rel, 1, 1), f"{rel} must be a mapping of {what} keys to fields")
        return None
    top = Fields(data, positions, diags)

    def entries() -> Iterator[Fields]:
        folded: dict[str, str] = {}
        for key, value in data.items():
            where = top.key_at(key)
            if not isinstance(key, str):
                diags.error(where, f"a {what} key must be text, not {type_name(key)}",
                            "quote the key")  # fmt: skip
                continue
            problem = key_problem(key)
            if problem:
                # A line indented with no-break spaces is a key of its own to YAML.
                indented = key[:1].isspace() and key[:1] != " "
                hint = "indent with ordinary spaces, not no-break ones" if indented else ""
                diags.error(where, f"{what} key '{key}' {problem}", hint)
                continue
            other = folded.setdefault(fold(key), key)
            if other != key:
                diags.error(where, same_folder(what, key, other))
                continue
            if not isinstance(value, dict):
                diags.error(where, f"{what} '{key}' must be a mapping like {{name: ...}}")
                # Still a key of the registry, named by itself: its uses are not unknown.
                yield Fields({"name": key}, positions, diags, (key,))
                continue
            child = top.child(key)
            assert child is not None
            yield child

    return entries()


def load_sources(root: Path, diags: Diagnostics) -> dict[str, Source] | None:
    entries = _entries(root, SOURCES_FILE, "source", diags)
    if entries is None:
        return None
    sources = {}
    for fields in entries:
        key = fields.path[-1]
        fields.check_known(SOURCE_FIELDS, f"source '{key}'")
        aliases, alias_locations = read_aliases(fields, urls.source)
        fields.check_not_empty("reliability", "kind", "url")
        reliability = fields.text("reliability")
        if reliability and not _RELIABILITY_RE.fullmatch(reliability):
            upper = reliability.strip().upper()
            fields.error(
                "reliability",
                f"reliability must be one letter A–F (Admiralty scale), not '{reliability}'",
                f"did you mean '{upper}'?" if _RELIABILITY_RE.fullmatch(upper) else "",
            )
            reliability = ""
        sources[key] = Source(
            key=key,
            name=fields.text("name", required=True, default=key),
            kind=fields.text("kind"),
            url=fields.url("url"),
            country=fields.text("country"),
            reliability=reliability,
            description=fields.text("description"),
            location=fields.location,
            aliases=aliases,
            alias_locations=alias_locations,
        )
    return sources


def load_regions(root: Path, diags: Diagnostics) -> dict[str, Region] | None:
    entries = _entries(root, REGIONS_FILE, "region", diags)
    if entries is None:
        return None
    regions = {}
    for fields in entries:
        key = fields.path[-1]
        fields.check_known(REGION_FIELDS, f"region '{key}'")
        aliases, alias_locations = read_aliases(fields, urls.region)
        fields.check_not_empty("parent", "url")
        regions[key] = Region(
            key=key,
            name=fields.text("name", required=True, default=key),
            parent=fields.text("parent"),
            url=fields.url("url"),
            description=fields.text("description"),
            location=fields.location,
            aliases=aliases,
            alias_locations=alias_locations,
            parent_location=fields.value_at("parent") if "parent" in fields.data else None,
        )
    return regions
