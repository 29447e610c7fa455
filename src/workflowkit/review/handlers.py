"""What each command does, and who may give it (the actor names of the table).

Each handler gets an instance and a command the dispatcher has already matched to a row
of the transition table and whose actor holds the row's role; it checks the command's
own guard (the check exists, a comment is given, every check is resolved...) and returns
the next instance and its event, or raises a refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from workflowkit.review.commands import (
    AddComment,
    Approve,
    Attach,
    Cancel,
    Command,
    Complete,
    HandBack,
    Reassign,
    RecordFindings,
    SetCheckStatus,
    SubmitForReview,
)
from workflowkit.review.drafts import CHECK_STATE_DRAFT
from workflowkit.review.errors import (
    InvalidTransitionError,
    NoChangeError,
    PolicyError,
    RequirementNotMetError,
    WrongCheckError,
)
from workflowkit.review.events import Event
from workflowkit.review.refusals import refuse, unknown_check, unresolved
from workflowkit.review.sealing import (
    NO_EFFECT,
    STATUS_EFFECTS,
    SUGGESTION_EFFECTS,
    advance,
    effect_of,
    level_effect,
    make_attachment,
    make_check_state,
    make_comment,
    make_findings,
)
from workflowkit.review.state import PENDING, CheckState, Instance, WorkflowStatus
from workflowkit.templates.models import CheckStatus

IN_PROGRESS: Final = WorkflowStatus.IN_PROGRESS
IN_REVIEW: Final = WorkflowStatus.IN_REVIEW
COMPLETED: Final = WorkflowStatus.COMPLETED
CANCELLED: Final = WorkflowStatus.CANCELLED

Handler = Callable[[Instance, Any], tuple[Instance, Event]]


def _is_assignee(inst: Instance, by: str) -> bool:
    return by == inst.assignee


def _is_reviewer(inst: Instance, by: str) -> bool:
    return by == inst.setup.reviewers[inst.level]


def _is_participant(inst: Instance, by: str) -> bool:
    return by == inst.assignee or by in inst.setup.reviewers


def _is_reassigner(inst: Instance, by: str) -> bool:
    setup = inst.setup
    roles = setup.template.review.reassign_by
    if "assignee" in roles and by == inst.assignee:
        return True
    return any(
        role in roles and person == by
        for role, person in zip(setup.roles, setup.reviewers, strict=True)
    )


def may_cancel(inst: Instance, by: str) -> bool:
    """Whether ``by`` may cancel ``inst``: the one place that decides it.

    Without a team, the assignee or any of the reviewers may. The team's permission
    seam replaces this check with "the person's role has the ``cancel`` permission".
    """
    return by == inst.assignee or by in inst.setup.reviewers


def _anyone(inst: Instance, by: str) -> bool:
    return True


PERMISSIONS: Final[Mapping[str, Callable[[Instance, str], bool]]] = {
    "anyone": _anyone,
    "engine": _anyone,
    "assignee": _is_assignee,
    "reviewer": _is_reviewer,
    "participant": _is_participant,
    "reassigner": _is_reassigner,
    "canceller": may_cancel,
}

# ---------------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------------


def _set_check_status(inst: Instance, cmd: SetCheckStatus) -> tuple[Instance, Event]:
    # The commonest command: lookups by the status's value (a str hashes in C; an enum
    # member's hash is a Python call), and no helper calls on the way to ``advance``.
    setup = inst.setup
    try:
        i = setup.index[cmd.check]  # a read-only proxy: [] is a C call, .get() a method call
    except KeyError:
        raise unknown_check(inst, cmd, cmd.check) from None
    checks = inst.checks
    old = checks[i]
    status: CheckStatus = cmd.status  # type: ignore[assignment]  # made one in __post_init__
    value: str = status._value_
    note = cmd.comment
    was = old.status
    if status is PENDING:
        if was is PENDING:
            raise refuse(
                NoChangeError,
                inst,
                cmd,
                f"check {cmd.check!r} is pending: there is nothing to undo",
            )
    else:
        if status is was and note == old.note:
            raise refuse(NoChangeError, inst, cmd, f"check {cmd.check!r} is already {status.value}")
        if note is None and value in setup.comment_required[i]:
            raise refuse(
                RequirementNotMetError,
                inst,
                cmd,
                f"check {cmd.check!r} needs a comment to be {status.value}",
                check=cmd.check,
                requirement="comment",
            )
        if not old.files and value in setup.file_required[i]:
            raise refuse(
                RequirementNotMetError,
                inst,
                cmd,
                f"check {cmd.check!r} needs an attached file to be {status.value}",
                check=cmd.check,
                requirement="file",
            )
    findings = old.findings
    followed = (
        None
        if findings is None or status is PENDING
        else (value == findings.result.suggested_status)
    )
    # make_check_state(), inlined.
    state = CHECK_STATE_DRAFT()
    state.status = status
    state.note = note
    state.by = cmd.by
    state.at = cmd.at
    state.comments = old.comments
    state.files = old.files
    state.findings = findings
    state.__class__ = CheckState
    new = list(checks)
    new[i] = state
    return advance(
        inst,
        cmd,
        STATUS_EFFECTS[was._value_, followed],
        inst.assignee,
        inst.status,
        inst.level,
        tuple(new),
        inst.comments,
        inst.files,
    )


def _replace_check(
    inst: Instance, i: int, old: CheckState, **change: Any
) -> tuple[CheckState, ...]:
    state = make_check_state(
        old.status,
        old.note,
        old.by,
        old.at,
        change.get("comments", old.comments),
        change.get("files", old.files),
        change.get("findings", old.findings),
    )
    checks = list(inst.checks)
    checks[i] = state
    return tuple(checks)


def _index_of(inst: Instance, cmd: Command, check: str) -> int:
    """The position of ``check`` in the instance, or the refusal naming it."""
    try:
        return inst.setup.index[check]
    except KeyError:
        raise unknown_check(inst, cmd, check) from None


def _add_note(
    inst: Instance, cmd: Command, check: str | None, kind: str, note: Any
) -> tuple[Instance, Event]:
    """A comment or file (``kind``: "comments" or "files") added to the workflow, when
    ``check`` is None, or to one check. Nothing else changes."""
    checks, comments, files = inst.checks, inst.comments, inst.files
    if check is None:
        if kind == "comments":
            comments = (*comments, note)
        else:
            files = (*files, note)
    else:
        i = _index_of(inst, cmd, check)
        old = checks[i]
        checks = _replace_check(inst, i, old, **{kind: (*getattr(old, kind), note)})
    return advance(
        inst, cmd, NO_EFFECT, inst.assignee, inst.status, inst.level, checks, comments, files
    )


def _add_comment(inst: Instance, cmd: AddComment) -> tuple[Instance, Event]:
    comment = make_comment(cmd.text, cmd.by, cmd.at, "comment")
    return _add_note(inst, cmd, cmd.check, "comments", comment)


def _attach(inst: Instance, cmd: Attach) -> tuple[Instance, Event]:
    return _add_note(inst, cmd, cmd.check, "files", make_attachment(cmd))


def _record_findings(inst: Instance, cmd: RecordFindings) -> tuple[Instance, Event]:
    setup = inst.setup
    i = _index_of(inst, cmd, cmd.check)
    data_check = setup.data_checks[i]
    if data_check is None:
        raise refuse(
            WrongCheckError,
            inst,
            cmd,
            f"check {cmd.check!r} is manual; findings attach to automated checks",
            check=cmd.check,
        )
    if cmd.result.check != data_check:
        raise refuse(
            WrongCheckError,
            inst,
            cmd,
            f"check {cmd.check!r} runs data check {data_check!r}, but the result is of "
            f"{cmd.result.check!r}",
            check=cmd.check,
        )
    findings = make_findings(cmd.result, cmd.by, cmd.at)
    checks = _replace_check(inst, i, inst.checks[i], findings=findings)
    effect = SUGGESTION_EFFECTS[cmd.result.suggested_status]
    return advance(
        inst, cmd, effect, inst.assignee, inst.status, inst.level, checks, inst.comments, inst.files
    )


def _reassign(inst: Instance, cmd: Reassign) -> tuple[Instance, Event]:
    setup = inst.setup
    if cmd.to == inst.assignee:
        raise refuse(NoChangeError, inst, cmd, f"{cmd.to!r} is already the assignee")
    if cmd.to in setup.reviewers and not setup.template.review.preparer_may_review:
        raise refuse(
            PolicyError,
            inst,
            cmd,
            f"{cmd.to!r} reviews this workflow and may not prepare it: the review policy "
            "does not let the preparer review their own work",
        )
    return advance(
        inst,
        cmd,
        effect_of({"from": inst.assignee}),
        cmd.to,
        IN_PROGRESS,
        0,
        inst.checks,
        inst.comments,
        inst.files,
    )


def _submit(inst: Instance, cmd: SubmitForReview) -> tuple[Instance, Event]:
    if not inst.setup.levels:
        raise refuse(
            InvalidTransitionError,
            inst,
            cmd,
            "the workflow has no review levels: complete it instead",
        )
    problem = unresolved(inst, cmd)
    if problem is not None:
        raise problem
    return advance(
        inst, cmd, NO_EFFECT, inst.assignee, IN_REVIEW, 0, inst.checks, inst.comments, inst.files
    )


def _complete(inst: Instance, cmd: Complete) -> tuple[Instance, Event]:
    if inst.setup.levels:
        raise refuse(
            InvalidTransitionError,
            inst,
            cmd,
            f"the workflow has {inst.setup.levels} review level(s): submit it for review",
        )
    problem = unresolved(inst, cmd)
    if problem is not None:
        raise problem
    return advance(
        inst, cmd, NO_EFFECT, inst.assignee, COMPLETED, 0, inst.checks, inst.comments, inst.files
    )


def _separation(inst: Instance, cmd: Approve | HandBack) -> None:
    """The preparer may not review, nor one person approve at two levels (unless allowed)."""
    setup = inst.setup
    policy = setup.template.review
    by = cmd.by
    if by == inst.assignee and not policy.preparer_may_review:
        raise refuse(
            PolicyError,
            inst,
            cmd,
            f"{by!r} prepared this workflow and may not review their own work",
        )
    if not policy.same_reviewer_at_several_levels and by in setup.reviewers[: inst.level]:
        raise refuse(
            PolicyError,
            inst,
            cmd,
            f"{by!r} already approved an earlier level; one person may not approve at two levels",
        )


def _approve(inst: Instance, cmd: Approve) -> tuple[Instance, Event]:
    _separation(inst, cmd)
    level = inst.level + 1
    final = level == inst.setup.levels
    comments = inst.comments
    if cmd.comment is not None:
        comments = (*comments, make_comment(cmd.comment, cmd.by, cmd.at, "approval"))
    return advance(
        inst,
        cmd,
        level_effect(level, final),
        inst.assignee,
        COMPLETED if final else IN_REVIEW,
        level,
        inst.checks,
        comments,
        inst.files,
    )


def _hand_back(inst: Instance, cmd: HandBack) -> tuple[Instance, Event]:
    _separation(inst, cmd)
    comments = (*inst.comments, make_comment(cmd.feedback, cmd.by, cmd.at, "feedback"))
    return advance(
        inst,
        cmd,
        level_effect(inst.level + 1, None),
        inst.assignee,
        IN_PROGRESS,
        0,
        inst.checks,
        comments,
        inst.files,
    )


def _cancel(inst: Instance, cmd: Cancel) -> tuple[Instance, Event]:
    """End the instance: it keeps its checks, level and history, and accepts nothing more."""
    return advance(
        inst,
        cmd,
        _CANCEL_EFFECTS[inst.status],
        inst.assignee,
        CANCELLED,
        inst.level,
        inst.checks,
        inst.comments,
        inst.files,
    )


_CANCEL_EFFECTS: Final = {s: effect_of({"from": s.value}) for s in WorkflowStatus}


HANDLERS: Final[Mapping[str, Handler]] = {
    "set_check_status": _set_check_status,
    "comment": _add_comment,
    "attach": _attach,
    "record_findings": _record_findings,
    "reassign": _reassign,
    "submit_for_review": _submit,
    "complete": _complete,
    "approve": _approve,
    "hand_back": _hand_back,
    "cancel": _cancel,
}
