"""``fixed-assets``: capital purchases coded to expense, and the register against the ledger.

1. **Expensed additions.** A line of a bill or of money spent, dated in the
   ``lookback_days`` up to the as-of date, coded to an expense account (``expense_types``)
   with a net amount at or above the ``capitalisation_threshold``: an asset bought and
   written off at once (``possible-capital-item``, a warning). Accounts in
   ``ignore_accounts``, or whose names contain one of ``ignore_name_words`` (rent, rates,
   wages, salaries, insurance, pensions, subscriptions: large but never capital), are
   left out. Credit notes and money received are not purchases.
2. **Register against ledger.** When the snapshot has a fixed asset register
   (``fixed_assets``: Xero's Assets API), for each asset account the cost of the
   registered assets bought up to the as-of date and not disposed of by then is compared
   with the ledger balance of that account at the as-of date
   (``register-difference``, a warning, when they differ by more than
   ``register_tolerance``). Draft assets are not yet in the register. Without a register
   (QuickBooks Online has none) the comparison is skipped and said so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from workflowkit.insights.checks._common import Document, doc_ref, doc_words, money, plural, result
from workflowkit.insights.checks._ledger import balance
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LIVE_STATUSES, FixedAsset, LedgerSnapshot
from workflowkit.templates.data_checks import FixedAssetsParams

CHECK = "fixed-assets"


def in_register(asset: FixedAsset, as_of: dt.date) -> bool:
    """A registered asset bought by ``as_of`` and not disposed of by then."""
    if asset.status == "draft" or asset.purchase_date > as_of:
        return False
    return asset.disposal_date is None or asset.disposal_date > as_of


def register_costs(snapshot: LedgerSnapshot, as_of: dt.date) -> dict[str, Decimal]:
    """Cost of the assets in the register at ``as_of``, by asset account code."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for asset in snapshot.fixed_assets:
        if in_register(asset, as_of):
            out[asset.account_code] += asset.cost
    return dict(out)


def run(snapshot: LedgerSnapshot, params: FixedAssetsParams, *, as_of: dt.date) -> CheckResult:
    since = as_of - dt.timedelta(days=params.lookback_days)
    base = snapshot.organisation.base_currency
    chart = snapshot.accounts_by_code
    types = set(params.expense_types)
    ignore = set(params.ignore_accounts)
    words = [w.lower() for w in params.ignore_name_words]
    findings: list[Finding] = []
    purchases = [d for d in snapshot.invoices if d.kind == "bill" and d.status in LIVE_STATUSES]
    spends = [
        t for t in snapshot.bank_transactions if t.kind == "spend" and t.status == "authorised"
    ]
    docs: list[Document] = [*purchases, *spends]
    for doc in docs:
        if not (since < doc.date <= as_of):
            continue
        for line in doc.lines:
            account = chart.get(line.account_code or "")
            if account is None or account.type not in types or line.account_code in ignore:
                continue
            if any(w in account.name.lower() for w in words):
                continue
            if line.amount < params.capitalisation_threshold:
                continue
            who = snapshot.contact_name(doc.contact_id)
            what = f" ({line.description})" if line.description else ""
            findings.append(
                Finding(
                    code="possible-capital-item",
                    severity=FindingSeverity.WARNING,
                    message=f"{doc_words(doc)} from {who} on {doc.date.isoformat()}: "
                    f"{money(line.amount, doc.currency)}{what} coded to expense "
                    f"{snapshot.account_label(account.code or account.id)}, at or above the "
                    f"capitalisation threshold {money(params.capitalisation_threshold)}",
                    amount=line.amount,
                    currency=doc.currency,
                    records=(doc_ref(doc),),
                )
            )
    expensed = len(findings)
    if snapshot.fixed_assets:
        costs = register_costs(snapshot, as_of)
        asset_codes = {a.code for a in snapshot.accounts if a.type == "fixed_asset" and a.code}
        for code in sorted(asset_codes | set(costs)):
            ledger = balance(snapshot, {code}, as_of)
            register = costs.get(code, Decimal(0))
            if abs(ledger - register) <= params.register_tolerance:
                continue
            ids = [a for a in snapshot.fixed_assets if a.account_code == code]
            refs = (
                [RecordRef(type="account", id=chart[code].id, label=code)] if code in chart else []
            )
            refs += [RecordRef(type="fixed_asset", id=a.id, label=a.name) for a in ids]
            findings.append(
                Finding(
                    code="register-difference",
                    severity=FindingSeverity.WARNING,
                    message=f"{snapshot.account_label(code)}: the ledger holds "
                    f"{money(ledger, base)} at {as_of.isoformat()} but the asset register "
                    f"{money(register, base)} ({plural(len(ids), 'asset')}): a difference "
                    f"of {money(ledger - register, base)}",
                    amount=abs(ledger - register),
                    currency=base,
                    records=tuple(refs),
                )
            )
        register_part = f"{len(findings) - expensed:,} asset account(s) differ from the register"
    else:
        register_part = "no asset register in the snapshot: register not compared"
    summary = (
        f"{plural(expensed, 'purchase')} of {money(params.capitalisation_threshold)} or more "
        f"coded to expense since {since.isoformat()}; {register_part}"
    )
    return result(CHECK, summary, findings)
