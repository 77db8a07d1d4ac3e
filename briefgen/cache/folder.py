"""The cache folder, ``.briefgen-cache/`` at the site root, and what every record in
it is made with.

Apart from the parse store (store.py), so that a build which finds nothing changed
(last_build.py) reads its record without importing the libraries that parse and
render: at 10,000 briefings such a build takes about a second, and those imports
were a quarter of it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.untrusted import json_value

CACHE_DIR = ".briefgen-cache"
SCHEMA = 10  # of the parse store; a new one makes every cached parse a miss


@functools.cache
def library_version(distribution: str) -> str:
    """The installed version of ``distribution``, read without importing it; '' for
    one that is not installed as a distribution."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


@functools.cache
def settings_fingerprint(file_urls: bool = False) -> str:
    """Everything besides a file's bytes that decides what it parses to: briefgen's own
    code (its Markdown extensions, allow-lists and checks), the libraries it uses, and
    whether links in bodies name files (``file_urls``)."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    libraries = [library_version(name) for name in ("Markdown", "nh3", "PyYAML")]
    settings = [SCHEMA, __version__, sys.version, *libraries, digest.hexdigest()]
    return json.dumps([*settings, "file_urls"] if file_urls else settings)


def read_record(path: Path, version: int | None = None) -> dict[str, Any] | None:
    """The JSON object in the record at ``path``, with ``version`` as its "version" when
    one is given; None when it cannot be read or is no such object. What it holds is
    read back as untrusted: its callers check every part they use."""
    try:
        data = json_value(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or (version is not None and data.get("version") != version):
        return None
    return data


def cache_folder(root: Path) -> Path | None:
    """The cache folder of the site at ``root``, made if need be.

    None when it cannot be trusted to keep what is written inside the site (it is a
    symbolic link, or no folder): the build then goes on without a cache. A
    repository can carry such a link, so a pull request could otherwise have a
    build write where the link leads.
    """
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        if folder.is_symlink() or not folder.is_dir():
            return None
        ignore = folder / ".gitignore"
        if not os.path.lexists(ignore):
            with open(ignore, "x", encoding="utf-8") as file:
                file.write("*\n")
    except OSError:
        return None
    return folder


def output_record(root: Path, out: Path, kind: str) -> Path:
    """The file of the cache that keeps the record ``kind`` of the builds into ``out``."""
    name = hashlib.sha256(str(out).encode()).hexdigest()[:16]
    return root / CACHE_DIR / f"{kind}-{name}.json"


def write_replacing(path: Path, text: str | Iterable[str]) -> None:
    """Write ``path`` (given whole, or in pieces) through a new temporary file, never
    through a link planted there."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    with open(temporary, "x", encoding="utf-8") as file:
        file.writelines([text] if isinstance(text, str) else text)
    os.replace(temporary, path)
