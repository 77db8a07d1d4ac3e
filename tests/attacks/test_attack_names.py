"""Names that become paths: registry keys, tags, slugs, citation sources, file names.

Each one is a folder or file name of the output, so it must be a name every file
system takes as one plain path segment: no control characters, no Windows device
names (con, prn, aux, nul, com1-9, lpt1-9, also with an extension), no trailing dot
or space, at most 255 bytes, and registry keys that differ only in case are one
folder on Windows and macOS. A bad name is a content error (exit 1) located in the
file that holds it, printed on one line, and it never reaches the output, its
manifest, or anything outside the output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from attack_kit import (
    REGIONS,
    SOURCES,
    A,
    assert_clean_stderr,
    assert_located_error,
    briefing,
    build,
    changes,
    make_site,
    snapshot,
    write_files,
)

PAGE = "---\ntitle: About\n---\nAbout this site.\n"


# --- control characters ---------------------------------------------------------------


def _registry_with(registry: str, yaml_key: str) -> dict[str, str | bytes]:
    if registry == "regions":
        return {"content/regions.yaml": REGIONS + f'"{yaml_key}": {{name: Evil, parent: russia}}\n'}
    return {"content/sources.yaml": SOURCES + f'"{yaml_key}": {{name: Evil}}\n'}


@pytest.mark.parametrize("registry", ["regions", "sources"])
@pytest.mark.parametrize(
    "yaml_key",
    [r"evil\n", r"evil\r", r"ev\vil", r"ev\x85il", r"evil\n/../../x", r"\e[31mred"],
    ids=["trailing-newline", "trailing-cr", "vertical-tab", "next-line", "newline-dotdot", "esc"],
)
def test_registry_key_with_a_control_character_is_a_one_line_error_and_changes_nothing(
    tmp_path: Path, registry: str, yaml_key: str
) -> None:
    site = make_site(tmp_path / "site")
    out = site / "public"
    assert build(site).code == 0
    output_before = snapshot(out)
    write_files(site, _registry_with(registry, yaml_key))
    outside_before = snapshot(tmp_path, skip=(out, site / ".briefgen-cache"))

    result = build(site)

    assert_located_error(result, f"content/{registry}.yaml")
    manifest = (out / ".briefgen-manifest").read_text(encoding="utf-8").split("\n")
    assert not [line for line in manifest if line.startswith("/") or ".." in line], manifest
    assert not changes(output_before, snapshot(out))
    assert not changes(outside_before, snapshot(tmp_path, skip=(out, site / ".briefgen-cache")))


@pytest.mark.parametrize(
    ("rel", "text", "where"),
    [
        ("content/static/notes\n.txt", "x", "content/static/"),
        ("content/static/dir\n/f.txt", "x", "content/static/"),
        ("content/static/tab\there.txt", "x", "content/static/"),
        ("content/static/esc\x1b[31m.txt", "x", "content/static/"),
        ("content/briefings/b\n.md", briefing(), "content/briefings/"),
        ("content/pages/p\r.md", PAGE, "content/pages/"),
    ],
    ids=["static-file-newline", "static-folder-newline", "static-tab", "static-escape",
         "briefing-file-newline", "page-file-cr"],
)  # fmt: skip
def test_file_name_with_a_control_character_is_a_one_line_error(
    tmp_path: Path, rel: str, text: str, where: str
) -> None:
    site = make_site(tmp_path / "site", {rel: text})
    result = build(site)
    assert_located_error(result, where)
    assert not (site / "public").exists()


FRONT_MATTER_NAMES = {
    "slug-newline": ('slug: "ev\\nil"\n', "gladkov", True),
    "tag-newline": ('tags: ["ev\\nil"]\n', "gladkov", True),
    "tag-escape-sequence": ('tags: ["drones\\e[2J"]\n', "gladkov", True),
    "citation-source-cr": ("", '"ev\\ril"', False),
    "free-form-region-newline": ('regions: ["ev\\nil"]\n', "gladkov", False),
}


@pytest.mark.parametrize(
    ("front", "source", "registries"), FRONT_MATTER_NAMES.values(), ids=list(FRONT_MATTER_NAMES)
)
def test_name_in_front_matter_with_a_control_character_is_a_one_line_error(
    tmp_path: Path, front: str, source: str, registries: bool
) -> None:
    text = briefing(front=front, source=source)
    if front.startswith("regions:"):
        text = text.replace("regions: [belgorod]\n", "")
    site = make_site(tmp_path / "site", {A: text}, registries=registries)
    result = build(site)
    assert_located_error(result, A)
    assert not (site / "public").exists()


def test_static_folder_named_x_newline_dotdot_never_deletes_a_file_outside_the_output(
    tmp_path: Path,
) -> None:
    """'x\\n..' would put the line '../sentinel.txt' into the manifest; a later build
    then deletes what it believes is its own stale file: the sentinel beside the site."""
    site = make_site(tmp_path / "site", {"content/static/x\n../sentinel.txt": "static copy\n"})
    out = tmp_path / "out"
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("precious\n")

    first = build(site, "--out", out)
    (site / "content/static/x\n../sentinel.txt").unlink()  # the change between builds
    (site / "content/static/x\n..").rmdir()
    write_files(site, {"content/briefings/b.md": briefing("Another briefing")})
    second = build(site, "--out", out)

    assert sentinel.is_file(), "a build deleted a file outside its output folder"
    assert sentinel.read_text() == "precious\n"
    assert_located_error(first, "content/static/")
    assert second.code == 0, second.err
    manifest = (out / ".briefgen-manifest").read_text(encoding="utf-8").split("\n")
    assert not [line for line in manifest if line.startswith("/") or ".." in line], manifest


# --- Windows device names, trailing dots and spaces, length ----------------------------

Case = tuple[dict[str, str | bytes], str, bool]  # files, where the error is, registries


def region(key: str) -> Case:
    return (
        {"content/regions.yaml": REGIONS + f"{key}: {{name: X, parent: russia}}\n"},
        "content/regions.yaml",
        True,
    )


def source(key: str) -> Case:
    return {"content/sources.yaml": SOURCES + f"{key}: {{name: X}}\n"}, "content/sources.yaml", True


def front(line: str) -> Case:
    return {A: briefing(front=line + "\n")}, A, True


def cited(key: str) -> Case:
    """A citation naming source ``key``, with no registry (pages are made for every key)."""
    return {A: briefing(source=key)}, A, False


def file(rel: str, text: str = "x", where: str = "") -> Case:
    return {rel: text}, where or rel, True


BAD_NAMES: dict[str, Case] = {
    # Windows device names, bare or with an extension
    "region-com1": region("com1"),
    "region-LPT9": region("LPT9"),
    "region-con.txt": region("con.txt"),
    "source-COM3": source("COM3"),
    "source-nul.json": source("nul.json"),
    "tag-com1": front("tags: [com1]"),
    "tag-Aux": front("tags: [Aux]"),
    "slug-lpt1": front("slug: lpt1"),
    "slug-con.txt": front("slug: con.txt"),
    "citation-source-com2": cited("com2"),
    "briefing-file-con.md": file("content/briefings/con.md", briefing()),
    "briefing-file-com1.md": file("content/briefings/com1.md", briefing()),
    "page-file-prn.md": file("content/pages/prn.md", PAGE),
    "page-file-aux.txt.md": file("content/pages/aux.txt.md", PAGE),
    "static-con.txt": file("content/static/con.txt"),
    "static-NUL": file("content/static/NUL"),
    "static-folder-com1": file("content/static/com1/x.css", where="content/static/com1"),
    "static-lpt1.md": file("content/static/lpt1.md"),
    # a trailing dot or space
    "region-dot": region("kursk."),
    "source-dot": source("dw."),
    "slug-dot": front("slug: shelling."),
    "citation-source-dot": cited("dw."),
    "static-file-dot": file("content/static/notes."),
    "static-file-space": file("content/static/notes "),
    "static-folder-dot": file("content/static/dir./f.txt", where="content/static/dir"),
    "static-folder-space": file("content/static/dir /f.txt", where="content/static/dir"),
    # longer than 255 bytes
    "tag-260-bytes-cyrillic": front(f"tags: [{'д' * 130}]"),
    "tag-256-bytes": front(f"tags: [{'t' * 256}]"),
    "region-256-bytes": region("r" * 256),
    "slug-256-bytes": front(f"slug: {'s' * 256}"),
    "citation-source-256-bytes": cited("s" * 256),
}


@pytest.mark.parametrize(("files", "where", "registries"), BAD_NAMES.values(), ids=list(BAD_NAMES))
def test_name_no_file_system_can_hold_is_a_located_error(
    tmp_path: Path, files: dict[str, str | bytes], where: str, registries: bool
) -> None:
    site = make_site(tmp_path / "site", files, registries=registries)
    result = build(site)
    assert_located_error(result, where)
    assert not (site / "public").exists()


# --- keys that differ only in case -----------------------------------------------------


@pytest.mark.parametrize(
    ("files", "where"),
    [
        (
            {"content/regions.yaml": REGIONS + "Belgorod: {name: Belgorod city, parent: russia}\n"},
            "content/regions.yaml",
        ),
        (
            {"content/sources.yaml": SOURCES + "dw: {name: Deutsche Welle}\nDW: {name: DW}\n"},
            "content/sources.yaml",
        ),
    ],
    ids=["regions", "sources"],
)
def test_registry_keys_differing_only_in_case_are_an_error(
    tmp_path: Path, files: dict[str, str | bytes], where: str
) -> None:
    """/regions/Belgorod/ and /regions/belgorod/ are one folder on Windows and macOS."""
    site = make_site(tmp_path / "site", files)
    result = build(site)
    assert_located_error(result, where)
    assert not (site / "public").exists()


def test_a_valid_site_keeps_a_clean_stderr(tmp_path: Path) -> None:
    """The stderr checker itself accepts what a good build prints (warnings included)."""
    site = make_site(tmp_path / "site", {"content/briefings/b.md": briefing(regions="[]")})
    result = build(site)
    assert result.code == 0, result.err
    assert_clean_stderr(result.err)
