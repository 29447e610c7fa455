"""The notification errors: bad input to the pure step, and a delivery that failed."""

from __future__ import annotations

from workflowkit.errors import WorkflowkitError


class NotifyError(WorkflowkitError):
    """Base class for the notification errors."""


class NotifyInputError(NotifyError):
    """What was given to derive or deliver notifications is not fit: names what and where."""

    def __init__(self, where: str, field: str, reason: str) -> None:
        self.where = where
        self.field = field
        self.reason = reason
        super().__init__(f"{where}: {field}: {reason}")


class SenderSettingsError(NotifyError):
    """A sender's settings (the ``WORKFLOWKIT_SMTP_*`` variables) are missing or wrong."""

    def __init__(self, setting: str, reason: str) -> None:
        self.setting = setting
        self.reason = reason
        super().__init__(f"{setting}: {reason}")


class DeliveryError(NotifyError):
    """The sender cannot deliver at all (no connection, refused login): nothing more is
    sent, and nothing it did not send is marked sent."""

    def __init__(self, server: str, reason: str) -> None:
        self.server = server
        self.reason = reason
        super().__init__(f"{server}: {reason}")


class MessageRefusedError(NotifyError):
    """The server refused one message (its recipient, say); the others may still go."""

    def __init__(self, notification: str, recipient: str, reason: str) -> None:
        self.notification = notification
        self.recipient = recipient
        self.reason = reason
        super().__init__(f"notification {notification} to {recipient}: {reason}")
