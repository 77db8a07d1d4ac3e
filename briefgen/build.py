"""The one orchestrator: load -> link -> render -> write, collecting every diagnostic."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefgen import gc_pause
from briefgen.cache.memory import ParseCache
from briefgen.cache.store import BuildCache
from briefgen.diagnostics import Diagnostic, Diagnostics, Location, Severity
from briefgen.index import link
from briefgen.model import Site
from briefgen.read.files import walk
from briefgen.read.load import load
from briefgen.render.job import Progress, RenderJob, render_all
from briefgen.render.keys import RouteKeys, site_fingerprint, theme_fingerprint
from briefgen.render.linkcheck import LinkChecker
from briefgen.render.page import Renderer
from briefgen.render.routes import Route, routes
from briefgen.render.theme import TEMPLATES_DIR, make_environment, theme_dirs
from briefgen.write import OutputError, OutputWriter, output_lock, recover, refuse_reason

OUTPUT_DIR = "public"
STATIC_DIR = "content/static"
ASSETS_DIR = "assets"


@dataclass(frozen=True)
class BuildOptions:
    out: Path | None = None  # default: <root>/public
    drafts: bool = False
    strict: bool = False
    base_url: str | None = None
    write: bool = True  # False for `check`: everything is rendered, nothing written
    check_links: bool = False  # verify every internal link and anchor of the rendered pages
    cache: bool = True  # use the persistent cache in .briefgen-cache/
    jobs: int = 0  # worker processes; 0: one per core

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    ok: bool
    site: Site | None = None
    pages: int = 0
    rendered: int = 0  # pages rendered anew; the others were left as they were
    output: Path | None = None
    refusal: str = ""  # why the output folder was refused; nothing was touched
    failure: str = ""  # why the output could not be written, when it could not


def files_below(folder: Path, root: Path, diags: Diagnostics, prefix: str = "") -> dict[str, Path]:
    """Every file below ``folder``, hidden ones included (see :func:`files.walk`), keyed
    by its output path."""
    shown = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
    found = walk(folder, shown, diags, hidden=True)
    return {prefix + name: Path(path) for path, name in found}


def _check_templates(
    root: Path, env: jinja2.Environment, renderer: Renderer, diags: Diagnostics
) -> None:
    """Compile the site's own templates so a syntax error shows even in an unused one."""
    dirs = theme_dirs(root)
    if len(dirs) < 2:
        return
    for name in sorted(files_below(dirs[0], root, diags)):
        if not name.endswith((".html", ".xml")) or name.startswith(f"{ASSETS_DIR}/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            diags.error(
                renderer.location_of(exc.filename, exc.lineno), f"template error: {exc.message}"
            )


@dataclass(frozen=True)
class Prepared:
    """A site ready to render: linked content, its renderer, and the files to copy."""

    site: Site
    renderer: Renderer
    copies: dict[str, Path]  # output path -> source file


def prepare(
    root: Path, options: BuildOptions, diags: Diagnostics, cache: ParseCache | None = None
) -> Prepared:
    """Load and link the site and set up its templates; all problems go to ``diags``.

    The persistent cache is consulted on a first load; a preview's later rebuilds
    rely on its ``cache`` of unchanged files instead.
    """
    first = cache is None or cache.empty
    store = BuildCache(root) if options.cache and first else None
    content = load(root, diags, options.drafts, cache=cache, store=store, jobs=options.workers)
    if options.base_url:
        content = content.with_config(content.config.with_base_url(options.base_url))
    site = link(content, diags)
    env = make_environment(root, site.config)
    renderer = Renderer(env, site, root)
    _check_templates(root, env, renderer, diags)
    return Prepared(site, renderer, _files_to_copy(root, diags))


def build(root: Path, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build (or, with ``write=False``, check) the site at ``root``.

    Nothing outside the output folder is touched, and the output is replaced only
    when the whole build succeeded.
    """
    root = root.resolve()
    out = (options.out or root / OUTPUT_DIR).resolve()
    if not options.write:
        return _build(root, out, options, progress)
    protected = [root / "content", root / TEMPLATES_DIR, *theme_dirs(root)]
    reason = refuse_reason(root, out, protected)
    if reason:
        return BuildResult([], ok=False, refusal=reason)
    try:
        with output_lock(out):
            recover(out)  # a commit killed mid-way is undone before anything else
            return _build(root, out, options, progress)
    except (OutputError, OSError) as exc:
        return BuildResult([], ok=False, failure=str(exc))


def _build(root: Path, out: Path, options: BuildOptions, progress: Progress | None) -> BuildResult:
    diags = Diagnostics()
    with gc_pause.paused():
        prepared = prepare(root, options, diags)
        site = prepared.site
        all_routes = routes(site)
        gc_pause.settle()
    _check_clashes(all_routes, prepared.copies, diags)
    if diags.has_errors(options.strict):
        return BuildResult(diags.sorted(), ok=False, site=site)

    writer = OutputWriter(out) if options.write else None
    # `check` reports broken links as errors; `build` warns, so that the site still
    # publishes unless --strict.
    checker = None
    if options.check_links or options.write:
        files = frozenset({route.output_file for route in all_routes} | set(prepared.copies))
        severity = Severity.ERROR if options.check_links else Severity.WARNING
        checker = LinkChecker(files, site.config, root, severity)
    try:
        keys = RouteKeys(root, out)
        job = RenderJob(
            renderer=prepared.renderer,
            routes=all_routes,
            base_key=theme_fingerprint(theme_dirs(root)) + site_fingerprint(site),
            writer=writer,
            previous=keys.load() if writer and writer.incremental and options.cache else None,
            links=checker,
        )
        results = render_all(job, options.workers, progress)
        for result in results:
            diags.extend(result.diagnostics)
            if writer is not None and result.staged is not None:
                writer.record(result.file, result.staged)
        # A page left as it was keeps the problems found when it was rendered.
        broken: dict[str, list[Diagnostic]] = {r.file: list(r.broken_links) for r in results}
        if checker is not None:
            broken.update(checker.anchors(r.links for r in results if r.links is not None))
        for problems in broken.values():
            diags.extend(problems)
        if diags.has_errors(options.strict):
            return BuildResult(diags.sorted(), ok=False, site=site)
        if writer is not None:
            writer.copy(prepared.copies)
            writer.commit()
            writer = None
            if options.cache:
                saved = {r.file: (r.key, r.staged is True, tuple(broken[r.file])) for r in results}
                keys.save(out, saved)
    except (OutputError, OSError) as exc:
        return BuildResult(diags.sorted(), ok=False, site=site, failure=str(exc))
    finally:
        if writer is not None:
            writer.discard()
    rendered = sum(1 for r in results if r.rendered)
    return BuildResult(
        diags.sorted(), ok=True, site=site, pages=len(all_routes), rendered=rendered, output=out
    )


def _check_clashes(all_routes: list[Route], copies: dict[str, Path], diags: Diagnostics) -> None:
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


def _files_to_copy(root: Path, diags: Diagnostics) -> dict[str, Path]:
    """Theme assets (a site's own over the bundled ones), then content/static/."""
    assets: dict[str, Path] = {}
    for folder in reversed(theme_dirs(root)):
        assets.update(files_below(folder / ASSETS_DIR, root, diags, f"{ASSETS_DIR}/"))
    return {**assets, **files_below(root / STATIC_DIR, root, diags)}
