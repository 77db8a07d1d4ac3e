"""The patch record: what a build that succeeded leaves for a patch (see patch.py).

Apart from the patch itself, which imports the parsers and the renderer: a build
that finds it cannot patch, or only has the record know the files by new stamps
(see :meth:`LastBuild.replay_by_content`), need not import them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.cache.folder import cache_folder, output_record, read_record, write_replacing
from briefgen.contents import Contents
from briefgen.last_build import RACY, Inputs
from briefgen.names import path_problem
from briefgen.render.search_parts import BUNDLE, PARTS
from briefgen.untrusted import json_value

_VERSION = 3
# The most briefings a patch takes: it parses and renders them in one process, where a
# build in full shares that out over every core.
MOST_EDITS = 32
CONTENT = "content/"  # what the paths of the record's briefings begin with


@dataclass(frozen=True)
class PatchRecord:
    """What a build that succeeded leaves for a patch."""

    inputs: str  # the digest of the build's inputs (see last_build.py)
    rest: str  # of its inputs but the content files
    files: dict[str, str]  # the stamp of each content file, by its path under content/
    # path -> [metadata digest, digest, its page's file, the feeds that show its text]
    briefings: dict[str, list[Any]]
    feeds: dict[str, list[Any]]  # feed's file -> [listing's path, title, its briefings' paths]
    base: str  # the route keys' base (see render/keys.py)
    corrected: bool
    graded: bool
    shapes: dict[str, str]  # the digest of each part of the site pages read
    parts: list[list[Any]]  # each part of the search index: [folder, [its pages' files]]
    outline: str  # the name of the site's outline kept beside the record ('' for none)
    # By their bytes (see contents.py), where the build read them so: all but the content
    # files ('' if not), and each content file, by its path under content/.
    contents_rest: str
    contents: dict[str, str]

    def may_patch(self, inputs: Inputs) -> bool:
        """False when a build of ``inputs`` cannot be a patch of the build that left
        this record (see patch.py): they differ in anything but the briefings' files,
        or in more than :data:`MOST_EDITS` of them that had settled before that build."""
        if self.rest != inputs.rest or self.files.keys() != inputs.files.keys():
            return False
        changed = [rel for rel, stamp in inputs.files.items() if self.files[rel] != stamp]
        if not changed or any(CONTENT + rel not in self.briefings for rel in changed):
            return False
        return sum(self.files[rel] != RACY for rel in changed) <= MOST_EDITS

    def restamped(self, inputs: Inputs, contents: Contents) -> PatchRecord | None:
        """This record as if each content file that holds the bytes the build read had
        kept its stamp, and everything else it read had too: a CI run's checkout gives
        every file new ones, and the briefings its commit changed can then be
        patched in. None when the record knows no bytes, or anything but the content
        files changed by them, or no file would be restamped."""
        if not self.contents or self.contents_rest != contents.rest:
            return None
        if self.files.keys() != inputs.files.keys():
            return None
        files = {
            rel: inputs.files[rel] if contents.content.get(rel) == self.contents.get(rel) else stamp
            for rel, stamp in self.files.items()
        }
        if files == self.files and self.rest == inputs.rest:
            return None
        return replace(self, rest=inputs.rest, files=files)

    def text(self) -> str:
        """The record as :meth:`Patches.save` keeps it (6 MB at 10,000 briefings)."""
        return json.dumps({"version": _VERSION, **vars(self)})


class Patches:
    """The patch record of the builds into one output folder."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root = root
        self.out = out
        self.path = output_record(root, out, "patch")

    def load(self) -> PatchRecord | None:
        """The record, read back as untrusted: None unless every part of it is as
        :meth:`save` writes it."""
        if cache_folder(self.root) is None:
            return None
        try:
            data = json_value(self.path.read_text(encoding="utf-8"))
            if data.pop("version") != _VERSION:
                return None
            record = PatchRecord(**data)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return record if _well_formed(record) else None

    def outline(self, name: str) -> dict[str, Any] | None:
        """The site's outline named ``name`` (see outline.py), if it is kept; read back
        as untrusted, it is checked where it is used."""
        if not name or cache_folder(self.root) is None:
            return None
        data = read_record(self.outline_path)
        return data if data is not None and data.get("name") == name else None

    def save(self, text: str | None, outline: str | None = None) -> None:
        """Keep a record, given as its :meth:`PatchRecord.text`, or forget the last one
        (None); and the outline it names, given as its text, if it is new."""
        try:
            self.path.unlink(missing_ok=True)
            if text is not None and cache_folder(self.root) is not None:
                if outline is not None:
                    write_replacing(self.outline_path, outline)
                write_replacing(self.path, text)
        except OSError:
            pass  # only an optimisation: without it, the next build runs in full

    def restamp(self, was: str, inputs: Inputs, record: PatchRecord | None = None) -> None:
        """Have the record (``record``, if it was loaded) know the content files by their
        stamps in ``inputs``, which hold the bytes of those it knows (see
        :meth:`LastBuild.replay_by_content`), if it was made with the build whose inputs
        had the digest ``was``."""
        record = record or self.load()
        if record is not None and record.inputs == was and inputs.settled:
            now = inputs.recorded()
            self.save(replace(record, inputs=now.digest, rest=now.rest, files=now.files).text())

    @property
    def outline_path(self) -> Path:
        return output_record(self.root, self.out, "outline")


def _well_formed(record: PatchRecord) -> bool:
    texts = (record.inputs, record.rest, record.base, record.outline, record.contents_rest)
    return (
        all(type(text) is str for text in texts)
        and type(record.corrected) is bool
        and type(record.graded) is bool
        and _text_map(record.files)
        and _text_map(record.contents)
        and _text_map(record.shapes)
        and isinstance(record.feeds, dict)
        and all(
            type(rel) is str
            and isinstance(shown, list)
            and len(shown) == 3
            and type(shown[0]) is str
            and type(shown[1]) is str
            and _texts(shown[2])
            for rel, shown in record.feeds.items()
        )
        and isinstance(record.briefings, dict)
        and all(
            type(path) is str
            and type(entry) is list
            and len(entry) == 4
            and type(entry[0]) is str
            and type(entry[1]) is str
            and type(entry[2]) is str
            and type(entry[3]) is list
            for path, entry in record.briefings.items()
        )
        and all(
            type(rel) is str and rel in record.feeds
            for entry in record.briefings.values()
            for rel in entry[3]
        )
        and isinstance(record.parts, list)
        and all(
            isinstance(part, list) and len(part) == 2 and _part_folder(part[0]) and _texts(part[1])
            for part in record.parts
        )
    )


def _part_folder(value: Any) -> bool:
    """True for the folder of a part of the search index (see render/search_parts.py)."""
    if type(value) is not str:
        return False
    if value == BUNDLE:
        return True
    name = value.removeprefix(PARTS).removesuffix("/")
    return value == f"{PARTS}{name}/" and "/" not in name and not path_problem(value[:-1])


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(type(text) is str for text in value)


def _text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        type(k) is str and type(v) is str for k, v in value.items()
    )
