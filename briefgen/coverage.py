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
from briefgen.model import Briefing, Claim, SiteConfig

UNCITED_HINT = "cite a source, or mark your own analysis as a '::: assessment' block"


@dataclass(frozen=True, slots=True)
class BriefingCoverage:
    path: str
    cited: int  # claims that cite a source
    claims: int  # claims of at least the site's min_claim_words (at least 1)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """A site's citation coverage: every briefing with a claim, in the order given."""

    min_words: int  # 0 when the check is off
    required: float | None  # the site's 'coverage'
    briefings: tuple[BriefingCoverage, ...] = ()

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
    claims_of: Mapping[str, tuple[Claim, ...]],
    config: SiteConfig,
    diags: Diagnostics,
) -> CoverageReport:
    """Report every briefing's share of cited claims, and warn about each claim that
    cites nothing in a briefing below the share the site requires: all of them when
    site.yaml sets no 'coverage', and then the briefing itself too."""
    words = config.min_claim_words
    if not words:
        return CoverageReport(0, config.coverage)
    required = 1.0 if config.coverage is None else config.coverage
    found = []
    for briefing in briefings:
        claims = [claim for claim in claims_of.get(briefing.path, ()) if claim.words >= words]
        if not claims:
            continue
        uncited = [claim for claim in claims if not claim.keys]
        cited = len(claims) - len(uncited)
        found.append(BriefingCoverage(briefing.path, cited, len(claims)))
        if cited / len(claims) >= required:
            continue
        if config.coverage is not None:
            diags.warning(
                briefing.location,
                f"{percent(cited, len(claims))} of its claims cite a source ({cited} of "
                f"{len(claims)}), less than the {required * 100:g}% that 'coverage' in "
                "content/site.yaml asks for",
                "cite the claims reported, or mark your own analysis as '::: assessment'",
            )
        for claim in uncited:
            diags.warning(
                claim.location, f'{claim.kind} without a citation: "{claim.opening}"', UNCITED_HINT
            )
    return CoverageReport(words, config.coverage, tuple(found))
