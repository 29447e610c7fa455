"""Notifications: who must be told what, derived from review events, delivered once.

    notes = derive(events, directory, now=now)                 # pure
    with open_store("practice.db") as store, SmtpSender.from_env() as sender:
        report = notify(store, sender, directory, now=now)     # queue, then deliver

* :func:`derive`: the pure step (events and summaries in, notifications out).
* :func:`notify`: the edge step: derive what is new since the store's notify cursor,
  queue it in the outbox (exactly once), and :func:`deliver` what is pending.
* :class:`Sender`: the protocol a sender meets; :class:`SmtpSender` is the shipped one.

Sits beside ``run`` (DESIGN.md §1); the guide is ``docs/notify.md``.
"""

from workflowkit.notify.derive import derive, overdue, unaddressed
from workflowkit.notify.errors import (
    DeliveryError,
    MessageRefusedError,
    NotifyError,
    NotifyInputError,
    SenderSettingsError,
)
from workflowkit.notify.message import Message, body, compose, message_id, subject
from workflowkit.notify.models import (
    APPROVED,
    ASSIGNED,
    HANDED_BACK,
    KINDS,
    OVERDUE,
    SUBMITTED,
    Address,
    Directory,
    MappingDirectory,
    Notification,
    notification_id,
)
from workflowkit.notify.outbox import DeliveryReport, NotifyReport, deliver, notify, pending
from workflowkit.notify.sender import Sender, SmtpSender, SmtpSettings, email_message
from workflowkit.notify.team import TeamDirectory

__all__ = [
    "APPROVED",
    "ASSIGNED",
    "HANDED_BACK",
    "KINDS",
    "OVERDUE",
    "SUBMITTED",
    "Address",
    "DeliveryError",
    "DeliveryReport",
    "Directory",
    "MappingDirectory",
    "Message",
    "MessageRefusedError",
    "Notification",
    "NotifyError",
    "NotifyInputError",
    "NotifyReport",
    "Sender",
    "SenderSettingsError",
    "SmtpSender",
    "SmtpSettings",
    "TeamDirectory",
    "body",
    "compose",
    "deliver",
    "derive",
    "email_message",
    "message_id",
    "notification_id",
    "notify",
    "overdue",
    "pending",
    "subject",
    "unaddressed",
]
