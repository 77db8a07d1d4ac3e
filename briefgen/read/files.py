"""Finding a site's files: the one walk over content, static files and theme assets.

Every name found must pass :func:`names.name_problem`, since it is published or
checked out elsewhere. A symbolic link is followed only while it stays inside the
folder being walked, and never into a folder already being walked (a loop); a
folder that cannot be read is reported. All of these are located errors, so a
strange tree never stops a build with a traceback. (Paths are plain strings: at
10,000 files, path objects cost a large share of a rebuild.)
"""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.diagnostics import Diagnostics, Location
from briefgen.names import fold, is_repository_name, name_problem, readable
from briefgen.theme_folders import TEMPLATES_DIR

SITE_FILE = "content/site.yaml"
SOURCES_FILE = "content/sources.yaml"
REGIONS_FILE = "content/regions.yaml"


def is_editor_temp(name: str) -> bool:
    """Editors' backup, swap and lock files."""
    return name.startswith((".#", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp"))


def leads_outside(path: Path) -> bool:
    """True when ``path`` is a symbolic link that leads outside the folder it is in: a
    site's files are the site's own, so a link in it cannot read the machine's."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(path.parent.resolve(strict=True))
    except (OSError, RuntimeError):
        return False  # it leads nowhere: reading it says so


def walk(
    base: Path, shown: str, diags: Diagnostics, hidden: bool = False, contained: bool = False
) -> list[tuple[str, str]]:
    """Every file below ``base`` as (path to read, path relative to ``base``), sorted
    by the latter; problems are reported at paths that start with ``shown``.

    Editors' temp files are skipped, and hidden ones too unless ``hidden`` (a static
    ``.nojekyll`` or ``.well-known/`` must be published), and a repository's own folder
    always (``.git``: a repository or submodule checked out in ``content/static/``).
    With ``contained``, ``base`` may not be a link out of the folder it is in (a folder
    of ``content/``, unlike a theme that sites share).
    """
    if not base.is_dir():
        return []
    if contained and leads_outside(base):
        diags.error(Location(shown), "symbolic link leads outside its folder")
        return []
    try:
        real_base = base.resolve(strict=True)
    except (OSError, RuntimeError):
        return []
    found: list[tuple[str, str]] = []

    def where(rel: str) -> Location:
        return Location(f"{shown}/{rel}" if rel else shown)

    # Folders still to read: (path, path relative to ``folder``, the real folders
    # around it). A stack, not recursion: a tree can be deeper than Python's stack.
    pending = [(str(base), "", frozenset({str(real_base)}))]
    while pending:
        directory, rel, walking = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as exc:
            diags.error(where(rel), f"cannot read folder: {exc.strerror}")
            continue
        entries = [
            entry
            for entry in entries
            if not is_editor_temp(entry.name)
            and (hidden or not entry.name.startswith("."))
            and not is_repository_name(entry.name)
        ]
        for name, other in _one_elsewhere([entry.name for entry in entries]):
            diags.error(
                where(readable(f"{rel}/{name}" if rel else name)),
                f"the name '{readable(name)}' differs from '{readable(other)}' only in letter "
                "case or in how an accent is encoded, so the two are one on macOS and Windows",
                "rename one of them",
            )
        for entry in entries:
            name = entry.name
            entry_rel = f"{rel}/{name}" if rel else name
            problem = name_problem(name)
            if problem:
                message = f"the name '{readable(name)}' {problem}"
                diags.error(where(readable(entry_rel)), message, "rename it")
                continue
            try:
                is_dir = entry.is_dir()
                real = os.path.realpath(entry.path) if entry.is_symlink() else None
                if real is not None:
                    os.stat(real)  # a loop or a missing target fails here
            except (OSError, RuntimeError):
                diags.error(where(entry_rel), "symbolic link leads nowhere (or in a loop)")
                continue
            if real is not None and not Path(real).is_relative_to(real_base):
                diags.error(where(entry_rel), "symbolic link leads outside its folder")
            elif is_dir:
                here = real or os.path.realpath(entry.path)
                if here in walking:
                    diags.error(where(entry_rel), "symbolic link leads into a folder around it")
                else:
                    pending.append((entry.path, entry_rel, walking | {here}))
            elif entry.is_file():
                found.append((entry.path, entry_rel))
    return sorted(found, key=lambda item: item[1])


def listing(folder: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """Every file below ``folder``, hidden ones too, as a build's inputs are listed (see
    :func:`walk`), and each problem the walk found, as a line, in sorted order (a
    folder's entries come in no set order). A file the walk passes over (a name no
    file system allows, a link that leads nowhere) is read by no build, but that it is
    there decides the build: what lists the inputs must tell the site after one was
    added from the site before."""
    diags = Diagnostics()
    found = walk(folder, str(folder), diags, hidden=True)
    return found, sorted(problem.format() for problem in diags.items)


def _one_elsewhere(names: list[str]) -> list[tuple[str, str]]:
    """Each name of a folder that :func:`names.fold` makes one with a name before it
    (in sorted order), with that name. Names of ASCII alone that differ in lower case
    are all told apart at once, as nearly every folder's are."""
    if len({name.lower() for name in names}) == len(names) and all(map(str.isascii, names)):
        return []
    first: dict[str, str] = {}
    found = []
    for name in sorted(names):
        other = first.setdefault(fold(name), name)
        if other != name:
            found.append((name, other))
    return found


def files_below(
    folder: Path, root: Path, diags: Diagnostics, prefix: str = "", contained: bool = False
) -> dict[str, Path]:
    """Every file below ``folder``, hidden ones included (see :func:`walk`), keyed
    by its output path."""
    shown = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
    found = walk(folder, shown, diags, hidden=True, contained=contained)
    return {prefix + name: Path(path) for path, name in found}


def present(root: Path, rel: str, diags: Diagnostics) -> bool:
    """True when the file ``rel`` of the site at ``root``, which a site may leave out,
    is there to be read; a folder of its name is reported (and is read as none)."""
    path = root / rel
    if path.is_dir():
        diags.error(Location(rel), "this is a folder, not a file", "move the folder away")
        return False
    if path.is_symlink() and not path.exists():
        diags.error(
            Location(rel),
            f"this is a symbolic link to {os.readlink(path)}, which is not there",
            "remove the link, or make what it leads to",
        )
        return False
    return path.is_file()


def misplaced_folders(root: Path) -> list[str]:
    """Each of the site's settings files that is a folder, its templates folder if it
    is a file, and any of them that is a link leading nowhere, as a line. No walk lists
    them, but :func:`present` and the theme report them: what lists a build's inputs
    must tell the site with one from the site without."""
    found = []
    for rel in (SITE_FILE, SOURCES_FILE, REGIONS_FILE, TEMPLATES_DIR):
        path = root / rel
        if path.is_symlink() and not path.exists():
            found.append(f"{rel} leads nowhere")
        elif rel == TEMPLATES_DIR and path.exists() and not path.is_dir():
            found.append(f"{rel} is a file")
        elif rel != TEMPLATES_DIR and path.is_dir():
            found.append(f"{rel} is a folder")
    return found
