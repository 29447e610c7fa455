"""``vat-forward-look``: taxable turnover expected in the next 30 days alone.

The Value Added Tax Act 1994, Schedule 1, paragraph 1(1)(b): a person becomes liable
to be registered "at any time, if there are reasonable grounds for believing that the
value of his taxable supplies in the period of 30 days then beginning will exceed"
the registration threshold (GBP 90,000 from 1 April 2024). Paragraph 6 then requires
HMRC to be told by the end of those 30 days, and registration takes effect from their
beginning. This is the forward test; ``vat-sanity`` looks back over 12 months.

For a client that is not VAT-registered, the period is the 30 days beginning on the
as-of date (the as-of date and the 29 days after it). What the snapshot says will be
supplied in it:

- sales invoices dated in the period (authorised or submitted; drafts too with
  ``include_drafts``), as the ledger holds invoices raised ahead;
- each occurrence in the period of a repeating sales invoice (``repeating_invoices``,
  authorised; drafts with ``include_drafts``): its ``next_date``, then every ``every``
  weeks or months, up to its ``end_date``.

Taxable value: the net amount of every line but exempt ones, posted to income accounts
(or accounts the chart does not list), as for ``vat-sanity``; a repeating invoice
without lines counts its total. Foreign-currency documents count through their
``base_total`` (left out, and said so, without one). Over the threshold is an error
(``vat-registration-forward-look``); at or above ``approaching_ratio`` of it a warning.
The records are the documents expected, the largest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from workflowkit.insights.checks._common import add_months, money, plural, result
from workflowkit.insights.checks.vat import REGISTRATION_THRESHOLDS, XERO_UK_TAX_TYPES, in_force
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import (
    INCOME_TYPES,
    MAX_DATE,
    LedgerSnapshot,
    Line,
    RepeatingInvoice,
)
from workflowkit.templates.data_checks import VatForwardLookParams

CHECK = "vat-forward-look"
PERIOD_DAYS = 30
MAX_RECORDS = 10
_CENT = Decimal("0.01")


def occurrences(rep: RepeatingInvoice, start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The dates in [start, end] on which ``rep`` raises an invoice."""
    last = min(end, rep.end_date or end, MAX_DATE)
    k = 0
    if rep.unit == "week":
        step = 7 * rep.every
        if rep.next_date < start:
            k = -(-(start - rep.next_date).days // step)
        while (day := rep.next_date + dt.timedelta(days=step * k)) <= last:
            yield day
            k += 1
        return
    if rep.next_date < start:
        gap = (start.year - rep.next_date.year) * 12 + start.month - rep.next_date.month
        k = max(0, gap // rep.every - 1)
    while (day := add_months(rep.next_date, rep.every * k)) <= last:
        if day >= start:
            yield day
        k += 1


def _taxable(snapshot: LedgerSnapshot, lines: tuple[Line, ...], total: Decimal) -> Decimal:
    if not lines:
        return total
    kinds = dict(XERO_UK_TAX_TYPES)
    kinds.update({t.code: t.kind for t in snapshot.tax_rates})
    accounts = snapshot.accounts_by_code
    out = Decimal(0)
    for line in lines:
        account = accounts.get(line.account_code or "")
        if account is not None and account.type not in INCOME_TYPES:
            continue
        if kinds.get(line.tax_code or "") != "exempt":
            out += line.amount
    return out


def expected_supplies(
    snapshot: LedgerSnapshot, start: dt.date, end: dt.date, *, include_drafts: bool
) -> tuple[list[tuple[Decimal, RecordRef, dt.date]], int]:
    """(taxable value in the base currency, record, date) of each expected supply in
    [start, end], and how many foreign-currency documents were left out."""
    base = snapshot.organisation.base_currency
    statuses = {"submitted", "authorised", *(("draft",) if include_drafts else ())}
    out: list[tuple[Decimal, RecordRef, dt.date]] = []
    skipped = 0
    for doc in snapshot.invoices:
        if doc.kind != "invoice" or doc.status not in statuses or not start <= doc.date <= end:
            continue
        if doc.currency != base and not (doc.base_total is not None and doc.total):
            skipped += 1
            continue
        rate = Decimal(1) if doc.currency == base else doc.base_total / doc.total  # type: ignore[operator]
        ref = RecordRef(type="invoice", id=doc.id, label=doc.number or doc.id)
        out.append((_taxable(snapshot, doc.lines, doc.total) * rate, ref, doc.date))
    rep_statuses = {"authorised", *(("draft",) if include_drafts else ())}
    for rep in snapshot.repeating_invoices:
        if rep.kind != "invoice" or rep.status not in rep_statuses:
            continue
        if rep.currency != base and not (rep.base_total is not None and rep.total):
            skipped += 1
            continue
        rate = Decimal(1) if rep.currency == base else rep.base_total / rep.total  # type: ignore[operator]
        value = _taxable(snapshot, rep.lines, rep.total) * rate
        for day in occurrences(rep, start, end):
            label = f"{rep.reference or rep.id} on {day.isoformat()}"
            out.append((value, RecordRef(type="repeating_invoice", id=rep.id, label=label), day))
    return out, skipped


def run(snapshot: LedgerSnapshot, params: VatForwardLookParams, *, as_of: dt.date) -> CheckResult:
    if snapshot.organisation.vat_registered:
        return result(CHECK, "VAT-registered: the registration forward look does not apply")
    base = snapshot.organisation.base_currency
    end = as_of + dt.timedelta(days=PERIOD_DAYS - 1)
    supplies, skipped = expected_supplies(
        snapshot, as_of, end, include_drafts=params.include_drafts
    )
    value = sum((v for v, _, _ in supplies), Decimal(0)).quantize(_CENT, ROUND_HALF_UP)
    limit = params.registration_threshold or in_force(REGISTRATION_THRESHOLDS, as_of)
    period = f"{as_of.isoformat()} to {end.isoformat()}"
    text = (
        f"Taxable turnover expected in the 30 days {period}: {money(value, base)} from "
        f"{plural(len(supplies), 'invoice')} dated or scheduled in them"
    )
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
    if limit is None:
        return result(CHECK, f"{text}; no registration threshold before 2013", findings)
    ranked = sorted(supplies, key=lambda s: (-s[0], s[2], s[1].id))
    records = tuple(ref for _, ref, _ in ranked[:MAX_RECORDS])
    if value > limit:
        findings.append(
            Finding(
                code="vat-registration-forward-look",
                severity=FindingSeverity.ERROR,
                message=f"{text}: over the {money(limit, base)} threshold in 30 days alone "
                f"(VATA 1994 Sch 1 para 1(1)(b)): tell HMRC by {end.isoformat()}; "
                f"registration takes effect from {as_of.isoformat()} (para 6)",
                amount=value,
                currency=base,
                records=records,
            )
        )
    elif value >= limit * params.approaching_ratio:
        share = (value / limit * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        findings.append(
            Finding(
                code="vat-registration-forward-look",
                severity=FindingSeverity.WARNING,
                message=f"{text}: {share}% of the {money(limit, base)} threshold for 30 days "
                "alone (VATA 1994 Sch 1 para 1(1)(b)); over it, registration is due",
                amount=value,
                currency=base,
                records=records,
            )
        )
    return result(CHECK, f"{text} (threshold {money(limit, base)})", findings)
