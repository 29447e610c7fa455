"""Time runs forward: a command dated before the instance's last event is refused.

Machines' clocks disagree a little, so a command may be dated up to
:data:`CLOCK_SKEW` (5 minutes) before the last event and still be accepted; anything
earlier raises :class:`TimeOrderError`. ``apply`` takes the tolerance as a parameter
(``skew=``), and ``replay`` holds recorded trails to the same rule.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from workflowkit.review.commands import Command
from workflowkit.review.errors import IllegalCommandError
from workflowkit.review.refusals import refuse
from workflowkit.review.state import Instance

CLOCK_SKEW: Final = timedelta(minutes=5)
"""How far before the last event a command may be dated (clock skew between machines)."""


class TimeOrderError(IllegalCommandError):
    """A command dated before the instance's last event (beyond the clock skew allowed)."""

    def __init__(self, *, last: datetime, at: datetime, skew: timedelta, **context: object) -> None:
        self.last = last
        self.at = at
        self.skew = skew
        super().__init__(**context)  # type: ignore[arg-type]


def check_time_order(instance: Instance, command: Command, skew: timedelta | None) -> None:
    """Raise :class:`TimeOrderError` if ``command`` is dated more than ``skew`` before the
    instance's last event (``skew=None`` turns the check off)."""
    if skew is None:
        return
    last, at = instance.updated_at, command.at
    if at >= last - skew:
        return
    raise refuse(
        TimeOrderError,
        instance,
        command,
        f"it is dated {at.isoformat()}, before the last event ({last.isoformat()}); time "
        f"runs forward (clock skew up to {int(skew.total_seconds())} s is allowed)",
        last=last,
        at=at,
        skew=skew,
    )
