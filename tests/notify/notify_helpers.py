"""Trails of review events for the notification tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from workflowkit.notify import Address, MappingDirectory
from workflowkit.review import (
    Approve,
    Command,
    Event,
    HandBack,
    Instance,
    Reassign,
    SetCheckStatus,
    SubmitForReview,
    apply,
    start,
)
from workflowkit.templates.resolve import ResolvedTemplate

T0 = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)
FEEDBACK = "The bank reconciliation is off by 12.00: see the March statement."

TEMPLATE = ResolvedTemplate.model_validate(
    {
        "id": "monthly",
        "name": "Monthly bookkeeping",
        "version": "1.0.0",
        "checks": [{"id": f"check-{i}", "title": f"Check {i}"} for i in range(2)],
        "review": {"levels": [{"role": "reviewer"}, {"role": "manager"}]},
    }
)

PEOPLE = {
    "ann": Address("Ann Preparer", "ann@practice.test"),
    "bob": Address("Bob Preparer", "bob@practice.test"),
    "rob": Address("Rob Reviewer", "rob@practice.test"),
    "rita": Address("Rita Manager", "rita@practice.test"),
    "mia": Address("Mia Admin", "mia@practice.test"),
}
DIRECTORY = MappingDirectory(PEOPLE)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def begin(
    client: str = "acme", *, due: date = date(2024, 2, 7), by: str = "mia"
) -> tuple[Instance, Event]:
    return start(
        TEMPLATE,
        client=client,
        period="2024-01",
        assignee="ann",
        reviewers=("rob", "rita"),
        due=due,
        at=T0,
        by=by,
    )


def run(inst: Instance, commands: Sequence[Command]) -> tuple[Instance, list[Event]]:
    events = []
    for cmd in commands:
        inst, ev = apply(inst, cmd)
        events.append(ev)
    return inst, events


def resolve_and_submit(who: str, minute: int) -> list[Command]:
    return [
        *(
            SetCheckStatus(check=f"check-{i}", status="complete", by=who, at=at(minute + i))
            for i in range(2)
        ),
        SubmitForReview(by=who, at=at(minute + 2)),
    ]


def full_trail(client: str = "acme") -> tuple[Instance, list[Event]]:
    """Start, submit, level 1 approves, level 2 hands back, resubmit, both approve."""
    inst, first = begin(client)
    inst, events = run(
        inst,
        [
            *resolve_and_submit("ann", 1),
            Approve(by="rob", at=at(10)),
            HandBack(feedback=FEEDBACK, by="rita", at=at(20)),
            SubmitForReview(by="ann", at=at(30)),
            Approve(by="rob", at=at(40)),
            Approve(by="rita", comment="Fine now.", at=at(50)),
        ],
    )
    return inst, [first, *events]


def reassigned_trail() -> tuple[Instance, list[Event]]:
    inst, first = begin("globex")
    inst, events = run(inst, [Reassign(to="bob", by="ann", at=at(5))])
    return inst, [first, *events]
