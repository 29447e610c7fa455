"""What an instance's trail says of its standing, read from the events directly: the
reference the store's summaries (``handed_back``, ``issues``) and the report are tested
against."""

from __future__ import annotations

from collections.abc import Sequence

from workflowkit.review import Event, HandBack, SetCheckStatus, SubmitForReview


def standing_from_events(events: Sequence[Event]) -> tuple[bool, tuple[str, ...]]:
    """(handed back with no submit since, the checks whose latest status is complete
    with issues, sorted)."""
    handed_back = False
    latest: dict[str, str] = {}
    for e in events:
        c = e.command
        if isinstance(c, HandBack):
            handed_back = True
        elif isinstance(c, SubmitForReview):
            handed_back = False
        elif isinstance(c, SetCheckStatus):
            latest[c.check] = str(getattr(c.status, "value", c.status))
    return handed_back, tuple(sorted(k for k, v in latest.items() if v == "complete_with_issues"))
