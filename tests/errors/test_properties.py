"""Random front matter, bodies and file names: the build reports problems, never crashes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from briefgen.diagnostics import Diagnostics, Location
from briefgen.markup.body import BodyRenderer
from briefgen.read.frontmatter import parse_document
from briefgen.read.parse import parse_briefing

RENDERER = BodyRenderer()
YAMLISH = st.text(alphabet=st.sampled_from("abtitledatecitations:-[]{}@&*!|>'\"#,.\n 0123\t"))
FIELDS = ["title", "date", "regions", "tags", "slug", "draft", "citations", "summary", "x"]
SCALARS = st.one_of(
    st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.sampled_from(["2023-02-30"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _check(text: str) -> None:
    diags = Diagnostics()
    origin = Location("content/briefings/a.md")
    doc = parse_document(text, origin, diags)
    if doc is not None:
        parse_briefing(doc, origin, RENDERER, diags)
    for diagnostic in diags.items:
        assert diagnostic.location.path == origin.path
        diagnostic.format()


@given(YAMLISH, st.text(max_size=80))
def test_random_front_matter_text_never_crashes(front: str, body: str) -> None:
    _check(f"---\n{front}\n---\n{body}")


@given(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6), st.text(max_size=80))
def test_random_front_matter_values_never_crash(meta: dict[str, object], body: str) -> None:
    _check("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body)


@given(st.text(alphabet=st.sampled_from("[]@;,-:. ab\\`*_\n<>&()!#"), max_size=80))
def test_random_citation_text_never_crashes(body: str) -> None:
    _check(
        "---\ntitle: T\ndate: 2023-06-02\ncitations: {a: {source: s}, b: {source: s}}\n---\n" + body
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"),
            min_size=1,
            max_size=20,
        ),
        min_size=1,
        max_size=4,
        unique=True,
    )
)
def test_random_file_names_never_crash_the_build(names: list[str]) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        folder = root / "content/briefings"
        folder.mkdir(parents=True)
        for name in names:
            try:
                (folder / f"{name}.md").write_text("---\ntitle: T\ndate: 2023-06-02\n---\nText\n")
            except OSError:
                continue  # a name this file system cannot hold
        code = main(["build", "-s", str(root), "--out", str(root / "out")])
        assert code in (0, 1)
        if code == 0:
            assert all(p.resolve().is_relative_to(root / "out") for p in (root / "out").rglob("*"))
    finally:
        shutil.rmtree(root)
