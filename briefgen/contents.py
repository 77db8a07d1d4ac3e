"""What a check or a build reads, by content: the digest of the bytes of every file of
``content/`` and of the theme (and of the Pagefind binary), and of the options.

The records that know files by their times (see last_build.py) hold nothing in a CI
run, which checks the files out anew and so gives each new times and an inode: there,
a check and a build that read the same bytes as the last ones are told by this
digest instead (see last_check.py and :meth:`LastBuild.replay_by_content`).

Each file's digest is kept with its stamp (its size, times and inode) in the cache
(:class:`KnownFiles`, shared by checks and builds), and a file found with the stamp
on record is not read again: a CI run reads and hashes them all once (0.2 s at
10,000 briefings), the author's machine only those that changed. A file changed
just before it was read could change again and keep its stamp (see
:mod:`cache.settled`): digests read then are not kept. The record is read back as
untrusted: its paths are only compared with those found, never opened.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.cache.folder import CACHE_DIR, cache_folder, write_replacing
from briefgen.cache.settled import changed_before
from briefgen.read.files import listing, misplaced_folders
from briefgen.untrusted import json_value

Known = dict[str, list[Any]]  # file -> [size, mtime_ns, ctime_ns, inode, digest of its bytes]
# The stamp, or the digest, of a file listed but not read: no file's stamp or digest. A
# file that cannot be read is among what a build reads all the same (and fails it).
UNREADABLE = "unreadable"

_VERSION = 1


@dataclass(frozen=True)
class Contents:
    """What was read, by content: the digest of it all; the digest of all but the
    files of the site's content (``rest``), and of each of those (``content``, by its
    path under ``content/``: what a patch needs, see patch_record.py); and the digest
    of the stamp of each file of the ``folders`` and of each of the ``single`` files
    (a build keeps this through its stages, and 50,000 files' stamps are 300,000
    objects). ``settled`` when no file changed just before it was taken."""

    digest: str
    rest: str
    content: dict[str, str]
    stamps: str
    settled: bool
    folders: tuple[Path, ...]
    single: tuple[Path, ...] = ()

    def unchanged(self) -> bool:
        """True when the folders and files are as they were when this was taken: the
        same files, each with the stamp it had."""
        stamps = hashlib.sha256()
        found, problems = _listed(self.folders, self.single)
        stamps.update(_problems(problems))
        for path, _ in found:
            try:
                stat: os.stat_result | None = os.stat(path)
            except FileNotFoundError:
                return False
            except OSError:
                stat = None  # as when it was taken, if it was so then
            stamps.update(_stamp(path, stat))
        return stamps.hexdigest() == self.stamps


def read_contents(
    content: Path,
    folders: Iterable[Path],
    settings: Iterable[str],
    known: Known,
    files: Iterable[Path] = (),
) -> tuple[Contents, Known]:
    """The digest of every file of the site's ``content`` and of the other ``folders``
    and of each of ``files`` by its bytes, and of ``settings``, with the stamp and
    digest of each file; the digest of a file ``known`` holds with the stamp it has
    is taken from there."""
    started = time.time_ns()
    rest, stamps = hashlib.sha256(), hashlib.sha256()
    for setting in settings:
        rest.update(setting.encode("utf-8", "surrogateescape") + b"\0")
    found: Known = {}
    by_file: dict[str, str] = {}
    settled = True
    folders, single = (content, *folders), tuple(files)
    for folder in folders:
        rest.update(f"{folder}\0".encode("utf-8", "surrogateescape"))
    inside = f"{content}\0"
    found_files, problems = _listed(folders, single)
    rest.update(_problems(problems))
    stamps.update(_problems(problems))
    for path, rel in found_files:
        try:
            stat: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            settled = False  # gone since it was listed: what read it may have read it
            continue
        except OSError:
            stat = None  # in a folder that can be listed but not entered
        stamps.update(_stamp(path, stat))
        bytes_digest = UNREADABLE
        if stat is not None:
            stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
            old_enough = changed_before(stat.st_mtime_ns, stat.st_ctime_ns, started)
            entry = known.get(path)
            try:
                if old_enough and entry is not None and entry[:4] == stamp:
                    bytes_digest = entry[4]
                else:
                    with open(path, "rb") as file:
                        bytes_digest = hashlib.sha256(file.read()).hexdigest()
            except FileNotFoundError:
                settled = False
                continue
            except OSError:  # it may not be read: its digest is UNREADABLE
                pass
            else:
                settled = settled and old_enough
                found[path] = [*stamp, bytes_digest]
        if rel.startswith(inside):
            by_file[rel[len(inside) :]] = bytes_digest
        else:
            rest.update(f"{rel}\0{bytes_digest}\0".encode("utf-8", "surrogateescape"))
    others = rest.hexdigest()
    digest = whole_digest(others, by_file)
    return Contents(digest, others, by_file, stamps.hexdigest(), settled, folders, single), found


def whole_digest(rest: str, content: Mapping[str, str]) -> str:
    """The digest of what was read: ``rest`` (of all but the site's content files), and
    the digest of each of those by its path under ``content/``."""
    digest = hashlib.sha256(f"{rest}\0".encode())
    for rel, bytes_digest in sorted(content.items()):
        digest.update(f"{rel}\0{bytes_digest}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _problems(problems: list[str]) -> bytes:
    """The problems of the folders' walks, as the digests take them."""
    return "".join(f"{problem}\0" for problem in problems).encode("utf-8", "surrogateescape")


def _stamp(path: str, stat: os.stat_result | None) -> bytes:
    """A file's path and stamp (None: it cannot be looked at), as
    :attr:`Contents.stamps` takes them."""
    looked = (
        f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}"
        if stat is not None
        else UNREADABLE
    )
    return f"{path}\0{looked}\0".encode("utf-8", "surrogateescape")


def _listed(
    folders: tuple[Path, ...], files: tuple[Path, ...]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Every file of ``folders``, as a build's inputs are listed (see last_build.py),
    each with its path under its folder after the folder's own, then each of
    ``files``; and the problems their walks found (see :func:`read.files.listing`),
    with the site's settings files that are folders (the first of ``folders`` is its
    content)."""
    found, problems = [], misplaced_folders(folders[0].parent)
    for folder in folders:
        below, wrong = listing(folder)
        found += [(path, f"{folder}\0{rel}") for path, rel in below]
        problems += wrong
    return found + [(str(file), f"{file}\0") for file in files], problems


class KnownFiles:
    """The stamp and digest of each file the last check or build read by content, in
    the site's cache (``.briefgen-cache/known-files.json``), read back once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / CACHE_DIR / "known-files.json"

    @functools.cached_property
    def known(self) -> Known:
        """The files on record, as far as it holds them well formed."""
        if cache_folder(self.root) is None:
            return {}
        try:
            record = json_value(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict) or record.get("version") != _VERSION:
            return {}
        files = record.get("files")
        if not isinstance(files, dict):
            return {}
        return {
            path: entry
            for path, entry in files.items()
            if isinstance(entry, list)
            and len(entry) == 5
            and all(type(n) is int for n in entry[:4])
            and type(entry[4]) is str
        }

    def save(self, files: Known, contents: Contents) -> None:
        """Keep ``files``, read with ``contents``, when they are not those on record,
        unless one changed just before it was read."""
        if not contents.settled or files == self.known:
            return
        record = {"version": _VERSION, "files": files}
        if cache_folder(self.root) is not None:
            with contextlib.suppress(OSError):  # only an optimisation: if lost, files are read
                write_replacing(self.path, json.dumps(record))
