"""Making the engine's objects quickly, and sealing events into the hash chain.

The hot path of ``apply`` lives here. Objects whose inputs were already checked (the
command was checked when it was made; the instance when it was made or read) are built
by setting their slots directly, skipping ``__post_init__``. Effects are precomputed with
their canonical JSON, and an event's canonical text is put together from pieces: the
command's hand-written ``_body()``, the effect, and the instance's id. ``verify``
recomputes the same text the general way, so any difference would show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from hashlib import sha256
from types import MappingProxyType
from typing import Any, Final

from workflowkit.insights.results import CheckResult
from workflowkit.review.canonical import GENESIS, canonical_json
from workflowkit.review.commands import Attach, Command, Start
from workflowkit.review.events import Event
from workflowkit.review.state import (
    PENDING_CHECK,
    Attachment,
    CheckState,
    Comment,
    Findings,
    Instance,
    Setup,
    WorkflowStatus,
    derive,
)
from workflowkit.templates.models import CheckStatus

IN_PROGRESS: Final = WorkflowStatus.IN_PROGRESS

Effect = tuple[Mapping[str, Any], str]
"""An event's effect and its canonical JSON."""

_new = object.__new__
_sha256 = sha256


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


def make_instance(
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


def make_check_state(
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


def make_comment(text: str, by: str, at: datetime, kind: str) -> Comment:
    o: Comment = _new(Comment)
    _m_text(o, text)
    _m_by(o, by)
    _m_at(o, at)
    _m_kind(o, kind)
    return o


def make_findings(result: CheckResult, by: str, at: datetime) -> Findings:
    o: Findings = _new(Findings)
    _f_result(o, result)
    _f_by(o, by)
    _f_at(o, at)
    return o


def make_attachment(cmd: Attach) -> Attachment:
    o: Attachment = _new(Attachment)
    _a_name(o, cmd.name)
    _a_sha(o, cmd.sha256)
    _a_size(o, cmd.size)
    _a_media(o, cmd.media_type)
    _a_by(o, cmd.by)
    _a_at(o, cmd.at)
    return o


def effect_of(data: dict[str, Any]) -> Effect:
    return MappingProxyType(data), canonical_json(data)


NO_EFFECT: Final = effect_of({})
STATUS_EFFECTS: Final[dict[tuple[CheckStatus, bool | None], Effect]] = {
    (s, f): effect_of({"from": s.value, "followed_suggestion": f})
    for s in CheckStatus
    for f in (None, True, False)
}
SUGGESTION_EFFECTS: Final[dict[str, Effect]] = {
    s: effect_of({"suggested_status": s}) for s in ("complete", "complete_with_issues")
}
_LEVEL_EFFECTS: dict[tuple[int, bool | None], Effect] = {}


def level_effect(level: int, locked: bool | None) -> Effect:
    """``{"level": n, "locked": bool}`` (approve) or ``{"level": n}`` (hand back)."""
    hit = _LEVEL_EFFECTS.get((level, locked))
    if hit is None:
        data: dict[str, Any] = {"level": level}
        if locked is not None:
            data["locked"] = locked
        hit = _LEVEL_EFFECTS.setdefault((level, locked), effect_of(data))
    return hit


def advance(
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
    # make_instance(), inlined: this runs for every event.
    o: Instance = _new(Instance)
    _i_setup(o, setup)
    _i_assignee(o, assignee)
    _i_status(o, status)
    _i_level(o, level)
    _i_checks(o, checks)
    _i_comments(o, comments)
    _i_files(o, files)
    _i_version(o, version)
    _i_head(o, digest)
    _i_updated(o, cmd.at)
    return o, ev


def seal_start(cmd: Start) -> tuple[Instance, Event]:
    """The first instance and event of a (checked) ``Start`` command."""
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
    derive(setup)  # raises InvalidCommandError for a template with duplicate check ids
    body = (
        '{"command":'
        + cmd._body()
        + ',"effect":'
        + NO_EFFECT[1]
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
    _e_effect(ev, NO_EFFECT[0])
    _e_prev(ev, GENESIS)
    _e_hash(ev, digest)
    checks = (PENDING_CHECK,) * len(cmd.template.checks)
    inst = make_instance(setup, cmd.assignee, IN_PROGRESS, 0, checks, (), (), 1, digest, cmd.at)
    return inst, ev
