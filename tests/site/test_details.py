"""Smaller promises of the built site: order of equal dates, meta descriptions, check's reach."""

from __future__ import annotations

SAME_DAY = """
-- content/briefings/zeta.md --
---
title: Zeta
date: 2023-06-02
regions: [x]
summary: The zeta summary.
---
Text.
-- content/briefings/alpha.md --
---
title: Alpha
date: 2023-06-02
regions: [x]
---
Text.
"""


def test_briefings_of_the_same_moment_list_in_slug_order(make_site):
    site = make_site(SAME_DAY)
    site.ok()
    titles = [h.text.strip() for h in site.html("/").main.find_all("h2")]
    assert titles[:2] == ["Alpha", "Zeta"]


def test_meta_description_from_summary_without_a_site_description(make_site):
    site = make_site(SAME_DAY)
    site.ok()
    meta = site.html("/briefings/zeta/").find("meta", name="description")
    assert meta.get("content") == "The zeta summary."
    meta = site.html("/briefings/alpha/").find("meta", name="description")
    assert meta.get("content") == "Text."  # its first sentence


def test_check_reports_a_static_file_in_the_place_of_a_page(make_site):
    site = make_site(SAME_DAY, "-- content/static/archive/index.html --\nmine\n")
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert (
        "content/static/archive/index.html:1:1: error: static file clashes with a page of the "
        "site: /archive/index.html"
    ) in result.err


def test_a_static_file_in_the_place_of_a_theme_asset_is_an_error(make_site):
    """The theme's own files are replaced in templates/assets/, as theme.md says; a
    static file of the same name would replace it silently, on no documented rule."""
    site = make_site(SAME_DAY, "-- content/static/assets/style.css --\nbody {}\n")
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/static/assets/style.css:1:1: error: static file clashes with a file of the "
        "theme: /assets/style.css (to replace the theme's, put it in templates/assets/style.css)"
    )


def test_new_refuses_a_region_the_registry_does_not_know(make_site):
    site = make_site("-- content/regions.yaml --\nbelgorod: {name: Belgorod Oblast}\n")
    result = site.run("new", "-s", site.root, "Shelling", "--region", "belgorot")
    assert result.code == 2
    assert result.err.strip() == (
        "briefgen: error: unknown region 'belgorot' (not in content/regions.yaml) "
        "(did you mean 'belgorod'?)"
    )
    assert not (site.root / "content/briefings").exists()


BROKEN_LINK = """
-- content/briefings/a.md --
---
title: A
date: 2023-06-02
regions: [x]
---
See [the raid](../nope/) and [anchor](#missing).
"""


def test_build_warns_of_broken_links_and_strict_refuses_them(make_site):
    site = make_site(BROKEN_LINK)
    result = site.build()
    assert result.code == 0
    assert result.warnings == [
        "content/briefings/a.md:6: warning: broken link '../nope/': no such page or file in "
        "the site",
        "content/briefings/a.md:6: warning: broken link '#missing': page /briefings/a/ has no "
        "anchor '#missing'",
    ]
    assert site.build("--strict").code == 1


def _problems(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


BODY_ON_EVERY_TAG_PAGE = """
-- templates/tag.html --
{% extends "default/tag.html" %}
{% block main %}{{ super() }}
{% for b in paginator.items %}{{ b.html | safe }}{% endfor %}{% endblock %}
"""


def test_a_broken_link_in_a_body_shown_on_several_pages_is_reported_where_it_was_written(
    make_site,
):
    # The body is on its briefing's page, and (through a template of the site's own) on
    # its tag's page. Its broken links are reported at their lines in the Markdown for
    # its own page; on the tag page they are broken too (relative links lead elsewhere
    # from there), and are reported at the template that put them there.
    tagged = BROKEN_LINK.replace("regions: [x]", "regions: [x]\ntags: [t]")
    site = make_site(tagged, BODY_ON_EVERY_TAG_PAGE)
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert _problems(result.err) == [
        "content/briefings/a.md:7:16: error: broken link '../nope/': no such page or file "
        "in the site",
        "content/briefings/a.md:7:39: error: broken link '#missing': page /briefings/a/ has "
        "no anchor '#missing'",
        "templates/tag.html:1:1: error: broken link '#missing': page /tags/t/ has no anchor "
        "'#missing'",
        "templates/tag.html:1:1: error: broken link '../nope/': no such page or file in the site",
    ]


def test_a_broken_link_a_template_of_the_site_writes_is_reported_at_the_template(make_site):
    own = """
    -- templates/archive.html --
    {% extends "default/archive.html" %}
    {% block main %}{{ super() }}<a href="{{ url('regions/nowhere/') }}">Nowhere</a>{% endblock %}
    """
    site = make_site(BROKEN_LINK.replace("[the raid](../nope/)", "the raid"), own)
    result = site.run("check", "-s", site.root)
    assert result.code == 1
    assert _problems(result.err) == [
        "content/briefings/a.md:6:27: error: broken link '#missing': page /briefings/a/ has no "
        "anchor '#missing'",
        "templates/archive.html:2:47: error: broken link '../regions/nowhere/': no such page or "
        "file in the site",  # where the template names it to url()
    ]
