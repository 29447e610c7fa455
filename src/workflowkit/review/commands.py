"""The commands a person (or the insights engine) gives a workflow instance.

Each command is a frozen, slotted dataclass that carries its actor (``by``) and its time
(``at``, timezone-aware, from the caller: never the clock). It is checked where it is
made, so ``apply`` can trust it. Each command knows two ways to write itself as JSON:
``to_data()`` (plain data, the general definition) and ``_body()`` (the same canonical
text, written by hand for speed on the hot path). Tests check they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import ConfigDict, Field

from workflowkit.insights.results import CheckResult, Finding, RecordRef
from workflowkit.review.cache import evict_one
from workflowkit.review.canonical import (
    canonical_json,
    check_date,
    check_media_type,
    check_name,
    check_sha256,
    check_size,
    check_slug,
    check_text,
    check_time,
    iso_time,
    jopt,
    jstr,
)
from workflowkit.review.errors import InvalidCommandError
from workflowkit.templates.models import CheckStatus
from workflowkit.templates.resolve import ResolvedTemplate

_FORBID: Final = ConfigDict(extra="forbid")

StatusName = Literal["pending", "complete", "complete_with_issues", "not_applicable"]
"""A check status by name (``pending`` is undo); made a ``CheckStatus`` where it is given."""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Command:
    """What every command has: who gives it and when."""

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    by: str
    at: datetime

    def __post_init__(self) -> None:
        name = type(self).__name__
        check_name(name, "by", self.by)
        check_time(name, "at", self.at)
        self._validate()

    def _validate(self) -> None:
        """Checks of the fields a command adds (overridden)."""


def _optional_check(what: str, value: object) -> str | None:
    return None if value is None else check_slug(what, "check", value)


@dataclass(frozen=True, slots=True, kw_only=True)
class Start(_Command):
    """The first event of every instance (made by :func:`workflowkit.review.start`)."""

    type: Literal["start"] = "start"
    instance: str
    template: ResolvedTemplate
    client: str
    period: str
    assignee: str
    reviewers: tuple[str, ...] = ()
    due: date

    def _validate(self) -> None:
        check_name("Start", "instance", self.instance)
        if not isinstance(self.template, ResolvedTemplate):
            raise InvalidCommandError("Start", "template", "must be a ResolvedTemplate")
        check_name("Start", "client", self.client)
        check_name("Start", "period", self.period)
        check_name("Start", "assignee", self.assignee)
        object.__setattr__(self, "reviewers", tuple(self.reviewers))
        for r in self.reviewers:
            check_name("Start", "reviewers", r)
        check_date("Start", "due", self.due)

    def _body_head(self) -> str:
        """The canonical JSON of the command up to its template: ``_body()`` is this, the
        template's canonical JSON and ``,"type":"start"}``."""
        return (
            f'{{"assignee":{jstr(self.assignee)},"at":"{iso_time(self.at)}",'
            f'"by":{jstr(self.by)},"client":{jstr(self.client)},"due":"{self.due.isoformat()}",'
            f'"instance":{jstr(self.instance)},"period":{jstr(self.period)},'
            f'"reviewers":[{",".join([jstr(r) for r in self.reviewers])}],"template":'
        )

    def _body(self) -> str:
        return f'{self._body_head()}{template_json(self.template)},"type":"start"}}'

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "instance": self.instance,
            "template": self.template.model_dump(mode="json"),
            "client": self.client,
            "period": self.period,
            "assignee": self.assignee,
            "reviewers": list(self.reviewers),
            "due": self.due.isoformat(),
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SetCheckStatus(_Command):
    """Set a check to complete, complete with issues, not applicable, or back to pending.

    ``status=pending`` is *undo*. ``comment`` is the note that goes with the status: it is
    required for complete with issues (and for any status the check's ``requires.comment``
    lists); for not applicable it is the optional reason.
    """

    type: Literal["set_check_status"] = "set_check_status"
    check: str
    status: CheckStatus | StatusName
    comment: str | None = None

    @classmethod
    def undo(
        cls, check: str, *, by: str, at: datetime, comment: str | None = None
    ) -> SetCheckStatus:
        """Return the check to pending."""
        return cls(check=check, status=CheckStatus.PENDING, comment=comment, by=by, at=at)

    def _validate(self) -> None:
        check_slug("SetCheckStatus", "check", self.check)
        if not isinstance(self.status, CheckStatus):
            try:
                object.__setattr__(self, "status", CheckStatus(self.status))
            except ValueError:
                raise InvalidCommandError(
                    "SetCheckStatus",
                    "status",
                    f"{self.status!r} is not one of " + ", ".join(s.value for s in CheckStatus),
                ) from None
        if self.comment is not None:
            check_text("SetCheckStatus", "comment", self.comment)

    def _body(self) -> str:
        comment = self.comment
        status: CheckStatus = self.status  # type: ignore[assignment]  # made one in __post_init__
        return (
            f'{{"at":"{iso_time(self.at)}","by":{jstr(self.by)},"check":"{self.check}",'
            f'"comment":{"null" if comment is None else jstr(comment)},'
            f'"status":"{status._value_}","type":"set_check_status"}}'
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "check": self.check,
            "status": str(self.status),
            "comment": self.comment,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AddComment(_Command):
    """A comment on a check (``check``) or on the whole workflow (``check=None``)."""

    type: Literal["comment"] = "comment"
    check: str | None = None
    text: str

    def _validate(self) -> None:
        _optional_check("AddComment", self.check)
        check_text("AddComment", "text", self.text)

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"check":'
            + ("null" if self.check is None else '"' + self.check + '"')
            + ',"text":'
            + jstr(self.text)
            + ',"type":"comment"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "check": self.check,
            "text": self.text,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Attach(_Command):
    """A reference to a file, on a check or on the workflow. The bytes stay elsewhere."""

    type: Literal["attach"] = "attach"
    check: str | None = None
    name: str
    sha256: str
    size: int
    media_type: str

    def _validate(self) -> None:
        _optional_check("Attach", self.check)
        check_name("Attach", "name", self.name, limit=255)
        if "/" in self.name or "\\" in self.name or self.name in (".", ".."):
            # The CLI stores a file's base name; the API refuses a path (../../etc/passwd).
            raise InvalidCommandError(
                "Attach", "name", "must be a file's base name, without / or \\ (not a path)"
            )
        check_sha256("Attach", "sha256", self.sha256)
        check_size("Attach", "size", self.size)
        check_media_type("Attach", "media_type", self.media_type)

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"check":'
            + ("null" if self.check is None else '"' + self.check + '"')
            + ',"media_type":"'
            + self.media_type
            + '","name":'
            + jstr(self.name)
            + ',"sha256":"'
            + self.sha256
            + '","size":'
            + str(self.size)
            + ',"type":"attach"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "check": self.check,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordFindings(_Command):
    """Attach an intelligent check's result to an automated check (the insights hook).

    The result carries a summary, findings with their records, and a suggested status.
    A person still sets the status; that event records whether they followed it.
    """

    type: Literal["record_findings"] = "record_findings"
    check: str
    result: CheckResult

    def _validate(self) -> None:
        check_slug("RecordFindings", "check", self.check)
        if not isinstance(self.result, CheckResult):
            raise InvalidCommandError("RecordFindings", "result", "must be a CheckResult")

    def _body(self) -> str:
        return (
            f'{{"at":"{iso_time(self.at)}","by":{jstr(self.by)},"check":"{self.check}",'
            f'"result":{result_json(self.result)},"type":"record_findings"}}'
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "check": self.check,
            "result": self.result.model_dump(mode="json"),
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitForReview(_Command):
    """Pass the workflow to the first reviewer (every check must be resolved)."""

    type: Literal["submit_for_review"] = "submit_for_review"

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"type":"submit_for_review"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "by": self.by, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Approve(_Command):
    """Approve the current review level; the final approval completes and locks."""

    type: Literal["approve"] = "approve"
    comment: str | None = None

    def _validate(self) -> None:
        if self.comment is not None:
            check_text("Approve", "comment", self.comment)

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"comment":'
            + jopt(self.comment)
            + ',"type":"approve"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "comment": self.comment,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class HandBack(_Command):
    """Return the workflow to the assignee, with the feedback that says why."""

    type: Literal["hand_back"] = "hand_back"
    feedback: str

    def _validate(self) -> None:
        check_text("HandBack", "feedback", self.feedback)

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"feedback":'
            + jstr(self.feedback)
            + ',"type":"hand_back"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "feedback": self.feedback,
            "by": self.by,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Complete(_Command):
    """Complete (and lock) a workflow that has no review levels."""

    type: Literal["complete"] = "complete"

    def _body(self) -> str:
        return '{"at":"' + iso_time(self.at) + '","by":' + jstr(self.by) + ',"type":"complete"}'

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "by": self.by, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Reassign(_Command):
    """Give the workflow to another assignee, before it is submitted."""

    type: Literal["reassign"] = "reassign"
    to: str

    def _validate(self) -> None:
        check_name("Reassign", "to", self.to)

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"to":'
            + jstr(self.to)
            + ',"type":"reassign"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "to": self.to, "by": self.by, "at": self.at.isoformat()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Cancel(_Command):
    """End an instance that should not exist (a client who left, work made by mistake).

    The reason is required and recorded in the chain; the instance stays in history.
    """

    type: Literal["cancel"] = "cancel"
    reason: str

    def _validate(self) -> None:
        check_text("Cancel", "reason", self.reason)

    def _body(self) -> str:
        return (
            '{"at":"'
            + iso_time(self.at)
            + '","by":'
            + jstr(self.by)
            + ',"reason":'
            + jstr(self.reason)
            + ',"type":"cancel"}'
        )

    def to_data(self) -> dict[str, Any]:
        return {"type": self.type, "reason": self.reason, "by": self.by, "at": self.at.isoformat()}


Command = (
    Start
    | SetCheckStatus
    | AddComment
    | Attach
    | RecordFindings
    | SubmitForReview
    | Approve
    | HandBack
    | Complete
    | Reassign
    | Cancel
)
"""Any command (``Start`` only ever as the first event)."""

COMMAND_TYPES: Final[tuple[type[Any], ...]] = (
    Start,
    SetCheckStatus,
    AddComment,
    Attach,
    RecordFindings,
    SubmitForReview,
    Approve,
    HandBack,
    Complete,
    Reassign,
    Cancel,
)

CommandField = Annotated[Command, Field(discriminator="type")]
"""A command in JSON, told apart by its ``type``."""

# ---------------------------------------------------------------------------------
# The canonical JSON of a data check's result, written by hand (the general form is
# ``canonical_json(result.model_dump(mode="json"))``; tests check they agree, and if the
# models ever gain fields this falls back to the general form)
# ---------------------------------------------------------------------------------

_FAST_RESULT: Final = (
    sorted(CheckResult.model_fields) == ["check", "findings", "outcome", "summary"]
    and sorted(Finding.model_fields)
    == ["amount", "code", "currency", "message", "records", "severity"]
    and sorted(RecordRef.model_fields) == ["id", "label", "type"]
)


def _finding_json(f: Finding) -> str:
    records = ",".join(
        f'{{"id":{jstr(r.id)},"label":{jstr(r.label)},"type":{jstr(r.type)}}}' for r in f.records
    )
    amount = "null" if f.amount is None else jstr(str(f.amount))
    return (
        f'{{"amount":{amount},"code":{jstr(f.code)},"currency":{jopt(f.currency)},'
        f'"message":{jstr(f.message)},"records":[{records}],"severity":"{f.severity}"}}'
    )


def result_json(result: CheckResult) -> str:
    """The canonical JSON of a ``CheckResult``."""
    if not _FAST_RESULT:  # pragma: no cover (only if results.py changes shape)
        return canonical_json(result.model_dump(mode="json"))
    findings = ",".join(_finding_json(f) for f in result.findings)
    return (
        f'{{"check":{jstr(result.check)},"findings":[{findings}],'
        f'"outcome":{jstr(result.outcome)},"summary":{jstr(result.summary)}}}'
    )


# ---------------------------------------------------------------------------------
# The canonical JSON of a pinned template, computed once per template object
# ---------------------------------------------------------------------------------

_TEMPLATE_JSON: dict[int, tuple[ResolvedTemplate, str, bytes]] = {}
_TEMPLATE_JSON_LIMIT = 256


def _template_entry(template: ResolvedTemplate) -> tuple[ResolvedTemplate, str, bytes]:
    hit = _TEMPLATE_JSON.get(id(template))
    if hit is not None and hit[0] is template:
        return hit
    text = canonical_json(template.model_dump(mode="json"))
    if len(_TEMPLATE_JSON) >= _TEMPLATE_JSON_LIMIT:
        evict_one(_TEMPLATE_JSON)
    entry = _TEMPLATE_JSON[id(template)] = (template, text, text.encode("utf-8"))
    return entry


def template_json(template: ResolvedTemplate) -> str:
    """The canonical JSON of a (frozen) template; cached by object, bounded."""
    return _template_entry(template)[1]


def template_bytes(template: ResolvedTemplate) -> bytes:
    """:func:`template_json` as UTF-8, the bytes a start event's hash reads (cached too)."""
    return _template_entry(template)[2]
