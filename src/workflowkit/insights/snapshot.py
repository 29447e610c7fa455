"""The ledger snapshot: what a Xero or QuickBooks Online connection gives for one client.

Records are small frozen dataclasses (cheap to build by the million); the loaders in
:mod:`workflowkit.insights.load` validate them at the edge with pydantic, so a file
gets located errors while code that builds records itself pays nothing. Money is
``Decimal`` (a float is refused when loading), dates are ``datetime.date``, currencies
are ISO 4217 codes. ``docs/insights.md`` maps every field to the Xero and QuickBooks
Online APIs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints

from workflowkit.errors import checked_dates
from workflowkit.templates.data_checks import AccountTypeName


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money must be a decimal string or integer, not a float")
    return value


MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)
"""The dates a snapshot and the checks accept: the checks look up to a century back and
a few months forward from their dates, which must stay inside the calendar (WK609)."""

DATE_RANGE_MESSAGE = "is outside the dates the checks support"


def date_in_range(day: dt.date) -> dt.date:
    """``day`` itself, or ``ValueError`` when it is outside ``MIN_DATE``-``MAX_DATE``."""
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(
            f"{day.isoformat()} {DATE_RANGE_MESSAGE} "
            f"({MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})"
        )
    return day


Day = Annotated[dt.date, AfterValidator(date_in_range)]
"""A date of the ledger, from ``MIN_DATE`` to ``MAX_DATE`` (checked when loading)."""

Money = Annotated[Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False)]
"""An amount of money: ``Decimal``; floats are refused when loading."""

PositiveMoney = Annotated[Decimal, BeforeValidator(_no_float), Field(allow_inf_nan=False, ge=0)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Id = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(max_length=4000)]

_CONFIG = ConfigDict(extra="forbid")

AccountType = AccountTypeName
INCOME_TYPES: frozenset[str] = frozenset({"revenue", "sales", "other_income"})

DocumentStatus = Literal["draft", "submitted", "authorised", "paid", "voided", "deleted"]
"""Xero's invoice statuses; QuickBooks Online documents are authorised or paid (Balance 0)."""

LIVE_STATUSES: frozenset[str] = frozenset({"submitted", "authorised", "paid"})
"""Documents that count: not drafts, not voided, not deleted."""

ContactType = Literal["customer", "supplier", "customer_and_supplier", "employee", "other"]
TaxKind = Literal[
    "standard", "reduced", "zero_rated", "exempt", "no_vat", "reverse_charge", "other"
]


@dataclass(frozen=True, slots=True)
class Organisation:
    """The client's organisation: name, ledger, base currency, VAT set-up and lock dates."""

    __pydantic_config__ = _CONFIG

    name: Text
    source: Literal["xero", "qbo", "other"] = "other"
    base_currency: Currency = "GBP"
    vat_registered: bool = True
    vat_basis: Literal["accrual", "cash"] = "accrual"
    vat_flat_rate: bool = False
    vat_annual_accounting: bool = False
    period_lock_date: Day | None = None
    end_of_year_lock_date: Day | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """One account of the chart of accounts."""

    __pydantic_config__ = _CONFIG

    id: Id
    name: Text
    code: str | None = None
    type: AccountType = "other"
    status: Literal["active", "archived"] = "active"
    system: bool = False
    tax_code: str | None = None


@dataclass(frozen=True, slots=True)
class BankAccount:
    """A bank account with its statement and ledger balances at ``balance_date``."""

    __pydantic_config__ = _CONFIG

    id: Id
    name: Text
    currency: Currency = "GBP"
    account_code: str | None = None
    balance_date: Day | None = None
    statement_balance: Money | None = None
    ledger_balance: Money | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """A line of an invoice, bill, credit note or bank transaction: net amount, codes."""

    __pydantic_config__ = _CONFIG

    amount: Money
    account_code: str | None = None
    tax_code: str | None = None
    tax_amount: Money = Decimal(0)
    description: Text = ""


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """Spend or receive money on a bank account (not the payment of an invoice)."""

    __pydantic_config__ = _CONFIG

    id: Id
    bank_account_id: Id
    kind: Literal["receive", "spend"]
    date: Day
    total: PositiveMoney
    currency: Currency = "GBP"
    contact_id: str | None = None
    reference: Text = ""
    reconciled: bool = False
    status: Literal["authorised", "voided", "deleted"] = "authorised"
    base_total: PositiveMoney | None = None
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class Invoice:
    """A sales invoice (``kind="invoice"``) or a supplier bill (``kind="bill"``)."""

    __pydantic_config__ = _CONFIG

    id: Id
    kind: Literal["invoice", "bill"]
    contact_id: Id
    date: Day
    total: PositiveMoney
    currency: Currency = "GBP"
    number: Text = ""
    due_date: Day | None = None
    amount_due: PositiveMoney = Decimal(0)
    status: DocumentStatus = "authorised"
    reference: Text = ""
    base_total: PositiveMoney | None = None
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class Allocation:
    """Part of a credit note applied to an invoice or bill."""

    __pydantic_config__ = _CONFIG

    document_id: Id
    amount: PositiveMoney
    date: Day | None = None


@dataclass(frozen=True, slots=True)
class CreditNote:
    """A sales (customer) or purchases (supplier) credit note, with its allocations."""

    __pydantic_config__ = _CONFIG

    id: Id
    kind: Literal["sales", "purchases"]
    contact_id: Id
    date: Day
    total: PositiveMoney
    currency: Currency = "GBP"
    number: Text = ""
    remaining_credit: PositiveMoney = Decimal(0)
    status: DocumentStatus = "authorised"
    base_total: PositiveMoney | None = None
    allocations: tuple[Allocation, ...] = ()
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    """A customer or supplier, with its default account and tax codes."""

    __pydantic_config__ = _CONFIG

    id: Id
    name: Text
    type: ContactType = "other"
    status: Literal["active", "archived"] = "active"
    sales_account_code: str | None = None
    purchases_account_code: str | None = None
    sales_tax_code: str | None = None
    purchases_tax_code: str | None = None


@dataclass(frozen=True, slots=True)
class JournalLine:
    """A journal line: positive amounts are debits, negative amounts credits."""

    __pydantic_config__ = _CONFIG

    account_code: str
    amount: Money
    tax_code: str | None = None
    description: Text = ""


@dataclass(frozen=True, slots=True)
class Journal:
    """A journal (manual, or generated by the ledger for another transaction)."""

    __pydantic_config__ = _CONFIG

    id: Id
    date: Day
    number: Text = ""
    source_type: Text = "manual"
    reference: Text = ""
    lines: tuple[JournalLine, ...] = ()


@dataclass(frozen=True, slots=True)
class LockDateChange:
    """A change of a lock date, as detected by comparing two reads of the ledger."""

    __pydantic_config__ = _CONFIG

    detected_on: Day
    old: Day | None = None
    new: Day | None = None
    kind: Literal["period", "end_of_year"] = "period"
    note: Text = ""


@dataclass(frozen=True, slots=True)
class TaxRate:
    """What a tax code means: its rate and its kind (standard, zero-rated, exempt...)."""

    __pydantic_config__ = _CONFIG

    code: Id
    kind: TaxKind
    name: Text = ""
    rate: Money | None = None


@dataclass(frozen=True, slots=True)
class FixedAsset:
    """An asset of the fixed asset register (Xero's Assets API), with its cost account."""

    __pydantic_config__ = _CONFIG

    id: Id
    name: Text
    account_code: str
    purchase_date: Day
    cost: PositiveMoney
    number: Text = ""
    status: Literal["draft", "registered", "disposed"] = "registered"
    disposal_date: Day | None = None


@dataclass(frozen=True, slots=True)
class RepeatingInvoice:
    """A repeating (scheduled) invoice or bill: the documents the ledger will raise.

    ``next_date`` is the date of the next document; one is raised every ``every``
    ``unit`` (weeks or months) until ``end_date`` (none: no end).
    """

    __pydantic_config__ = _CONFIG

    id: Id
    kind: Literal["invoice", "bill"]
    contact_id: Id
    next_date: Day
    total: PositiveMoney
    every: Annotated[int, Field(ge=1, le=120)] = 1
    unit: Literal["week", "month"] = "month"
    end_date: Day | None = None
    currency: Currency = "GBP"
    base_total: PositiveMoney | None = None
    status: Literal["draft", "authorised", "deleted"] = "authorised"
    reference: Text = ""
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class LedgerSnapshot:
    """Everything the data checks read about one client, as of one date.

    ``as_of`` is the date the snapshot was taken (balances and amounts due are as at
    that date); the checks take their own as-of date, which is usually the same.
    """

    __pydantic_config__ = _CONFIG

    organisation: Organisation
    as_of: Day | None = None
    accounts: tuple[Account, ...] = ()
    bank_accounts: tuple[BankAccount, ...] = ()
    bank_transactions: tuple[BankTransaction, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    credit_notes: tuple[CreditNote, ...] = ()
    contacts: tuple[Contact, ...] = ()
    journals: tuple[Journal, ...] = ()
    lock_date_history: tuple[LockDateChange, ...] = ()
    tax_rates: tuple[TaxRate, ...] = field(default=())
    fixed_assets: tuple[FixedAsset, ...] = ()
    repeating_invoices: tuple[RepeatingInvoice, ...] = ()

    # -- indexes, built on first use ------------------------------------------------
    @cached_property
    def contacts_by_id(self) -> Mapping[str, Contact]:
        return {c.id: c for c in self.contacts}

    @cached_property
    def bank_accounts_by_id(self) -> Mapping[str, BankAccount]:
        return {b.id: b for b in self.bank_accounts}

    @cached_property
    def accounts_by_code(self) -> Mapping[str, Account]:
        """Accounts by code, and by id for accounts without a code."""
        out: dict[str, Account] = {}
        for a in self.accounts:
            out.setdefault(a.id, a)
        for a in self.accounts:
            if a.code:
                out[a.code] = a
        return out

    @cached_property
    def invoices_by_id(self) -> Mapping[str, Invoice]:
        return {d.id: d for d in self.invoices}

    def contact_name(self, contact_id: str | None) -> str:
        if contact_id is None:
            return "(no contact)"
        c = self.contacts_by_id.get(contact_id)
        return c.name if c is not None else contact_id

    def account_label(self, code: str) -> str:
        a = self.accounts_by_code.get(code)
        return f"{code} {a.name}" if a is not None else code

    def record_count(self) -> int:
        """How many transactions the snapshot holds (bank, invoices, bills, credit notes)."""
        return len(self.bank_transactions) + len(self.invoices) + len(self.credit_notes)


@runtime_checkable
class LedgerSource(Protocol):
    """What a live Xero or QuickBooks Online client implements to produce a snapshot.

    Each method returns the records of one kind, already mapped to the snapshot model
    (``docs/insights.md`` gives the field mapping for both APIs). Methods may stream:
    any iterable will do. :func:`read_source` assembles and checks the snapshot. A source
    may also have ``fixed_assets()`` and ``repeating_invoices()`` (optional: a source
    without them gives none).
    """

    def organisation(self) -> Organisation: ...

    def accounts(self) -> Iterable[Account]: ...

    def bank_accounts(self, *, as_of: dt.date) -> Iterable[BankAccount]: ...

    def bank_transactions(self) -> Iterable[BankTransaction]: ...

    def invoices(self) -> Iterable[Invoice]: ...

    def credit_notes(self) -> Iterable[CreditNote]: ...

    def contacts(self) -> Iterable[Contact]: ...

    def journals(self) -> Iterable[Journal]: ...

    def lock_date_history(self) -> Iterable[LockDateChange]: ...

    def tax_rates(self) -> Iterable[TaxRate]: ...


def _optional(source: object, method: str) -> Iterable[Any]:
    """The records of an optional ``LedgerSource`` method (none when it lacks it)."""
    call = getattr(source, method, None)
    return call() if callable(call) else ()


@checked_dates
def read_source(
    source: LedgerSource, *, as_of: dt.date, max_rows: int | None = None
) -> LedgerSnapshot:
    """Read every record from ``source`` into a snapshot, and check its references.

    Records are counted as they stream in, as the file loaders count rows (a document's
    lines, a record without lines as one): past ``max_rows`` (default
    :data:`~workflowkit.insights.load.DEFAULT_MAX_ROWS`) reading stops with a
    :class:`~workflowkit.insights.errors.SnapshotError` (WK607), before the rest is
    fetched. Raises the same error when an id is used twice or a record points at one
    the source did not return.
    """
    from workflowkit.insights.integrity import check_snapshot
    from workflowkit.insights.load import DEFAULT_MAX_ROWS, too_many_rows

    name = type(source).__name__
    limit = DEFAULT_MAX_ROWS if max_rows is None else max_rows
    seen = [0]

    def counted(records: Iterable[Any]) -> tuple[Any, ...]:
        out: list[Any] = []
        for record in records:
            lines = getattr(record, "lines", None)
            seen[0] += max(1, len(lines)) if lines is not None else 1
            if seen[0] > limit:
                raise too_many_rows(name, seen[0], limit)
            out.append(record)
        return tuple(out)

    snapshot = LedgerSnapshot(
        organisation=source.organisation(),
        as_of=as_of,
        accounts=counted(source.accounts()),
        bank_accounts=counted(source.bank_accounts(as_of=as_of)),
        bank_transactions=counted(source.bank_transactions()),
        invoices=counted(source.invoices()),
        credit_notes=counted(source.credit_notes()),
        contacts=counted(source.contacts()),
        journals=counted(source.journals()),
        lock_date_history=counted(source.lock_date_history()),
        tax_rates=counted(source.tax_rates()),
        fixed_assets=counted(_optional(source, "fixed_assets")),
        repeating_invoices=counted(_optional(source, "repeating_invoices")),
    )
    check_snapshot(snapshot, name=name)
    return snapshot


def iter_documents(snapshot: LedgerSnapshot) -> Iterator[Invoice | CreditNote | BankTransaction]:
    """Every transaction with a contact and lines: invoices, bills, credit notes, bank."""
    yield from snapshot.invoices
    yield from snapshot.credit_notes
    yield from snapshot.bank_transactions
