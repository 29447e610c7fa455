"""``debtor-days`` and ``customer-reliance``: how long customers take, and who they are.

**Average debtor days** = trade debtors / credit sales x days, over the
``period_days`` up to the as-of date, in the base currency:

- trade debtors: the amount due of the live sales invoices dated up to the as-of date,
  less the unallocated credit (``remaining_credit``) of sales credit notes;
- credit sales: the totals (gross, as debtors are) of the live sales invoices dated in
  the period, less those of sales credit notes.

The period is the ``period_days`` up to the as-of date, or fewer when the snapshot's
first sales invoice is later: from that invoice's date to the as-of date, both counted
(a ledger with three months of history is measured over those three months).

Foreign-currency documents count through their ``base_total``; those without one are
left out and said so. More than ``max_days`` is a warning (``debtor-days-high``) listing
the largest amounts due. The result does not depend on the order of the records.

**Customer reliance**: each customer's share of net sales (invoices and money received,
less sales credit notes, net of VAT, in the base currency) over the ``period_days`` up
to the as-of date, among the customers with positive net sales. A customer above the
``threshold`` share is a warning (``customer-reliance``): losing it would cost that
share of the business. Shares are exact fractions and add up to exactly 1.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from workflowkit.insights.checks._common import doc_ref, money, plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import (
    LIVE_STATUSES,
    BankTransaction,
    CreditNote,
    Invoice,
    LedgerSnapshot,
)
from workflowkit.templates.data_checks import CustomerRelianceParams, DebtorDaysParams

_CENT = Decimal("0.01")
MAX_RECORDS = 10


def _rate(doc: Invoice | CreditNote | BankTransaction, base: str) -> Decimal | None:
    if doc.currency == base:
        return Decimal(1)
    if doc.base_total is not None and doc.total:
        return doc.base_total / doc.total
    return None


def debtor_days(
    snapshot: LedgerSnapshot, as_of: dt.date, period_days: int
) -> tuple[Decimal, Decimal, Decimal | None, int, int]:
    """(trade debtors, credit sales, debtor days or None without sales, days of the period,
    documents left out)."""
    base = snapshot.organisation.base_currency
    first = min(
        (d.date for d in snapshot.invoices if d.kind == "invoice" and d.status in LIVE_STATUSES),
        default=as_of,
    )
    period_days = max(1, min(period_days, (as_of - first).days + 1))
    start = as_of - dt.timedelta(days=period_days)
    debtors = sales = Decimal(0)
    skipped = 0
    for doc in snapshot.invoices:
        if doc.kind != "invoice" or doc.status not in LIVE_STATUSES or doc.date > as_of:
            continue
        rate = _rate(doc, base)
        if rate is None:
            skipped += 1
            continue
        debtors += doc.amount_due * rate
        if doc.date > start:
            sales += doc.total * rate
    for note in snapshot.credit_notes:
        if note.kind != "sales" or note.status not in LIVE_STATUSES or note.date > as_of:
            continue
        rate = _rate(note, base)
        if rate is None:
            skipped += 1
            continue
        debtors -= note.remaining_credit * rate
        if note.date > start:
            sales -= note.total * rate
    debtors, sales = debtors.quantize(_CENT, ROUND_HALF_UP), sales.quantize(_CENT, ROUND_HALF_UP)
    if sales <= 0:
        return debtors, sales, None, period_days, skipped
    days = (debtors / sales * period_days).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return debtors, sales, days, period_days, skipped


def run_debtor_days(
    snapshot: LedgerSnapshot, params: DebtorDaysParams, *, as_of: dt.date
) -> CheckResult:
    check = "debtor-days"
    base = snapshot.organisation.base_currency
    debtors, sales, days, period, skipped = debtor_days(snapshot, as_of, params.period_days)
    findings: list[Finding] = []
    if skipped:
        findings.append(
            Finding(
                code="foreign-currency-left-out",
                severity=FindingSeverity.INFO,
                message=f"{plural(skipped, 'foreign-currency document')} without a base-currency "
                "total left out",
            )
        )
    if days is None:
        return result(
            check,
            f"No credit sales in the {params.period_days} days to {as_of.isoformat()}: "
            f"debtor days not computed (debtors {money(debtors, base)})",
            findings,
        )
    text = (
        f"Average debtor days {days} ({money(debtors, base)} owed / {money(sales, base)} "
        f"credit sales x {period} days)"
    )
    if days > params.max_days:
        owing = [
            d
            for d in snapshot.invoices
            if d.kind == "invoice"
            and d.status in LIVE_STATUSES
            and d.date <= as_of
            and d.amount_due > 0
        ]
        owing.sort(key=lambda d: (-d.amount_due, d.date, d.id))
        findings.append(
            Finding(
                code="debtor-days-high",
                severity=FindingSeverity.WARNING,
                message=f"{text}: above {params.max_days} days; chase the largest amounts due",
                amount=debtors,
                currency=base,
                records=tuple(doc_ref(d) for d in owing[:MAX_RECORDS]),
            )
        )
    return result(check, text, findings)


def customer_shares(
    snapshot: LedgerSnapshot, start: dt.date, end: dt.date
) -> tuple[dict[str, Fraction], Decimal, int]:
    """(share of each customer with positive net sales in (start, end], their total, left out).

    The shares are exact and add up to 1 (an empty mapping when nobody has sales).
    """
    base = snapshot.organisation.base_currency
    net: dict[str, Decimal] = defaultdict(Decimal)
    skipped = 0
    docs: list[Invoice | CreditNote | BankTransaction] = []
    docs += [d for d in snapshot.invoices if d.kind == "invoice" and d.status in LIVE_STATUSES]
    docs += [c for c in snapshot.credit_notes if c.kind == "sales" and c.status in LIVE_STATUSES]
    docs += [
        t
        for t in snapshot.bank_transactions
        if t.kind == "receive" and t.status == "authorised" and t.contact_id
    ]
    for doc in docs:
        if doc.contact_id is None or not (start < doc.date <= end):
            continue
        rate = _rate(doc, base)
        if rate is None:
            skipped += 1
            continue
        amount = sum((ln.amount for ln in doc.lines), Decimal(0)) if doc.lines else doc.total
        net[doc.contact_id] += amount * rate * (-1 if isinstance(doc, CreditNote) else 1)
    positive = {c: v for c, v in net.items() if v > 0}
    total = sum(positive.values(), Decimal(0))
    shares = {c: Fraction(v) / Fraction(total) for c, v in positive.items()}
    return shares, total, skipped


def _percent(share: Fraction) -> str:
    value = Decimal(share.numerator) / Decimal(share.denominator) * 100
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def run_customer_reliance(
    snapshot: LedgerSnapshot, params: CustomerRelianceParams, *, as_of: dt.date
) -> CheckResult:
    check = "customer-reliance"
    base = snapshot.organisation.base_currency
    start = as_of - dt.timedelta(days=params.period_days)
    shares, total, skipped = customer_shares(snapshot, start, as_of)
    total = total.quantize(_CENT, ROUND_HALF_UP)
    if not shares:
        return result(check, f"No sales in the {params.period_days} days to {as_of.isoformat()}")
    ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
    limit = Fraction(params.threshold)
    findings: list[Finding] = []
    for contact_id, share in ranked:
        if share <= limit:
            break
        name = snapshot.contact_name(contact_id)
        amount = (total * Decimal(share.numerator) / Decimal(share.denominator)).quantize(
            _CENT, ROUND_HALF_UP
        )
        findings.append(
            Finding(
                code="customer-reliance",
                severity=FindingSeverity.WARNING,
                message=f"{name} is {_percent(share)} of net sales ({money(amount, base)} of "
                f"{money(total, base)}) in the {params.period_days} days to "
                f"{as_of.isoformat()}, above {_percent(limit)}",
                amount=amount,
                currency=base,
                records=(RecordRef(type="contact", id=contact_id, label=name),),
            )
        )
    if skipped:
        findings.append(
            Finding(
                code="foreign-currency-left-out",
                severity=FindingSeverity.INFO,
                message=f"{plural(skipped, 'foreign-currency document')} without a base-currency "
                "total left out",
            )
        )
    top = ", ".join(f"{snapshot.contact_name(c)} {_percent(s)}" for c, s in ranked[: params.top])
    summary = (
        f"Largest customers of {plural(len(shares), 'customer')} ({money(total, base)} net "
        f"sales): {top}"
    )
    return result(check, summary, findings)
