"""The transition table: which command is accepted in which state, from whom, and where
it leads. It is data, kept here and only here: the engine dispatches on it and
``docs/review.md`` shows it, rendered by :mod:`workflowkit.review.render` (a test fails
when the page is stale; ``python -m workflowkit.review.render docs/review.md`` rewrites it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from workflowkit.review.state import WorkflowStatus

IN_PROGRESS = WorkflowStatus.IN_PROGRESS
IN_REVIEW = WorkflowStatus.IN_REVIEW
COMPLETED = WorkflowStatus.COMPLETED
CANCELLED = WorkflowStatus.CANCELLED


@dataclass(frozen=True, slots=True)
class Transition:
    """One row: in ``source``, ``command`` from ``actor`` (when ``guard`` holds) leads to
    ``target``. ``source`` is ``None`` for ``start``, which creates the instance."""

    source: WorkflowStatus | None
    command: str
    target: WorkflowStatus
    actor: str
    guard: str


ACTORS: Final[Mapping[str, str]] = {
    "anyone": "anyone (recorded as the actor)",
    "assignee": "the assignee",
    "reviewer": "the reviewer of the current level",
    "participant": "the assignee or any of the reviewers",
    "reassigner": "a person holding a role named in the policy's `reassign_by`",
    "engine": "the caller recording a data check's result (any actor, e.g. `insights`)",
    "canceller": (
        "without a team, the assignee or any of the reviewers; with a team, a person whose "
        "role has the `cancel` permission"
    ),
}
"""Who each actor name in the table means."""

TRANSITIONS: Final[tuple[Transition, ...]] = (
    Transition(
        None,
        "start",
        IN_PROGRESS,
        "anyone",
        "an assignee; one reviewer per review level; the policy's separation rules",
    ),
    Transition(
        IN_PROGRESS,
        "set_check_status",
        IN_PROGRESS,
        "assignee",
        "the check exists; a comment or file the status requires is given; it changes something",
    ),
    Transition(IN_PROGRESS, "comment", IN_PROGRESS, "participant", "the check, if named, exists"),
    Transition(IN_PROGRESS, "attach", IN_PROGRESS, "participant", "the check, if named, exists"),
    Transition(
        IN_PROGRESS,
        "record_findings",
        IN_PROGRESS,
        "engine",
        "an automated check, and the result is of its data check",
    ),
    Transition(
        IN_PROGRESS,
        "reassign",
        IN_PROGRESS,
        "reassigner",
        "a new assignee who is not a reviewer (unless the preparer may review)",
    ),
    Transition(
        IN_PROGRESS,
        "submit_for_review",
        IN_REVIEW,
        "assignee",
        "every check resolved; the policy has review levels",
    ),
    Transition(
        IN_PROGRESS,
        "complete",
        COMPLETED,
        "assignee",
        "every check resolved; the policy has no review levels",
    ),
    Transition(IN_REVIEW, "comment", IN_REVIEW, "participant", "the check, if named, exists"),
    Transition(IN_REVIEW, "attach", IN_REVIEW, "participant", "the check, if named, exists"),
    Transition(IN_REVIEW, "approve", IN_REVIEW, "reviewer", "a further level follows"),
    Transition(
        IN_REVIEW,
        "approve",
        COMPLETED,
        "reviewer",
        "the final level: the workflow completes and locks",
    ),
    Transition(
        IN_REVIEW, "hand_back", IN_PROGRESS, "reviewer", "feedback given; back to the assignee"
    ),
    Transition(
        IN_PROGRESS,
        "cancel",
        CANCELLED,
        "canceller",
        "a reason given; the instance leaves every queue and stays in history",
    ),
    Transition(
        IN_REVIEW,
        "cancel",
        CANCELLED,
        "canceller",
        "a reason given; the instance leaves every queue and stays in history",
    ),
)
"""Every accepted (state, command). Anything else is refused; ``completed`` and
``cancelled`` accept nothing."""

TERMINAL: Final[frozenset[WorkflowStatus]] = frozenset({COMPLETED, CANCELLED})
"""The states no command leaves: completed (locked) and cancelled."""

COMMANDS: Final[tuple[str, ...]] = tuple(dict.fromkeys(t.command for t in TRANSITIONS))


def rows(source: WorkflowStatus | None, command: str) -> tuple[Transition, ...]:
    """The rows for a (state, command) pair: empty when the command is refused there."""
    return tuple(t for t in TRANSITIONS if t.source == source and t.command == command)


def targets(source: WorkflowStatus | None, command: str) -> frozenset[WorkflowStatus]:
    """Where ``command`` may lead from ``source``."""
    return frozenset(t.target for t in rows(source, command))


def accepted(source: WorkflowStatus) -> tuple[str, ...]:
    """The commands accepted in a state, in table order."""
    return tuple(dict.fromkeys(t.command for t in TRANSITIONS if t.source == source))
