"""What a page read as it rendered, so that a rebuild re-renders only the pages that
showed what changed.

While a page renders, every briefing its templates read an attribute of (``b.title``,
``b.citations``, ``b | map(attribute='title')``) or hand to a function or macro
(``description(b)``, ``once(..., b)``) is noted: by what other pages may show of it
(its metadata) or, once anything of its body is read, by all of it. How many markers
cite each citation (a citation's ``uses``) is made from the body, so a page that reads
it of any citation reads whole every briefing whose citations it read.

The site reaches templates as a :class:`SiteView`, which notes each part of the site
a page reads: a field or property (``site.listed``, ``site.searchable``), or of a
field that maps keys to values, the value of one key (``site.by_region['belgorod']``,
``site.sources.get(key)``, ``key in site.regions``). Anything else done with such a
mapping (iterating it, counting it, listing its items) notes all of it. Python code
that templates hand the site to reads it through the same view.

The page's key holds the digests of what it read (see render/keys.py), and the next
build reckons the same digests again to tell whether the page would come out the
same. So adding a briefing re-renders the lists that hold it and the pages that read
those lists, not every page.
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from typing import Any

from briefgen.model import Briefing, Site
from briefgen.read.load import SHOWN

# What other pages may show of a briefing: each field its metadata digest covers and
# the properties made of them. Anything else read (the body, the claims found in it,
# a property added later) counts as reading all of it.
METADATA = frozenset(SHOWN) | {"retraction", "cited", "sources", "meta_digest"}
CITATIONS = frozenset({"citations", "cited"})  # the fields that hold a briefing's Citations

# The names of the site a page may read: its fields and properties; ``EVERYTHING``
# for any other attribute; a field that is a dict and one of its keys, joined by
# ``KEY``.
SITE_NAMES = frozenset(f.name for f in fields(Site)) | {
    name for name, value in vars(Site).items() if isinstance(value, property)
}
KEYED = frozenset(
    name for name, hint in typing.get_type_hints(Site).items() if typing.get_origin(hint) is dict
)
EVERYTHING = "*"
KEY = "\x1f"

Read = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # (shown, whole, site)
NOTHING: Read = ((), (), ())


@dataclass
class Reads:
    """What a page read: the paths of the briefings it read anything of the body of
    (``whole``), of those it read only the metadata of (``shown``), and the names of
    the parts of the site it read (``site``)."""

    shown: set[str] = field(default_factory=set)
    whole: set[str] = field(default_factory=set)
    site: set[str] = field(default_factory=set)
    cited: set[str] = field(default_factory=set)  # those whose citations were read
    counted: bool = False  # a citation's ``uses`` was read

    def note(self, briefing: Briefing, attribute: str | None = None) -> None:
        """``attribute`` of ``briefing`` was read; None: the briefing went to a call."""
        if attribute in METADATA:
            self.shown.add(briefing.path)
            if attribute in CITATIONS:
                self.cited.add(briefing.path)
        else:
            self.whole.add(briefing.path)

    def read_whole(self) -> set[str]:
        """The briefings read whole: those whose body was read and, once a citation's
        ``uses`` was, every one whose citations were."""
        return self.whole | self.cited if self.counted else self.whole

    def add(self, other: Reads) -> None:
        """Note what ``other``, the reads of an output made for this page, read: as
        :func:`again` notes it, so that a page notes the same whether it made the
        output or was given it made."""
        whole = other.read_whole()
        again(other.shown - whole, whole, other.site, other.counted, self)

    def sorted(self) -> Read:
        """(shown, whole, site), each sorted, a briefing read whole in the second only."""
        whole = self.read_whole()
        return (
            tuple(sorted(self.shown - whole)),
            tuple(sorted(whole)),
            tuple(sorted(self.site)),
        )


_CURRENT: ContextVar[Reads | None] = ContextVar("reads", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Note what is read in this thread until the block ends; what was noted is
    noted by the recording around it too, if any."""
    reads = Reads()
    token = _CURRENT.set(reads)
    try:
        yield reads
    finally:
        _CURRENT.reset(token)
        current = _CURRENT.get()
        if current is not None:
            current.add(reads)


def again(
    shown: Iterable[str],
    whole: Iterable[str],
    site: Iterable[str],
    counted: bool,
    current: Reads | None = None,
) -> None:
    """Note what an output kept from an earlier page read to be made (see the ``once``
    global), as :meth:`Reads.sorted` gives it, and whether it read a citation's
    ``uses`` (perhaps of a citation it was given), for the page rendering in this
    thread, or for ``current``."""
    if current is None:
        current = _CURRENT.get()
    if current is not None:
        current.shown.update(shown)
        current.whole.update(whole)
        current.site.update(site)
        current.counted |= counted


def read(briefing: Briefing, attribute: str | None = None) -> None:
    """Note that the page rendering in this thread read ``attribute`` of ``briefing``."""
    reads = _CURRENT.get()
    if reads is not None:
        reads.note(briefing, attribute)
    named = _FIELDS.get()
    if named is not None:
        named.add((briefing.path, attribute))


def count() -> None:
    """Note that the page rendering in this thread read a citation's ``uses``."""
    reads = _CURRENT.get()
    if reads is not None:
        reads.counted = True


# Where :func:`fields_read` notes each field read, by briefing: only while a patch
# renders pages with stand-ins for briefings (see outline.py).
_FIELDS: ContextVar[set[tuple[str, str | None]] | None] = ContextVar("fields", default=None)


@contextlib.contextmanager
def fields_read() -> Iterator[set[tuple[str, str | None]]]:
    """Note each field read of each briefing in this thread until the block ends, as
    (its path, the field), the field None when the briefing went to a call."""
    named: set[tuple[str, str | None]] = set()
    token = _FIELDS.set(named)
    try:
        yield named
    finally:
        _FIELDS.reset(token)


def _read_site(name: str) -> None:
    reads = _CURRENT.get()
    if reads is not None:
        reads.site.add(name)


class SiteView:
    """The site as templates see it: each attribute read is noted (see above)."""

    __slots__ = ("_keyed", "_site")

    def __init__(self, site: Site) -> None:
        self._site = site
        self._keyed: dict[str, _Keyed] = {}

    def __getattr__(self, name: str) -> Any:
        """Any other attribute (the site's own are properties, set below)."""
        if name.startswith("__"):
            raise AttributeError(name)  # what Python asks of any object: nothing of the site
        _read_site(EVERYTHING)
        return getattr(self._site, name)


def _noting(name: str) -> property:
    """A field or property of the site, noted as read whole."""

    def get(view: SiteView) -> Any:
        _read_site(name)
        return getattr(view._site, name)

    return property(get)


def _mapping(name: str) -> property:
    """A mapping of the site, noted by what is done with it (see :class:`_Keyed`)."""

    def get(view: SiteView) -> Any:
        keyed = view._keyed.get(name)
        if keyed is None:  # noted as it is used
            keyed = view._keyed[name] = _Keyed(name, getattr(view._site, name))
        return keyed

    return property(get)


for _name in SITE_NAMES:
    setattr(SiteView, _name, _mapping(_name) if _name in KEYED else _noting(_name))


class _Keyed(Mapping[Any, Any]):
    """A dict of the site as templates see it: looking a key up notes that key's value
    only; anything else notes all of it."""

    __slots__ = ("_items", "_name", "_names")

    def __init__(self, name: str, items: dict[Any, Any]) -> None:
        self._name = name
        self._items = items
        # One name per key, made once: pages send what they read back from the
        # workers, and a name sent once per slice of pages pickles smaller.
        self._names: dict[str, str] = {}

    def _key(self, key: Any) -> None:
        if not isinstance(key, str):
            _read_site(self._name)
            return
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"{self._name}{KEY}{key}"
        _read_site(name)

    def __getitem__(self, key: Any) -> Any:
        self._key(key)
        return self._items[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._key(key)
        return self._items.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._key(key)
        return key in self._items

    def __iter__(self) -> Iterator[Any]:
        _read_site(self._name)
        return iter(self._items)

    def __len__(self) -> int:
        _read_site(self._name)
        return len(self._items)

    def keys(self) -> Any:
        _read_site(self._name)
        return self._items.keys()

    def items(self) -> Any:
        _read_site(self._name)
        return self._items.items()

    def values(self) -> Any:
        _read_site(self._name)
        return self._items.values()
