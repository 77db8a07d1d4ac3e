"""Stage 4: write the output so that it is replaced whole or not at all.

A manifest in the output (``.briefgen-manifest``) lists the files briefgen wrote;
anything else found there (``CNAME``, ``.git``, a ``docs/`` folder) was put there by
someone else and is never moved, replaced or deleted.

* A build into a folder that does not exist yet writes a sibling staging folder,
  which then becomes the output in one rename.
* Any other build stages the files whose bytes change, then commits them: it
  records, in a sibling backup folder, a journal and the files they replace, then
  moves them into place. These are staged side by side, each named by a digest of
  its path, since making and removing a folder per page in the staging folder took
  half the time of a commit. A commit that fails (or is interrupted) is rolled back at
  once; one that was killed is rolled back by the next run before it touches
  anything else. Only a finished commit removes the backup: its journal at once,
  the files it kept by a thread while the build saves its records.

The manifest and the journal are read back from disk, so they are untrusted: every
path in them passes :func:`names.path_problem` and :meth:`Output.inside` before
anything is done to it, and a path that does not is ignored. The staging and backup
folders carry a marker file, so that briefgen only ever removes folders it made.
A lock beside the output keeps two builds from writing it at once.
"""

from __future__ import annotations

import contextlib
import filecmp
import hashlib
import json
import os
import queue
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from briefgen.names import path_problem
from briefgen.untrusted import json_value

MANIFEST = ".briefgen-manifest"
_JOURNAL = "journal.json"
MARKER = ".briefgen-made-this"  # in the staging and backup folders: proof they are ours
_SHOWN_CLASHES = 10
_BEHIND = 64  # files waiting for the thread that stages them, at most


class OutputError(Exception):
    """The output folder cannot be written; the message says why."""


def refuse_reason(root: Path, out: Path, protected: Iterable[Path]) -> str:
    """Why ``out`` must not be the output folder of the site at ``root``, or ''."""
    out = out.resolve()
    root = root.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        return f"refusing to use {out} as the output folder"
    if out.exists() and not out.is_dir():
        return f"the output folder {out} is a file"
    above = next((folder for folder in out.parents if folder.exists()), None)
    if above is not None and not above.is_dir():
        return f"the output folder {out} cannot be made: {above} is a file"
    if root.is_relative_to(out):
        return f"the output folder {out} contains the site itself"
    if (out / ".git").exists() and not (out / MANIFEST).exists():
        return f"the output folder {out} holds a .git folder and was not written by briefgen"
    for folder in protected:
        folder = folder.resolve()
        if out.is_relative_to(folder) or folder.is_relative_to(out):
            return f"the output folder {out} overlaps {folder}"
    return ""


_MOST_LINKS = 40  # followed on the way to the output folder: Linux's own bound (ELOOP)


def link_reason(root: Path, out: Path) -> str:
    """Why the output folder ``out``, as given, must not be used: on the way to it is a
    symbolic link inside the site at ``root`` (``out`` itself, say), or links that lead
    round in a loop. A repository can carry such a link ('public' leading to
    '~/.ssh'), and a build would write where it leads. Links outside the site are
    followed: no repository made those. '' when there is none.

    The way is followed name by name as the system follows it, each link one step at
    a time, and '..' from where it has led, so that no spelling of ``out``
    ('public/../x', a link outside the site to a folder inside it) hides one."""
    site = Path(os.path.realpath(root))
    way = out if out.is_absolute() else Path.cwd() / out
    here, names, followed = Path(way.anchor), list(way.parts[1:]), 0
    while names:
        name = names.pop(0)
        if name in (".", ".."):
            here = here.parent if name == ".." else here
            continue
        step = here / name
        if not step.is_symlink():
            here = step
            continue
        if here.is_relative_to(site):
            return (
                f"{step} is a symbolic link (to {os.readlink(step)}), and the output "
                "folder is through it: briefgen does not write where a link inside the "
                "site leads (remove the link, or give --out the folder it leads to)"
            )
        followed += 1
        if followed > _MOST_LINKS:
            return f"the way to the output folder {out} goes round a loop of symbolic links"
        target = Path(os.readlink(step))
        if target.is_absolute():
            here = Path(target.anchor)
        names[:0] = target.parts[1:] if target.is_absolute() else target.parts
    return ""


def _sibling(out: Path, suffix: str) -> Path:
    return out.parent / f".{out.name}.briefgen-{suffix}"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the lock of the output folder ``out``; raise OutputError if another build has it.

    The lock is a file beside the output, removed when the build ends. A build that
    locked a file another one removed meanwhile tries again with a new one. What stands
    at its name is opened only if it is briefgen's lock (or an empty file, as one left
    by a build that was killed): never through a symbolic link, and never a file of
    someone else's, which the build would otherwise remove.
    """
    path = _sibling(out, "lock")
    made = [folder for folder in path.parents if not os.path.lexists(folder)]
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        file = _open_lock(path)
        if not try_lock(file):
            file.close()
            raise OutputError(f"another build is writing {out}; try again when it has finished")
        try:
            same = os.path.samestat(os.fstat(file.fileno()), os.lstat(path))
        except OSError:
            same = False
        if same and _held_by_briefgen(file):
            break
        file.close()
        if same:
            raise OutputError(f"{path} is not briefgen's lock; move it away, then build again")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if os.path.samestat(os.fstat(file.fileno()), os.lstat(path)):
                path.unlink()  # before the lock goes, so no build can lock a removed file
        file.close()
        with contextlib.suppress(OSError):  # the folders made for it, if none was written
            for folder in made:
                folder.rmdir()


_LOCK_TEXT = b"briefgen: a build is writing the folder beside this file\n"


def _open_lock(path: Path) -> IO[bytes]:
    """The file at ``path``, made if need be, opened without following a link."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if not os.path.lexists(path):  # nothing there: the folder cannot take a file
            raise OutputError(
                f"cannot write in {path.parent}, where the output folder is: {exc.strerror}"
            ) from exc
        reason = "a symbolic link" if os.path.islink(path) else exc.strerror
        raise OutputError(
            f"{path} is not briefgen's lock ({reason}); move it away, then build again"
        ) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError(f"{path} is not briefgen's lock; move it away, then build again")
    return os.fdopen(fd, "r+b")


def _held_by_briefgen(file: IO[bytes]) -> bool:
    """True when the locked ``file`` is briefgen's lock, marked so now if it was empty."""
    held = file.read(len(_LOCK_TEXT) + 1)
    if not held:
        file.write(_LOCK_TEXT)
        file.flush()
        return True
    return held == _LOCK_TEXT


def try_lock(file: IO[bytes]) -> bool:
    """Lock ``file`` for this process without waiting; False if another holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True  # released when the file is closed, or the process ends


def _valid_paths(value: Any) -> list[str]:
    """The entries of ``value`` that are relative paths briefgen could have written."""
    if not isinstance(value, list):
        return []
    return [rel for rel in value if _writable(rel)]


def _writable(rel: Any) -> bool:
    return isinstance(rel, str) and rel != MANIFEST and _well_formed(rel)


def _well_formed(rel: str) -> bool:
    return not rel.startswith("/") and not path_problem(rel)


def read_manifest(out: Path) -> tuple[set[str] | None, bool]:
    """The files the last build wrote to ``out`` (None when there is no manifest, or
    one that cannot be read), and whether there is one that does not read as one (cut
    short, garbled): briefgen can then tell none of its files from someone else's.

    Entries that are not paths inside the output are dropped (the file may have been
    tampered with). Manifests of earlier versions, one path per line, are read too:
    one of those that is empty, or has a line that is no such path, does not read as
    one (an empty file, or bytes that are not a list of paths).
    """
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, False
    except (OSError, UnicodeDecodeError):
        return None, True
    if not text.startswith("{"):
        # One path a line, as earlier versions wrote it: never empty (a build writes a
        # page at least), and every line a path, or it is no such manifest.
        lines = text.splitlines()
        valid = _valid_paths(lines)
        return set(valid), not lines or len(valid) != len(lines)
    try:
        data = json_value(text)
    except ValueError:
        return set(), True
    listed = data.get("files") if isinstance(data, dict) else None
    return set(_valid_paths(listed)), not isinstance(listed, list)


class Output:
    """The output folder, with the one check on every path written or removed in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._checked: set[str] = set()  # folders known to be real folders inside

    def inside(self, rel: str) -> Path:
        """``folder/rel``, after checking it can only lead inside the folder.

        Raises OutputError for a malformed path, or when a folder on the way is a
        symbolic link or not a folder: writing through it would land elsewhere.
        """
        if not _well_formed(rel) and rel != MANIFEST:
            raise OutputError(f"refusing to write '{rel}': not a path inside the output")
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in self._checked:
                continue
            try:
                mode = os.lstat(self.folder / folder).st_mode
            except FileNotFoundError:
                break  # made by the commit, as a real folder
            if not stat.S_ISDIR(mode):
                raise OutputError(
                    f"{self.folder / folder} is not a folder briefgen can write into "
                    "(a file or a symbolic link); move it away"
                )
            self._checked.add(folder)
        return self.folder / rel

    def is_file(self, rel: str) -> bool:
        """True when ``rel`` is a regular file (not a link, not a folder) in the output."""
        try:
            return stat.S_ISREG(os.lstat(self.inside(rel)).st_mode)
        except OSError:
            return False


def _journal(backup: Path) -> dict[str, Any] | None:
    """The journal of the commit that made ``backup``, or None if no commit had begun.

    Raises OutputError for a journal this machine's build did not write beside the
    folder of the files it kept: it names that folder by its device and inode, which
    no copy or checkout of the folder can have. A journal carried in a repository,
    whose folder is a link to files elsewhere, would otherwise move them into the
    output, or remove the user's own files there."""
    journal = backup / _JOURNAL
    try:
        text = journal.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # no commit had begun: the journal is in place before the first move
    except (OSError, ValueError) as exc:
        raise _unreadable(backup, "it cannot be read") from exc
    try:
        data = json_value(text)
    except ValueError as exc:
        raise _unreadable(
            backup, "it is empty" if not text.strip() else "it does not read as one"
        ) from exc
    made = _identity(backup / _KEPT)
    if made is None or not isinstance(data, dict) or data.get("kept_in") != made:
        raise OutputError(
            f"{backup} holds a journal that was not written there by briefgen; move it away"
        )
    listed = data.get("replaced")
    listed = listed if isinstance(listed, list) else []
    saved = [(n, rel) for n, rel in enumerate(listed) if _writable(rel)] + [(len(listed), MANIFEST)]
    return {
        "created": _valid_paths(data.get("created")),
        "saved": [(str(number), rel) for number, rel in saved],
        "had_manifest": data.get("had_manifest") is not False,
    }


def _unreadable(backup: Path, why: str) -> OutputError:
    """The error for a journal that is there but cannot be read (a power cut can leave
    one empty): the commit it began cannot be undone, and its backup holds the only
    copies of the files it replaced, so nothing is removed."""
    return OutputError(
        f"a build was cut off while it replaced the output, and the list of what it "
        f"replaced, {backup / _JOURNAL}, is no such list ({why}): the files it "
        f"replaced are kept in {backup / _KEPT}, numbered; look at the output, then "
        f"remove {backup} and build again"
    )


_KEPT = "files"  # in the backup folder: the files a commit replaced, by number


def _identity(folder: Path) -> list[int] | None:
    """The device and inode of ``folder``; None if it is no folder (a link, say)."""
    try:
        found = os.lstat(folder)
    except OSError:
        return None
    return [found.st_dev, found.st_ino] if stat.S_ISDIR(found.st_mode) else None


def recover(out: Path) -> None:
    """Undo a commit that was interrupted, so the output is the previous build again,
    and remove the staging folder of a build that was killed: a build that finds
    nothing to write (a replay) makes none, and would leave it there for good.

    Raises OutputError when a folder beside the output has briefgen's name but not
    its marker, or a journal briefgen did not write there: it is someone else's, and
    is left alone.
    """
    staging = _sibling(out, "new")
    if staging.exists() or staging.is_symlink():
        _check_ours(staging)
        _remove_ours(staging)
    backup = _sibling(out, "old")
    if not backup.exists() and not backup.is_symlink():
        return
    _check_ours(backup)
    journal = _journal(backup)
    if journal is not None:
        output = Output(out)
        for rel in journal["created"]:
            if output.is_file(rel):
                output.inside(rel).unlink()
                _remove_empty_parents(out, rel)
        for name, rel in journal["saved"]:
            kept = backup / _KEPT / name
            if kept.is_file() and not kept.is_symlink():
                target = output.inside(rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(kept, target)
        if not journal["had_manifest"] and output.is_file(MANIFEST):
            output.inside(MANIFEST).unlink()
    _remove_ours(backup)


def _check_ours(folder: Path) -> None:
    """Raise OutputError unless ``folder`` is one briefgen made: it holds the marker, or
    nothing at all (a run killed between making it and marking it)."""
    real = folder.is_dir() and not folder.is_symlink()
    if not real or not ((folder / MARKER).is_file() or not any(folder.iterdir())):
        raise OutputError(
            f"{folder} was not made by briefgen, but has the name of its working folders; "
            "move it away"
        )


def _make_ours(folder: Path) -> None:
    """Make ``folder`` anew, marked as briefgen's."""
    if folder.exists() or folder.is_symlink():
        _check_ours(folder)
        _remove_ours(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_bytes(b"")


def _remove_ours(folder: Path) -> None:
    """Remove a folder briefgen made, in an order a kill cannot turn into damage: the
    journal first (a finished commit is never replayed from half its saved files),
    the marker last (a half-removed folder is still known as briefgen's)."""
    (folder / _JOURNAL).unlink(missing_ok=True)
    _remove_unjournaled(folder)


def _remove_unjournaled(folder: Path) -> None:
    """Remove a folder briefgen made, whose journal is gone, marker last."""
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()


class _Stager:
    """A thread that stages the files it is given, in order (see
    :meth:`OutputWriter.behind`); a write that failed is raised in the build's thread,
    by the next call."""

    def __init__(self, stage: Callable[[Path, bytes], None]) -> None:
        self._stage = stage
        self._pending: queue.Queue[tuple[Path, bytes] | None] = queue.Queue(_BEHIND)
        self._failed: list[BaseException] = []
        self._thread = threading.Thread(target=self._run)
        self._thread.start()

    def put(self, path: Path, data: bytes) -> None:
        self.check()
        self._pending.put((path, data))

    def wait(self) -> None:
        """Wait until every file given so far is staged."""
        self._pending.join()
        self.check()

    def close(self) -> None:
        """Stage what is left, and end the thread."""
        self._pending.put(None)
        self._thread.join()

    def check(self) -> None:
        if self._failed:
            raise self._failed[0]

    def _run(self) -> None:
        while (item := self._pending.get()) is not None:
            try:
                if not self._failed:
                    self._stage(*item)
            except BaseException as exc:  # raised in the build's thread
                self._failed.append(exc)
            finally:
                self._pending.task_done()


def _remove_quietly(folder: Path) -> None:
    with contextlib.suppress(OSError):
        _remove_unjournaled(folder)


def _flat_name(rel: str) -> str:
    """The name ``rel`` is staged under when files are staged side by side."""
    return hashlib.blake2b(rel.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _remove_empty_parents(out: Path, rel: str) -> None:
    parent = (out / rel).parent
    while parent != out:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


class OutputWriter:
    """Stages a build's files and commits them to the output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.output = Output(out)
        self.staging = _sibling(out, "new")
        self.exists = out.is_dir()
        # A folder without a manifest: everything in it is someone else's.
        previous, self.damaged = read_manifest(out) if self.exists else (None, False)
        self.previous = previous or set()
        if self.previous and self.output.is_file(MARKER):
            (out / MARKER).unlink()  # the staging folder's, when a kill left it behind
        self.files: set[str] = set()  # every file of the new build
        self.staged: set[str] = set()  # those whose bytes differ from the output's
        self._removal: threading.Thread | None = None  # of the files a commit replaced
        self._behind: _Stager | None = None  # staging files in a thread of its own
        _make_ours(self.staging)

    @property
    def incremental(self) -> bool:
        return bool(self.previous)

    def put(self, rel: str, data: bytes) -> bool:
        """Stage ``data`` unless the output already holds exactly it; True if staged.

        Touches only the file system, so worker processes can call it; the caller
        then :meth:`record`\\ s the result. Within :meth:`behind`, the file is written
        by a thread of its own.
        """
        path = self._staged_path(rel)
        if self.holds(rel, data):
            return False
        if self._behind is None:
            self._stage(path, data)
        else:
            self._behind.put(path, data)
        return True

    def _stage(self, path: Path, data: bytes) -> None:
        if not self.exists:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    @contextmanager
    def behind(self) -> Iterator[None]:
        """Stage the files :meth:`put` is given from a thread of its own while in this
        context, and all of them by its end. The system's work of making each folder
        and file (about 0.2 ms a page) then runs on a core the build leaves idle: one
        that renders in one process, beside Pagefind at 50,000 briefings. Only where
        no process is forked meanwhile. A file read (:meth:`current`) is waited for;
        a write that failed is raised by the next :meth:`put`, read or the end."""
        stager = self._behind = _Stager(self._stage)
        try:
            yield
        finally:
            self._behind = None
            stager.close()
        stager.check()

    def holds(self, rel: str, data: bytes) -> bool:
        """True when the last build wrote ``rel`` and the output holds exactly ``data`` there."""
        try:
            return (
                rel in self.previous
                and self.output.is_file(rel)
                and self.output.inside(rel).read_bytes() == data
            )
        except (OSError, OutputError):
            return False

    def current(self, rel: str) -> Path:
        """The file that holds the bytes this build gives ``rel``: staged anew, or left as
        the output holds it. Only to be read."""
        if rel not in self.staged:
            return self.output.inside(rel)
        if self._behind is not None:
            self._behind.wait()
        return self._staged_path(rel)

    def read(self, rel: str) -> bytes | None:
        """The bytes this build gives ``rel`` (see :meth:`current`); None when they
        cannot be read."""
        try:
            return self.current(rel).read_bytes()
        except (OSError, OutputError):
            return None

    def _staged_path(self, rel: str) -> Path:
        """Where ``rel`` is staged (in a rebuild, side by side, named by its path's
        digest); raises OutputError unless it leads inside the output."""
        if not _well_formed(rel):
            raise OutputError(f"refusing to write '{rel}': not a path inside the output")
        if self.exists:  # the staging folder will not become the output: no folders
            return self.staging / _flat_name(rel)
        return self.staging / rel

    def record(self, rel: str, staged: bool) -> None:
        self.files.add(rel)
        if staged:
            self.staged.add(rel)

    def write(self, rel: str, data: bytes) -> None:
        self.record(rel, self.put(rel, data))

    def copy(self, files: dict[str, Path]) -> None:
        """Copy files to their output paths (the build has checked they clash with no page)."""
        for rel, source in sorted(files.items()):
            if self._holds(rel, source):
                self.record(rel, staged=False)
                continue
            target = self._staged_path(rel)
            if not self.exists:
                target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            self.record(rel, staged=True)

    def _holds(self, rel: str, source: Path) -> bool:
        """True when the output already has, from the last build, a copy of ``source``."""
        if rel not in self.previous or not self.output.is_file(rel):
            return False
        return filecmp.cmp(source, self.output.inside(rel), shallow=False)

    def discard(self) -> None:
        if (self.staging / MARKER).is_file():
            with contextlib.suppress(OSError):
                _remove_ours(self.staging)

    def commit(self) -> None:
        try:
            if not self.exists:
                self._swap()
            else:
                self._apply()
        finally:
            self.discard()

    def _manifest(self) -> bytes:
        data = {"briefgen": 1, "files": sorted(self.files)}
        return json.dumps(data, ensure_ascii=False, indent=0).encode()

    def _swap(self) -> None:
        """A new output folder: the staged folder takes its place in one rename."""
        (self.staging / MANIFEST).write_bytes(self._manifest())
        os.replace(self.staging, self.out)
        (self.out / MARKER).unlink()  # left by a kill just before: see __init__

    def _apply(self) -> None:
        """Move the changed files into place, journaled for rollback."""
        previous = self.previous
        removed = sorted(rel for rel in previous - self.files if self.output.is_file(rel))
        created = sorted(self.staged - previous)
        replaced = sorted((self.staged & previous) | set(removed))
        clashes = [rel for rel in created if self._taken(rel)]
        clashes += [rel for rel in self.staged & previous if self._taken(rel, ours=True)]
        if clashes:
            shown = ", ".join(sorted(clashes)[:_SHOWN_CLASHES])
            more = len(clashes) - _SHOWN_CLASHES
            why = (
                f"; its {MANIFEST}, the list of the files briefgen wrote there, cannot be "
                "read, so none can be told from someone else's: if the folder holds only "
                "a build's output, remove it and build again"
                if self.damaged
                else "; move them away or into content/static/"
            )
            raise OutputError(
                f"{self.out} holds files briefgen did not write that this build would "
                f"replace: {shown}{f' and {more} more' if more > 0 else ''}{why}"
            )
        (self.staging / MANIFEST).write_bytes(self._manifest())
        had_manifest = self.output.is_file(MANIFEST)
        backup = _sibling(self.out, "old")
        _make_ours(backup)
        saved = backup / _KEPT
        saved.mkdir()
        # The files replaced are kept in one folder, each named by its place in the
        # journal's list: no folder to make and remove for each.
        journal = {"created": created, "replaced": replaced, "had_manifest": had_manifest,
                   "kept_in": _identity(saved)}  # fmt: skip
        _write_durably(backup / "journal.tmp", json.dumps(journal).encode())
        os.replace(backup / "journal.tmp", backup / _JOURNAL)
        _sync_folder(backup)  # the journal is on disk before the first file moves
        existing = set()  # files the output holds now: their folders are there
        try:
            for number, rel in enumerate([*replaced, MANIFEST]):
                if (rel != MANIFEST or had_manifest) and self.output.is_file(rel):
                    _preserve(self.output.inside(rel), saved / str(number))
                    existing.add(rel)
            for rel in [*created, *(r for r in replaced if r in self.staged)]:
                target = self.output.inside(rel)
                if rel not in existing:
                    target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self._staged_path(rel), target)
            os.replace(self.staging / MANIFEST, self.output.inside(MANIFEST))
            for rel in removed:
                self.output.inside(rel).unlink(missing_ok=True)
                _remove_empty_parents(self.out, rel)
        except BaseException:
            recover(self.out)
            raise
        (backup / _JOURNAL).unlink()  # the commit is whole: nothing may roll it back now
        self._removal = threading.Thread(target=_remove_quietly, args=(backup,))
        self._removal.start()

    def wait(self) -> None:
        """Wait until the files the commit replaced are gone. A thread removes them (a
        file at a time, thousands after a new briefing moved every list) while the
        build saves its records; the build waits before it lets the output's lock go.
        A removal cut short leaves a folder the next build removes (see :func:`recover`)."""
        if self._removal is not None:
            self._removal.join()
            self._removal = None

    def _taken(self, rel: str, ours: bool = False) -> bool:
        """True when ``rel`` would replace something briefgen did not write: anything
        at a new path, or, at a path of the last build, anything but a regular file."""
        path = self.output.inside(rel)
        if ours:
            return os.path.lexists(path) and not self.output.is_file(rel)
        return os.path.lexists(path)


def _write_durably(path: Path, data: bytes) -> None:
    """Write ``path`` and wait until its bytes are on the disk."""
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _sync_folder(folder: Path) -> None:
    """Wait until the names in ``folder`` are on the disk, where the system allows it."""
    if sys.platform == "win32":
        return  # a folder cannot be opened to be synced there
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _preserve(source: Path, target: Path) -> None:
    """Keep a copy of ``source`` at ``target``: a hard link where the file system allows."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)
