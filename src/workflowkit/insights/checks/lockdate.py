"""``lock-date``: the books are locked soon enough after each month end.

The expected lock date is the last month end at least ``grace_period_weeks`` before the
as-of date: with a two-week grace period, May must be locked (to 31 May or later) from
14 June. The ledger's lock date is the later of its period and end-of-year lock dates
(QuickBooks Online has one closing date). A lock date behind the expected one, or none
at all, is an issue; ``grace_period_weeks: 0`` turns this part off. Lock-date changes
detected in the last ``history_days`` that moved a lock date back (re-opening a closed
period) or removed it are issues too.
"""

from __future__ import annotations

import datetime as dt

from workflowkit.insights.checks._common import month_end, plural, result
from workflowkit.insights.results import CheckResult, Finding, FindingSeverity, RecordRef
from workflowkit.insights.snapshot import LedgerSnapshot
from workflowkit.templates.data_checks import LockDateParams

CHECK = "lock-date"


def expected_lock_date(as_of: dt.date, grace_period_weeks: int) -> dt.date:
    """The last month end that is at least ``grace_period_weeks`` before ``as_of``."""
    cutoff = as_of - dt.timedelta(weeks=grace_period_weeks)
    end = month_end(cutoff.year, cutoff.month)
    if end > cutoff:
        end = cutoff.replace(day=1) - dt.timedelta(days=1)
    return end


def current_lock_date(snapshot: LedgerSnapshot) -> dt.date | None:
    org = snapshot.organisation
    dates = [d for d in (org.period_lock_date, org.end_of_year_lock_date) if d is not None]
    return max(dates) if dates else None


def run(snapshot: LedgerSnapshot, params: LockDateParams, *, as_of: dt.date) -> CheckResult:
    findings: list[Finding] = []
    locked = current_lock_date(snapshot)
    parts: list[str] = []
    if params.grace_period_weeks == 0:
        parts.append(f"Locked to {locked.isoformat()}" if locked else "No lock date set")
        parts.append("the month-end lock check is off (grace period 0)")
    else:
        expected = expected_lock_date(as_of, params.grace_period_weeks)
        wanted = f"expected {expected.isoformat()} or later"
        if locked is None or locked < expected:
            now = f"the lock date is {locked.isoformat()}" if locked else "no lock date is set"
            findings.append(
                Finding(
                    code="not-locked",
                    severity=FindingSeverity.WARNING,
                    message=(
                        f"The books are not locked to {expected.isoformat()}: {now} "
                        f"({expected:%B %Y} ended more than {params.grace_period_weeks} "
                        "weeks ago)"
                    ),
                    records=(
                        RecordRef(
                            type="organisation", id="lock-date", label=snapshot.organisation.name
                        ),
                    ),
                )
            )
            parts.append(f"Not locked ({now}; {wanted})")
        else:
            parts.append(f"Locked to {locked.isoformat()} ({wanted})")
    window_start = as_of - dt.timedelta(days=params.history_days)
    moved = 0
    history = sorted(
        enumerate(snapshot.lock_date_history), key=lambda ic: (ic[1].detected_on, ic[1].kind)
    )
    for index, change in history:
        if not (window_start < change.detected_on <= as_of) or change.old is None:
            continue
        if change.new is not None and change.new >= change.old:
            continue
        moved += 1
        to = f"to {change.new.isoformat()}" if change.new else "(removed)"
        note = f": {change.note}" if change.note else ""
        kind = change.kind.replace("_", "-")
        findings.append(
            Finding(
                code="lock-date-moved-back",
                severity=FindingSeverity.WARNING,
                message=(
                    f"The {kind} lock date was moved back from {change.old.isoformat()} {to}, "
                    f"detected on {change.detected_on.isoformat()}{note}"
                ),
                records=(
                    RecordRef(
                        type="lock_date_change",
                        id=str(index),
                        label=f"{kind} lock date change of {change.detected_on.isoformat()}",
                    ),
                ),
            )
        )
    if moved:
        parts.append(f"{plural(moved, 'lock-date change')} re-opened a period")
    return result(CHECK, "; ".join(parts), findings)
