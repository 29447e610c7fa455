"""The report's data: a typed, frozen model, the same for the HTML page and ``--format json``.

Every value is plain (strings, ints, dates, ``Decimal``), so :func:`to_data` turns the
whole tree into JSON-ready data without knowing the engines it was read from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

FORMAT: Final = "workflowkit.report"
FORMAT_VERSION: Final = 1


@dataclass(frozen=True, slots=True)
class PersonInfo:
    """What a team says about a person: the display name and weekly capacity (hours)."""

    name: str
    weekly_capacity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a large practice the page shows in full (the rest is counted)."""

    table_rows: int = 100
    """Rows of the overdue and due-soon tables."""
    instance_pages: int = 150
    """Instance pages: overdue first, then due soon, then recently locked."""
    due_soon_days: int = 7
    locked_recent_days: int = 14
    findings_per_check: int = 3


@dataclass(frozen=True, slots=True)
class CalendarRow:
    key: str
    label: str
    counts: tuple[int, ...]
    levels: tuple[int, ...]
    """Per week, the shade 0 (none) to 5 (the busiest week of the whole map)."""
    total: int


@dataclass(frozen=True, slots=True)
class WeekDeadlines:
    week: date
    count: int
    names: tuple[tuple[str, int], ...]
    """Per statutory deadline (``vat_return``...), the due work set on it that week."""


@dataclass(frozen=True, slots=True)
class Calendar:
    weeks: tuple[date, ...]
    """The Monday of each week of the window."""
    by_workflow: tuple[CalendarRow, ...]
    by_person: tuple[CalendarRow, ...]
    deadlines: tuple[WeekDeadlines, ...]
    total: int
    busiest: int


@dataclass(frozen=True, slots=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One open instance in the overdue or due-soon table."""

    instance: str
    anchor: str | None
    """The id of its instance page in the same file, when it has one."""
    client: str
    client_name: str
    workflow: str
    period: str
    due: date
    days: int
    """Days overdue (positive) or days left (0 or more)."""
    status: str
    status_label: str
    assignee: str
    assignee_name: str
    reviewers: tuple[str, ...]
    waiting_on: str | None


@dataclass(frozen=True, slots=True)
class PersonLoad:
    id: str
    name: str
    weekly_capacity: Decimal | None
    assigned_open: int
    waiting_on: int
    overdue: int
    due_in_window: int


@dataclass(frozen=True, slots=True)
class FindingRow:
    severity: str
    code: str
    message: str
    amount: Decimal | None
    currency: str | None


@dataclass(frozen=True, slots=True)
class FailingCheck:
    check: str
    summary: str
    findings: tuple[FindingRow, ...]
    more: int


@dataclass(frozen=True, slots=True)
class ClientHealth:
    client: str
    client_name: str
    in_practice: bool
    source: str
    as_of: date | None
    score: int | None
    band: str | None
    checks_run: int
    failing: tuple[FailingCheck, ...]


@dataclass(frozen=True, slots=True)
class CheckRow:
    id: str
    title: str
    status: str
    status_label: str
    note: str | None
    by: str | None
    at: datetime | None
    findings: str | None


@dataclass(frozen=True, slots=True)
class CommentRow:
    check: str | None
    kind: str
    by: str
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class FileRow:
    check: str | None
    name: str
    size: int
    media_type: str
    sha256: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class TrailRow:
    version: int
    at: datetime
    by: str
    action: str
    text: str


@dataclass(frozen=True, slots=True)
class InstancePage:
    id: str
    anchor: str
    reason: str
    """Why it has a page: overdue, due soon or locked recently."""
    client: str
    client_name: str
    template: str
    template_version: str
    period: str
    due: date
    status: str
    status_label: str
    assignee: str
    reviewers: tuple[str, ...]
    checks: tuple[CheckRow, ...]
    comments: tuple[CommentRow, ...]
    files: tuple[FileRow, ...]
    trail: tuple[TrailRow, ...]
    chain_verified: bool
    chain_detail: str


@dataclass(frozen=True, slots=True)
class DiagramNode:
    key: str
    label: str
    x: int
    y: int
    width: int
    height: int
    loops: tuple[str, ...]
    """Commands that keep the instance in this state."""


@dataclass(frozen=True, slots=True)
class DiagramEdge:
    source: str
    target: str
    label: str
    path: str
    label_x: int
    label_y: int


@dataclass(frozen=True, slots=True)
class TransitionRow:
    source: str
    command: str
    target: str
    actor: str
    guard: str


@dataclass(frozen=True, slots=True)
class Diagram:
    width: int
    height: int
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    transitions: tuple[TransitionRow, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the dashboard shows."""

    title: str
    generated_at: datetime
    today: date
    window_start: date
    window_end: date
    """Inclusive."""
    clients: int
    has_store: bool
    has_team: bool
    calendar: Calendar
    statuses: tuple[StatusCount, ...]
    open_total: int
    overdue: tuple[WorkItem, ...]
    overdue_total: int
    due_soon: tuple[WorkItem, ...]
    due_soon_total: int
    people: tuple[PersonLoad, ...]
    health: tuple[ClientHealth, ...]
    instances: tuple[InstancePage, ...]
    instances_eligible: int
    diagram: Diagram
    limits: Limits
    format: str = FORMAT
    format_version: int = FORMAT_VERSION


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, ``format`` and ``format_version`` first."""
    data: dict[str, Any] = {"format": report.format, "format_version": report.format_version}
    body = _plain(report)
    assert isinstance(body, dict)
    data.update(body)
    return data
