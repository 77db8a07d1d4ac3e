"""What a page tells machines about itself: schema.org JSON-LD and Open Graph values.

Search engines, link previews and citation managers read these. The JSON-LD is made
here as data and written by :func:`json_ld`, never put together as text in a
template, so no value from content can end the script element or the JSON.
"""

from __future__ import annotations

import json
import locale
from typing import Any

from babel.core import get_global
from markupsafe import Markup

from briefgen import urls
from briefgen.markup.excerpt import opening, plain_text
from briefgen.markup.ids import correction_id
from briefgen.model import Briefing, Citation, Moment, Site, as_datetime, machine_time

# In a <script> element, '</' would end it and '<!--' change how it is parsed; in JSON
# a string may spell any character as \uXXXX, so these are written that way.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(data: Any) -> Markup:
    """``data`` as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_SAFE))


def description(html: str, summary: str = "") -> str:
    """A page's description: its summary, else the opening of its body."""
    return summary or opening(html)


def og_locale(language: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a language tag: 'en-GB' → 'en_GB', and
    a language alone gets its usual territory ('ru' → 'ru_RU'), or stays alone when it
    has none known."""
    tag = language.replace("-", "_")
    lang, _, territory = tag.partition("_")
    if territory:
        return f"{lang.lower()}_{territory.upper()}"
    # The C library's table of locale names: pure data in the standard library, the
    # same on every OS. Its territory must be one: it gives Arabic 'ar_AA'.
    usual = locale.locale_alias.get(lang.lower(), "").split(".")[0]
    territory = usual.partition("_")[2]
    known = usual.startswith(lang.lower() + "_") and territory in get_global("territory_languages")
    return usual if known else lang.lower()


def news_article(briefing: Briefing, site: Site) -> dict[str, Any]:
    """``briefing`` as a schema.org NewsArticle, for its page's JSON-LD."""
    config = site.config
    address = config.absolute(urls.briefing(briefing.slug))
    publisher = {"@type": "Organization", "name": config.title, "url": config.base_url}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": briefing.title,
        "description": description(briefing.html, briefing.summary),
        "url": address,
        "mainEntityOfPage": address,
        "datePublished": _time(briefing.date, site),
        "dateModified": _time(briefing.modified or briefing.date, site),
        "inLanguage": config.language,
        "author": {"@type": "Organization", "name": config.author or config.title},
        "publisher": publisher,
    }
    places = [_place(key, site) for key in briefing.regions]
    if places:
        article["contentLocation"] = places
    if briefing.tags:
        article["keywords"] = list(briefing.tags)
    if briefing.cited:
        article["citation"] = [_creative_work(c, site) for c in briefing.cited]
    if briefing.corrections:
        article["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": plain_text(c.html, first_paragraph=False),
                "datePublished": _time(c.date, site),
                "url": f"{address}#{correction_id(c.number)}",
            }
            for c in briefing.corrections
        ]
    return article


def _time(moment: Moment, site: Site) -> str:
    return machine_time(as_datetime(moment, site.config.zone))


def _place(key: str, site: Site) -> dict[str, str]:
    region = site.regions.get(key)
    place = {"@type": "Place", "name": region.name if region else key}
    if region and region.url:
        place["url"] = region.url
    return place


def _creative_work(citation: Citation, site: Site) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if citation.title:
        work["name"] = citation.title
    if citation.url:
        work["url"] = citation.url
    if citation.published:
        work["datePublished"] = machine_time(citation.published)
    if citation.lang:
        work["inLanguage"] = citation.lang
    if citation.archive:
        work["archivedAt"] = citation.archive
    source = site.sources.get(citation.source)
    if source or citation.source:
        organisation = {"@type": "Organization", "name": source.name if source else citation.source}
        if source and source.url:
            organisation["url"] = source.url
        work["publisher"] = organisation
    return work
