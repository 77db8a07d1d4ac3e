"""One route rendered to bytes; a template's problems become located diagnostics."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from jinja2 import meta

from briefgen import words
from briefgen.cache.folder import CACHE_DIR
from briefgen.cache.store import StoreChanged
from briefgen.diagnostics import Diagnostics, Location, did_you_mean
from briefgen.model import Site
from briefgen.read.files import files_below
from briefgen.read.yamldoc import decode_text
from briefgen.render.reads import SiteView
from briefgen.render.routes import Route
from briefgen.render.theme import linking_from, make_environment
from briefgen.theme_folders import ASSETS_DIR, TEMPLATES_DIR, theme_dirs


class Renderer:
    """Renders routes of one site; template problems become diagnostics."""

    def __init__(
        self, site: Site, root: Path, compiled: jinja2.BytecodeCache | None = None
    ) -> None:
        # Its problems are reported by check_own_templates.
        catalog, self.catalog_errors = words.load_catalog(theme_dirs(root), site.config.language)
        self.env = make_environment(root, site.config, catalog, compiled)
        self.compiled = compiled
        self.site = site
        self.view = SiteView(site)  # what templates get: it notes what a page reads
        self.env.globals["site"] = self.view  # for partials imported without the page's context
        self.root = root

    def __reduce__(
        self,
    ) -> tuple[type[Renderer], tuple[Site, Path, jinja2.BytecodeCache | None]]:
        """Sent to a worker process without its environment, which it makes anew."""
        return Renderer, (self.site, self.root, self.compiled)

    def render(self, route: Route, diags: Diagnostics) -> bytes | None:
        try:
            template = self.env.get_template(route.template)
            root_relative = bool(route.context.get("root_relative"))
            with linking_from(route.path, self.site.config, root_relative):
                html = template.render(site=self.view, page_path=route.path, **route.context)
        except jinja2.TemplateSyntaxError as exc:
            diags.error(
                self.location_of(exc.filename, exc.lineno), f"template error: {exc.message}"
            )
            return None
        except jinja2.TemplateNotFound as exc:
            filename, lineno = _template_frame(exc)  # an include's or an import's, if any
            where = (
                self.location_of(filename, lineno)
                if filename
                else Location(f"{TEMPLATES_DIR}/{route.template}")
            )
            diags.error(where, f"template not found: {exc.name}")
            return None
        except StoreChanged as exc:
            # The file's, not the template's: the same error of every page that shows it.
            diags.error(Location(exc.rel or CACHE_DIR), str(exc))
            return None
        except Exception as exc:
            filename, lineno = _template_frame(exc)
            message = (
                str(exc)
                if isinstance(exc, jinja2.TemplateError)
                # Python words it after where the limit was met ('… in comparison').
                else "a macro or template calls itself without end"
                if isinstance(exc, RecursionError)
                else f"{exc} ({type(exc).__name__})"
                if str(exc)
                else type(exc).__name__
            )
            diags.error(
                self.location_of(filename, lineno),
                f"template error while rendering /{route.path}: {message}",
            )
            return None
        return html.encode("utf-8")

    def check_own_templates(self, diags: Diagnostics) -> bool:
        """Compile the site's own templates so a syntax error shows even in an unused one,
        and read the catalog of the site's language; False when either fails."""
        dirs = theme_dirs(self.root)
        usable = not self.catalog_errors
        for exc in self.catalog_errors:
            unread = not isinstance(exc, words.UnusableTranslation)
            diags.error(
                self.location_of(str(exc.path), exc.line),
                f"cannot read the catalog: {exc}" if unread else str(exc),
                "fix it, or remove it to use the bundled one",
            )
        if len(dirs) < 2:
            return _no_other_templates(self.root / TEMPLATES_DIR, diags) and usable
        own = sorted(files_below(dirs[0], self.root, diags))
        for name in own:
            if not name.endswith((".html", ".xml")) or name.startswith(f"{ASSETS_DIR}/"):
                continue
            if not _decodes(dirs[0] / name, f"{TEMPLATES_DIR}/{name}", diags):
                usable = False
                continue
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                usable = False
                diags.error(
                    self.location_of(exc.filename, exc.lineno), f"template error: {exc.message}"
                )
        if usable:
            self._check_used(dirs, own, diags)
        return usable

    def _check_used(self, dirs: list[Path], files: list[str], diags: Diagnostics) -> None:
        """Warn of each of the site's own templates that no page uses: the theme has no
        template of its name to replace, and none of the site's includes, imports or
        extends it ('templates/briefng.html', a slip for 'briefing.html'). The bundled
        templates name only their own, so only the site's are read for names."""
        pages = {
            name for name in files_below(dirs[-1], self.root, Diagnostics())
            if name.endswith((".html", ".xml"))
        }  # fmt: skip
        own = [
            name for name in files  # the site's, sorted
            if name.endswith((".html", ".xml")) and not name.startswith(f"{ASSETS_DIR}/")
        ]  # fmt: skip
        if all(name in pages for name in own):
            return  # each replaces one of the theme's
        named: set[str] = set()
        for name in own:
            source = (dirs[0] / name).read_text(encoding="utf-8", errors="replace")
            for found in meta.find_referenced_templates(self.env.parse(source)):
                if found is None:
                    return  # a name made as the page renders: any may be used
                named.add(found)
        for name in own:
            if name not in pages and name not in named:
                diags.warning(
                    Location(f"{TEMPLATES_DIR}/{name}"),
                    "no page uses this template: the theme has none of its name to replace, "
                    "and no template includes, imports or extends it",
                    did_you_mean(name, sorted(pages)) or "remove it, or name it as the theme's",
                )

    def own_template(self, *names: str) -> Location:
        """The first of the templates ``names`` the site has of its own (where a page's
        fault lies when the bundled theme's are sound), or the first of them."""
        own = self.root / TEMPLATES_DIR
        found = next((name for name in names if (own / name).is_file()), names[0])
        return Location(f"{TEMPLATES_DIR}/{found}")

    def location_of(self, filename: str | None, line: int | None) -> Location:
        if not filename:
            return Location(TEMPLATES_DIR, line or 0)
        path = Path(filename)
        for folder in theme_dirs(self.root):
            if path.is_relative_to(folder):
                rel = path.relative_to(folder).as_posix()
                where = (
                    f"{TEMPLATES_DIR}/{rel}"
                    if folder == self.root / TEMPLATES_DIR
                    else f"<bundled theme>/{rel}"
                )
                return Location(where, line or 0)
        return Location(filename, line or 0)


def _decodes(path: Path, rel: str, diags: Diagnostics) -> bool:
    """True when the template at ``path`` can be read as UTF-8; else the reason is
    reported, where the file first fails."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(Location(rel), f"cannot read file: {exc.strerror}")
        return False
    return decode_text(raw, rel, diags) is not None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback of ``exc``."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _no_other_templates(own: Path, diags: Diagnostics) -> bool:
    """False, with an error, when the site's ``templates`` is there but no folder: the
    site's templates would be passed over for the bundled theme's without a word."""
    if own.is_dir() or not (own.exists() or own.is_symlink()):
        return True
    message = (
        "this is a file, not the folder of the site's templates"
        if own.exists()
        else f"this is a symbolic link to {os.readlink(own)}, which is not there"
    )
    diags.error(Location(TEMPLATES_DIR), message, "remove it, or make it a folder of templates")
    return False
