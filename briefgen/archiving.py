"""Stage 2: the archived copies of a linked site's citations, checked against its
settings, and counted for each source.

A citation that links to a web page should have a copy in a web archive, made before
publication, so that what was cited can still be read when the page changes or goes.
Whether a missing copy is a warning or an error depends on ``require_archive`` and on
the reliability of the citation's source, so it is checked here, where both are known.
Nothing here touches the network: only what the citations say is checked.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefgen import urls
from briefgen.diagnostics import Diagnostics, Severity
from briefgen.model import ArchiveShare, Briefing, Citation, SiteConfig, Source

_NO_COPY_HINT = "add 'archive:' with a copy on web.archive.org, archive.today or perma.cc"


def required(config: SiteConfig, reliability: str) -> Severity | None:
    """How a citation of a source graded ``reliability`` ('' for none) is reported when
    it has no accepted archived copy: an error where ``require_archive`` applies, a
    warning elsewhere, not at all with ``require_archive: false``."""
    rule = config.require_archive
    if rule is False:
        return None
    if rule is True or (isinstance(rule, tuple) and reliability in rule):
        return Severity.ERROR
    return Severity.WARNING


def archive_shares(
    config: SiteConfig,
    sources: dict[str, Source],
    briefings: Iterable[Briefing],
    diags: Diagnostics,
) -> dict[str, ArchiveShare]:
    """For each cited source, how many of its citations that link somewhere (a web
    address or an archived copy) have an archived copy. On the way, each cited
    citation with a web address but no archived copy is reported at the citation,
    and each copy outside the known web archives at its address."""
    own = frozenset({urls.host(config.base_url), *config.archive_hosts}) - {""}
    counts: dict[str, list[int]] = {}
    for briefing in briefings:
        for citation in briefing.cited:
            source = sources.get(citation.source)
            on_the_web = _on_the_web(citation)
            if citation.source and (on_the_web or citation.archive):
                count = counts.setdefault(citation.source, [0, 0])
                count[0] += bool(citation.archive)
                count[1] += 1
            severity = required(config, source.reliability if source else "")
            if citation.archive:
                if not urls.is_archive_url(citation.archive, own):
                    diags.add(
                        severity or Severity.WARNING,
                        citation.archive_location or citation.location or briefing.location,
                        f"'archive' is on {urls.host(citation.archive) or 'no host'}, "
                        "which is not a known web archive",
                        "use web.archive.org, archive.today or perma.cc, or add the host to "
                        "'archive_hosts' in content/site.yaml",
                    )
            elif severity is not None and on_the_web and citation.archive_location is None:
                hint = _NO_COPY_HINT
                if severity is Severity.ERROR:
                    hint += " ('require_archive' in content/site.yaml asks for one)"
                diags.add(
                    severity,
                    citation.location or briefing.location,
                    f"citation '{citation.key}' has no archived copy",
                    hint,
                )
    return {key: ArchiveShare(archived, total) for key, (archived, total) in counts.items()}


def _on_the_web(citation: Citation) -> bool:
    return urls.scheme(citation.url).lower() in ("http", "https")
