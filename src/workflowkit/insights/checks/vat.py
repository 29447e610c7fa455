"""``vat-sanity``: large zero-rated and no-VAT lines, and VAT thresholds.

1. For a VAT-registered client, every invoice, bill, credit note and bank transaction
   line in the VAT period (``period_start``, default ``period_months`` back, to the
   as-of date) coded zero-rated or no VAT with a net amount of at least
   ``line_threshold`` is listed for review (exempt lines are not).
2. Turnover over the 12 months to the as-of date, in the base currency, from sales
   lines (invoices and money received, less sales credit notes) posted to income
   accounts (or accounts the chart does not list). Foreign-currency documents count
   through their ``base_total``; those without one are left out and said so.

   - Not registered: taxable turnover (every line but exempt ones) against the VAT
     registration threshold in force at the as-of date (GBP 90,000 from 1 April 2024,
     85,000 from 1 April 2017...).
   - Flat Rate Scheme: total income including VAT (every line, gross) against the
     GBP 230,000 at which a business must leave the scheme.
   - Cash Accounting Scheme (cash basis, not flat rate) and Annual Accounting Scheme:
     taxable turnover (standard, reduced and zero-rated lines) against the GBP 1.6m
     at which a business must leave.

   At or above ``approaching_ratio`` of a threshold is a warning ("approaching"); above
   it is an error ("passed"). The last 12 months stand in for HMRC's tests, which look
   back (registration, flat rate) or forward (the schemes) over 12 months.

Tax codes mean what the snapshot's ``tax_rates`` say; without them, Xero's UK tax types
are known (ZERORATEDOUTPUT, NONE, EXEMPTINPUT...); ``zero_rated_codes`` and
``no_vat_codes`` add codes of the practice's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from workflowkit.insights.checks._common import Document, add_months, doc_ref, money, plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity
from workflowkit.insights.snapshot import (
    INCOME_TYPES,
    LIVE_STATUSES,
    BankTransaction,
    CreditNote,
    Invoice,
    LedgerSnapshot,
    Line,
)
from workflowkit.templates.data_checks import VatSanityParams

CHECK = "vat-sanity"

XERO_UK_TAX_TYPES: dict[str, str] = {
    "OUTPUT2": "standard",
    "INPUT2": "standard",
    "CAPEXOUTPUT2": "standard",
    "CAPEXINPUT2": "standard",
    "SROUTPUT": "standard",
    "SRINPUT": "standard",
    "CAPEXSROUTPUT": "standard",
    "CAPEXSRINPUT": "standard",
    "CAPEXOUTPUT": "standard",
    "CAPEXINPUT": "standard",
    "RROUTPUT": "reduced",
    "RRINPUT": "reduced",
    "ZERORATEDOUTPUT": "zero_rated",
    "ZERORATEDINPUT": "zero_rated",
    "ECZROUTPUT": "zero_rated",
    "ECZROUTPUTSERVICES": "zero_rated",
    "ECZRINPUT": "zero_rated",
    "EXEMPTOUTPUT": "exempt",
    "EXEMPTINPUT": "exempt",
    "NONE": "no_vat",
    "REVERSECHARGES": "reverse_charge",
    "ECACQUISITIONS": "reverse_charge",
    "GSTONIMPORTS": "other",
}
"""What Xero's UK tax types mean, for snapshots that carry no tax rates."""

REGISTRATION_THRESHOLDS: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(2024, 4, 1), Decimal(90_000)),
    (dt.date(2017, 4, 1), Decimal(85_000)),
    (dt.date(2016, 4, 1), Decimal(83_000)),
    (dt.date(2015, 4, 1), Decimal(82_000)),
    (dt.date(2014, 4, 1), Decimal(81_000)),
    (dt.date(2013, 4, 1), Decimal(79_000)),
)
"""UK VAT registration threshold (taxable turnover over the last 12 months), newest first."""

FLAT_RATE_LEAVE: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(2011, 1, 4), Decimal(230_000)),
    (dt.date(2009, 4, 1), Decimal(225_000)),
)
"""Flat Rate Scheme: total income including VAT above which a business must leave."""

CASH_ACCOUNTING_LEAVE: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(2007, 4, 1), Decimal(1_600_000)),
)
ANNUAL_ACCOUNTING_LEAVE: tuple[tuple[dt.date, Decimal], ...] = (
    (dt.date(2006, 4, 1), Decimal(1_600_000)),
)


def in_force(table: tuple[tuple[dt.date, Decimal], ...], day: dt.date) -> Decimal | None:
    for start, value in table:
        if day >= start:
            return value
    return None


def tax_kinds(snapshot: LedgerSnapshot, params: VatSanityParams) -> dict[str, str]:
    """Tax code -> kind: the practice's extra codes over the snapshot's over Xero's."""
    kinds = dict(XERO_UK_TAX_TYPES)
    kinds.update({t.code: t.kind for t in snapshot.tax_rates})
    kinds.update({c: "zero_rated" for c in params.zero_rated_codes})
    kinds.update({c: "no_vat" for c in params.no_vat_codes})
    return kinds


def _live(doc: Document) -> bool:
    if isinstance(doc, BankTransaction):
        return doc.status == "authorised"
    return doc.status in LIVE_STATUSES


def _documents(snapshot: LedgerSnapshot) -> Iterator[Document]:
    yield from snapshot.invoices
    yield from snapshot.credit_notes
    yield from snapshot.bank_transactions


def _sales_sign(doc: Document) -> int:
    """+1 for sales, -1 for sales credit notes, 0 for purchases."""
    if isinstance(doc, Invoice):
        return 1 if doc.kind == "invoice" else 0
    if isinstance(doc, CreditNote):
        return -1 if doc.kind == "sales" else 0
    return 1 if doc.kind == "receive" else 0


def _rate(doc: Document, base: str) -> Decimal | None:
    """Base currency per unit of the document's currency (None when unknown)."""
    if doc.currency == base:
        return Decimal(1)
    if doc.base_total is not None and doc.total:
        return doc.base_total / doc.total
    return None


def _turnover(
    snapshot: LedgerSnapshot, start: dt.date, end: dt.date, kinds: dict[str, str]
) -> tuple[Decimal, Decimal, Decimal, int]:
    """(taxable net when not registered, taxable net when registered, gross income,
    foreign documents left out) over [start, end] in the base currency."""
    base = snapshot.organisation.base_currency
    accounts = snapshot.accounts_by_code
    unregistered = registered = gross = Decimal(0)
    skipped = 0
    for doc in _documents(snapshot):
        sign = _sales_sign(doc)
        if not sign or not (start <= doc.date <= end) or not _live(doc):
            continue
        rate = _rate(doc, base)
        if rate is None:
            skipped += 1
            continue
        for line in doc.lines:
            account = accounts.get(line.account_code or "")
            if account is not None and account.type not in INCOME_TYPES:
                continue
            kind = kinds.get(line.tax_code or "")
            net = line.amount * rate * sign
            gross += (line.amount + line.tax_amount) * rate * sign
            if kind != "exempt":
                unregistered += net
            if kind in ("standard", "reduced", "zero_rated"):
                registered += net
    cent = Decimal("0.01")
    return (
        unregistered.quantize(cent, ROUND_HALF_UP),
        registered.quantize(cent, ROUND_HALF_UP),
        gross.quantize(cent, ROUND_HALF_UP),
        skipped,
    )


def _threshold_finding(
    code: str,
    what: str,
    value: Decimal,
    limit: Decimal,
    ratio: Decimal,
    base: str,
    period: str,
    action: str,
) -> Finding | None:
    if value > limit:
        severity = FindingSeverity.ERROR
        tail = f"has passed the {money(limit, base)} threshold: {action}"
    elif value >= limit * ratio:
        severity = FindingSeverity.WARNING
        share = (value / limit * 100).quantize(Decimal(1))
        tail = f"is approaching the {money(limit, base)} threshold ({share}% of it)"
    else:
        return None
    return Finding(
        code=code,
        severity=severity,
        message=f"{what} of {money(value, base)} {period} {tail}",
        amount=value,
        currency=base,
    )


def _large_lines(
    snapshot: LedgerSnapshot,
    start: dt.date,
    end: dt.date,
    kinds: dict[str, str],
    threshold: Decimal,
) -> Iterator[Finding]:
    for doc in _documents(snapshot):
        if not (start <= doc.date <= end) or not _live(doc):
            continue
        for line in _flagged(doc.lines, kinds, threshold):
            kind = kinds[line.tax_code or ""]
            label = "zero-rated" if kind == "zero_rated" else "no VAT"
            code = line.account_code or "no account"
            yield Finding(
                code="zero-rated-line" if kind == "zero_rated" else "no-vat-line",
                severity=FindingSeverity.WARNING,
                message=(
                    f"{snapshot.contact_name(doc.contact_id)}: {money(line.amount, doc.currency)} "
                    f"coded {label} ({line.tax_code}) to {snapshot.account_label(code)} on "
                    f"{doc.date.isoformat()}"
                    + (f": {line.description}" if line.description else "")
                ),
                amount=line.amount,
                currency=doc.currency,
                records=(doc_ref(doc),),
            )


def _flagged(lines: tuple[Line, ...], kinds: dict[str, str], threshold: Decimal) -> list[Line]:
    return [
        line
        for line in lines
        if kinds.get(line.tax_code or "") in ("zero_rated", "no_vat")
        and abs(line.amount) >= threshold
    ]


def run(snapshot: LedgerSnapshot, params: VatSanityParams, *, as_of: dt.date) -> CheckResult:
    org = snapshot.organisation
    base = org.base_currency
    kinds = tax_kinds(snapshot, params)
    day_after = as_of + dt.timedelta(days=1)
    period_start = params.period_start or add_months(day_after, -params.period_months)
    findings: list[Finding] = []
    parts: list[str] = []
    if org.vat_registered:
        lines = list(_large_lines(snapshot, period_start, as_of, kinds, params.line_threshold))
        findings.extend(lines)
        counted = (
            plural(len(lines), "zero-rated or no-VAT line")
            if lines
            else "No zero-rated or no-VAT lines"
        )
        parts.append(
            f"{counted} of "
            f"{money(params.line_threshold)} or more from {period_start.isoformat()} to "
            f"{as_of.isoformat()}"
        )
    year_start = add_months(day_after, -12)
    period = f"in the 12 months to {as_of.isoformat()}"
    ratio = params.approaching_ratio
    # (finding code, what is measured, which turnover, threshold, what it means)
    tests: list[tuple[str, str, str, Decimal | None, str]] = []
    if not org.vat_registered:
        tests.append(
            (
                "vat-registration-threshold",
                "Taxable turnover",
                "unregistered",
                params.registration_threshold or in_force(REGISTRATION_THRESHOLDS, as_of),
                "the business must register for VAT within 30 days of the end of the month "
                "it was passed",
            )
        )
    if org.vat_registered and org.vat_flat_rate:
        tests.append(
            (
                "flat-rate-threshold",
                "Income including VAT",
                "gross",
                in_force(FLAT_RATE_LEAVE, as_of),
                "a business over the limit on the anniversary of joining must leave the "
                "Flat Rate Scheme",
            )
        )
    if org.vat_registered and org.vat_basis == "cash" and not org.vat_flat_rate:
        tests.append(
            (
                "cash-accounting-threshold",
                "Taxable turnover",
                "registered",
                in_force(CASH_ACCOUNTING_LEAVE, as_of),
                "a business over the limit must leave the Cash Accounting Scheme",
            )
        )
    if org.vat_registered and org.vat_annual_accounting:
        tests.append(
            (
                "annual-accounting-threshold",
                "Taxable turnover",
                "registered",
                in_force(ANNUAL_ACCOUNTING_LEAVE, as_of),
                "a business over the limit must leave the Annual Accounting Scheme",
            )
        )
    skipped = 0
    if any(limit is not None for *_, limit, _ in tests):
        unregistered, registered, gross, skipped = _turnover(snapshot, year_start, as_of, kinds)
        values = {"unregistered": unregistered, "registered": registered, "gross": gross}
        for code, what, which, limit, action in tests:
            if limit is None:
                continue
            value = values[which]
            parts.append(f"{what.lower()} {money(value, base)} {period} (threshold {money(limit)})")
            found = _threshold_finding(code, what, value, limit, ratio, base, period, action)
            if found is not None:
                findings.append(found)
    if skipped:
        findings.append(
            Finding(
                code="foreign-currency-left-out",
                severity=FindingSeverity.INFO,
                message=(
                    f"{plural(skipped, 'foreign-currency sales document')} without a "
                    f"base-currency total left out of the turnover"
                ),
            )
        )
    if not parts:
        parts.append("no VAT threshold applies")
    summary = "; ".join(parts)
    return result(CHECK, summary[0].upper() + summary[1:], findings)
