"""An edit re-renders the pages that showed what changed, judged by the briefings each
page read as it rendered, and the output is byte for byte the plain build's."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import BuildOptions, BuildResult, build

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import generate, write_site  # noqa: E402
from test_same_bytes import hashes  # noqa: E402


def incremental(site: Path, out: Path) -> BuildResult:
    result = build(site, BuildOptions(out=out, strict=True, jobs=2))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def plain(site: Path, out: Path) -> dict[str, str]:
    shutil.rmtree(out, ignore_errors=True)
    result = build(site, BuildOptions(out=out, strict=True, jobs=1, cache=False))
    assert result.ok
    return hashes(out)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_front_matter_edits_re_render_what_shows_them_and_write_the_plain_bytes(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    write_site(generate(40, seed=5, sources=20), site)
    out = tmp_path / "out"
    first = incremental(site, out)
    assert first.rendered == first.pages
    target = sorted((site / "content/briefings").rglob("*.md"))[20]
    text = target.read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', text, re.M)
    cited = re.search(r'^    title: "(.*)"$', text, re.M)
    date = re.search(r"^date: .*$", text, re.M)
    regions = re.search(r"^regions: .*$", text, re.M)
    tags = re.search(r"^tags: .*$", text, re.M)
    assert title and cited and date and regions and tags
    edits = [  # what, the text and its replacement, how many pages may render
        ("title", title[0], f'title: "{title[1]}, edited"', 40),
        ("citation", cited[0], f'    title: "{cited[1]}, edited"', 40),
        ("body", "\n\n", "\n\nA sentence added.\n\n", 40),
        # moved in every list that holds it: those lists' pages, not the whole site
        ("date", date[0], "date: 2019-01-01", first.pages // 5),
        ("regions", regions[0], "regions: [belarus]", first.pages // 5),
        ("tags", tags[0], "tags: [a-new-tag]", first.pages // 5),
    ]
    for what, old, new, at_most in edits:
        edit(target, old, new)
        result = incremental(site, out)
        assert hashes(out) == plain(site, tmp_path / f"plain-{what}"), what
        assert 0 < result.rendered <= at_most, (what, result.rendered)


def test_a_new_briefing_re_renders_the_lists_it_joins_and_writes_the_plain_bytes(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    write_site(generate(40, seed=7, sources=20), site)
    out = tmp_path / "out"
    first = incremental(site, out)
    model = sorted((site / "content/briefings").rglob("*.md"))[10].read_text(encoding="utf-8")
    date = re.search(r"^date: .*$", model, re.M)
    assert date
    added = [  # the newest, then one in the middle of the lists it joins
        (site / "content/briefings/2025/01/newest.md", "date: 2025-01-05"),
        (site / "content/briefings/2023/01/middle.md", "date: 2023-01-15"),
    ]
    for path, new_date in added:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(model.replace(date[0], new_date), encoding="utf-8")
        result = incremental(site, out)
        assert hashes(out) == plain(site, tmp_path / f"plain-{path.stem}")
        assert 0 < result.rendered <= first.pages // 3, (path.stem, result.rendered)
    added[0][0].unlink()
    result = incremental(site, out)
    assert hashes(out) == plain(site, tmp_path / "plain-removed")
    assert 0 < result.rendered <= first.pages // 3


SITE = {
    "content/site.yaml": "title: Reads\nbase_url: https://example.org/\nsearch: false\n",
    "content/regions.yaml": "belgorod:\n  name: Belgorod\nkursk:\n  name: Kursk\n",
    "content/sources.yaml": "gov:\n  name: Governor\n  url: https://gov.example.org/\n",
}


def briefing(number: int, title: str, body: str = "Text.") -> str:
    return (
        f"---\ntitle: {title}\ndate: 2024-01-{number:02d}\nregions: [belgorod]\n"
        f"summary: Summary {number}.\ncitations:\n  c:\n    source: gov\n"
        f"    url: https://gov.example.org/{number}\n"
        f"    archive: https://web.archive.org/web/2024/https://gov.example.org/{number}\n"
        f"---\n{body} [@c]\n"
    )


def small_site(root: Path, templates: dict[str, str] | None = None) -> Path:
    for rel, text in {**SITE, **(templates or {})}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "content/briefings").mkdir(parents=True)
    for number in range(1, 6):
        body = "See [the first](b01.md)." if number == 5 else "Text."
        path = root / f"content/briefings/b{number:02d}.md"
        path.write_text(briefing(number, f"Briefing {number}", body), encoding="utf-8")
    return root


def site_showing(root: Path, markup: str) -> Path:
    """:func:`small_site` with a theme whose every page shows ``markup`` in its footer."""
    base = (ROOT / "templates/base.html").read_text(encoding="utf-8")
    footer = '<p class="print-only">'
    assert footer in base
    return small_site(root, {"templates/base.html": base.replace(footer, markup + footer)})


def test_a_page_depends_on_the_briefings_a_custom_template_reads_through_the_site(
    tmp_path: Path,
) -> None:
    # Every page names the two newest briefings: one by its title, one through a
    # function that reads it in Python.
    latest = (
        '<p class="latest">{% for b in site.listed[:1] %}<b>{{ b.title }}</b>{% endfor %}'
        "{% for b in site.listed[1:2] %}<b>{{ news_article(b, site).description }}</b>"
        "{% endfor %}</p>\n    "
    )
    site = site_showing(tmp_path / "site", latest)
    out = tmp_path / "out"
    incremental(site, out)
    edit(site / "content/briefings/b05.md", "title: Briefing 5", "title: Briefing five")
    incremental(site, out)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    assert all("<b>Briefing five</b>" in page.read_text(encoding="utf-8") for page in pages)
    assert hashes(out) == plain(site, tmp_path / "plain-title")
    edit(site / "content/briefings/b04.md", "Summary 4.", "Summary four.")
    incremental(site, out)
    assert all("<b>Summary four.</b>" in page.read_text(encoding="utf-8") for page in pages)
    assert hashes(out) == plain(site, tmp_path / "plain-summary")
    edit(site / "content/briefings/b02.md", "Summary 2.", "Summary two.")
    result = incremental(site, out)
    assert result.rendered < result.pages  # shown where it is listed, not in the footer
    assert hashes(out) == plain(site, tmp_path / "plain-other")


def test_a_new_slug_reaches_the_bodies_that_link_to_the_briefing(tmp_path: Path) -> None:
    site = small_site(tmp_path / "site")
    out = tmp_path / "out"
    incremental(site, out)
    assert 'href="../../briefings/b01/"' in (out / "briefings/b05/index.html").read_text()
    edit(site / "content/briefings/b01.md", "title: Briefing 1", "title: Briefing 1\nslug: first")
    incremental(site, out)
    assert 'href="../../briefings/first/"' in (out / "briefings/b05/index.html").read_text()
    assert hashes(out) == plain(site, tmp_path / "plain")


def page_keys(site: Path) -> dict[str, Any]:
    """The page keys record the last build left."""
    (record,) = (site / ".briefgen-cache").glob("pages-*.json")
    data: dict[str, Any] = json.loads(record.read_text(encoding="utf-8"))
    return data


def rewrite_page_keys(site: Path, data: dict[str, Any]) -> None:
    """Replace the page keys record with ``data``, touch a briefing so that the next
    build is not a replay of the last one, and remove the patch record so that it is
    a build in full, which reads the page keys."""
    (record,) = (site / ".briefgen-cache").glob("pages-*.json")
    record.write_text(json.dumps(data), encoding="utf-8")
    for patch_record in (site / ".briefgen-cache").glob("patch-*.json"):
        patch_record.unlink()
    touched = site / "content/briefings/b01.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))


def test_a_page_keys_record_with_reads_that_name_no_briefing_renders_the_pages_again(
    tmp_path: Path,
) -> None:
    site = small_site(tmp_path / "site")
    out = tmp_path / "out"
    incremental(site, out)
    data = page_keys(site)
    pages = sorted(rel for rel, entry in data["pages"].items() if entry[4])
    bad_texts = [str(len(data["briefings"])), "-1", [0], "0.5", "\u0660"]  # the last an Arabic 0
    for rel, bad in zip(pages, bad_texts, strict=False):
        data["pages"][rel][4] = bad
    rewrite_page_keys(site, data)
    result = incremental(site, out)
    assert result.rendered == 5
    assert hashes(out) == plain(site, tmp_path / "plain")
    data["briefings"][0] = 7  # a table that holds something else than paths is worth nothing
    rewrite_page_keys(site, data)
    assert incremental(site, out).rendered == result.pages


def test_a_page_depends_on_the_parts_of_the_site_a_custom_template_reads(
    tmp_path: Path,
) -> None:
    # Every page counts the briefings about Kursk (one key of a mapping), and the
    # listed briefings through a macro whose output is kept and shown on every page.
    counts = (
        "{% macro listed(what) %}{{ site.listed | length }}{% endmacro %}"
        '<p class="counts"><b>{{ site.by_region.get("kursk", ()) | length }} on Kursk</b>'
        '<b>{{ once("listed", listed, "all") }} listed</b></p>\n    '
    )
    site = site_showing(tmp_path / "site", counts)
    out = tmp_path / "out"
    first = incremental(site, out)
    pages = sorted(out.rglob("*.html"))
    assert all("<b>5 listed</b>" in page.read_text(encoding="utf-8") for page in pages)

    newest = site / "content/briefings/b06.md"
    newest.write_text(briefing(6, "Sixth", "Text."), encoding="utf-8")
    incremental(site, out)
    pages = sorted(out.rglob("*.html"))
    assert all("<b>0 on Kursk</b><b>6 listed</b>" in page.read_text() for page in pages)
    assert hashes(out) == plain(site, tmp_path / "plain-added")

    edit(newest, "regions: [belgorod]", "regions: [kursk]")
    incremental(site, out)
    assert all("<b>1 on Kursk</b><b>6 listed</b>" in page.read_text() for page in pages)
    assert hashes(out) == plain(site, tmp_path / "plain-kursk")

    edit(newest, "Text.", "Text, edited.")
    result = incremental(site, out)
    assert result.rendered < first.pages // 2  # the lists hold the same briefings
    assert hashes(out) == plain(site, tmp_path / "plain-edited")


def test_a_page_keys_record_naming_no_part_of_the_site_renders_the_pages_again(
    tmp_path: Path,
) -> None:
    site = small_site(tmp_path / "site")
    out = tmp_path / "out"
    incremental(site, out)
    data = page_keys(site)
    assert "config" in data["site"] and "sources\x1fgov" in data["site"]
    for bad in ["__class__", "nonsense", "listed\x1fx", 7]:
        data["site"][0] = bad
        rewrite_page_keys(site, data)
        result = incremental(site, out)
        assert result.rendered == result.pages, bad
        assert hashes(out) == plain(site, tmp_path / "plain")
        data = page_keys(site)


def test_a_page_keys_record_with_digests_of_another_kind_renders_every_page_again(
    tmp_path: Path,
) -> None:
    site = small_site(tmp_path / "site")
    out = tmp_path / "out"
    incremental(site, out)
    good = page_keys(site)
    assert len(good["digests"]) == len(good["briefings"]) and len(good["shapes"]) == len(
        good["site"]
    )
    for table, bad in [
        ("digests", good["digests"][1:]),
        ("digests", [["a", 1], *good["digests"][1:]]),
        ("digests", ["ab", *good["digests"][1:]]),
        ("shapes", good["shapes"][1:]),
        ("shapes", [None, *good["shapes"][1:]]),
        ("linked", None),
        ("linked", [7, *good["linked"]]),
    ]:
        rewrite_page_keys(site, {**good, table: bad})
        result = incremental(site, out)
        assert result.rendered == result.pages, (table, bad)
        assert hashes(out) == plain(site, tmp_path / "plain")
        good = page_keys(site)


def test_the_record_forgets_the_briefings_gone_and_still_leaves_pages_as_they_are(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr("briefgen.render.keys._STALE_PATHS", 0)
    site = tmp_path / "site"
    write_site(generate(60, seed=3, sources=20), site)
    out = tmp_path / "out"
    incremental(site, out)
    files = sorted((site / "content/briefings").rglob("*.md"))
    for path in files[:50]:
        path.unlink()
    incremental(site, out)
    kept = {str(path.relative_to(site)) for path in files[50:]}
    assert set(page_keys(site)["briefings"]) <= kept  # the tables started afresh
    edit(files[55], "\n\n", "\n\nA sentence added.\n\n")
    result = incremental(site, out)
    assert result.rendered < result.pages // 2  # the entries moved to the new tables hold
    assert hashes(out) == plain(site, tmp_path / "plain")


def test_a_page_that_shows_a_briefings_body_follows_its_text_and_its_links(
    tmp_path: Path,
) -> None:
    # Pages show the body of the one briefing about Kursk, which links to the first
    # briefing: its text changes with an edit of its own, its link with the first one's
    # slug (which no list the pages read shows).
    shown = "b.html | replace(' id=', ' data-id=') | replace('href=\"#', 'data-href=\"') | safe"
    newest = (  # on the pages as deep as a briefing's, where its relative links hold
        '{% if page_path.count("/") == 2 %}<div class="newest">'
        f"{{% for b in site.by_region['kursk'] %}}{{{{ {shown} }}}}{{% endfor %}}"
        "</div>{% endif %}"
    )
    site = site_showing(tmp_path / "site", newest)
    edit(site / "content/briefings/b05.md", "regions: [belgorod]", "regions: [kursk]")
    out = tmp_path / "out"
    incremental(site, out)
    region = out / "regions/belgorod/index.html"
    assert "See <a" in region.read_text(encoding="utf-8")

    edit(site / "content/briefings/b05.md", "See [the first]", "Saw [the first]")  # same places
    incremental(site, out)
    assert "Saw <a" in region.read_text(encoding="utf-8")
    assert hashes(out) == plain(site, tmp_path / "plain-text")

    edit(site / "content/briefings/b01.md", "title: Briefing 1", "title: Briefing 1\nslug: first")
    incremental(site, out)
    assert 'href="../../briefings/first/"' in region.read_text(encoding="utf-8")
    assert hashes(out) == plain(site, tmp_path / "plain-slug")


def test_a_page_that_reads_what_the_site_does_not_have_depends_on_all_of_it(
    tmp_path: Path,
) -> None:
    # A template written for another version asks for something the site lacks: what
    # that would have been is unknown, so the page is made again whenever the site's
    # shape changes (which briefings it holds, under which slugs, in what order).
    unknown = '{% if site.breaking is defined %}<p class="breaking"></p>{% endif %}'
    site = site_showing(tmp_path / "site", unknown)
    out = tmp_path / "out"
    incremental(site, out)
    edit(site / "content/briefings/b02.md", "title: Briefing 2", "title: Briefing 2\nslug: second")
    result = incremental(site, out)
    made_from_base = list(out.rglob("*.html"))  # feeds and the sitemap are made otherwise
    assert result.rendered >= len(made_from_base) > 10
    assert hashes(out) == plain(site, tmp_path / "plain")


def test_a_new_link_to_an_anchor_of_a_page_left_as_it_was_is_checked(tmp_path: Path) -> None:
    """The page linked to is not rendered again, so its anchors are read from the output:
    a rebuild reports the broken link as a build from nothing does."""
    site = tmp_path / "site"
    write_site(generate(12, seed=5, sources=12), site)
    out = tmp_path / "out"
    build(site, BuildOptions(out=out, jobs=1))
    first = sorted((site / "content/briefings").rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nSee [the log](/archive/#nowhere).\n")
    again = build(site, BuildOptions(out=out, jobs=1))
    clean = build(site, BuildOptions(out=tmp_path / "clean", cache=False, jobs=1))
    warned = [d.format() for d in again.diagnostics]
    assert warned == [d.format() for d in clean.diagnostics]
    assert any("has no anchor '#nowhere'" in line for line in warned)


USES = {  # ways a template shows how often the newest briefing cites its citation
    "an attribute": "{% for c in site.listed[0].cited %}{{ c.uses }}{% endfor %}",
    "a filter": "{{ site.listed[0].cited | map(attribute='uses') | sum }}",
    "a macro kept by once": (
        "{% macro used(c) %}{{ c.uses }}{% endmacro %}"
        "{% for c in site.listed[0].cited %}{{ once('used', used, c) }}{% endfor %}"
    ),
}


@pytest.mark.parametrize("way", USES, ids=list(USES))
def test_a_page_that_shows_how_often_a_citation_is_cited_follows_the_text(
    tmp_path: Path, way: str
) -> None:
    # The count is made from the body, not the front matter: a page that reads it reads
    # the whole briefing, and an edit that cites once more renders it again.
    site = site_showing(tmp_path / "site", f'<span class="uses">{USES[way]}</span>')
    out = tmp_path / "out"
    incremental(site, out)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    assert all('"uses">1<' in page.read_text(encoding="utf-8") for page in pages)
    edit(site / "content/briefings/b05.md", "[@c]", "[@c]\n\nCited again [@c].")
    incremental(site, out)
    assert all('"uses">2<' in page.read_text(encoding="utf-8") for page in pages)
    assert hashes(out) == plain(site, tmp_path / "plain")
