"""The package's imports go one way, down the pipeline (see docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import briefgen

PACKAGE = Path(briefgen.__file__).parent

# Lower layers never import higher ones; a module may import its own layer.
LAYERS = [
    {
        "__init__",
        "model",
        "diagnostics",
        "names",
        "urls",
        "characters",
        "untrusted",
        "workers",
        "gc_pause",
        "heap",
        "progress",
        "theme_folders",
        "words",
        "interrupts",
    },
    {"markup"},
    {"cache"},
    {"read"},
    {"index", "crossref", "embargo", "coverage", "grading", "archiving"},
    {"render", "write"},
    {
        "build",
        "pipeline",
        "contents",
        "last_build",
        "last_check",
        "patch",
        "patch_record",
        "outline",
    },
    {"serve", "scaffold", "drafts"},
    {"cli", "arguments", "__main__"},
]


def layer(module: str) -> int:
    """The layer of 'briefgen.read.load' (by its first part below the package)."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return next(n for n, names in enumerate(LAYERS) if top in names)


def _module_or_package(name: str) -> str:
    """What 'from briefgen import name' imports from: a module, or the package itself."""
    is_module = (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name).is_dir()
    return f"briefgen.{name}" if is_module else "briefgen"


def imports() -> list[tuple[str, str]]:
    edges = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                edges.append((module, "relative import"))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("briefgen"):
                names = [_module_or_package(a.name) for a in node.names]
                edges += [
                    (module, name)
                    for name in (names if node.module == "briefgen" else [node.module])
                ]
    return edges


def upward(edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in edges if b == "relative import" or layer(b) > layer(a)]


def test_every_module_has_a_layer_and_imports_only_its_own_or_lower_ones() -> None:
    edges = imports()
    assert len(edges) > 100
    assert upward(edges) == []


def test_the_check_sees_an_upward_or_relative_import() -> None:
    wrong = [("briefgen.model", "briefgen.render.page"), ("briefgen.read.load", "relative import")]
    assert upward([*wrong, ("briefgen.read.load", "briefgen.markup.body")]) == wrong


def test_a_build_does_not_import_the_preview_server() -> None:
    """What only ``serve`` needs is imported by ``serve``: every build would pay for it."""
    import subprocess
    import sys

    code = (
        "import sys, briefgen.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('briefgen.serve', 'http.server', "
        "'socketserver', 'webbrowser'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
