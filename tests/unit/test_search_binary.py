"""The Pagefind binary is found where pagefind.service.get_executable finds it,
without importing that module (it starts asyncio for Pagefind's service API) or the
packages of the binary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pagefind_bin
import pytest
from pagefind.service import get_executable

from briefgen.render import search_binary
from briefgen.render.search_binary import executable


def _script(folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    return script


def test_the_packaged_binary_is_the_one_pagefind_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert executable() == get_executable()
    assert executable() is not None


def test_the_binary_named_by_the_environment_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = _script(tmp_path, "my-pagefind")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    assert executable() == get_executable() == script
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "none"))
    assert search_binary._located() == get_executable()
    assert executable() is None
    script.chmod(0o644)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    assert executable() is None


@pytest.mark.parametrize("on_path", [["pagefind"], ["pagefind_extended", "pagefind"], []])
def test_without_the_packages_the_path_is_searched_as_pagefind_searches_it(
    on_path: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    for name in ("pagefind_bin_extended", "pagefind_bin"):
        monkeypatch.setitem(sys.modules, name, None)  # an import of it raises ImportError
    folder = tmp_path / "bin"
    for name in on_path:
        _script(folder, name)
    monkeypatch.setenv("PATH", str(folder))
    assert executable() == get_executable()
    assert executable() == (folder / on_path[0] if on_path else None)


@pytest.mark.parametrize(
    ("files", "folders", "found"),
    [
        (["pagefind"], [], "pagefind"),
        (["pagefind_extended", "pagefind"], [], "pagefind_extended"),
        (["pagefind"], ["pagefind_extended"], None),  # the package's function raises
        ([], [], None),  # and here
    ],
)
def test_a_package_of_the_binary_is_looked_in_as_it_looks(
    files: list[str],
    folders: list[str],
    found: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    package = tmp_path / "pagefind_bin_extended"  # the same code as pagefind_bin's
    package.mkdir()
    (package / "__init__.py").write_bytes(Path(pagefind_bin.__file__).read_bytes())
    for name in files:
        _script(package, name)
    for name in folders:
        (package / name).mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)
    monkeypatch.delitem(sys.modules, "pagefind_bin_extended")
    assert executable() == (package / found if found else None)
    if found is None:
        with pytest.raises(FileNotFoundError):
            get_executable()
    else:
        assert executable() == get_executable()


def test_a_folder_named_as_a_package_of_the_binary_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    _script(tmp_path / "pagefind_bin_extended", "pagefind")  # no __init__.py beside it
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)
    monkeypatch.delitem(sys.modules, "pagefind_bin_extended")
    assert executable() == get_executable() == Path(pagefind_bin.get_executable())


def test_finding_the_binary_imports_neither_asyncio_nor_its_package() -> None:
    code = (
        "import sys; from briefgen.render.search_binary import executable; "
        "assert executable() is not None; "
        "print('asyncio' in sys.modules, 'pagefind_bin' in sys.modules)"
    )
    said = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert said.stdout.strip() == "False False", said.stderr
