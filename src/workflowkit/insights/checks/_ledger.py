"""Postings to the accounts of the chart, from the documents and journals of a snapshot.

A posting is (account code, date, signed amount, the record it came from): positive
amounts are debits and negative amounts credits, as in a journal. Net line amounts
post to the lines' accounts: a bill or money spent debits them, a sales invoice or money
received credits them, and credit notes the other way round. Journals post their own
lines, except those the ledger generated for a document the snapshot already holds
(Xero's journal source types ``ACCREC``, ``ACCPAY``, ``ACCRECCREDIT``, ``ACCPAYCREDIT``,
``CASHREC``, ``CASHPAID``), which would count that document twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal

from workflowkit.insights.checks._common import doc_ref
from workflowkit.insights.results import RecordRef
from workflowkit.insights.snapshot import (
    LIVE_STATUSES,
    BankTransaction,
    CreditNote,
    Invoice,
    LedgerSnapshot,
)

DOCUMENT_SOURCE_TYPES: frozenset[str] = frozenset(
    {"accrec", "accpay", "accreccredit", "accpaycredit", "cashrec", "cashpaid"}
)
"""Journal source types whose journals duplicate a document of the snapshot."""


@dataclass(frozen=True, slots=True)
class Posting:
    account_code: str
    date: dt.date
    amount: Decimal
    record: RecordRef


def _sign(doc: Invoice | CreditNote | BankTransaction) -> int:
    """+1 when the document's lines are debits, -1 when they are credits."""
    if isinstance(doc, Invoice):
        return 1 if doc.kind == "bill" else -1
    if isinstance(doc, CreditNote):
        return 1 if doc.kind == "sales" else -1
    return 1 if doc.kind == "spend" else -1


def postings(snapshot: LedgerSnapshot, codes: Collection[str] | None = None) -> Iterator[Posting]:
    """Every posting of the snapshot (to ``codes`` only, when given), in no set order."""
    docs: list[Invoice | CreditNote | BankTransaction] = []
    docs += [d for d in snapshot.invoices if d.status in LIVE_STATUSES]
    docs += [d for d in snapshot.credit_notes if d.status in LIVE_STATUSES]
    docs += [t for t in snapshot.bank_transactions if t.status == "authorised"]
    for doc in docs:
        sign = _sign(doc)
        for line in doc.lines:
            code = line.account_code
            if code is not None and (codes is None or code in codes):
                yield Posting(code, doc.date, line.amount * sign, doc_ref(doc))
    for j in snapshot.journals:
        if j.source_type.lower() in DOCUMENT_SOURCE_TYPES:
            continue
        ref = RecordRef(type="journal", id=j.id, label=j.number or j.id)
        for jl in j.lines:
            if codes is None or jl.account_code in codes:
                yield Posting(jl.account_code, j.date, jl.amount, ref)


def balance(snapshot: LedgerSnapshot, codes: Collection[str], on: dt.date) -> Decimal:
    """The balance (debit positive) of the accounts ``codes`` at the end of ``on``."""
    return sum((p.amount for p in postings(snapshot, codes) if p.date <= on), Decimal(0))
