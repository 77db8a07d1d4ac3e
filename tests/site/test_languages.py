"""The theme in the site's language: catalogs, dates and numbers, and a site's own words."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import briefgen
from briefgen import words
from briefgen.theme_folders import bundled_theme

REPO = Path(briefgen.__file__).resolve().parent.parent
LOCALES = bundled_theme() / words.LOCALE_DIR
LANGUAGES = ["ru", "uk", "de", "fr"]
# Names the translations keep as they are.
PROPER = {"Atom", "NATO", "STANAG", "AJP", "JavaScript", "Admiralty", "B", "F"}
SPOKEN = ("aria-label", "title", "placeholder", "alt")  # attributes readers meet


def messages(path: Path) -> dict[str, object]:
    with path.open("rb") as file:
        return {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(file) if m.id}


def english_words(text: str) -> set[str]:
    text = re.sub(r"%\(\w+\)[sd]|<[^>]*>", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text))


def reader_text(doc) -> str:
    """What a reader of the page meets: its text, and the attributes read out or shown."""
    parts = [doc.text]
    for element in doc.iter():
        parts += [element.get(name) or "" for name in SPOKEN]
        if element.tag == "meta" and element.get("name") in ("description", "twitter:title"):
            parts.append(element.get("content") or "")
    return " ".join(parts)


@pytest.fixture(scope="module")
def russian(make_module_site):
    """The bundled example site built in Russian (its content stays as written)."""
    site = make_module_site()
    shutil.copytree(REPO / "content", site.root / "content", dirs_exist_ok=True)
    config = site.root / "content" / "site.yaml"
    text = re.sub(r"(?m)^language:.*$", "", config.read_text(encoding="utf-8"))
    config.write_text(text + "\nlanguage: ru\n", encoding="utf-8")
    site.ok()
    return site


def test_a_russian_build_has_no_english_theme_word(russian, html_parser):
    """Every word of the theme's messages that the example site's own content does not
    also use is absent from every page, feed and attribute a reader meets."""
    content = " ".join(
        p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*") if p.is_file()
    )
    theme = set().union(*map(english_words, messages(LOCALES / words.TEMPLATE_FILE)))
    look_for = theme - english_words(content) - PROPER
    assert {"Latest", "Archive", "Retracted", "Translation", "Skip", "Older"} <= look_for
    found = {}
    for rel, data in russian.output_files().items():
        if rel.endswith(".html"):
            shown = re.sub(r"(?s)<script.*?</script>", "", data.decode())
            text = reader_text(html_parser(shown))
        elif rel.endswith(".xml"):
            text = re.sub(r"&lt;|&gt;|&#34;|&amp;", " ", data.decode())
        else:
            continue
        if english := english_words(text) & look_for:
            found[rel] = sorted(english)
    assert found == {}


def test_the_corrections_feed_is_titled_in_the_sites_language(russian):
    """The example's own words hold 'Corrections', so the test above cannot see it."""
    title = re.search(r"<title>([^<]*)</title>", russian.text("/corrections/feed.xml"))
    assert title is not None and title[1].endswith(": Исправления"), title


def test_dates_months_and_frames_are_russian(russian):
    pages = {r: russian.html("/" + r) for r in russian.output_files() if r.endswith(".html")}
    for rel, page in pages.items():
        for time in page.find_all("time"):
            assert not re.search(r"[A-Za-z]", time.text), (rel, time.text)
    archive = russian.html("/archive/")
    assert [h.text.split()[0] for h in archive.find_all("h2")][:1] == ["Июнь"]
    labels = {
        e.get("aria-label")
        for page in pages.values()
        for e in page.find_all()
        if e.get("role") == "group"
    }
    assert labels <= {"Код", "Таблица"} and labels


def test_search_filters_are_named_in_the_sites_language(russian):
    page = russian.html("/briefings/kursk-drones/")
    names = {
        e.get("data-pagefind-filter") for e in page.find_all() if e.get("data-pagefind-filter")
    }
    assert names == {"регион", "источник", "тег", "год"} | ({"язык"} & names)
    languages = [e.text for e in page.find_all() if e.get("data-pagefind-filter") == "язык"]
    assert all(not re.search(r"[A-Za-z]", name) for name in languages)


def test_the_search_counts_results_in_words_that_fit_any_number(russian):
    """Pagefind words two results and more one way, which Russian cannot: '2 результатов'
    is wrong. The theme gives it the site's words, which fit any number."""
    script = russian.html("/search/").find_all("script")[-1].text
    found = re.search(r'many_results: ("[^"]*")', script)
    assert found and json.loads(found[1]) == "Найдено по запросу [SEARCH_TERM]: [COUNT]"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_translates_every_message_of_the_theme(language):
    template = messages(LOCALES / words.TEMPLATE_FILE)
    catalog = messages(LOCALES / f"{language}.po")
    assert catalog.keys() == template.keys()
    plurals = words.plural_count(language)
    for message_id, message in catalog.items():
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms), f"{language}: '{message_id}' is not translated"
        if isinstance(message.id, tuple):
            assert len(forms) == plurals, message_id
        for form in forms:
            problem = words.markup_problem(message_id, form)
            assert not problem, f"{language}: '{message_id}': {problem}"
            assert words.placeholders(form) == words.placeholders(message_id) or (
                isinstance(message.id, tuple)
                and words.placeholders(form) == words.placeholders(message_id) - {"num"}
            ), (language, message_id, form)
        assert "fuzzy" not in message.flags


def test_the_template_holds_exactly_the_messages_of_the_templates():
    """templates/locale/messages.pot is extracted again after a template changes (the
    command is in docs/theme.md)."""
    from babel.messages.extract import extract_from_dir

    method_map = [("**.html", "jinja2"), ("**.xml", "jinja2")]
    options = {"**": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    found = set()
    for _, _, message, _, _ in extract_from_dir(bundled_theme(), method_map, options):
        found.add(message if isinstance(message, str) else message[0])
    assert found == set(messages(LOCALES / words.TEMPLATE_FILE))


PLAIN = """
-- content/site.yaml --
title: Watch
language: {language}
require_archive: false
{extra}
-- content/sources.yaml --
tg: {{name: A channel}}
-- content/regions.yaml --
russia: {{name: Russia}}
-- content/briefings/a.md --
---
title: Villages shelled
date: 2023-06-02T09:30:00+03:00
regions: [russia]
citations:
  g: {{source: tg, url: "https://t.me/x/1", title: Post, lang: ru, quote: Да, translation: It is}}
---
Shelling reported [@g].

| a | b |
|---|---|
| 1 | 2 |
"""


def plain(make_site, language: str = "en", extra: str = ""):
    return make_site(PLAIN.format(language=language, extra=extra))


@pytest.mark.parametrize(
    ("language", "date", "latest"),
    [
        ("en", "June 2, 2023", "Latest"),
        ("en-GB", "2 June 2023", "Latest"),
        ("de", "2. Juni 2023", "Aktuell"),
        ("fr", "2 juin 2023", "Dernières infos"),
        ("uk", "2 червня 2023 р.", "Останнє"),
        ("ru", "2 июня 2023 г.", "Свежее"),
        ("pt-BR", "2 de junho de 2023", "Latest"),
    ],
)
def test_dates_and_words_follow_the_language(make_site, language, date, latest):
    """A language without a catalog (Brazilian Portuguese) still gets its dates."""
    site = plain(make_site, language)
    site.ok()
    page = site.html("/briefings/a/")
    assert page.find("time").text == date
    assert page.find("nav", cls="site-nav").find("a").text == latest
    assert page.find("html").get("lang") == language


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he", "rtl"), ("en", None)])
def test_a_site_in_a_right_to_left_language_is_laid_out_so(make_site, language, direction):
    site = plain(make_site, language)
    site.ok()
    page = site.html("/briefings/a/")
    assert page.find("html").get("dir") == direction
    assert site.html("/").find("html").get("dir") == direction


def test_quotes_take_their_direction_from_their_text(make_site):
    """A quote in Arabic or Hebrew on an English site reads from right to left, its
    full stop at its end; the browser finds which from its first letter."""
    site = make_site(
        PLAIN.format(language="en", extra="").replace(
            "lang: ru, quote: Да", "lang: ar, quote: قصف القرى."
        )
    )
    site.ok()
    page = site.html("/briefings/a/")
    quotes = page.find_all("blockquote", cls="quote") + page.find_all(
        "blockquote", cls="card-quote"
    )
    assert quotes and all(q.get("dir") == "auto" and q.get("lang") == "ar" for q in quotes)


def test_a_language_name_is_in_the_sites_language(make_site):
    site = plain(make_site, "de")
    site.ok()
    label = site.html("/briefings/a/").find("p", cls="translation").find("span").text
    assert "Russisch" in label


def test_strings_in_site_yaml_override_single_words(make_site):
    extra = """strings:
  Latest: Neueste
  "%(num)s source": ["%(num)s Quelle", "%(num)s Belege"]
  Sources: Belege"""
    site = plain(make_site, "de", extra)
    result = site.ok()
    assert result.warnings == []
    page = site.html("/")
    assert page.find("nav", cls="site-nav").find("a").text == "Neueste"
    assert "1 Quelle" in page.find("ol", cls="briefing-list").text
    nav = [a.text for a in page.find("nav", cls="site-nav").find_all("a")]
    assert "Belege" in nav and "Regionen" in nav


def test_strings_work_over_english_too(make_site):
    site = plain(make_site, "en", "strings:\n  Latest: Newest\n  Skip to content: Skip ahead")
    site.ok()
    page = site.html("/")
    assert page.find("a", cls="skip").text == "Skip ahead"
    assert page.find("nav", cls="site-nav").find("a").text == "Newest"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "strings:\n  Lates: Newest",
            "5: warning: 'Lates' is not a message of the theme, so 'strings' cannot change it "
            "(did you mean 'Latest'",
        ),
        (
            'strings:\n  "Page %(number)s of %(count)s": "Seite %(nummer)s"',
            "5:35: error: the text for 'Page %(number)s of %(count)s' cannot be used: it uses "
            "%(nummer)s, which the message does not have",
        ),
        (
            'strings:\n  Latest: "<b>Neu</b>"',
            "5:11: error: the text for 'Latest' cannot be used: it must hold the same HTML tags",
        ),
        (
            'strings:\n  Latest: Say "hi"',
            "5:11: error: the text for 'Latest' cannot be used: it may not hold '\"'",
        ),
        (
            'strings:\n  "%(num)s source": [a, b, c]',
            "5:21: error: '%(num)s source' has 2 plural forms in 'de', not 3",
        ),
        (
            'strings:\n  Latest: "100% sicher"',  # was published as '100{}icher'
            "5:11: error: the text for 'Latest' cannot be used: it holds a '%' that begins no "
            "value: write '%%' for a percent sign",
        ),
        (
            'strings:\n  "Page %(number)s of %(count)s": "%(number)s/%(count)s: 50%"',
            "5:35: error: the text for 'Page %(number)s of %(count)s' cannot be used: it holds a",
        ),
        ("strings:\n  Latest: [a, b]", "5:11: error: 'Latest' has no plural forms"),
        ("strings: [Latest]", "4:10: error: 'strings' must be a mapping"),
    ],
)
def test_strings_mistakes_are_located(make_site, extra, message):
    site = plain(make_site, "de", extra)
    result = site.build()
    assert f"content/site.yaml:{message}" in result.err
    if ": error: " in message:
        assert result.code == 1


def test_a_wrong_or_unknown_language_is_reported(make_site):
    result = plain(make_site, "english").build()
    assert "content/site.yaml:2:11: error: 'language' must be a language tag" in result.err
    site = plain(make_site, "xx")
    result = site.ok()
    assert "content/site.yaml:2: warning: unknown language 'xx'" in result.err
    assert site.html("/").find("nav", cls="site-nav").find("a").text == "Latest"


POLISH = """
-- templates/locale/pl.po --
msgid ""
msgstr ""
"Language: pl\\n"
"Plural-Forms: nplurals=3; "
"plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Latest"
msgstr "Najnowsze"

msgid "%(num)s source"
msgid_plural "%(num)s sources"
msgstr[0] "%(num)s źródło"
msgstr[1] "%(num)s źródła"
msgstr[2] "%(num)s źródeł"
"""


def test_a_site_adds_a_language_with_its_own_catalog(make_site):
    site = plain(make_site, "pl")
    site.write(POLISH)
    site.ok()
    page = site.html("/")
    assert page.find("nav", cls="site-nav").find("a").text == "Najnowsze"
    assert "1 źródło" in page.find("ol", cls="briefing-list").text
    assert page.find("time").text == "2 czerwca 2023"
    # A message the catalog leaves out stays English.
    assert page.find("a", cls="skip").text == "Skip to content"


def test_a_broken_catalog_is_a_located_error_and_the_output_is_kept(make_site):
    site = plain(make_site, "pl")
    site.write(POLISH)
    site.ok()
    before = site.text("/")
    (site.root / "templates/locale/pl.po").write_text(
        'msgid "Latest"\nmsgstr "Najnowsze"\n\nmsgid "Archive"\n', encoding="utf-8"
    )
    result = site.build()
    assert result.code == 1
    assert (
        "templates/locale/pl.po:4:1: error: cannot read the catalog: missing msgstr" in result.err
    )
    assert site.text("/") == before


@pytest.mark.parametrize("rule", ["(n != 1", "n ==== 1 ? import os"])
def test_a_catalog_whose_plural_rule_cannot_be_read_is_an_error_at_its_line(make_site, rule):
    """Babel keeps a Plural-Forms as written; Python's gettext refused it as the theme
    was made, with a traceback."""
    site = plain(make_site, "pl")
    site.write(POLISH)
    site.ok()
    before = site.text("/")
    (site.root / "templates/locale/pl.po").write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=' + rule + ';\\n"\n\n'
        'msgid "Latest"\nmsgstr "Najnowsze"\n',
        encoding="utf-8",
    )
    for command in ("build", "check"):
        result = site.run(command, "-s", site.root)
        assert result.code == 1, result.err
        assert "Traceback" not in result.err
        assert (
            "templates/locale/pl.po:3:1: error: cannot read the catalog: its Plural-Forms "
            "cannot be read" in result.err
        )
    assert site.text("/") == before


def _with_catalog_changed(make_site, catalog: str):
    """A Polish site built with its own catalog, then built again with ``catalog`` in
    its place: the second build's result, and the home page as the first left it."""
    site = plain(make_site, "pl")
    site.write(POLISH)
    site.ok()
    before = site.text("/")
    (site.root / "templates/locale/pl.po").write_text(catalog, encoding="utf-8")
    return site, site.build(), before


def test_translations_that_would_put_markup_into_pages_are_each_located(make_site):
    """The theme puts its messages into pages as they are, some into attribute values:
    a translation may hold no tag, quote mark, ampersand or angle bracket its message
    does not, as ``strings:`` may not."""
    _, result, _ = _with_catalog_changed(
        make_site,
        'msgid "Latest"\nmsgstr "Najnowsze<script>alert(1)</script>"\n\n'
        'msgid "Search"\nmsgstr "Szukaj\\" onfocus=\\"alert(1)"\n\n'
        'msgid "%(num)s source"\nmsgid_plural "%(num)s sources"\n'
        'msgstr[0] "%(num)s źródło"\nmsgstr[1] "%(num)s <b>źródła</b>"\n'
        'msgstr[2] "%(num)s źródeł"\n',
    )
    assert result.code == 1
    assert result.errors == [
        "templates/locale/pl.po:1:1: error: the translation of 'Latest' cannot be used: it "
        "must hold the same HTML tags as the message (fix it, or remove it to use the "
        "bundled one)",
        "templates/locale/pl.po:4:1: error: the translation of 'Search' cannot be used: it "
        "may not hold '\"': write the words only (fix it, or remove it to use the bundled "
        "one)",
        "templates/locale/pl.po:7:1: error: the translation of '%(num)s source' cannot be "
        "used: it must hold the same HTML tags as the message (fix it, or remove it to use "
        "the bundled one)",
    ]


def test_translations_that_use_a_value_their_message_lacks_are_each_located(make_site):
    """The theme could not fill them in: each page that shows one would fail."""
    site, result, before = _with_catalog_changed(
        make_site,
        'msgid "Latest"\nmsgstr "Najnowsze %(x)s"\n\n'
        'msgid "%(name)s, page %(number)s"\nmsgstr "%(name)s, strona %(numer)s"\n',
    )
    assert result.code == 1
    assert result.errors == [
        "templates/locale/pl.po:1:1: error: the translation of 'Latest' uses %(x)s, which the "
        "message does not have (fix it, or remove it to use the bundled one)",
        "templates/locale/pl.po:4:1: error: the translation of '%(name)s, page %(number)s' "
        "uses %(numer)s, which the message does not have (fix it, or remove it to use the "
        "bundled one)",
    ]
    assert "bundled theme" not in result.err
    assert site.text("/") == before


def test_a_catalog_not_in_utf8_is_an_error_at_its_line(make_site):
    site = plain(make_site, "pl")
    site.write(POLISH)
    (site.root / "templates/locale/pl.po").write_bytes(
        b'msgid "Latest"\nmsgstr "Najnowsze"\n\nmsgid "Archive"\nmsgstr "Archiwum \xff"\n'
    )
    result = site.build()
    assert result.code == 1
    assert result.errors == [
        "templates/locale/pl.po:5:1: error: cannot read the catalog: it is not valid UTF-8 "
        "(byte 0xff) (fix it, or remove it to use the bundled one)"
    ]


def test_changing_a_word_renders_the_pages_again(make_site):
    site = plain(make_site, "de")
    site.ok()
    site.write(PLAIN.format(language="de", extra="strings:\n  Latest: Neueste"))
    site.ok()
    assert site.html("/").find("nav", cls="site-nav").find("a").text == "Neueste"
    (site.root / "templates/locale").mkdir(parents=True)
    (site.root / "templates/locale/de.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "Regions"\nmsgstr "Gebiete"\n',
        encoding="utf-8",
    )
    site.ok()
    nav = [a.text for a in site.html("/").find("nav", cls="site-nav").find_all("a")]
    assert nav[:2] == ["Neueste", "Gebiete"]


BODY_WORDS = """
-- content/site.yaml --
language: {language}
require_archive: false
-- content/briefings/a.md --
---
title: Notes
date: 2023-06-02
---
Text.[^1] More text.[^1]

::: assessment
Ours.
:::

::: assessment Our own view
Named by the curator.
:::

    code

| a | b |
|---|---|
| 1 | 2 |

[^1]: A note.
"""


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Code", "Table", "Assessment", "Jump back to footnote 1 in the text"]),
        ("ru", ["Код", "Таблица", "Оценка", "Вернуться к сноске 1 в тексте"]),
    ],
)
def test_the_words_a_body_holds_are_in_the_sites_language(make_site, language, words):
    """The Markdown stage writes them into the cached body, the same in every language;
    the page and the feed put the site's in their place. A caption the curator wrote
    stays."""
    code, table, assessment, back = words
    site = make_site(BODY_WORDS.format(language=language))
    site.ok()
    body = site.html("/briefings/a/").find("div", cls="body")
    assert [e.get("aria-label") for e in body.find_all() if e.get("role") == "group"] == [
        code,
        table,
    ]
    assert [e.text for e in body.find_all("figcaption")] == [assessment, "Our own view"]
    backs = body.find_all("a", cls="footnote-backref")
    assert [a.get("title") for a in backs] == [back, back]
    feed = site.text("/feed.xml")
    assert f"&lt;figcaption&gt;{assessment}&lt;/figcaption&gt;" in feed
    assert f"title=&#34;{back}&#34;" in feed


KINDS = """
-- content/site.yaml --
language: {language}
-- content/sources.yaml --
carnegie: {{name: Carnegie, kind: think-tank}}
dw: {{name: DW, kind: Broadcaster}}
odd: {{name: Odd, kind: satellite-imagery}}
"""


@pytest.mark.parametrize(
    ("language", "table", "page"),
    [
        ("en", ["think tank", "broadcaster", "satellite imagery"], "Think tank"),
        (
            "ru",
            ["аналитический центр", "телерадиокомпания", "satellite imagery"],
            "Аналитический центр",
        ),
    ],
)
def test_the_usual_kinds_of_source_are_in_the_sites_language(make_site, language, table, page):
    site = make_site(KINDS.format(language=language))
    site.ok()
    cells = site.html("/sources/").find_all("td", cls="kind")
    assert [c.text for c in cells] == table
    facts = site.html("/sources/carnegie/").find("dl", cls="source-facts")
    assert facts.find("dd").text == page


def test_words_with_combining_marks_name_their_pages_whole(make_site):
    """Hindi's vowel signs are part of its words: a tag, a region key and a file name
    written in it name pages of the same words, not of their consonants."""
    site = make_site("""
-- content/site.yaml --
title: समाचार
language: hi
base_url: https://example.org/
-- content/regions.yaml --
भारत: {name: भारत}
नई-दिल्ली: {name: नई दिल्ली, parent: भारत}
-- content/briefings/हिन्दी-समाचार.md --
---
title: हिन्दी समाचार
date: 2024-01-01
regions: [नई-दिल्ली]
tags: [हिन्दी, शांति वार्ता]
---
पाठ।
""")
    site.ok()
    for path in ("/briefings/हिन्दी-समाचार/", "/regions/भारत/", "/regions/नई-दिल्ली/",
                 "/tags/हिन्दी/", "/tags/शांति-वार्ता/"):  # fmt: skip
        assert site.exists(path), path
    assert "हिन्दी समाचार" in site.html("/tags/शांति-वार्ता/").main.text
