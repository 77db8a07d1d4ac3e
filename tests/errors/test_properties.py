"""Random front matter, bodies and file names: the build reports problems, never crashes."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
import unicodedata
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


ANY_NAME = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"),
    min_size=1,
    max_size=20,
)
# writing.md, "Names that become paths": a control character or one that Windows
# refuses in a file name is an error.
FORBIDDEN = st.sampled_from('<>:"\\|?*') | st.characters(
    whitelist_categories=["Cc"], blacklist_characters="\x00"
)
DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)
# Names that are already valid slugs: letters of any script, digits, '-' and '_',
# starting with a letter or digit; not a Windows device name; and the same after
# NFC normalisation, so the file name is the slug as it is.
SLUG_NAME = st.builds(
    lambda first, rest: first + rest,
    st.characters(whitelist_categories=["Lu", "Ll", "Lo", "Nd"]),
    st.text(
        alphabet=st.characters(whitelist_categories=["Lu", "Ll", "Lo", "Nd"])
        | st.sampled_from("-_"),
        max_size=19,
    ),
).filter(lambda name: not DEVICES.fullmatch(name) and unicodedata.is_normalized("NFC", name))
BRIEFING = "---\ntitle: T\ndate: 2023-06-02\n---\nText\n"


def _build_names(names: list[str]) -> tuple[int, str, Path]:
    """Build a site of one briefing per name (``NAME.md``): exit code, stderr, the
    temporary site (the caller removes it)."""
    root = Path(tempfile.mkdtemp())
    folder = root / "content/briefings"
    folder.mkdir(parents=True)
    for name in names:
        (folder / f"{name}.md").write_text(BRIEFING)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["build", "-s", str(root), "--out", str(root / "out")])
    return code, err.getvalue(), root


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SLUG_NAME, min_size=1, max_size=4, unique_by=lambda n: n.casefold()))
def test_random_valid_file_names_each_become_a_page(names: list[str]) -> None:
    """writing.md: the file name becomes the URL; no two differ only in letter case."""
    code, err, root = _build_names(names)
    try:
        assert code == 0, err
        assert ": error: " not in err
        pages = {p.parent.name for p in (root / "out/briefings").glob("*/index.html")}
        assert pages == set(names)
    finally:
        shutil.rmtree(root)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(ANY_NAME, FORBIDDEN, st.integers(0, 20)), min_size=1, max_size=4))
def test_random_file_names_with_a_forbidden_character_are_located_errors(
    parts: list[tuple[str, str, int]],
) -> None:
    """Any name, with a character no file name may hold put in at any place: each such
    file is one error at its own path, the build fails, and nothing is written."""
    names = sorted({name[:at] + bad + name[at:] for name, bad, at in parts})
    # Hidden files and editors' temp files are skipped before their names are looked at.
    shown = [name for name in names if not name.startswith((".", "#", "~"))]
    code, err, root = _build_names(names)
    try:
        assert "Traceback" not in err
        if shown:
            assert code == 1, err
            lines = [line for line in err.splitlines() if ": error: " in line]
            assert len(lines) == len(shown), err
            assert all(line.startswith("content/briefings/") for line in lines), err
            assert all("which not every file system allows (rename it)" in line for line in lines)
            assert not (root / "out").exists()
        else:
            assert code == 0, err
    finally:
        shutil.rmtree(root)
