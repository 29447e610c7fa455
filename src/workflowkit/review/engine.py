"""``start`` and ``apply``: the pure core of the review engine.

``apply(instance, command) -> (instance, event)`` looks the (state, command) pair up in
a dispatch table built from :data:`workflowkit.review.table.TRANSITIONS`, checks the
actor's role, runs the command's guard and builds the next instance and its event. It
never mutates anything, never reads the clock, and raises an
:class:`~workflowkit.review.errors.IllegalCommandError` (naming the state, the command,
the actor and the reason) for anything the rules refuse.

The hot path is written for speed: already-checked objects are made without going
through their ``__post_init__`` checks, unchanged check states are shared with the
previous version, effects are precomputed, and the canonical JSON of an event is put
together from pieces instead of being serialised generically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from hashlib import sha256
from types import MappingProxyType
from typing import Any, Final

from workflowkit.review.canonical import GENESIS, canonical_json
from workflowkit.review.commands import (
    AddComment,
    Approve,
    Attach,
    Command,
    Complete,
    HandBack,
    Reassign,
    RecordFindings,
    SetCheckStatus,
    Start,
    SubmitForReview,
    template_json,
)
from workflowkit.review.errors import (
    IllegalCommandError,
    InvalidCommandError,
    InvalidStartError,
    InvalidTransitionError,
    LockedError,
    NoChangeError,
    PermissionDeniedError,
    PolicyError,
    RequirementNotMetError,
    UnknownCheckError,
    UnresolvedChecksError,
    WrongCheckError,
)
from workflowkit.review.events import Event
from workflowkit.review.state import (
    PENDING,
    PENDING_CHECK,
    Attachment,
    CheckState,
    Comment,
    Findings,
    Instance,
    Setup,
    WorkflowStatus,
    derive,
    setup_problem,
)
from workflowkit.review.table import ACTORS, TRANSITIONS, accepted
from workflowkit.templates.models import CheckStatus
from workflowkit.templates.resolve import ResolvedTemplate

IN_PROGRESS: Final = WorkflowStatus.IN_PROGRESS
IN_REVIEW: Final = WorkflowStatus.IN_REVIEW
COMPLETED: Final = WorkflowStatus.COMPLETED

Effect = tuple[Mapping[str, Any], str]
"""An event's effect and its canonical JSON."""

# ---------------------------------------------------------------------------------
# Making already-checked objects quickly (the slots are set directly)
# ---------------------------------------------------------------------------------

_new = object.__new__


def _setters(cls: type, names: str) -> tuple[Callable[[Any, Any], None], ...]:
    return tuple(cls.__dict__[n].__set__ for n in names.split())


(
    _i_setup,
    _i_assignee,
    _i_status,
    _i_level,
    _i_checks,
    _i_comments,
    _i_files,
    _i_version,
    _i_head,
    _i_updated,
) = _setters(Instance, "setup assignee status level checks comments files version head updated_at")
_e_instance, _e_version, _e_command, _e_effect, _e_prev, _e_hash = _setters(
    Event, "instance version command effect prev hash"
)
_c_status, _c_note, _c_by, _c_at, _c_comments, _c_files, _c_findings = _setters(
    CheckState, "status note by at comments files findings"
)
_m_text, _m_by, _m_at, _m_kind = _setters(Comment, "text by at kind")
_f_result, _f_by, _f_at = _setters(Findings, "result by at")
_SETUP_FIELDS: Final = _setters(
    Setup, "id template client period due reviewers started_by started_at"
)
_a_name, _a_sha, _a_size, _a_media, _a_by, _a_at = _setters(
    Attachment, "name sha256 size media_type by at"
)


def _instance(
    setup: Setup,
    assignee: str,
    status: WorkflowStatus,
    level: int,
    checks: tuple[CheckState, ...],
    comments: tuple[Comment, ...],
    files: tuple[Attachment, ...],
    version: int,
    head: str,
    updated_at: datetime,
) -> Instance:
    o: Instance = _new(Instance)
    _i_setup(o, setup)
    _i_assignee(o, assignee)
    _i_status(o, status)
    _i_level(o, level)
    _i_checks(o, checks)
    _i_comments(o, comments)
    _i_files(o, files)
    _i_version(o, version)
    _i_head(o, head)
    _i_updated(o, updated_at)
    return o


def _check_state(
    status: CheckStatus,
    note: str | None,
    by: str | None,
    at: datetime | None,
    comments: tuple[Comment, ...],
    files: tuple[Attachment, ...],
    findings: Findings | None,
) -> CheckState:
    o: CheckState = _new(CheckState)
    _c_status(o, status)
    _c_note(o, note)
    _c_by(o, by)
    _c_at(o, at)
    _c_comments(o, comments)
    _c_files(o, files)
    _c_findings(o, findings)
    return o


def _comment(text: str, by: str, at: datetime, kind: str) -> Comment:
    o: Comment = _new(Comment)
    _m_text(o, text)
    _m_by(o, by)
    _m_at(o, at)
    _m_kind(o, kind)
    return o


def _attachment(cmd: Attach) -> Attachment:
    o: Attachment = _new(Attachment)
    _a_name(o, cmd.name)
    _a_sha(o, cmd.sha256)
    _a_size(o, cmd.size)
    _a_media(o, cmd.media_type)
    _a_by(o, cmd.by)
    _a_at(o, cmd.at)
    return o


def _effect(data: dict[str, Any]) -> Effect:
    return MappingProxyType(data), canonical_json(data)


_NO_EFFECT: Final = _effect({})
_STATUS_EFFECTS: Final[dict[tuple[CheckStatus, bool | None], Effect]] = {
    (s, f): _effect({"from": s.value, "followed_suggestion": f})
    for s in CheckStatus
    for f in (None, True, False)
}
_SUGGESTION_EFFECTS: Final[dict[str, Effect]] = {
    s: _effect({"suggested_status": s}) for s in ("complete", "complete_with_issues")
}
_LEVEL_EFFECTS: dict[tuple[int, bool | None], Effect] = {}


def _level_effect(level: int, locked: bool | None) -> Effect:
    """``{"level": n, "locked": bool}`` (approve) or ``{"level": n}`` (hand back)."""
    hit = _LEVEL_EFFECTS.get((level, locked))
    if hit is None:
        data: dict[str, Any] = {"level": level}
        if locked is not None:
            data["locked"] = locked
        hit = _LEVEL_EFFECTS.setdefault((level, locked), _effect(data))
    return hit


_sha256 = sha256


def _advance(
    inst: Instance,
    cmd: Command,
    effect: Effect,
    assignee: str,
    status: WorkflowStatus,
    level: int,
    checks: tuple[CheckState, ...],
    comments: tuple[Comment, ...],
    files: tuple[Attachment, ...],
) -> tuple[Instance, Event]:
    """The next version of ``inst`` and the event that records it, sealed by hash."""
    setup = inst.setup
    version = inst.version + 1
    prev = inst.head
    body = (
        f'{{"command":{cmd._body()},"effect":{effect[1]},"instance":{setup.id_json},'
        f'"prev":"{prev}","version":{version}}}'
    )
    digest = _sha256(body.encode()).hexdigest()
    ev: Event = _new(Event)
    _e_instance(ev, setup.id)
    _e_version(ev, version)
    _e_command(ev, cmd)
    _e_effect(ev, effect[0])
    _e_prev(ev, prev)
    _e_hash(ev, digest)
    return (
        _instance(setup, assignee, status, level, checks, comments, files, version, digest, cmd.at),
        ev,
    )


# ---------------------------------------------------------------------------------
# Refusals: every one names the state, the command, the actor and the reason
# ---------------------------------------------------------------------------------


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
    return "in_progress"


def _refuse(
    cls: type[IllegalCommandError], inst: Instance, cmd: Command, reason: str, **extra: Any
) -> IllegalCommandError:
    return cls(
        instance=inst.setup.id,
        state=state_text(inst),
        command=cmd.type,
        actor=cmd.by,
        reason=reason,
        version=inst.version,
        **extra,
    )


def _refuse_state(inst: Instance, cmd: Command) -> IllegalCommandError:
    if inst.status is COMPLETED:
        return _refuse(
            LockedError, inst, cmd, "the workflow is completed and locked; nothing changes it"
        )
    if cmd.type == "start":
        return _refuse(InvalidTransitionError, inst, cmd, "the workflow is already started")
    return _refuse(
        InvalidTransitionError,
        inst,
        cmd,
        f"{cmd.type} is not accepted in {inst.status.value}; accepted: "
        + ", ".join(accepted(inst.status)),
    )


def _who(inst: Instance, actor: str) -> str:
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


def _unknown(inst: Instance, cmd: Command, check: str) -> IllegalCommandError:
    return _refuse(
        UnknownCheckError,
        inst,
        cmd,
        f"no check {check!r} in template {inst.setup.template.id}@{inst.setup.template.version}",
        check=check,
    )


def _unresolved(inst: Instance, cmd: Command) -> IllegalCommandError | None:
    if PENDING not in [s.status for s in inst.checks]:
        return None
    open_ = inst.unresolved
    return _refuse(
        UnresolvedChecksError,
        inst,
        cmd,
        f"{len(open_)} check(s) not resolved: " + ", ".join(open_),
        check_ids=open_,
    )


# ---------------------------------------------------------------------------------
# Permissions (the actor names of the table)
# ---------------------------------------------------------------------------------


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


def _anyone(inst: Instance, by: str) -> bool:
    return True


PERMISSIONS: Final[Mapping[str, Callable[[Instance, str], bool]]] = {
    "anyone": _anyone,
    "engine": _anyone,
    "assignee": _is_assignee,
    "reviewer": _is_reviewer,
    "participant": _is_participant,
    "reassigner": _is_reassigner,
}

# ---------------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------------


def _set_check_status(inst: Instance, cmd: SetCheckStatus) -> tuple[Instance, Event]:
    setup = inst.setup
    i = setup.index.get(cmd.check)
    if i is None:
        raise _unknown(inst, cmd, cmd.check)
    checks = inst.checks
    old = checks[i]
    status = cmd.status
    note = cmd.comment
    was = old.status
    if status is PENDING:
        if was is PENDING:
            raise _refuse(
                NoChangeError,
                inst,
                cmd,
                f"check {cmd.check!r} is pending: there is nothing to undo",
            )
    else:
        if status is was and note == old.note:
            raise _refuse(
                NoChangeError, inst, cmd, f"check {cmd.check!r} is already {status.value}"
            )
        if note is None and status in setup.comment_required[i]:
            raise _refuse(
                RequirementNotMetError,
                inst,
                cmd,
                f"check {cmd.check!r} needs a comment to be {status.value}",
                check=cmd.check,
                requirement="comment",
            )
        if not old.files and status in setup.file_required[i]:
            raise _refuse(
                RequirementNotMetError,
                inst,
                cmd,
                f"check {cmd.check!r} needs an attached file to be {status.value}",
                check=cmd.check,
                requirement="file",
            )
    findings = old.findings
    followed = (
        None if findings is None or status is PENDING else (status is findings.suggested_status)
    )
    new = list(checks)
    new[i] = _check_state(status, note, cmd.by, cmd.at, old.comments, old.files, findings)
    return _advance(
        inst,
        cmd,
        _STATUS_EFFECTS[was, followed],
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
    state = _check_state(
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


def _add_comment(inst: Instance, cmd: AddComment) -> tuple[Instance, Event]:
    comment = _comment(cmd.text, cmd.by, cmd.at, "comment")
    if cmd.check is None:
        return _advance(
            inst,
            cmd,
            _NO_EFFECT,
            inst.assignee,
            inst.status,
            inst.level,
            inst.checks,
            (*inst.comments, comment),
            inst.files,
        )
    i = inst.setup.index.get(cmd.check)
    if i is None:
        raise _unknown(inst, cmd, cmd.check)
    old = inst.checks[i]
    checks = _replace_check(inst, i, old, comments=(*old.comments, comment))
    return _advance(
        inst,
        cmd,
        _NO_EFFECT,
        inst.assignee,
        inst.status,
        inst.level,
        checks,
        inst.comments,
        inst.files,
    )


def _attach(inst: Instance, cmd: Attach) -> tuple[Instance, Event]:
    ref = _attachment(cmd)
    if cmd.check is None:
        return _advance(
            inst,
            cmd,
            _NO_EFFECT,
            inst.assignee,
            inst.status,
            inst.level,
            inst.checks,
            inst.comments,
            (*inst.files, ref),
        )
    i = inst.setup.index.get(cmd.check)
    if i is None:
        raise _unknown(inst, cmd, cmd.check)
    old = inst.checks[i]
    checks = _replace_check(inst, i, old, files=(*old.files, ref))
    return _advance(
        inst,
        cmd,
        _NO_EFFECT,
        inst.assignee,
        inst.status,
        inst.level,
        checks,
        inst.comments,
        inst.files,
    )


def _record_findings(inst: Instance, cmd: RecordFindings) -> tuple[Instance, Event]:
    setup = inst.setup
    i = setup.index.get(cmd.check)
    if i is None:
        raise _unknown(inst, cmd, cmd.check)
    data_check = setup.data_checks[i]
    if data_check is None:
        raise _refuse(
            WrongCheckError,
            inst,
            cmd,
            f"check {cmd.check!r} is manual; findings attach to automated checks",
            check=cmd.check,
        )
    if cmd.result.check != data_check:
        raise _refuse(
            WrongCheckError,
            inst,
            cmd,
            f"check {cmd.check!r} runs data check {data_check!r}, but the result is of "
            f"{cmd.result.check!r}",
            check=cmd.check,
        )
    findings: Findings = _new(Findings)
    _f_result(findings, cmd.result)
    _f_by(findings, cmd.by)
    _f_at(findings, cmd.at)
    checks = _replace_check(inst, i, inst.checks[i], findings=findings)
    effect = _SUGGESTION_EFFECTS[cmd.result.suggested_status]
    return _advance(
        inst, cmd, effect, inst.assignee, inst.status, inst.level, checks, inst.comments, inst.files
    )


def _reassign(inst: Instance, cmd: Reassign) -> tuple[Instance, Event]:
    setup = inst.setup
    if cmd.to == inst.assignee:
        raise _refuse(NoChangeError, inst, cmd, f"{cmd.to!r} is already the assignee")
    if cmd.to in setup.reviewers and not setup.template.review.preparer_may_review:
        raise _refuse(
            PolicyError,
            inst,
            cmd,
            f"{cmd.to!r} reviews this workflow and may not prepare it: the review policy "
            "does not let the preparer review their own work",
        )
    return _advance(
        inst,
        cmd,
        _effect({"from": inst.assignee}),
        cmd.to,
        IN_PROGRESS,
        0,
        inst.checks,
        inst.comments,
        inst.files,
    )


def _submit(inst: Instance, cmd: SubmitForReview) -> tuple[Instance, Event]:
    if not inst.setup.levels:
        raise _refuse(
            InvalidTransitionError,
            inst,
            cmd,
            "the workflow has no review levels: complete it instead",
        )
    problem = _unresolved(inst, cmd)
    if problem is not None:
        raise problem
    return _advance(
        inst, cmd, _NO_EFFECT, inst.assignee, IN_REVIEW, 0, inst.checks, inst.comments, inst.files
    )


def _complete(inst: Instance, cmd: Complete) -> tuple[Instance, Event]:
    if inst.setup.levels:
        raise _refuse(
            InvalidTransitionError,
            inst,
            cmd,
            f"the workflow has {inst.setup.levels} review level(s): submit it for review",
        )
    problem = _unresolved(inst, cmd)
    if problem is not None:
        raise problem
    return _advance(
        inst, cmd, _NO_EFFECT, inst.assignee, COMPLETED, 0, inst.checks, inst.comments, inst.files
    )


def _separation(inst: Instance, cmd: Approve | HandBack) -> None:
    """The preparer may not review, nor one person approve at two levels (unless allowed)."""
    setup = inst.setup
    policy = setup.template.review
    by = cmd.by
    if by == inst.assignee and not policy.preparer_may_review:
        raise _refuse(
            PolicyError,
            inst,
            cmd,
            f"{by!r} prepared this workflow and may not review their own work",
        )
    if not policy.same_reviewer_at_several_levels and by in setup.reviewers[: inst.level]:
        raise _refuse(
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
        comments = (*comments, _comment(cmd.comment, cmd.by, cmd.at, "approval"))
    return _advance(
        inst,
        cmd,
        _level_effect(level, final),
        inst.assignee,
        COMPLETED if final else IN_REVIEW,
        level,
        inst.checks,
        comments,
        inst.files,
    )


def _hand_back(inst: Instance, cmd: HandBack) -> tuple[Instance, Event]:
    _separation(inst, cmd)
    comments = (*inst.comments, _comment(cmd.feedback, cmd.by, cmd.at, "feedback"))
    return _advance(
        inst,
        cmd,
        _level_effect(inst.level + 1, None),
        inst.assignee,
        IN_PROGRESS,
        0,
        inst.checks,
        comments,
        inst.files,
    )


HANDLERS: Final[Mapping[str, Callable[[Instance, Any], tuple[Instance, Event]]]] = {
    "set_check_status": _set_check_status,
    "comment": _add_comment,
    "attach": _attach,
    "record_findings": _record_findings,
    "reassign": _reassign,
    "submit_for_review": _submit,
    "complete": _complete,
    "approve": _approve,
    "hand_back": _hand_back,
}

_Rule = tuple[
    Callable[[Instance, Any], tuple[Instance, Event]], Callable[[Instance, str], bool], str
]


def _dispatch() -> dict[WorkflowStatus, dict[str, _Rule]]:
    table: dict[WorkflowStatus, dict[str, _Rule]] = {s: {} for s in WorkflowStatus}
    for t in TRANSITIONS:
        if t.source is None:
            continue
        rule = (HANDLERS[t.command], PERMISSIONS[t.actor], t.actor)
        have = table[t.source].get(t.command)
        if have is not None and have[2] != t.actor:  # pragma: no cover (a table typo)
            raise AssertionError(f"{t.source}/{t.command}: two different actors")
        table[t.source][t.command] = rule
    return table


_DISPATCH: Final = _dispatch()


def apply(instance: Instance, command: Command) -> tuple[Instance, Event]:
    """Apply one command: the next instance and the event that records it.

    Raises an :class:`~workflowkit.review.errors.IllegalCommandError` subclass, naming
    the state, the command, the actor and the reason, when the rules refuse it; the
    instance given is never changed.
    """
    rule = _DISPATCH[instance.status].get(command.type)
    if rule is None:
        raise _refuse_state(instance, command)
    handler, may, actor = rule
    by = command.by
    if not (
        by == instance.assignee
        if actor == "assignee"
        else by == instance.setup.reviewers[instance.level]
        if actor == "reviewer"
        else may(instance, by)
    ):
        raise _refuse(
            PermissionDeniedError,
            instance,
            command,
            f"only {_who(instance, actor)} may {command.type} now",
        )
    return handler(instance, command)


def apply_all(instance: Instance, commands: Iterable[Command]) -> tuple[Instance, list[Event]]:
    """Apply several commands in turn; stops at the first refusal (which is raised)."""
    events: list[Event] = []
    for command in commands:
        instance, event = apply(instance, command)
        events.append(event)
    return instance, events


def record_findings(
    instance: Instance, check: str, result: Any, *, by: str, at: datetime
) -> tuple[Instance, Event]:
    """Attach an intelligent check's ``CheckResult`` to an automated check (the hook)."""
    return apply(instance, RecordFindings(check=check, result=result, by=by, at=at))


# ---------------------------------------------------------------------------------
# Starting an instance
# ---------------------------------------------------------------------------------

_PINNED: dict[int, tuple[ResolvedTemplate, ResolvedTemplate]] = {}
_PINNED_LIMIT = 256


def pin(template: ResolvedTemplate) -> ResolvedTemplate:
    """A private, frozen copy of ``template`` (made once per template object).

    Instances hold the copy, so nothing done to the template afterwards reaches them.
    """
    if not isinstance(template, ResolvedTemplate):
        raise InvalidStartError(
            "template", f"must be a ResolvedTemplate, got {type(template).__name__}"
        )
    hit = _PINNED.get(id(template))
    if hit is not None and hit[0] is template:
        return hit[1]
    copy = ResolvedTemplate.model_validate_json(template.model_dump_json())
    if copy != template:
        raise InvalidStartError(
            "template", "it does not survive a JSON round trip (NaN or infinity in params?)"
        )
    try:
        template_json(copy)
    except (TypeError, ValueError) as exc:
        raise InvalidStartError("template", f"cannot be written as JSON: {exc}") from None
    if len(_PINNED) >= _PINNED_LIMIT:
        _PINNED.pop(next(iter(_PINNED)))
    _PINNED[id(template)] = (template, copy)
    return copy


def default_instance_id(template_id: str, client: str, period: str) -> str:
    """``client/template/period``: one instance per client, template and period."""
    return f"{client}/{template_id}/{period}"


def start(
    template: ResolvedTemplate,
    *,
    client: str,
    period: str,
    assignee: str,
    reviewers: Iterable[str] = (),
    due: date,
    at: datetime,
    by: str,
    instance_id: str | None = None,
) -> tuple[Instance, Event]:
    """Start a workflow: the new instance (version 1) and its first event.

    ``reviewers`` gives one person per review level of the template, in order. The
    template's checks and review policy are pinned into the instance.
    """
    pinned = pin(template)
    people = tuple(reviewers)
    problem = setup_problem(pinned, assignee, people)
    if problem is not None:
        raise InvalidStartError(*problem)
    iid = (
        instance_id
        if instance_id is not None
        else default_instance_id(pinned.id, str(client), str(period))
    )
    try:
        cmd = Start(
            instance=iid,
            template=pinned,
            client=client,
            period=period,
            assignee=assignee,
            reviewers=people,
            due=due,
            by=by,
            at=at,
        )
    except InvalidCommandError as exc:
        raise InvalidStartError(exc.field, exc.reason) from None
    return started(cmd)


def started(cmd: Start) -> tuple[Instance, Event]:
    """The instance and event a ``Start`` command makes (``start`` and ``replay`` use it)."""
    problem = setup_problem(cmd.template, cmd.assignee, cmd.reviewers)
    if problem is not None:
        raise InvalidStartError(*problem)
    # The command's fields were checked when it was made; only the template's plan is new.
    setup: Setup = _new(Setup)
    for setter, value in zip(
        _SETUP_FIELDS,
        (
            cmd.instance,
            cmd.template,
            cmd.client,
            cmd.period,
            cmd.due,
            cmd.reviewers,
            cmd.by,
            cmd.at,
        ),
        strict=True,
    ):
        setter(setup, value)
    try:
        derive(setup)
    except InvalidCommandError as exc:
        raise InvalidStartError(exc.field, exc.reason) from None
    body = (
        '{"command":'
        + cmd._body()
        + ',"effect":'
        + _NO_EFFECT[1]
        + ',"instance":'
        + setup.id_json
        + ',"prev":"'
        + GENESIS
        + '","version":1}'
    )
    digest = _sha256(body.encode()).hexdigest()
    ev: Event = _new(Event)
    _e_instance(ev, setup.id)
    _e_version(ev, 1)
    _e_command(ev, cmd)
    _e_effect(ev, _NO_EFFECT[0])
    _e_prev(ev, GENESIS)
    _e_hash(ev, digest)
    checks = (PENDING_CHECK,) * len(cmd.template.checks)
    inst = _instance(setup, cmd.assignee, IN_PROGRESS, 0, checks, (), (), 1, digest, cmd.at)
    return inst, ev
