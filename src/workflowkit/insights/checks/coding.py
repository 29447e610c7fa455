"""``multi-coded-contacts``: a contact coded to several accounts or tax codes.

Lines of invoices, bills, credit notes and bank transactions dated from ``since``
(default: ``history_days`` before the as-of date) to the as-of date are grouped by
contact and direction (sales: invoices, sales credit notes, money received; purchases:
bills, supplier credit notes, money spent). Only contacts active during the last
``active_within_days`` (at least one line then) are looked at. A contact whose lines use
more than one account code (or tax code) is flagged, with each code's line count; the
amount is the net value coded away from the contact's most used code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from workflowkit.insights.checks._common import (
    Document,
    doc_ref,
    money,
    plural,
    result,
)
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import (
    LIVE_STATUSES,
    BankTransaction,
    CreditNote,
    Invoice,
    LedgerSnapshot,
)
from workflowkit.templates.data_checks import MultiCodedContactsParams

CHECK = "multi-coded-contacts"
MAX_DOCUMENTS = 10


@dataclass
class _Usage:
    lines: Counter[str] = field(default_factory=Counter)
    net: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    documents: dict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    currencies: set[str] = field(default_factory=set)


def _direction(doc: Document) -> str:
    if isinstance(doc, Invoice):
        return "sales" if doc.kind == "invoice" else "purchases"
    if isinstance(doc, CreditNote):
        return doc.kind
    return "sales" if doc.kind == "receive" else "purchases"


def _live(doc: Document) -> bool:
    if isinstance(doc, BankTransaction):
        return doc.status == "authorised"
    return doc.status in LIVE_STATUSES


def run(
    snapshot: LedgerSnapshot, params: MultiCodedContactsParams, *, as_of: dt.date
) -> CheckResult:
    since = params.since or as_of - dt.timedelta(days=params.history_days)
    active_from = as_of - dt.timedelta(days=params.active_within_days)
    ignore = set(params.ignore_accounts)
    dims = ("accounts", "tax_codes") if params.compare == "both" else (params.compare,)
    usage: dict[tuple[str, str, str], _Usage] = defaultdict(_Usage)
    active: set[str] = set()
    docs: list[Document] = [*snapshot.invoices, *snapshot.credit_notes, *snapshot.bank_transactions]
    for doc in docs:
        contact = doc.contact_id
        if contact is None or not doc.lines or not (since <= doc.date <= as_of) or not _live(doc):
            continue
        if doc.date >= active_from:
            active.add(contact)
        direction = _direction(doc)
        for line in doc.lines:
            for dim in dims:
                code = line.account_code if dim == "accounts" else line.tax_code
                if code is None or (dim == "accounts" and code in ignore):
                    continue
                u = usage[(contact, direction, dim)]
                u.lines[code] += 1
                u.net[code] += line.amount
                u.currencies.add(doc.currency)
                seen = u.documents[code]
                if not seen or seen[-1] is not doc:
                    seen.append(doc)
    findings: list[Finding] = []
    flagged: set[str] = set()
    for (contact, direction, dim), u in sorted(usage.items()):
        if contact not in active or len(u.lines) < 2:
            continue
        flagged.add(contact)
        ranked = sorted(u.lines.items(), key=lambda kv: (-kv[1], kv[0]))
        usual = ranked[0][0]
        label = (lambda c: snapshot.account_label(c)) if dim == "accounts" else (lambda c: c)
        listing = ", ".join(f"{label(code)} ({plural(n, 'line')})" for code, n in ranked)
        what = "accounts" if dim == "accounts" else "tax codes"
        one_currency = len(u.currencies) == 1
        away = sum((v for c, v in u.net.items() if c != usual), Decimal(0))
        others = [d for code, _ in ranked[1:] for d in u.documents[code]]
        refs = [
            RecordRef(type="contact", id=contact, label=snapshot.contact_name(contact)),
            *(doc_ref(d) for d in others[:MAX_DOCUMENTS]),
        ]
        currency = next(iter(u.currencies)) if one_currency else None
        message = (
            f"{snapshot.contact_name(contact)} ({direction}) is coded to "
            f"{len(ranked)} {what}: {listing}"
        )
        if one_currency:
            message += f"; {money(away, currency)} away from {label(usual)}"
        findings.append(
            Finding(
                code="multi-coded-contact",
                severity=FindingSeverity.WARNING,
                message=message,
                amount=away if one_currency else None,
                currency=currency,
                records=tuple(refs),
            )
        )
    what = {"both": "accounts or tax codes", "accounts": "accounts", "tax_codes": "tax codes"}[
        params.compare
    ]
    scope = f"of {plural(len(active), 'active contact')}, lines since {since.isoformat()}"
    if flagged:
        summary = f"{plural(len(flagged), 'contact')} coded to several {what} ({scope})"
    else:
        summary = f"No contact coded to several {what} ({scope})"
    return result(CHECK, summary, findings)
