"""``bank-reconciliation``: per bank account, what is left to reconcile.

For each bank account (all, or those named in ``accounts`` by id, code or name):
the unreconciled bank transactions dated up to the as-of date (their count, money in
and out, and the oldest), and the difference between the statement balance and the
ledger balance. Items older than ``max_unreconciled_age_days`` are a warning (recent
ones are normal feed lag and only reported); a balance difference above
``balance_tolerance`` is an error. Amounts stay in each account's own currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from workflowkit.insights.checks._common import by_currency, money, plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import BankAccount, BankTransaction, LedgerSnapshot
from workflowkit.templates.data_checks import BankReconciliationParams

CHECK = "bank-reconciliation"
MAX_RECORDS = 50


def _chosen(snapshot: LedgerSnapshot, names: tuple[str, ...]) -> list[BankAccount]:
    if not names:
        return list(snapshot.bank_accounts)
    wanted = set(names)
    return [
        b
        for b in snapshot.bank_accounts
        if b.id in wanted or b.name in wanted or (b.account_code or "") in wanted
    ]


def run(
    snapshot: LedgerSnapshot, params: BankReconciliationParams, *, as_of: dt.date
) -> CheckResult:
    accounts = _chosen(snapshot, params.accounts)
    ids = {b.id for b in accounts}
    open_items: dict[str, list[BankTransaction]] = defaultdict(list)
    for t in snapshot.bank_transactions:
        if (
            not t.reconciled
            and t.status == "authorised"
            and t.date <= as_of
            and t.bank_account_id in ids
        ):
            open_items[t.bank_account_id].append(t)
    stale_before = as_of - dt.timedelta(days=params.max_unreconciled_age_days)
    findings: list[Finding] = []
    unreconciled: dict[str, Decimal] = defaultdict(Decimal)
    count = 0
    oldest: dt.date | None = None
    differences = 0
    for bank in accounts:
        items = sorted(open_items.get(bank.id, ()), key=lambda t: (t.date, t.id))
        if items:
            money_in = sum((t.total for t in items if t.kind == "receive"), Decimal(0))
            money_out = sum((t.total for t in items if t.kind == "spend"), Decimal(0))
            stale = [t for t in items if t.date < stale_before]
            count += len(items)
            unreconciled[bank.currency] += money_in - money_out
            first = items[0].date
            oldest = first if oldest is None else min(oldest, first)
            message = (
                f"{bank.name}: {plural(len(items), 'unreconciled item')} "
                f"(in {money(money_in, bank.currency)}, out {money(money_out, bank.currency)}), "
                f"oldest {first.isoformat()}"
            )
            if stale:
                message += f"; {len(stale)} older than {params.max_unreconciled_age_days} days"
            shown = items[:MAX_RECORDS]
            findings.append(
                Finding(
                    code="unreconciled-items",
                    severity=FindingSeverity.WARNING if stale else FindingSeverity.INFO,
                    message=message
                    + (f" (first {MAX_RECORDS} listed)" if len(items) > len(shown) else ""),
                    amount=money_in - money_out,
                    currency=bank.currency,
                    records=(
                        RecordRef(type="bank_account", id=bank.id, label=bank.name),
                        *(
                            RecordRef(type="bank_transaction", id=t.id, label=t.reference or t.id)
                            for t in shown
                        ),
                    ),
                )
            )
        if bank.statement_balance is not None and bank.ledger_balance is not None:
            diff = bank.statement_balance - bank.ledger_balance
            if abs(diff) > params.balance_tolerance:
                differences += 1
                at = f" at {bank.balance_date.isoformat()}" if bank.balance_date else ""
                findings.append(
                    Finding(
                        code="balance-difference",
                        severity=FindingSeverity.ERROR,
                        message=(
                            f"{bank.name}: statement balance "
                            f"{money(bank.statement_balance, bank.currency)} vs ledger "
                            f"{money(bank.ledger_balance, bank.currency)}{at} "
                            f"(difference {money(diff, bank.currency)})"
                        ),
                        amount=diff,
                        currency=bank.currency,
                        records=(RecordRef(type="bank_account", id=bank.id, label=bank.name),),
                    )
                )
    parts = [plural(len(accounts), "bank account")]
    if count:
        parts.append(
            f"{plural(count, 'unreconciled item')} (net {by_currency(unreconciled)}), "
            f"oldest {oldest.isoformat() if oldest else '-'}"
        )
    else:
        parts.append("nothing unreconciled")
    if differences:
        parts.append(f"{plural(differences, 'statement difference')}")
    return result(CHECK, "; ".join(parts), findings)
