"""The files published as they are: the theme's assets (a site's own over the bundled
ones) and ``content/static/``; none may take the place of a page."""

from __future__ import annotations

import collections
from collections.abc import Iterable
from pathlib import Path

from briefgen import urls
from briefgen.diagnostics import Diagnostics, Location
from briefgen.names import fold
from briefgen.read.files import files_below
from briefgen.render.routes import Route
from briefgen.theme_folders import ASSETS_DIR, theme_dirs
from briefgen.write import MANIFEST, MARKER

STATIC_DIR = "content/static"


def files_to_copy(root: Path, diags: Diagnostics) -> dict[str, Path]:
    """Theme assets (a site's own over the bundled ones), then content/static/. A static
    file may not take the place of an asset: a site's own asset is put in its theme
    (``templates/assets/``), where it is merged with the bundled ones as documented."""
    assets: dict[str, Path] = {}
    for folder in reversed(theme_dirs(root)):
        assets.update(files_below(folder / ASSETS_DIR, root, diags, f"{ASSETS_DIR}/"))
    static = files_below(root / STATIC_DIR, root, diags, contained=True)
    for rel in sorted(static.keys() & assets.keys()):
        diags.error(
            _source(root, static[rel]),
            f"static file clashes with a file of the theme: /{rel}",
            f"to replace the theme's, put it in templates/{rel}",
        )
        del static[rel]
    copies = {**assets, **static}
    for rel, path in list(copies.items()):
        try:  # told here, by check too, where the build would fail as it copies it
            path.open("rb").close()
        except OSError as exc:
            diags.error(_source(root, path), f"cannot read file: {exc.strerror}")
            del copies[rel]
    return copies


def check_clashes(
    root: Path,
    all_routes: list[Route],
    copies: dict[str, Path],
    searchable: bool,
    diags: Diagnostics,
) -> None:
    """A file copied may not take the place of a page, of a folder of pages, of the
    search index's files or of the output's manifest; an old URL (``aliases:``) may not
    take the place of any file of the site, nor of a folder that holds one."""
    pages: set[str] = set()
    redirects: list[tuple[str, Location]] = []
    for route in all_routes:
        redirect = route.context.get("redirect")
        if redirect is None:
            pages.add(route.output_file)
        else:
            redirects.append((route.output_file, redirect.location))
    folders = {folder for page in pages for folder in _folders(page)}
    files = pages | set(copies)
    copied_in = {folder for rel in copies for folder in _folders(rel)}
    index = urls.search_bundle("") if searchable else None
    static = root / STATIC_DIR
    for rel in sorted(copies):
        where = _source(root, copies[rel])
        mine = copies[rel].is_relative_to(static)  # the theme's files are laid out as it wants
        inside = next((folder for folder in _folders(rel) if folder in files), None)
        if rel in pages or rel in folders:
            diags.error(where, f"static file clashes with a page of the site: /{rel}")
        elif mine and inside is not None:  # 'content/static/404.html/a'
            diags.error(
                where,
                f"static file /{rel} is in a folder that is a file of the site: /{inside}",
                "move it to another folder",
            )
        elif mine and rel in copied_in:  # 'content/static/assets'
            diags.error(
                where,
                f"static file /{rel} is where the site has a folder of files",
                "rename it",
            )
        elif rel == MANIFEST:
            diags.error(
                where,
                f"static file clashes with briefgen's list of the files it wrote: /{rel}",
                "rename it",
            )
        elif rel == MARKER:
            diags.error(where, f"static file has the name of a file of briefgen's own: /{rel}",
                        "rename it")  # fmt: skip
        elif index is not None and rel.startswith(index):
            diags.error(
                where,
                f"static file clashes with the search index: /{rel}",
                f"move it out of {index}, or set 'search: false' in site.yaml",
            )
    moved = {rel for rel, _ in redirects}
    made = pages | folders | moved | {folder for rel in moved for folder in _folders(rel)}
    _check_folded(root, made | ({index.rstrip("/")} if index else set()), copies, diags)
    for output_file, where in redirects:
        taken = [folder for folder in _folders(output_file) if folder in files]
        if output_file in copies or taken or (index is not None and output_file.startswith(index)):
            shown = taken[0] if taken else output_file.removesuffix("index.html").rstrip("/")
            diags.error(
                where, f"alias '/{shown}' is already a file of the site", "remove the alias"
            )


def _check_folded(root: Path, made: set[str], copies: dict[str, Path], diags: Diagnostics) -> None:
    """A static file may not differ from a page, a folder of pages or a file of the
    theme or of briefgen's own only in letter case or accents ('Index.html',
    'Briefings/x.txt'): on macOS and Windows the two are one, and the build would
    replace one with the other. (Two static files so alike are told of as they are
    listed.)"""
    static = root / STATIC_DIR
    theirs = {rel for rel, path in copies.items() if not path.is_relative_to(static)}
    if len(theirs) == len(copies):
        return  # no static file
    own = made | theirs | {folder for rel in theirs for folder in _folders(rel)}
    names = _Names(own | {MANIFEST, MARKER})
    for rel in sorted(copies.keys() - names.all):
        folder = ""
        for name in (*_folders(rel), rel):
            other = names.folded(folder).get(fold(name), name)
            if other != name:
                diags.error(
                    _source(root, copies[rel]),
                    f"static file /{rel} differs from /{other} only in letter case or "
                    "accents, so both would be one file on macOS and Windows",
                    "rename it",
                )
                break
            if name not in names.all:
                break  # nothing of the site's is below a folder it does not have
            folder = name


class _Names:
    """The names of the site's own files and folders ('briefings/x/index.html'), those
    of a folder folded when first asked for: a site's tens of thousands of pages are
    in few folders at the top, and a static file is seldom below one of them."""

    def __init__(self, names: set[str]) -> None:
        self.all = names
        self._inside: dict[str, list[str]] | None = None  # folder -> its names
        self._folded: dict[str, dict[str, str]] = {}

    def folded(self, folder: str) -> dict[str, str]:
        """The names right inside ``folder`` ('' for the top), by their fold."""
        found = self._folded.get(folder)
        if found is None:
            if folder:
                if self._inside is None:
                    self._inside = collections.defaultdict(list)
                    for name in self.all:
                        self._inside[name.rpartition("/")[0]].append(name)
                inside: Iterable[str] = self._inside.get(folder, ())
            else:
                inside = (name for name in self.all if "/" not in name)
            found = self._folded[folder] = {fold(name): name for name in inside}
        return found


def _folders(rel: str) -> list[str]:
    """The folders of the output path ``rel``, outermost first: 'a/b/c' -> ['a', 'a/b']."""
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def _source(root: Path, source: Path) -> Location:
    """Where a file copied comes from, as diagnostics name it."""
    return Location(
        source.relative_to(root).as_posix() if source.is_relative_to(root) else str(source)
    )
