"""What one person has to do next: the checks and reviews waiting on them, by due date.

:func:`agenda` reads the person's instances from a store and hands them to
:func:`agenda_of`, the pure part, which sorts them into:

- ``handed_back``: instances a reviewer handed back to them, with the feedback;
- ``checks``: their instances in progress, each with the checks still pending;
- ``reviews``: instances in review waiting on them at their level;
- ``overdue`` and ``due_this_week``: every open instance of theirs (as assignee or as
  the reviewer it waits on) due before ``on``, or in the seven days from ``on``.

Each list is soonest due first. ``on`` is a parameter: no clock is read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from workflowkit.errors import checked_dates, warn_renamed
from workflowkit.review.audit import replay
from workflowkit.review.commands import HandBack
from workflowkit.review.events import Event
from workflowkit.store.protocol import (
    CLOSED,
    IN_PROGRESS,
    IN_REVIEW,
    EventStore,
    InstanceSummary,
)
from workflowkit.templates.models import CheckStatus

WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One instance on a person's agenda, and why it is there."""

    instance: str
    client: str
    template: str
    period: str
    due: date
    status: str
    role: str
    """``assignee``, or ``reviewer at level N``."""
    pending_checks: tuple[str, ...] = ()
    feedback: str | None = None
    feedback_by: str | None = None
    feedback_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("AgendaItem.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        return {
            "instance": self.instance,
            "client": self.client,
            "template": self.template,
            "period": self.period,
            "due": self.due.isoformat(),
            "status": self.status,
            "role": self.role,
            "pending_checks": list(self.pending_checks),
            "feedback": self.feedback,
            "feedback_by": self.feedback_by,
            "feedback_at": None if self.feedback_at is None else self.feedback_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Agenda:
    person: str
    on: date
    handed_back: tuple[AgendaItem, ...]
    checks: tuple[AgendaItem, ...]
    reviews: tuple[AgendaItem, ...]
    overdue: tuple[AgendaItem, ...]
    due_this_week: tuple[AgendaItem, ...]

    @property
    def empty(self) -> bool:
        return not (self.handed_back or self.checks or self.reviews)

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("Agenda.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "on": self.on.isoformat(),
            **{
                name: [i.to_data() for i in getattr(self, name)]
                for name in ("handed_back", "checks", "reviews", "overdue", "due_this_week")
            },
        }


def _last_hand_back(events: Sequence[Event]) -> Event | None:
    """The hand-back the instance is in progress after, if it was handed back."""
    for e in reversed(events):
        if e.type == "submit_for_review":
            return None
        if isinstance(e.command, HandBack):
            return e
    return None


def _item(s: InstanceSummary, person: str, events: Sequence[Event] | None) -> AgendaItem:
    role = "assignee" if s.status == IN_PROGRESS else f"reviewer at level {s.level + 1}"
    pending: tuple[str, ...] = ()
    feedback = by = None
    at = None
    if events is not None:
        inst = replay(events)
        pending = tuple(
            c.id
            for c, state in zip(inst.setup.template.checks, inst.checks, strict=True)
            if state.status is CheckStatus.PENDING
        )
        back = _last_hand_back(events)
        if back is not None:
            assert isinstance(back.command, HandBack)
            feedback, by, at = back.command.feedback, back.by, back.at
    return AgendaItem(
        instance=s.id,
        client=s.client,
        template=s.template_id,
        period=s.period,
        due=s.due,
        status=s.status,
        role=role,
        pending_checks=pending,
        feedback=feedback,
        feedback_by=by,
        feedback_at=at,
    )


def agenda_of(
    person: str,
    on: date,
    instances: Iterable[tuple[InstanceSummary, Sequence[Event] | None]],
) -> Agenda:
    """The agenda of ``person`` on ``on`` from their open instances (each with its events
    when it is in progress with them, for its pending checks and any feedback)."""
    items = sorted(
        (_item(s, person, events) for s, events in instances if s.status not in CLOSED),
        key=lambda i: (i.due, i.instance),
    )
    mine = [i for i in items if i.status == IN_PROGRESS]
    return Agenda(
        person=person,
        on=on,
        handed_back=tuple(i for i in mine if i.feedback is not None),
        checks=tuple(i for i in mine if i.pending_checks),
        reviews=tuple(i for i in items if i.status == IN_REVIEW),
        overdue=tuple(i for i in items if i.due < on),
        due_this_week=tuple(i for i in items if on <= i.due < on + WEEK),
    )


@checked_dates
def agenda(store: EventStore, person: str, *, on: date) -> Agenda:
    """:func:`agenda_of` over the instances in ``store`` waiting on ``person``."""
    found: list[tuple[InstanceSummary, Sequence[Event] | None]] = []
    for s in store.instances(waiting_on=person):
        found.append((s, store.load(s.id) if s.status == IN_PROGRESS else None))
    return agenda_of(person, on, found)
