"""``workflowkit checks run`` and ``checks list`` with ``--format json``."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import DateText, Json, Output, Part
from workflowkit.insights.health import HealthScore
from workflowkit.insights.results import Finding


class FindingOut(Finding):
    """A finding (``insights.Finding``), with the amount written as money."""

    amount_text: str | None = Field(
        default=None, description="The amount with its currency (only when there is one)."
    )


class ResultOut(Part):
    check: str
    outcome: Literal["pass", "issues"]
    suggested_status: Literal["complete", "complete_with_issues"]
    summary: str
    findings: list[FindingOut]


class ChecksRunOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.checks.run"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit checks run --format json: findings and the health score"

    format: Literal["workflowkit.checks.run"]
    format_version: Literal[1]
    snapshot: str = Field(description="The snapshot as given on the command line.")
    organisation: str
    source: str = Field(description="The snapshot's source (xero, quickbooks, csv...).")
    as_of: DateText
    template: str | None = Field(description="id@version with --template, else null.")
    results: dict[str, ResultOut] = Field(description="By data check id, in the order run.")
    health: HealthScore
    issues: int = Field(description="How many checks found issues.")


class ParamOut(Part):
    type: str = Field(description="The parameter's type, as Python writes it.")
    default: Json
    description: str


class DataCheckOut(Part):
    id: str
    title: str
    summary: str
    params: dict[str, ParamOut]


class ChecksListOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.checks.list"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit checks list --format json: the registered data checks"

    format: Literal["workflowkit.checks.list"]
    format_version: Literal[1]
    checks: list[DataCheckOut]
