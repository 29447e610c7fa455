"""``workflowkit run``, ``agenda`` and ``workload`` with ``--format json``."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import DateText, Number, Output, Part, TimeText
from workflowkit.cli.outputs.validate import DiagnosticOut


class SwapOut(Part):
    """A place given to a stand-in because its person is away on the due date."""

    field: str = Field(description="assignee or reviewers[N].")
    away: str
    stand_in: str
    due: DateText
    absent_from: DateText
    absent_to: DateText


class RunEntryOut(Part):
    outcome: Literal["started", "would_start", "existed", "covered"]
    key: str
    instance: str
    workflow: str
    client: str
    period: str
    template: str
    template_version: str
    template_hash: str | None
    create_at: TimeText
    due: DateText
    assignee: str
    reviewers: list[str]
    stand_ins: list[SwapOut]


class RunCounts(Part):
    started: int
    would_start: int
    existed: int
    covered: int
    skipped: int


class RunOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.run"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit run --format json: what a run started and skipped"

    format: Literal["workflowkit.run"]
    format_version: Literal[1]
    practice: str
    since: TimeText
    until: TimeText
    cursor_before: TimeText | None
    cursor_after: TimeText | None
    dry_run: bool
    counts: RunCounts
    entries: list[RunEntryOut]
    skipped: list[DiagnosticOut]
    notes: list[DiagnosticOut] = Field(description="Started, but worth a look (WK705).")


class AgendaItemOut(Part):
    instance: str
    client: str
    template: str
    period: str
    due: DateText
    status: str
    role: str
    pending_checks: list[str]
    feedback: str | None
    feedback_by: str | None
    feedback_at: TimeText | None


class AgendaOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.agenda"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit agenda --format json: one person's work today"

    format: Literal["workflowkit.agenda"]
    format_version: Literal[1]
    person: str
    on: DateText
    handed_back: list[AgendaItemOut]
    checks: list[AgendaItemOut]
    reviews: list[AgendaItemOut]
    overdue: list[AgendaItemOut]
    due_this_week: list[AgendaItemOut]


class WorkloadRowOut(Part):
    person: str
    name: str | None
    period: str = Field(description="2026-W32 (ISO week) or 2026-08.")
    start: DateText
    end: DateText
    instances: int
    prepare_hours: Number
    review_hours: Number
    hours: Number
    unestimated: int
    capacity_hours: Number | None
    over: bool


class OverOut(Part):
    person: str
    period: str


class StackedOut(Part):
    reviewer: str
    period: str
    reviews: int
    instances: list[str]


class WorkloadOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.workload"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit workload --format json: hours per person and period"

    format: Literal["workflowkit.workload"]
    format_version: Literal[1]
    start: DateText
    end: DateText
    by: Literal["week", "month"]
    stack_at: int
    sources: dict[str, int] = Field(description="Instances from the store and from the plan.")
    rows: list[WorkloadRowOut]
    over: list[OverOut]
    stacked: list[StackedOut]
