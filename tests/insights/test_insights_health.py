"""The health score: weights, bands, breakdown, dismissals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from insights_ledgers import AS_OF, acme, clean

from workflowkit.insights import (
    CheckResult,
    Finding,
    FindingSeverity,
    HealthBand,
    HealthConfig,
    band_of,
    finding_key,
    health_score,
    run_all,
)


def result(check: str, *severities: str) -> CheckResult:
    findings = tuple(
        Finding(code=f"f{i}", severity=FindingSeverity(s), message="m")
        for i, s in enumerate(severities)
    )
    bad = any(s != "info" for s in severities)
    return CheckResult(
        check=check, outcome="issues" if bad else "pass", summary="s", findings=findings
    )


@pytest.mark.parametrize(
    ("score", "band", "colour"),
    [
        (100, "good", "teal"),
        (71, "good", "teal"),
        (70, "fair", "amber"),
        (36, "fair", "amber"),
        (35, "poor", "red"),
        (0, "poor", "red"),
    ],
)
def test_bands(score: int, band: str, colour: str) -> None:
    assert band_of(score) == HealthBand(band) and band_of(score).colour == colour


def test_band_of_refuses_out_of_range() -> None:
    with pytest.raises(ValueError):
        band_of(101)


def test_weighted_mean_of_the_checks() -> None:
    # bank-reconciliation weight 3 with one error (3 points): 3 / (3 + 3) = 50%
    # lock-date weight 2, clean: 100%  ->  (3 * 0.5 + 2 * 1) / 5 = 70%
    score = health_score([result("bank-reconciliation", "error"), result("lock-date")])
    assert (score.score, score.band) == (70, HealthBand.FAIR)
    bank, lock = score.components
    assert (bank.check, bank.weight, bank.points, bank.score, bank.lost) == (
        "bank-reconciliation",
        Decimal(3),
        Decimal(3),
        50,
        Decimal("30.0"),
    )
    assert (lock.score, lock.lost) == (100, Decimal("0.0"))


def test_information_costs_nothing_and_dismissed_findings_are_left_out() -> None:
    info = result("lock-date", "info", "info")
    assert health_score([info]).score == 100
    warn = result("lock-date", "warning", "warning", "warning")
    assert health_score([warn]).score == 50
    keys = [finding_key("lock-date", f) for f in warn.findings]
    assert health_score([warn], dismissed=keys).score == 100
    assert health_score([warn], dismissed=keys[:1]).score == 60


def test_configurable_weights_points_and_tolerance() -> None:
    res = [result("bank-reconciliation", "error"), result("my-plugin", "warning")]
    default = health_score(res)
    assert [c.check for c in default.components] == ["bank-reconciliation", "my-plugin"]
    only_bank = health_score(res, HealthConfig(default_weight=Decimal(0)))
    assert only_bank.score == 50 and len(only_bank.components) == 1
    lenient = health_score(res, HealthConfig(tolerance=Decimal(30)))
    assert lenient.score is not None and default.score is not None
    assert lenient.score > default.score
    harsh = health_score(res, HealthConfig(points={FindingSeverity.ERROR: Decimal(30)}))
    assert harsh.score is not None and harsh.score < default.score
    per_check = health_score(res, HealthConfig(tolerances={"my-plugin": Decimal(1)}))
    assert per_check.components[1].score == 50


def test_no_weighted_check_gives_no_score() -> None:
    assert health_score([]).score is None
    none = health_score([result("x")], HealthConfig(default_weight=Decimal(0)))
    assert (none.score, none.band, none.components) == (None, None, ())


def test_example_ledgers() -> None:
    assert health_score(run_all(clean(), as_of=AS_OF)).score == 100
    acme_score = health_score(run_all(acme(), as_of=AS_OF))
    assert acme_score.band == HealthBand.FAIR and acme_score.score == 70
    worst = max(acme_score.components, key=lambda c: c.lost)
    assert worst.check == "bank-reconciliation"
