"""Stage 2: the Admiralty grades of a linked site, checked against ``require_grades``.

A citation's credibility (1 to 6) is read with its briefing; its source's reliability
(A to F) with ``sources.yaml``. Only once both are known can a site tell which of its
citations are shown with a grade, and, when it asks for grades, which lack one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from briefgen.coverage import read_claims
from briefgen.diagnostics import Diagnostics, Location
from briefgen.model import Briefing, Claims, SiteConfig, Source

_RELIABILITY_SCALE = "from A (completely reliable) to F (reliability cannot be judged)"
_CREDIBILITY_HINT = (
    "add 'credibility:' from 1 (confirmed by other sources) to 6 (truth cannot be judged)"
)


def is_graded(config: SiteConfig, sources: Iterable[Source], briefings: Iterable[Briefing]) -> bool:
    """True when the site shows a grade anywhere, or asks for them: it then publishes
    the grading legend that every grade links to."""
    return (
        config.require_grades
        or any(source.reliability for source in sources)
        or any(c.credibility for b in briefings for c in b.cited)
    )


def check_grades(
    config: SiteConfig,
    sources: dict[str, Source],
    briefings: Iterable[Briefing],
    diags: Diagnostics,
) -> None:
    """With ``require_grades``, warn of each cited citation without a credibility, at
    the citation, and of each cited source without a reliability, at its entry in
    ``sources.yaml`` (or, without a registry, where it is first cited)."""
    if not config.require_grades:
        return
    ungraded: dict[str, list[Location]] = {}
    for briefing in briefings:
        for citation in briefing.cited:
            if not citation.credibility:
                diags.warning(
                    citation.location or briefing.location,
                    f"citation '{citation.key}' has no credibility grade",
                    _CREDIBILITY_HINT,
                )
            source = sources.get(citation.source)
            if source is not None and not source.reliability:
                where = citation.source_location or citation.location or briefing.location
                ungraded.setdefault(source.key, []).append(where)
    for key, places in sorted(ungraded.items()):
        source = sources[key]
        if source.location is None:  # no registry: the source has no entry to grade
            hint = f"list it in content/sources.yaml with 'reliability:' {_RELIABILITY_SCALE}"
        else:
            hint = f"add 'reliability:' {_RELIABILITY_SCALE}"
        diags.warning(
            source.location or min(places), f"source '{key}' has no reliability grade", hint
        )


_UNRELIABLE = frozenset("EF")  # unreliable, and reliability cannot be judged


def check_claim_grades(
    sources: dict[str, Source],
    briefings: Iterable[Briefing],
    claims_of: Mapping[str, Claims],
    diags: Diagnostics,
) -> None:
    """Warn of claims whose grades do not bear them: those that rest only on sources
    graded E or F, and those that cite one citation graded 1, "confirmed by other
    sources", without the others."""
    unreliable = {key for key, source in sources.items() if source.reliability in _UNRELIABLE}
    for briefing in briefings:
        citations = briefing.citations
        if not any(c.credibility == 1 or c.source in unreliable for c in citations):
            continue  # no claim of it can be warned of: most briefings, checked at once
        by_key = {c.key: c for c in citations}
        for claim in read_claims(claims_of.get(briefing.path, ()), briefing, diags):
            cited = [by_key[key] for key in claim.keys if key in by_key]
            if not cited:
                continue
            grades = {sources[c.source].reliability if c.source in sources else "" for c in cited}
            if grades <= _UNRELIABLE:
                diags.warning(
                    claim.location,
                    f"{claim.kind} rests only on sources graded {' or '.join(sorted(grades))}: "
                    f'"{claim.opening}"',
                    "cite a source graded A to D as well, or attribute the claim to its source",
                )
            if len(cited) == 1 and cited[0].credibility == 1:
                diags.warning(
                    claim.location,
                    f"citation '{cited[0].key}' is graded 1, confirmed by other sources, "
                    f'but is the only one this {claim.kind} cites: "{claim.opening}"',
                    "cite the confirming sources here too, or grade it 2 (probably true)",
                )
