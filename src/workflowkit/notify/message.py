"""The words of a notification: its subject and plain-text body, and its Message-ID.

Pure: the same notification always reads the same, and its Message-ID is made of its
stable id, so a receiver that sees one message twice (after a crash between sending and
marking it sent) can tell it is the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from workflowkit.notify.models import (
    APPROVED,
    ASSIGNED,
    HANDED_BACK,
    OVERDUE,
    SUBMITTED,
    Address,
    Notification,
)

MESSAGE_ID_DOMAIN: Final = "notify.workflowkit"


@dataclass(frozen=True, slots=True)
class Message:
    """A notification made ready to send: to whom, subject, body, and its Message-ID."""

    notification: Notification
    to: Address
    subject: str
    body: str
    message_id: str


def message_id(notification: Notification, domain: str = MESSAGE_ID_DOMAIN) -> str:
    """``<id@domain>``: the same for every attempt to send one notification."""
    return f"<{notification.id}@{domain}>"


def subject(n: Notification) -> str:
    what = f"{n.template} for {n.client} ({n.period})"
    if n.kind == ASSIGNED:
        return f"Assigned to you: {what}"
    if n.kind == SUBMITTED:
        return f"For your review, level {n.level}: {what}"
    if n.kind == HANDED_BACK:
        return f"Handed back to you: {what}"
    if n.kind == APPROVED:
        return f"Approved and locked: {what}"
    assert n.kind == OVERDUE
    return f"Overdue since {n.due.isoformat()}: {what}"


def body(n: Notification) -> str:
    name = n.to.name if n.to is not None and n.to.name else n.recipient
    by = n.by or "someone"
    when = n.at.isoformat(timespec="minutes")
    if n.kind == ASSIGNED:
        lead = f"{by} assigned this work to you on {when}."
    elif n.kind == SUBMITTED:
        lead = f"{by} passed this work to you for review at level {n.level} on {when}."
    elif n.kind == HANDED_BACK:
        lead = f"{by} handed this work back to you on {when}, with this feedback:"
    elif n.kind == APPROVED:
        lead = f"{by} gave the final approval on {when}: the work is complete and locked."
    else:
        lead = f"This work was due on {n.due.isoformat()} and is still open: it waits on you."
    lines = [f"Hello {name},", "", lead]
    if n.kind == HANDED_BACK and n.feedback:
        lines += [""] + [f"> {line}" for line in n.feedback.splitlines()]
    lines += [
        "",
        f"Instance: {n.instance}",
        f"Client:   {n.client}",
        f"Period:   {n.period}",
        f"Work:     {n.template}",
        f"Due:      {n.due.isoformat()}",
        "",
        "-- workflowkit",
    ]
    return "\n".join(lines) + "\n"


def compose(n: Notification, domain: str = MESSAGE_ID_DOMAIN) -> Message | None:
    """The message for ``n`` (``None`` when it has no address)."""
    if n.to is None:
        return None
    return Message(n, n.to, subject(n), body(n), message_id(n, domain))
