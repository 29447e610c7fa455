"""Who must be told what: notifications derived from review events, a pure step.

    notes = derive(events, directory, now=now, summaries=store.instances(overdue_on=today))

For each instance (its events from the start event on, in version order):

- ``start`` tells the assignee they are **assigned**; ``reassign`` tells the new one;
- ``submit_for_review`` tells the **first** reviewer it is **submitted** to them at level 1,
  and an approval that is not the last tells the reviewer of the next level (level N): the
  reviewers are told in order, each when it is their turn, never all at once;
- ``hand_back`` tells the assignee it is **handed back**, with the reviewer's feedback;
- the final ``approve`` tells the assignee and the earlier reviewers it is **approved** and
  locked;
- every summary given that is open (in progress or in review) and due before ``now``'s
  date tells the person it waits on that it is **overdue** (once per instance, due date
  and person: the id is made of them).

Nobody is told of their own act (an assignee who starts their own instance is not told
they are assigned). ``after`` (instance id to version) marks events already derived: they
are read for context and yield nothing, so a rerun from a cursor yields only what is new.
A person the directory does not know still gets their notification, with ``to=None``:
:func:`unaddressed` lists them, and delivery reports them; nothing crashes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from workflowkit.notify.errors import NotifyInputError
from workflowkit.notify.models import (
    APPROVED,
    ASSIGNED,
    HANDED_BACK,
    OVERDUE,
    SUBMITTED,
    Directory,
    Notification,
    notification_id,
)
from workflowkit.review.commands import HandBack, Reassign, Start
from workflowkit.review.events import Event
from workflowkit.store.protocol import IN_PROGRESS, IN_REVIEW, InstanceSummary

OPEN_STATUSES = (IN_PROGRESS, IN_REVIEW)


@dataclass(slots=True)
class _Trail:
    """An instance as far as its notifications need it."""

    instance: str
    client: str
    period: str
    template: str
    due: date
    assignee: str
    reviewers: tuple[str, ...]


def _group(events: Iterable[Event]) -> dict[str, list[Event]]:
    """The events of each instance, in version order, checked to run from version 1 on."""
    by_instance: dict[str, dict[int, Event]] = {}
    for n, e in enumerate(events):
        if not isinstance(e, Event):
            raise NotifyInputError("events", f"item {n}", f"{e!r} is not an Event")
        seen = by_instance.setdefault(e.instance, {})
        if e.version in seen and seen[e.version].hash != e.hash:
            raise NotifyInputError(
                e.instance, f"version {e.version}", "two different events have this version"
            )
        seen[e.version] = e
    out: dict[str, list[Event]] = {}
    for instance, versions in by_instance.items():
        ordered = [versions[v] for v in sorted(versions)]
        for i, e in enumerate(ordered, start=1):
            if e.version != i:
                raise NotifyInputError(
                    instance,
                    f"version {i}",
                    "missing: give every event of an instance from its start event on "
                    "(those before the cursor are read for context only)",
                )
        out[instance] = ordered
    return out


def _note(
    trail: _Trail,
    directory: Directory,
    kind: str,
    recipient: str,
    source: str,
    at: datetime,
    *,
    by: str | None = None,
    level: int | None = None,
    feedback: str | None = None,
) -> Notification:
    return Notification(
        id=notification_id(kind, source, recipient),
        kind=kind,
        recipient=recipient,
        to=directory.address(recipient),
        instance=trail.instance,
        client=trail.client,
        period=trail.period,
        template=trail.template,
        due=trail.due,
        at=at,
        by=by,
        level=level,
        feedback=feedback,
        source=source,
    )


def _told(event: Event, trail: _Trail) -> list[tuple[str, str, int | None, str | None]]:
    """(kind, recipient, level, feedback) for each person ``event`` tells; updates ``trail``."""
    c = event.command
    kind = c.type
    if isinstance(c, Reassign):
        trail.assignee = c.to
        return [(ASSIGNED, c.to, None, None)]
    if kind == "submit_for_review" and trail.reviewers:
        return [(SUBMITTED, trail.reviewers[0], 1, None)]
    if kind == "approve":
        level = int(event.effect.get("level") or 0)
        if event.effect.get("locked"):
            earlier = trail.reviewers[: max(level - 1, 0)]
            people = dict.fromkeys((trail.assignee, *earlier))
            return [(APPROVED, p, level, None) for p in people]
        if 0 <= level < len(trail.reviewers):
            return [(SUBMITTED, trail.reviewers[level], level + 1, None)]
        return []
    if isinstance(c, HandBack):
        return [(HANDED_BACK, trail.assignee, None, c.feedback)]
    return []


def derive(
    events: Iterable[Event],
    directory: Directory,
    *,
    now: datetime,
    summaries: Iterable[InstanceSummary] = (),
    after: Mapping[str, int] | None = None,
) -> tuple[Notification, ...]:
    """The notifications ``events`` (and the open, late ``summaries``) call for, in order:
    instance by instance (sorted by id), event by event, then the overdue ones."""
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise NotifyInputError("derive", "now", "must be a timezone-aware moment")
    if not isinstance(directory, Directory):
        raise NotifyInputError("derive", "directory", "needs an address(person_id) method")
    done = dict(after or {})
    out: list[Notification] = []
    names: dict[str, str] = {}
    for instance, trail_events in sorted(_group(events).items()):
        first = trail_events[0].command
        if not isinstance(first, Start):
            raise NotifyInputError(instance, "version 1", "is not a start event")
        trail = _Trail(
            instance,
            first.client,
            first.period,
            first.template.name,
            first.due,
            first.assignee,
            tuple(first.reviewers),
        )
        names[instance] = trail.template
        skip = done.get(instance, 0)
        for e in trail_events:
            told = [(ASSIGNED, first.assignee, None, None)] if e.version == 1 else _told(e, trail)
            if e.version <= skip:
                continue
            for kind, recipient, level, feedback in told:
                if recipient == e.by:
                    continue  # nobody is told of their own act
                out.append(
                    _note(
                        trail,
                        directory,
                        kind,
                        recipient,
                        e.hash,
                        e.at,
                        by=e.by,
                        level=level,
                        feedback=feedback,
                    )
                )
    out.extend(overdue(summaries, directory, now=now, names=names))
    return tuple(out)


def overdue(
    summaries: Iterable[InstanceSummary],
    directory: Directory,
    *,
    now: datetime,
    names: Mapping[str, str] | None = None,
) -> list[Notification]:
    """An ``overdue`` notification for each open summary due before ``now``'s date, to the
    person it waits on (``names``: template names by instance, else the template id)."""
    today = now.date()
    out: list[Notification] = []
    seen: set[str] = set()
    for s in sorted(summaries, key=lambda s: (s.due, s.id)):
        if not isinstance(s, InstanceSummary):
            raise NotifyInputError("derive", "summaries", f"{s!r} is not an InstanceSummary")
        if s.status not in OPEN_STATUSES or s.due >= today or not s.waiting_on:
            continue
        trail = _Trail(
            s.id,
            s.client,
            s.period,
            (names or {}).get(s.id, s.template_id),
            s.due,
            s.assignee,
            s.reviewers,
        )
        note = _note(trail, directory, OVERDUE, s.waiting_on, f"{s.id}@{s.due.isoformat()}", now)
        if note.id not in seen:
            seen.add(note.id)
            out.append(note)
    return out


def unaddressed(notifications: Iterable[Notification]) -> tuple[str, ...]:
    """The people (sorted, once each) with a notification but no address."""
    return tuple(sorted({n.recipient for n in notifications if n.to is None}))
