"""Templates, times and runs shared by the review tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from workflowkit.insights.results import CheckResult, Finding, RecordRef
from workflowkit.review import (
    AddComment,
    Approve,
    Attach,
    Command,
    Event,
    HandBack,
    Instance,
    RecordFindings,
    SetCheckStatus,
    SubmitForReview,
    apply,
    start,
)
from workflowkit.templates.resolve import ResolvedTemplate

T0 = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)
DUE = date(2024, 2, 7)
SHA = "ab" * 32


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_template(
    *,
    checks: int = 4,
    levels: Sequence[str] = ("reviewer", "manager"),
    preparer_may_review: bool = False,
    same_reviewer: bool = False,
    reassign_by: Sequence[str] = ("assignee",),
    version: str = "1.0.0",
    min_reviewers: int | None = None,
    max_reviewers: int | None = None,
) -> ResolvedTemplate:
    """``checks`` checks: check-0 automated (bank-reconciliation), check-1 needs a file to
    be complete, check-2 needs a comment to be not applicable; the rest plain."""
    items: list[dict[str, Any]] = []
    for i in range(checks):
        item: dict[str, Any] = {"id": f"check-{i}", "title": f"Check {i}"}
        if i == 0:
            item.update(
                kind="automated", data_check="bank-reconciliation", params={"lookback_days": 30}
            )
        elif i == 1:
            item["requires"] = {"file": ["complete"]}
        elif i == 2:
            item["requires"] = {"comment": ["complete_with_issues", "not_applicable"]}
        items.append(item)
    return ResolvedTemplate.model_validate(
        {
            "id": "monthly",
            "name": "Monthly",
            "version": version,
            "checks": items,
            "review": {
                "levels": [{"role": r} for r in levels],
                "preparer_may_review": preparer_may_review,
                "same_reviewer_at_several_levels": same_reviewer,
                "reassign_by": list(reassign_by),
                **({} if min_reviewers is None else {"min_reviewers": min_reviewers}),
                **({} if max_reviewers is None else {"max_reviewers": max_reviewers}),
            },
        }
    )


def result(outcome: str = "issues", check: str = "bank-reconciliation") -> CheckResult:
    findings = ()
    if outcome == "issues":
        findings = (
            Finding(
                code="unreconciled-items",
                severity="warning",
                message="2 items",
                amount=Decimal("1234.50"),
                currency="GBP",
                records=(RecordRef(type="bank_transaction", id="bt-1", label="Rent"),),
            ),
        )
    return CheckResult(
        check=check,
        outcome=outcome,  # type: ignore[arg-type]
        summary=f"{outcome}: 2 unreconciled",
        findings=findings,
    )


def started(
    template: ResolvedTemplate | None = None, reviewers: Sequence[str] = ("rob", "rita"), **kw: Any
) -> tuple[Instance, Event]:
    t = template or make_template()
    return start(
        t,
        client=kw.pop("client", "acme"),
        period=kw.pop("period", "2024-01"),
        assignee=kw.pop("assignee", "ann"),
        reviewers=reviewers,
        due=DUE,
        at=kw.pop("at", T0),
        by=kw.pop("by", "mia"),
        **kw,
    )


def realistic_commands(checks: int = 4) -> list[Command]:
    """A full run for :func:`make_template` with two levels: findings, a file, every check,
    a comment, submit, approve, hand back, undo and redo, submit, approve twice."""
    cmds: list[Command] = [
        RecordFindings(check="check-0", result=result(), by="insights", at=at(1)),
        Attach(
            check="check-1",
            name="statement.pdf",
            sha256=SHA,
            size=100,
            media_type="application/pdf",
            by="ann",
            at=at(2),
        ),
    ]
    for i in range(checks):
        if i == 0:
            cmds.append(
                SetCheckStatus(
                    check="check-0",
                    status="complete_with_issues",
                    comment="Two items chased",
                    by="ann",
                    at=at(3),
                )
            )
        elif i == 2:
            cmds.append(
                SetCheckStatus(
                    check="check-2",
                    status="not_applicable",
                    comment="No payroll",
                    by="ann",
                    at=at(3 + i),
                )
            )
        else:
            cmds.append(
                SetCheckStatus(check=f"check-{i}", status="complete", by="ann", at=at(3 + i))
            )
    n = 3 + checks
    cmds += [
        AddComment(check="check-1", text="Statement attached", by="ann", at=at(n)),
        SubmitForReview(by="ann", at=at(n + 1)),
        Approve(by="rob", at=at(n + 2)),
        HandBack(feedback="Check 3 again, please", by="rita", at=at(n + 3)),
        SetCheckStatus.undo("check-3", by="ann", at=at(n + 4)),
        SetCheckStatus(
            check="check-3", status="complete", comment="Rechecked", by="ann", at=at(n + 5)
        ),
        SubmitForReview(by="ann", at=at(n + 6)),
        Approve(by="rob", at=at(n + 7)),
        Approve(by="rita", comment="Good", at=at(n + 8)),
    ]
    return cmds


def realistic_run(checks: int = 4) -> tuple[Instance, list[Event]]:
    inst, first = started(make_template(checks=checks))
    events = [first]
    for cmd in realistic_commands(checks):
        inst, ev = apply(inst, cmd)
        events.append(ev)
    return inst, events
