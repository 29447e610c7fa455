"""``regular-suppliers``: a supplier billed every month has no bill this period.

The period is the last complete month (the last one ending on or before the as-of
date). A supplier is *regular* when it has a live bill (and, with
``include_bank_transactions``, money spent with it) dated in each of the
``history_months`` months just before the period. A regular supplier with nothing dated
in the period is an expected bill that is missing: not yet entered, lost in the inbox,
or a direct debit the bank feed has not brought in (``expected-bill-missing``, a
warning). Its amount is the median of the supplier's monthly totals over the history
months (in each document's currency, the most used one); the records are the supplier
and its latest documents. Archived suppliers are left out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from workflowkit.insights.checks._common import Document, add_months, doc_ref, money, result
from workflowkit.insights.checks.controls import last_complete_month
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LIVE_STATUSES, LedgerSnapshot
from workflowkit.templates.data_checks import RegularSuppliersParams

CHECK = "regular-suppliers"


def month_key(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def run(snapshot: LedgerSnapshot, params: RegularSuppliersParams, *, as_of: dt.date) -> CheckResult:
    first, end = last_complete_month(as_of)
    period = month_key(first)
    history = range(period - params.history_months, period)
    earliest = add_months(first, -params.history_months)
    docs: list[Document] = [
        d for d in snapshot.invoices if d.kind == "bill" and d.status in LIVE_STATUSES
    ]
    if params.include_bank_transactions:
        docs += [
            t
            for t in snapshot.bank_transactions
            if t.kind == "spend" and t.status == "authorised" and t.contact_id
        ]
    by_supplier: dict[str, dict[int, list[Document]]] = defaultdict(lambda: defaultdict(list))
    for doc in docs:
        if doc.contact_id is None or not (earliest <= doc.date <= end):
            continue
        by_supplier[doc.contact_id][month_key(doc.date)].append(doc)
    findings: list[Finding] = []
    regular = 0
    for contact_id, months in sorted(by_supplier.items()):
        contact = snapshot.contacts_by_id.get(contact_id)
        if contact is None or contact.status != "active":
            continue
        if any(m not in months for m in history):
            continue
        regular += 1
        if period in months:
            continue
        seen = [d for m in history for d in months[m]]
        currency = Counter(d.currency for d in seen).most_common(1)[0][0]
        totals = [
            sum((d.total for d in months[m] if d.currency == currency), Decimal(0)) for m in history
        ]
        typical = statistics.median(totals)
        latest = sorted(seen, key=lambda d: (d.date, d.id), reverse=True)[:3]
        findings.append(
            Finding(
                code="expected-bill-missing",
                severity=FindingSeverity.WARNING,
                message=f"{contact.name}: billed in each of {_label(history[0])} to "
                f"{_label(history[-1])} (typically {money(typical, currency)} a month) but "
                f"nothing dated in {_label(period)}; last "
                + ", ".join(f"{doc_ref(d).label} on {d.date.isoformat()}" for d in latest),
                amount=typical,
                currency=currency,
                records=(
                    RecordRef(type="contact", id=contact.id, label=contact.name),
                    *(doc_ref(d) for d in latest),
                ),
            )
        )
    summary = (
        f"{len(findings):,} of {regular:,} regular supplier(s) (billed in each of the "
        f"{params.history_months} months before {_label(period)}) have nothing dated in "
        f"{_label(period)}"
    )
    return result(CHECK, summary, findings)
