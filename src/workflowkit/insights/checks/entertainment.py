"""``entertainment``: input VAT reclaimed on business entertainment.

The Value Added Tax (Input Tax) Order 1992 (SI 1992/3222), article 5, blocks the
recovery of input tax on business entertainment: "entertainment (including hospitality
of any kind) provided by a taxable person in connection with a business carried on by
him", other than entertainment of the business's own employees (art 5(3)). So a bill or
money spent coded to an entertainment account should carry no VAT.

An entertainment account is one listed in ``accounts``, or one whose name contains one
of ``name_words`` ("Entertainment", "Client hospitality") and none of
``exclude_name_words`` ("Staff entertainment" is recoverable). A line on such an account,
dated in the ``lookback_days`` up to the as-of date, with a tax amount above zero, or a
tax code of the standard or reduced kind, reclaims blocked VAT
(``vat-on-entertainment``, an error; its amount is the VAT). A VAT-registered client
only: an unregistered one reclaims nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workflowkit.insights.checks._common import Document, doc_ref, doc_words, money, plural, result
from workflowkit.insights.checks.vat import XERO_UK_TAX_TYPES
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity
from workflowkit.insights.snapshot import LIVE_STATUSES, LedgerSnapshot
from workflowkit.templates.data_checks import EntertainmentParams

CHECK = "entertainment"
CITATION = "VAT (Input Tax) Order 1992 art 5"


def entertainment_accounts(snapshot: LedgerSnapshot, params: EntertainmentParams) -> set[str]:
    """The account codes (or ids) treated as business entertainment."""
    out = set(params.accounts)
    words = [w.lower() for w in params.name_words]
    exclude = [w.lower() for w in params.exclude_name_words]
    for a in snapshot.accounts:
        name = a.name.lower()
        if any(w in name for w in words) and not any(w in name for w in exclude):
            out.add(a.code or a.id)
    return out


def run(snapshot: LedgerSnapshot, params: EntertainmentParams, *, as_of: dt.date) -> CheckResult:
    if not snapshot.organisation.vat_registered:
        return result(CHECK, "Not VAT-registered: no input VAT is reclaimed")
    since = as_of - dt.timedelta(days=params.lookback_days)
    codes = entertainment_accounts(snapshot, params)
    kinds = dict(XERO_UK_TAX_TYPES)
    kinds.update({t.code: t.kind for t in snapshot.tax_rates})
    bills = [d for d in snapshot.invoices if d.kind == "bill" and d.status in LIVE_STATUSES]
    spends = [
        t for t in snapshot.bank_transactions if t.kind == "spend" and t.status == "authorised"
    ]
    findings: list[Finding] = []
    total = Decimal(0)
    docs: list[Document] = [*bills, *spends]
    for doc in docs:
        if not (since < doc.date <= as_of):
            continue
        for line in doc.lines:
            if line.account_code not in codes:
                continue
            kind = kinds.get(line.tax_code or "")
            if line.tax_amount <= 0 and kind not in ("standard", "reduced"):
                continue
            total += line.tax_amount
            findings.append(
                Finding(
                    code="vat-on-entertainment",
                    severity=FindingSeverity.ERROR,
                    message=f"{doc_words(doc)} from {snapshot.contact_name(doc.contact_id)} on "
                    f"{doc.date.isoformat()}: {money(line.amount, doc.currency)} to "
                    f"{snapshot.account_label(line.account_code or '')} reclaims "
                    f"{money(line.tax_amount, doc.currency)} VAT (tax code "
                    f"{line.tax_code or 'none'}); input tax on business entertainment is "
                    f"blocked ({CITATION}): recode it to no VAT",
                    amount=line.tax_amount,
                    currency=doc.currency,
                    records=(doc_ref(doc),),
                )
            )
    accounts = ", ".join(sorted(codes)) or "none"
    summary = (
        f"{plural(len(findings), 'entertainment line')} reclaiming VAT ({money(total)}) "
        f"since {since.isoformat()} (entertainment accounts: {accounts})"
    )
    return result(CHECK, summary, findings)
