"""A running workflow: its fixed set-up, the state of each check, and where review stands.

Everything here is immutable (frozen, slotted dataclasses). An :class:`Instance` shares
its :class:`Setup` (the pinned template, client, period, reviewers) with every later
version of itself, and a check that did not change keeps the same :class:`CheckState`
object: applying a command copies one small tuple, not the instance.

Objects built by hand are checked where they are made (``__post_init__``); the engine
builds its own, already-checked, objects without going through those checks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal

from pydantic import ConfigDict

from workflowkit.insights.results import CheckResult
from workflowkit.review.cache import evict_one
from workflowkit.review.canonical import (
    canonical_json,
    check_date,
    check_media_type,
    check_name,
    check_sha256,
    check_size,
    check_text,
    check_time,
    is_hash,
    jstr,
)
from workflowkit.review.errors import InvalidCommandError
from workflowkit.review.records import parse_json
from workflowkit.team.ids import person_key, spoof_problem
from workflowkit.templates.models import CheckStatus
from workflowkit.templates.resolve import ResolvedTemplate

_FORBID: Final = ConfigDict(extra="forbid")

PENDING = CheckStatus.PENDING
COMPLETE = CheckStatus.COMPLETE
COMPLETE_WITH_ISSUES = CheckStatus.COMPLETE_WITH_ISSUES
NOT_APPLICABLE = CheckStatus.NOT_APPLICABLE


class WorkflowStatus(StrEnum):
    """Where a workflow instance stands. ``completed`` is locked and ``cancelled`` is ended:
    nothing changes either."""

    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


CommentKind = Literal["comment", "feedback", "approval"]


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a check or on the workflow; hand-back feedback and approval notes too."""

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    text: str
    by: str
    at: datetime
    kind: CommentKind = "comment"

    def __post_init__(self) -> None:
        check_text("Comment", "text", self.text)
        check_name("Comment", "by", self.by)
        check_time("Comment", "at", self.at)
        if self.kind not in ("comment", "feedback", "approval"):
            raise InvalidCommandError("Comment", "kind", f"unknown kind {self.kind!r}")

    def to_data(self) -> dict[str, Any]:
        return {"text": self.text, "by": self.by, "at": self.at.isoformat(), "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Attachment:
    """A reference to a file (the library keeps references, never the bytes)."""

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    name: str
    sha256: str
    size: int
    media_type: str
    by: str
    at: datetime

    def __post_init__(self) -> None:
        check_name("Attachment", "name", self.name, limit=255)
        check_sha256("Attachment", "sha256", self.sha256)
        check_size("Attachment", "size", self.size)
        check_media_type("Attachment", "media_type", self.media_type)
        check_name("Attachment", "by", self.by)
        check_time("Attachment", "at", self.at)

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Findings:
    """What an intelligent check found, attached to an automated check, and by whom."""

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    result: CheckResult
    by: str
    at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.result, CheckResult):
            raise InvalidCommandError("Findings", "result", "must be a CheckResult")
        check_name("Findings", "by", self.by)
        check_time("Findings", "at", self.at)

    @property
    def suggested_status(self) -> CheckStatus:
        return CheckStatus(self.result.suggested_status)

    def to_data(self) -> dict[str, Any]:
        return {
            "result": self.result.model_dump(mode="json"),
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class CheckState:
    """One check of a running workflow: its status, who set it, and what is attached.

    ``note`` is the comment given with the status (why it has issues, why it does not
    apply, why it was undone). ``findings`` are the latest results of its data check.
    """

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    status: CheckStatus = PENDING
    note: str | None = None
    by: str | None = None
    at: datetime | None = None
    comments: tuple[Comment, ...] = ()
    files: tuple[Attachment, ...] = ()
    findings: Findings | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.status, CheckStatus):
            try:
                object.__setattr__(self, "status", CheckStatus(self.status))
            except ValueError:
                raise InvalidCommandError(
                    "CheckState", "status", f"unknown status {self.status!r}"
                ) from None
        if self.note is not None:
            check_text("CheckState", "note", self.note)
        if (self.by is None) != (self.at is None):
            raise InvalidCommandError("CheckState", "by", "by and at go together")
        if self.by is not None:
            check_name("CheckState", "by", self.by)
            check_time("CheckState", "at", self.at)
        elif self.status is not PENDING:
            raise InvalidCommandError("CheckState", "by", "a resolved check records who set it")
        object.__setattr__(self, "comments", tuple(self.comments))
        object.__setattr__(self, "files", tuple(self.files))

    @property
    def resolved(self) -> bool:
        return self.status is not PENDING

    def to_data(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "note": self.note,
            "by": self.by,
            "at": None if self.at is None else self.at.isoformat(),
            "comments": [c.to_data() for c in self.comments],
            "files": [f.to_data() for f in self.files],
            "findings": None if self.findings is None else self.findings.to_data(),
        }


PENDING_CHECK: Final = CheckState()
"""The state every check starts in; shared by all instances (structural sharing)."""


def setup_problem(
    template: ResolvedTemplate, assignee: object, reviewers: tuple[object, ...]
) -> tuple[str, str] | None:
    """What is wrong with this assignee and these reviewers for the template, if anything.

    Returns ``(field, reason)``; ``None`` when they fit the review policy.
    """
    policy = template.review
    if not isinstance(assignee, str) or not assignee.strip():
        return ("assignee", "a workflow needs an assignee to start")
    for where, person in [("assignee", assignee), *(("reviewers", r) for r in reviewers)]:
        why = spoof_problem(person) if isinstance(person, str) else None
        if why is not None:
            return (where, f"{person!r} is not a safe person id: {why}")
    low, high = policy.minimum, policy.maximum
    if not low <= len(reviewers) <= high:
        limits = f"exactly {low}" if low == high else f"{low} to {high}"
        named = ", ".join(policy.roles(high)) or "none"
        return (
            "reviewers",
            f"template {template.id}@{template.version} takes {limits} reviewer(s) "
            f"({named}); give one reviewer per level, got {len(reviewers)}",
        )
    # People are compared in their normal form, so "Bob " cannot review bob's work.
    keys = [person_key(p) if isinstance(p, str) else p for p in reviewers]
    me = person_key(assignee)
    for i, person in enumerate(reviewers):
        if not isinstance(person, str) or not person.strip():
            return ("reviewers", f"level {i + 1} has no reviewer")
        if keys[i] == me and not policy.preparer_may_review:
            role = policy.roles(len(reviewers))[i]
            return (
                "reviewers",
                f"{person!r} is the assignee and may not review their own work at level "
                f"{i + 1} ({role}); the review policy does not allow it",
            )
        if keys[i] in keys[:i] and not policy.same_reviewer_at_several_levels:
            return (
                "reviewers",
                f"{person!r} reviews at two levels; the review policy allows one person one level",
            )
    return None


@dataclass(frozen=True, slots=True)
class Setup:
    """What ``start`` fixes for the life of an instance: the pinned template and the people.

    The template is a private copy, pinned to its id and version: editing the template
    later never changes a started instance.
    """

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    id: str
    template: ResolvedTemplate
    client: str
    period: str
    due: date
    reviewers: tuple[str, ...]
    started_by: str
    started_at: datetime
    # Derived once, shared by every version of the instance (not part of equality).
    id_json: str = field(init=False, repr=False, compare=False)
    index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    # The statuses (by value: a str hashes faster than an enum) that need a comment or a file.
    comment_required: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)
    file_required: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)
    data_checks: tuple[str | None, ...] = field(init=False, repr=False, compare=False)
    roles: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_name("Setup", "id", self.id)
        if not isinstance(self.template, ResolvedTemplate):
            raise InvalidCommandError("Setup", "template", "must be a ResolvedTemplate")
        check_name("Setup", "client", self.client)
        check_name("Setup", "period", self.period)
        check_date("Setup", "due", self.due)
        object.__setattr__(self, "reviewers", tuple(self.reviewers))
        for r in self.reviewers:
            check_name("Setup", "reviewers", r)
        check_name("Setup", "started_by", self.started_by)
        check_time("Setup", "started_at", self.started_at)
        derive(self)

    @property
    def levels(self) -> int:
        """How many review levels the workflow has."""
        return len(self.roles)

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "template": self.template.model_dump(mode="json"),
            "client": self.client,
            "period": self.period,
            "due": self.due.isoformat(),
            "reviewers": list(self.reviewers),
            "started_by": self.started_by,
            "started_at": self.started_at.isoformat(),
        }


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """What the engine reads of a pinned template, worked out once per template object."""

    index: Mapping[str, int]
    comment_required: tuple[frozenset[str], ...]
    file_required: tuple[frozenset[str], ...]
    data_checks: tuple[str | None, ...]
    roles: tuple[tuple[str, ...], ...]
    """The level roles for each number of reviewers the policy takes (0 to its maximum)."""

    def roles_for(self, template: ResolvedTemplate, count: int) -> tuple[str, ...]:
        """The role of each of ``count`` review levels (``ReviewPolicy.roles``)."""
        return self.roles[count] if count < len(self.roles) else template.review.roles(count)


_PLANS: dict[int, tuple[ResolvedTemplate, Plan]] = {}
_PLANS_LIMIT = 256


def plan_of(template: ResolvedTemplate) -> Plan:
    """The :class:`Plan` of a template (cached by object; templates are frozen)."""
    hit = _PLANS.get(id(template))
    if hit is not None and hit[0] is template:
        return hit[1]
    checks = template.checks
    index = {c.id: i for i, c in enumerate(checks)}
    if len(index) != len(checks):
        raise InvalidCommandError("Setup", "template", "two checks share an id")
    plan = Plan(
        index=MappingProxyType(index),
        comment_required=tuple(
            frozenset(
                {COMPLETE_WITH_ISSUES.value, *(CheckStatus(s).value for s in c.requires.comment)}
            )
            for c in checks
        ),
        file_required=tuple(
            frozenset(CheckStatus(s).value for s in c.requires.file) for c in checks
        ),
        data_checks=tuple(c.data_check if c.kind == "automated" else None for c in checks),
        roles=tuple(template.review.roles(n) for n in range(template.review.maximum + 1)),
    )
    if len(_PLANS) >= _PLANS_LIMIT:
        evict_one(_PLANS)
    _PLANS[id(template)] = (template, plan)
    return plan


def derive(setup: Setup, put: Callable[[Any, str, Any], None] = object.__setattr__) -> None:
    """Fill the derived fields of a set-up (its JSON id and its template's plan).

    ``put`` sets a field: ``object.__setattr__`` on a frozen set-up, plain ``setattr`` on
    a draft (:mod:`~workflowkit.review.drafts`)."""
    template = setup.template
    plan = plan_of(template)
    put(setup, "id_json", jstr(setup.id))
    put(setup, "index", plan.index)
    put(setup, "comment_required", plan.comment_required)
    put(setup, "file_required", plan.file_required)
    put(setup, "data_checks", plan.data_checks)
    put(setup, "roles", plan.roles_for(template, len(setup.reviewers)))


@dataclass(frozen=True, slots=True)
class Instance:
    """One running (or completed) workflow: a template applied to a client and a period.

    ``level`` counts the review levels approved in the current round: 0 while the
    assignee works, 0 to n-1 in review (the reviewer of level ``level + 1`` acts), n once
    completed. ``version`` is the number of events so far and ``head`` the hash of the
    last one.
    """

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    setup: Setup
    assignee: str
    status: WorkflowStatus
    level: int
    checks: tuple[CheckState, ...]
    comments: tuple[Comment, ...]
    files: tuple[Attachment, ...]
    version: int
    head: str
    updated_at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.setup, Setup):
            raise InvalidCommandError("Instance", "setup", "must be a Setup")
        check_name("Instance", "assignee", self.assignee)
        if not isinstance(self.status, WorkflowStatus):
            try:
                object.__setattr__(self, "status", WorkflowStatus(self.status))
            except ValueError:
                raise InvalidCommandError(
                    "Instance", "status", f"unknown status {self.status!r}"
                ) from None
        object.__setattr__(self, "checks", tuple(self.checks))
        object.__setattr__(self, "comments", tuple(self.comments))
        object.__setattr__(self, "files", tuple(self.files))
        problem = self.problem()
        if problem is not None:
            raise InvalidCommandError("Instance", problem[0], problem[1])

    def __hash__(self) -> int:
        return hash((self.setup.id, self.version, self.head))

    def problem(self) -> tuple[str, str] | None:
        """The first way this instance breaks the rules of a workflow, or ``None``."""
        setup = self.setup
        n = setup.levels
        if len(self.checks) != len(setup.template.checks):
            return (
                "checks",
                f"{len(self.checks)} check states for {len(setup.template.checks)} checks",
            )
        bad = setup_problem(setup.template, self.assignee, setup.reviewers)
        if bad is not None:
            return bad
        for i, state in enumerate(self.checks):
            if state.findings is not None and setup.data_checks[i] is None:
                return ("checks", f"{setup.template.checks[i].id!r} is manual but has findings")
        unresolved = self.unresolved
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            return ("level", "must be a whole number")
        if self.status is WorkflowStatus.IN_PROGRESS and self.level != 0:
            return ("level", "an instance in progress has no approved level")
        if self.status is WorkflowStatus.IN_REVIEW and not 0 <= self.level < n:
            return ("level", f"in review at level {self.level + 1} of {n}")
        if self.status is WorkflowStatus.COMPLETED and self.level != n:
            return ("level", f"completed with {self.level} of {n} levels approved")
        if self.status is WorkflowStatus.CANCELLED and not 0 <= self.level <= max(n - 1, 0):
            return ("level", f"cancelled at level {self.level + 1} of {n}")
        if self.status in (WorkflowStatus.IN_REVIEW, WorkflowStatus.COMPLETED) and unresolved:
            return (
                "checks",
                f"{self.status.value} with unresolved checks: " + ", ".join(unresolved),
            )
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            return ("version", "must be 1 or more")
        if not is_hash(self.head):
            return ("head", "must be the SHA-256 of the last event")
        check_time("Instance", "updated_at", self.updated_at)
        return None

    # --- reading -------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.setup.id

    @property
    def template(self) -> ResolvedTemplate:
        return self.setup.template

    @property
    def client(self) -> str:
        return self.setup.client

    @property
    def period(self) -> str:
        return self.setup.period

    @property
    def due(self) -> date:
        return self.setup.due

    @property
    def reviewers(self) -> tuple[str, ...]:
        return self.setup.reviewers

    @property
    def locked(self) -> bool:
        """Completed and locked: no command changes it any more."""
        return self.status is WorkflowStatus.COMPLETED

    @property
    def cancelled(self) -> bool:
        """Cancelled: out of every queue, kept in history; no command changes it any more."""
        return self.status is WorkflowStatus.CANCELLED

    @property
    def current_reviewer(self) -> str | None:
        """Who must approve or hand back now (``None`` unless in review)."""
        if self.status is WorkflowStatus.IN_REVIEW:
            return self.setup.reviewers[self.level]
        return None

    @property
    def waiting_on(self) -> str | None:
        """The person the workflow waits for: the assignee, the current reviewer, or nobody."""
        if self.status is WorkflowStatus.IN_PROGRESS:
            return self.assignee
        return self.current_reviewer

    @property
    def unresolved(self) -> tuple[str, ...]:
        """Ids of the checks still pending, in template order."""
        checks = self.setup.template.checks
        return tuple(checks[i].id for i, s in enumerate(self.checks) if s.status is PENDING)

    def check(self, check_id: str) -> CheckState:
        """The state of one check (``KeyError`` naming the check if there is none)."""
        i = self.setup.index.get(check_id)
        if i is None:
            raise KeyError(f"instance {self.id} has no check {check_id!r}")
        return self.checks[i]

    # --- JSON ----------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            "setup": self.setup.to_data(),
            "assignee": self.assignee,
            "status": self.status.value,
            "level": self.level,
            "checks": [c.to_data() for c in self.checks],
            "comments": [c.to_data() for c in self.comments],
            "files": [f.to_data() for f in self.files],
            "version": self.version,
            "head": self.head,
            "updated_at": self.updated_at.isoformat(),
        }

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no whitespace); :meth:`from_json` reads it back."""
        return canonical_json(self.to_data())

    @classmethod
    def from_json(cls, text: str | bytes) -> Instance:
        """Read an instance back, checking types and the rules of a workflow."""
        return parse_json(Instance, text, "instance")
