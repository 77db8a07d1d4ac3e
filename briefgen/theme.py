"""The Jinja2 environment: a site's templates over the bundled theme.

Lookup goes file by file: a site's ``templates/x.html`` replaces the bundled
``x.html``, and ``{% extends "default/x.html" %}`` reaches the bundled one, so an
override can extend the template it replaces.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from . import urls
from .config import SiteConfig
from .markup import citation_id, marker_id
from .model import MONTH_NAMES, Moment, as_datetime
from .names import slugify

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


_PLAIN_CALLABLES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType)
_JINJA_CALL_ARGS = frozenset({"_loop_vars", "_block_vars"})  # Jinja adds these to calls


class _Context(jinja2.runtime.Context):
    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a plain function at once.

        Every call in a template goes through here (``url(routes.briefing(b.slug))``
        is two), and Jinja's own version first looks for ``pass_context`` and the
        like on the callee. Anything else still goes to Jinja's version: macros,
        ``pass_context`` functions, callable objects, and calls with keyword arguments.
        """
        if (
            obj.__class__ in _PLAIN_CALLABLES
            and kwargs.keys() <= _JINJA_CALL_ARGS
            and not hasattr(obj, "jinja_pass_arg")
        ):
            try:
                return obj(*args)
            except StopIteration:  # as Jinja does
                return self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(obj, *args, **kwargs)


class _Environment(jinja2.Environment):
    context_class = _Context

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict, not a ChainMap over the environment's:
        they are copied into every context a page makes, and the globals never change
        once templates load."""
        return {**self.globals, **(d or {})}


def make_environment(root: Path, config: SiteConfig) -> jinja2.Environment:
    dirs = theme_dirs(root)
    env = _Environment(
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
        # Every build (and every rebuild of the preview) makes a new environment, so a
        # loaded template is never stale; checking its file would cost a stat at every
        # use, includes and imports included.
        auto_reload=False,
    )
    env.globals.update(
        url=_url,
        absolute_url=config.absolute,
        routes=urls,
        citation_id=citation_id,
        marker_id=marker_id,
    )
    env.filters.update(date=format_date, isodate=iso_date, atomdate=atom_date, slug=slugify)
    return env


def page_url(
    page_path: str, config: SiteConfig, root_relative: bool = False
) -> Callable[[str], str]:
    """``url()`` bound to the page at ``page_path``; the renderer gives one to every page.

    It makes the same links as the ``url`` global, without looking the page up in
    the template's context on every call: a listing page makes a hundred links.
    """
    if root_relative:
        base_path = config.base_path

        def root_url(path: str) -> str:
            return base_path + quote(path, safe="/")

        return root_url

    up = "../" * page_path.count("/")  # what urls.relative() puts before every path
    relative = urls.relative

    def url(path: str) -> str:
        if _PLAIN_PATH.match(path):  # nothing to quote: the common case, made short
            return up + path or "./"
        return relative(page_path, path)

    return url


_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./-]*\Z")


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, path: str) -> str:
    """A link from the page being rendered to the site path ``path``.

    The ``url`` global, for templates rendered without a :func:`page_url` of their own.
    """
    if context.get("root_relative"):
        base_path: str = context["site"].config.base_path
        return base_path + quote(path, safe="/")
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
