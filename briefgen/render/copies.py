"""The files published as they are: the theme's assets (a site's own over the bundled
ones) and ``content/static/``; none may take the place of a page."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Diagnostics, Location
from briefgen.read.files import files_below
from briefgen.render.routes import Route
from briefgen.theme_folders import ASSETS_DIR, theme_dirs

STATIC_DIR = "content/static"


def files_to_copy(root: Path, diags: Diagnostics) -> dict[str, Path]:
    """Theme assets (a site's own over the bundled ones), then content/static/."""
    assets: dict[str, Path] = {}
    for folder in reversed(theme_dirs(root)):
        assets.update(files_below(folder / ASSETS_DIR, root, diags, f"{ASSETS_DIR}/"))
    return {**assets, **files_below(root / STATIC_DIR, root, diags, contained=True)}


def check_clashes(all_routes: list[Route], copies: dict[str, Path], diags: Diagnostics) -> None:
    """A static file may not take the place of a page, nor of a folder of pages."""
    pages = {route.output_file for route in all_routes}
    folders = {page.rsplit("/", 1)[0] for page in pages if "/" in page}
    for folder in list(folders):
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            folders.add(folder)
    for rel in sorted(copies):
        if rel in pages or rel in folders:
            diags.error(
                Location(f"{STATIC_DIR}/{rel}"),
                f"static file clashes with a page of the site: /{rel}",
            )
