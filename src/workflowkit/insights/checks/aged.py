"""``aged-receivables`` and ``aged-payables``: ageing buckets, the oldest items, and the
contacts whose old balances pass a threshold.

Outstanding documents are the live invoices (or bills) with an amount due, dated up to
the as-of date. Each is aged in days past its due date (or past its date, with
``age_by: date``; a document without a due date is aged from its date) and put in a
bucket: current (not yet due), then up to each edge of ``buckets_days``, then older.
Totals are per currency. A contact whose documents more than ``overdue_after_days``
old add up to more than ``contact_threshold`` (in one currency) is an issue; the
buckets and the oldest items are reported as information. The amounts due are those
of the snapshot, so run the check on a snapshot taken at the reporting date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Literal

from workflowkit.insights.checks._common import by_currency, doc_ref, money, plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LIVE_STATUSES, Invoice, LedgerSnapshot
from workflowkit.templates.data_checks import (
    AgedBalancesParams,
    AgedPayablesParams,
    AgedReceivablesParams,
)


def bucket_labels(edges: tuple[int, ...]) -> list[str]:
    labels = ["current"]
    low = 1
    for edge in edges:
        labels.append(f"{low}-{edge} days")
        low = edge + 1
    labels.append(f"{low}+ days")
    return labels


def bucket_of(days: int, edges: tuple[int, ...]) -> int:
    """0 for current (``days <= 0``), then 1.. for each edge, then the last bucket."""
    if days <= 0:
        return 0
    for i, edge in enumerate(edges):
        if days <= edge:
            return i + 1
    return len(edges) + 1


def _age(d: Invoice, as_of: dt.date, age_by: str) -> int:
    start = d.due_date if age_by == "due_date" and d.due_date is not None else d.date
    return (as_of - start).days


def _run(
    snapshot: LedgerSnapshot,
    params: AgedBalancesParams,
    as_of: dt.date,
    kind: Literal["invoice", "bill"],
    check: str,
) -> CheckResult:
    docs = [
        d
        for d in snapshot.invoices
        if d.kind == kind and d.status in LIVE_STATUSES and d.amount_due > 0 and d.date <= as_of
    ]
    noun = "invoice" if kind == "invoice" else "bill"
    who = "customer" if kind == "invoice" else "supplier"
    late = "overdue" if params.age_by == "due_date" else "old"
    edges = params.buckets_days
    labels = bucket_labels(edges)
    buckets: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(labels))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    old: dict[tuple[str, str], list[tuple[int, Invoice]]] = defaultdict(list)
    aged: list[tuple[int, Invoice]] = []
    for d in docs:
        days = _age(d, as_of, params.age_by)
        buckets[d.currency][bucket_of(days, edges)] += d.amount_due
        totals[d.currency] += d.amount_due
        aged.append((days, d))
        if days > params.overdue_after_days:
            old[(d.contact_id, d.currency)].append((days, d))
    findings: list[Finding] = []
    over: dict[str, Decimal] = defaultdict(Decimal)
    flagged = 0
    for (contact, currency), items in sorted(old.items()):
        amount = sum((d.amount_due for _, d in items), Decimal(0))
        if amount <= params.contact_threshold:
            continue
        flagged += 1
        over[currency] += amount
        items.sort(key=lambda x: (-x[0], x[1].id))
        first = items[0][1]
        findings.append(
            Finding(
                code="overdue-contact",
                severity=FindingSeverity.WARNING,
                message=(
                    f"{snapshot.contact_name(contact)}: {money(amount, currency)} on "
                    f"{plural(len(items), noun)} more than {params.overdue_after_days} days "
                    f"{late} (oldest {first.number or first.id}, {items[0][0]} days)"
                ),
                amount=amount,
                currency=currency,
                records=(
                    RecordRef(type="contact", id=contact, label=snapshot.contact_name(contact)),
                    *(doc_ref(d) for _, d in items),
                ),
            )
        )
    for currency in sorted(buckets):
        row = buckets[currency]
        text = ", ".join(f"{label} {money(v)}" for label, v in zip(labels, row, strict=True))
        findings.append(
            Finding(
                code="ageing",
                severity=FindingSeverity.INFO,
                message=f"{currency}: {text} (total {money(totals[currency])})",
                amount=totals[currency],
                currency=currency,
            )
        )
    aged.sort(key=lambda x: (-x[0], x[1].id))
    for days, d in aged[: params.top_items]:
        if days <= 0:
            break
        findings.append(
            Finding(
                code="oldest-item",
                severity=FindingSeverity.INFO,
                message=(
                    f"{noun} {d.number or d.id} ({snapshot.contact_name(d.contact_id)}), "
                    f"{days} days {late}: {money(d.amount_due, d.currency)} due"
                ),
                amount=d.amount_due,
                currency=d.currency,
                records=(doc_ref(d),),
            )
        )
    if not docs:
        return result(check, f"No outstanding {noun}s at {as_of.isoformat()}", findings)
    summary = f"{by_currency(totals)} outstanding on {plural(len(docs), noun)}"
    if flagged:
        summary += (
            f"; {plural(flagged, who)} with {by_currency(over)} more than "
            f"{params.overdue_after_days} days {late}"
        )
    else:
        summary += (
            f"; no {who} over the threshold more than {params.overdue_after_days} days {late}"
        )
    return result(check, summary, findings)


def run_receivables(
    snapshot: LedgerSnapshot, params: AgedReceivablesParams, *, as_of: dt.date
) -> CheckResult:
    return _run(snapshot, params, as_of, "invoice", "aged-receivables")


def run_payables(
    snapshot: LedgerSnapshot, params: AgedPayablesParams, *, as_of: dt.date
) -> CheckResult:
    return _run(snapshot, params, as_of, "bill", "aged-payables")
