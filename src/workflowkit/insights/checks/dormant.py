"""``dormant-accounts``: accounts with no activity since a date.

Activity is any line posted to the account up to the as-of date: invoice, bill,
credit note and bank transaction lines, journal lines, and a bank account's own
transactions. System accounts (the ledger's own, such as debtors, creditors or VAT) and
archived accounts are ignored. An account with no activity at all is reported as never
used. The reviewer archives it in the ledger or dismisses the finding.
"""

from __future__ import annotations

import datetime as dt

from workflowkit.insights.checks._common import plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LIVE_STATUSES, LedgerSnapshot
from workflowkit.templates.data_checks import DormantAccountsParams

CHECK = "dormant-accounts"


def last_activity(snapshot: LedgerSnapshot, as_of: dt.date) -> dict[str, dt.date]:
    """The last date each account code (or bank account id) was used, up to ``as_of``."""
    last: dict[str, dt.date] = {}

    def touch(code: str | None, day: dt.date) -> None:
        if code is not None and day <= as_of:
            prev = last.get(code)
            if prev is None or day > prev:
                last[code] = day

    banks = snapshot.bank_accounts_by_id
    for t in snapshot.bank_transactions:
        if t.status != "authorised":
            continue
        bank = banks.get(t.bank_account_id)
        touch(t.bank_account_id, t.date)
        if bank is not None:
            touch(bank.account_code, t.date)
        for line in t.lines:
            touch(line.account_code, t.date)
    for docs in (snapshot.invoices, snapshot.credit_notes):
        for d in docs:
            if d.status in LIVE_STATUSES:
                for line in d.lines:
                    touch(line.account_code, d.date)
    for j in snapshot.journals:
        for jl in j.lines:
            touch(jl.account_code, j.date)
    return last


def run(snapshot: LedgerSnapshot, params: DormantAccountsParams, *, as_of: dt.date) -> CheckResult:
    since = params.since or as_of - dt.timedelta(days=params.inactive_days)
    last = last_activity(snapshot, as_of)
    bank_ids = {b.account_code: b.id for b in snapshot.bank_accounts if b.account_code}
    types = set(params.account_types)
    looked = 0
    findings: list[Finding] = []
    for a in sorted(snapshot.accounts, key=lambda a: (a.code or "", a.name)):
        if a.system or a.status != "active" or (types and a.type not in types):
            continue
        looked += 1
        dates = [last[k] for k in (a.code, a.id, bank_ids.get(a.code or "")) if k and k in last]
        seen = max(dates) if dates else None
        if seen is not None and seen >= since:
            continue
        label = f"{a.code} {a.name}" if a.code else a.name
        when = f"last used {seen.isoformat()}" if seen else "never used"
        findings.append(
            Finding(
                code="dormant-account",
                severity=FindingSeverity.WARNING,
                message=f"{label} ({a.type}): no activity since {since.isoformat()} ({when})",
                records=(RecordRef(type="account", id=a.id, label=label),),
            )
        )
    scope = f"no activity since {since.isoformat()}; system accounts ignored"
    if findings:
        summary = f"{len(findings):,} of {plural(looked, 'account')} dormant ({scope})"
    else:
        summary = f"No dormant accounts among {plural(looked, 'account')} ({scope})"
    return result(CHECK, summary, findings)
