"""Small helpers the built-in checks share: money text, records, month ends, results."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import BankTransaction, CreditNote, Invoice

_CENT = Decimal("0.01")
_ORDER = {FindingSeverity.ERROR: 0, FindingSeverity.WARNING: 1, FindingSeverity.INFO: 2}


def money(amount: Decimal, currency: str | None = None) -> str:
    """``GBP 1,234.50``: two decimals (more only when the amount has them), grouped."""
    exp = amount.as_tuple().exponent
    places = max(2, -exp) if isinstance(exp, int) else 2
    text = (
        f"{amount:,.{places}f}" if places > 2 else f"{amount.quantize(_CENT, ROUND_HALF_UP):,.2f}"
    )
    return f"{currency} {text}" if currency else text


def by_currency(totals: Mapping[str, Decimal]) -> str:
    """``GBP 10.00, USD 5.00`` (currencies in alphabetical order)."""
    return ", ".join(money(v, c) for c, v in sorted(totals.items()))


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


Document = Invoice | CreditNote | BankTransaction


def doc_type(doc: Document) -> str:
    """The record type of a document, as used in :class:`RecordRef`."""
    if isinstance(doc, Invoice):
        return doc.kind
    if isinstance(doc, CreditNote):
        return "credit_note"
    return "bank_transaction"


def doc_label(doc: Document) -> str:
    if isinstance(doc, BankTransaction):
        return doc.reference or doc.id
    return doc.number or doc.id


def doc_words(doc: Document) -> str:
    """How a person names a document: ``bill BILL-7``, ``spend money TX-3``."""
    if isinstance(doc, Invoice):
        word = "invoice" if doc.kind == "invoice" else "bill"
    elif isinstance(doc, CreditNote):
        word = "credit note"
    else:
        word = "receive money" if doc.kind == "receive" else "spend money"
    return f"{word} {doc_label(doc)}"


def doc_ref(doc: Document) -> RecordRef:
    return RecordRef(type=doc_type(doc), id=doc.id, label=doc_label(doc))


def result(check: str, summary: str, findings: Iterable[Finding] = ()) -> CheckResult:
    """A result whose outcome is ``issues`` when any finding is a warning or an error.

    Findings are ordered errors first, then warnings, then information, keeping the
    check's own order within a severity.
    """
    ordered = sorted(findings, key=lambda f: _ORDER[f.severity])
    bad = any(f.severity != FindingSeverity.INFO for f in ordered)
    return CheckResult(
        check=check,
        outcome="issues" if bad else "pass",
        summary=summary,
        findings=tuple(ordered),
    )
