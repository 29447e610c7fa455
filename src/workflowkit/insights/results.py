"""What a data check says: findings with severity, amounts and records, and a result.

These small immutable models are the contract between the insights engine (which makes
them) and the review engine (which attaches them to a workflow's checks).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FindingSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class RecordRef(BaseModel):
    """A ledger record a finding is about (a bank transaction, an invoice, a contact...)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: str = Field(description="e.g. bank_transaction, invoice, bill, contact, account")
    id: str
    label: str = ""


class Finding(BaseModel):
    """One thing that is wrong, with the money and the records involved."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="Stable finding code, e.g. unreconciled-items")
    severity: FindingSeverity
    message: str
    amount: Decimal | None = None
    currency: str | None = None
    records: tuple[RecordRef, ...] = ()


class CheckResult(BaseModel):
    """The outcome of one data check on one snapshot."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: str = Field(description="The data check id")
    outcome: Literal["pass", "issues"]
    summary: str = Field(description="One line a reviewer can read")
    findings: tuple[Finding, ...] = ()

    @property
    def suggested_status(self) -> Literal["complete", "complete_with_issues"]:
        """What a person would most likely set the check to, given the findings."""
        return "complete" if self.outcome == "pass" else "complete_with_issues"
