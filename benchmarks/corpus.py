"""A deterministic corpus of briefings for benchmarks.

``generate(n, seed)`` describes a site: an 80-region tree (country -> oblast ->
town), a 400-source registry and ``n`` briefings of realistic size (a ~5 KB
Markdown body with headings, paragraphs, sometimes a list or a table; ~2 KB of
front matter with 3-8 citations). Regions, sources and tags are drawn with
Zipf-like popularity, so a few are cited very often; dates spread over two years.

Everything comes from one seeded ``random.Random``: the same ``n`` and ``seed``
give a byte-identical corpus. ``write_site`` writes it as a briefgen site;
``benchmarks/peers.py`` writes the same corpus for other generators.

    python benchmarks/corpus.py DIR --count 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REGION_COUNT = 80
SOURCE_COUNT = 400
TAG_COUNT = 60
START = dt.date(2022, 3, 1)
DAYS = 730  # about two years
EDIT_PREFIX = "Benchmark edit"

# -- the registries -------------------------------------------------------------------

COUNTRIES = {
    "russia": ("Russia", ["Belgorod", "Kursk", "Bryansk", "Voronezh", "Smolensk"]),
    "ukraine": ("Ukraine", ["Kharkiv", "Sumy", "Chernihiv", "Luhansk", "Zaporizhzhia"]),
    "belarus": ("Belarus", ["Gomel", "Mogilev"]),
}
TOWN_STARTS = (
    "Novo", "Staro", "Krasno", "Belo", "Cherno", "Veliko", "Zolo", "Pokrov", "Sosno",
    "Dubro", "Kamen", "Lipo", "Ozer", "Topol", "Yasno", "Gorod", "Rech", "Polev",
)  # fmt: skip
TOWN_ENDS = ("ka", "ovka", "ino", "sk", "aya", "yevo", "ovo", "ets", "ivka", "ny")
SOURCE_FIRSTS = (
    "Border", "Steppe", "River", "Northern", "Eastern", "Frontier", "Oblast", "Civic",
    "Open", "Free", "Morning", "Evening", "Daily", "Regional", "Independent", "Local",
    "Central", "Southern", "Western", "United",
)  # fmt: skip
SOURCE_SECONDS = (
    ("Telegram", "telegram"), ("Herald", "newspaper"), ("Gazette", "newspaper"),
    ("Radio", "broadcaster"), ("TV", "broadcaster"), ("Monitor", "ngo"),
    ("Institute", "think-tank"), ("Review", "think-tank"), ("Agency", "agency"),
    ("Wire", "agency"), ("Post", "newspaper"), ("Bulletin", "official"),
    ("Administration", "official"), ("Ministry", "official"), ("Watch", "ngo"),
    ("Observer", "blog"), ("Notes", "blog"), ("Times", "newspaper"),
    ("Channel", "telegram"), ("Network", "local-media"),
)  # fmt: skip
COUNTRY_CODES = ("RU", "UA", "BY", "DE", "GB", "US", "FR", "PL", "LT", "LV")
# No E or F: a claim citing only such sources is a warning, and the benchmark builds
# with --strict; a generated claim has no second source to add.
GRADES = "AABBBCCCCDD"

# -- text ------------------------------------------------------------------------------

_WORDS_TEXT = """
the of and to in a on for with at from by after before during near across over under
residents officials governor authorities village town district border shelling drone
drones strike strikes attack attacks artillery missile rocket air defence power grid
substation school hospital road bridge railway station fuel depot warehouse farm field
evacuation evacuees children families volunteers buses shelter shelters curfew police
report reported reports said says according claimed denied confirmed could not be
independently verified several dozens hundreds thousands two three four five night
morning evening overnight weekend week month damage damaged destroyed injured killed
wounded civilians soldiers troops units forces regional federal ministry defence
emergency services firefighters repair crews electricity water gas heating supply
outages restored partly fully largely local media channel post video footage photos
satellite images analysts experts observers journalists correspondents interview
statement briefing spokesman spokeswoman announced warned urged promised compensation
payments housing damaged homes windows roofs cars vehicles trucks checkpoint crossing
river forest highway outskirts centre eastern western northern southern area areas
territory front line positions incursion raid group groups fighters sabotage mines
landmines unexploded ordnance sappers clearance schools closed lessons online markets
prices shortages queues hospitals doctors patients ambulance blood donations aid
humanitarian convoy deliveries food medicine generators winter summer spring autumn
tension rumours panic calm routine sirens alerts warnings telegram channels messages
"""
WORDS = tuple(_WORDS_TEXT.split())
HEADINGS = (
    "What happened", "Background", "Official statements", "Damage and casualties",
    "Evacuation", "Reactions", "Verification", "Context", "What we do not know",
    "Timeline", "Local accounts", "Infrastructure", "Analysis", "Outlook",
)  # fmt: skip
TAGS = (
    "shelling", "evacuation", "drones", "air defence", "power grid", "children",
    "casualties", "infrastructure", "incursion", "sabotage", "refugees", "schools",
    "hospitals", "railways", "fuel", "curfew", "martial law", "propaganda", "censorship",
    "mobilisation", "prisoners", "compensation", "volunteers", "humanitarian aid",
    "landmines", "border crossings", "agriculture", "energy", "water supply", "heating",
    "telecoms", "media", "protests", "courts", "detentions", "elections", "economy",
    "prices", "transport", "airports", "bridges", "ports", "river crossings", "forests",
    "wildfires", "weather", "cyberattacks", "espionage", "partisans", "air raids",
    "sirens", "shelters", "fortifications", "trenches", "checkpoints", "smuggling",
    "disinformation", "satellite imagery", "analysis", "week in review",
)  # fmt: skip
RU_QUOTES = (
    ("Обстрел продолжался всю ночь.", "The shelling went on all night."),
    ("Пострадавших нет, повреждены окна.", "Nobody was hurt; windows were damaged."),
    ("Дети будут вывезены в Воронеж.", "The children will be taken to Voronezh."),
    ("Электроснабжение восстановлено частично.", "Power supply has been partly restored."),
    ("Ситуация остаётся напряжённой.", "The situation remains tense."),
    ("Просим жителей не выходить из домов.", "We ask residents to stay at home."),
)


def zipf_weights(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf weights for ranks 1..count: a few items get most of the picks."""
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


def pick_distinct(
    rng: random.Random, items: Sequence[str], cum_weights: Sequence[float], count: int
) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        item = rng.choices(items, cum_weights=cum_weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# -- the model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    key: str
    name: str
    parent: str
    url: str
    description: str


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    kind: str
    url: str
    country: str
    reliability: str
    description: str


@dataclass(frozen=True)
class Citation:
    key: str
    source: str
    url: str
    title: str
    published: dt.date
    quote: str
    lang: str = ""
    translation: str = ""
    archive: str = ""


@dataclass(frozen=True)
class Briefing:
    index: int
    slug: str
    title: str
    date: dt.date | dt.datetime
    summary: str
    regions: tuple[str, ...]
    tags: tuple[str, ...]
    citations: tuple[Citation, ...]  # as in the front matter (not numbered)
    body: str  # Markdown with Pandoc citations
    updated: dt.datetime | None = None

    @property
    def folder(self) -> str:
        return f"{self.date.year:04d}/{self.date.month:02d}"

    @property
    def day(self) -> dt.date:
        return self.date if not isinstance(self.date, dt.datetime) else self.date.date()


@dataclass(frozen=True)
class Corpus:
    """A whole site; ``briefings()`` regenerates the same briefings on every call."""

    count: int
    seed: int
    regions: dict[str, Region]
    sources: dict[str, Source]
    tags: tuple[str, ...]

    def briefings(self) -> Iterator[Briefing]:
        maker = _BriefingMaker(self, random.Random(f"briefings-{self.seed}"))
        for index in range(self.count):
            yield maker.make(index)

    def ancestors(self, key: str) -> list[str]:
        """The region and every region above it."""
        chain = [key]
        while self.regions[chain[-1]].parent:
            chain.append(self.regions[chain[-1]].parent)
        return chain


def generate(count: int, seed: int = 1, sources: int = SOURCE_COUNT) -> Corpus:
    """The corpus of ``count`` briefings. The benchmark's registry has 400 sources, each
    with a page and a feed whether cited or not; a test of a few dozen briefings can
    ask for fewer ``sources``, so that its builds render its briefings' pages more
    than those of sources nobody cites."""
    rng = random.Random(f"registries-{seed}")
    return Corpus(count, seed, _regions(rng), _sources(rng, sources), TAGS[:TAG_COUNT])


def _regions(rng: random.Random) -> dict[str, Region]:
    regions: dict[str, Region] = {}

    def add(key: str, name: str, parent: str) -> None:
        url = f"https://en.wikipedia.org/wiki/{name.replace(' ', '_')}"
        level = "Country" if not parent else "Oblast" if not regions[parent].parent else "Town"
        description = f"{level} of {regions[parent].name}." if parent else "Country."
        regions[key] = Region(key, name, parent, url, description)

    for key, (name, oblasts) in COUNTRIES.items():
        add(key, name, "")
        for oblast in oblasts:
            add(slugify(oblast), f"{oblast} Oblast", key)
    oblast_keys = [k for k, r in regions.items() if r.parent]
    names = sorted({start + end for start in TOWN_STARTS for end in TOWN_ENDS})
    towns = rng.sample(names, REGION_COUNT - len(regions))
    for number, town in enumerate(towns):
        add(slugify(town), town, oblast_keys[number % len(oblast_keys)])
    return regions


def _sources(rng: random.Random, count: int) -> dict[str, Source]:
    pairs = [(first, second) for first in SOURCE_FIRSTS for second in SOURCE_SECONDS]
    rng.shuffle(pairs)
    sources = {}
    for first, (second, kind) in pairs[:count]:
        key = slugify(f"{first}-{second}")
        name = f"{first} {second}"
        sources[key] = Source(
            key=key,
            name=name,
            kind=kind,
            url=f"https://{key}.example.org/",
            country=rng.choice(COUNTRY_CODES),
            reliability=rng.choice(GRADES),
            description=f"{name}, a {kind.replace('-', ' ')} covering the border regions.",
        )
    return sources


class _BriefingMaker:
    """Makes briefing number ``index``; all randomness comes from one generator."""

    def __init__(self, corpus: Corpus, rng: random.Random) -> None:
        self.corpus = corpus
        self.rng = rng
        self.region_keys = list(corpus.regions)
        rng.shuffle(self.region_keys)  # popularity rank, not tree order
        self.region_weights = zipf_weights(len(self.region_keys), 1.1)
        self.source_keys = list(corpus.sources)
        rng.shuffle(self.source_keys)
        self.source_weights = zipf_weights(len(self.source_keys), 1.0)
        self.tag_weights = zipf_weights(len(corpus.tags), 1.0)

    def words(self, low: int, high: int) -> list[str]:
        return self.rng.choices(WORDS, k=self.rng.randint(low, high))

    def sentence(self, place: str, plain: bool = False) -> str:
        """Words with the place name now and then; unless ``plain``, some emphasis and links."""
        words = self.words(8, 22)
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(len(words)), place)
        if not plain:
            self.decorate(words)
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def decorate(self, words: list[str]) -> None:
        if self.rng.random() < 0.06 and len(words) > 4:
            at = self.rng.randrange(len(words) - 2)
            words[at : at + 2] = [f"*{words[at]} {words[at + 1]}*"]
        if self.rng.random() < 0.04:
            at = self.rng.randrange(len(words))
            words[at] = f"[{words[at]}](https://example.org/{words[at]}/{self.rng.randrange(999)})"

    def make(self, index: int) -> Briefing:
        rng = self.rng
        corpus = self.corpus
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        date: dt.date | dt.datetime = day
        if rng.random() < 0.3:
            tz = dt.timezone(dt.timedelta(hours=3))
            date = dt.datetime(day.year, day.month, day.day, rng.randrange(24), 0, 0, tzinfo=tz)
        regions = pick_distinct(rng, self.region_keys, self.region_weights, rng.randint(1, 4))
        place = corpus.regions[regions[0]].name
        sources = pick_distinct(rng, self.source_keys, self.source_weights, rng.randint(3, 8))
        citations = [self.citation(n, key, day) for n, key in enumerate(sources)]
        tags = pick_distinct(rng, corpus.tags, self.tag_weights, rng.randint(1, 4))
        head = " ".join(self.words(4, 8))
        title = f"{place}: {head[0].upper()}{head[1:]}"
        summary = ". ".join(self.sentence(place, plain=True) for _ in range(2)) + "."
        updated = None
        if rng.random() < 0.1:
            later = day + dt.timedelta(days=rng.randint(1, 20))
            updated = dt.datetime(later.year, later.month, later.day, 12, tzinfo=dt.timezone.utc)
        return Briefing(
            index=index,
            slug=f"{slugify(place)}-{slugify(' '.join(head.split()[:4]))}-{index:06d}",
            title=title,
            date=date,
            summary=summary,
            regions=tuple(regions),
            tags=tuple(tags),
            citations=tuple(citations),
            body=self.body(place, [c.key for c in citations]),
            updated=updated,
        )

    def citation(self, number: int, source: str, day: dt.date) -> Citation:
        rng = self.rng
        published = day - dt.timedelta(days=rng.randrange(3))
        key = f"{source}-{published:%m%d}{'abcdefgh'[number]}"
        words = self.words(5, 10)
        url = f"https://{source}.example.org/{published:%Y/%m}/{slugify(' '.join(words[:5]))}"
        quote = " ".join(self.words(6, 16)).capitalize() + "."
        lang = translation = ""
        if rng.random() < 0.25:
            quote, translation = rng.choice(RU_QUOTES)
            lang = "ru"
        archive = ""
        if rng.random() < 0.4:
            archive = f"https://web.archive.org/web/{published:%Y%m%d}000000/{url}"
        return Citation(
            key=key,
            source=source,
            url=url,
            title=" ".join(words).capitalize(),
            published=published,
            quote=quote,
            lang=lang,
            translation=translation,
            archive=archive,
        )

    def group(self, keys: list[str], first: str) -> str:
        """A citation group that cites ``first`` and maybe more of ``keys``."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.2 and len(keys) > 1:
            other = rng.choice([k for k in keys if k != first])
            return f"[@{first}; @{other}]"
        if roll < 0.35:
            return f"[@{first}, para. {rng.randint(1, 9)}]"
        if roll < 0.4:
            return f"[see @{first}, p. {rng.randint(1, 30)}]"
        return f"[@{first}]"

    def body(self, place: str, keys: list[str]) -> str:
        rng = self.rng
        paragraphs: list[list[str]] = []
        blocks: list[str | int] = []  # Markdown text, or the index of a paragraph
        sections = rng.sample(HEADINGS, rng.randint(2, 4))
        for number, heading in enumerate(["", *sections]):
            if heading:
                blocks.append(f"## {heading}")
            for _ in range(rng.randint(2, 3)):
                blocks.append(len(paragraphs))
                paragraphs.append([self.sentence(place) for _ in range(rng.randint(3, 5))])
            if number == 1 and rng.random() < 0.35:
                blocks.append(self.bullets(place))
            if number == 2 and rng.random() < 0.15:
                blocks.append(self.table())
        self.cite(paragraphs, keys)
        out = [b if isinstance(b, str) else _wrap(" ".join(paragraphs[b])) for b in blocks]
        return "\n\n".join(out) + "\n"

    def cite(self, paragraphs: list[list[str]], keys: list[str]) -> None:
        """End sentences with citation groups: every key at least once, some twice, and
        every paragraph at least one."""
        rng = self.rng
        slots = [(p, s) for p, sentences in enumerate(paragraphs) for s in range(len(sentences))]
        uses = [*keys, *rng.sample(keys, rng.randint(0, len(keys)))]
        cited = set()
        for key, (p, s) in zip(uses, sorted(rng.sample(slots, len(uses))), strict=True):
            paragraphs[p][s] += " " + self.group(keys, key)
            cited.add(p)
        # A paragraph no key landed in cites one at its end, as the coverage check asks;
        # chosen without the generator, so the rest of the corpus stays as it was.
        for p, sentences in enumerate(paragraphs):
            if p not in cited:
                sentences[-1] += f" [@{keys[p % len(keys)]}]"
        for sentences in paragraphs:
            for s, sentence in enumerate(sentences):
                sentences[s] = sentence + "."

    def bullets(self, place: str) -> str:
        items = [" ".join(self.words(4, 12)) for _ in range(self.rng.randint(3, 6))]
        return f"Reported in {place}:\n\n" + "\n".join(f"- {item};" for item in items)

    def table(self) -> str:
        rows = ["| Date | Place | Reported |", "| --- | --- | ---: |"]
        for _ in range(self.rng.randint(3, 6)):
            place = self.corpus.regions[self.rng.choice(self.region_keys)].name
            day = START + dt.timedelta(days=self.rng.randrange(DAYS))
            rows.append(f"| {day.isoformat()} | {place} | {self.rng.randint(0, 40)} |")
        return "\n".join(rows)


def _wrap(text: str, width: int = 88) -> str:
    """Break a paragraph into lines as an author's editor would."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


# -- writing a briefgen site -----------------------------------------------------------


def write_site(corpus: Corpus, root: Path, briefings: bool = True) -> None:
    """The registries, settings and a page; with ``briefings``, every briefing too."""
    content = root / "content"
    (content / "pages").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(
        "title: Benchmark Briefings\n"
        "base_url: https://example.org/\n"
        f"description: {quoted('A generated corpus of sourced briefings for benchmarks.')}\n"
        "language: en\nper_page: 10\n"
        "require_archive: false\n",  # only 40% of its citations are archived
        encoding="utf-8",
    )
    (content / "regions.yaml").write_text(regions_yaml(corpus), encoding="utf-8")
    (content / "sources.yaml").write_text(sources_yaml(corpus), encoding="utf-8")
    (content / "pages" / "about.md").write_text(
        "---\ntitle: About\n---\n\nA generated corpus for benchmarking briefgen.\n",
        encoding="utf-8",
    )
    if briefings:
        for briefing in corpus.briefings():
            write_briefing(root, briefing)


def regions_yaml(corpus: Corpus) -> str:
    out = ["# Generated by benchmarks/corpus.py: country -> oblast -> town.\n"]
    for r in corpus.regions.values():
        parent = f"  parent: {r.parent}\n" if r.parent else ""
        out.append(
            f"\n{r.key}:\n  name: {quoted(r.name)}\n{parent}  url: {quoted(r.url)}\n"
            f"  description: {quoted(r.description)}\n"
        )
    return "".join(out)


def sources_yaml(corpus: Corpus) -> str:
    out = ["# Generated by benchmarks/corpus.py.\n"]
    for s in corpus.sources.values():
        out.append(
            f"\n{s.key}:\n  name: {quoted(s.name)}\n  kind: {s.kind}\n  url: {quoted(s.url)}\n"
            f"  country: {s.country}\n  reliability: {s.reliability}\n"
            f"  description: {quoted(s.description)}\n"
        )
    return "".join(out)


def briefing_path(root: Path, briefing: Briefing) -> Path:
    return root / "content" / "briefings" / briefing.folder / f"{briefing.slug}.md"


def write_briefing(root: Path, briefing: Briefing) -> Path:
    path = briefing_path(root, briefing)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(briefing_markdown(briefing), encoding="utf-8")
    return path


def briefing_markdown(b: Briefing) -> str:
    lines = [
        "---",
        f"title: {quoted(b.title)}",
        f"date: {b.date.isoformat()}",
        f"summary: {quoted(b.summary)}",
        f"regions: [{', '.join(b.regions)}]",
        f"tags: [{', '.join(b.tags)}]",
    ]
    if b.updated:
        lines.append(f"updated: {b.updated.isoformat()}")
    lines.append("citations:")
    for c in b.citations:
        lines += [
            f"  {c.key}:",
            f"    source: {c.source}",
            f"    url: {quoted(c.url)}",
            f"    title: {quoted(c.title)}",
            f"    published: {c.published.isoformat()}",
            f"    quote: {quoted(c.quote)}",
        ]
        if c.lang:
            lines += [f"    lang: {c.lang}", f"    translation: {quoted(c.translation)}"]
        if c.archive:
            lines.append(f"    archive: {quoted(c.archive)}")
    lines += ["---", "", b.body]
    return "\n".join(lines)


def edit_body(path: Path, original: str, token: str) -> str:
    """Rewrite ``path`` as ``original`` plus a paragraph holding ``token``; return that text."""
    text = f"{EDIT_PREFIX} {token}."
    path.write_text(f"{original.rstrip()}\n\n{text}\n", encoding="utf-8")
    return text


def edit_citing(path: Path, original: str, tokens: Sequence[str]) -> str:
    """Rewrite ``path`` as ``original`` plus a paragraph for each of ``tokens``, each
    citing once more the citation its text cites first (how often a citation is
    cited, which a theme may show on any page, changes with each); return the text
    of the last paragraph before its citation."""
    found = re.search(r"\[@([^\];\s]+)", original.partition("\n---\n")[2])
    if found is None:
        raise ValueError(f"{path} cites nothing")
    paragraphs = "".join(f"\n\n{EDIT_PREFIX} {token} [@{found[1]}]." for token in tokens)
    path.write_text(f"{original.rstrip()}{paragraphs}\n", encoding="utf-8")
    return f"{EDIT_PREFIX} {tokens[-1]}"


def edit_title(path: Path, original: str, token: str) -> str:
    """Rewrite ``path`` as ``original`` with ``token`` added to its title (a front-matter
    edit: the briefing's page and every listing and feed that shows it change); return
    the new title."""
    head, sep, rest = original.partition("\ntitle: ")
    title, newline, tail = rest.partition("\n")
    if not sep or not newline:
        raise ValueError(f"{path} has no title line")
    edited = f'{title[:-1]} ({token})"' if title.endswith('"') else f"{title} ({token})"
    path.write_text(f"{head}{sep}{edited}{newline}{tail}", encoding="utf-8")
    return edited.strip('"')


def add_newest(root: Path, original: str, token: str) -> tuple[Path, str]:
    """Write a briefing newer than every other one, made of ``original`` (a briefing's
    Markdown) with ``token`` in its file name: it joins the front of every list that
    holds it, with no ``updated`` (the original's would come before its new date).
    Return its file and slug."""
    original = re.sub(r"^updated: .*\n", "", original, flags=re.MULTILINE)
    head, sep, rest = original.partition("\ndate: ")
    _, newline, tail = rest.partition("\n")
    if not sep or not newline:
        raise ValueError("the briefing has no date line")
    newest = START + dt.timedelta(days=DAYS + 1)
    slug = f"newest-{token}"
    path = root / "content" / "briefings" / f"{newest:%Y/%m}" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{head}{sep}{newest.isoformat()}{newline}{tail}", encoding="utf-8")
    return path, slug


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a generated briefgen site.")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--count", type=int, default=1000, help="briefings (default 1000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_site(generate(args.count, args.seed), args.dir)
    print(f"Wrote {args.count} briefings to {args.dir}")


if __name__ == "__main__":
    main()
