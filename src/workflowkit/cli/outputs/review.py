"""``workflowkit review list|show|history|verify --format json``.

``review show`` is the instance (``Instance.to_data()``) with each check's ``id`` added,
so a reader need not zip the checks with the pinned template's. ``review history
--format jsonl`` and ``review export`` are not outputs of this kind: they are the audit
events themselves, one per line, as the outside verifier reads them (docs/audit.md).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import DateText, Output, Part, TimeText
from workflowkit.insights.results import CheckResult
from workflowkit.review.state import WorkflowStatus
from workflowkit.templates.models import CheckStatus
from workflowkit.templates.resolve import ResolvedTemplate


class SummaryOut(Part):
    """One instance as the store's summary row has it."""

    id: str
    template: str
    template_version: str
    client: str
    period: str
    assignee: str
    reviewers: list[str]
    status: WorkflowStatus
    level: int = Field(description="The review level it is at (0 is the first).")
    waiting_on: str | None = Field(description="Who must act next, if anyone.")
    due: DateText
    version: int
    head: str = Field(description="The hash of the instance's last event.")
    started_at: TimeText
    updated_at: TimeText
    handed_back: bool = Field(
        description="Handed back by a reviewer, and not submitted for review since."
    )
    issues: list[str] = Field(
        description="The checks whose latest status is complete with issues, by id, sorted."
    )


class ReviewListOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.review.list"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit review list --format json: the instances that match"

    format: Literal["workflowkit.review.list"]
    format_version: Literal[1]
    instances: list[SummaryOut]


class CommentOut(Part):
    text: str
    by: str
    at: TimeText
    kind: Literal["comment", "feedback", "approval"]


class AttachmentOut(Part):
    name: str
    sha256: str
    size: int
    media_type: str
    by: str
    at: TimeText


class FindingsOut(Part):
    result: CheckResult
    by: str
    at: TimeText


class CheckStateOut(Part):
    id: str = Field(description="The check's id in the pinned template.")
    status: CheckStatus
    note: str | None
    by: str | None
    at: TimeText | None
    comments: list[CommentOut]
    files: list[AttachmentOut]
    findings: FindingsOut | None


class SetupOut(Part):
    id: str
    template: ResolvedTemplate = Field(description="The template pinned when it started.")
    client: str
    period: str
    due: DateText
    reviewers: list[str]
    started_by: str
    started_at: TimeText


class ReviewShowOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.review.show"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit review show --format json: one instance, in full"

    format: Literal["workflowkit.review.show"]
    format_version: Literal[1]
    setup: SetupOut
    assignee: str
    status: WorkflowStatus
    level: int
    checks: list[CheckStateOut] = Field(description="In the pinned template's order.")
    comments: list[CommentOut]
    files: list[AttachmentOut]
    version: int
    head: str
    updated_at: TimeText


class HistoryEntryOut(Part):
    version: int
    at: TimeText
    by: str
    action: str = Field(description="The command, e.g. set_check_status.")
    text: str = Field(description="What it did, in words.")


class ReviewHistoryOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.review.history"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit review history --format json: the audit trail in words"

    format: Literal["workflowkit.review.history"]
    format_version: Literal[1]
    instance: str
    events: list[HistoryEntryOut]


class ProblemOut(Part):
    kind: Literal["TAMPERED", "INVALID", "SUMMARY", "DAMAGED", "CHECKPOINT"] = Field(
        description="TAMPERED: a hash or an event does not hold; INVALID: the events do not "
        "replay; SUMMARY: the store's summary row disagrees with the events; DAMAGED: the "
        "store cannot be read; CHECKPOINT: a signed checkpoint the store does not extend."
    )
    instance: str | None
    message: str


class ReviewVerifyOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.review.verify"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit review verify --format json: is the audit trail intact?"

    format: Literal["workflowkit.review.verify"]
    format_version: Literal[1]
    ok: bool = Field(description="No problem found (the exit code is then 0).")
    scope: Literal["instance", "file", "store"] = Field(
        description="One instance in the store, an exported trail (--events), or --all."
    )
    instance: str | None = Field(description="The instance verified (scope instance or file).")
    file: str | None = Field(description="The exported trail read (scope file).")
    instances: int | None = Field(description="With --all: the instances read.")
    events: int | None = Field(description="The events whose chain was checked.")
    head: str | None = Field(description="The last event's hash, when the chain holds.")
    version: int | None = Field(description="The version the events replay to.")
    status: WorkflowStatus | None = Field(description="The status they replay to.")
    checkpoints: int | None = Field(
        description="With --all --checkpoints: the signed checkpoints the store extends."
    )
    problems: list[ProblemOut]
