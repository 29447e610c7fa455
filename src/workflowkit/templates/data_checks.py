"""The registry of data checks: the names automated checks may use, and their parameters.

A data check is found by id. The built-ins are listed here; an app adds its own through
the ``workflowkit.data_checks`` entry-point group (see ``docs/insights.md``). Each entry
carries a pydantic model of its parameters, which the template validator uses to check
``params`` in a template before anything runs, and names the function that runs it.

This module stays light: it imports nothing from :mod:`workflowkit.insights`. A check's
runner is a ``"module:function"`` string that the insights engine imports only when the
check runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from itertools import pairwise
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ENTRY_POINT_GROUP = "workflowkit.data_checks"


class DataCheckParams(BaseModel):
    """Base of every data check's parameters: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------
# Parameter models of the built-in checks
# ---------------------------------------------------------------------------------


class BankReconciliationParams(DataCheckParams):
    max_unreconciled_age_days: int = Field(
        default=30,
        ge=0,
        le=3660,
        description="Unreconciled items older than this many days are flagged.",
    )
    balance_tolerance: Decimal = Field(
        default=Decimal("0.00"), ge=0, description="Allowed statement vs ledger difference."
    )
    accounts: tuple[str, ...] = Field(
        default=(), description="Bank account ids, codes or names to check; empty means all."
    )


class DuplicateContactsParams(DataCheckParams):
    precision: Literal["strict", "close", "similar", "rough"] = Field(
        default="close", description="How alike two names must be to pair up."
    )
    same_type_only: bool | None = Field(
        default=None,
        description="Pair only contacts of the same type (customer, supplier...). "
        "Default: yes for QuickBooks Online ledgers, no otherwise.",
    )
    include_archived: bool = Field(default=False, description="Also compare archived contacts.")
    max_word_contacts: int = Field(
        default=25,
        ge=2,
        le=100_000,
        description="Rough precision: a word used by more distinct names than this is too "
        "common to suggest a duplicate.",
    )


class DuplicateTransactionsParams(DataCheckParams):
    window_days: Literal[3, 5, 7, 13, 31] = Field(
        default=5, description="Comparison range: same contact and value within ±N days."
    )
    include_bank_transactions: bool = Field(
        default=False, description="Also compare bank transactions, not only invoices and bills."
    )
    lookback_days: int = Field(default=90, ge=1, le=3660, description="How far back to look.")


class MultiCodedContactsParams(DataCheckParams):
    compare: Literal["accounts", "tax_codes", "both"] = Field(
        default="both", description="Flag differences in account codes, tax codes or both."
    )
    since: date | None = Field(
        default=None,
        description="Starting from: lines dated on or after this date. "
        "Default: history_days before the as-of date.",
    )
    history_days: int = Field(
        default=365, ge=1, le=3660, description="How far back to read when `since` is not set."
    )
    active_within_days: int = Field(
        default=90,
        ge=1,
        le=3660,
        description="Active during: only contacts with a line in this many days up to the "
        "as-of date.",
    )
    ignore_accounts: tuple[str, ...] = Field(
        default=(), description="Account codes left out of the comparison."
    )


AccountTypeName = Literal[
    "bank",
    "current_asset",
    "fixed_asset",
    "non_current_asset",
    "inventory",
    "prepayment",
    "current_liability",
    "liability",
    "non_current_liability",
    "equity",
    "revenue",
    "sales",
    "other_income",
    "direct_costs",
    "expense",
    "overheads",
    "depreciation",
    "other",
]


class DormantAccountsParams(DataCheckParams):
    inactive_days: int = Field(
        default=365,
        ge=1,
        le=36600,
        description="An account with no activity in this many days up to the as-of date is "
        "dormant.",
    )
    since: date | None = Field(
        default=None, description="No activity since this date (overrides inactive_days)."
    )
    account_types: tuple[AccountTypeName, ...] = Field(
        default=(), description="Only these account types; empty means all."
    )


class AgedBalancesParams(DataCheckParams):
    buckets_days: tuple[int, ...] = Field(
        default=(30, 60, 90),
        min_length=1,
        max_length=12,
        description="Upper edges of the ageing buckets, in days overdue.",
    )
    age_by: Literal["due_date", "date"] = Field(
        default="due_date", description="Age from the due date or from the document date."
    )
    overdue_after_days: int = Field(
        default=60,
        ge=0,
        le=3660,
        description="Items more than this many days old count towards a contact's overdue total.",
    )
    contact_threshold: Decimal = Field(
        default=Decimal("0"),
        ge=0,
        description="A contact is flagged when its overdue total is above this amount.",
    )
    top_items: int = Field(default=5, ge=0, le=100, description="How many oldest items to list.")

    @field_validator("buckets_days")
    @classmethod
    def _increasing(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(b <= 0 for b in value) or any(b >= c for b, c in pairwise(value)):
            raise ValueError("bucket edges must be positive and strictly increasing")
        return value


class AgedReceivablesParams(AgedBalancesParams):
    """Parameters of ``aged-receivables`` (customers owing the client)."""


class AgedPayablesParams(AgedBalancesParams):
    """Parameters of ``aged-payables`` (the client owing suppliers)."""


class LockDateParams(DataCheckParams):
    grace_period_weeks: int = Field(
        default=2,
        ge=0,
        le=52,
        description="Weeks after a month ends before it should be locked; 0 disables the check.",
    )
    history_days: int = Field(
        default=365,
        ge=1,
        le=3660,
        description="Lock-date changes detected in this many days are examined.",
    )


class VatSanityParams(DataCheckParams):
    line_threshold: Decimal = Field(
        default=Decimal("1000"),
        ge=0,
        description="Zero-rated and no-VAT lines at or above this net amount are listed.",
    )
    period_start: date | None = Field(
        default=None, description="First day of the VAT period. Default: period_months back."
    )
    period_months: int = Field(
        default=3, ge=1, le=12, description="Length of the VAT period when period_start is unset."
    )
    approaching_ratio: Decimal = Field(
        default=Decimal("0.9"),
        gt=0,
        le=1,
        description="A turnover at or above this share of a threshold is 'approaching' it.",
    )
    registration_threshold: Decimal | None = Field(
        default=None, gt=0, description="Override the statutory VAT registration threshold."
    )
    zero_rated_codes: tuple[str, ...] = Field(
        default=(), description="Extra tax codes to treat as zero-rated."
    )
    no_vat_codes: tuple[str, ...] = Field(
        default=(), description="Extra tax codes to treat as no VAT or exempt."
    )


class ControlAccountsParams(DataCheckParams):
    """Parameters of ``control-accounts`` (payroll control accounts clear after payment)."""

    paye_accounts: tuple[str, ...] = Field(
        default=("825",), description="PAYE and NIC liability account codes (Xero UK: 825)."
    )
    net_wages_accounts: tuple[str, ...] = Field(
        default=("814",), description="Net wages control account codes (Xero UK: 814)."
    )
    pension_accounts: tuple[str, ...] = Field(
        default=("826",), description="Pension liability account codes (Xero UK: 826)."
    )
    paye_lag_months: int = Field(
        default=1, ge=0, le=3, description="Months after accrual in which PAYE is paid."
    )
    net_wages_lag_months: int = Field(
        default=0, ge=0, le=3, description="Months after accrual in which net wages are paid."
    )
    pension_lag_months: int = Field(
        default=1, ge=0, le=3, description="Months after accrual in which pensions are paid."
    )
    tolerance: Decimal = Field(
        default=Decimal("1.00"), ge=0, description="A residual up to this much counts as clear."
    )


class ContactDefaultsParams(DataCheckParams):
    """Parameters of ``contact-defaults`` (contacts without default codes)."""

    require: Literal["accounts", "tax_codes", "both"] = Field(
        default="both", description="Default account codes, tax codes or both."
    )
    active_within_days: int = Field(
        default=365,
        ge=1,
        le=3660,
        description="Only contacts with a document in this many days up to the as-of date.",
    )
    min_documents: int = Field(
        default=2, ge=1, le=1000, description="Only contacts with at least this many documents."
    )


class FixedAssetsParams(DataCheckParams):
    """Parameters of ``fixed-assets`` (capital items expensed; register vs ledger)."""

    capitalisation_threshold: Decimal = Field(
        default=Decimal("1000"),
        ge=0,
        description="Purchases coded to expense at or above this net amount are listed.",
    )
    lookback_days: int = Field(
        default=365, ge=1, le=3660, description="Purchases dated in this many days are examined."
    )
    expense_types: tuple[AccountTypeName, ...] = Field(
        default=("expense", "overheads", "direct_costs"),
        description="Account types that count as expense.",
    )
    ignore_accounts: tuple[str, ...] = Field(default=(), description="Account codes left out.")
    ignore_name_words: tuple[str, ...] = Field(
        default=("rent", "rates", "wage", "salar", "insurance", "pension", "subscription"),
        description="Expense accounts whose names contain one of these are left out.",
    )
    register_tolerance: Decimal = Field(
        default=Decimal("1.00"), ge=0, description="Register and ledger may differ by this much."
    )


class EntertainmentParams(DataCheckParams):
    """Parameters of ``entertainment`` (input VAT reclaimed on business entertainment)."""

    accounts: tuple[str, ...] = Field(
        default=(), description="Entertainment account codes (also: accounts named so)."
    )
    name_words: tuple[str, ...] = Field(
        default=("entertain", "hospitality"),
        description="An account whose name contains one of these is an entertainment account.",
    )
    exclude_name_words: tuple[str, ...] = Field(
        default=("staff", "employee"),
        description="Accounts whose names contain these (staff entertaining) are left out.",
    )
    lookback_days: int = Field(
        default=365, ge=1, le=3660, description="Purchases dated in this many days are examined."
    )


class DebtorDaysParams(DataCheckParams):
    """Parameters of ``debtor-days`` (average debtor days)."""

    period_days: int = Field(
        default=365, ge=28, le=3660, description="Credit sales over this many days."
    )
    max_days: int = Field(
        default=60, ge=1, le=3660, description="More debtor days than this is a warning."
    )


class CustomerRelianceParams(DataCheckParams):
    """Parameters of ``customer-reliance`` (one customer's share of sales)."""

    threshold: Decimal = Field(
        default=Decimal("0.4"),
        gt=0,
        le=1,
        description="A customer with more than this share of sales is flagged.",
    )
    period_days: int = Field(default=365, ge=28, le=3660, description="Sales over this many days.")
    top: int = Field(default=3, ge=1, le=50, description="How many largest customers to list.")


class RegularSuppliersParams(DataCheckParams):
    """Parameters of ``regular-suppliers`` (an expected monthly bill is missing)."""

    history_months: int = Field(
        default=3,
        ge=2,
        le=24,
        description="A supplier billed in each of this many months before the period is regular.",
    )
    include_bank_transactions: bool = Field(
        default=True, description="Money spent with the supplier counts as a bill."
    )


class VatForwardLookParams(DataCheckParams):
    """Parameters of ``vat-forward-look`` (taxable turnover of the next 30 days alone)."""

    registration_threshold: Decimal | None = Field(
        default=None, gt=0, description="Override the statutory VAT registration threshold."
    )
    approaching_ratio: Decimal = Field(
        default=Decimal("0.9"),
        gt=0,
        le=1,
        description="Expected turnover at or above this share of the threshold is a warning.",
    )
    include_drafts: bool = Field(
        default=True, description="Draft invoices and repeating invoices count as expected."
    )


# ---------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------

Runner = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class DataCheckInfo:
    """A registered data check: what the template validator and the runner need.

    ``run`` is the function ``run(snapshot, params, *, as_of) -> CheckResult``, or a
    ``"module:function"`` string the insights engine imports when the check first runs.
    """

    id: str
    title: str
    params: type[BaseModel]
    summary: str = ""
    run: str | Runner | None = None


def _builtin(
    check_id: str, title: str, params: type[BaseModel], target: str, summary: str
) -> DataCheckInfo:
    """A built-in check whose runner is ``target`` (``module`` or ``module:function``)."""
    module, _, func = target.partition(":")
    runner = f"workflowkit.insights.checks.{module}:{func or 'run'}"
    return DataCheckInfo(check_id, title, params, summary, runner)


_BUILTIN: tuple[DataCheckInfo, ...] = (
    _builtin(
        "bank-reconciliation",
        "Bank reconciliation",
        BankReconciliationParams,
        "bank",
        "Unreconciled items per bank account and the statement vs ledger difference.",
    ),
    _builtin(
        "duplicate-contacts",
        "Duplicate contacts",
        DuplicateContactsParams,
        "contacts",
        "Contacts whose normalised names match at the chosen precision.",
    ),
    _builtin(
        "duplicate-transactions",
        "Duplicate transactions",
        DuplicateTransactionsParams,
        "duplicates",
        "The same contact and value within a window of days.",
    ),
    _builtin(
        "multi-coded-contacts",
        "Multi-coded contacts",
        MultiCodedContactsParams,
        "coding",
        "Contacts coded to several accounts or tax codes within a window.",
    ),
    _builtin(
        "dormant-accounts",
        "Dormant accounts",
        DormantAccountsParams,
        "dormant",
        "Accounts with no activity since a date (system accounts ignored).",
    ),
    _builtin(
        "aged-receivables",
        "Aged receivables",
        AgedReceivablesParams,
        "aged:run_receivables",
        "Ageing buckets, the oldest items and customers over a threshold.",
    ),
    _builtin(
        "aged-payables",
        "Aged payables",
        AgedPayablesParams,
        "aged:run_payables",
        "Ageing buckets, the oldest items and suppliers over a threshold.",
    ),
    _builtin(
        "lock-date",
        "Lock date",
        LockDateParams,
        "lockdate",
        "The period is locked within a grace period after month end; unlocks are flagged.",
    ),
    _builtin(
        "vat-sanity",
        "VAT sanity",
        VatSanityParams,
        "vat",
        "Large zero-rated and no-VAT lines; VAT registration and scheme thresholds.",
    ),
    _builtin(
        "control-accounts",
        "Control accounts",
        ControlAccountsParams,
        "controls",
        "PAYE, net wages and pension control accounts clear after payment (last month).",
    ),
    _builtin(
        "contact-defaults",
        "Contact defaults",
        ContactDefaultsParams,
        "defaults",
        "Active contacts without a default account or tax code.",
    ),
    _builtin(
        "fixed-assets",
        "Fixed assets",
        FixedAssetsParams,
        "assets",
        "Capital purchases coded to expense; the asset register against the ledger.",
    ),
    _builtin(
        "entertainment",
        "Entertainment",
        EntertainmentParams,
        "entertainment",
        "Input VAT reclaimed on business entertainment (blocked).",
    ),
    _builtin(
        "debtor-days",
        "Average debtor days",
        DebtorDaysParams,
        "debtors:run_debtor_days",
        "Debtors against credit sales, as days of sales.",
    ),
    _builtin(
        "customer-reliance",
        "Customer reliance",
        CustomerRelianceParams,
        "debtors:run_customer_reliance",
        "A customer's share of sales over a threshold.",
    ),
    _builtin(
        "regular-suppliers",
        "Regular suppliers",
        RegularSuppliersParams,
        "suppliers",
        "A supplier billed every month has no bill in the last complete month.",
    ),
    _builtin(
        "vat-forward-look",
        "VAT registration forward look",
        VatForwardLookParams,
        "vatforward",
        "Taxable turnover expected in the next 30 days alone against the threshold.",
    ),
)


@dataclass(frozen=True, slots=True)
class PluginProblem:
    """An entry point in the ``workflowkit.data_checks`` group that could not be used."""

    entry_point: str
    value: str
    message: str


def _from_entry_point(obj: Any, name: str) -> DataCheckInfo | None:
    """A ``DataCheckInfo`` from what an entry point loads, or None if it is not a check.

    An entry point may load a ``DataCheckInfo``, or any object (a class, an instance, a
    module) with ``id``, ``title``, a parameter model (``params``, ``params_model`` or
    ``Params``) and a ``run`` callable.
    """
    if isinstance(obj, DataCheckInfo):
        return obj
    params = (
        getattr(obj, "params", None)
        or getattr(obj, "params_model", None)
        or getattr(obj, "Params", None)
    )
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        return None
    run = getattr(obj, "run", None)
    return DataCheckInfo(
        str(getattr(obj, "id", name)),
        str(getattr(obj, "title", name)),
        params,
        str(getattr(obj, "summary", "")),
        run if callable(run) else None,
    )


def _load_plugins() -> tuple[dict[str, DataCheckInfo], tuple[PluginProblem, ...]]:
    found: dict[str, DataCheckInfo] = {info.id: info for info in _BUILTIN}
    problems: list[PluginProblem] = []
    eps: list[EntryPoint] = sorted(
        entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)
    )
    for ep in eps:
        try:
            info = _from_entry_point(ep.load(), ep.name)
        except Exception as exc:  # a broken plugin must not break everything else
            problems.append(PluginProblem(ep.name, ep.value, f"cannot load: {exc!r}"))
            continue
        if info is None:
            problems.append(
                PluginProblem(
                    ep.name,
                    ep.value,
                    "not a data check: expected a DataCheckInfo or an object with id, title, "
                    "params (a pydantic model) and run",
                )
            )
        elif info.id != ep.name:
            problems.append(
                PluginProblem(
                    ep.name,
                    ep.value,
                    f"the entry point is named {ep.name!r} but the check's id is {info.id!r}; "
                    "name the entry point after the id",
                )
            )
        elif info.run is None:
            problems.append(PluginProblem(ep.name, ep.value, "the data check has no run function"))
        elif info.id in found:
            problems.append(
                PluginProblem(ep.name, ep.value, f"data check id {info.id!r} is already taken")
            )
        else:
            found[info.id] = info
    return found, tuple(problems)


@cache
def _registry() -> tuple[Mapping[str, DataCheckInfo], tuple[PluginProblem, ...]]:
    return _load_plugins()


def data_check_registry() -> Mapping[str, DataCheckInfo]:
    """Built-in data checks plus those installed through the entry-point group."""
    return _registry()[0]


def plugin_problems() -> tuple[PluginProblem, ...]:
    """Entry points of the group that were skipped, and why."""
    return _registry()[1]


def reload_data_checks() -> None:
    """Forget the cached registry, so newly installed plugins are found."""
    _registry.cache_clear()


def builtin_data_checks() -> tuple[DataCheckInfo, ...]:
    """The data checks that ship with workflowkit, in catalogue order."""
    return _BUILTIN


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
                text = str(err["msg"]).removeprefix("Value error, ")
                msg = f"{pointer.lstrip('/') or 'params'}: {text}"
            out.append((pointer, msg))
        return out
    return []
