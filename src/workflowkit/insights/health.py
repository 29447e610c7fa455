"""The health score: a weighted set of check results, as a number from 0 to 100.

Each finding costs points by severity (error 3, warning 1, information 0). A check with
``p`` points scores ``t / (t + p)`` of its weight, where ``t`` is its tolerance (the
points at which it scores half): a check that passes scores in full, and each finding
takes a little less than the one before. The health score is the weighted mean, as a
whole number rounded half up, in a band: 71-100 good (teal), 36-70 fair (amber), 0-35
poor (red). Adding a finding can only lower the score or leave it unchanged; a
dismissed finding is left out, as if it had not been found.

Weights, tolerances and points are configurable (:class:`HealthConfig`); checks not
listed get ``default_weight`` (0 leaves them out).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor

from pydantic import BaseModel, ConfigDict, Field

from workflowkit.insights.results import CheckResult, Finding, FindingSeverity

DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "bank-reconciliation": Decimal(3),
    "duplicate-transactions": Decimal(3),
    "duplicate-contacts": Decimal(2),
    "multi-coded-contacts": Decimal(2),
    "lock-date": Decimal(2),
    "aged-receivables": Decimal(2),
    "vat-sanity": Decimal(2),
    "dormant-accounts": Decimal(1),
    "aged-payables": Decimal(1),
    "control-accounts": Decimal(2),
    "entertainment": Decimal(2),
    "vat-forward-look": Decimal(2),
    "contact-defaults": Decimal(1),
    "fixed-assets": Decimal(1),
    "debtor-days": Decimal(1),
    "regular-suppliers": Decimal(1),
    "customer-reliance": Decimal(0),
}
"""Weights of the built-in checks. Customer reliance is a business risk, not a fault in
the books, so it is reported but weighs nothing."""


class HealthBand(StrEnum):
    """Where a score falls: good 71-100, fair 36-70, poor 0-35."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"

    @property
    def colour(self) -> str:
        return {"good": "teal", "fair": "amber", "poor": "red"}[self.value]


def band_of(score: int) -> HealthBand:
    if not 0 <= score <= 100:
        raise ValueError(f"a health score is 0 to 100, not {score}")
    if score >= 71:
        return HealthBand.GOOD
    if score >= 36:
        return HealthBand.FAIR
    return HealthBand.POOR


class HealthConfig(BaseModel):
    """Which checks count, how much, and how harshly findings are scored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weights: dict[str, Decimal] = Field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS),
        description="Weight of each data check id (0 leaves it out).",
    )
    default_weight: Decimal = Field(
        default=Decimal(1), ge=0, description="Weight of checks not listed in weights."
    )
    tolerance: Decimal = Field(
        default=Decimal(3), gt=0, description="Points at which a check scores half its weight."
    )
    tolerances: dict[str, Decimal] = Field(
        default_factory=dict, description="Tolerance of particular checks."
    )
    points: dict[FindingSeverity, Decimal] = Field(
        default_factory=lambda: {
            FindingSeverity.ERROR: Decimal(3),
            FindingSeverity.WARNING: Decimal(1),
            FindingSeverity.INFO: Decimal(0),
        },
        description="Points each finding costs, by severity.",
    )

    def weight(self, check: str) -> Decimal:
        return self.weights.get(check, self.default_weight)


class HealthComponent(BaseModel):
    """One check's part of the score."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="The result's key (a template check id or a data check id).")
    check: str
    weight: Decimal
    points: Decimal = Field(description="Severity points of the findings that count.")
    findings: int = Field(description="Findings that count (dismissed ones left out).")
    score: int = Field(description="This check alone, 0 to 100.")
    lost: Decimal = Field(description="Points of the 100 this check cost the overall score.")


class HealthScore(BaseModel):
    """The score, its band and the breakdown by check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: int | None = Field(description="0 to 100; None when no weighted check ran.")
    band: HealthBand | None
    components: tuple[HealthComponent, ...]


def finding_key(check: str, finding: Finding) -> str:
    """A stable key of a finding (check, code, records), to dismiss it."""
    records = ",".join(sorted(f"{r.type}/{r.id}" for r in finding.records))
    return f"{check}:{finding.code}:{records}"


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def health_score(
    results: Mapping[str, CheckResult] | Iterable[CheckResult],
    config: HealthConfig | None = None,
    *,
    dismissed: Collection[str] = (),
) -> HealthScore:
    """Combine check results into a :class:`HealthScore`.

    ``results`` maps keys (template check ids) to results, or is a list of results
    (keyed by their check id). ``dismissed`` holds :func:`finding_key` values.
    """
    cfg = config or HealthConfig()
    items = (
        list(results.items()) if isinstance(results, Mapping) else [(r.check, r) for r in results]
    )
    parts: list[tuple[str, str, Fraction, Fraction, int, Fraction]] = []
    for key, res in items:
        weight = Fraction(cfg.weight(res.check))
        if weight <= 0:
            continue
        counted = [f for f in res.findings if finding_key(res.check, f) not in dismissed]
        points = sum(
            (Fraction(cfg.points.get(f.severity, Decimal(0))) for f in counted), Fraction(0)
        )
        tolerance = Fraction(cfg.tolerances.get(res.check, cfg.tolerance))
        share = tolerance / (tolerance + points)
        parts.append((key, res.check, weight, points, len(counted), share))
    total = sum((p[2] for p in parts), Fraction(0))
    if not parts or total == 0:
        return HealthScore(score=None, band=None, components=())
    overall = sum((w * s for _, _, w, _, _, s in parts), Fraction(0)) / total
    score = _round_half_up(overall * 100)
    components = tuple(
        HealthComponent(
            key=key,
            check=check,
            weight=_decimal(w),
            points=_decimal(p),
            findings=n,
            score=_round_half_up(s * 100),
            lost=_decimal(w * (1 - s) * 100 / total).quantize(Decimal("0.1")),
        )
        for key, check, w, p, n, s in parts
    )
    return HealthScore(score=score, band=band_of(score), components=components)
