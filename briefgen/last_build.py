"""The last successful build, so that a build which would change nothing is known
before a file is read.

A build's output depends on what it reads (every file of ``content/`` and of the
theme, briefgen's own code, the Pagefind binary), on its options, and on its
moment, through embargoes only. After a build succeeds, its record keeps a digest
of the first two (files by size, times and inode), the moments between which its
embargoes held, every file it left in the output (by size and time), and what it
reported. A later build whose inputs, moment and output all match writes the same
bytes and reports the same things, so it reports them and stops: at 10,000
briefings, a fraction of a second where loading and linking the site takes seconds.
The output is looked at by a forked process while the inputs are read (see
:class:`OutputLook`).

A file changed just before the build began (see :mod:`cache.settled`) could change
again and keep its size and time: a content file that did is kept in the records
with a stamp no file has, so the next build reads it again whatever its times say
(as Git treats a file changed in the second its index was written), and a build
whose other inputs (the theme's files) did leaves no record.
The record is read back as untrusted: anything malformed, or any output path that
is not one a build could write, makes it worthless, and the build runs in full.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import mmap
import os
import struct
import time
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.cache.folder import (
    cache_folder,
    output_record,
    settings_fingerprint,
    write_replacing,
)
from briefgen.cache.settled import changed_before
from briefgen.contents import UNREADABLE, Contents
from briefgen.diagnostics import Diagnostic, Location, Severity
from briefgen.names import path_problem
from briefgen.read.files import listing, misplaced_folders
from briefgen.untrusted import json_value
from briefgen.workers import fork
from briefgen.write import MANIFEST

RACY = ""  # the stamp of a content file that changed just before the build, in a record
_RECORD_VERSION = 2

Window = tuple[dt.datetime | None, dt.datetime | None]  # from (inclusive), until (exclusive)


@dataclass(frozen=True)
class Inputs:
    """What a build reads, as a digest; ``settled`` when nothing of it but the content
    files changed just before it was taken, and ``racy`` the content files that did.
    ``rest`` is the digest of all but the content files, and ``files`` the stamp of
    each of those, by its path under ``content/`` (see patch.py: a rebuild after one
    file changed). ``by_content`` is what the build reads by content, where that was
    taken (see :meth:`LastBuild.replay_by_content`)."""

    digest: str
    settled: bool
    rest: str
    files: dict[str, str]
    racy: frozenset[str] = frozenset()
    by_content: Contents | None = None

    def recorded(self) -> Inputs:
        """These inputs as a build's records keep them: each racy file with the stamp
        ``RACY``, which no file has, so that the next build finds it changed and reads
        it, and no later build's inputs have the digest."""
        if not self.racy:
            return self
        files = {rel: RACY if rel in self.racy else stamp for rel, stamp in self.files.items()}
        digest = _digest(self.rest, files)
        return Inputs(digest, self.settled, self.rest, files, by_content=self.by_content)

    def with_contents_checked(self) -> Inputs:
        """These inputs, with ``by_content`` only if it stands for what the build read:
        no file of it changed just before it was taken, or since. A file changed
        during the build and changed back would otherwise have the records vouch for
        an output made of the bytes between."""
        contents = self.by_content
        if contents is None or (contents.settled and contents.unchanged()):
            return self
        return replace(self, by_content=None)


def read_inputs(root: Path, folders: Iterable[Path], settings: Iterable[str]) -> Inputs:
    """The digest of ``root/content`` and the theme ``folders`` (every file, hidden ones
    too, by path, size, times and inode, what their walks found wrong, and the site's
    settings files that are folders) and of
    ``settings`` (the options and anything else besides files that decides the
    output)."""
    started = time.time_ns()
    rest = hashlib.sha256(settings_fingerprint().encode() + b"\0")
    for setting in settings:
        rest.update(setting.encode("utf-8", "surrogateescape") + b"\0")
    settled = True
    files: dict[str, str] = {}
    racy = set()
    content = root / "content"
    for problem in misplaced_folders(root):
        rest.update(f"{problem}\0".encode())
    for folder in (content, *folders):
        rest.update(f"{folder}\0".encode("utf-8", "surrogateescape"))
        found, problems = listing(folder)
        for problem in problems:
            rest.update(f"{problem}\0".encode("utf-8", "surrogateescape"))
        for path, rel in found:
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue  # gone since it was listed
            except OSError:
                stat = None  # in a folder that can be listed but not entered
            stamp = (
                f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns} {stat.st_ino}"
                if stat is not None
                else UNREADABLE
            )
            if folder is content:
                files[rel] = stamp
            else:
                rest.update(f"{rel}\0{stamp}\0".encode("utf-8", "surrogateescape"))
            if stat is not None and not changed_before(stat.st_mtime_ns, stat.st_ctime_ns, started):
                if folder is content:
                    racy.add(rel)
                else:
                    settled = False
    others = rest.hexdigest()
    return Inputs(_digest(others, files), settled, others, files, frozenset(racy))


def _digest(rest: str, files: Mapping[str, str]) -> str:
    """The digest of inputs: ``rest`` (of all but the content files) and the stamp of
    each content file."""
    digest = hashlib.sha256(rest.encode())
    for rel, stamp in files.items():
        digest.update(f"{rel}\0{stamp}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What the last build reported, to be reported again."""

    pages: int
    diagnostics: list[Diagnostic]
    embargoed: dict[str, dt.datetime]


@dataclass(frozen=True)
class Recorded:
    """The last build's record, checked against the output: the digest of its inputs,
    the moments between which it holds, the size and time of every file it left in
    the output, and what it reported."""

    inputs: str
    window: Window
    outputs: dict[str, list[int]]
    outcome: Outcome


class LastBuild:
    """The record of the last successful build into one output folder."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.path = output_record(root, out, "build")

    def replay(
        self, inputs: Inputs, now: dt.datetime, look: OutputLook | None = None
    ) -> Outcome | None:
        """What the last build reported, when a build of ``inputs`` at ``now`` would
        write exactly what the output holds; else None. ``look`` is the output looked
        at apart, if it was."""
        if cache_folder(self.root) is None:
            return None
        try:
            text, stamp = self._read()
            if not text.startswith(_head(inputs)):
                return None  # another build's record: not worth parsing (3 MB at 10,000)
            found = self._recorded(json_value(text), now, (), look, stamp)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return found.outcome if found is not None and found.inputs == inputs.digest else None

    def same_but_content(self, inputs: Inputs) -> bool:
        """True when the last build read what a build of ``inputs`` reads but the content
        files, by their stamps: only then can an edit of one be patched in (see
        patch.py), and the patch module need not even be imported otherwise."""
        head = _head(inputs, whole=False).encode()
        try:
            with open(self.path, "rb") as file:
                return file.read(len(head)) == head
        except OSError:
            return False

    def replay_by_content(
        self, inputs: Inputs, contents: Contents, now: dt.datetime, look: OutputLook | None = None
    ) -> Recorded | None:
        """The last build's record, when that build read ``contents`` (by their bytes;
        see contents.py), it holds at ``now`` and the output holds every file as it
        left them; else None. The record then knows the files by their stamps in
        ``inputs``, so that the next build finds them unchanged as :meth:`replay` does.
        ``look`` is the output looked at apart, if it was."""
        if cache_folder(self.root) is None:
            return None
        try:
            text, stamp = self._read()
            record = json_value(text)
            if record.get("contents") != contents.digest:
                return None
            found = self._recorded(record, now, (), look, stamp)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if found is None:
            return None
        if inputs.settled:
            restamped = {**record, "rest": inputs.rest, "inputs": inputs.recorded().digest}
            with contextlib.suppress(OSError):  # only an optimisation: if lost, this runs again
                write_replacing(self.path, json.dumps(restamped))
        return found

    def recorded(
        self, now: dt.datetime, checked: Container[str] = (), look: OutputLook | None = None
    ) -> Recorded | None:
        """The last build's record, if it holds at ``now`` and the output still has
        every file as it left them; else None. The output paths in ``checked`` are
        known to be well formed (the manifest's, as the writer read it): at 10,000
        briefings, checking the 37,838 paths again costs a tenth of a second.
        ``look`` is the output looked at apart, if it was."""
        if cache_folder(self.root) is None:
            return None
        try:
            text, stamp = self._read()
            return self._recorded(json_value(text), now, checked, look, stamp)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def looked(self, look: OutputLook | None) -> dict[str, list[int]]:
        """The size and time of every file the record lists, if ``look`` saw the output
        hold each of them as the record has it; else nothing. A full build after an
        edit goes by them instead of looking at each file of the output again (0.4-0.6
        s at 10,000 briefings)."""
        if look is None:
            return {}
        try:
            text, stamp = self._read()
            outputs = json_value(text)["outputs"]
            if not _listed(outputs) or not look.held(self.out, outputs, stamp):
                return {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return {}
        return dict(outputs)

    def look(self, meeting: Meeting) -> bytes:
        """The stamp of the record (see :func:`_stamp`) and how many of the files it
        lists, from the first, the output holds as the build left them, looking until
        ``meeting`` says the build has looked at the rest; nothing when one of them
        is not as it left it. Made by :class:`OutputLook`."""
        try:
            text, stamp = self._read()
            outputs = json_value(text)["outputs"]
            if not _listed(outputs):
                return b""
            files = list(outputs.items())
            checked = meeting.from_front(len(files), lambda a, b: _hold(self.out, files[a:b]))
            return b"%s %d" % (stamp, checked) if checked is not None else b""
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return b""

    def _read(self) -> tuple[str, bytes]:
        """The record's text, and its stamp."""
        with open(self.path, "rb") as file:
            stamp = _stamp(os.fstat(file.fileno()))
            return file.read().decode("utf-8"), stamp

    def _recorded(
        self,
        record: Any,
        now: dt.datetime,
        checked: Container[str] = (),
        look: OutputLook | None = None,
        stamp: bytes = b"",
    ) -> Recorded | None:
        """``record``, read back from the file with ``stamp``, checked: its moments
        against ``now`` and its outputs against the output, unless ``look`` did that."""
        if record["version"] != _RECORD_VERSION or type(record["inputs"]) is not str:
            return None
        found = read_outcome(record, now)
        if found is None:
            return None
        outputs = record["outputs"]
        if not _listed(outputs):
            return None
        held = look is not None and look.held(self.out, outputs, stamp, checked)
        if not held and not _hold(self.out, outputs.items(), checked):
            return None
        return Recorded(record["inputs"], found[0], outputs, found[1])

    def save(
        self,
        inputs: Inputs,
        between: Window,
        files: Iterable[str],
        outcome: Outcome,
        stamps: Mapping[str, list[int]],
        known: KnownOutputs | None = None,
    ) -> None:
        """Record a successful build of ``inputs`` (as records keep them, see
        :meth:`Inputs.recorded`, with what it read by content if they hold that: see
        :meth:`Inputs.with_contents_checked`) that wrote ``files`` and those ``known``
        lists (the manifest is added) and holds between the moments ``between``;
        forget the last record when its inputs were not settled. ``stamps`` holds the
        size and time of the files the build has already looked at; the others are
        looked at here."""
        with contextlib.suppress(OSError):  # only an optimisation: if lost, the build runs
            self.path.unlink(missing_ok=True)
            if not inputs.settled or cache_folder(self.root) is None:
                return
            outputs = {}
            for rel in sorted({*files, MANIFEST} - (known.files if known else frozenset())):
                stamp = stamps.get(rel)
                if stamp is None:
                    stat = os.stat(self.out / rel)
                    stamp = [stat.st_size, stat.st_mtime_ns]
                outputs[rel] = stamp
            listed = json.dumps(outputs)
            if known is not None and known.files:
                listed = f"{known.text[:-1]}, {listed[1:]}" if outputs else known.text
            record = {
                "version": _RECORD_VERSION,
                "rest": inputs.rest,
                "inputs": inputs.recorded().digest,
                "contents": inputs.by_content.digest if inputs.by_content else None,
                **written_outcome(between, outcome),
            }
            write_replacing(self.path, [json.dumps(record)[:-1], ', "outputs": ', listed, "}"])


@dataclass(frozen=True)
class KnownOutputs:
    """Output files whose size and time a build knows before its last files are
    written, with the record's text for them, made while it waits for Pagefind. A
    patch at 10,000 briefings keeps all but a few hundred of its 38,000 files as they
    were, and encoding their stamps once its part of the index was made took 25 ms
    of the time it waited for nothing else."""

    files: frozenset[str]
    text: str  # a JSON object: output file -> [size, time]

    @classmethod
    def of(cls, stamps: Mapping[str, list[int]]) -> KnownOutputs:
        """``stamps`` in their own order: they come from the last record in its order,
        and sorting them again took a third of the time."""
        return cls(frozenset(stamps), json.dumps(stamps))


class OutputLook:
    """The output looked at against the last build's record (every file it lists, by
    size and time) in a forked process, begun before the build reads its inputs.

    The look takes most of a build that changes nothing, and a third of one that
    patches in an edit: at 10,000 briefings, 0.3-0.4 s, mostly ``stat``. Made apart,
    it uses the core the inputs, the parsing and the rendering of the edit leave
    idle, where it shared the cores with Pagefind. The forked process looks from the
    record's first file on; once the build wants the verdict, it looks from the last
    file back until the two meet (see :class:`Meeting`): a build that changes nothing
    has nothing else to do by then. The record read back is trusted to have been
    looked at only if it is the same file, unchanged: the one whose stamp the look
    returned. Where a process cannot be forked, or its look failed, the build looks
    itself.
    """

    def __init__(self, last: LastBuild) -> None:
        held = cache_folder(last.root) is not None and last.path.is_file()
        self._meeting = Meeting()
        self._forked = fork(functools.partial(last.look, self._meeting)) if held else None

    def verdict(self) -> bytes | None:
        """The forked look's result (see :meth:`LastBuild.look`), waited for; None
        without one."""
        return self._forked.result() if self._forked is not None else None

    def held(
        self, out: Path, outputs: dict[str, Any], stamp: bytes, checked: Container[str] = ()
    ) -> bool:
        """True when the output ``out`` holds every file of ``outputs``, read from the
        record file with ``stamp``, as looked at: from the last file back here, until
        the forked look is met, and by the forked look before that, in that very file.
        Paths in ``checked`` are known to be well formed (see :func:`_hold`)."""
        if self._forked is None:
            return False
        files = list(outputs.items())
        met = self._meeting.from_back(len(files), lambda a, b: _hold(out, files[a:b], checked))
        seen, _, count = (self.verdict() or b"").rpartition(b" ")
        return met is not None and seen == stamp and count.isdigit() and int(count) >= met

    def stop(self) -> None:
        """Stop looking: the build does not need it."""
        if self._forked is not None:
            self._forked.stop()


class Meeting:
    """Two processes looking at the same list of files, one from its first file on and
    the other from its last back, each stopping where the other has reached: a few
    bytes of memory both share (made before the fork), where each writes how far it
    has looked, a run of files at a time. A look that finds a file changed says it
    reached the other end, so that the other stops too."""

    _RUN = 64  # files looked at between two looks at how far the other has reached
    _UNBEGUN = 0xFFFFFFFF

    def __init__(self) -> None:
        self._shared = mmap.mmap(-1, 8)  # how far each has reached: from the first, from the last
        struct.pack_into("II", self._shared, 0, 0, self._UNBEGUN)

    def from_front(self, count: int, hold: Callable[[int, int], bool]) -> int | None:
        """Look at the files from the first on, ``hold(start, end)`` a run of them at a
        time, until the other process has looked at the rest: how many were looked at
        (all of them as they should be); None when one was not."""
        at = 0
        while at < count:
            back = struct.unpack_from("I", self._shared, 4)[0]
            if back != self._UNBEGUN and back <= at:
                break
            end = min(count, at + self._RUN)
            if not hold(at, end):
                struct.pack_into("I", self._shared, 0, count)
                return None
            at = end
            struct.pack_into("I", self._shared, 0, at)
        return at

    def from_back(self, count: int, hold: Callable[[int, int], bool]) -> int | None:
        """Look at the files from the last back, a run at a time, until the other
        process has looked at those before: where this look ended (all the files from
        there on as they should be); None when one was not."""
        at = count
        while at > 0 and struct.unpack_from("I", self._shared, 0)[0] < at:
            start = max(0, at - self._RUN)
            if not hold(start, at):
                struct.pack_into("I", self._shared, 4, 0)
                return None
            at = start
            struct.pack_into("I", self._shared, 4, at)
        return at


def _stamp(stat: os.stat_result) -> bytes:
    """What tells one record file apart from any other: a record is always written as a
    new file (see :func:`cache.folder.write_replacing`), and its change time cannot
    be set."""
    return (
        f"{stat.st_dev} {stat.st_ino} {stat.st_size} {stat.st_mtime_ns} {stat.st_ctime_ns}".encode()
    )


def _listed(outputs: Any) -> bool:
    """True when ``outputs``, read back from a record, is a list of the output's files
    by path (to be looked at) that names the manifest."""
    return isinstance(outputs, dict) and MANIFEST in outputs


def _hold(out: Path, files: Iterable[tuple[Any, Any]], checked: Container[str] = ()) -> bool:
    """True when ``files``, read back from a record as (path, [size, time]), are well
    formed (those in ``checked`` are known to be) and the output ``out`` holds each
    of them with its size and time."""
    for rel, stamp in files:
        if rel not in checked and (
            not isinstance(rel, str) or rel.startswith("/") or path_problem(rel)
        ):
            return False
        try:
            stat = os.stat(f"{out}/{rel}")
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != stamp:
            return False
    return True


def _head(inputs: Inputs, whole: bool = True) -> str:
    """How the record of a build of ``inputs`` begins, as :meth:`LastBuild.save` writes
    it: the digest of all but its content files, then (if ``whole``) of them all."""
    head = {"version": _RECORD_VERSION, "rest": inputs.rest, "inputs": inputs.digest}
    text = json.dumps(head)[:-1]
    return text if whole else text[: -len(json.dumps(inputs.digest))]


def window(releases: Iterable[dt.datetime], now: dt.datetime) -> Window:
    """The moments around ``now`` between which no briefing's embargo ends: the latest
    release at or before it, and the first after it."""
    before = [when for when in releases if when <= now]
    after = [when for when in releases if when > now]
    return (max(before) if before else None, min(after) if after else None)


def written_outcome(between: Window, outcome: Outcome) -> dict[str, Any]:
    """What a build (or a check) reported, and the moments between which that holds,
    as its record keeps them (see :func:`read_outcome`)."""
    return {
        "from": _text(between[0]),
        "until": _text(between[1]),
        "pages": outcome.pages,
        "diagnostics": [_said(d) for d in outcome.diagnostics],
        "embargoed": {path: _text(when) for path, when in outcome.embargoed.items()},
    }


def read_outcome(record: Any, now: dt.datetime) -> tuple[Window, Outcome] | None:
    """The moments and the report ``record``, read back from the cache, keeps (see
    :func:`written_outcome`); None when they do not hold at ``now``. Raises
    ValueError, TypeError, KeyError or AttributeError for a record not so written."""
    start, end = _moment(record["from"]), _moment(record["until"])
    if (start is not None and now < start) or (end is not None and now >= end):
        return None
    pages = record["pages"]
    if type(pages) is not int:
        raise TypeError("a report's pages are not a number")
    diagnostics = [_diagnostic(item) for item in record["diagnostics"]]
    embargoed = {}
    for path, text in record["embargoed"].items():
        when = _moment(text)
        if type(path) is not str or when is None:
            raise TypeError("an embargo is not a file and a moment")
        embargoed[path] = when
    return (start, end), Outcome(pages, diagnostics, embargoed)


def _text(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: Any) -> dt.datetime | None:
    """An aware moment from its ISO text; raises ValueError for anything else."""
    if text is None:
        return None
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a moment without its offset")
    return moment


def _said(d: Diagnostic) -> list[Any]:
    return [d.severity.value, d.location.path, d.location.line, d.location.col, d.message, d.hint]


def _diagnostic(item: Any) -> Diagnostic:
    severity, path, line, col, message, hint = item
    if not all(isinstance(v, str) for v in (path, message, hint)):
        raise TypeError("a diagnostic's text is not text")
    if not all(isinstance(v, int) for v in (line, col)):
        raise TypeError("a diagnostic's line is not a number")
    return Diagnostic(Severity(severity), Location(path, line, col), message, hint)
