"""The edge: derive what is new since the store's notify cursor, queue it in the outbox,
and deliver what is pending through a sender.

    with open_store("practice.db") as store, SmtpSender.from_env() as sender:
        report = notify(store, sender, directory, now=datetime.now(UTC))

Exactly once, and where it is only at least once:

- Queueing is exactly once. A notification's id is stable and the outbox keeps an id
  once, ever; the cursor (per instance, the version derived up to) moves in the same
  transaction as the queueing, so a crash leaves both or neither.
- Each message is marked sent right after the sender accepts it. A crash (or a lost
  connection) between the two leaves it pending, and the next run sends it again: at the
  SMTP level delivery is at least once. Every attempt carries the same Message-ID
  (``<id@notify.workflowkit>``), so a receiver can drop the second copy.
- Run one deliverer at a time per store (cron, say): two at once may both send a message
  that neither has marked yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workflowkit.errors import warn_renamed
from workflowkit.notify.derive import derive
from workflowkit.notify.errors import MessageRefusedError, NotifyInputError
from workflowkit.notify.message import compose
from workflowkit.notify.models import Directory, Notification
from workflowkit.notify.sender import Sender
from workflowkit.review.events import Event
from workflowkit.store.protocol import EventStore


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery did."""

    sent: tuple[Notification, ...] = ()
    unaddressed: tuple[Notification, ...] = ()
    """Pending, but their recipient has no address: they stay pending."""
    refused: tuple[tuple[Notification, str], ...] = ()
    """Refused by the server, each with the reason: they stay pending."""


@dataclass(frozen=True, slots=True)
class NotifyReport:
    """What one ``notify`` run did (or, with ``dry_run``, would do)."""

    derived: tuple[Notification, ...]
    """New since the cursor (and the overdue ones found now)."""
    queued: tuple[str, ...]
    """The ids queued now (the derived ones the outbox did not hold yet)."""
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    pending: tuple[Notification, ...] = ()
    """With ``dry_run``: what is in the outbox, still to send."""
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("NotifyReport.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "derived": [n.to_data() for n in self.derived],
            "queued": list(self.queued),
            "pending": [n.to_data() for n in self.pending],
            "sent": [n.id for n in self.delivery.sent],
            "unaddressed": [
                {"id": n.id, "recipient": n.recipient} for n in self.delivery.unaddressed
            ],
            "refused": [{"id": n.id, "reason": why} for n, why in self.delivery.refused],
        }


def _aware(now: datetime) -> None:
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise NotifyInputError("notify", "now", "must be a timezone-aware moment")


def new_events(store: EventStore) -> tuple[list[Event], dict[str, int], dict[str, int]]:
    """The events of every instance with events past the notify cursor; the cursor; and
    the versions read (the cursor's next position)."""
    cursor = store.notify_cursor()
    events: list[Event] = []
    reached: dict[str, int] = {}
    for s in store.instances():
        if s.version > cursor.get(s.id, 0):
            trail = store.load(s.id)
            events.extend(trail)
            reached[s.id] = trail[-1].version
    return events, cursor, reached


def pending(store: EventStore, limit: int | None = None) -> list[Notification]:
    """The outbox's pending notifications, in the order queued."""
    return [Notification.from_json(e.payload) for e in store.pending_notifications(limit)]


def deliver(
    store: EventStore,
    sender: Sender,
    *,
    now: datetime,
    directory: Directory | None = None,
    limit: int | None = None,
) -> DeliveryReport:
    """Send the pending notifications in the order queued, marking each sent (at ``now``)
    as soon as the sender takes it. A notification with no address is looked up again in
    ``directory`` (when given) and otherwise left pending and reported. A
    ``DeliveryError`` from the sender stops the run and propagates: what was sent before it
    is marked, the rest stays pending."""
    _aware(now)
    sent: list[Notification] = []
    unaddressed: list[Notification] = []
    refused: list[tuple[Notification, str]] = []
    for n in pending(store, limit):
        if n.to is None and directory is not None:
            n = n.addressed(directory.address(n.recipient))
        message = compose(n)
        if message is None:
            unaddressed.append(n)
            continue
        try:
            sender.send(message)
        except MessageRefusedError as exc:
            refused.append((n, exc.reason))
            continue
        store.mark_sent([n.id], now)
        sent.append(n)
    return DeliveryReport(tuple(sent), tuple(unaddressed), tuple(refused))


def notify(
    store: EventStore,
    sender: Sender | None,
    directory: Directory,
    *,
    now: datetime,
    dry_run: bool = False,
) -> NotifyReport:
    """Derive the notifications new since the cursor (and the overdue ones at ``now``),
    queue them with the cursor's move in one transaction, and deliver what is pending.
    ``dry_run`` writes and sends nothing: it reports what would be queued and what is
    pending. ``sender=None`` queues without delivering."""
    _aware(now)
    events, cursor, reached = new_events(store)
    late = store.instances(overdue_on=now.date())
    notes = derive(events, directory, now=now, summaries=late, after=cursor)
    if dry_run:
        return NotifyReport(notes, (), pending=tuple(pending(store)), dry_run=True)
    queued = store.enqueue_notifications(
        [(n.id, n.to_json()) for n in notes], created=now, cursor=reached
    )
    delivery = DeliveryReport()
    if sender is not None:
        delivery = deliver(store, sender, now=now, directory=directory)
    return NotifyReport(notes, tuple(queued), delivery)
