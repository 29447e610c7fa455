"""The event store protocol, and the summary of an instance that queries return.

A store keeps, per instance, its events in order (the audit trail: the truth) and a
summary of where the instance stands (client, status, assignee, the person it waits on,
due date, version and head hash, and whether it was handed back or has checks complete
with issues) for listing. The summary is folded from the events by
:func:`summarize`, so any implementation computes the same one.

The protocol is plain on purpose: strings, ints, dates and the review engine's
``Event``. Nothing in it is SQLite's; a PostgreSQL implementation fits it unchanged
(see ``docs/store.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import NamedTuple, Protocol, runtime_checkable

from workflowkit.review.commands import Reassign, SetCheckStatus, Start
from workflowkit.review.events import Event
from workflowkit.store.errors import RejectedEventsError
from workflowkit.templates.models import CheckStatus

IN_PROGRESS = "in_progress"
IN_REVIEW = "in_review"
COMPLETED = "completed"
CANCELLED = "cancelled"
STATUSES = (IN_PROGRESS, IN_REVIEW, COMPLETED, CANCELLED)
CLOSED = frozenset({COMPLETED, CANCELLED})
"""The statuses no command leaves: out of every queue, the agenda and ``--overdue``."""


@dataclass(frozen=True, slots=True)
class InstanceSummary:
    """Where one instance stands, as the store lists it."""

    id: str
    template_id: str
    template_version: str
    client: str
    period: str
    assignee: str
    reviewers: tuple[str, ...]
    status: str
    level: int
    waiting_on: str | None
    due: date
    version: int
    head: str
    started_at: datetime
    updated_at: datetime
    handed_back: bool = False
    """Handed back by a reviewer, and not submitted for review since."""
    issues: tuple[str, ...] = ()
    """The checks whose latest status is *complete with issues*, by id, sorted."""

    @property
    def locked(self) -> bool:
        return self.status == COMPLETED

    @property
    def with_issues(self) -> bool:
        """Whether some check is complete with issues (as :class:`InstanceState` says)."""
        return bool(self.issues)


class InstanceState(NamedTuple):
    """Where one instance stands, in brief: the fields of its :class:`InstanceSummary`
    that a count over a whole store reads (status, queue, due date), and its id.

    A named tuple, so a store lists a hundred thousand of them in a fraction of the time
    the full summaries take; its fields have the summary's names and values.
    """

    id: str
    status: str
    level: int
    version: int
    assignee: str
    waiting_on: str | None
    due: date
    updated_at: datetime
    handed_back: bool = False
    with_issues: bool = False
    """Whether some check is complete with issues (the summary's ``issues`` is not empty)."""

    @classmethod
    def of(cls, summary: InstanceSummary) -> InstanceState:
        """The state in ``summary``."""
        return cls(
            summary.id,
            summary.status,
            summary.level,
            summary.version,
            summary.assignee,
            summary.waiting_on,
            summary.due,
            summary.updated_at,
            summary.handed_back,
            bool(summary.issues),
        )


def _waiting_on(status: str, assignee: str, reviewers: tuple[str, ...], level: int) -> str | None:
    if status == IN_PROGRESS:
        return assignee
    if status == IN_REVIEW and 0 <= level < len(reviewers):
        return reviewers[level]
    return None


STANDING_EVENT_TYPES = ("hand_back", "set_check_status", "submit_for_review")
"""The event types that change ``handed_back`` and ``issues`` (what a store's migration
reads to fill them in for the instances it already holds)."""


def issues_after(issues: tuple[str, ...], check: str, status: str) -> tuple[str, ...]:
    """``issues`` (sorted check ids) once ``check`` is set to ``status``."""
    if status == CheckStatus.COMPLETE_WITH_ISSUES.value:
        return issues if check in issues else tuple(sorted((*issues, check)))
    return tuple(c for c in issues if c != check) if check in issues else issues


def summarize(summary: InstanceSummary | None, event: Event) -> InstanceSummary:
    """The summary after ``event`` (``summary`` is ``None`` before the start event)."""
    c = event.command
    if summary is None:
        if not isinstance(c, Start) or event.version != 1:
            raise RejectedEventsError(event.instance, "the first event must be its start event")
        return InstanceSummary(
            id=c.instance,
            template_id=c.template.id,
            template_version=c.template.version,
            client=c.client,
            period=c.period,
            assignee=c.assignee,
            reviewers=c.reviewers,
            status=IN_PROGRESS,
            level=0,
            waiting_on=c.assignee,
            due=c.due,
            version=1,
            head=event.hash,
            started_at=c.at,
            updated_at=c.at,
        )
    status, level, assignee = summary.status, summary.level, summary.assignee
    handed_back, issues = summary.handed_back, summary.issues
    kind = c.type
    if kind == "start":
        raise RejectedEventsError(event.instance, "a second start event")
    if isinstance(c, SetCheckStatus):
        issues = issues_after(issues, c.check, str(getattr(c.status, "value", c.status)))
    elif kind == "submit_for_review":
        status, level, handed_back = IN_REVIEW, 0, False
    elif kind == "approve":
        level = int(event.effect.get("level") or 0)
        status = COMPLETED if event.effect.get("locked") else IN_REVIEW
    elif kind == "hand_back":
        status, level, handed_back = IN_PROGRESS, 0, True
    elif kind == "complete":
        status, level = COMPLETED, len(summary.reviewers)
    elif kind == "cancel":
        status = CANCELLED
    elif isinstance(c, Reassign):
        assignee = c.to
    return replace(
        summary,
        status=status,
        level=level,
        assignee=assignee,
        waiting_on=_waiting_on(status, assignee, summary.reviewers, level),
        version=event.version,
        head=event.hash,
        updated_at=c.at,
        handed_back=handed_back,
        issues=issues,
    )


@dataclass(frozen=True, slots=True)
class OccurrenceStart:
    """One occurrence to start: its stable key and the start event of its instance."""

    key: str
    workflow: str
    event: Event
    """The instance's start event (version 1); its ``at`` is the occurrence's create_at."""


STARTED = "started"
EXISTED = "existed"
ID_TAKEN = "id_taken"
"""Outcomes of :meth:`EventStore.start_occurrences`, per key: started now; started
before (by an earlier or a concurrent run); or the instance id was taken by an instance
started by hand, so nothing was started."""


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One notification in the store's outbox (``workflowkit.notify``): its stable id, its
    payload (the notification as JSON; the store does not read it), when it was queued,
    and when it was sent (``None``: still to send)."""

    id: str
    payload: str
    created: datetime
    sent_at: datetime | None = None


@runtime_checkable
class EventStore(Protocol):
    """Where the events of workflow instances are kept.

    ``append`` is all-or-nothing and optimistic: it writes the events only if the
    instance is still at ``expected_version`` (0 for a new instance) and raises
    :class:`~workflowkit.store.errors.ConflictError` otherwise. Events must continue the
    stored hash chain; the store rechecks their hashes.
    """

    def append(self, instance_id: str, events: Sequence[Event], expected_version: int) -> int:
        """Append ``events`` to one instance; return its new version."""
        ...

    def load(self, instance_id: str) -> list[Event]:
        """Every event of the instance, oldest first (``UnknownInstanceError`` if none)."""
        ...

    def load_many(
        self, instance_ids: Iterable[str], *, types: Iterable[str] | None = None
    ) -> dict[str, list[Event]]:
        """The events of many instances read in one pass (a few queries, not one per
        instance), each instance's oldest first; with ``types``, only the events of those
        types (``"set_check_status"``, ``"hand_back"``, ...). An instance with no such
        event, or not in the store, is absent from the result (no error)."""
        ...

    def version(self, instance_id: str) -> int:
        """The instance's current version (0 when it does not exist)."""
        ...

    def get(self, instance_id: str) -> InstanceSummary:
        """The summary of one instance (``UnknownInstanceError`` if none)."""
        ...

    def instances(
        self,
        *,
        client: str | None = None,
        status: str | None = None,
        assignee: str | None = None,
        waiting_on: str | None = None,
        template: str | None = None,
        due_from: date | None = None,
        due_to: date | None = None,
        overdue_on: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[InstanceSummary]:
        """Instances matching every filter given, soonest due first.

        ``due_from``/``due_to`` are inclusive; ``overdue_on=today`` keeps the instances
        due before ``today`` that are neither completed nor cancelled.
        """
        ...

    def states(self) -> list[InstanceState]:
        """Every instance in brief (:class:`InstanceState`), in no set order: what a
        count over the whole store needs, without reading the full summaries."""
        ...

    # --- occurrences (``workflowkit.run``) ------------------------------------------

    def occurrences(self, keys: Iterable[str]) -> dict[str, str]:
        """The instance id started for each of ``keys`` that has one."""
        ...

    def cursor(self, practice: str) -> datetime | None:
        """The moment up to which ``practice``'s work was materialised (``None``: never)."""
        ...

    def start_occurrences(
        self,
        practice: str,
        starts: Sequence[OccurrenceStart],
        *,
        cursor: datetime | None = None,
    ) -> dict[str, str]:
        """In one transaction: start the instance of each occurrence whose key is not yet
        recorded, record the key (unique), and move ``practice``'s cursor to ``cursor``
        (never back). Returns each key's outcome (:data:`STARTED`, :data:`EXISTED` or
        :data:`ID_TAKEN`). All of it commits or none of it does."""
        ...

    # --- the notification outbox (``workflowkit.notify``) -----------------------------

    def notify_cursor(self) -> dict[str, int]:
        """Per instance, the version up to which its events were derived into
        notifications (an instance never derived is absent)."""
        ...

    def enqueue_notifications(
        self,
        entries: Sequence[tuple[str, str]],
        *,
        created: datetime,
        cursor: Mapping[str, int] | None = None,
    ) -> list[str]:
        """In one transaction: queue each ``(id, payload)`` whose id the outbox does not
        hold yet (an id is queued once, ever, sent or not), and move each instance's
        notify cursor to the version given (never back). Returns the ids queued now."""
        ...

    def pending_notifications(self, limit: int | None = None) -> list[OutboxEntry]:
        """The notifications not yet sent, in the order they were queued."""
        ...

    def mark_sent(self, ids: Sequence[str], at: datetime) -> list[str]:
        """Record ``ids`` as sent at ``at``; returns those that were pending (an id sent
        before keeps its first ``sent_at``)."""
        ...

    def close(self) -> None: ...
