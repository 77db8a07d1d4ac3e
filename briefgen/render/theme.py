"""The Jinja2 environment: a site's templates over the bundled theme.

Lookup goes file by file: a site's ``templates/x.html`` replaces the bundled
``x.html``, and ``{% extends "default/x.html" %}`` reaches the bundled one, so an
override can extend the template it replaces.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext
import re
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

import jinja2
import markupsafe
from babel.messages.catalog import Catalog

from briefgen import urls, words
from briefgen.markup.absolute import absolute_links
from briefgen.markup.extension import label_markers
from briefgen.markup.ids import card_id, citation_id, correction_id, grade_id, marker_id
from briefgen.markup.wording import reword_body
from briefgen.model import Briefing, Citation, Moment, SiteConfig, as_datetime, machine_time
from briefgen.names import slugify
from briefgen.read.files import is_editor_temp
from briefgen.render import reads
from briefgen.render.facets import filter_value, search_filters
from briefgen.render.metadata import description, json_ld, news_article, og_locale
from briefgen.render.search_parts import merged_parts
from briefgen.theme_folders import theme_dirs


class _Context(jinja2.runtime.Context):
    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a plain function or a macro at once.

        Every call in a template goes through here (``url(paths.briefing(b.slug))``
        is two), and Jinja's own version first looks for ``pass_context`` and the
        like on the callee. A macro given its arguments by position alone is called
        at once (:func:`_called`), any other call of one given the evaluation context
        as Jinja's would give it, and a plain callable only its arguments; anything
        else (callables marked ``pass_context`` and the like, other callable objects)
        goes to Jinja's version. A briefing given to a call is noted as read whole (see
        render/reads.py).
        """
        kind = obj.__class__
        if kind is not Once:  # which notes what its macro reads
            for arg in args:
                if arg.__class__ is Briefing:
                    reads.read(arg)
        macro = kind is jinja2.runtime.Macro
        if not macro and (
            kind not in _PLAIN_CALLABLES
            or hasattr(obj.__func__ if kind is types.MethodType else obj, "jinja_pass_arg")
        ):  # a method's marks are its function's; asking the method raises inside, slowly
            return super().call(obj, *args, **kwargs)
        if kwargs:  # Jinja adds these for pass_context callees; neither kind is one
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
        try:
            if not macro:
                return obj(*args, **kwargs)
            if not kwargs and _plain_macro(obj, len(args)):
                return _called(obj, args, self.eval_ctx.autoescape)
            return obj(self.eval_ctx, *args, **kwargs)  # as Jinja gives it, for its escaping
        except StopIteration:  # as Jinja does
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


# What Jinja's ``Macro`` keeps of a macro, read by the quick call below; where a version
# of Jinja keeps it otherwise, every macro is called as Jinja calls it.
_MACRO_PARTS = (
    "_func",
    "_argument_count",
    "caller",
    "catch_kwargs",
    "catch_varargs",
    "_default_autoescape",
)
_QUICK_MACROS = all(
    name in vars(jinja2.runtime.Macro(jinja2.Environment(), str, "m", [], False, False, False))
    for name in _MACRO_PARTS
)


def _plain_macro(macro: jinja2.runtime.Macro, given: int) -> bool:
    """Whether ``macro`` given ``given`` positional arguments and no others is a plain
    call: no ``caller``, no ``varargs`` or ``kwargs``, and no more arguments than it
    takes."""
    return (
        _QUICK_MACROS
        and given <= macro._argument_count
        and not (macro.caller or macro.catch_kwargs or macro.catch_varargs)
    )


def _called(macro: jinja2.runtime.Macro, args: tuple[Any, ...], autoescape: bool) -> Any:
    """A plain call of ``macro`` (see :func:`_plain_macro`), as ``Macro.__call__`` makes
    it: the arguments not given are Jinja's ``missing``, for which the macro takes its
    defaults, and the output is ``Markup`` where the template escapes. ``__call__``
    works out the same for any call, at about a tenth of a briefing page's render; a
    test compares every page with what it makes."""
    left = macro._argument_count - len(args)
    output = macro._func(*args, *(jinja2.utils.missing,) * left) if left else macro._func(*args)
    return _marked(output) if autoescape else output


def _call(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``, by the quick way for a plain call of a macro: for the
    callers outside templates (``once``, the ``label_markers`` filter), which give no
    evaluation context, so a macro escapes as its template does."""
    if function.__class__ is jinja2.runtime.Macro and _plain_macro(function, len(args)):
        return _called(function, args, function._default_autoescape)
    return function(*args)


# MarkupSafe 3's escaping of a text alone, which ``markupsafe.escape`` then makes a
# ``Markup`` of (in a Python-level ``__new__``); private, so looked for: without it,
# ``markupsafe.escape`` itself.
_ESCAPE_TEXT: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)


def _written(value: Any, /) -> Any:
    """``escape(value)`` for a value a template writes out, as a plain text when it is
    one, and a ``Markup`` as it is. What a template writes is only ever joined into the
    page (or into the output of a macro, a block or a ``{% set %}``, which Jinja marks
    safe itself), so the ``Markup`` made of each text, and made again of each
    ``Markup``, was made for nothing: about a tenth of the time a page takes to
    render. A test compares every page with what Jinja's own writes."""
    kind = value.__class__
    if kind is str and _ESCAPE_TEXT is not None:
        return _ESCAPE_TEXT(value)
    if kind is markupsafe.Markup:
        return value
    return markupsafe.escape(value)


def _marked(text: Any, /) -> markupsafe.Markup:
    """``Markup(text)``, made at once of a plain text (``Markup``'s own ``__new__`` is
    Python's, and first looks for ``__html__``, which a ``str`` never has)."""
    if text.__class__ is str:
        return str.__new__(markupsafe.Markup, text)
    return markupsafe.Markup(text)


class _Template(jinja2.Template):
    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: types.CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        """The template, whose compiled code escapes what it writes out with
        :func:`_written`: Jinja's code calls ``escape`` for each value it writes, and
        for nothing else (the ``e`` filter is a filter)."""
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _written
        return template

    @functools.cached_property
    def bundled(self) -> bool:
        """Whether this is a file of the bundled theme."""
        folder = getattr(self.environment, "bundled", None)
        return folder is not None and Path(self.filename or "").is_relative_to(folder)

    def _get_default_module(self, ctx: jinja2.runtime.Context | None = None) -> Any:
        """The module of this template imported without the page's context: made once, as
        Jinja makes it, for a file of the bundled theme, whose macros take what they show
        as arguments and link through the ``url`` global; made with the page's context
        at every import, as ``with context`` makes it, for a site's own file, so that its
        macros may use the page's variables (``page_path``) however they are imported."""
        if ctx is not None and not self.bundled:
            return self.make_module(ctx.get_all(), True)
        return super()._get_default_module(ctx)


class _ThemeLoader(jinja2.FileSystemLoader):
    """The templates of theme folders, as a build lists them (see read/files.py): an
    editor's backup or swap file is none, since no build would see it change."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if any(is_editor_temp(name) for name in template.split("/")):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


class _Environment(jinja2.Environment):
    context_class = _Context
    template_class = _Template
    bundled: Path | None = None  # the bundled theme's folder

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template, else ``obj[attribute]``, as Jinja's; a
        briefing's, and a citation's ``uses``, are noted (see render/reads.py). Every
        attribute a page shows comes through here, so it does not call Jinja's own."""
        kind = obj.__class__
        if kind is Briefing:
            reads.read(obj, attribute)
        elif attribute == "uses" and kind is Citation:
            reads.count()
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]`` in a template, and the attributes filters look up."""
        kind = obj.__class__
        if kind is Briefing:
            reads.read(obj, argument if isinstance(argument, str) else None)
        elif kind is Citation and argument == "uses":
            reads.count()
        return super().getitem(obj, argument)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict, not a ChainMap over the environment's:
        they are copied into every context a page makes, and the globals never change
        once templates load."""
        return {**self.globals, **(d or {})}


def make_environment(
    root: Path,
    config: SiteConfig,
    catalog: Catalog | None,
    compiled: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """The environment of a site's theme, in its language: ``catalog`` holds the
    translations of the theme's words (None: its English messages); ``compiled``
    keeps its templates compiled from build to build (see render/compiled.py)."""
    dirs = theme_dirs(root)
    env = _Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"default": _ThemeLoader(dirs[-1])}),
                _ThemeLoader([str(d) for d in dirs]),
            ]
        ),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "xml"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every build (and every rebuild of the preview) makes a new environment, so a
        # loaded template is never stale; checking its file would cost a stat at every
        # use, includes and imports included.
        auto_reload=False,
        # Kept in a plain dict, not Jinja's LRU (a lock and a queue moved at each of the
        # seven or so lookups a page makes): a theme holds a few dozen templates.
        cache_size=-1,
        bytecode_cache=compiled,
        extensions=["jinja2.ext.i18n"],
    )
    env.bundled = dirs[-1]
    # Whitespace inside {% trans %} is collapsed, so a message reads the same however the
    # template wraps it, and the catalogs hold it on one line.
    env.policies["ext.i18n.trimmed"] = True
    # {% trans %} compiles to calls that fill in the values themselves (Jinja's
    # "newstyle" gettext), made by the functions below.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(_plain_gettext(words.translations(catalog, config.strings, config.language)))
    formats = words.formats(config.language)
    env.globals.update(
        once=Once(config.file_urls),
        url=_url,
        absolute_url=config.absolute,
        paths=urls,
        citation_id=citation_id,
        marker_id=marker_id,
        card_id=card_id,
        correction_id=correction_id,
        grade_id=grade_id,
        description=description,
        news_article=news_article,
        search_filters=search_filters,
        search_parts=merged_parts,
    )
    env.filters.update(
        date=formats.date,
        month=formats.month,
        time=formats.time,
        number=formats.number,
        language_name=formats.language,
        filter_value=filter_value,
        direction=words.direction,
        isodate=iso_date,
        atomdate=functools.partial(atom_date, zone=config.zone),
        slug=slugify,
        json_ld=json_ld,
        og_locale=og_locale,
        label_markers=named_markers,
        body_words=reword_body,
        absolute_links=absolute_links,
    )
    return env


def _plain_gettext(translations: gettext.NullTranslations) -> dict[str, Callable[..., Any]]:
    """``gettext``, ``_``, ``ngettext``, ``pgettext`` and ``npgettext`` for the i18n
    extension as plain functions, giving what its own newstyle ones give in an
    autoescaping template
    (every template of a theme is one): the message as Markup, filled with ``%``.

    Its own go through the template's context on every call, and a page makes a hundred
    of them; each message is translated once, and one without values filled once, and kept.
    """
    filled: dict[str, markupsafe.Markup] = {}
    messages: dict[str, Message] = {}  # by their translated text
    by_id: dict[str, Message] = {}  # gettext's, by their own

    def message(text: str) -> Message:
        found = messages.get(text)
        if found is None:
            found = messages[text] = Message(text)
        return found

    def gettext_(message_id: str, **values: Any) -> markupsafe.Markup:
        if values:
            found = by_id.get(message_id)
            if found is None:
                found = by_id[message_id] = message(translations.gettext(message_id))
            return found.fill(values)
        text = filled.get(message_id)
        if text is None:
            text = filled[message_id] = markupsafe.Markup(translations.gettext(message_id)) % {}
        return text

    def ngettext(singular: str, plural: str, n: int, **values: Any) -> markupsafe.Markup:
        values.setdefault("num", n)
        return message(translations.ngettext(singular, plural, n)).fill(values)

    def pgettext(context: str, message_id: str, **values: Any) -> markupsafe.Markup:
        values.setdefault("context", context)
        return message(translations.pgettext(context, message_id)).fill(values)

    def npgettext(
        context: str, singular: str, plural: str, n: int, **values: Any
    ) -> markupsafe.Markup:
        values.setdefault("context", context)
        values.setdefault("num", n)
        return message(translations.npgettext(context, singular, plural, n)).fill(values)

    return {
        "gettext": gettext_,
        "_": gettext_,
        "ngettext": ngettext,
        "pgettext": pgettext,
        "npgettext": npgettext,
    }


# What a message may hold besides text for it to be filled without Markup's helper.
_PLAIN_FIELD = re.compile(r"%\((\w+)\)s|%%")


class Message:
    """A translated message, filled with values as ``Markup(text) % values`` fills it.

    Markup wraps each value in a helper object that escapes it when it is formatted,
    which costs several microseconds a message. Most messages hold nothing but
    ``%(name)s`` fields (and ``%%``): each value is then escaped here as a template
    writes it out (a number needs none), and put in with ``str``'s own ``%``. Any
    other kind of field goes to Markup.
    """

    __slots__ = ("_names", "_text")

    def __init__(self, text: str) -> None:
        self._text = markupsafe.Markup(text)
        rest = _PLAIN_FIELD.sub("", text)
        self._names: tuple[str, ...] | None = (
            None if "%" in rest else tuple(n for n in _PLAIN_FIELD.findall(text) if n)
        )

    def fill(self, values: dict[str, Any]) -> markupsafe.Markup:
        names = self._names
        if names is None:
            return self._text % values
        escaped = {}
        for name in names:
            value = values[name]
            escaped[name] = value if value.__class__ is int else _written(value)
        return _marked(str.__mod__(self._text, escaped))


class Once:
    """The ``once`` global: ``once(name, macro, *args)`` is ``macro(*args)``, made once for
    the same arguments and kept. Plain strings, numbers and None are the same when they
    are equal and of the same kind (1 is not True, nor a string Markup); any other object
    only when it is the same object.

    For output that depends on its arguments alone and is shown on many pages: a
    briefing's item in every listing that holds it, its feed entry in every feed that
    carries it, a grade's badge, the site's navigation and footer. The links ``url``
    makes in it are kept apart from the page (see :func:`urls.unplaced`) and given each
    page's climb as it is shown, so one output serves pages at every depth; an output
    that does anything with a link but write it out (cut it, count it, encode it) is
    made anew for every page instead. What making it read is noted again for every page
    that shows it (see render/reads.py).

    Once the outputs kept under one name take more than ``budget`` bytes, its oldest
    are let go: at 10,000 briefings the listings keep every briefing's item (1.7 KB
    each, with what keeping it costs), the feeds the entries (10–20 KB each) of the
    thousand or so briefings most recently shown. At 50,000 the items no longer all
    fit, and most are made again: a build's memory there is close to its target.
    """

    def __init__(self, file_urls: bool = False, budget: int = 20 << 20) -> None:
        self._made: dict[str, _Kept] = {}
        self._file_urls = file_urls
        self._budget = budget
        self._lock = threading.Lock()

    def __call__(self, name: str, macro: Callable[..., Any], *args: Any) -> Any:
        up = _CLIMB.get()
        if up is _ESCAPED:
            return _call(macro, *args)
        key = tuple(map(_same, args))
        kept = self._made.get(name)
        if kept is None:
            kept = self._made[name] = _Kept()
        made = kept.outputs.get(key)
        if made is None:
            made = self._make(macro, args)
            with self._lock:
                kept.add(key, made, self._budget)
        else:
            with self._lock:  # the preview renders pages on several threads
                if key in kept.outputs:
                    kept.outputs.move_to_end(key)
            reads.again(*made.read, made.counted)
        if made.output is None:
            return _call(macro, *args)
        if not made.links:
            return made.output
        if up is None:  # within an output being made
            maker = _PAGE_URL.get()
            assert isinstance(maker, _Unplaced)
            maker.links += made.links
            return made.output
        return urls.placed(made.output, up)

    def _make(self, macro: Callable[..., Any], args: tuple[Any, ...]) -> _Made:
        maker = _Unplaced(self._file_urls)
        with reads.recording() as read, _linking(maker, None):
            output = _call(macro, *args)
        if isinstance(output, str):
            links = output.count(urls.CLIMB) + output.count(urls.CLIMB_HOME)
            placeable = links == maker.links
        else:
            links, placeable = 0, not maker.links
        # The arguments are kept with the output, so no other object can take their ids.
        return _Made(args, output if placeable else None, links, read.sorted(), read.counted)

    def kept(self, name: str) -> int:
        """How many outputs made under ``name`` are kept."""
        kept = self._made.get(name)
        return 0 if kept is None else len(kept.outputs)


class _Made(NamedTuple):
    """An output :class:`Once` keeps: None where it could not be kept apart from the
    page; ``links`` the links made in it."""

    args: tuple[Any, ...]
    output: Any
    links: int
    read: reads.Read
    counted: bool  # making it read a citation's ``uses`` (see render/reads.py)

    @property
    def size(self) -> int:
        """The bytes it takes: its text's (a character takes two or four where one in the
        text lies beyond U+00FF), and about what its key, arguments and reads take."""
        return _KEEPING + (sys.getsizeof(self.output) if isinstance(self.output, str) else 0)


_KEEPING = 900  # the bytes of an output's key, arguments, reads and place in the order (measured)


class _Kept:
    """The outputs :class:`Once` keeps under one name, oldest first."""

    __slots__ = ("outputs", "size")

    def __init__(self) -> None:
        self.outputs: OrderedDict[tuple[object, ...], _Made] = OrderedDict()
        self.size = 0

    def add(self, key: tuple[object, ...], made: _Made, budget: int) -> None:
        before = self.outputs.get(key)  # made by another thread meanwhile
        self.outputs[key] = made
        self.size += made.size - (before.size if before is not None else 0)
        while self.size > budget:
            self.size -= self.outputs.popitem(last=False)[1].size


class _Unplaced:
    """The ``url`` global while :class:`Once` makes an output: each link made for any
    page (see :func:`urls.unplaced`), and counted, so that an output which did more with
    one than write it out is found."""

    __slots__ = ("file_urls", "links")

    def __init__(self, file_urls: bool) -> None:
        self.file_urls = file_urls
        self.links = 0

    def __call__(self, to_path: str) -> str:
        self.links += 1
        return urls.unplaced(to_path, self.file_urls)


# What the context's ``call`` calls itself, unless marked to take the context: functions,
# methods, classes (``range``) and ``once``.
_PLAIN_CALLABLES = frozenset(
    {types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, Once}
)

_VALUES = frozenset({str, int, bool, type(None)})


def _same(arg: Any) -> object:
    """What stands for ``arg`` in a key of :class:`Once`: its kind and value for a plain
    string, number or None, else its identity."""
    kind = arg.__class__
    return (kind, arg) if kind in _VALUES else id(arg)


def page_url(
    page_path: str, config: SiteConfig, root_relative: bool = False
) -> Callable[[str], str]:
    """``url()`` bound to the page at ``page_path``: what the ``url`` global links with
    while that page renders (see :func:`linking_from`). With ``file_urls`` in the
    settings, links name files ('../../briefings/x/index.html').
    """
    base_path = config.base_path if root_relative else None
    return urls.linker(page_path, base_path, config.file_urls)


_PAGE_URL: contextvars.ContextVar[Callable[[str], str]] = contextvars.ContextVar("page_url")
# What comes before a site path in a link from the page being rendered (see urls.climb),
# from the site root outside any page; None while ``once`` makes an output for any page;
# _ESCAPED where a template would escape it (the site's path, which the 404 page climbs
# to, holding such a character), so that ``once`` makes every output anew for the page:
# looked at once a page, not at every call.
_ESCAPED: Final[Literal[False]] = False
_CLIMB: contextvars.ContextVar[str | Literal[False] | None] = contextvars.ContextVar(
    "climb", default=""
)


@contextlib.contextmanager
def linking_from(page_path: str, config: SiteConfig, root_relative: bool = False) -> Iterator[None]:
    """While in this context, the ``url`` global links from the page at ``page_path``
    as :func:`page_url` does."""
    base_path = config.base_path if root_relative else None
    climb = urls.climb(page_path, base_path, config.file_urls)
    placeable = climb if urls.is_plain(climb) else _ESCAPED
    with _linking(page_url(page_path, config, root_relative), placeable):
        yield


@contextlib.contextmanager
def _linking(url: Callable[[str], str], climb: str | Literal[False] | None) -> Iterator[None]:
    tokens = _PAGE_URL.set(url), _CLIMB.set(climb)
    try:
        yield
    finally:
        _PAGE_URL.reset(tokens[0])
        _CLIMB.reset(tokens[1])


def _url(path: str) -> str:
    """A link from the page being rendered to the site path ``path``: the ``url`` global,
    which every template reaches, so that ``once`` can make the links of an output it
    keeps for pages at every depth."""
    return _PAGE_URL.get()(path)


def named_markers(html: str, cited: Iterable[Citation], label: Callable[[Citation], Any]) -> str:
    """The ``label_markers`` filter: the citation markers of the rendered body ``html``
    named by the macro ``label`` ("Source 2: Reuters"), for screen readers."""
    labels = {}
    for c in cited:
        text = _call(label, c)
        plain = text.unescape() if isinstance(text, markupsafe.Markup) else str(text)
        labels[c.number] = " ".join(plain.split())
    return label_markers(html, labels)


def iso_date(moment: Moment | None) -> str:
    if moment is None:
        return ""
    return machine_time(moment)


def atom_date(moment: Moment | None, zone: dt.tzinfo | None = None) -> str:
    """RFC 3339, as Atom wants it; a date is its midnight in ``zone`` (default UTC)."""
    if moment is None:
        return ""
    return machine_time(as_datetime(moment, zone)).replace("+00:00", "Z")
