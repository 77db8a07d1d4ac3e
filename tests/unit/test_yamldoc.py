"""YAML with positions, read in one pass (read/yamldoc.py), gives what PyYAML's safe
constructor and a separate walk over the nodes gave: the same data, the same positions,
the same diagnostics, on YAML of every kind, broken YAML included."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.diagnostics import Diagnostics, Location
from briefgen.read.yamldoc import Positions, _Loader, load_yaml

ORIGIN = Location("content/briefings/a.md", 2, 1)


_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _pyyaml_tag(loader: Any, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
    """PyYAML's own resolver, but for YAML 1.1's numbers in base 60 ('12:30'), the only
    numbers with a colon, which are text."""
    tag: str = yaml.resolver.BaseResolver.resolve(loader, kind, value, implicit)
    return "tag:yaml.org,2002:str" if tag in _NUMBERS and ":" in value else tag


class _PyYamlResolver(_Loader):
    """The loader as it was: PyYAML's own resolver."""

    resolve = _pyyaml_tag


def _at(mark: yaml.Mark) -> Location:
    return ORIGIN.at(ORIGIN.line + mark.line, mark.column + 1)


def _walk(
    node: yaml.Node, path: tuple[Any, ...], found: tuple[dict[Any, Location], dict[Any, Location]],
    diags: Diagnostics, seen: set[int],
) -> bool:  # fmt: skip
    """The walk over the nodes as it was, before PyYAML's constructor ran."""
    keys, values = found
    if id(node) in seen:
        problem = "YAML anchors and aliases are not allowed"
        diags.error(keys.get(path, _at(node.start_mark)), problem, "write the value out in full")
        return False
    seen.add(id(node))
    values[path] = _at(node.start_mark)
    ok = True
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[Any, int] = {}
        kept = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                diags.error(_at(key_node.start_mark), "keys must be plain text")
                continue
            here = _at(key_node.start_mark)
            if key_node.value in first_seen:
                diags.error(here, f"duplicate key '{key_node.value}' (first defined on line "
                            f"{first_seen[key_node.value]})", "remove one of them")  # fmt: skip
                continue
            first_seen[key_node.value] = here.line
            kept.append((key_node, value_node))
            keys[(*path, key_node.value)] = here
            ok = _walk(value_node, (*path, key_node.value), found, diags, seen) and ok
        node.value = kept
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            keys[(*path, index)] = _at(item.start_mark)
            ok = _walk(item, (*path, index), found, diags, seen) and ok
    return ok


def _as_it_was(text: str) -> tuple[Any, Diagnostics]:
    """What the text read to, with a walk and then PyYAML's constructor."""
    diags = Diagnostics()
    loader = _PyYamlResolver(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return ("empty",), diags
        found: tuple[dict[Any, Location], dict[Any, Location]] = ({}, {})
        if not _walk(node, (), found, diags, set()):
            return ("alias",), diags
        return ("data", repr(loader.construct_document(node)), found), diags
    except yaml.YAMLError:
        return ("yaml error",), diags
    except Exception as exc:
        return ("raised", repr(exc)), diags
    finally:
        loader.dispose()


def _now(text: str) -> tuple[Any, Diagnostics]:
    diags = Diagnostics()
    try:
        loaded = load_yaml(text, ORIGIN, diags)
    except yaml.YAMLError:
        raise
    except Exception as exc:
        return ("raised", repr(exc)), diags
    if loaded is None:
        return ("none",), diags
    data, positions = loaded
    return ("data", repr(data), positions), diags


def _same(text: str) -> None:
    then, then_diags = _as_it_was(text)
    now, now_diags = _now(text)
    if any(d.message.startswith(("YAML tags", "YAML merge keys")) for d in now_diags.items):
        assert now == ("none",)  # refused since, where PyYAML built or raised something
        return
    if any("is read as the same value as a key" in d.message for d in now_diags.items):
        # Keys one value in the data (1, 1.0, true): reported since, and the later
        # dropped unread as a duplicate is, where PyYAML kept the last silently.
        assert now[0] == "data"
        return
    if then[0] in ("empty", "raised"):
        assert (now, now_diags.items) == (("data", "None", Positions(ORIGIN)) if then[0] == "empty"
                                          else then, then_diags.items)  # fmt: skip
    elif then[0] == "alias":  # each alias reported where it is written since
        assert now == ("none",)
        assert [d.message for d in now_diags.items] == [d.message for d in then_diags.items]
    elif then[0] == "yaml error":  # reported after what the walk reported, if it ran
        assert now == ("none",)
        assert now_diags.items[:-1] == then_diags.items
        assert now_diags.items[-1].message.startswith(
            ("invalid YAML", "YAML anchors and aliases are not allowed")  # '*a', no '&a'
        )
    else:
        _, data, (keys, values) = then
        assert now[1] == data
        assert now_diags.items == then_diags.items
        positions: Positions = now[2]
        for path, where in keys.items():
            assert positions.key(*path) == where
            assert positions.key(*path, "not there") == where
        for path, where in values.items():
            assert positions.value(*path) == where
            assert positions.value(*path, "not there", 0) == where
        assert positions.key("not there") == values[()]


SCALARS = [
    "text", "two words", "'quoted'", '"double \\t quoted"', '"\\x01"', "1", "-12", "0x1f",
    "0o17", "1_000", "12:30", "1.5", "1e3", ".inf", "-.Inf", ".nan", "true", "False", "yes",
    "off", "null", "~", "", "2023-06-02", "2023-06-02T09:30:00+03:00", "=", "<<",
    "!!int 3", "!!str 4", "!!float 1", "!!bool yes", "!!null ''", "!!int x", "!!binary aGk=",
    "!!timestamp 2023-01-01", "!!bool maybe", "!foo x", "! bar", "!!set {a, b}",
    "!!omap [{a: 1}]", "!!map {a: 1}", "!!seq [1]", "&a anchored", "*a", "[a, 1, true]",
    "{k: v, k: w}", "[", "'unclosed", "a: b: c", "\tx", "|\n  block\n  text", "- in line",
]  # fmt: skip
KEYS = [
    "a", "b", "title", "1", "01", "1.0", "true", "null", "~", "'a'", '"b"', "<<", "=",
    "[x, y]", "{k: v}", "&k a", "*k", "? complex", "ключ",
]  # fmt: skip


def _block(tree: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(tree, str):
        return [pad + tree]
    kind, items = tree
    lines = []
    for key, child in items:
        head = f"{pad}- " if kind == "seq" else f"{pad}{key}:"
        if isinstance(child, str):
            lines.append(f"{head} {child}" if kind == "map" else head + child)
        else:
            lines.append(head.rstrip())
            lines += _block(child, indent + 2)
    return lines


def _collections(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    entries = st.lists(st.tuples(st.sampled_from(KEYS), children), min_size=1, max_size=4)
    items = st.lists(st.tuples(st.just(""), children), min_size=1, max_size=4)
    return st.tuples(st.just("map"), entries) | st.tuples(st.just("seq"), items)


trees = st.recursive(st.sampled_from(SCALARS), _collections, max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(trees)
def test_yaml_reads_as_it_did(tree: Any) -> None:
    _same("\n".join(_block(tree if not isinstance(tree, str) else ("map", [("a", tree)]), 0)))


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("time: 12:30", {"time": "12:30"}),
        ("score: -1:02:03.5", {"score": "-1:02:03.5"}),
        ("verse: [3:16, 1_0:00]", {"verse": ["3:16", "1_0:00"]}),
        ("minutes: 90", {"minutes": 90}),
        ("nine: 9:60", {"nine": "9:60"}),
    ],
)
def test_numbers_in_base_60_are_text(text: str, data: dict[str, Any]) -> None:
    """YAML 1.1 reads '12:30' as 750; YAML 1.2, Hugo's reader and every curator read it
    as written."""
    diags = Diagnostics()
    assert load_yaml(text, ORIGIN, diags)[0] == data
    assert not diags.items


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment",
        "title: A\ndate: 2023-06-02\nregions: [a, b]\ntags:\n  - x\n  - 2\n",
        "citations:\n  a: {source: s, url: 'https://x.org/', published: 2023-06-02}\n  a: {}\n",
        "a: &x [1, 2]\nb: *x\nc: *x\n",
        "a: &x text\nb: *x\n",
        "- &y 1\n- {k: *y}\n",
        "base: &b {k: 1}\nother:\n  <<: *b\n  j: 2\n",
        "? [complex]\n: value\nkey: 1\n",
        "set: !!set {a, b}\n",
        "omap: !!omap [{a: 1}]\n",
        "pairs: !!pairs\n  - a: 1\n",
        "map: !!map {a: 1}\nseq: !!seq [1, 2]\n",
        "b: !!bool maybe\n",
        "n: !!int x\n",
        "x: !unknown 1\n",
        "a: [1, 2\nb: 3\n",
        "a: 'open\n",
        "- a\n- b: 1\n  c: [x, {d: e}]\n",
        "1: one\n01: also one\n1.0: float one\ntrue: yes\n",
        "deep: " + "[" * 600 + "]" * 600,
        "deep: " + "{a: " * 600 + "1" + "}" * 600,
    ],
)
def test_yaml_of_every_kind_reads_as_it_did(text: str) -> None:
    _same(text)


@given(st.text(st.sampled_from("ab01.-+_:xXoeEtTrRuUfFnN~ "), max_size=8))
def test_plain_text_is_resolved_as_pyyaml_resolves_it(text: str) -> None:
    loader = _Loader("")
    assert loader.resolve(yaml.ScalarNode, text, (True, False)) == (
        _pyyaml_tag(loader, yaml.ScalarNode, text, (True, False))
    )
    for implicit in ((False, True), (False, False)):
        assert loader.resolve(yaml.ScalarNode, text, implicit) == "tag:yaml.org,2002:str"
    assert not _Loader.yaml_path_resolvers  # which the faster resolver leaves out
    loader.dispose()
