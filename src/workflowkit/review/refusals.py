"""Refusals: every one names the instance, its state, the command, the actor and why."""

from __future__ import annotations

from typing import Any, Final

from workflowkit.review.commands import Command
from workflowkit.review.errors import (
    IllegalCommandError,
    InvalidTransitionError,
    LockedError,
    UnknownCheckError,
    UnresolvedChecksError,
)
from workflowkit.review.state import PENDING, Instance, WorkflowStatus
from workflowkit.review.table import ACTORS, accepted

IN_REVIEW: Final = WorkflowStatus.IN_REVIEW
COMPLETED: Final = WorkflowStatus.COMPLETED
CANCELLED: Final = WorkflowStatus.CANCELLED


class CancelledError(InvalidTransitionError):
    """The instance is cancelled: no command (reopening included) is accepted."""


def state_text(inst: Instance) -> str:
    """The state in words: ``in_review at level 1 of 2 (reviewer: rob)``."""
    if inst.status is IN_REVIEW:
        setup = inst.setup
        return (
            f"in_review at level {inst.level + 1} of {setup.levels} "
            f"({setup.roles[inst.level]}: {setup.reviewers[inst.level]})"
        )
    if inst.status is COMPLETED:
        return "completed and locked"
    if inst.status is CANCELLED:
        return "cancelled"
    return "in_progress"


def refuse(
    cls: type[IllegalCommandError], inst: Instance, cmd: Command, reason: str, **extra: Any
) -> IllegalCommandError:
    return cls(
        instance=inst.setup.id,
        state=state_text(inst),
        command=cmd.type,
        actor=cmd.by,
        reason=reason,
        version=inst.version,
        status=inst.status.value,
        level=inst.level + 1 if inst.status is IN_REVIEW else None,
        **extra,
    )


def refuse_state(inst: Instance, cmd: Command) -> IllegalCommandError:
    if inst.status is COMPLETED:
        return refuse(
            LockedError, inst, cmd, "the workflow is completed and locked; nothing changes it"
        )
    if inst.status is CANCELLED:
        return refuse(
            CancelledError,
            inst,
            cmd,
            "the workflow is cancelled; it stays in history and nothing reopens or changes it",
        )
    if cmd.type == "start":
        return refuse(InvalidTransitionError, inst, cmd, "the workflow is already started")
    return refuse(
        InvalidTransitionError,
        inst,
        cmd,
        f"{cmd.type} is not accepted in {inst.status.value}; accepted: "
        + ", ".join(accepted(inst.status)),
    )


def who(inst: Instance, actor: str) -> str:
    setup = inst.setup
    if actor == "assignee":
        return f"the assignee ({inst.assignee})"
    if actor == "reviewer":
        return (
            f"the reviewer of level {inst.level + 1} "
            f"({setup.roles[inst.level]}: {setup.reviewers[inst.level]})"
        )
    if actor == "participant":
        return "the assignee or a reviewer (" + ", ".join((inst.assignee, *setup.reviewers)) + ")"
    if actor == "reassigner":
        roles = inst.setup.template.review.reassign_by
        return "a person holding a role in reassign_by (" + ", ".join(roles) + ")"
    return ACTORS.get(actor, actor)


def unknown_check(inst: Instance, cmd: Command, check: str) -> IllegalCommandError:
    return refuse(
        UnknownCheckError,
        inst,
        cmd,
        f"no check {check!r} in template {inst.setup.template.id}@{inst.setup.template.version}",
        check=check,
    )


def unresolved(inst: Instance, cmd: Command) -> IllegalCommandError | None:
    if PENDING not in [s.status for s in inst.checks]:
        return None
    open_ = inst.unresolved
    return refuse(
        UnresolvedChecksError,
        inst,
        cmd,
        f"{len(open_)} check(s) not resolved: " + ", ".join(open_),
        check_ids=open_,
    )


# ---------------------------------------------------------------------------------
