"""A site's templates/ overrides the bundled theme file by file (SPEC section 1)."""

from __future__ import annotations

import pytest
from site_corpus import BORDER

OVERRIDE = """
-- templates/briefing.html --
{% extends "base.html" %}
{% block main %}
<article id="custom-briefing"><h1>{{ briefing.title }}</h1><p>Своя тема</p></article>
{% endblock %}
"""

EXTEND_BASE = """
-- templates/base.html --
{% extends "default/base.html" %}
{% block head %}<meta name="x-theme" content="site-base">{% endblock %}
"""

EXTEND_SAME = """
-- templates/region.html --
{% extends "default/region.html" %}
{% block title %}Регион: {{ region.name }}{% endblock %}
"""

OWN_ASSETS = """
-- templates/assets/extra.css --
body { color: black; }
"""


def meta_theme(doc):
    return [m.get("content") for m in doc.find_all("meta") if m.get("name") == "x-theme"]


@pytest.fixture(scope="module")
def site(make_module_site):
    site = make_module_site(BORDER, OVERRIDE, EXTEND_BASE, EXTEND_SAME, OWN_ASSETS)
    result = site.ok()
    # The override leaves out the source list, so the source pages' links to its
    # entries are broken: the build says so.
    assert result.warnings
    assert all("has no anchor '#cite-" in line for line in result.warnings)
    return site


def test_site_template_replaces_the_bundled_one(site):
    doc = site.html("/briefings/shebekino-evacuation/")
    article = doc.main.find("article", id="custom-briefing")
    assert article.find("h1").text == "Shebekino shelled; children evacuated"
    assert "Своя тема" in article.text
    assert not doc.main.has("li", id="cite-1"), "the bundled briefing template was used"


def test_other_pages_still_use_the_bundled_theme(site):
    doc = site.html("/sources/meduza/")
    assert "Жители Шебекино уезжают из города" in doc.main.text


def test_site_base_extends_the_bundled_base_for_every_page(site):
    pages = (
        "/",
        "/briefings/kursk-drones/",
        "/regions/",
        "/regions/shebekino/",
        "/sources/meduza/",
    )
    for path in (*pages, "/archive/", "/404.html"):
        doc = site.html(path)
        assert meta_theme(doc) == ["site-base"], path
        assert doc.has("main"), path


def test_override_can_extend_the_template_it_replaces(site):
    doc = site.html("/regions/shebekino/")
    assert doc.find("title").text == "Регион: Шебекино"
    assert "Shebekino shelled; children evacuated" in doc.main.text  # the bundled body


def test_bundled_and_own_assets_are_copied(site):
    files = site.output_files()
    assert "assets/style.css" in files
    assert files["assets/extra.css"] == b"body { color: black; }\n"


def test_own_asset_replaces_the_bundled_one(make_site):
    site = make_site(BORDER, "-- templates/assets/style.css --\n/* mine */\n")
    site.ok()
    assert site.text("/assets/style.css") == "/* mine */\n"


def test_error_in_a_site_template_names_it(make_site):
    site = make_site(
        BORDER,
        """
        -- templates/tag.html --
        {% extends "default/tag.html" %}
        {% block title %}{{ tag.name }{% endblock %}
        """,
    )
    result = site.build()
    assert result.code == 1
    assert result.errors
    assert result.errors[0].startswith("templates/tag.html:2:"), result.err
