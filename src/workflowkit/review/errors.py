"""The errors of the review engine, each with structured attributes.

An illegal command raises a subclass of :class:`IllegalCommandError`, which names the
instance, its state, the command, the actor and the reason; nothing is changed. A bad
command or record (an empty actor, a naive time, a malformed hash) raises
:class:`InvalidCommandError` or :class:`InvalidRecordError` where it is made. A broken
audit trail raises :class:`TamperError` (from ``verify``) or :class:`ReplayError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workflowkit.errors import NotFoundError, ReviewError


class IllegalCommandError(ReviewError):
    """A command the instance refuses in its current state, for this actor.

    ``state`` is the state in words (``in_review at level 1 of 2 (reviewer: bob)``);
    ``status`` is the machine-readable status (``in_progress``, ``in_review``,
    ``completed``, ``cancelled``) and ``level`` the 1-based review level when in review,
    so an app can branch on them without reading prose.
    """

    def __init__(
        self,
        *,
        instance: str,
        state: str,
        command: str,
        actor: str,
        reason: str,
        version: int = 0,
        status: str = "",
        level: int | None = None,
    ) -> None:
        self.instance = instance
        self.state = state
        self.status = status
        self.level = level
        self.command = command
        self.actor = actor
        self.reason = reason
        self.version = version
        super().__init__(
            f"{command} by {actor!r} refused on {instance} ({state}, version {version}): {reason}"
        )


class PermissionDeniedError(IllegalCommandError):
    """The actor does not hold the role the command needs."""


class InvalidTransitionError(IllegalCommandError):
    """The command is not one the instance accepts in its state."""


class LockedError(InvalidTransitionError):
    """The instance is completed and locked: no change at all is accepted."""


class UnresolvedChecksError(IllegalCommandError):
    """Submit or complete while some checks are still pending."""

    def __init__(self, *, check_ids: Sequence[str], **context: Any) -> None:
        self.check_ids = tuple(check_ids)
        super().__init__(**context)


class _CheckCommandError(IllegalCommandError):
    """An illegal command about one check, which ``check`` names."""

    def __init__(self, *, check: str, **context: Any) -> None:
        self.check = check
        super().__init__(**context)


class RequirementNotMetError(_CheckCommandError):
    """A status that needs a comment or an attached file was set without one."""

    def __init__(self, *, requirement: str, **context: Any) -> None:
        self.requirement = requirement
        super().__init__(**context)


class UnknownCheckError(_CheckCommandError, NotFoundError):
    """The command names a check the instance does not have."""


class NoChangeError(IllegalCommandError):
    """The command would change nothing (undo a pending check, reassign to the assignee)."""


class PolicyError(IllegalCommandError):
    """The review policy forbids it: the preparer reviewing, one person at two levels."""


class WrongCheckError(_CheckCommandError):
    """The command does not fit the check: findings on a manual check, or another data check's."""


class InvalidStartError(ReviewError):
    """``start`` was given something it cannot start from (no assignee, wrong reviewers)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"cannot start the workflow: {field}: {reason}")


class InvalidCommandError(ReviewError, ValueError):
    """A command or record built with a bad value (raised where it is made)."""

    def __init__(self, what: str, field: str, reason: str) -> None:
        self.what = what
        self.field = field
        self.reason = reason
        super().__init__(f"{what}.{field}: {reason}")


class InvalidRecordError(ReviewError, ValueError):
    """A JSON event or instance that cannot be read back (what and where)."""

    def __init__(self, what: str, problems: Sequence[str]) -> None:
        self.what = what
        self.problems = tuple(problems)
        shown = "; ".join(self.problems[:10])
        more = f" (and {len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        super().__init__(f"invalid {what}: {shown}{more}")


class TamperError(ReviewError):
    """The audit trail is not the one that was written.

    ``kind`` is ``changed``, ``dropped``, ``inserted`` or ``reordered``; ``position`` is the
    0-based index in the list given to ``verify`` and ``version`` the version recorded in
    the event found there (``None`` when the problem is past the end of the list).
    """

    def __init__(self, kind: str, position: int, version: int | None, detail: str) -> None:
        self.kind = kind
        self.position = position
        self.version = version
        self.detail = detail
        # The message names versions only (1-based, as history shows them); the 0-based
        # ``position`` stays an attribute for code.
        where = f"version {version}" if version is not None else "after the last event"
        super().__init__(f"{kind}: {where}: {detail}")


class ReplayError(ReviewError):
    """The events do not rebuild an instance: a command is refused or gives another event."""

    def __init__(self, position: int, version: int, reason: str) -> None:
        self.position = position
        self.version = version
        self.reason = reason
        super().__init__(f"cannot replay version {version}: {reason}")
