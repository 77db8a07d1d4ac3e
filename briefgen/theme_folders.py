"""Where a site's theme comes from: its own ``templates/`` folder over the bundled theme."""

from __future__ import annotations

from pathlib import Path

TEMPLATES_DIR = "templates"
ASSETS_DIR = "assets"  # in a theme: files published as they are, under /assets/


def bundled_theme() -> Path:
    """The default theme: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).parent
    installed = package / TEMPLATES_DIR
    if installed.is_dir():
        return installed
    return package.parent / TEMPLATES_DIR


def theme_dirs(root: Path) -> list[Path]:
    """The template folders in lookup order: the site's own first, then the bundled theme."""
    own = root / TEMPLATES_DIR
    bundled = bundled_theme()
    if own.is_dir() and own.resolve() != bundled.resolve():
        return [own, bundled]
    return [bundled]
