"""The one rule for names that become paths of the output."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.names import (
    MAX_NAME_BYTES,
    fold,
    is_key,
    name_problem,
    name_rules,
    path_problem,
    slugify,
)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("belgorod", True), ("Белгород", True), ("a.b-c_d", True), ("..", False), ("a/b", False),
     ("../x", False), (".hidden", False), ("", False), ("CON", False), ("a b", False),
     ("evil\n", False), ("x\n..", False), ("com1", False), ("Lpt9.md", False), ("con.txt", False),
     ("console", True), ("trailing.", False), ("index.html", False), ("a" * 255, True),
     ("a" * 256, False), ("é" * 128, False)],
)  # fmt: skip
def test_keys(text: str, ok: bool) -> None:
    assert is_key(text) is ok


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (".well-known", ""),
        (".nojekyll", ""),
        ("robots.txt", ""),
        ("x\n..", "holds the character U+000A"),
        ("a\x7fb", "holds the character U+007F"),
        ("what?.html", "holds the character U+003F"),
        ("nul", "is a device name on Windows"),
        ("COM3.tar.gz", "is a device name on Windows"),
        ("file ", "ends with a dot or a space"),
        ("..", "is not a file name"),
        ("x" * 256, "is longer than 255 bytes"),
    ],
)
def test_name_problems(name: str, problem: str) -> None:
    assert name_problem(name).startswith(problem) and bool(name_problem(name)) == bool(problem)


def test_a_path_is_checked_segment_by_segment() -> None:
    assert path_problem("assets/css/site.css") == ""
    assert path_problem("a/con/b.txt").startswith("'con' is a device name")
    assert path_problem("a//b") != ""


def _name_by_name(rel: str) -> bool:
    return all(not name_problem(part) for part in rel.split("/"))


# Names near the quick check's edges: device names in any case and before a dot,
# trailing dots and spaces, the empty name, letters outside ASCII and control characters.
_NAMES = st.one_of(
    st.sampled_from(["con", "CoN", "aux.txt", "nul", "com1", "LPT9.tar", "com", "lpt10",
                     "comma", "conin$", "com\u00b9", ".", "..", "", "a.", "a ", "-", "_", ".x",
                     "index.html"]),
    st.text(alphabet="acnoAux0159._- /\u00e9\u017f\u212a\n\x7f", max_size=12),
    st.text(alphabet="ab", min_size=250, max_size=260),
)  # fmt: skip


@given(st.lists(_NAMES, min_size=1, max_size=4).map("/".join))
def test_a_path_passes_when_each_of_its_names_does(rel: str) -> None:
    assert (path_problem(rel) == "") is _name_by_name(rel)


@given(_NAMES)
def test_the_quick_look_at_a_name_judges_it_as_the_rules_do(name: str) -> None:
    assert name_problem(name) == name_rules(name)


@pytest.mark.parametrize(
    "rel",
    ["briefings/2023/a-b_c.d/index.html", "con", "x/Com7.html", "a./b", "lpt1/x", "a/consul/b",
     "a" * MAX_NAME_BYTES, "a/" + "b" * (MAX_NAME_BYTES - 1), "b" * 256, ".well-known/x"],
)  # fmt: skip
def test_plain_and_refused_paths_are_judged_as_name_by_name(rel: str) -> None:
    assert (path_problem(rel) == "") is _name_by_name(rel)


def test_slugify_keeps_letters_of_any_script() -> None:
    assert slugify("Human Rights!") == "human-rights"
    assert slugify("Беспилотники") == "беспилотники"
    assert slugify("???") == ""


@pytest.mark.parametrize(
    ("words", "slug"),
    [
        ("हिन्दी समाचार", "हिन्दी-समाचार"),  # Devanagari vowel signs and virama
        ("שָׁלוֹם", "שָׁלוֹם"),  # Hebrew points
        ("اَلسَّلَامُ عَلَيْكُمْ", "اَلسَّلَامُ-عَلَيْكُمْ"),  # Arabic harakat
        ("İstanbul", "i\u0307stanbul"),  # the dot that casefolding leaves
        ("\u0301 accent first", "accent-first"),  # a mark with no letter before it
    ],
)
def test_slugify_keeps_the_combining_marks_of_a_word(words: str, slug: str) -> None:
    assert slugify(words) == slug
    assert is_key(slug)


def test_a_key_may_hold_combining_marks_but_not_begin_with_one() -> None:
    assert is_key("भारत") and is_key("समाचार") and is_key("नई-दिल्ली.2")
    assert not is_key("\u093f") and not is_key("\u093fभारत")
    assert not is_key("भारत समाचार")


def test_names_differing_in_case_or_normalisation_fold_together() -> None:
    assert fold("Belgorod") == fold("belgorod")
    assert fold("e\u0301") == fold("\u00e9")
    assert fold("a") != fold("b")


@pytest.mark.parametrize(
    ("rel", "inside"),
    [(".git/HEAD", True), ("docs/.hg/store", True), (".GIT/config", True), (".svn", True),
     (".github/workflows/x.yml", False), (".gitignore", False), ("a.git/b", False),
     ("briefings/x/index.html", False)],
)  # fmt: skip
def test_a_path_through_a_repositorys_own_folder(rel: str, inside: bool) -> None:
    """The output's: briefgen never writes there, nor removes what a manifest lists."""
    assert bool(path_problem(rel)) is inside
