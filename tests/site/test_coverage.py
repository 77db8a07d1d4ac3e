"""Citation coverage (docs/curation.md): every paragraph, list item, table row and block
quote long enough to be a claim cites a source, or is marked as the curator's own
assessment; check reports each briefing's share, and site.yaml can require one."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from briefgen.read import load

SITE = """
-- content/site.yaml --
title: T
base_url: https://example.org/
require_archive: false
{settings}
-- content/sources.yaml --
gov: {{name: Governor (Telegram), reliability: C}}
wire: {{name: Wire agency, reliability: B}}
"""
HINT = "(cite a source, or mark your own analysis as a '::: assessment' block)"
UNCITED = "Residents of the border villages have been leaving for weeks, many by their own means and without any help from officials."  # fmt: skip  # noqa: E501
ATOM = "{http://www.w3.org/2005/Atom}"


def site_files(settings: str = "") -> str:
    return SITE.format(settings=settings)


def briefing(slug: str, body: str) -> str:
    """A briefing whose body starts on line 9 of its file, with the citations g and w
    defined when the body cites them (YAML comments keep the lines when it does not)."""
    g = '  g: {source: gov, url: "https://t.me/gov/1"}' if "@g" in body else "# no g"
    w = '  w: {source: wire, url: "https://wire.example.net/1"}' if "@w" in body else "# no w"
    return (
        f"-- content/briefings/{slug}.md --\n---\ntitle: Villages shelled\ndate: 2023-06-02\n"
        f"regions: [belgorod]\ncitations:\n{g}\n{w}\n---\n{body}"
    )


def cited(n: int) -> str:
    """A paragraph of more than 20 words that cites ``g`` (or ``w`` for odd ``n``)."""
    key = "w" if n % 2 else "g"
    return f"Report {n}: shells hit several villages near the border overnight, damaging houses, a school and a power line, the governor said [@{key}]."  # noqa: E501


# Line 9 is the body's first line.
EVERY_KIND = f"""\
{cited(0)}

{UNCITED}

Too short to be a claim, uncited.

## A heading long enough to be a claim if headings were claims, which they are not at all

- The regional government opened three more temporary accommodation centres in schools
  and student hostels across the region over the past week.
- A cited item about the centres, long enough to need its citation and given one [@w].

| Date | Place | What was reported |
| --- | --- | --- |
|2 June|Shebekino|Shells hit a school, 2 houses, a shop and a car; no one was hurt, the mayor said|
| 3 June | Graivoron | Shelling of the outskirts, a gas pipe damaged [@g] |

> Nobody came to help us, we waited for two days in the basement with the children
> and then drove out ourselves.

Gladkov wrote on Telegram [@g]:

> The situation in the district remains difficult, the shelling has not stopped for a
> single day this week.

    code that is long enough to be a claim if code were a claim, which it is not at all

::: assessment
Neither side's account could be independently verified, and casualty figures beyond
those in the governor's posts are not given here.
:::

The regional governor's figures on damage were repeated by state media without changes
or any further detail in the days that followed.[^1]

[^1]: As carried by the wire agency [@w].
"""


def test_each_uncited_claim_is_a_warning_at_its_first_line(make_site):
    site = make_site(site_files(), briefing("a", EVERY_KIND))
    built = site.ok()
    a = "content/briefings/a.md"
    assert built.warnings == [
        f'{a}:11: warning: paragraph without a citation: "Residents of the border villages…" '
        + HINT,
        f'{a}:17: warning: list item without a citation: "The regional government opened three…" '
        + HINT,
        f'{a}:23: warning: table row without a citation: "2 June Shebekino Shells hit…" ' + HINT,
        f'{a}:26: warning: block quote without a citation: "Nobody came to help us,…" ' + HINT,
    ]


def test_strict_makes_an_uncited_claim_an_error(make_site):
    site = make_site(site_files(), briefing("a", UNCITED + "\n"))
    result = site.build("--strict")
    assert result.code == 1
    assert result.errors == [
        'content/briefings/a.md:9:1: error: paragraph without a citation: "Residents of the '
        f'border villages…" {HINT}'
    ]


def test_every_claim_cited_or_assessed_builds_strict_and_clean(make_site):
    body = f"{cited(1)}\n\n::: assessment\n{UNCITED}\n:::\n\n- {cited(2)}\n"
    site = make_site(site_files(), briefing("a", body))
    assert site.ok("--strict").warnings == []


@pytest.mark.parametrize(
    ("setting", "warned"),
    [("min_claim_words: 5", [9, 11, 13]), ("min_claim_words: 25", []), ("min_claim_words: 0", [])],
)
def test_min_claim_words_decides_how_long_a_claim_is(make_site, setting, warned):
    body = (
        f"{UNCITED}\n\nShort, uncited and five words.\n\nFive words and no citation.\n\n"
        "Only four words here.\n"
    )
    site = make_site(site_files(setting), briefing("a", body))
    lines = [int(line.split(":")[1]) for line in site.ok().warnings]
    assert lines == warned


def test_an_assessment_block_is_published_as_a_labelled_figure(make_site):
    body = (
        f"{cited(0)}\n\n::: assessment\nThe account could not be *verified*.\n\nA second "
        "paragraph of ours.\n:::\n\n::: assessment Оценка редакции\nНаша оценка.\n:::\n"
    )
    site = make_site(site_files(), briefing("a", body))
    site.ok("--strict")
    body_html = site.html("/briefings/a/").main.find("div", cls="body")
    ours, russian = body_html.find_all("figure", cls="assessment")
    assert ours.find("figcaption").text == "Assessment"
    assert [p.text for p in ours.find_all("p")] == [
        "The account could not be verified.",
        "A second paragraph of ours.",
    ]
    assert ours.find("em").text == "verified"
    assert russian.find("figcaption").text == "Оценка редакции"
    # Feed readers show no site CSS: the label is in the entry's HTML itself.
    entry = ET.parse(site.file("/feed.xml")).getroot().find(f"{ATOM}entry")
    assert entry is not None
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.text is not None
    assert '<figure class="assessment">\n<figcaption>Assessment</figcaption>' in content.text


def check_output(site, *args: str) -> tuple[int, list[str]]:
    result = site.run("check", "-s", site.root, *args)
    return result.code, result.out.splitlines()


def test_check_prints_the_sites_coverage_and_the_least_cited_briefings(make_site):
    site = make_site(
        site_files(),
        briefing("full", f"{cited(0)}\n\n{cited(1)}\n"),
        briefing("half", f"{cited(0)}\n\n{UNCITED}\n"),
        briefing("third", f"{cited(0)}\n\n{UNCITED}\n\n- {UNCITED}\n"),
        briefing("none", "Nothing here is long enough to be a claim.\n"),
    )
    code, out = check_output(site)
    assert code == 0
    assert out[:3] == [
        "Citation coverage: 57% (4 of 7 claims in 3 briefings cite a source)",
        "  33% (1 of 3)     content/briefings/third.md",
        "  50% (1 of 2)     content/briefings/half.md",
    ]
    assert out[3].startswith("Checked ") and out[3].endswith(": 3 warning(s), no errors")


def test_check_names_ten_briefings_at_most(make_site):
    thin = [briefing(f"b{n:02d}", f"{cited(0)}\n\n{UNCITED}\n") for n in range(12)]
    site = make_site(site_files(), *thin)
    code, out = check_output(site)
    assert code == 0
    assert out[0] == "Citation coverage: 50% (12 of 24 claims in 12 briefings cite a source)"
    assert out[1:11] == [f"  50% (1 of 2)     content/briefings/b{n:02d}.md" for n in range(10)]
    assert out[11] == "  … and 2 more briefings below 100%"


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        (1, "; 1 briefing that could not be read is not counted"),
        (2, "; 2 briefings that could not be read are not counted"),
    ],
)
def test_coverage_says_how_many_briefings_it_could_not_count(make_site, broken, said):
    """A check with errors still reports the coverage of what it read, and says what it
    left out: a file whose front matter does not parse has no claims to count. A page
    that does not parse is no briefing, and a draft is no error."""
    broken_front = "---\ntitle: [unclosed\n---\nText.\n"
    site = make_site(
        site_files(),
        briefing("good", f"{cited(0)}\n\n{UNCITED}\n"),
        f"-- content/briefings/draft.md --\n---\ntitle: A draft\ndraft: true\n---\n{UNCITED}\n",
        f"-- content/pages/about.md --\n{broken_front}",
        *(f"-- content/briefings/bad{n}.md --\n{broken_front}" for n in range(broken)),
    )
    code, out = check_output(site)
    assert code == 1
    assert f"Citation coverage: 50% (1 of 2 claims in 1 briefing cites a source{said})" in out


def test_check_of_a_site_without_claims_prints_no_coverage(make_site):
    site = make_site(site_files("min_claim_words: 0"), briefing("a", f"{UNCITED}\n"))
    code, out = check_output(site)
    assert code == 0
    assert len(out) == 1 and out[0].startswith("Checked ") and out[0].endswith("no problems")


def test_coverage_makes_a_briefing_below_it_a_warning_and_strict_an_error(make_site):
    site = make_site(
        site_files("coverage: 0.6"),
        briefing("thin", f"{cited(0)}\n\n{UNCITED}\n\n{UNCITED}\n"),
        briefing("even", f"{cited(0)}\n\n{cited(1)}\n\n{cited(2)}\n\n{UNCITED}\n\n{UNCITED}\n"),
    )
    thin = "content/briefings/thin.md"
    below = (
        "33% of its claims cite a source (1 of 3), less than the 60% that 'coverage' in "
        "content/site.yaml asks for (cite the claims reported, or mark your own analysis as "
        "'::: assessment')"
    )
    built = site.ok()
    # 3 of 5 is 60%, not below: the site tolerates the rest, and says nothing of "even".
    assert [w.split(": warning: ")[0] for w in built.warnings] == [
        f"{thin}:1",
        f"{thin}:11",
        f"{thin}:13",
    ]
    assert built.warnings[0] == f"{thin}:1: warning: {below}"
    strict = site.build("--strict")
    assert strict.code == 1
    assert f"{thin}:1:1: error: {below}" in strict.errors
    code, out = check_output(site, "--strict")
    assert code == 1
    assert out[0] == "Citation coverage: 50% (4 of 8 claims in 2 briefings cite a source)"


@pytest.mark.parametrize("share", ["0.5", "0"])
def test_a_briefing_that_meets_the_coverage_builds_strict_with_claims_uncited(make_site, share):
    site = make_site(site_files(f"coverage: {share}"), briefing("a", f"{cited(0)}\n\n{UNCITED}\n"))
    assert site.ok("--strict").warnings == []
    code, out = check_output(site, "--strict")
    assert code == 0
    assert out[:2] == [
        "Citation coverage: 50% (1 of 2 claims in 1 briefing cites a source)",
        "  50% (1 of 2)     content/briefings/a.md",
    ]


def test_settings_decide_the_warnings_of_a_cached_parse(make_site, monkeypatch):
    """Claims are parsed and cached with the body; which need a citation is decided on
    every build, from the settings of that build."""
    site = make_site(site_files(), briefing("a", EVERY_KIND))
    first = site.ok()
    assert len(first.warnings) == 4

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again instead of read from the cache")

    monkeypatch.setattr(load, "parse_file", no_parsing)
    again = site.ok()
    assert again.warnings == first.warnings
    site.write(site_files("min_claim_words: 5"))
    fewer = site.ok()
    assert [w.split(":")[1] for w in fewer.warnings] == ["11", "13", "17", "23", "26"]
