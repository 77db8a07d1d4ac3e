"""A corpus of broken sites: each case names its fault and the exact diagnostic line.

Every case is built with the real command line in a temporary site; the build must
exit 1 (or 0 for warnings), print exactly the expected lines, and never a traceback.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from briefgen.cli import main

SITE = {
    # Archive copies are checked by the cases about them, not by every other one.
    "content/site.yaml": "title: Test\nbase_url: https://example.org/\nrequire_archive: false\n",
    "content/regions.yaml": (
        "russia: {name: Russia}\n"
        "belgorod: {name: Belgorod Oblast, parent: russia}\n"
        "shebekino: {name: Shebekino, parent: belgorod}\n"
    ),
    "content/sources.yaml": (
        "gladkov:\n  name: Vyacheslav Gladkov\n  kind: official\n  reliability: C\n"
        "dw:\n  name: Deutsche Welle\n  url: https://www.dw.com\n"
    ),
}
A = "content/briefings/a.md"


def no_host(url: str) -> str:
    """The error of a citation's web address whose host no browser can reach."""
    return (
        f"{A}:8:10: error: 'url' names no host a browser can reach: '{url}' (write the host "
        "as in the address bar, with no space, control, '%', '<', '>', '^' or '|' in it)"
    )


UNCITED = (
    "Thousands of residents left the border villages over the weekend, many of them by their "
    "own means and without any help from the regional authorities."
)
OPENING = '"Thousands of residents left the…"'
CITE = "(cite a source, or mark your own analysis as a '::: assessment' block)"


def briefing(front: str = "", body: str = "Shelling reported [@g].\n", **fields: str) -> str:
    """A valid briefing, with fields replaced or added and ``front`` appended."""
    values = {
        "title": "Villages shelled",
        "date": "2023-06-02",
        "regions": "[shebekino]",
        "citations": "\n  g:\n    source: gladkov\n    url: https://t.me/vvgladkov/1",
    }
    values.update(fields)
    lines = "".join(f"{k}: {v}\n" for k, v in values.items() if v != "DROP")
    return f"---\n{lines}{front}---\n{body}"


def fix(date: str, kind: str, text: str = "Fixed the district's name.") -> str:
    """One entry of ``corrections:``, three lines long."""
    return f"  - date: {date}\n    kind: {kind}\n    text: {text}\n"


def corrections(*entries: str) -> str:
    """A ``corrections:`` list of ``entries`` (made by :func:`fix`) for the front matter."""
    return "corrections:\n" + "".join(entries)


# Line numbers below count from 1: '---' is line 1, title line 2, date 3, regions 4,
# citations 5, its key g 6, source 7, url 8, closing '---' 9, body 10.
STRAY_HINT = (
    "a citation is '[@key]', closed, with no '[' or '(' right after it; write '\\[@' to "
    "show the bracket"
)

CASES: dict[str, tuple[dict[str, str | bytes | None], list[str]]] = {
    "empty file": (
        {A: ""},
        [f"{A}:1:1: error: file is empty (start it with a '---' front matter block)"],
    ),
    "no front matter": (
        {A: "Just text [@g].\n"},
        [
            f"{A}:1:1: error: missing front matter (start the file with a line '---', "
            "the YAML fields, and another '---')"
        ],
    ),
    "front matter not closed": (
        {A: "---\ntitle: x\ndate: 2023-06-02\n"},
        [f"{A}:1:1: error: front matter is not closed (add a line '---' after it)"],
    ),
    "front matter not a mapping": (
        {A: "---\n- a\n- b\n---\nBody\n"},
        [f"{A}:2:1: error: front matter must be a mapping of fields, like 'title: ...'"],
    ),
    "yaml syntax error on its file line": (
        {A: briefing(title="Shelling: Belgorod: update")},
        [
            f"{A}:2:16: error: invalid YAML: mapping values are not allowed in this context "
            "(quote the value)"
        ],
    ),
    "yaml field indented further than the one before": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n      url: https://t.me/vvgladkov/1")},
        [
            f"{A}:8:10: error: invalid YAML: mapping values are not allowed in this context "
            "(indent it as the field above: a line indented further is more of its value)"
        ],
    ),
    "yaml field at the top indented": (
        {A: briefing(front=" tags: [a]\n")},
        [
            f"{A}:9:2: error: invalid YAML: did not find expected key (indent it as the "
            "field above, or as the key it belongs to)"
        ],
    ),
    "yaml field indented less than the one before": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n   url: https://t.me/vvgladkov/1")},
        [
            f"{A}:8:4: error: invalid YAML: did not find expected key (indent it as the "
            "field above, or as the key it belongs to)"
        ],
    ),
    "yaml colon on a summary's next line": (
        {A: briefing(summary="Officials said\n  and warned: more may follow")},
        [
            f"{A}:10:13: error: invalid YAML: mapping values are not allowed in this context "
            "(quote the value)"
        ],
    ),
    "yaml colon in the value of a list item's field": (
        {A: briefing(front="corrections:\n  - date: 2023-06-03\n    text: Fixed: it is 100 km\n")},
        [
            f"{A}:11:16: error: invalid YAML: mapping values are not allowed in this context "
            "(quote the value)"
        ],
    ),
    "yaml text after a list": (
        {A: briefing(regions="[shebekino] x")},
        [f"{A}:4:22: error: invalid YAML: did not find expected key"],
    ),
    "yaml unclosed list": (
        {A: briefing(front="tags: [a, b\n")},
        [
            f"{A}:9:7: error: invalid YAML: did not find expected ',' or ']' (at line 10, "
            "column 1), while parsing a flow sequence that starts here (close the list with ']')"
        ],
    ),
    "yaml unclosed quotes": (
        {A: briefing(title='"Villages shelled')},
        [
            f"{A}:2:8: error: invalid YAML: the quotes opened here are not closed on their "
            "line (close the quotes)"
        ],
    ),
    "yaml quotes closed lines later": (
        {A: briefing(title='"Villages shelled', front='summary: "Strikes."\n')},
        [
            f"{A}:2:8: error: invalid YAML: the quotes opened here are not closed on their "
            "line (close the quotes)"
        ],
    ),
    "yaml quotes left open on the last line": (
        {A: briefing(front="summary: 'Strikes on the town\n")},
        [
            f"{A}:9:10: error: invalid YAML: the quotes opened here are not closed on their "
            "line (close the quotes)"
        ],
    ),
    "yaml quotes closed before the value ends, in a nested mapping": (
        {A: briefing(citations='\n  g:\n    source: gladkov\n    quote: "He said "no" to us"')},
        [
            f"{A}:8:12: error: invalid YAML: the quotes opened here close before the value "
            'ends (write a quote inside as \\", or quote the value with the other kind of '
            "quotes)"
        ],
    ),
    "yaml single quotes closed early, and quoted values that are fine": (
        {
            A: briefing(
                title="'Villages shelled' # as the governor put it",
                front="summary: 'It''s here'\nupdated: '2023-06-03'\ntags: ['it's']\n",
            )
        },
        [
            f"{A}:11:12: error: invalid YAML: did not find expected ',' or ']'",
        ],
    ),
    "yaml list closed twice": (
        {A: briefing(front="tags: [a, b]]\n")},
        [
            f"{A}:9:13: error: invalid YAML: did not find expected key (remove the ']' that "
            "closes nothing)"
        ],
    ),
    "a registry of two documents": (
        {"content/regions.yaml": "shebekino: {name: S}\n---\nx: {name: X}\n", A: briefing()},
        [
            "content/regions.yaml:2:1: error: invalid YAML: a second document begins here, "
            "and a file holds one (remove the '---' line, or what follows it)"
        ],
    ),
    "yaml field with no space after its colon": (
        {A: briefing(title="Villages:shelled", front="tags:drones\nsummary: x\n")},
        [
            f"{A}:9:5: error: invalid YAML: no space after ':', so the field and its value "
            "are one text (put a space after ':')"
        ],
    ),
    "control character in front matter": (
        {A: briefing(title="Bell\x07 rings")},
        [f"{A}:2:12: error: the character U+0007 is not allowed in YAML (remove it)"],
    ),
    "line separator in front matter": (
        {A: briefing(title='"Shelling\u2028in Belgorod"', regions="[shebekno]")},
        [
            f"{A}:2:17: error: the character U+2028 is not allowed in YAML, which reads it as "
            "a line break (remove it)"
        ],
    ),
    "next line character in a registry": (
        {A: briefing(), "content/regions.yaml": "russia: {name: 'A\x85B'}\n"},
        [
            "content/regions.yaml:1:18: error: the character U+0085 is not allowed in YAML, "
            "which reads it as a line break (remove it)"
        ],
    ),
    "source written as its name alone": (
        {A: briefing(), "content/sources.yaml": "gladkov: Vyacheslav Gladkov\n"},
        ["content/sources.yaml:1:1: error: source 'gladkov' must be a mapping like {name: ...}"],
    ),
    "citation keys read as true/false and as a number": (
        {
            A: briefing(
                citations="\n  g:\n    source: gladkov\n  true:\n    source: gladkov"
                "\n  12:\n    source: dw"
            )
        },
        [
            f"{A}:8:3: error: a citation key must be text, not true/false (quote the key)",
            f"{A}:10:3: error: a citation key must be text, not a number (quote the key)",
        ],
    ),
    "citation keys 1, 1.0 and yes, cited as written": (
        {
            A: briefing(
                citations="\n  g:\n    source: gladkov\n  1:\n    source: gladkov"
                "\n  1.0:\n    source: dw\n  yes:\n    source: dw",
                body="Shelling [@g] [@1].\n",
            )
        },
        [
            f"{A}:8:3: error: a citation key must be text, not a number (quote the key)",
            f"{A}:10:3: error: key '1.0' is read as the same value as a key on line 8, not as "
            "text (quote the keys)",
            f"{A}:12:3: error: key 'yes' is read as the same value as a key on line 8, not as "
            "text (quote the keys)",
        ],
    ),
    "missing anchors of a file's link and of a longer link beside it": (
        {
            A: briefing(body="Shelling [@g].\n\n## Intro\n"),
            "content/briefings/b.md": briefing(
                body="Shelling [@g].\n\nSee [a](a.md#nope) here.\n\nAnd [b](/briefings/a/#nope2).\n"
            ),
        },
        [
            "content/briefings/b.md:12: warning: broken link 'a.md#nope': page /briefings/a/ "
            "has no anchor '#nope'",
            "content/briefings/b.md:14: warning: broken link '/briefings/a/#nope2': page "
            "/briefings/a/ has no anchor '#nope2'",
        ],
    ),
    "slug that climbs": (
        {A: briefing(front="slug: ..\n")},
        [
            f"{A}:9:7: error: slug '..' is dots alone, which name no file ('.' is this folder, "
            "'..' the one above)"
        ],
    ),
    "control character in a registry": (
        {A: briefing(), "content/sources.yaml": "gladkov:\n  name: Vyacheslav\x1b\n"},
        [
            "content/sources.yaml:2:19: error: the character U+001B is not allowed in YAML "
            "(remove it)"
        ],
    ),
    "offset out of range": (
        {A: briefing(date="2023-06-02T10:00:00+25:00")},
        [
            f"{A}:3:7: error: 'date' is not a real date and time: 2023-06-02T10:00:00+25:00 "
            "(the UTC offset +25:00 is out of range, -23:59 to +23:59)"
        ],
    ),
    "registry that lists nothing yet": (
        {A: briefing(), "content/regions.yaml": "# regions go here\n"},
        [
            f"{A}:4:11: error: unknown region 'shebekino' (not in content/regions.yaml) "
            "(add it there)"
        ],
    ),
    "yaml tab indentation": (
        {A: briefing(front="tags:\n\t- a\n")},
        [
            f"{A}:10:1: error: invalid YAML: found character that cannot start any token "
            "(indent with spaces, not tabs)"
        ],
    ),
    "a value that begins with '@' or '`'": (
        {A: briefing(front="summary: @vvgladkov says\n")},
        [
            f"{A}:9:10: error: invalid YAML: found character that cannot start any token "
            "(quote the value: one that begins with '@' must be quoted)"
        ],
    ),
    "lists written without brackets": (
        {A: briefing(regions="shebekino, belgorod", front="tags: drones, evacuation\n")},
        [
            f"{A}:4: warning: 'regions' is the one text 'shebekino, belgorod', not a list (for a "
            "list, write [shebekino, belgorod])",
            f"{A}:4:10: error: region key 'shebekino, belgorod' may only hold letters, digits, "
            "'-', '_' and '.'",
            f"{A}:9: warning: 'tags' is the one text 'drones, evacuation', not a list (for a "
            "list, write [drones, evacuation])",
        ],
    ),
    "fields named null and true": (
        {A: briefing(front="null: x\ntrue: y\n")},
        [
            f"{A}:9: warning: unknown field 'null' in a briefing (known fields: title, date, "
            "summary, regions, tags, slug, draft, updated, citations, aliases, corrections, "
            "publish_at)",
            f"{A}:10: warning: unknown field 'true' in a briefing (known fields: title, date, "
            "summary, regions, tags, slug, draft, updated, citations, aliases, corrections, "
            "publish_at)",
        ],
    ),
    "duplicate key": (
        {A: briefing(front="title: Again\n")},
        [f"{A}:9:1: error: duplicate key 'title' (first defined on line 2) (remove one of them)"],
    ),
    "duplicate citation key": (
        {A: briefing(front="", citations="\n  g:\n    source: gladkov\n  g:\n    source: dw")},
        [f"{A}:8:3: error: duplicate key 'g' (first defined on line 6) (remove one of them)"],
    ),
    "missing title": (
        {A: briefing(title="DROP")},
        [f"{A}:2:1: error: missing required field 'title' (add 'title: …')"],
    ),
    "missing date": (
        {A: briefing(date="DROP")},
        [f"{A}:2:1: error: missing required field 'date' (add 'date: YYYY-MM-DD')"],
    ),
    "title read as a number": (
        {A: briefing(title="1945")},
        [f"{A}:2:8: error: 'title' must be text, not a number (quote the value)"],
    ),
    "title read as a boolean": (
        {A: briefing(title="NO")},
        [f"{A}:2:8: error: 'title' must be text, not true/false (quote the value)"],
    ),
    "impossible date": (
        {A: briefing(date="2023-02-30")},
        [f"{A}:3:7: error: 'date' is not a real date: 2023-02-30 (day is out of range for month)"],
    ),
    "date in digits of another script": (
        {A: briefing(date="２０２３-06-02")},
        [
            f"{A}:3:7: error: 'date' must be a date, not '２０２３-06-02' (use YYYY-MM-DD or "
            "YYYY-MM-DDTHH:MM:SS+03:00)"
        ],
    ),
    "time without offset": (
        {A: briefing(date="2023-06-02T11:15:00")},
        [
            f"{A}:3: warning: 'date' has no UTC offset, so it is read as UTC "
            "(add the offset, like 2023-06-02T09:30:00+03:00, or set 'timezone' in "
            "content/site.yaml)"
        ],
    ),
    "time without offset in a site with a timezone": (
        {
            "content/site.yaml": "title: T\ntimezone: Europe/Moscow\nrequire_archive: false\n",
            A: briefing(date="2023-06-02T11:15"),
        },
        [],
    ),
    "publish_at that is no date": (
        {A: briefing(front="publish_at: tomorrow morning\n")},
        [
            f"{A}:9:13: error: 'publish_at' must be a date, not 'tomorrow morning' "
            "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)"
        ],
    ),
    "publish_at read as a number": (
        {A: briefing(front="publish_at: 2024\n")},
        [
            f"{A}:9:13: error: 'publish_at' must be a date, not a number "
            "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)"
        ],
    ),
    "impossible publish_at": (
        {A: briefing(front="publish_at: 2023-06-31T06:00:00+03:00\n")},
        [
            f"{A}:9:13: error: 'publish_at' is not a real date and time: "
            "2023-06-31T06:00:00+03:00 (day is out of range for month)"
        ],
    ),
    "publish_at without offset": (
        {A: briefing(front="publish_at: 2023-06-02T11:15\n")},
        [
            f"{A}:9: warning: 'publish_at' has no UTC offset, so it is read as UTC "
            "(add the offset, like 2023-06-02T09:30:00+03:00, or set 'timezone' in "
            "content/site.yaml)"
        ],
    ),
    "publish_at before the date": (
        {A: briefing(date="2023-06-02T09:00:00+03:00", front="publish_at: 2023-06-02\n")},
        [
            f"{A}:9: warning: 'publish_at' (2023-06-02) is before the briefing's 'date' "
            "(2023-06-02T09:00:00+03:00), so it would be published dated in the future "
            "(set 'publish_at' to the date or later, or correct the date)"
        ],
    ),
    "publish_at at the date, in another offset": (
        {A: briefing(date="2023-06-02T09:00:00+03:00", front="publish_at: 2023-06-02T06:00Z\n")},
        [],
    ),
    "two tags on one page": (
        {A: briefing(front="tags: [C++, C#]\n")},
        [f"{A}:9: warning: tags 'C++' and 'C#' share the page /tags/c/ (rename one of them)"],
    ),
    "one tag written in two Unicode forms and two cases": (
        {A: briefing(front="tags: [Caf\u00e9, Cafe\u0301, CAF\u00c9]\n")},
        [],
    ),
    "date that is no date": (
        {A: briefing(date="yesterday")},
        [
            f"{A}:3:7: error: 'date' must be a date, not 'yesterday' "
            "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)"
        ],
    ),
    "date read as a boolean": (
        {A: briefing(date="on")},
        [
            f"{A}:3:7: error: 'date' must be a date, not true/false "
            "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)"
        ],
    ),
    "impossible time": (
        {A: briefing(date="2023-06-02T25:00:00+03:00")},
        [
            f"{A}:3:7: error: 'date' is not a real date and time: 2023-06-02T25:00:00+03:00 "
            "(hour must be in 0..23)"
        ],
    ),
    "impossible published date": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    published: 2023-13-01")},
        [f"{A}:8:16: error: 'published' is not a real date: 2023-13-01 (month must be in 1..12)"],
    ),
    "unknown field": (
        {A: briefing(front="sumary: Short\n")},
        [f"{A}:9: warning: unknown field 'sumary' in a briefing (did you mean 'summary'?)"],
    ),
    "unknown citation field": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    titel: Post")},
        [f"{A}:8: warning: unknown field 'titel' in citation 'g' (did you mean 'title'?)"],
    ),
    "undefined citation in body": (
        {A: briefing(body="First line.\nShelling reported [@g] and [@gg].\n")},
        [f"{A}:11:29: error: citation 'gg' is not defined in the front matter (did you mean 'g'?)"],
    ),
    "unused citation": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n  extra:\n    source: dw")},
        [
            f"{A}:8: warning: citation 'extra' is defined but never cited in the text "
            "(cite it as [@extra] or remove it)"
        ],
    ),
    "citation without source": (
        {A: briefing(citations="\n  g:\n    url: https://t.me/x")},
        [f"{A}:6: warning: citation 'g' names no source (add 'source: <key>')"],
    ),
    "citation with a list of sources": (
        {A: briefing(citations="\n  g:\n    source: [gladkov, dw]")},
        [f"{A}:7:13: error: 'source' must be text, not a list"],
    ),
    "citation that is not a mapping": (
        {A: briefing(citations="\n  g: https://t.me/x")},
        [f"{A}:6:3: error: citation 'g' must be a mapping of fields like 'source:'"],
    ),
    "invalid citation key": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n  'bad key':\n    source: dw")},
        [
            f"{A}:8:3: error: citation key 'bad key' may only hold letters, digits and '_', "
            "with '-', '.' or ':' only between them (try 'bad-key')"
        ],
    ),
    "citation key ending with a full stop": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n  'a.':\n    source: dw")},
        [
            f"{A}:8:3: error: citation key 'a.' may only hold letters, digits and '_', "
            "with '-', '.' or ':' only between them (try 'a')"
        ],
    ),
    "unknown source": (
        {A: briefing(citations="\n  g:\n    source: gladkv")},
        [
            f"{A}:7:13: error: unknown source 'gladkv' (not in content/sources.yaml) "
            "(did you mean 'gladkov'?)"
        ],
    ),
    "unknown region": (
        {A: briefing(regions="[shebekino, belgorood]")},
        [
            f"{A}:4:22: error: unknown region 'belgorood' (not in content/regions.yaml) "
            "(did you mean 'belgorod'?)"
        ],
    ),
    "unknown region and citation in capitals": (
        {A: briefing(regions="[SHEBEKINO]", body="Shelling reported [@G].\n")},
        [
            f"{A}:4:11: error: unknown region 'SHEBEKINO' (not in content/regions.yaml) "
            "(did you mean 'shebekino'?)",
            f"{A}:6: warning: citation 'g' is defined but never cited in the text (cite it as "
            "[@g] or remove it)",
            f"{A}:10:20: error: citation 'G' is not defined in the front matter (did you mean "
            "'g'?)",
        ],
    ),
    "region key with its accent written apart": (
        {
            A: briefing(regions="[o\u0308lbach]"),
            "content/regions.yaml": "\u00f6lbach: {name: \u00d6lbach}\n",
        },
        [
            f"{A}:4:11: error: unknown region 'o\u0308lbach' (not in content/regions.yaml) "
            "(did you mean '\u00f6lbach'? It looks the same, but is written with other "
            "characters (an accent apart from its letter, say): type this one again)"
        ],
    ),
    "region key with a zero-width space": (
        {A: briefing(regions='["shebe\u200bkino"]')},
        [
            f"{A}:4:11: error: region key 'shebe\u200bkino' may only hold letters, digits, "
            "'-', '_' and '.', not the invisible U+200B"
        ],
    ),
    "region key that escapes the output": (
        {A: briefing(regions="['../../escape', 'a b', shebekino]")},
        [
            f"{A}:4:11: error: region key '../../escape' may only hold letters, digits, "
            "'-', '_' and '.'",
            f"{A}:4:27: error: region key 'a b' may only hold letters, digits, '-', '_' and '.' "
            "(write a key, such as 'a-b', or the one content/regions.yaml gives it)",
        ],
    ),
    "region and source written as their names": (
        {A: briefing(regions="[Belgorod Oblast]", citations="\n  g:\n    source: The Governor")},
        [
            f"{A}:4:11: error: region key 'Belgorod Oblast' may only hold letters, digits, '-', "
            "'_' and '.' (write a key, such as 'belgorod-oblast', or the one content/regions.yaml "
            "gives it)",
            f"{A}:7:13: error: source key 'The Governor' may only hold letters, digits, '-', '_' "
            "and '.' (write a key, such as 'the-governor', or the one content/sources.yaml gives "
            "it)",
        ],
    ),
    "source key that escapes the output, without a registry": (
        {
            "content/sources.yaml": None,
            A: briefing(citations="\n  g:\n    source: ../../src"),
        },
        [
            f"{A}:7:13: error: source key '../../src' may only hold letters, digits, "
            "'-', '_' and '.'"
        ],
    ),
    "regions not a list": (
        {A: briefing(regions="{shebekino: 1}")},
        [f"{A}:4:10: error: 'regions' must be a list like [a, b], not a mapping"],
    ),
    "empty tag": (
        {A: briefing(front="tags: [drones, '']\n")},
        [f"{A}:9:16: error: items of 'tags' must not be empty (remove it)"],
    ),
    "tag read as a boolean": (
        {A: briefing(front="tags: [drones, on]\n")},
        [f"{A}:9:16: error: items of 'tags' must be text, not true/false (quote the value)"],
    ),
    "tags read as one boolean": (
        {A: briefing(front="tags: yes\n")},
        [f"{A}:9:7: error: 'tags' must be a list like [a, b], not true/false (quote the value)"],
    ),
    "briefing without regions": (
        {A: briefing(regions="DROP")},
        [f"{A}:2: warning: briefing has no regions (add 'regions: [key]')"],
    ),
    "draft with faults is not checked until drafts are built": (
        {A: briefing(front="draft: true\nsumary: x\n", regions="[nowhere]")},
        [],
    ),
    "draft not a boolean": (
        {A: briefing(front="draft: 'yes'\n")},
        [f"{A}:9:8: error: 'draft' must be true or false"],
    ),
    "draft quoted": (
        {A: briefing(front='draft: "true"\n')},
        [f"{A}:9:8: error: 'draft' must be true or false (remove the quotes)"],
    ),
    "javascript citation url": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    url: javascript:alert(1)")},
        [f"{A}:8:10: error: 'url' must be an http, https or mailto URL, not 'javascript:alert(1)'"],
    ),
    "data citation url": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    url: 'data:text/html,x'")},
        [f"{A}:8:10: error: 'url' must be an http, https or mailto URL, not 'data:text/html,x'"],
    ),
    "citation url with an unclosed IPv6 address": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    url: 'https://[::1/x'")},
        [no_host("https://[::1/x")],
    ),
    "citation url with a space in its host": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    url: https://t.me example/1")},
        [no_host("https://t.me example/1")],
    ),
    "citation url with a tab in its host": (
        {A: briefing(citations='\n  g:\n    source: gladkov\n    url: "https://t.me\\texample/1"')},
        [no_host("https://t.me\\texample/1")],
    ),
    "citation url with no host but a port": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    url: 'http://:80/x'")},
        [no_host("http://:80/x")],
    ),
    "base_url with an unclosed IPv6 address": (
        {
            "content/site.yaml": "title: T\nbase_url: 'http://[::1'\nrequire_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: 'base_url' must be an http or https URL, "
            "not 'http://[::1' (the site's address, with no '?', '#' or '\\', and one '/' "
            "after its host: pages' paths are put after it)"
        ],
    ),
    "base_url with a user, or a port out of range": (
        {
            "content/site.yaml": "title: T\nbase_url: https://u:pw@example.org/\n"
            "require_archive: false\nlanguage: en_US\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: 'base_url' must be an http or https URL, "
            "not 'https://u:pw@example.org/' (the site's address, with no '?', '#' or '\\', "
            "and one '/' after its host: pages' paths are put after it)",
            "content/site.yaml:4:11: error: 'language' must be a language tag like 'en' or "
            "'pt-BR', not 'en_US' (write 'en-US')",
        ],
    ),
    "settings written empty": (
        {
            "content/site.yaml": "title:\nbase_url: ''\nlanguage:\ntimezone:\n"
            "require_archive: false\n",
            A: briefing(),
        },
        [
            f"content/site.yaml:{line}:{col}: error: '{name}' is empty, and would be taken "
            "as not set (give its value, or remove the line to take the default)"
            for line, col, name in [
                (1, 7, "title"),
                (2, 11, "base_url"),
                (3, 10, "language"),
                (4, 10, "timezone"),
            ]
        ],
    ),
    "a setting of only a character no page may hold": (
        {"content/site.yaml": 'title: "\\v"\nrequire_archive: false\n', A: briefing()},
        [
            "content/site.yaml:1:8: error: 'title' holds the character U+000B, which pages "
            "and feeds cannot contain (remove it)"
        ],
    ),
    "base_url with a query": (
        {
            "content/site.yaml": "title: T\nbase_url: https://example.org/b/?lang=en\n"
            "require_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: 'base_url' must be an http or https URL, "
            "not 'https://example.org/b/?lang=en' (the site's address, with no '?', '#' or "
            "'\\', and one '/' after its host: pages' paths are put after it)"
        ],
    ),
    "base_url whose path a browser reads as another host": (
        {
            "content/site.yaml": "title: T\nbase_url: https://example.org//evil.example/\n"
            "require_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: 'base_url' must be an http or https URL, "
            "not 'https://example.org//evil.example/' (the site's address, with no '?', '#' "
            "or '\\', and one '/' after its host: pages' paths are put after it)"
        ],
    ),
    "base_url with a backslash": (
        {
            "content/site.yaml": "title: T\nbase_url: 'https://example.org/\\evil.example/'\n"
            "require_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: 'base_url' must be an http or https URL, "
            "not 'https://example.org/\\evil.example/' (the site's address, with no '?', '#' "
            "or '\\', and one '/' after its host: pages' paths are put after it)"
        ],
    ),
    "vbscript archive url": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    archive: VBScript:x")},
        [f"{A}:8:14: error: 'archive' must be an http, https or mailto URL, not 'VBScript:x'"],
    ),
    "a page that cites": (
        {A: briefing(), "content/pages/p.md": "---\ntitle: About\n---\nAs reported [@g].\n"},
        [
            "content/pages/p.md:4: warning: citations are for briefings; a page cannot cite "
            "(write a link)"
        ],
    ),
    "video embed pasted into a body": (
        {A: briefing(body='Shelling [@g].\n\n<iframe src="https://v.example/e/1"></iframe>\n')},
        [
            f"{A}:12: warning: <iframe> is not allowed in a body and was left out of the "
            "page (link to what it showed instead)"
        ],
    ),
    "two embeds in a body, one shown in code first": (
        {
            A: briefing(
                body="Shelling [@g]. Pasting `<iframe>` fails.\n\n"
                '<iframe src="https://v.example/e/1"></iframe>\n\n'
                '<IFRAME src="https://v.example/e/2"></IFRAME>\n'
            )
        },
        [
            f"{A}:12: warning: <iframe> is not allowed in a body and was left out of the "
            "page (link to what it showed instead)",
            f"{A}:14: warning: <iframe> is not allowed in a body and was left out of the "
            "page (link to what it showed instead)",
        ],
    ),
    "script and a form in a body": (
        {A: briefing(body="Shelling [@g].\n\n<SCRIPT>x()</SCRIPT>\n\n<form></form>\n")},
        [
            f"{A}:12: warning: <script> is not allowed in a body and was left out of the "
            "page (link to what it showed instead)",
            f"{A}:14: warning: <form> is not allowed in a body and was left out of the page "
            "(remove it)",
        ],
    ),
    "javascript link in body": (
        {A: briefing(body="Shelling [@g].\n\nSee [this](JavaScript:alert(1)).\n")},
        [
            f"{A}:12:12: error: link or image URL 'JavaScript:alert(1)' is not allowed: only "
            "http, https and mailto URLs and links within the site"
        ],
    ),
    "javascript link in body, shown in code before and linked twice": (
        {
            A: briefing(
                body="Never click `javascript:x` links [@g].\n\n[a](javascript:x)\n\n"
                "Again <a href='javascript:x'>here</a>.\n"
            )
        },
        [
            f"{A}:12:5: error: link or image URL 'javascript:x' is not allowed: only "
            "http, https and mailto URLs and links within the site",
            f"{A}:14:16: error: link or image URL 'javascript:x' is not allowed: only "
            "http, https and mailto URLs and links within the site",
        ],
    ),
    "undefined citation written in prose and code before it is cited": (
        {
            A: briefing(
                body="Shelling [@g]. Follow @gg on Telegram, or `[@gg]`.\n\n```\n[@gg]\n```\n\n"
                "He said so [@gg].\n"
            )
        },
        [f"{A}:16:13: error: citation 'gg' is not defined in the front matter (did you mean 'g'?)"],
    ),
    "entity-encoded javascript link in body": (
        {A: briefing(body="Shelling [@g].\n[x](&#106;avascript:alert(1))\n")},
        [
            f"{A}:11:5: error: link or image URL '&#106;avascript:alert(1)' is not allowed: "
            "only http, https and mailto URLs and links within the site"
        ],
    ),
    "data image in body": (
        {A: briefing(body="Shelling [@g].\n![map](data:image/png;base64,AAAA)\n")},
        [
            f"{A}:11:8: error: link or image URL 'data:image/png;base64,AAAA' is not allowed: "
            "only http, https and mailto URLs and links within the site"
        ],
    ),
    "citation lang that is no language tag": (
        {
            A: briefing(
                citations="\n  g:\n    source: gladkov\n    lang: '<img src=x onerror=alert(1)>'"
            )
        },
        [
            f"{A}:8:11: error: 'lang' must be a language tag like 'en' or 'pt-BR', not "
            "'<img src=x onerror=alert(1)>'"
        ],
    ),
    "citation url reordered by a bidi override": (
        {
            A: briefing(
                citations='\n  g:\n    source: gladkov\n    url: "https://t.me/\\u202Efdp.exe"'
            )
        },
        [
            f"{A}:8:10: error: 'url' holds the invisible character U+202E, which can make an "
            "address read as another (remove it)"
        ],
    ),
    "source url with a zero-width space": (
        {
            "content/sources.yaml": 'gladkov:\n  name: Gladkov\n  url: "https://t.me/\\u200bx"\n',
            A: briefing(),
        },
        [
            "content/sources.yaml:3:8: error: 'url' holds the invisible character U+200B, "
            "which can make an address read as another (remove it)"
        ],
    ),
    "citation url with a no-break space": (
        {A: briefing(citations='\n  g:\n    source: gladkov\n    url: "https://t.me/a\\u00a0b"')},
        [
            f"{A}:8:10: error: 'url' holds the invisible character U+00A0, which can make an "
            "address read as another (remove it)"
        ],
    ),
    "links with a backslash, which a browser reads as another host": (
        {
            A: briefing(
                body="Shelling [@g].\n[x](\\\\\\\\evil.example/a) "
                '<a href="\\\\evil.example/b">y</a>\n'
            )
        },
        [
            f"{A}:11:7: error: link or image URL '\\\\evil.example/a' is not allowed: "
            "only http, https and mailto URLs and links within the site (a browser reads "
            "'\\' as '/': write '/')",
            f"{A}:11:34: error: link or image URL '\\\\evil.example/b' is not allowed: "
            "only http, https and mailto URLs and links within the site (a browser reads "
            "'\\' as '/': write '/')",
        ],
    ),
    "unsafe slug": (
        {A: briefing(front="slug: ../escape\n")},
        [
            f"{A}:9:7: error: slug '../escape' may only hold letters, digits, '-', "
            "'_' and '.' (try 'escape')"
        ],
    ),
    "slug with a slash": (
        {A: briefing(front="slug: a/b\n")},
        [f"{A}:9:7: error: slug 'a/b' may only hold letters, digits, '-', '_' and '.' (try 'a-b')"],
    ),
    "slug collision": (
        {A: briefing(), "content/briefings/2023/a.md": briefing()},
        [
            "content/briefings/a.md:1:1: error: briefing slug 'a' is already used by "
            "content/briefings/2023/a.md (set a different 'slug:' in one of them)"
        ],
    ),
    "slug collision by case only": (
        {A: briefing(), "content/briefings/x.md": briefing(front="slug: A\n")},
        [
            "content/briefings/x.md:9:7: error: briefing slug 'A' is already used by "
            "content/briefings/a.md (set a different 'slug:' in one of them)"
        ],
    ),
    "slug collision by a slug: in the file that sorts first": (
        {"content/briefings/2023/b.md": briefing(front="slug: a\n"), A: briefing()},
        [
            "content/briefings/2023/b.md:9:7: error: briefing slug 'a' is already used by "
            "content/briefings/a.md (set a different 'slug:' in one of them)"
        ],
    ),
    "slug collision by unicode normalisation": (
        {
            "content/briefings/b.md": briefing(
                front=f"slug: {unicodedata.normalize('NFC', 'é')}\n"
            ),
            "content/briefings/c.md": briefing(
                front=f"slug: {unicodedata.normalize('NFD', 'é')}\n"
            ),
        },
        [
            "content/briefings/c.md:9:7: error: briefing slug 'é' is already used by "
            "content/briefings/b.md (set a different 'slug:' in one of them)"
        ],
    ),
    "invalid utf-8": (
        {A: briefing().encode().replace(b"Villages", b"Vill\xe4ges")},
        [
            f"{A}:2:12: error: file is not valid UTF-8 (byte 0xe4 at offset 15) "
            "(save the file as UTF-8)"
        ],
    ),
    "yaml alias": (
        {A: briefing(front="summary: &s Short\ntags: *s\n")},
        [
            f"{A}:10:7: error: YAML anchors and aliases are not allowed "
            "(write the value out in full)"
        ],
    ),
    "yaml alias to no anchor: a title in emphasis": (
        {A: briefing(title="*Breaking* news")},
        [
            f"{A}:2:8: error: YAML anchors and aliases are not allowed (quote a value that "
            "begins with '*' (\"*Breaking* news\"), or write the value out in full)"
        ],
    ),
    "yaml alias to no anchor": (
        {A: briefing(front="summary: *nowhere\n")},
        [
            f"{A}:9:10: error: YAML anchors and aliases are not allowed (quote a value that "
            "begins with '*' (\"*Breaking* news\"), or write the value out in full)"
        ],
    ),
    "yaml aliases in a list and a mapping, one name written again": (
        {A: briefing(front="summary: &s Short\ntags:\n  - *s\n  - '*s'\n  - *s\nx: {a: *s}\n")},
        [
            f"{A}:11:5: error: YAML anchors and aliases are not allowed "
            "(write the value out in full)",
            f"{A}:13:5: error: YAML anchors and aliases are not allowed "
            "(write the value out in full)",
            f"{A}:14:8: error: YAML anchors and aliases are not allowed "
            "(write the value out in full)",
        ],
    ),
    "python tag": (
        {A: briefing(front="summary: !!python/object/apply:os.system [echo]\n")},
        [
            f"{A}:9:10: error: YAML tags ('!!python/object/apply:os.system') are not allowed "
            "(remove the tag)"
        ],
    ),
    "tag that PyYAML's safe loader builds": (
        {A: briefing(front="tags: !!set {drones: null}\n")},
        [f"{A}:9:7: error: YAML tags ('!!set') are not allowed (remove the tag)"],
    ),
    "merge key": (
        {A: briefing(front="<<: {title: Other title, summary: S}\n")},
        [f"{A}:9:1: error: YAML merge keys ('<<') are not allowed (write the fields out in full)"],
    ),
    "unsafe link split by a tab": (
        {A: briefing(body="Shelling [@g] [c]( java\tscript:x).\n")},
        [
            f"{A}:10:20: error: link or image URL 'java script:x' is not allowed: "
            "only http, https and mailto URLs and links within the site",
        ],
    ),
    "unsafe image with markup in its url": (
        {A: briefing(body="Shelling [@g].\n\nLine ![c](data:x,<svg>) end.\n")},
        [
            f"{A}:12:11: error: link or image URL 'data:x,<svg>' is not allowed: "
            "only http, https and mailto URLs and links within the site",
        ],
    ),
    "registry key read as a number, below others": (
        {"content/regions.yaml": SITE["content/regions.yaml"] + "123: {name: A}\n"},
        [
            "content/regions.yaml:4:1: error: a region key must be text, not a number "
            "(quote the key)"
        ],
    ),
    "registry key read as true": (
        {"content/sources.yaml": SITE["content/sources.yaml"] + "yes: {name: A}\n"},
        [
            "content/sources.yaml:8:1: error: a source key must be text, not true/false "
            "(quote the key)"
        ],
    ),
    "empty slug": (
        {A: briefing(slug="''")},
        [f"{A}:9:7: error: 'slug' is empty (remove it to take the file's name, or write one)"],
    ),
    "broken image in raw html, its src unquoted": (
        {A: briefing(body="Shelling [@g] <img src=nope.png alt=map>.\n")},
        [f"{A}:10: warning: broken link 'nope.png': no such page or file in the site"],
    ),
    "broken image in raw html, its text in the title too": (
        {
            A: briefing(
                title="How <img src=nope.png> works",
                body="Shelling [@g] <img src=nope.png alt=map>.\n",
            )
        },
        [f"{A}:10: warning: broken link 'nope.png': no such page or file in the site"],
    ),
    "markup shown as code is no link nor id": (
        {
            A: briefing(
                body='Shelling [@g]. Embed it as `<a href="../x/" id="d">` or '
                '`<b id="d">`, not [this](nope.png).\n\n    <img src="gone.png" id="d">\n'
            )
        },
        [f"{A}:10: warning: broken link 'nope.png': no such page or file in the site"],
    ),
    "undefined citation before a footnote's mark": (
        {A: briefing(body="Shelling [@g]. Fires [@nope][^1].\n\n[^1]: A note.\n")},
        [
            f"{A}:10:23: error: citation 'nope' is not defined in the front matter "
            "(define it under 'citations:')"
        ],
    ),
    "a citation read as a link's reference definition": (
        {A: briefing(body="Shelling [@g].\n\n[@g]: confirmed\n")},
        [
            f"{A}:12: warning: '[@g]:' at the start of a line is read as a link's reference "
            "definition, and the line is published as nothing (put a word before the "
            "citation on its line, or no colon right after it)"
        ],
    ),
    "citations the grammar does not take": (
        {
            A: briefing(
                body="Shelling [@g]. Fires [@g][x], [@] and [@g and more.\n\n"
                "Escaped \\[@g] and `[@g]` are text.\n"
            )
        },
        [
            f"{A}:10: warning: '[@g]' is not read as a citation and is published as "
            f"written ({STRAY_HINT})",
            f"{A}:10: warning: '[@]' is not read as a citation and is published as "
            f"written ({STRAY_HINT})",
            f"{A}:10: warning: '[@g' is not read as a citation and is published as "
            f"written ({STRAY_HINT})",
        ],
    ),
    "brackets with an at sign or a caret that begin no citation or footnote": (
        {
            A: briefing(
                body="Shelling [@g]. Prices rose [15 @ 3 USD] [via @user@mastodon.social].\n\n"
                'Match [^0-9] with <span title="[@z">a span</span> [mail@x.org].\n'
            )
        },
        [],
    ),
    "citations the grammar does not take, each on its line": (
        {A: briefing(body="Shelling [@g].\n\nFires [@].\n\nSee [@wire\\_report][x].\n")},
        [
            f"{A}:12: warning: '[@]' is not read as a citation and is published as "
            f"written ({STRAY_HINT})",
            f"{A}:14: warning: '[@wire_report]' is not read as a citation and is published "
            f"as written ({STRAY_HINT})",
        ],
    ),
    "footnote mark with no footnote": (
        {A: briefing(body="Shelling [@g].[^1] Fires.[^2]\n\n[^1]: A note.\n")},
        [
            f"{A}:10: warning: footnote '2' is not defined, and '[^2]' is published as "
            "written (define it on a line of its own: '[^2]: its text')"
        ],
    ),
    "markdown nested too deeply": (
        {A: briefing(body="Shelling [@g].\n" + "*" * 3000 + "a" + "*" * 3000 + "\n")},
        [
            f"{A}:10:1: error: Markdown is nested too deeply to render "
            "(simplify this file's Markdown)"
        ],
    ),
    "a wrong date hides no unknown region or source": (
        {
            A: briefing(
                date="yesterday", regions="[shebekno]", citations="\n  g:\n    source: gladkv"
            )
        },
        [
            f"{A}:3:7: error: 'date' must be a date, not 'yesterday' "
            "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)",
            f"{A}:4:11: error: unknown region 'shebekno' (not in content/regions.yaml) "
            "(did you mean 'shebekino'?)",
            f"{A}:7:13: error: unknown source 'gladkv' (not in content/sources.yaml) "
            "(did you mean 'gladkov'?)",
        ],
    ),
    "a wrong slug hides no unknown region or tag without letters": (
        {A: briefing(regions="[shebekno]", slug="'a b'", tags="['%%']")},
        [
            f"{A}:4:11: error: unknown region 'shebekno' (not in content/regions.yaml) "
            "(did you mean 'shebekino'?)",
            f"{A}:9:7: error: slug 'a b' may only hold letters, digits, '-', '_' and '.' "
            "(try 'a-b')",
            f"{A}:10:8: error: tag '%%' has no letters or digits",
        ],
    ),
    "a missing title hides no unknown region": (
        {A: briefing(title="DROP", regions="[shebekno]")},
        [
            f"{A}:2:1: error: missing required field 'title' (add 'title: …')",
            f"{A}:3:11: error: unknown region 'shebekno' (not in content/regions.yaml) "
            "(did you mean 'shebekino'?)",
        ],
    ),
    "unknown region parent": (
        {
            "content/regions.yaml": "russia: {name: Russia}\nbelgorod: {name: B, parent: rusia}\n",
            A: briefing(regions="[belgorod]"),
        },
        [
            "content/regions.yaml:2:29: error: region 'belgorod' has unknown parent 'rusia' "
            "(did you mean 'russia'?)"
        ],
    ),
    "region indented with no-break spaces": (
        {
            "content/regions.yaml": "russia: {name: Russia}\nbelgorod:\n\u00a0\u00a0name: B\n",
            A: briefing(regions="[russia]"),
        },
        [
            "content/regions.yaml:2:1: error: region 'belgorod' must be a mapping like {name: ...}",
            "content/regions.yaml:3:1: error: region key '\u00a0\u00a0name' may only hold "
            "letters, digits, '-', '_' and '.', not the invisible U+00A0 (indent with ordinary "
            "spaces, not no-break ones)",
        ],
    ),
    "unknown region parent, nothing close": (
        {
            "content/regions.yaml": "russia: {name: Russia}\nbelgorod: {name: B, parent: zz}\n",
            A: briefing(regions="[belgorod]"),
        },
        [
            "content/regions.yaml:2:29: error: region 'belgorod' has unknown parent 'zz' "
            "(add a region 'zz' to content/regions.yaml, or remove this parent)"
        ],
    ),
    "region parents in a cycle": (
        {
            "content/regions.yaml": "a: {name: A, parent: b}\nb: {name: B, parent: a}\n",
            A: briefing(regions="[a]"),
        },
        [
            "content/regions.yaml:1:22: error: region parents form a cycle: a -> b -> a "
            "(a region cannot be inside itself: remove one of these parents)"
        ],
    ),
    "duplicate region key hides no other problem": (
        {
            "content/regions.yaml": SITE["content/regions.yaml"] + "shebekino: {name: Again}\n",
            A: briefing(regions="[shebekno]"),
        },
        [
            f"{A}:4:11: error: unknown region 'shebekno' (not in content/regions.yaml) "
            "(did you mean 'shebekino'?)",
            "content/regions.yaml:4:1: error: duplicate key 'shebekino' (first defined on "
            "line 3) (remove one of them)",
        ],
    ),
    "region without name": (
        {"content/regions.yaml": "russia: {parent: ''}\nshebekino: {name: S}\n", A: briefing()},
        [
            "content/regions.yaml:1:1: error: missing required field 'name' (add 'name: …')",
            "content/regions.yaml:1:18: error: 'parent' is empty, and would be taken as not "
            "set (give its value, or remove the line to take the default)",
        ],
    ),
    "source graded with nothing": (
        {"content/sources.yaml": "gladkov: {name: G, reliability: ''}\n", A: briefing()},
        [
            "content/sources.yaml:1:33: error: 'reliability' is empty, and would be taken as "
            "not set (give its value, or remove the line to take the default)"
        ],
    ),
    "source with unknown field": (
        {"content/sources.yaml": "gladkov:\n  name: G\n  relability: B\n", A: briefing()},
        [
            "content/sources.yaml:3: warning: unknown field 'relability' in source 'gladkov' "
            "(did you mean 'reliability'?)"
        ],
    ),
    "source with bad reliability": (
        {"content/sources.yaml": "gladkov:\n  name: G\n  reliability: Z\n", A: briefing()},
        [
            "content/sources.yaml:3:16: error: reliability must be one letter A–F "
            "(Admiralty scale), not 'Z'"
        ],
    ),
    "source with its reliability in lower case": (
        {"content/sources.yaml": "gladkov:\n  name: G\n  reliability: b\n", A: briefing()},
        [
            "content/sources.yaml:3:16: error: reliability must be one letter A–F "
            "(Admiralty scale), not 'b' (did you mean 'B'?)"
        ],
    ),
    "source with javascript url": (
        {"content/sources.yaml": "gladkov:\n  name: G\n  url: javascript:x\n", A: briefing()},
        [
            "content/sources.yaml:3:8: error: 'url' must be an http, https or mailto URL, "
            "not 'javascript:x'"
        ],
    ),
    "source key that escapes the output": (
        {"content/sources.yaml": "gladkov: {name: G}\n'../x': {name: X}\n", A: briefing()},
        [
            "content/sources.yaml:2:1: error: source key '../x' may only hold letters, "
            "digits, '-', '_' and '.'"
        ],
    ),
    "registry that is not a mapping": (
        {"content/sources.yaml": "- gladkov\n", A: briefing()},
        [
            "content/sources.yaml:1:1: error: content/sources.yaml must be a mapping of source "
            "keys to fields"
        ],
    ),
    "site setting misspelt": (
        {"content/site.yaml": "title: T\nper_pgae: 5\nrequire_archive: false\n", A: briefing()},
        [
            "content/site.yaml:2: warning: unknown field 'per_pgae' in site.yaml "
            "(did you mean 'per_page'?)"
        ],
    ),
    "site setting out of range": (
        {"content/site.yaml": "title: T\nper_page: 0\nrequire_archive: false\n", A: briefing()},
        ["content/site.yaml:2:11: error: 'per_page' must be a whole number of at least 1"],
    ),
    "search part size that is no number": (
        {
            "content/site.yaml": "title: T\nsearch_part_size: many\nrequire_archive: false\n",
            A: briefing(),
        },
        ["content/site.yaml:2:19: error: 'search_part_size' must be a whole number of at least 1"],
    ),
    "timezone in lower case": (
        {
            "content/site.yaml": "title: T\ntimezone: utc\nrequire_archive: false\n",
            A: briefing(),
        },
        ["content/site.yaml:2:11: error: unknown timezone 'utc' (did you mean 'UTC'?)"],
    ),
    "timezone of the machine that builds": (
        {
            "content/site.yaml": "title: T\ntimezone: localtime\nrequire_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: timezone 'localtime' is the system's own, so each "
            "machine would build another site (name the zone, like 'Europe/Moscow')"
        ],
    ),
    "timezone of the machine that builds, by its path": (
        {
            "content/site.yaml": "title: T\ntimezone: /etc/localtime\nrequire_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: unknown timezone '/etc/localtime' (use an IANA "
            "name like 'Europe/Moscow')"
        ],
    ),
    "timezone misspelt": (
        {
            "content/site.yaml": "title: T\ntimezone: Asia/Vladivostock\nrequire_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: unknown timezone 'Asia/Vladivostock' "
            "(did you mean 'Asia/Vladivostok'?)"
        ],
    ),
    "timezone that is a path": (
        {
            "content/site.yaml": "title: T\ntimezone: ../../etc/passwd\nrequire_archive: false\n",
            A: briefing(),
        },
        [
            "content/site.yaml:2:11: error: unknown timezone '../../etc/passwd' "
            "(use an IANA name like 'Europe/Moscow')"
        ],
    ),
    "timezone that is a number": (
        {"content/site.yaml": "title: T\ntimezone: 3\nrequire_archive: false\n", A: briefing()},
        ["content/site.yaml:2:11: error: 'timezone' must be text, not a number (quote the value)"],
    ),
    "page weight quoted": (
        {A: briefing(), "content/pages/about.md": "---\ntitle: About\nweight: '10'\n---\nText\n"},
        [
            "content/pages/about.md:3:9: error: 'weight' must be a whole number, like 10 "
            "(remove the quotes)"
        ],
    ),
    "page weight not whole": (
        {A: briefing(), "content/pages/about.md": "---\ntitle: About\nweight: 1.5\n---\nText\n"},
        ["content/pages/about.md:3:9: error: 'weight' must be a whole number, like 10"],
    ),
    "page weight true": (
        {A: briefing(), "content/pages/about.md": "---\ntitle: About\nweight: yes\n---\nText\n"},
        ["content/pages/about.md:3:9: error: 'weight' must be a whole number, like 10"],
    ),
    "page nav not a flag": (
        {A: briefing(), "content/pages/about.md": "---\ntitle: About\nnav: hidden\n---\nText\n"},
        ["content/pages/about.md:3:6: error: 'nav' must be true or false"],
    ),
    "page field misspelt": (
        {A: briefing(), "content/pages/about.md": "---\ntitle: About\nwieght: 1\n---\nText\n"},
        [
            "content/pages/about.md:3: warning: unknown field 'wieght' in a page "
            "(did you mean 'weight'?)"
        ],
    ),
    "weight in a briefing": (
        {A: briefing(front="weight: 1\n")},
        [
            f"{A}:9: warning: unknown field 'weight' in a briefing (known fields: title, date, "
            "summary, regions, tags, slug, draft, updated, citations, aliases, corrections, "
            "publish_at)"
        ],
    ),
    "page without title": (
        {A: briefing(), "content/pages/about.md": "---\nslug: about\n---\nText\n"},
        ["content/pages/about.md:2:1: error: missing required field 'title' (add 'title: …')"],
    ),
    "template syntax error": (
        {A: briefing(), "templates/briefing.html": "<main>\n{% if briefing %}\n</main>\n"},
        [
            "templates/briefing.html:3:1: error: template error: Unexpected end of template. "
            "Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The "
            "innermost block that needs to be closed is 'if'."
        ],
    ),
    "template override not in UTF-8, and an unused one": (
        {
            A: briefing(),
            "templates/tags.html": b"{% extends 'default/tags.html' %}\n{# caf\xe9 #}\n",
            "templates/partials/unused.html": b"\xff\n",
        },
        [
            "templates/partials/unused.html:1:1: error: file is not valid UTF-8 (byte 0xff at "
            "offset 0) (save the file as UTF-8)",
            "templates/tags.html:2:7: error: file is not valid UTF-8 (byte 0xe9 at offset 40) "
            "(save the file as UTF-8)",
        ],
    ),
    "a base template that makes no HTML document": (
        {A: briefing(), "templates/base.html": "{% block main %}{% endblock %}\n"},
        [
            "templates/base.html:1:1: error: a briefing's page has no <html> element, so the "
            "search index cannot hold it (make it a whole document, in <html>, or set "
            "'search: false' in site.yaml)"
        ],
    ),
    "a briefing template that makes no HTML document, in a site without search": (
        {
            "content/site.yaml": "title: T\nbase_url: https://example.org/\nsearch: false\n"
            "require_archive: false\n",
            A: briefing(),
            "templates/briefing.html": '<p id="cite-1">{{ briefing.title }}</p>\n',
        },
        [],
    ),
    "files and folders whose names differ only in letter case or encoding": (
        {
            A: briefing(),
            "content/briefings/2023/b.md": briefing(title="B"),
            "content/briefings/2023/B2.md": briefing(title="B2"),
            "content/briefings/2023/b2.md": briefing(title="b2"),
            "content/briefings/Y/c.md": briefing(title="C"),
            "content/briefings/y/d.md": briefing(title="D"),
            "content/pages/café.md": "---\ntitle: One\n---\nText.\n",
            "content/pages/cafe\u0301.md": "---\ntitle: Two\n---\nText.\n",
            "content/static/Logo.png": b"\x89PNG",
            "content/static/logo.png": b"\x89PNG",
        },
        [
            "content/briefings/2023/b2.md:1:1: error: the name 'b2.md' differs from 'B2.md' "
            "only in letter case or in how an accent is encoded, so the two are one on macOS "
            "and Windows (rename one of them)",
            "content/briefings/y:1:1: error: the name 'y' differs from 'Y' only in letter case "
            "or in how an accent is encoded, so the two are one on macOS and Windows (rename "
            "one of them)",
            "content/pages/café.md:1:1: error: the name 'café.md' differs from "
            "'cafe\u0301.md' only in letter case or in how an accent is encoded, so the two are "
            "one on macOS and Windows (rename one of them)",
            "content/static/logo.png:1:1: error: the name 'logo.png' differs from 'Logo.png' "
            "only in letter case or in how an accent is encoded, so the two are one on macOS "
            "and Windows (rename one of them)",
        ],
    ),
    "region key with a newline (YAML escape)": (
        {"content/regions.yaml": 'shebekino: {name: S}\n"evil\\n": {name: E}\n', A: briefing()},
        [
            "content/regions.yaml:2:1: error: region key 'evil\\n' may only hold letters, "
            "digits, '-', '_' and '.', not the invisible U+000A"
        ],
    ),
    "region key with a right-to-left override": (
        {
            "content/regions.yaml": 'shebekino: {name: S}\n"sheb\\u202eekino": {name: E}\n',
            A: briefing(),
        },
        [
            "content/regions.yaml:2:1: error: region key 'sheb\\u202eekino' may only hold "
            "letters, digits, '-', '_' and '.', not the invisible U+202E"
        ],
    ),
    "region keys differing only in case": (
        {"content/regions.yaml": "shebekino: {name: S}\nShebekino: {name: S2}\n", A: briefing()},
        [
            "content/regions.yaml:2:1: error: region key 'Shebekino' differs from 'shebekino' "
            "only in letter case or accents, so both would be one folder on macOS and Windows"
        ],
    ),
    "source keys differing only in case, without a registry": (
        {
            "content/sources.yaml": None,
            A: briefing(),
            "content/briefings/b.md": briefing(
                citations="\n  g:\n    source: Gladkov\n    url: https://t.me/vvgladkov/1"
            ),
        },
        [
            "content/briefings/a.md:7:13: error: source key 'gladkov' differs from 'Gladkov' "
            "only in letter case or accents, so both would be one folder on macOS and Windows"
        ],
    ),
    "Windows device name as a region key": (
        {A: briefing(regions="[com1]")},
        ["content/briefings/a.md:4:11: error: region key 'com1' is a device name on Windows"],
    ),
    "tag that would be a device name": (
        {A: briefing(front="tags: [news, CON]\n")},
        [
            "content/briefings/a.md:9:14: error: tag 'CON' would be published as 'con', "
            "which is a device name on Windows"
        ],
    ),
    "file name that gives a device name as slug": (
        {"content/briefings/aux.md": briefing()},
        [
            "content/briefings/aux.md:1:1: error: the name 'aux.md' is a device name on Windows "
            "(rename it)"
        ],
    ),
    "content file name with a newline": (
        {A: briefing(), "content/briefings/x\n.md": briefing()},
        [
            "content/briefings/x\\n.md:1:1: error: the name 'x\\n.md' holds the character "
            "U+000A, which not every file system allows (rename it)"
        ],
    ),
    "static folder name with a newline": (
        {A: briefing(), "content/static/x\n../f.txt": "f"},
        [
            "content/static/x\\n..:1:1: error: the name 'x\\n..' holds the character U+000A, "
            "which not every file system allows (rename it)"
        ],
    ),
    "static file with a device name": (
        {A: briefing(), "content/static/docs/con.txt": "f"},
        [
            "content/static/docs/con.txt:1:1: error: the name 'con.txt' is a device name on "
            "Windows (rename it)"
        ],
    ),
    "static file name ending in a dot": (
        {A: briefing(), "content/static/notes.": "f"},
        [
            "content/static/notes.:1:1: error: the name 'notes.' ends with a dot or a space, "
            "which Windows drops (rename it)"
        ],
    ),
    "over-long tag": (
        {A: briefing(front=f"tags: [{'x' * 256}]\n")},
        [
            f"content/briefings/a.md:9:8: error: tag '{'x' * 256}' would be published as "
            f"'{'x' * 256}', which is longer than 255 bytes"
        ],
    ),
    "file name whose slug is a device name": (
        {"content/briefings/Con!.md": briefing()},
        [
            "content/briefings/Con!.md:1:1: error: the file name gives the slug 'con', which "
            "is a device name on Windows (set 'slug:' in the front matter)"
        ],
    ),
    "control character from a YAML escape in a title": (
        {A: briefing(title='"Villages\\vshelled"')},
        [
            f"{A}:2:8: error: 'title' holds the character U+000B, which pages and feeds "
            "cannot contain (remove it)"
        ],
    ),
    "control characters from YAML escapes at the ends of values": (
        {A: briefing(title='"Villages shelled\\v"', front='tags: ["\\x1cdrones"]\n')},
        [
            f"{A}:2:8: error: 'title' holds the character U+000B, which pages and feeds "
            "cannot contain (remove it)",
            f"{A}:9:8: error: 'tags' holds the character U+001C, which pages and feeds "
            "cannot contain (remove it)",
        ],
    ),
    "noncharacter in a quote": (
        {
            A: briefing(
                citations="\n  g:\n    source: gladkov\n    url: https://t.me/vvgladkov/1\n"
                '    quote: "a \\uFFFE b"'
            )
        },
        [
            f"{A}:9:12: error: 'quote' holds the character U+FFFE, which pages and feeds "
            "cannot contain (remove it)"
        ],
    ),
    "control character in a source name": (
        {"content/sources.yaml": 'gladkov: {name: "G\\0"}\n', A: briefing()},
        [
            "content/sources.yaml:1:17: error: 'name' holds the character U+0000, which pages "
            "and feeds cannot contain (remove it)"
        ],
    ),
    "raw form feed in a body": (
        {A: briefing(body="Shelling\freported [@g].\n")},
        [
            f"{A}:10:9: error: the text holds the character U+000C, which pages and feeds "
            "cannot contain (remove it)"
        ],
    ),
    "character reference to a control character in a body": (
        {A: briefing(body="Shelling &#x1; reported [@g].\n")},
        [
            f"{A}:10:10: error: the text holds the character reference '&#x1;', which pages "
            "and feeds cannot contain (remove it)"
        ],
    ),
    "character references HTML would show as other characters": (
        {A: briefing(body="Shelling &#128; and &#0; reported [@g].\n")},
        [
            f"{A}:10:10: error: the text holds the character reference '&#128;', which pages "
            "and feeds cannot contain (remove it)",
            f"{A}:10:21: error: the text holds the character reference '&#0;', which pages "
            "and feeds cannot contain (remove it)",
        ],
    ),
    "control characters on several lines, and references beside one in code": (
        {
            A: briefing(
                body="Shelling\x0c reported [@g].\n\nThen \x1b again.\n\n"
                "Shown `&#1;`, written &#x1; and &#2;.\n"
            )
        },
        [
            f"{A}:10:9: error: the text holds the character U+000C, which pages and feeds "
            "cannot contain (remove it)",
            f"{A}:12:6: error: the text holds the character U+001B, which pages and feeds "
            "cannot contain (remove it)",
            f"{A}:14:23: error: the text holds the character reference '&#x1;', which pages "
            "and feeds cannot contain (remove it)",
            f"{A}:14:33: error: the text holds the character reference '&#2;', which pages "
            "and feeds cannot contain (remove it)",
        ],
    ),
    "references on several lines, beside one in code": (
        {A: briefing(body="Shown `&#1;` [@g].\n\nWritten &#x1;\n\nand &#2;.\n")},
        [
            f"{A}:12:9: error: the text holds the character reference '&#x1;', which pages "
            "and feeds cannot contain (remove it)",
            f"{A}:14:5: error: the text holds the character reference '&#2;', which pages "
            "and feeds cannot contain (remove it)",
        ],
    ),
    "character reference in code, shown as written": (
        {A: briefing(body="Shelling `&#0;` reported [@g].\n")},
        [],
    ),
    "body that reuses the id of a source-list entry": (
        {A: briefing(body='Shelling reported [@g]. <span id="cite-1">fake</span>\n')},
        [f"{A}:10:31: error: the id 'cite-1' is one the theme uses itself (choose another id)"],
    ),
    "body that takes the id of a correction": (
        {A: briefing(body='Shelling reported [@g]. <span id="correction-1">fake</span>\n')},
        [
            f"{A}:10:31: error: the id 'correction-1' is one the theme uses itself "
            "(choose another id)"
        ],
    ),
    "heading with the id of the source list": (
        {A: briefing(body="Shelling reported [@g].\n\n## Sources {#sources-heading}\n")},
        [
            f"{A}:12:13: error: the id 'sources-heading' is one the theme uses itself "
            "(choose another id)"
        ],
    ),
    "the same id twice in a body": (
        {A: briefing(body='<p id="x">a</p>\n\nShelling reported [@g].\n\n## More {#x}\n')},
        [f"{A}:14:10: error: the id 'x' is used twice in this text (choose another id)"],
    ),
    "the same id three times in a body, once in code": (
        {
            A: briefing(
                body='<p id="x">a</p> `id="x"` [@g].\n\n## More {#x}\n\n'
                "<div ID = 'x'>b</div>\n\n<p id=\"X\">c</p>\n"
            )
        },
        [
            f"{A}:12:10: error: the id 'x' is used twice in this text (choose another id)",
            f"{A}:14:6: error: the id 'x' is used twice in this text (choose another id)",
        ],
    ),
    "an id of the theme's written twice": (
        {A: briefing(body='<span id="cite-1">a</span> [@g]\n\n<span id="cite-1">b</span>\n')},
        [
            f"{A}:10:7: error: the id 'cite-1' is one the theme uses itself (choose another id)",
            f"{A}:12:7: error: the id 'cite-1' is one the theme uses itself (choose another id)",
        ],
    ),
    "region tree deeper than allowed": (
        {
            "content/regions.yaml": "".join(
                f"r{n}: {{name: R{n}, parent: r{n + 1}}}\n" for n in range(25)
            )
            + "r25: {name: R25}\n",
            A: briefing(regions="[r0]"),
        },
        [
            "content/regions.yaml:6:1: error: region 'r5' is 21 levels deep; at most 20 are "
            "allowed (give it a parent nearer the top)"
        ],
    ),
    "corrections in order": (
        {
            A: briefing(
                front=corrections(fix("2023-06-03", "correction"), fix("2023-06-04", "retraction"))
            )
        },
        [],
    ),
    "correction dated before the briefing": (
        {A: briefing(front=corrections(fix("2023-06-01", "correction")))},
        [
            f"{A}:10:11: error: the correction is dated 2023-06-01, before the briefing's date "
            "2023-06-02 (a correction comes after what it corrects)"
        ],
    ),
    "correction a minute before the briefing's time": (
        {
            A: briefing(
                date="2023-06-02T10:00:00+03:00",
                front=corrections(fix("2023-06-02T09:59:00+03:00", "update")),
            )
        },
        [
            f"{A}:10:11: error: the update is dated 2023-06-02T09:59:00+03:00, before the "
            "briefing's date 2023-06-02T10:00:00+03:00 (a correction comes after what it corrects)"
        ],
    ),
    "correction dated the day of a briefing published at a time": (
        {
            A: briefing(
                date="2023-06-02T10:00:00+03:00",
                front=corrections(fix("2023-06-02", "update"), fix("2023-06-02", "retraction")),
            )
        },
        [],
    ),
    "updated before the briefing's date": (
        {A: briefing(front="updated: 2023-06-01T09:00:00+03:00\n")},
        [
            f"{A}:9: warning: 'updated' (2023-06-01T09:00:00+03:00) is before the "
            "briefing's 'date' (2023-06-02) (set 'updated' to when the briefing last changed, "
            "or correct the date)"
        ],
    ),
    "correction with an empty text": (
        {A: briefing(front=corrections(fix("2023-06-03", "correction", text='""')))},
        [f"{A}:12:11: error: 'text' must not be empty"],
    ),
    "correction of an unknown kind": (
        {A: briefing(front=corrections(fix("2023-06-03", "corection")))},
        [
            f"{A}:11:11: error: unknown correction kind 'corection' (did you mean 'correction' "
            "or 'retraction' or 'clarification'?)"
        ],
    ),
    "correction of a kind nothing like a known one": (
        {A: briefing(front=corrections(fix("2023-06-03", "erratum")))},
        [
            f"{A}:11:11: error: unknown correction kind 'erratum' (use correction, "
            "clarification, update or retraction)"
        ],
    ),
    "correction dated after the retraction": (
        {
            A: briefing(
                front=corrections(
                    fix("2023-06-04", "retraction"), fix("2023-06-05", "clarification")
                )
            )
        },
        [
            f"{A}:13:11: error: the clarification is dated after the retraction of 2023-06-04; "
            "a retracted briefing is not corrected further (say it in the retraction's text)"
        ],
    ),
    "two retractions": (
        {
            A: briefing(
                front=corrections(fix("2023-06-04", "retraction"), fix("2023-06-04", "retraction"))
            )
        },
        [f"{A}:13:5: error: the briefing is already retracted on line 10 (keep one retraction)"],
    ),
    "correction without a date": (
        {A: briefing(front="corrections:\n  - kind: update\n    text: New figures.\n")},
        [f"{A}:10:5: error: missing required field 'date' (add 'date: YYYY-MM-DD')"],
    ),
    "correction without a kind": (
        {A: briefing(front="corrections:\n  - date: 2023-06-03\n    text: New figures.\n")},
        [f"{A}:10:5: error: missing required field 'kind' (add 'kind: correction')"],
    ),
    "correction without a text": (
        {A: briefing(front="corrections:\n  - date: 2023-06-03\n    kind: update\n")},
        [f"{A}:10:5: error: missing required field 'text' (add 'text: …')"],
    ),
    "correction with a date that is no date": (
        {A: briefing(front=corrections(fix("last week", "correction")))},
        [
            f"{A}:10:11: error: 'date' must be a date, not 'last week' "
            "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)"
        ],
    ),
    "corrections not a list": (
        {A: briefing(front="corrections: {date: 2023-06-03, kind: update, text: x}\n")},
        [
            f"{A}:9:14: error: 'corrections' must be a list of mappings, not a mapping "
            "(start each entry with '- date:')"
        ],
    ),
    "correction that is plain text": (
        {A: briefing(front="corrections:\n  - Fixed a typo.\n")},
        [
            f"{A}:10:5: error: items of 'corrections' must be mappings, not text "
            "(start each entry with '- date:')"
        ],
    ),
    "correction with an unknown field": (
        {A: briefing(front=corrections(fix("2023-06-03", "update"), "    by: the editors\n"))},
        [f"{A}:13: warning: unknown field 'by' in a correction (known fields: date, kind, text)"],
    ),
    "correction that cites": (
        {A: briefing(front=corrections(fix("2023-06-03", "correction", text="As [@g] says.")))},
        [f"{A}:12: warning: a correction cannot cite (name the source or link to it)"],
    ),
    "correction that links within the site": (
        {
            A: briefing(
                front=corrections(
                    fix("2023-06-03", "correction", text="See [the raid](/briefings/b/).")
                )
            )
        },
        [
            f"{A}:12:11: error: links in a correction must be full URLs, since it is shown on "
            "other pages too (write the address in full, like https://example.org/briefings/x/, "
            "and no footnotes)"
        ],
    ),
    "correction with a footnote": (
        {
            A: briefing(
                front=corrections(
                    fix("2023-06-03", "update", text="|\n      Two.[^1]\n\n      [^1]: Again.")
                )
            )
        },
        [
            f"{A}:12:11: error: links in a correction must be full URLs, since it is shown on "
            "other pages too (write the address in full, like https://example.org/briefings/x/, "
            "and no footnotes)"
        ],
    ),
    "correction with a script link": (
        {
            A: briefing(
                front=corrections(
                    fix("2023-06-03", "correction", text="'[x](javascript:alert(1))'")
                )
            )
        },
        [
            f"{A}:12:11: error: link or image URL 'javascript:alert(1)' is not allowed: only "
            "http, https and mailto URLs"
        ],
    ),
    "correction with an embed": (
        {
            A: briefing(
                front=corrections(
                    fix("2023-06-03", "update", text="'Video: <iframe src=x></iframe>'")
                )
            )
        },
        [f"{A}:12: warning: <iframe> is not allowed in a correction and was left out (remove it)"],
    ),
    "correction with a reference to a control character": (
        {A: briefing(front=corrections(fix("2023-06-03", "update", text="'Fixed &#x1; here.'")))},
        [
            f"{A}:12:11: error: the text holds the character reference '&#x1;', which pages "
            "and feeds cannot contain (remove it)"
        ],
    ),
    "claim resting only on sources graded E or F": (
        {
            "content/sources.yaml": "legion: {name: Legion, reliability: E}\n"
            "rumours: {name: Rumours, reliability: F}\n",
            A: briefing(
                citations="\n  g:\n    source: legion\n    url: https://t.me/legion/1"
                "\n  r:\n    source: rumours\n    url: https://t.me/rumours/1",
                body="The group said it took the village [@g; @r].\n",
            ),
        },
        [
            f"{A}:13: warning: paragraph rests only on sources graded E or F: "
            '"The group said it took…" (cite a source graded A to D as well, or attribute '
            "the claim to its source)"
        ],
    ),
    "claim graded confirmed on one citation": (
        {A: briefing(citations="\n  g:\n    source: gladkov\n    credibility: 1")},
        [
            f"{A}:10: warning: citation 'g' is graded 1, confirmed by other sources, but is the "
            'only one this paragraph cites: "Shelling reported." (cite the confirming sources '
            "here too, or grade it 2 (probably true))"
        ],
    ),
    "claim graded confirmed with its confirmation": (
        {
            A: briefing(
                citations="\n  g:\n    source: gladkov\n    credibility: 1"
                "\n  d:\n    source: dw\n    credibility: 2",
                body="Shelling reported [@g; @d].\n",
            )
        },
        [],
    ),
    "paragraph without a citation": (
        {A: briefing(body=f"Shelling reported [@g].\n\n{UNCITED}\n")},
        [f"{A}:12: warning: paragraph without a citation: {OPENING} {CITE}"],
    ),
    "briefing below the site's coverage": (
        {
            "content/site.yaml": "title: T\ncoverage: 0.75\nrequire_archive: false\n",
            A: briefing(body=f"{UNCITED} [@g]\n\n{UNCITED}\n"),
        },
        [
            f"{A}:1: warning: 50% of its claims cite a source (1 of 2), less than the 75% that "
            "'coverage' in content/site.yaml asks for (cite the claims reported, or mark your "
            "own analysis as '::: assessment')",
            f"{A}:12: warning: paragraph without a citation: {OPENING} {CITE}",
        ],
    ),
    "fenced block of an unknown kind": (
        {A: briefing(body="Shelling reported [@g].\n\n::: asessment\nOur view.\n:::\n")},
        [f"{A}:12:1: error: unknown block '::: asessment' (did you mean 'assessment'?)"],
    ),
    "assessment never closed": (
        {A: briefing(body="Shelling reported [@g].\n\n::: assessment\nOur view.\n\nMore.\n")},
        [f"{A}:12:1: error: '::: assessment' is not closed (end the block with a line ':::')"],
    ),
    "closing fence with nothing to close": (
        {A: briefing(body="Shelling reported [@g].\n:::\n")},
        [
            f"{A}:11:1: error: ':::' closes no block (remove it, or open a block with "
            "'::: assessment')"
        ],
    ),
    "coverage as a percentage number": (
        {"content/site.yaml": "title: T\ncoverage: 90\nrequire_archive: false\n", A: briefing()},
        [
            "content/site.yaml:2:11: error: 'coverage' must be a number from 0 to 1, like 0.9 "
            "(for 90%, write 0.9)"
        ],
    ),
    "coverage with a percent sign": (
        {"content/site.yaml": "title: T\ncoverage: 90%\nrequire_archive: false\n", A: briefing()},
        [
            "content/site.yaml:2:11: error: 'coverage' must be a number from 0 to 1, like 0.9 "
            "(write a share: 0.9 for 90%)"
        ],
    ),
    "coverage that is no number": (
        {"content/site.yaml": "title: T\ncoverage: yes\nrequire_archive: false\n", A: briefing()},
        ["content/site.yaml:2:11: error: 'coverage' must be a number from 0 to 1, like 0.9"],
    ),
    "coverage misspelt": (
        {"content/site.yaml": "title: T\ncoverge: 0.9\nrequire_archive: false\n", A: briefing()},
        [
            "content/site.yaml:2: warning: unknown field 'coverge' in site.yaml "
            "(did you mean 'coverage'?)"
        ],
    ),
    "claim length below zero": (
        {
            "content/site.yaml": "title: T\nmin_claim_words: -1\nrequire_archive: false\n",
            A: briefing(),
        },
        ["content/site.yaml:2:18: error: 'min_claim_words' must be a whole number of at least 0"],
    ),
    "template undefined variable": (
        {A: briefing(), "templates/briefing.html": "<main>\n{{ briefing.headline }}\n</main>\n"},
        [
            "templates/briefing.html:2:1: error: template error while rendering "
            "/briefings/a/: 'briefgen.model.Briefing object' has no attribute 'headline'"
        ],
    ),
    "broken link a template writes": (
        {
            A: briefing(),
            "templates/briefing.html": (
                '<html><main id="cite-1">\n<a href="../nowhere/">x</a>\n</main></html>\n'
            ),
        },
        [
            "templates/briefing.html:2: warning: broken link '../nowhere/': no such page or "
            "file in the site"
        ],
    ),
    "broken link a template writes by url()": (
        {
            A: briefing(),
            "templates/briefing.html": (
                '<html><main id="cite-1">\n<a href="{{ url(\'regions/nowhere/\') }}">x</a>\n'
                "</main></html>\n"
            ),
        },
        [
            "templates/briefing.html:2: warning: broken link '../../regions/nowhere/': no such "
            "page or file in the site"
        ],
    ),
    "broken link a body writes by reference and a template as it is": (
        {
            A: briefing(body="Shelling [@g], [mapped][r].\n\n[r]: ../nowhere/\n"),
            "templates/briefing.html": (
                '<html><main id="cite-1">\n<a href="../nowhere/">x</a>\n</main></html>\n'
            ),
        },
        [f"{A}:12: warning: broken link '../nowhere/': no such page or file in the site"],
    ),
    "broken anchor of a content file by a reference definition": (
        {
            A: briefing(body="Shelling [@g], [mapped][r].\n\n[r]: <b.md#nowhere>\n"),
            "content/briefings/b.md": briefing(),
        },
        [
            f"{A}:12: warning: broken link 'b.md#nowhere': page /briefings/b/ has no anchor "
            "'#nowhere'"
        ],
    ),
    "citations in a link's text": (
        {
            A: briefing(
                body="As [the post [@g]](https://t.me/x) says [@g].\n\n"
                "As [@g] and [the [@g] post][p] say.\n\n[p]: https://t.me/y\n\n"
                "Code is no citation: [the `[@g]` form](https://pandoc.org/), "
                "[the <code>[@g]</code> form](https://pandoc.org/).\n\n"
                "Nor is <a href='https://t.me/z'>the post [@g]</a>, an HTML link's.\n\n"
                "![A map [@g]](https://example.org/map.png)\n"
            )
        },
        [
            f"{A}:10: warning: '[@g]' is in a link's text, where no citation can be (its "
            "marker would be a link inside a link), and is published as written (put it "
            "after the link, '[…](…) [@g]', or write '\\[@g]' to show it as text)",
            f"{A}:12: warning: '[@g]' is in a link's text, where no citation can be (its "
            "marker would be a link inside a link), and is published as written (put it "
            "after the link, '[…](…) [@g]', or write '\\[@g]' to show it as text)",
            f"{A}:18: warning: '[@g]' is in a link's text, where no citation can be (its "
            "marker would be a link inside a link), and is published as written (put it "
            "after the link, '[…](…) [@g]', or write '\\[@g]' to show it as text)",
            f"{A}:20: warning: '[@g]' is in an image's description, where no citation can be, "
            "and is published as written (put it after the image, '![…](…) [@g]')",
        ],
    ),
    "citations in a block of HTML": (
        {
            A: briefing(
                body="Shelling reported [@g].\n\n<p>Also reported [@g] and [@nope].</p>\n\n"
                "<details><summary>More</summary>\n\nAs [@g] said.\n\n</details>\n\n"
                "<pre>[@g]</pre>\n\n<p>&#91;@g] on purpose.</p>\n\n<p>[@g, <em>p.</em> 3]</p>\n"
            )
        },
        [
            f"{A}:12: warning: '[@g]' is in a block of HTML, which Markdown leaves as it is, "
            "so it is no citation and is published as written (write the paragraph in "
            "Markdown, outside the HTML, or write '&#91;' for the bracket itself)",
            f"{A}:12: warning: '[@nope]' is in a block of HTML, which Markdown leaves as it "
            "is, so it is no citation and is published as written (write the paragraph in "
            "Markdown, outside the HTML, or write '&#91;' for the bracket itself)",
            f"{A}:16: warning: '[@g]' is in a block of HTML, which Markdown leaves as it is, "
            "so it is no citation and is published as written (write the paragraph in "
            "Markdown, outside the HTML, or write '&#91;' for the bracket itself)",
            f"{A}:24: warning: '[@g, p. 3]' is in a block of HTML, which Markdown leaves as it "
            "is, so it is no citation and is published as written (write the paragraph in "
            "Markdown, outside the HTML, or write '&#91;' for the bracket itself)",
        ],
    ),
    "template failing as Python does": (
        {A: briefing(), "templates/briefing.html": "<main>\n{{ 1 // 0 }}\n</main>\n"},
        [
            "templates/briefing.html:2:1: error: template error while rendering "
            "/briefings/a/: integer division or modulo by zero (ZeroDivisionError)"
        ],
    ),
    "template including one that is not there": (
        {
            A: briefing(),
            "templates/briefing.html": "<main>\n{% include 'nope.html' %}\n</main>\n",
        },
        ["templates/briefing.html:2:1: error: template not found: nope.html"],
    ),
    "template calling itself without end": (
        {
            A: briefing(),
            "templates/briefing.html": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n"
            "<main>{{ f(0) }}</main>\n",
        },
        [
            "templates/briefing.html:1:1: error: template error while rendering /briefings/a/: "
            "a macro or template calls itself without end"
        ],
    ),
}


def cited(*fields: str) -> str:
    """The citation 'g' of briefing() (lines 6-8) with ``fields`` added from line 9."""
    added = "".join(f"\n    {field}" for field in fields)
    return f"\n  g:\n    source: gladkov\n    url: https://t.me/vvgladkov/1{added}"


ARCHIVING = "title: Test\nbase_url: https://example.org/\n"  # copies checked as by default
WAYBACK = "https://web.archive.org/web/20230602120000"

# Grades and archived copies: line 9 is the first added field, '---' follows it.
CASES.update(
    {
        "credibility written as a grading": (
            {A: briefing(citations=cited("credibility: C2"))},
            [
                f"{A}:9:18: error: credibility must be a whole number from 1 to 6 (Admiralty "
                "scale), not 'C2' (write the number alone, 2: the source's reliability (C) "
                "belongs in content/sources.yaml)"
            ],
        ),
        "credibility quoted": (
            {A: briefing(citations=cited("credibility: '2'"))},
            [
                f"{A}:9:18: error: credibility must be a whole number from 1 to 6 (Admiralty "
                "scale), not '2' (remove the quotes)"
            ],
        ),
        "credibility out of range": (
            {A: briefing(citations=cited("credibility: 7"))},
            [
                f"{A}:9:18: error: credibility must be a whole number from 1 to 6 (Admiralty "
                "scale), not '7' (1 confirmed by other sources, 2 probably true, 3 possibly "
                "true, 4 doubtful, 5 improbable, 6 truth cannot be judged)"
            ],
        ),
        "credibility written as a time": (
            {A: briefing(citations=cited("credibility: 1:00"))},
            [
                f"{A}:9:18: error: credibility must be a whole number from 1 to 6 (Admiralty "
                "scale), not '1:00' (1 confirmed by other sources, 2 probably true, 3 possibly "
                "true, 4 doubtful, 5 improbable, 6 truth cannot be judged)"
            ],
        ),
        "credibility not whole": (
            {A: briefing(citations=cited("credibility: 2.5"))},
            [
                f"{A}:9:18: error: credibility must be a whole number from 1 to 6 (Admiralty "
                "scale), not '2.5' (1 confirmed by other sources, 2 probably true, 3 possibly "
                "true, 4 doubtful, 5 improbable, 6 truth cannot be judged)"
            ],
        ),
        "credibility read as a boolean": (
            {A: briefing(citations=cited("credibility: yes"))},
            [
                f"{A}:9:18: error: credibility must be a whole number from 1 to 6 (Admiralty "
                "scale), not true/false (1 confirmed by other sources, 2 probably true, "
                "3 possibly true, 4 doubtful, 5 improbable, 6 truth cannot be judged)"
            ],
        ),
        "credibility misspelt": (
            {A: briefing(citations=cited("credibilty: 2"))},
            [
                f"{A}:9: warning: unknown field 'credibilty' in citation 'g' "
                "(did you mean 'credibility'?)"
            ],
        ),
        "grades required: an ungraded citation and source": (
            {
                "content/site.yaml": "title: T\nrequire_grades: true\nrequire_archive: false\n",
                A: briefing(citations=cited() + "\n  d:\n    source: dw\n    credibility: 2"),
                "content/briefings/b.md": briefing(
                    body="Shelling reported [@g]. DW agreed [@d].\n",
                    citations=cited("credibility: 3")
                    + "\n  d:\n    source: dw\n    credibility: 2",
                ),
            },
            [
                f"{A}:6: warning: citation 'g' has no credibility grade (add 'credibility:' "
                "from 1 (confirmed by other sources) to 6 (truth cannot be judged))",
                f"{A}:9: warning: citation 'd' is defined but never cited in the text "
                "(cite it as [@d] or remove it)",
                "content/sources.yaml:5: warning: source 'dw' has no reliability grade (add "
                "'reliability:' from A (completely reliable) to F (reliability cannot be judged))",
            ],
        ),
        "grades required without a source registry": (
            {
                "content/site.yaml": "title: T\nrequire_grades: true\nrequire_archive: false\n",
                "content/sources.yaml": None,
                A: briefing(citations=cited("credibility: 2")),
            },
            [
                f"{A}:7: warning: source 'gladkov' has no reliability grade (list it in "
                "content/sources.yaml with 'reliability:' from A (completely reliable) to F "
                "(reliability cannot be judged))"
            ],
        ),
        "grades required is not a flag": (
            {
                "content/site.yaml": "title: T\nrequire_grades: some\nrequire_archive: false\n",
                A: briefing(),
            },
            ["content/site.yaml:2:17: error: 'require_grades' must be true or false"],
        ),
        "citation without an archived copy": (
            {"content/site.yaml": ARCHIVING, A: briefing()},
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)"
            ],
        ),
        "citation without an archived copy where one is required": (
            {"content/site.yaml": ARCHIVING + "require_archive: true\n", A: briefing()},
            [
                f"{A}:6:3: error: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc ('require_archive' in "
                "content/site.yaml asks for one))"
            ],
        ),
        "copies required for the grades of the source": (
            {"content/site.yaml": ARCHIVING + "require_archive: [C, D]\n", A: briefing()},
            [
                f"{A}:6:3: error: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc ('require_archive' in "
                "content/site.yaml asks for one))"
            ],
        ),
        "copies required for other grades than the source's": (
            {"content/site.yaml": ARCHIVING + "require_archive: [E, F]\n", A: briefing()},
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)"
            ],
        ),
        "citation of no web page needs no copy": (
            {
                "content/site.yaml": ARCHIVING + "require_archive: true\n",
                A: briefing(citations="\n  g:\n    source: gladkov\n    title: Interview"),
            },
            [],
        ),
        "data archive url of a web citation": (
            {
                "content/site.yaml": ARCHIVING,
                A: briefing(
                    citations="\n  g:\n    source: gladkov\n    url: https://t.me/x/1"
                    "\n    archive: 'data:text/html;base64,AAAA'"
                ),
            },
            [
                f"{A}:9:14: error: 'archive' must be an http, https or mailto URL, not "
                "'data:text/html;base64,AAAA'"
            ],
        ),
        "blank archive where one is required": (
            {
                "content/site.yaml": ARCHIVING + "require_archive: true\n",
                A: briefing(citations=cited("archive: ' '")),
            },
            [
                f"{A}:6:3: error: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc ('require_archive' in "
                "content/site.yaml asks for one))"
            ],
        ),
        "copies required for a grade that is none": (
            {"content/site.yaml": ARCHIVING + "require_archive: [D, G]\n", A: briefing()},
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)",
                "content/site.yaml:3:22: error: 'require_archive' lists 'G', which is not a "
                "reliability grade (use the letters A–F of the Admiralty scale)",
            ],
        ),
        "copies required with a word": (
            {"content/site.yaml": ARCHIVING + "require_archive: sometimes\n", A: briefing()},
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)",
                "content/site.yaml:3:18: error: 'require_archive' must be true, false or a list "
                "of reliability grades (like [D, E, F])",
            ],
        ),
        "copies required for a grade in lower case": (
            {"content/site.yaml": ARCHIVING + "require_archive: [D, e]\n", A: briefing()},
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)",
                "content/site.yaml:3:22: error: 'require_archive' lists 'e', which is not a "
                "reliability grade (did you mean 'E'?)",
            ],
        ),
        "copies required with a number": (
            {"content/site.yaml": ARCHIVING + "require_archive: 3\n", A: briefing()},
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)",
                "content/site.yaml:3:18: error: 'require_archive' must be true, false or a list "
                "of reliability grades (like [D, E, F])",
            ],
        ),
        "copy outside the known web archives": (
            {
                "content/site.yaml": ARCHIVING,
                A: briefing(citations=cited("archive: https://mirror.example.net/t.me/1")),
            },
            [
                f"{A}:9: warning: 'archive' is on mirror.example.net, which is not a known web "
                "archive (use web.archive.org, archive.today or perma.cc, or add the host to "
                "'archive_hosts' in content/site.yaml)"
            ],
        ),
        "copy outside the known web archives where one is required": (
            {
                "content/site.yaml": ARCHIVING + "require_archive: true\n",
                A: briefing(citations=cited("archive: https://mirror.example.net/t.me/1")),
            },
            [
                f"{A}:9:14: error: 'archive' is on mirror.example.net, which is not a known web "
                "archive (use web.archive.org, archive.today or perma.cc, or add the host to "
                "'archive_hosts' in content/site.yaml)"
            ],
        ),
        "copies on hosts the site accepts": (
            {
                "content/site.yaml": ARCHIVING + "archive_hosts: [arquivo.pt]\n",
                A: briefing(
                    body="Shelling reported [@g; @h; @p].\n",
                    citations=cited("archive: https://arquivo.pt/wayback/2023/t.me/1")
                    + "\n  h:\n    source: gladkov\n    url: https://t.me/vvgladkov/2"
                    + "\n    archive: https://www.example.org/copies/2.pdf"
                    + "\n  p:\n    source: gladkov\n    url: https://t.me/vvgladkov/3"
                    + "\n    archive: https://perma.cc/AB12-CD34",
                ),
            },
            [],
        ),
        "archive hosts given as a URL": (
            {
                "content/site.yaml": ARCHIVING + "archive_hosts: ['https://arquivo.pt/']\n",
                A: briefing(),
            },
            [
                f"{A}:6: warning: citation 'g' has no archived copy (add 'archive:' with a copy "
                "on web.archive.org, archive.today or perma.cc)",
                "content/site.yaml:3:17: error: 'archive_hosts' lists 'https://arquivo.pt/', "
                "which is not a host name (write the host alone, like 'arquivo.pt')",
            ],
        ),
        "Wayback copy of another page": (
            {A: briefing(citations=cited(f"archive: {WAYBACK}/https://t.me/vvgladkov/2"))},
            [
                f"{A}:9: warning: the archived copy is of 'https://t.me/vvgladkov/2', not of "
                "the citation's url 'https://t.me/vvgladkov/1' (make 'archive' a copy of the "
                "page that 'url' names)"
            ],
        ),
        "Wayback copy of the same page written otherwise": (
            {A: briefing(citations=cited(f"archive: {WAYBACK}id_/http://www.t.me/vvgladkov/1/"))},
            [],
        ),
        "archive.today copy of another page": (
            {
                A: briefing(
                    citations=cited(
                        "archive: https://archive.ph/2023.06.02-120000/https://t.me/vvgladkov/9"
                    )
                )
            },
            [
                f"{A}:9: warning: the archived copy is of 'https://t.me/vvgladkov/9', not of "
                "the citation's url 'https://t.me/vvgladkov/1' (make 'archive' a copy of the "
                "page that 'url' names)"
            ],
        ),
        "copy made before the item was published": (
            {
                A: briefing(
                    citations=cited(
                        "published: 2023-06-02T09:00:00+03:00",
                        f"archive: {WAYBACK}/https://t.me/vvgladkov/1",
                        "archived_at: 2023-06-02T05:59:00Z",
                    )
                )
            },
            [
                f"{A}:11: warning: 'archived_at' 2023-06-02T05:59:00+00:00 is before "
                "'published' 2023-06-02T09:00:00+03:00 (a copy cannot be older than what it "
                "copies: check both dates)"
            ],
        ),
        "copy made the day the item was published": (
            {
                A: briefing(
                    citations=cited(
                        "published: 2023-06-02T09:00:00+03:00",
                        f"archive: {WAYBACK}/https://t.me/vvgladkov/1",
                        "archived_at: 2023-06-02",
                    )
                )
            },
            [],
        ),
        "copy dated a day before the item": (
            {
                A: briefing(
                    citations=cited(
                        "published: 2023-06-02",
                        f"archive: {WAYBACK}/https://t.me/vvgladkov/1",
                        "archived_at: 2023-06-01",
                    )
                )
            },
            [
                f"{A}:11: warning: 'archived_at' 2023-06-01 is before 'published' 2023-06-02 "
                "(a copy cannot be older than what it copies: check both dates)"
            ],
        ),
        "copy dated without a copy": (
            {A: briefing(citations=cited("archived_at: 2023-06-02"))},
            [
                f"{A}:9: warning: 'archived_at' dates an archived copy, but the citation has no "
                "'archive' (add the copy's URL as 'archive:', or remove 'archived_at')"
            ],
        ),
        "copy dated impossibly": (
            {
                A: briefing(
                    citations=cited(
                        f"archive: {WAYBACK}/https://t.me/vvgladkov/1", "archived_at: 2023-02-30"
                    )
                )
            },
            [
                f"{A}:10:18: error: 'archived_at' is not a real date: 2023-02-30 (day is out of "
                "range for month)"
            ],
        ),
    }
)

CASES.update(
    {
        "search switched with a word": (
            {
                "content/site.yaml": "title: T\nsearch: off please\nrequire_archive: false\n",
                A: briefing(),
            },
            ["content/site.yaml:2:9: error: 'search' must be true or false"],
        ),
        "search setting misspelt": (
            {
                "content/site.yaml": "title: T\nserch: false\nrequire_archive: false\n",
                A: briefing(),
            },
            [
                "content/site.yaml:2: warning: unknown field 'serch' in site.yaml "
                "(did you mean 'search'?)"
            ],
        ),
    }
)

P = "content/pages/about.md"
B = "content/briefings/b.md"
# Errors found before a page is rendered do not hide those found after, in other files.
CASES.update(
    {
        "broken link beside an unknown region": (
            {
                A: briefing(regions="[shebekno]"),
                P: "---\ntitle: About\n---\n\nSee [the team](/pages/team/).\n",
            },
            [
                f"{A}:4:11: error: unknown region 'shebekno' (not in content/regions.yaml) "
                "(did you mean 'shebekino'?)",
                f"{P}:5: warning: broken link '/pages/team/': no such page or file in the site",
            ],
        ),
        "a template's error beside a content error": (
            {
                A: briefing(regions="[shebekno]"),
                "templates/tags.html": "{% extends 'default/tags.html' %}"
                "{% block main %}{{ site.nothing.here }}{% endblock %}\n",
            },
            [
                f"{A}:4:11: error: unknown region 'shebekno' (not in content/regions.yaml) "
                "(did you mean 'shebekino'?)",
                "templates/tags.html:1:1: error: template error while rendering /tags/: "
                "'briefgen.render.reads.SiteView object' has no attribute 'nothing'",
            ],
        ),
        "broken link beside a warning made an error": (
            {
                A: briefing(front="sumary: x\n"),
                P: "---\ntitle: About\n---\n\nSee [the team](/pages/team/).\n",
            },
            [
                f"{A}:9: warning: unknown field 'sumary' in a briefing (did you mean 'summary'?)",
                f"{P}:5: warning: broken link '/pages/team/': no such page or file in the site",
            ],
        ),
        "a link to a file that does not exist, told once": (
            {
                A: briefing(body="Shelling [@g]. See [it](later.md) or [its map](later.md#map).\n"),
                P: "---\ntitle: About\n---\n\nSee [the team](/pages/team/).\n",
            },
            [
                f"{A}:10:25: error: link 'later.md' is to no briefing or page: there is no "
                "file content/briefings/later.md (did you mean 'a.md'?)",
                f"{A}:10:48: error: link 'later.md#map' is to no briefing or page: there is "
                "no file content/briefings/later.md (did you mean 'a.md'?)",
                f"{P}:5: warning: broken link '/pages/team/': no such page or file in the site",
            ],
        ),
        "links to a briefing that cannot be read are not blamed": (
            {
                A: briefing(date="2023-06-2"),
                P: "---\ntitle: About\n---\n\n[a](../briefings/a.md), [b](/briefings/a/#x)\n",
            },
            [
                f"{A}:3:7: error: 'date' must be a date, not '2023-06-2' "
                "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)",
            ],
        ),
        "links of a briefing with a wrong date and a page without a title": (
            {
                A: briefing(date="2023-06-2", body="Shelling [@g]. See [b](later.md).\n"),
                B: briefing(title="B"),
                P: "---\ntitel: About\n---\n\n[x](../briefings/gone.md), [b](../briefings/b.md)\n",
            },
            [
                f"{A}:3:7: error: 'date' must be a date, not '2023-06-2' "
                "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)",
                f"{A}:10:24: error: link 'later.md' is to no briefing or page: there is no "
                "file content/briefings/later.md (did you mean 'a.md'?)",
                f"{P}:2:1: error: missing required field 'title' (add 'title: …')",
                f"{P}:2: warning: unknown field 'titel' in a page (did you mean 'title'?)",
                f"{P}:5:5: error: link '../briefings/gone.md' is to no briefing or page: there "
                "is no file content/briefings/gone.md (did you mean '../briefings/b.md' or "
                "'../briefings/a.md'?)",
            ],
        ),
        "every field of a briefing with a wrong date": (
            {A: briefing(date="2023-06-2", front="summary: [x]\ndraft: maybe\n")},
            [
                f"{A}:3:7: error: 'date' must be a date, not '2023-06-2' "
                "(use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+03:00)",
                f"{A}:9:10: error: 'summary' must be text, not a list",
                f"{A}:10:8: error: 'draft' must be true or false",
            ],
        ),
        "alias of the sitemap": (
            {A: briefing(front="aliases: [/sitemap.xml]\n")},
            [
                f"{A}:9:11: error: alias '/sitemap.xml' is already a file of the site "
                "(remove the alias)"
            ],
        ),
        "alias of a theme asset": (
            {A: briefing(front="aliases: [/assets/style.css]\n")},
            [
                f"{A}:9:11: error: alias '/assets/style.css' is already a file of the site "
                "(remove the alias)"
            ],
        ),
        "static file in the search index": (
            {A: briefing(), "content/static/pagefind/pagefind-ui.js": "// mine\n"},
            [
                "content/static/pagefind/pagefind-ui.js:1:1: error: static file clashes with the "
                "search index: /pagefind/pagefind-ui.js (move it out of pagefind/, or set "
                "'search: false' in site.yaml)"
            ],
        ),
        "static file named as the output's manifest": (
            {A: briefing(), "content/static/.briefgen-manifest": "{}\n"},
            [
                "content/static/.briefgen-manifest:1:1: error: static file clashes with "
                "briefgen's list of the files it wrote: /.briefgen-manifest (rename it)"
            ],
        ),
        "static file named as briefgen's marker": (
            {A: briefing(), "content/static/.briefgen-made-this": "x\n"},
            [
                "content/static/.briefgen-made-this:1:1: error: static file has the name of a "
                "file of briefgen's own: /.briefgen-made-this (rename it)"
            ],
        ),
        "static files in a folder that is a file of the site, or a file for a folder": (
            {
                A: briefing(),
                "content/static/404.html/a.txt": "mine\n",
                "content/static/feed.xml/b.txt": "mine\n",
            },
            [
                f"content/static/{rel}/{name}:1:1: error: static file /{rel}/{name} is in a "
                f"folder that is a file of the site: /{rel} (move it to another folder)"
                for rel, name in [("404.html", "a.txt"), ("feed.xml", "b.txt")]
            ],
        ),
        "a static file where the theme has a folder": (
            {A: briefing(), "content/static/assets": "mine\n"},
            [
                "content/static/assets:1:1: error: static file /assets is where the site has "
                "a folder of files (rename it)"
            ],
        ),
        "static files that differ from the site's only in letter case": (
            {
                A: briefing(front="aliases: [/briefings/old-a/]\ntags: [caf\u00e9]\n"),
                "content/static/Index.html": "mine\n",
                "content/static/ASSETS/style.css": "mine\n",
                "content/static/Regions/x.txt": "mine\n",
                "content/static/briefings/A/x.txt": "mine\n",
                "content/static/.Briefgen-Manifest": "mine\n",
                "content/static/PageFind/x.js": "mine\n",
                "content/static/briefings/Old-A/index.html": "mine\n",
                "content/static/tags/Cafe\u0301/x.txt": "mine\n",
                "content/static/briefings/a-note.txt": "fine\n",
                "content/static/img/map.png": "fine\n",
            },
            [
                f"content/static/{rel}:1:1: error: static file /{rel} differs from /{other} "
                "only in letter case or accents, so both would be one file on macOS and "
                "Windows (rename it)"
                for rel, other in [
                    (".Briefgen-Manifest", ".briefgen-manifest"),
                    ("ASSETS/style.css", "assets"),
                    ("Index.html", "index.html"),
                    ("PageFind/x.js", "pagefind"),
                    ("Regions/x.txt", "regions"),
                    ("briefings/A/x.txt", "briefings/a"),
                    ("briefings/Old-A/index.html", "briefings/old-a"),
                    ("tags/Cafe\u0301/x.txt", "tags/caf\u00e9"),
                ]
            ],
        ),
        "every field of a page without a title": (
            {
                A: briefing(),
                P: "---\nsummary: [x]\ndraft: maybe\nweight: '10'\nnav: hidden\n---\nText.\n",
            },
            [
                f"{P}:2:1: error: missing required field 'title' (add 'title: …')",
                f"{P}:2:10: error: 'summary' must be text, not a list",
                f"{P}:3:8: error: 'draft' must be true or false",
                f"{P}:4:9: error: 'weight' must be a whole number, like 10 (remove the quotes)",
                f"{P}:5:6: error: 'nav' must be true or false",
            ],
        ),
    }
)


def write_site(root: Path, files: dict[str, str | bytes | None]) -> None:
    """The site of ``files`` over :data:`SITE`; None leaves a file of SITE out."""
    for rel, text in {**SITE, **files}.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["build", "-s", str(root), *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_reported_exactly(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, expected = CASES[name]
    write_site(tmp_path, files)
    code, lines = run(tmp_path, capsys)
    assert lines == expected
    has_errors = any(": error: " in line for line in expected)
    assert code == (1 if has_errors else 0)
    if expected and not has_errors:
        strict_code, strict_lines = run(tmp_path, capsys, "--strict")
        assert strict_code == 1
        assert all(": error: " in line for line in strict_lines)


@pytest.mark.parametrize(
    "files",
    [
        {A: briefing(front="x: " + "[" * 1000 + "]" * 1000 + "\n")},
        {"content/regions.yaml": "x:\n" + "".join(" " * n + "- \n" for n in range(1, 1200))},
    ],
    ids=["front matter", "registry"],
)
def test_yaml_nested_too_deeply_is_an_error_of_its_file(
    files: dict[str, str | bytes | None], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PyYAML 6.0.4 reports it where the limit is passed; before, its composer ran out
    of Python's stack, which briefgen reports at the document's start."""
    write_site(tmp_path, files)
    code, lines = run(tmp_path, capsys)
    assert code == 1
    ((path, _),) = files.items()
    (line,) = lines
    assert re.fullmatch(
        re.escape(path) + r":\d+:\d+: error: (YAML is nested too deeply to read|invalid YAML: "
        r"exceeded maximum nesting depth) \(nest lists and mappings less\)",
        line,
    ), line


def test_drafts_are_checked_when_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files, _ = CASES["draft with faults is not checked until drafts are built"]
    write_site(tmp_path, files)
    code, lines = run(tmp_path, capsys, "--drafts")
    assert code == 1
    assert lines == [
        f"{A}:4:11: error: unknown region 'nowhere' (not in content/regions.yaml) (add it "
        "there, or use a key it has, such as 'shebekino', 'belgorod' or 'russia')",
        f"{A}:10: warning: unknown field 'sumary' in a briefing (did you mean 'summary'?)",
    ]


def test_corpus_is_broad() -> None:
    assert len(CASES) >= 40


def test_many_faults_are_all_reported_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files: dict[str, str | bytes | None] = {}
    expected: list[str] = []
    for name in ("unknown region", "impossible date", "undefined citation in body", "empty file"):
        (case_files, case_lines) = CASES[name]
        slug = name.replace(" ", "-")
        files[f"content/briefings/{slug}.md"] = case_files[A]
        expected += [line.replace(A, f"content/briefings/{slug}.md") for line in case_lines]
    write_site(tmp_path, files)
    code, lines = run(tmp_path, capsys)
    assert code == 1
    assert lines == sorted(expected)


def test_bom_and_crlf_build_exactly_like_the_clean_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean, messy = tmp_path / "clean", tmp_path / "messy"
    write_site(clean, {A: briefing()})
    write_site(messy, {A: b"\xef\xbb\xbf" + briefing().replace("\n", "\r\n").encode()})
    assert run(clean, capsys) == (0, [])
    assert run(messy, capsys) == (0, [])
    for page in (clean / "public").rglob("*"):
        if page.is_file():
            assert (
                page.read_bytes()
                == (messy / "public" / page.relative_to(clean / "public")).read_bytes()
            )


@pytest.mark.parametrize("command", ["check", "build"])
def test_broken_links_are_reported_beside_strict_warnings(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under --strict a warning stops the build before its pages are rendered; the
    links of those pages are checked all the same, in the same run."""
    files, _ = CASES["broken link beside a warning made an error"]
    write_site(tmp_path, files)
    code = main([command, "-s", str(tmp_path), "--strict"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{A}:9:1: error: unknown field 'sumary'" in err
    assert f"{P}:5:16: error: broken link '/pages/team/'" in err


@pytest.mark.parametrize("cache", [True, False])
def test_a_file_name_that_is_not_utf8_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: bool
) -> None:
    """A name the disk gives in another encoding has no URL; before, the cache failed to
    store it with a traceback, and without the cache it was published as '/b-d/'."""
    write_site(tmp_path, {A: briefing()})
    name = os.fsdecode(b"b\xe9d.md")
    (tmp_path / "content/briefings" / name).write_text(briefing(title="Bad name"))
    code, lines = run(tmp_path, capsys, *([] if cache else ["--no-cache"]))
    assert code == 1
    assert lines == [
        "content/briefings/b\ufffdd.md:1:1: error: the name 'b\ufffdd.md' is not UTF-8 (the "
        "byte 0xe9), so no URL can name it (rename it)"
    ]
