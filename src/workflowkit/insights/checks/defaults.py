"""``contact-defaults``: active contacts without a default account or tax code.

A contact with defaults is coded the same way every time (Xero fills the account and
tax rate of each new line from them); one without is coded afresh each time, which is
how multi-coded contacts start. A contact counts as a customer when it has sales
documents (invoices, sales credit notes, money received) and as a supplier when it has
purchase documents, in the ``active_within_days`` up to the as-of date, with at least
``min_documents`` of them. For each side it has, its default account code (``require``
accounts or both) and tax code (tax_codes or both) must be set. QuickBooks Online
keeps no contact defaults, so the check does not apply to it. Finding:
``missing-contact-default`` (a warning) naming the contact, the missing defaults and the
code its documents use most, the one to set.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from workflowkit.insights.checks._common import Document, doc_ref, plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LIVE_STATUSES, BankTransaction, Invoice, LedgerSnapshot
from workflowkit.templates.data_checks import ContactDefaultsParams

CHECK = "contact-defaults"


def side_of(doc: Document) -> str:
    """``sales`` or ``purchases``."""
    if isinstance(doc, Invoice):
        return "sales" if doc.kind == "invoice" else "purchases"
    if isinstance(doc, BankTransaction):
        return "sales" if doc.kind == "receive" else "purchases"
    return doc.kind


def _live(doc: Document) -> bool:
    return (
        doc.status == "authorised"
        if isinstance(doc, BankTransaction)
        else (doc.status in LIVE_STATUSES)
    )


def run(snapshot: LedgerSnapshot, params: ContactDefaultsParams, *, as_of: dt.date) -> CheckResult:
    if snapshot.organisation.source == "qbo":
        return result(CHECK, "QuickBooks Online keeps no contact defaults: not applicable")
    since = as_of - dt.timedelta(days=params.active_within_days)
    docs: dict[tuple[str, str], list[Document]] = defaultdict(list)
    every: list[Document] = [
        *snapshot.invoices,
        *snapshot.credit_notes,
        *snapshot.bank_transactions,
    ]
    for doc in every:
        if doc.contact_id is None or not (since < doc.date <= as_of) or not _live(doc):
            continue
        docs[(doc.contact_id, side_of(doc))].append(doc)
    want_accounts = params.require in ("accounts", "both")
    want_tax = params.require in ("tax_codes", "both")
    findings: list[Finding] = []
    looked = 0
    for (contact_id, side), found in sorted(docs.items()):
        contact = snapshot.contacts_by_id.get(contact_id)
        if contact is None or contact.status != "active" or len(found) < params.min_documents:
            continue
        looked += 1
        account = contact.sales_account_code if side == "sales" else contact.purchases_account_code
        tax = contact.sales_tax_code if side == "sales" else contact.purchases_tax_code
        missing: list[str] = []
        if want_accounts and not account:
            used = Counter(ln.account_code for d in found for ln in d.lines if ln.account_code)
            top = f" (its documents use {used.most_common(1)[0][0]})" if used else ""
            missing.append(f"default {side} account{top}")
        if want_tax and not tax:
            used = Counter(ln.tax_code for d in found for ln in d.lines if ln.tax_code)
            top = f" (its documents use {used.most_common(1)[0][0]})" if used else ""
            missing.append(f"default {side} tax code{top}")
        if not missing:
            continue
        findings.append(
            Finding(
                code="missing-contact-default",
                severity=FindingSeverity.WARNING,
                message=f"{contact.name}: no {' and no '.join(missing)}; "
                f"{plural(len(found), 'document')} since {since.isoformat()}",
                records=(
                    RecordRef(type="contact", id=contact.id, label=contact.name),
                    *(doc_ref(d) for d in found[:5]),
                ),
            )
        )
    scope = f"active contacts with {params.min_documents}+ documents since {since.isoformat()}"
    seen = plural(looked, "customer or supplier", "customers and suppliers")
    if findings:
        summary = f"{len(findings):,} of {seen} lack defaults ({scope})"
    else:
        summary = f"All {seen} have their defaults ({scope})"
    return result(CHECK, summary, findings)
