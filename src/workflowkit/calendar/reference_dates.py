"""Changes of accounting reference date (Companies Act 2006 s.392), the 7-day
flexibility of s.390(3), and the filing deadline of a period shortened by notice
(s.442(4))."""

from __future__ import annotations

from datetime import date

from workflowkit.calendar.dates import ONE_DAY, add_months, guard

FLEXIBILITY_DAYS = 7
"""s.390(3): a financial year may end up to seven days before or after the reference date."""
MAX_PERIOD_MONTHS = 18
"""s.392(5): an accounting reference period may not be extended beyond 18 months."""


def financial_year_end_allowed(reference_date: date, year_end: date) -> bool:
    """True when a financial year ending on ``year_end`` fits an accounting reference
    period ending on ``reference_date``.

    Rule: Companies Act 2006 s.390(2)-(3): the financial year ends with the last day of
    the accounting reference period, or on a date chosen by the directors not more than
    seven days before or after it (a 52-53 week year ending on the last Friday).
    Reference date 31 December 2024: 24 December 2024 to 7 January 2025 are allowed.
    The filing deadline still runs from the reference date (s.442(2)).
    """
    return abs((year_end - reference_date).days) <= FLEXIBILITY_DAYS


@guard("accounting reference period")
def longest_period_end(period_start: date) -> date:
    """The last day an accounting reference period beginning ``period_start`` may end.

    Rule: Companies Act 2006 s.392(5): a period may not be extended so as to exceed 18
    months (unless the company is in administration). Beginning 1 January 2024: 30 June
    2025.
    """
    return add_months(period_start, MAX_PERIOD_MONTHS) - ONE_DAY


@guard("companies_house_accounts")
def shortened_period_accounts_due(normal_due: date, notice_given: date) -> date:
    """The filing deadline of an accounting reference period shortened by notice.

    Rule: Companies Act 2006 s.442(4): when the period is shortened by a notice under
    s.392, the period for filing is whichever last expires of the normal period
    (s.442(2), ``normal_due``) and three months from the date of the notice (months by
    s.443). A private company's period shortened to 30 June 2024 by notice given on
    1 March 2025: the normal deadline is 31 March 2025, three months from the notice is
    1 June 2025, so the accounts are due 1 June 2025.
    """
    return max(normal_due, add_months(notice_given, 3, month_end=True))


def notice_in_time(notice_given: date, filing_deadline: date) -> bool:
    """s.392(4): a notice changing the reference date of the *previous* period cannot be
    given once the period allowed for filing its accounts has expired."""
    return notice_given <= filing_deadline
