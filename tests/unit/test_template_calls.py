"""The template environment: url() bound to each page, and calls from templates
behaving as Jinja documents them."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import markupsafe
import pytest

from briefgen import urls
from briefgen.diagnostics import Diagnostics
from briefgen.model import SiteConfig
from briefgen.render import theme
from briefgen.render.page import Renderer
from briefgen.render.routes import Route
from briefgen.render.theme import Message, Once, _Environment, _written, page_url

CONFIG = SiteConfig(base_url="https://example.org/briefs/")
PAGES = ["", "page/2/", "briefings/a/", "regions/x/page/2/", "feed.xml", "404.html", "tags/война/"]
TARGETS = [
    "",
    "assets/style.css",
    "briefings/a/",
    "regions/x/page/3/",
    "tags/война/",
    "tags/a b/",
    "pages/50%/",
    "briefings/x/#cite-1",
    "sources/a?b/",
    "feed.xml\n",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_url_links_as_the_url_scheme_does(page: str) -> None:
    url = page_url(page, CONFIG)
    for target in TARGETS:
        assert url(target) == urls.relative(page, target)


def test_page_url_of_the_404_page_is_root_relative() -> None:
    url = page_url("404.html", CONFIG, root_relative=True)
    assert url("") == "/briefs/"
    assert url("tags/война/") == "/briefs/tags/%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0/"


@pytest.mark.parametrize("file_urls", [False, True])
@pytest.mark.parametrize("base_path", [None, "/briefs/", "/"])
@pytest.mark.parametrize("page", PAGES)
def test_a_link_made_for_any_page_placed_in_one_is_that_pages_link(
    page: str, base_path: str | None, file_urls: bool
) -> None:
    link = urls.linker(page, base_path, file_urls)
    climb = urls.climb(page, base_path, file_urls)
    for target in TARGETS:
        unplaced = urls.unplaced(target, file_urls)
        assert unplaced.startswith((urls.CLIMB, urls.CLIMB_HOME))
        assert urls.placed(f"<{unplaced}|{unplaced}>", climb) == f"<{link(target)}|{link(target)}>"


def site_with(tmp_path: Path, templates: dict[str, str]) -> tuple[jinja2.Environment, Renderer]:
    for name, text in templates.items():
        path = tmp_path / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    site: Any = SimpleNamespace(config=CONFIG)
    renderer = Renderer(site, tmp_path)
    return renderer.env, renderer


def render(renderer: Renderer, path: str, template: str, **context: Any) -> str:
    diags = Diagnostics()
    data = renderer.render(Route(path, template, context), diags)
    assert data is not None, [d.format() for d in diags.items]
    return data.decode()


LINKS = """\
{% macro link(path) %}{{ url(path) }}{% endmacro %}
{{ url("tags/x/") }}
{% for p in ["a", "b"] %}{% set q = "briefings/" ~ p ~ "/" %}
{{ url(q) }}
{% endfor %}
{{ link("archive/") }}
{% include "partials/links.html" %}
"""


def test_url_links_from_the_rendered_page_everywhere_in_it(tmp_path: Path) -> None:
    _, renderer = site_with(
        tmp_path,
        {
            "links.html": LINKS,
            "partials/links.html": '{{ url(paths.region("x")) }}\n',
            "child.html": '{% extends "links.html" %}',
        },
    )
    expected = (
        "../../tags/x/\n../../briefings/a/\n../../briefings/b/\n../../archive/\n../../regions/x/\n"
    )
    assert render(renderer, "briefings/z/", "links.html") == expected
    assert render(renderer, "briefings/z/", "child.html") == expected
    root_relative = render(renderer, "404.html", "links.html", root_relative=True)
    assert root_relative == expected.replace("../../", "/briefs/")


def test_a_bundled_partial_is_made_once_and_links_from_each_page(tmp_path: Path) -> None:
    """The bundled theme imports its partials without the page's context: each one's
    module is made once for the build, and its macros link through the ``url`` global,
    from the page being rendered."""
    env, renderer = site_with(
        tmp_path,
        {
            "graded.html": '{% from "partials/grading.html" import reliability_link %}'
            '{{ reliability_link("B") }}|{{ site.config.base_url }}'
        },
    )
    deep = render(renderer, "regions/x/page/2/", "graded.html")
    module = env.get_template("partials/grading.html")._module
    shallow = render(renderer, "tags/y/", "graded.html")
    assert 'href="../../../../grading/#B"' in deep
    assert 'href="../../grading/#B"' in shallow
    assert deep.endswith("|https://example.org/briefs/")
    assert module is not None
    assert env.get_template("partials/grading.html")._module is module
    assert 'href="/briefs/grading/#B"' in render(
        renderer, "404.html", "graded.html", root_relative=True
    )


def test_a_sites_own_partial_is_given_the_pages_context(tmp_path: Path) -> None:
    """A site's partial may use the page's variables however it is imported, as it
    could when the bundled theme imported every partial with the page's context."""
    _, renderer = site_with(
        tmp_path,
        {
            "partials/mine.html": '{% macro here() %}{{ page_path }} {{ url("tags/x/") }}'
            "{% endmacro %}",
            "page.html": '{% from "partials/mine.html" import here %}{{ here() }}',
        },
    )
    assert render(renderer, "regions/y/", "page.html") == "regions/y/ ../../tags/x/"
    assert render(renderer, "briefings/z/", "page.html") == "briefings/z/ ../../tags/x/"


KEPT = (
    '{% macro item(name) %}<a href="{{ url(paths.tag(name)) }}">{{ name }}</a>'
    ' <a href="{{ url(paths.home()) }}">home</a>{% endmacro %}\n'
    "{% macro cut(name) %}{{ url(paths.tag(name))[1:] }}|{{ url(paths.tag(name)) | urlencode }}"
    "{% endmacro %}\n"
    '{% macro outer(name) %}[{{ once("item", item, name) }}]{% endmacro %}\n'
    '{{ once("item", item, "x") }}\n{{ once("cut", cut, "x") }}\n{{ once("outer", outer, "x") }}\n'
)


def test_once_keeps_an_output_for_pages_at_every_depth_and_links_it_from_each(
    tmp_path: Path,
) -> None:
    env, renderer = site_with(tmp_path, {"kept.html": KEPT})
    pages = ["", "tags/y/", "regions/x/page/2/"]
    rendered = [render(renderer, page, "kept.html") for page in pages]
    fresh = [render(site_with(tmp_path / str(n), {"kept.html": KEPT})[1], page, "kept.html")
             for n, page in enumerate(pages)]  # fmt: skip
    assert rendered == fresh
    assert rendered[0].split("\n")[:2] == [
        '<a href="tags/x/">x</a> <a href="./">home</a>',
        "ags/x/|tags/x/",
    ]
    assert rendered[2].split("\n")[0] == (
        '<a href="../../../../tags/x/">x</a> <a href="../../../../">home</a>'
    )
    assert rendered[1].split("\n")[1] == "./../tags/x/|../../tags/x/"
    assert rendered[1].split("\n")[2] == '[<a href="../../tags/x/">x</a> <a href="../../">home</a>]'
    once = env.globals["once"]
    assert once.kept("item") == once.kept("cut") == once.kept("outer") == 1
    root_relative = render(renderer, "404.html", "kept.html", root_relative=True)
    assert root_relative.startswith('<a href="/briefs/tags/x/">x</a> <a href="/briefs/">home</a>')


def test_once_keeps_no_output_for_a_climb_a_template_would_escape(tmp_path: Path) -> None:
    """On the 404 page, links climb by the site's path, which may hold a character a
    template escapes where it writes a link out, and not where it marks it safe."""
    template = (
        '{% macro raw(p) %}{{ url(p) | safe }}{% endmacro %}{{ once("raw", raw, "tags/x/") }}'
    )
    _, renderer = site_with(tmp_path, {"raw.html": template})
    renderer.site.config = SiteConfig(base_url="https://example.org/a&b/")
    rendered = render(renderer, "404.html", "raw.html", root_relative=True)
    assert rendered == "/a&b/tags/x/"


def test_once_keeps_an_output_that_is_no_text() -> None:
    once = Once()
    made: list[int] = []
    assert once("n", lambda: made.append(1) or len(made)) == once("n", lambda: 0) == 1


@jinja2.pass_context
def seen(context: jinja2.runtime.Context, name: str) -> str:
    return str(context.get(name))


@jinja2.pass_environment
def trims(env: jinja2.Environment) -> str:
    return str(env.trim_blocks)


@jinja2.pass_eval_context
def evaluated(eval_ctx: jinja2.nodes.EvalContext) -> str:
    return str(eval_ctx.autoescape)


class PagePath:
    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context) -> str:
        return str(context.get("page_path"))

    @jinja2.pass_context
    def joined(self, context: jinja2.runtime.Context, rest: str) -> str:
        return f"{context.get('page_path')}{rest}"


def stops() -> str:
    raise StopIteration


CALLS = (
    '{% for x in ["in loop"] %}{% set y = x %}{{ seen("y") }}{% endfor %}'
    "|{{ trims() }}|{{ evaluated() }}|{{ page() }}|{{ page.joined('x') }}"
    '|{{ paths.region("x", page=2) }}|{{ paths.region("x") }}|{{ {"k": "v"}.get("k") }}'
    '|{{ absolute_url("tags/x/") }}|{{ stops() is undefined }}|{{ range(3) | list }}'
)


def test_calls_in_templates_keep_jinja_semantics(tmp_path: Path) -> None:
    env, _ = site_with(tmp_path, {})
    env.globals.update(seen=seen, trims=trims, evaluated=evaluated, page=PagePath(), stops=stops)
    out = env.from_string(CALLS).render(page_path="p/")
    assert out.split("|") == [
        "in loop",  # a pass_context function sees the variables set in the loop
        "True",
        "True",
        "p/",
        "p/x",  # a method marked pass_context is given the context too
        "regions/x/page/2/",
        "regions/x/",
        "v",
        "https://example.org/briefs/tags/x/",
        "True",  # a call raising StopIteration is undefined
        "[0, 1, 2]",
    ]


def test_template_globals_overlay_the_environment_without_changing_it(tmp_path: Path) -> None:
    env, _ = site_with(tmp_path, {"g.html": "{{ extra }}|{{ paths is defined }}"})
    assert env.get_template("g.html", globals={"extra": "mine"}).render() == "mine|True"
    assert "extra" not in env.globals
    assert env.from_string("{{ extra is defined }}").render() == "False"


def test_once_makes_a_macros_output_once_for_the_same_objects() -> None:
    once = Once(budget=2 * (theme._KEEPING + sys.getsizeof("entry 1")))
    calls: list[object] = []

    def entry(b: object) -> str:
        calls.append(b)
        return f"entry {len(calls)}"

    a, b, c = SimpleNamespace(), SimpleNamespace(), SimpleNamespace()
    assert once("e", entry, a) == once("e", entry, a) == "entry 1"
    assert once("e", entry, b) == "entry 2"
    assert once("other", entry, a) == "entry 3", "each name keeps its own outputs"
    assert once("e", entry, a) == "entry 1"
    assert once("e", entry, c) == "entry 4", "over the bytes two take, under a name"
    assert once("e", entry, b) == "entry 5", "the oldest was let go"
    assert once("e", entry, a) == "entry 6"
    assert once("other", entry, a) == "entry 3"
    assert once.kept("e") == 2
    assert calls == [a, b, a, c, b, a]


def test_once_keeps_its_outputs_in_order_while_several_threads_call_it() -> None:
    """The preview renders pages on several threads, and with them calls ``once``."""
    once = Once(budget=8 * (theme._KEEPING + sys.getsizeof("entry0")))
    names = [str(n) for n in range(12)]
    failed: list[BaseException] = []

    def calls() -> None:
        try:
            for turn in range(6000):
                assert once("e", lambda n: f"entry{n}", names[turn % 12]) == f"entry{turn % 12}"
        except BaseException as exc:
            failed.append(exc)

    threads = [threading.Thread(target=calls) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns between any two steps
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failed == []
    assert once.kept("e") <= 8


def test_once_takes_equal_strings_and_numbers_as_the_same_but_not_other_kinds() -> None:
    once = Once()
    calls: list[tuple[object, ...]] = []

    def badge(*args: object) -> str:
        calls.append(args)
        return f"badge {len(calls)}"

    legend, same = "../../grading/", "".join(["../../", "grading/"])
    assert same == legend and same is not legend
    assert once("g", badge, "B", 2, legend) == once("g", badge, "B", 2, same) == "badge 1"
    assert once("g", badge, "B", 2, "../grading/") == "badge 2", "another page depth"
    assert once("g", badge, "B", True, legend) == "badge 3", "True is not 1"
    assert once("g", badge, markupsafe.Markup("B"), 2, legend) == "badge 4", "nor Markup a str"
    assert once("g", badge, None, 2, legend) == once("g", badge, None, 2, legend) == "badge 5"
    a, b = [1], [1]  # equal, and not the same object
    assert once("g", badge, a) == "badge 6"
    assert once("g", badge, b) == "badge 7"
    assert once("g", badge, a) == "badge 6"


MACRO_CALLS = [
    '{% macro m(a, b="d") %}<{{ a }}|{{ b }}>{% endmacro %}'
    '{% for x in ["<i>"] %}{{ m(x, b="&") }}{{ m(x) }}{% endfor %}{{ m("x", "y") }}',
    '{% macro m(a) %}{{ a }}{% endmacro %}{% autoescape false %}{{ m("<i>") + "<b>" }}'
    '{% endautoescape %}{{ m("<i>") + "<b>" }}',
    '{% macro m() %}{{ varargs | join(",") }}{{ kwargs | dictsort }}{% endmacro %}'
    '{% for x in [1] %}{{ m(1, 2, k="<v>") }}{% endfor %}',
    '{% macro m() %}[{{ caller("<c>") }}]{% endmacro %}{% call(v) m() %}{{ v }}{% endcall %}',
    '{% macro m(a) %}{{ a }}{% endmacro %}{{ m(a="kw") }}{% set f = m %}{{ f(a="set") }}',
    '{% macro m(a, b=a ~ "!", c=none) %}[{{ a }}|{{ b }}|{{ c }}]{% endmacro %}'
    '{{ m("<x>") }}{{ m("<x>", "<y>") }}{{ m(1, 2, 3) }}',
    "{% macro m(a, caller=none) %}{{ a }}{{ caller is none }}{% endmacro %}{{ m(1) }}",
    "{% macro m(a) %}{{ a }}{{ varargs | length }}{% endmacro %}{{ m(1) }}{{ m(1, 2) }}",
    "{% macro m() %}{{ kwargs | length }}{% endmacro %}{{ m() }}",
]


@pytest.mark.parametrize("source", MACRO_CALLS)
def test_macro_calls_give_what_jinjas_own_give(tmp_path: Path, source: str) -> None:
    env, _ = site_with(tmp_path, {})
    stock = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    assert env.from_string(source).render() == stock.from_string(source).render()


def test_a_macro_given_more_arguments_than_it_takes_fails_as_in_jinja(tmp_path: Path) -> None:
    env, _ = site_with(tmp_path, {})
    with pytest.raises(TypeError, match="takes not more than 1 argument"):
        env.from_string("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}").render()


def test_a_macro_called_with_a_keyword_it_lacks_fails_as_in_jinja(tmp_path: Path) -> None:
    env, _ = site_with(tmp_path, {})
    with pytest.raises(TypeError, match="no keyword argument 'b'"):
        env.from_string("{% macro m(a) %}{% endmacro %}{{ m(1, b=2) }}").render()


class _Shown:
    def __html__(self) -> str:
        return "<em>shown</em>"


@pytest.mark.parametrize(
    "text",
    [
        "%(num)s sources",
        "<b>%(name)s</b>, page %(number)s of %(count)s",
        "%(name)s and %(name)s again, 100%%",
        "nothing to fill",
        "%(name)r",  # not a plain field: filled as Markup fills it
        "%(number)d of %(count)05d",
        "%(name)s %",
    ],
)
def test_messages_are_filled_as_markup_fills_them(text: str) -> None:
    values: list[Any] = [
        7,
        True,
        2.5,
        "<script>&amp;",
        markupsafe.Markup("<i>kept</i>"),
        _Shown(),
        "Тег «война»",
    ]
    message = Message(text)
    for value in values:
        filled = {"num": value, "name": value, "number": 3, "count": 12, "unused": value}
        try:
            expected = markupsafe.Markup(text) % filled
        except (TypeError, ValueError) as exc:
            with pytest.raises(type(exc)):
                message.fill(filled)
            continue
        made = message.fill(filled)
        assert made == expected and type(made) is markupsafe.Markup, (text, value)
    if "%(" in text:
        with pytest.raises(KeyError):  # a value the message names and the call lacks
            message.fill({})


class _Shown:
    def __html__(self) -> str:
        return "<u>shown</u>"


class _OwnMarkup(markupsafe.Markup):
    """A Markup whose ``__html__`` is its own: escaped as what that gives."""

    def __html__(self) -> markupsafe.Markup:
        return markupsafe.Markup("<s>own</s>")


VALUES: dict[str, Any] = {
    "x": '<a href="x">\'&"</a> é',
    "m": markupsafe.Markup("<i>safe</i>"),
    "n": 3,
    "none": None,
    "shown": _Shown(),
}


@pytest.mark.parametrize(
    "value", [*VALUES.values(), "", "plain", "&amp;", 2.5, ["<"], {"<": 1}, _OwnMarkup("x")]
)
def test_what_a_template_writes_out_is_escaped_as_escape_escapes_it(value: Any) -> None:
    written = _written(value)
    assert written == str(markupsafe.escape(value))
    if type(value) is str and theme._ESCAPE_TEXT is not None:
        assert type(written) is str  # not a Markup made for nothing
    if type(value) is markupsafe.Markup:
        assert written is value  # nor one made again


@pytest.mark.parametrize(
    "source",
    [
        "{{ x }}{{ m }}{{ n }}{{ none }}{{ shown }}",
        "{% set s %}{{ x }}<b>{% endset %}{{ s }}{{ s | length }}{{ s ~ x }}",
        "{% macro f(a) %}[{{ a }}]{{ caller() if caller }}{% endmacro %}"
        "{{ f(x) }}{% call f(m) %}{{ x }}{% endcall %}{{ f(x) ~ x }}",
        "{% filter upper %}{{ x }}{% endfilter %}{% filter e %}{{ m }}{% endfilter %}",
        "{% for i in [x, m, n] %}{{ i }}{{ loop.index }}{% endfor %}",
        "{{ x ~ m }}{{ [x, m] | join(',') }}{{ x | e }}{{ x | safe }}{{ x | tojson }}",
        "{% autoescape false %}{{ x }}{{ m }}{% endautoescape %}",
        "{% import 'module.html' as module %}{{ module.g(x) }}{{ module }}",
        "{% include 'module.html' %}{% extends 'base.html' %}{% block b %}{{ x }}"
        "{{ super() }}{% endblock %}",
    ],
)
def test_templates_write_what_jinjas_own_write(source: str) -> None:
    # A file not of the bundled theme is imported with the page's context, however written.
    imported = source.replace(" as module %}", " as module with context %}")
    loader = jinja2.DictLoader(
        {
            "page.html": source,
            "imported.html": imported,
            "module.html": "{% macro g(a) %}<{{ a }}>{% endmacro %}{{ x }}",
            "base.html": "{{ x }}{% block b %}{{ m }}{% endblock %}",
        }
    )
    ours = _Environment(loader=loader, autoescape=True)
    jinjas = jinja2.Environment(loader=loader, autoescape=True)
    assert ours.get_template("page.html").render(VALUES) == (
        jinjas.get_template("imported.html").render(VALUES)
    )
