"""Payments by instalment: Corporation Tax for large and very large companies, VAT
payments on account, and the Annual Accounting Scheme's interim payments.

Every function takes and returns :class:`datetime.date` and cites its rule. The dates are
the statutory ones; payment dates move to the previous working day where a workflow
sets its due date on them (see ``DEADLINES`` in :mod:`workflowkit.calendar.rules`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from workflowkit.calendar.dates import (
    ONE_DAY,
    Period,
    add_months,
    guard,
    is_month_end,
    month_end,
)
from workflowkit.calendar.errors import InvalidPeriodError

CompanySize = Literal["standard", "large", "very_large"]
"""Corporation Tax payer size (Corporation Tax (Instalment Payments) Regulations 1998
reg 3): ``large`` above the £1.5m profits threshold, ``very_large`` above £20m."""

MAX_INSTALMENTS = 4


def _check_ap(start: date, end: date) -> None:
    if end < start:
        raise InvalidPeriodError(start, end, "accounting period")
    if end > add_months(start, 12) - ONE_DAY:
        raise InvalidPeriodError(
            start,
            end,
            "accounting period",
            "is longer than 12 months (CTA 2009 s.10): split the period of account first",
        )


def _three_months_on(d: date) -> date:
    """HMRC CTM92560: the next instalment is due on the corresponding day of the third
    following month, or its last day when the earlier one fell on a month end or the
    day does not exist."""
    return add_months(d, 3, month_end=True)


@guard("ct_instalments")
def ct_instalment_dates(start: date, end: date, size: CompanySize) -> tuple[date, ...]:
    """The due dates of a large or very large company's quarterly CT instalments.

    **Large** (SI 1998/3175 reg 5(3)): the first instalment six months and 13 days from
    the start of the accounting period, further ones three months after the one before
    "where the length of the accounting period so allows", and the final one three
    months and 14 days from its end. Reg 5(4): when the final date falls earlier than
    the first, the whole amount is due on the final date. HMRC CTM92580: a period of 3
    months or less pays only the final instalment, up to 6 months a first and a final,
    up to 9 months three, longer all four. For 1 January to 31 December 2024: 14 July
    and 14 October 2024, 14 January and 14 April 2025 (months 7, 10, 13 and 16). For
    18 July 2009 to 17 July 2010 (CTM92570 Example 2): 31 January, 30 April, 31 July,
    31 October 2010.

    **Very large** (reg 5AZA, inserted by SI 2017/1072 for accounting periods beginning
    on or after 1 April 2019): a 12-month period pays 2 months and 13 days after its
    first day and then every three months (reg 5AZA(2): months 3, 6, 9 and 12, CTM92805).
    A shorter period (reg 5AZA(3)-(4), step 1) pays its final instalment 14 days after
    the corresponding day of the month before the period's last month (14 days after the
    previous month's last day when the period ends on a month end, or has no such day),
    and the earlier ones only where they fall before it.

    ``size`` ``"standard"`` gives no instalments: the tax is due under TMA 1970 s.59D.
    Raises :class:`InvalidPeriodError` for a period over 12 months.
    """
    _check_ap(start, end)
    if size == "standard":
        return ()
    if size == "large":
        first = add_months(start, 6) + timedelta(days=13)
        final = add_months(end, 3, month_end=True) + timedelta(days=14)
    else:
        first = add_months(start, 2) + timedelta(days=13)
        if end == add_months(start, 12) - ONE_DAY:
            # reg 5AZA(2): a 12-month period: four instalments three months apart
            out = [first]
            while len(out) < MAX_INSTALMENTS:
                out.append(_three_months_on(out[-1]))
            return tuple(out)
        final = _very_large_final(end)
    out = []
    due = first
    while due < final and len(out) < MAX_INSTALMENTS - 1:
        out.append(due)
        due = _three_months_on(due)
    out.append(final)
    return tuple(out)


def _very_large_final(end: date) -> date:
    """Reg 5AZA(4) step 1: 14 days after the day matching ``end`` in the month before."""
    previous_month_end = date(end.year, end.month, 1) - ONE_DAY
    if is_month_end(end) or end.day > previous_month_end.day:
        anchor = previous_month_end
    else:
        anchor = previous_month_end.replace(day=end.day)
    return anchor + timedelta(days=14)


# -- VAT payments on account -------------------------------------------------------------


@guard("vat_payments_on_account")
def vat_payments_on_account(period_end: date) -> tuple[date, date, date]:
    """The two payments on account and the balancing payment of a VAT quarter.

    Rule: VAT (Payments on Account) Order 1993 (SI 1993/2001) art 5, HMRC Notice 700/60
    §1.3 and §2.4, HMRC manual VDSOG400: a business with annual VAT liability over
    £2.3m pays on account at the end of the second and third months of each quarterly
    period, and the balance with the return by the end of the month after the period,
    **without** the seven extra days of electronic payment. Every payment must clear by
    the last working day (the rules move them with ``working_day: previous``). Quarter
    1 April to 30 June 2016: 31 May, 30 June and 31 July 2016.

    ``period_end`` is the last day of the VAT quarter (a month end).
    """
    if not is_month_end(period_end):
        raise InvalidPeriodError(
            period_end,
            period_end,
            "VAT quarter",
            "payments on account are for stagger quarters, which end on a month end",
        )
    second_month = add_months(period_end, -1, month_end=True)
    balancing = add_months(period_end, 1, month_end=True)
    return (second_month, period_end, balancing)


# -- Annual Accounting Scheme --------------------------------------------------------------

InterimPayments = Literal["monthly", "quarterly"]


@guard("vat_annual_accounting_interim")
def annual_accounting_payments(
    year_end: date, interim: InterimPayments = "monthly"
) -> tuple[tuple[date, ...], date]:
    """The interim payments and the balancing payment of an annual VAT year.

    Rule: VAT Regulations 1995 reg 50 and 52 (interim payments as HMRC directs), HMRC
    manual VATAAS4300 and Notice 732 §5: monthly payers pay nine instalments at the end
    of months 4 to 12 of the annual accounting period; quarterly payers three, at the
    end of months 4, 7 and 10; the balance is due with the annual return two months
    after the year ends (reg 50(1); :func:`~workflowkit.calendar.deadlines.vat_return_due`
    with ``annual=True``). Year 1 January to 31 December 2025, monthly: 30 April to
    31 December 2025, balance 28 February 2026.

    ``year_end`` is the last day of the annual period (a month end).
    """
    if not is_month_end(year_end):
        raise InvalidPeriodError(
            year_end,
            year_end,
            "annual accounting period",
            "an annual accounting period ends on a month end",
        )
    months = range(4, 13) if interim == "monthly" else (4, 7, 10)
    first_month = add_months(year_end, -11, month_end=True)  # the end of month 1
    interims = tuple(add_months(first_month, m - 1, month_end=True) for m in months)
    return interims, add_months(year_end, 2, month_end=True)


def annual_accounting_month(year_end_month: int, d: date) -> int:
    """Which month (1 to 12) of an annual accounting year ending in ``year_end_month``
    the date ``d`` falls in."""
    return (d.month - year_end_month - 1) % 12 + 1


def interim_due_in_month(
    year_end_month: int, interim: InterimPayments, month: Period
) -> date | None:
    """The interim payment due at the end of the calendar month ``month`` (for a client
    whose VAT year ends in ``year_end_month``), or ``None`` when none is due then."""
    number = annual_accounting_month(year_end_month, month.end)
    wanted = range(4, 13) if interim == "monthly" else (4, 7, 10)
    if number not in wanted:
        return None
    return month_end(month.end.year, month.end.month)
