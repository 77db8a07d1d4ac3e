"""Reading site files: bytes to clean text, and YAML to data that remembers positions.

YAML is loaded with the safe loader (the C one when PyYAML has it). Timestamps are
not resolved by YAML: dates stay strings so that impossible dates are reported by
us with a position instead of escaping as a ``ValueError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from briefgen.diagnostics import Diagnostics, Location

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


KeyPath = tuple[Any, ...]


@dataclass
class Positions:
    """Where each key and value of a YAML document stands in its file."""

    origin: Location
    keys: dict[KeyPath, Location] = field(default_factory=dict)
    values: dict[KeyPath, Location] = field(default_factory=dict)

    def key(self, *path: Any) -> Location:
        """The location of the key at ``path``, or of its nearest located ancestor."""
        return self._find(self.keys, path)

    def value(self, *path: Any) -> Location:
        return self._find(self.values, path)

    def _find(self, table: dict[KeyPath, Location], path: KeyPath) -> Location:
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
        return self.values.get((), self.origin)


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """Read a file as UTF-8 text (see :func:`decode_text`)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(Location(rel), f"cannot read file: {exc.strerror}")
        return None
    return decode_text(raw, rel, diags)


def decode_text(raw: bytes, rel: str, diags: Diagnostics) -> str | None:
    """Decode UTF-8, dropping a BOM and normalising line endings; report bad bytes."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        diags.error(
            Location(rel, line, col),
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            "save the file as UTF-8",
        )
        return None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(text: str, origin: Location, diags: Diagnostics) -> tuple[Any, Positions] | None:
    """Parse one YAML document whose first line is line ``origin.line`` of its file.

    Returns ``None`` (with diagnostics) when the text is not valid, safe YAML.
    """
    positions = Positions(origin)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, positions
        if not _walk(node, (), positions, origin, diags, set()):
            return None
        return loader.construct_document(node), positions
    except yaml.MarkedYAMLError as exc:
        context, found = exc.context_mark, exc.problem_mark
        if exc.context and exc.problem and context and found and context.line < found.line:
            # The mistake is where the construct began (a '[' never closed), not on the
            # later line where the parser gave up: point at the start, tell both.
            seen = _at(origin, found)
            problem = f"{exc.problem} (at line {seen.line}, column {seen.col}), {exc.context}"
            diags.error(_at(origin, context), f"invalid YAML: {problem} that starts here",
                        _yaml_hint(exc.context))  # fmt: skip
            return None
        mark = found or context
        where = _at(origin, mark) if mark else origin
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(where, f"invalid YAML: {problem}", _yaml_hint(problem))
        return None
    except yaml.YAMLError as exc:
        diags.error(origin, f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()


def _yaml_hint(problem: str) -> str:
    if "flow sequence" in problem:
        return "close the list with ']'"
    if "flow mapping" in problem:
        return "close the mapping with '}'"
    if "quoted scalar" in problem:
        return "close the quotes"
    if "mapping values are not allowed" in problem:
        return "quote the value"
    if "could not determine a constructor" in problem:
        return "tags are not allowed; quote the value"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return ""


def _at(origin: Location, mark: yaml.Mark) -> Location:
    return origin.at(origin.line + mark.line, mark.column + 1)


def _walk(
    node: yaml.Node,
    path: KeyPath,
    positions: Positions,
    origin: Location,
    diags: Diagnostics,
    seen: set[int],
) -> bool:
    """Record positions; report aliases, duplicate and non-text keys.

    Returns False only for aliases (the one fault that cannot be read past, as an
    alias bomb would make the data explode). A duplicate key is reported and dropped,
    the first one kept, so everything else in the file is still checked.
    """
    if id(node) in seen:  # an alias is the very node it refers to; name where it is used
        diags.error(
            positions.keys.get(path, _at(origin, node.start_mark)),
            "YAML anchors and aliases are not allowed",
            "write the value out in full",
        )
        return False
    seen.add(id(node))
    positions.values[path] = _at(origin, node.start_mark)
    ok = True
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[Any, int] = {}
        kept = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                diags.error(_at(origin, key_node.start_mark), "keys must be plain text")
                continue
            key = key_node.value
            here = _at(origin, key_node.start_mark)
            if key in first_seen:
                diags.error(
                    here,
                    f"duplicate key '{key}' (first defined on line {first_seen[key]})",
                    "remove one of them",
                )
                continue
            first_seen[key] = here.line
            kept.append((key_node, value_node))
            key_path = (*path, key)  # not in the subscript: mypy takes that for 3.11's x[*a]
            positions.keys[key_path] = here
            ok = _walk(value_node, key_path, positions, origin, diags, seen) and ok
        node.value = kept
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            positions.keys[item_path] = _at(origin, item.start_mark)
            ok = _walk(item, item_path, positions, origin, diags, seen) and ok
    return ok
