"""What a briefing is found under in search: the filters of its page.

A town's briefing is found under its oblast and its country too, as it is listed on
their pages; the other filters are the sources it cites, its tags, the languages of
the quotes it cites and the year of its date.
"""

from __future__ import annotations

import html

import markupsafe

from briefgen.model import Briefing, Site


def search_filters(briefing: Briefing, site: Site) -> list[tuple[str, str]]:
    """(filter, value) pairs, each once, in a fixed order."""
    pairs: list[tuple[str, str]] = []
    for key in briefing.regions:
        path = site.region_paths.get(key, ())
        pairs += [("region", region.name) for region in path] or [("region", key)]
    for key in briefing.sources:
        source = site.sources.get(key)
        pairs.append(("source", source.name if source is not None else key))
    pairs += [("tag", tag) for tag in briefing.tags]
    pairs += [("language", c.lang) for c in briefing.cited if c.lang]
    pairs.append(("year", str(briefing.date.year)))
    return list(dict.fromkeys(pairs))


def filter_value(text: str) -> markupsafe.Markup:
    """A filter's value as the page gives it to Pagefind, so that the search page shows
    it as written: Pagefind's interface writes a filter's value into the page as HTML,
    and Pagefind decodes the character references of a page's text twice before it
    keeps it (a tag ``<img onerror=…>`` would run). Escaped three times, what it keeps
    is the text escaped once, as HTML shows it."""
    return markupsafe.Markup(html.escape(html.escape(html.escape(text))))
