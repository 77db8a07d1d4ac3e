"""Reading site files: bytes to clean text, and YAML to data that remembers positions.

YAML is loaded with the safe loader (the C one when PyYAML has it). Timestamps are
not resolved by YAML: dates stay strings so that impossible dates are reported by
us with a position instead of escaping as a ``ValueError``.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from briefgen.characters import describe
from briefgen.diagnostics import Diagnostics, Location
from briefgen.read.files import leads_outside

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_TAGS = "tag:yaml.org,2002:"
_TIMESTAMP = _YAML_TAGS + "timestamp"
_MERGE = _YAML_TAGS + "merge"
_STR: str = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_SEQ: str = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP: str = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    # By first character; None: resolvers of text with any first character.
    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """The tag PyYAML's resolver gives a node, found sooner: with no path
        resolvers, only a plain scalar's tag depends on more than its kind."""
        if kind is yaml.ScalarNode:
            return _plain_tag(value) if implicit[0] else _STR
        if kind is yaml.SequenceNode:
            return _SEQ
        if kind is yaml.MappingNode:
            return _MAP
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


# YAML 1.1's numbers in base 60 ('1:30' is 90), which YAML 1.2 and every other YAML
# reader a curator meets take as text: a time, a score, a verse.
_BASE_60_RE = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


@functools.lru_cache(maxsize=1024)  # keys, true and false, languages: plain text repeats
def _plain_tag(value: str) -> str:
    """The tag of a plain (unquoted) scalar: the first implicit resolver that matches,
    but text for a number in base 60."""
    if ":" in value and _BASE_60_RE.fullmatch(value):
        return _STR
    resolvers = _Loader.yaml_implicit_resolvers
    for tag, regexp in resolvers.get(value[:1], []) + resolvers.get(None, []):
        if regexp.match(value):
            return tag
    return _STR


# The constructors of the scalars YAML resolves by itself, but text: the loader's own.
_SCALARS = {
    tag: _Loader.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null")
}  # fmt: skip


KeyPath = tuple[Any, ...]


@dataclass
class Positions:
    """Where each key and value of a YAML document stands in its file.

    Marks are kept as the parser made them; a mark becomes a Location only when one
    is asked for, which most are not.
    """

    origin: Location
    keys: dict[KeyPath, yaml.Mark] = field(default_factory=dict)
    values: dict[KeyPath, yaml.Mark] = field(default_factory=dict)

    def key(self, *path: Any) -> Location:
        """The location of the key at ``path``, or of its nearest located ancestor."""
        return self._find(self.keys, path)

    def value(self, *path: Any) -> Location:
        return self._find(self.values, path)

    def _find(self, table: dict[KeyPath, yaml.Mark], path: KeyPath) -> Location:
        while path:
            if path in table:
                return _at(self.origin, table[path])
            path = path[:-1]
        root = self.values.get(())
        return self.origin if root is None else _at(self.origin, root)


def read_text(path: Path, rel: str, diags: Diagnostics) -> str | None:
    """Read a file as UTF-8 text (see :func:`decode_text`); not one a link outside its
    folder stands for."""
    if leads_outside(path):
        diags.error(Location(rel), "symbolic link leads outside its folder")
        return None
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


_BREAKS_RE = re.compile("[\x85\u2028\u2029]")  # next line, line and paragraph separators
_ANCHOR_RE = re.compile(r"&([^\s,\[\]{}]+)")  # '&name', where a node is anchored


def load_yaml(text: str, origin: Location, diags: Diagnostics) -> tuple[Any, Positions] | None:
    """Parse one YAML document whose first line is line ``origin.line`` of its file.

    Returns ``None`` (with diagnostics) when the text is not valid, safe YAML.
    """
    breaking = _BREAKS_RE.search(text)
    if breaking is not None:
        # YAML ends a line at each: every position after the first would be off by one.
        at = breaking.start()
        line, column = text.count("\n", 0, at), at - (text.rfind("\n", 0, at) + 1)
        diags.error(
            origin.at(origin.line + line, column + 1),
            f"the character {describe(breaking[0])} is not allowed in YAML, which reads it "
            "as a line break",
            "remove it",
        )
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, Positions(origin)
        reader = _Reader(loader, origin, diags, text)
        data = reader.read(node, ())
        if reader.refused:
            return None
        return data, reader.positions
    except yaml.MarkedYAMLError as exc:
        context, found = exc.context_mark, exc.problem_mark
        if found is not None:
            first = context.line if context is not None else max(found.line - 1, 0)
            cause = _typing_slip(text, first, found.line)
            if cause is not None:
                line, column, problem, hint = cause
                diags.error(origin.at(origin.line + line, column + 1), problem, hint)
                return None
        if exc.context and "quoted scalar" in exc.context and context:
            # A quote never closed: where it opens, whichever line the parser gave up on.
            diags.error(_at(origin, context), f"invalid YAML: {exc.problem}, {exc.context} "
                        "that starts here", "close the quotes")  # fmt: skip
            return None
        alias = _alias_mark(exc)
        if alias is not None:
            diags.error(
                _at(origin, alias),
                _NO_ALIASES,
                "quote a value that begins with '*' (\"*Breaking* news\"), or write the "
                "value out in full",
            )
            return None
        if exc.problem and found and "another document" in exc.problem:
            problem = "invalid YAML: a second document begins here, and a file holds one"
            diags.error(_at(origin, found), problem, "remove the '---' line, or what follows it")
            return None
        flow = exc.context is not None and "flow" in exc.context
        if flow and exc.context and exc.problem and context and found and context.line < found.line:
            # The mistake is where the list or mapping began (a '[' never closed), not on
            # the later line where the parser gave up: point at the start, tell both.
            seen = _at(origin, found)
            problem = f"{exc.problem} (at line {seen.line}, column {seen.col}), {exc.context}"
            diags.error(_at(origin, context), f"invalid YAML: {problem} that starts here",
                        _yaml_hint(exc.context))  # fmt: skip
            return None
        mark = found or context
        where = _at(origin, mark) if mark else origin
        problem = exc.problem or exc.context or "invalid YAML"
        diags.error(where, f"invalid YAML: {problem}", _yaml_hint(problem, text, found))
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        character = describe(chr(exc.character)) if isinstance(exc.character, int) else "one"
        diags.error(
            origin.at(origin.line + line, column + 1),
            f"the character {character} is not allowed in YAML",
            "remove it",
        )
        return None
    except yaml.YAMLError as exc:
        diags.error(origin, f"invalid YAML: {exc}")
        return None
    except RecursionError:  # PyYAML composes nodes, and we read them, by recursion
        diags.error(origin, "YAML is nested too deeply to read", "nest lists and mappings less")
        return None
    finally:
        loader.dispose()


# A field whose value opens quotes it does not close on its line, and one with no
# space after its colon ('title:Shelling'), which YAML reads as part of a text.
_UNCLOSED_RE = re.compile(r"""^(\s*(?:-\s+)?[^\s#'"][^:#]*:\s+)(["'])(.*)$""")
_NO_SPACE_RE = re.compile(r"^(\s*(?:-\s+)?[\w-]+):(?=[^\s/:])")
_NO_ALIASES = "YAML anchors and aliases are not allowed"  # an alias may be a bomb
# What follows the quote that closes a value opened with it: after escapes ('\"') in
# double quotes, after doubled quotes ('') in single ones.
_CLOSING = {'"': re.compile(r'(?:[^"\\]|\\.)*"(.*)$'), "'": re.compile(r"(?:[^']|'')*'(.*)$")}


def _alias_mark(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where an alias the parser could not read begins, refused as any alias is: '*name'
    with no '&name' before it, or no name at all ('*Breaking* news', meant as
    emphasis); None for any other error."""
    if (exc.context or "").startswith("while scanning an alias"):
        return exc.context_mark
    if (exc.problem or "").startswith("found undefined alias"):
        return exc.problem_mark
    return None


def _typing_slip(text: str, first: int, last: int) -> tuple[int, int, str, str] | None:
    """The line and column (from 0) of a slip on lines ``first`` to ``last`` that makes
    YAML fail further on, with what to say of it; None when none is seen there."""
    for number, line in enumerate(text.split("\n")[first : last + 1], start=first):
        opened = _UNCLOSED_RE.match(line)
        if opened is not None:
            quote, rest = opened[2], opened[3]
            closed = rest.replace("''", "") if quote == "'" else re.sub(r"\\.", "", rest)
            if quote not in closed:
                return (number, len(opened[1]), "invalid YAML: the quotes opened here are "
                        "not closed on their line", "close the quotes")  # fmt: skip
            after = _CLOSING[quote].match(rest)
            if after is not None and after[1].strip() and not after[1].lstrip().startswith("#"):
                inside = r"\"" if quote == '"' else "''"
                return (number, len(opened[1]), "invalid YAML: the quotes opened here close "
                        "before the value ends", f"write a quote inside as {inside}, or quote "
                        "the value with the other kind of quotes")  # fmt: skip
        spaceless = _NO_SPACE_RE.match(line)
        if spaceless is not None and number < last:
            problem = "invalid YAML: no space after ':', so the field and its value are one text"
            return number, len(spaceless[1]), problem, "put a space after ':'"
    return None


def _yaml_hint(problem: str, text: str = "", found: yaml.Mark | None = None) -> str:
    stray = text[found.index : found.index + 1] if found is not None else ""
    if stray in ("]", "}"):
        return f"remove the '{stray}' that closes nothing"
    if "flow sequence" in problem:
        return "close the list with ']'"
    if "flow mapping" in problem:
        return "close the mapping with '}'"
    if "quoted scalar" in problem:
        return "close the quotes"
    if "mapping values are not allowed" in problem:
        return _indented_further(text, found) or "quote the value"
    if "did not find expected key" in problem:
        return _indented_between(text, found)
    if "nesting depth" in problem:
        return "nest lists and mappings less"
    if "found character '\\t'" in problem or stray == "\t":
        return "indent with spaces, not tabs"
    if "cannot start any token" in problem and stray.strip():
        return f"quote the value: one that begins with '{stray}' must be quoted"
    return ""


# A line that begins a field: its indentation (after a list's '- '), its key (one
# word: a field's name, never prose), and what follows its colon.
_FIELD_RE = re.compile(r"( *)(?:- +)?([\w.-]+):(?: +(.*))?$")
_KEY_RE = re.compile(r"( *)(?:- +)?([\w.-]+):$")  # a line up to its field's colon
INDENTED_FURTHER = "indent it as the field above: a line indented further is more of its value"
INDENTED_BETWEEN = "indent it as the field above, or as the key it belongs to"


def _lines_above(lines: list[str], number: int) -> list[str]:
    """The lines before line ``number`` that hold something, nearest first."""
    above = reversed(lines[:number])
    return [line for line in above if line.strip() and not line.lstrip().startswith("#")]


def _indented_further(text: str, found: yaml.Mark | None) -> str:
    """For a colon YAML found where no field may begin: the hint when its line is a
    field indented further than the field above, whose value is given ('source: dw',
    then further in 'url: …'), so YAML read the line as more of that value; ''
    otherwise (a colon in prose: 'title: Kursk: drones', or a summary's next line)."""
    if found is None:
        return ""
    lines = text.split("\n")
    field = _KEY_RE.match(lines[found.line][: found.column + 1])  # the colon is its own
    above = _lines_above(lines, found.line)
    before = _FIELD_RE.match(above[0]) if above else None
    if field is None or before is None or not before[3] or before[3].startswith("#"):
        return ""
    return INDENTED_FURTHER if field.start(2) > before.start(2) else ""


def _indented_between(text: str, found: yaml.Mark | None) -> str:
    """For a key YAML did not expect: the hint when it begins a field indented less
    than the fields above it, yet further than the key they belong to, so that it
    lines up with neither; '' otherwise."""
    if found is None:
        return ""
    lines = text.split("\n")
    field = _FIELD_RE.match(lines[found.line])
    if field is None or field.start(2) != found.column:
        return ""
    indent = field.start(2)
    for line in _lines_above(lines, found.line):
        above = _FIELD_RE.match(line)  # a field's key stands after its list's '- '
        other = above.start(2) if above else len(line) - len(line.lstrip(" "))
        if other == indent:
            return ""
        if other < indent:
            return INDENTED_BETWEEN
    return ""


def _at(origin: Location, mark: yaml.Mark) -> Location:
    return origin.at(origin.line + mark.line, mark.column + 1)


class _Reader:
    """One pass over a document's nodes: their positions recorded, aliases, duplicate
    and non-text keys reported, and the data built.

    The data is what PyYAML's safe constructor builds, built here in the same pass:
    mappings, lists, text, numbers, true/false and null. Any other node (a tag such
    as '!!set', a merge key '<<') is reported and the document :attr:`refused`, as an
    alias is: what they build depends on more than the text where they stand.
    """

    def __init__(self, loader: Any, origin: Location, diags: Diagnostics, text: str) -> None:
        self.loader = loader
        self.text = text
        self.origin = origin
        self.diags = diags
        self.positions = Positions(origin)
        self.seen: set[int] = set()
        self.refused = False  # an alias, a tag or a merge key was reported
        self.aliases: dict[str, int] = {}  # the aliases of each anchor reported so far

    def _alias_at(self, mark: yaml.Mark, node: yaml.Node) -> Location:
        """Where the next alias of ``node`` is written: its anchor ('&name') begins the
        node, and its aliases ('*name') come after, in the order they are read; else
        at ``mark``."""
        anchor = _ANCHOR_RE.match(self.text, node.start_mark.index)
        if anchor is not None:
            name = anchor[1]
            used = self.aliases.get(name, 0)
            self.aliases[name] = used + 1
            written = re.compile(rf"\*{re.escape(name)}(?![^\s,\[\]{{}}])")
            places = written.finditer(self.text, anchor.end())
            found = next(itertools.islice(places, used, None), None)
            if found is not None:
                at = found.start()
                line = self.text.count("\n", 0, at)
                column = at - (self.text.rfind("\n", 0, at) + 1)
                return self.origin.at(self.origin.line + line, column + 1)
        return _at(self.origin, mark)

    def read(self, node: yaml.Node, path: KeyPath) -> Any:
        """The data of ``node``, at ``path``. A duplicate key is reported and dropped,
        the first one kept, so everything else in the file is still checked; an
        alias is reported, as it may be a bomb that makes the data explode.

        One call a level, as the walk it replaces: the same nesting reads.
        """
        seen = self.seen
        if id(node) in seen:  # an alias is the very node it refers to; name where it is used
            self.diags.error(
                self._alias_at(self.positions.keys.get(path, node.start_mark), node),
                _NO_ALIASES,
                "write the value out in full",
            )
            self.refused = True
            return None
        seen.add(id(node))
        keys, values = self.positions.keys, self.positions.values
        values[path] = node.start_mark
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._refuse(node)
            items = []
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                keys[item_path] = item.start_mark
                items.append(self.read(item, item_path))
            return items
        if not isinstance(node, yaml.MappingNode):
            return self._scalar(node)
        if node.tag != _MAP:
            self._refuse(node)
        data = {}
        first_seen: dict[Any, yaml.Mark] = {}
        kept = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.diags.error(_at(self.origin, key_node.start_mark), "keys must be plain text")
                continue
            key = key_node.value
            if key in first_seen:
                line = self.origin.line + first_seen[key].line
                self.diags.error(
                    _at(self.origin, key_node.start_mark),
                    f"duplicate key '{key}' (first defined on line {line})",
                    "remove one of them",
                )
                continue
            first_seen[key] = key_node.start_mark
            kept.append((key_node, value_node))
            key_path = (*path, key)  # not in the subscript: mypy takes that for 3.11's x[*a]
            keys[key_path] = key_node.start_mark
            built = key if key_node.tag == _STR else self._scalar(key_node)  # 123, true, null
            if built is not key:  # found by the key the data holds, to report it where it is
                built_path = (*path, built)
                if built_path in keys:  # 1, 1.0 and true are one value in the data
                    line = self.origin.line + keys[built_path].line
                    self.diags.error(
                        _at(self.origin, key_node.start_mark),
                        f"key '{key}' is read as the same value as a key on line {line}, "
                        "not as text",
                        "quote the keys",
                    )
                    continue
                keys[built_path] = key_node.start_mark
            if type(value_node) is yaml.ScalarNode and id(value_node) not in seen:
                seen.add(id(value_node))  # the commonest value, read here without a call
                values[key_path] = value_node.start_mark
                value = self._scalar(value_node) if value_node.tag != _STR else value_node.value
            else:
                value = self.read(value_node, key_path)
            data[built] = value
        node.value = kept
        return data

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR:
            return node.value
        constructor = _SCALARS.get(node.tag)
        if constructor is not None:
            try:
                return constructor(self.loader, node)
            except Exception:  # '!!int x'
                pass
        self._refuse(node)
        return None

    def _refuse(self, node: yaml.Node) -> None:
        if node.tag == _MERGE:
            what, hint = "YAML merge keys ('<<') are not allowed", "write the fields out in full"
        else:
            shown = (
                "!!" + node.tag.removeprefix(_YAML_TAGS)
                if node.tag.startswith(_YAML_TAGS)
                else node.tag
            )
            what, hint = f"YAML tags ('{shown}') are not allowed", "remove the tag"
        self.diags.error(_at(self.origin, node.start_mark), what, hint)
        self.refused = True
