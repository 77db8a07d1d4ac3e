"""Stage 2: citation coverage, the share of a briefing's claims that cite a source.

The claims come parsed (and cached) with each body; which of them are long enough
to need a citation, and what share a briefing must cite, are the site's settings
(``min_claim_words``, ``coverage``), so the warnings are made here, on every build.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.diagnostics import Diagnostics
from briefgen.model import Briefing, Claim, Claims, SiteConfig, words_of

UNCITED_HINT = "cite a source, or mark your own analysis as a '::: assessment' block"


@dataclass(frozen=True, slots=True)
class BriefingCoverage:
    path: str
    cited: int  # claims that cite a source
    claims: int  # claims of at least the site's min_claim_words (at least 1)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """A site's citation coverage: every briefing with a claim, in the order given, and
    how many briefings could not be read (a build or check with errors), so not
    counted."""

    briefings: tuple[BriefingCoverage, ...] = ()
    unread: int = 0

    @property
    def cited(self) -> int:
        return sum(b.cited for b in self.briefings)

    @property
    def claims(self) -> int:
        return sum(b.claims for b in self.briefings)


def percent(cited: int, claims: int) -> str:
    """'66%' for 2 of 3: rounded down, so that 100% means every claim."""
    return f"{math.floor(100 * cited / claims)}%"


def check_coverage(
    briefings: Iterable[Briefing],
    claims_of: Mapping[str, Claims],
    config: SiteConfig,
    diags: Diagnostics,
) -> CoverageReport:
    """Report every briefing's share of cited claims, and warn about each claim that
    cites nothing in a briefing below the share the site requires: all of them when
    site.yaml sets no 'coverage', and then the briefing itself too. Claims are
    counted by their words alone (see :class:`model.StoredClaims`): only those of the
    briefings warned of are read."""
    words = config.min_claim_words
    if not words:
        return CoverageReport()
    required = 1.0 if config.coverage is None else config.coverage
    found = []
    for briefing in briefings:
        claims = claims_of.get(briefing.path, ())
        counted = [n for n in words_of(claims) if abs(n) >= words]
        if not counted:
            continue
        cited = sum(1 for n in counted if n > 0)
        found.append(BriefingCoverage(briefing.path, cited, len(counted)))
        if cited / len(counted) >= required:
            continue
        if config.coverage is not None:
            diags.warning(
                briefing.location,
                f"{percent(cited, len(counted))} of its claims cite a source ({cited} of "
                f"{len(counted)}), less than the {required * 100:g}% that 'coverage' in "
                "content/site.yaml asks for",
                "cite the claims reported, or mark your own analysis as '::: assessment'",
            )
        for claim in read_claims(claims, briefing, diags):
            if claim.words >= words and not claim.keys:
                diags.warning(
                    claim.location,
                    f'{claim.kind} without a citation: "{claim.opening}"',
                    UNCITED_HINT,
                )
    return CoverageReport(tuple(found))


def read_claims(claims: Claims, briefing: Briefing, diags: Diagnostics) -> tuple[Claim, ...]:
    """The claims of ``briefing``, read from the store if they were left there; none,
    with an error, if the store no longer has them as its entry said."""
    try:
        return tuple(claims)
    except LookupError as exc:
        diags.error(briefing.location, str(exc))
        return ()
