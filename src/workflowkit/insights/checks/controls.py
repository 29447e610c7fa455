"""``control-accounts``: the payroll control accounts clear to zero after payment.

Dext's Control Accounts check looks at PAYE, net wages and pension over the previous
complete month relative to the reporting date. Here that month is the last one ending
on or before the as-of date. Each control account is a liability: a pay run credits it
and the payment debits it. Money accrued ``lag`` months before is due by the month's
end (PAYE to HMRC by the 22nd of the next month, so a lag of 1; net wages on pay day,
a lag of 0; pension contributions by the 19th or 22nd of the next month, a lag of 1).
So at the month's end the balance should be exactly what was accrued in the last
``lag`` months:

    residual = balance at the month's end - credits posted in those ``lag`` months

A residual below ``-tolerance`` is money accrued earlier and still unpaid
(``control-not-cleared``); above ``tolerance``, more was paid than was owed
(``control-overpaid``). Both are warnings. Balances come from the postings of the
snapshot (:mod:`workflowkit.insights.checks._ledger`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workflowkit.insights.checks._common import add_months, money, month_end, result
from workflowkit.insights.checks._ledger import Posting, postings
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LedgerSnapshot
from workflowkit.templates.data_checks import ControlAccountsParams

CHECK = "control-accounts"
MAX_RECORDS = 10


def last_complete_month(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the last month ending on or before ``as_of``."""
    end = month_end(as_of.year, as_of.month)
    if end > as_of:
        end = as_of.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def residual(
    lines: list[Posting], end: dt.date, lag: int
) -> tuple[Decimal, Decimal, Decimal, dt.date]:
    """(balance at ``end``, credits in the ``lag`` months to ``end``, residual, window start)."""
    start = add_months(end.replace(day=1), 1 - lag) if lag else end + dt.timedelta(days=1)
    upto = [p for p in lines if p.date <= end]
    bal = sum((p.amount for p in upto), Decimal(0))
    accrued = sum((p.amount for p in upto if p.date >= start and p.amount < 0), Decimal(0))
    return bal, accrued, bal - accrued, start


def _label(snapshot: LedgerSnapshot, codes: tuple[str, ...]) -> str:
    return ", ".join(snapshot.account_label(c) for c in codes)


def run(snapshot: LedgerSnapshot, params: ControlAccountsParams, *, as_of: dt.date) -> CheckResult:
    first, end = last_complete_month(as_of)
    base = snapshot.organisation.base_currency
    chart = snapshot.accounts_by_code
    kinds = (
        ("PAYE", params.paye_accounts, params.paye_lag_months),
        ("net wages", params.net_wages_accounts, params.net_wages_lag_months),
        ("pension", params.pension_accounts, params.pension_lag_months),
    )
    findings: list[Finding] = []
    parts: list[str] = []
    for what, codes, lag in kinds:
        lines = list(postings(snapshot, set(codes)))
        if not lines and not any(c in chart for c in codes):
            parts.append(f"{what}: no account {'/'.join(codes) or '(none set)'}")
            continue
        bal, accrued, rest, start = residual(lines, end, lag)
        label = _label(snapshot, codes)
        if abs(rest) <= params.tolerance:
            parts.append(f"{what} clear")
            continue
        refs = [RecordRef(type="account", id=chart[c].id, label=label) for c in codes if c in chart]
        if rest < 0:
            unpaid = [p for p in lines if p.date < start and p.amount < 0]
            unpaid.sort(key=lambda p: p.date, reverse=True)
            refs += [p.record for p in unpaid[:MAX_RECORDS]]
            code = "control-not-cleared"
            why = (
                f"{money(-rest, base)} accrued before {start.isoformat()} is still unpaid"
                if lag
                else f"{money(-rest, base)} is still owed at the month's end"
            )
        else:
            paid = [p for p in lines if first <= p.date <= end and p.amount > 0]
            refs += [p.record for p in paid[:MAX_RECORDS]]
            code = "control-overpaid"
            why = f"{money(rest, base)} more was paid than was owed"
        findings.append(
            Finding(
                code=code,
                severity=FindingSeverity.WARNING,
                message=(
                    f"{what} control {label} does not clear at {end.isoformat()}: balance "
                    f"{money(bal, base)}, accrued in the last {lag} month(s) "
                    f"{money(accrued, base)}: {why}"
                ),
                amount=abs(rest),
                currency=base,
                records=tuple(refs),
            )
        )
        parts.append(f"{what} not clear")
    summary = f"Payroll control accounts at {end.isoformat()}: " + "; ".join(parts)
    return result(CHECK, summary, findings)
