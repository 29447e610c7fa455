"""Making the engine's objects quickly, and sealing events into the hash chain.

The hot path of ``apply`` lives here. Objects whose inputs were already checked (the
command was checked when it was made; the instance when it was made or read) are built
as drafts (:mod:`~workflowkit.review.drafts`), skipping ``__post_init__``. Effects are
precomputed with their canonical JSON, and an event's canonical text is put together
from pieces: the command's hand-written ``_body()``, the effect, and the instance's id.
``verify`` recomputes the same text the general way, so any difference would show.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from hashlib import sha256
from types import MappingProxyType
from typing import Any, Final

from workflowkit.insights.results import CheckResult
from workflowkit.review.canonical import GENESIS, canonical_json
from workflowkit.review.commands import Attach, Command, Start, template_bytes
from workflowkit.review.drafts import (
    ATTACHMENT_DRAFT,
    CHECK_STATE_DRAFT,
    COMMENT_DRAFT,
    EVENT_DRAFT,
    FINDINGS_DRAFT,
    INSTANCE_DRAFT,
    SETUP_DRAFT,
)
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

_sha256 = sha256


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
    o = INSTANCE_DRAFT()
    o.setup = setup
    o.assignee = assignee
    o.status = status
    o.level = level
    o.checks = checks
    o.comments = comments
    o.files = files
    o.version = version
    o.head = head
    o.updated_at = updated_at
    o.__class__ = Instance
    return o  # type: ignore[no-any-return]


def make_check_state(
    status: CheckStatus,
    note: str | None,
    by: str | None,
    at: datetime | None,
    comments: tuple[Comment, ...],
    files: tuple[Attachment, ...],
    findings: Findings | None,
) -> CheckState:
    o = CHECK_STATE_DRAFT()
    o.status = status
    o.note = note
    o.by = by
    o.at = at
    o.comments = comments
    o.files = files
    o.findings = findings
    o.__class__ = CheckState
    return o  # type: ignore[no-any-return]


def make_comment(text: str, by: str, at: datetime, kind: str) -> Comment:
    o = COMMENT_DRAFT()
    o.text = text
    o.by = by
    o.at = at
    o.kind = kind
    o.__class__ = Comment
    return o  # type: ignore[no-any-return]


def make_findings(result: CheckResult, by: str, at: datetime) -> Findings:
    o = FINDINGS_DRAFT()
    o.result = result
    o.by = by
    o.at = at
    o.__class__ = Findings
    return o  # type: ignore[no-any-return]


def make_attachment(cmd: Attach) -> Attachment:
    o = ATTACHMENT_DRAFT()
    o.name = cmd.name
    o.sha256 = cmd.sha256
    o.size = cmd.size
    o.media_type = cmd.media_type
    o.by = cmd.by
    o.at = cmd.at
    o.__class__ = Attachment
    return o  # type: ignore[no-any-return]


def effect_of(data: dict[str, Any]) -> Effect:
    return MappingProxyType(data), canonical_json(data)


NO_EFFECT: Final = effect_of({})
STATUS_EFFECTS: Final[dict[tuple[str, bool | None], Effect]] = {
    (s.value, f): effect_of({"from": s.value, "followed_suggestion": f})
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
    ev = EVENT_DRAFT()
    ev.instance = setup.id
    ev.version = version
    ev.command = cmd
    ev.effect = effect[0]
    ev.prev = prev
    ev.hash = digest
    ev.__class__ = Event
    # make_instance(), inlined: this runs for every event.
    o = INSTANCE_DRAFT()
    o.setup = setup
    o.assignee = assignee
    o.status = status
    o.level = level
    o.checks = checks
    o.comments = comments
    o.files = files
    o.version = version
    o.head = digest
    o.updated_at = cmd.at
    o.__class__ = Instance
    return o, ev


def seal_start(cmd: Start) -> tuple[Instance, Event]:
    """The first instance and event of a (checked) ``Start`` command."""
    # The command's fields were checked when it was made; only the template's plan is new.
    setup = SETUP_DRAFT()
    setup.id = cmd.instance
    setup.template = cmd.template
    setup.client = cmd.client
    setup.period = cmd.period
    setup.due = cmd.due
    setup.reviewers = cmd.reviewers
    setup.started_by = cmd.by
    setup.started_at = cmd.at
    derive(setup, setattr)  # raises InvalidCommandError for a template with duplicate check ids
    setup.__class__ = Setup
    # The body is the command's, with the pinned template (kilobytes) in the middle: hash
    # it in three pieces, the template's bytes made once per template.
    h = _sha256(f'{{"command":{cmd._body_head()}'.encode())
    h.update(template_bytes(cmd.template))
    h.update(
        f',"type":"start"}},"effect":{NO_EFFECT[1]},"instance":{setup.id_json},'
        f'"prev":"{GENESIS}","version":1}}'.encode()
    )
    digest = h.hexdigest()
    ev = EVENT_DRAFT()
    ev.instance = setup.id
    ev.version = 1
    ev.command = cmd
    ev.effect = NO_EFFECT[0]
    ev.prev = GENESIS
    ev.hash = digest
    ev.__class__ = Event
    checks = (PENDING_CHECK,) * len(cmd.template.checks)
    inst = make_instance(setup, cmd.assignee, IN_PROGRESS, 0, checks, (), (), 1, digest, cmd.at)
    return inst, ev
