"""The Jinja2 environment: a site's templates over the bundled theme.

Lookup goes file by file: a site's ``templates/x.html`` replaces the bundled
``x.html``, and ``{% extends "default/x.html" %}`` reaches the bundled one, so an
override can extend the template it replaces.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import jinja2

from . import urls
from .config import SiteConfig
from .model import MONTH_NAMES, Moment, as_datetime

TEMPLATES_DIR = "templates"


def bundled_theme() -> Path:
    """The default theme: inside the installed package, or at the top of a checkout."""
    installed = Path(__file__).parent / TEMPLATES_DIR
    if installed.is_dir():
        return installed
    return Path(__file__).parent.parent / TEMPLATES_DIR


def theme_dirs(root: Path) -> list[Path]:
    """The template folders in lookup order: the site's own first, then the bundled theme."""
    own = root / TEMPLATES_DIR
    bundled = bundled_theme()
    if own.is_dir() and own.resolve() != bundled.resolve():
        return [own, bundled]
    return [bundled]


def make_environment(root: Path, config: SiteConfig) -> jinja2.Environment:
    dirs = theme_dirs(root)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(dirs[-1])}),
                jinja2.FileSystemLoader([str(d) for d in dirs]),
            ]
        ),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xml"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(url=_url, absolute_url=config.absolute, routes=urls)
    env.filters.update(date=format_date, isodate=iso_date, atomdate=atom_date, slug=urls.slugify)
    return env


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, path: str) -> str:
    """A link from the page being rendered to the site path ``path``."""
    if context.get("root_relative"):
        return context["site"].config.base_path + quote(path, safe="/")
    return urls.relative(context["page_path"], path)


def format_date(moment: Moment | None) -> str:
    """'2 June 2023', the same on every machine whatever its locale."""
    if moment is None:
        return ""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def iso_date(moment: Moment | None) -> str:
    if moment is None:
        return ""
    return moment.isoformat()


def atom_date(moment: Moment | None) -> str:
    """RFC 3339, as Atom wants it."""
    if moment is None:
        return ""
    value = as_datetime(moment).isoformat()
    return value.replace("+00:00", "Z")
