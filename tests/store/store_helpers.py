"""Instances and event trails for the store tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from workflowkit.review import (
    AddComment,
    Approve,
    Command,
    Event,
    Instance,
    SetCheckStatus,
    SubmitForReview,
    apply,
    start,
)
from workflowkit.templates.resolve import ResolvedTemplate

T0 = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)

TEMPLATE = ResolvedTemplate.model_validate(
    {
        "id": "monthly",
        "name": "Monthly",
        "version": "1.0.0",
        "checks": [{"id": f"check-{i}", "title": f"Check {i}"} for i in range(3)],
        "review": {"levels": [{"role": "reviewer"}, {"role": "manager"}]},
    }
)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def begin(
    client: str = "acme",
    *,
    due: date = date(2024, 2, 7),
    assignee: str = "ann",
    reviewers: Sequence[str] = ("rob", "rita"),
    when: datetime = T0,
    period: str = "2024-01",
) -> tuple[Instance, Event]:
    return start(
        TEMPLATE,
        client=client,
        period=period,
        assignee=assignee,
        reviewers=reviewers,
        due=due,
        at=when,
        by="mia",
    )


def run(inst: Instance, commands: Sequence[Command]) -> tuple[Instance, list[Event]]:
    events = []
    for cmd in commands:
        inst, ev = apply(inst, cmd)
        events.append(ev)
    return inst, events


def to_review(assignee: str = "ann") -> list[Command]:
    """Resolve every check and submit."""
    return [
        *(
            SetCheckStatus(check=f"check-{i}", status="complete", by=assignee, at=at(i + 1))
            for i in range(3)
        ),
        SubmitForReview(by=assignee, at=at(5)),
    ]


def comment(inst: Instance, text: str, minutes: int = 10) -> tuple[Instance, Event]:
    # Never before the last event: time runs forward (review.clock).
    when = max(at(minutes), inst.updated_at)
    return apply(inst, AddComment(text=text, by=inst.assignee, at=when))


def approve(by: str, minutes: int = 20) -> Approve:
    return Approve(by=by, at=at(minutes))
