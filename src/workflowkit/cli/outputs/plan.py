"""``workflowkit plan --format json``: the occurrences due (or created) in a window."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import DateText, Output, Part, TimeText


class OccurrenceOut(Part):
    """One workflow for one client and one period (``Occurrence.to_data()``)."""

    key: str = Field(description="The occurrence's stable key (workflow, client, period).")
    workflow: str
    client: str
    template: str
    template_version: str
    period_start: DateText
    period_end: DateText
    create_on: DateText
    create_at: TimeText
    due_on: DateText
    deadline: str | None = Field(description="The statutory deadline it is due on, if any.")
    assignee: str
    reviewers: list[str]


class PlanOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.plan"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit plan --format json: the practice's calendar"

    format: Literal["workflowkit.plan"]
    format_version: Literal[1]
    from_: DateText = Field(alias="from", description="The first day of the window.")
    to: DateText = Field(description="The day after the last (the window is half-open).")
    by: Literal["due", "create"]
    count: int
    occurrences: list[OccurrenceOut]
