"""The registry of data checks: the names automated checks may use, and their parameters.

A data check is found by id. Built-ins are listed here; an app adds its own through the
``workflowkit.data_checks`` entry-point group (see ``docs/insights.md``). Each entry
carries a pydantic model of its parameters, which the template validator uses to check
``params`` in a template before anything runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.metadata import entry_points
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENTRY_POINT_GROUP = "workflowkit.data_checks"


class DataCheckParams(BaseModel):
    """Base of every data check's parameters: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class BankReconciliationParams(DataCheckParams):
    max_unreconciled_age_days: int = Field(
        default=30, ge=0, description="Unreconciled items older than this are flagged."
    )
    balance_tolerance: Decimal = Field(
        default=Decimal("0.00"), ge=0, description="Allowed statement vs ledger difference."
    )
    accounts: tuple[str, ...] = Field(
        default=(), description="Bank account ids or codes to check; empty means all."
    )


class DuplicateContactsParams(DataCheckParams):
    precision: Literal["strict", "close", "similar", "rough"] = Field(
        default="close", description="How alike two names must be to pair up."
    )


class DuplicateTransactionsParams(DataCheckParams):
    window_days: Literal[3, 5, 7, 13, 31] = Field(
        default=5, description="Comparison range: same contact and value within ±N days."
    )
    include_bank_transactions: bool = Field(
        default=False, description="Also compare bank transactions, not only invoices and bills."
    )
    lookback_days: int = Field(default=90, ge=1, le=3660, description="How far back to look.")


@dataclass(frozen=True, slots=True)
class DataCheckInfo:
    """What the template validator needs to know about a data check."""

    id: str
    title: str
    params: type[BaseModel]
    summary: str = ""


_BUILTIN: tuple[DataCheckInfo, ...] = (
    DataCheckInfo(
        "bank-reconciliation",
        "Bank reconciliation",
        BankReconciliationParams,
        "Unreconciled items per bank account and the statement vs ledger difference.",
    ),
    DataCheckInfo(
        "duplicate-contacts",
        "Duplicate contacts",
        DuplicateContactsParams,
        "Contacts whose normalised names match at the chosen precision.",
    ),
    DataCheckInfo(
        "duplicate-transactions",
        "Duplicate transactions",
        DuplicateTransactionsParams,
        "The same contact and value within a window of days.",
    ),
)


def _from_entry_point(obj: Any, name: str) -> DataCheckInfo | None:
    if isinstance(obj, DataCheckInfo):
        return obj
    params = getattr(obj, "params_model", None) or getattr(obj, "Params", None)
    if isinstance(params, type) and issubclass(params, BaseModel):
        return DataCheckInfo(
            str(getattr(obj, "id", name)), str(getattr(obj, "title", name)), params,
            str(getattr(obj, "summary", "")),
        )
    return None


@cache
def data_check_registry() -> Mapping[str, DataCheckInfo]:
    """Built-in data checks plus those installed through the entry-point group."""
    found: dict[str, DataCheckInfo] = {info.id: info for info in _BUILTIN}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            info = _from_entry_point(ep.load(), ep.name)
        except Exception:  # a broken plugin must not break validation of everything else
            continue
        if info is not None and info.id not in found:
            found[info.id] = info
    return found


def params_problems(check_id: str, params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Problems with ``params`` for ``check_id``, as (pointer below params, message)."""
    info = data_check_registry().get(check_id)
    if info is None:
        return []
    try:
        info.params.model_validate(dict(params))
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_url=False):
            pointer = "".join(f"/{p}" for p in err["loc"])
            if err["type"] == "extra_forbidden":
                msg = f"unknown parameter {err['loc'][-1]!r} for {check_id}"
            else:
                msg = f"{pointer.lstrip('/') or 'params'}: {err['msg']}"
            out.append((pointer, msg))
        return out
    return []
