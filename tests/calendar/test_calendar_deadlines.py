"""Statutory deadlines pinned with dated cases from HMRC and Companies House guidance.

Each case names its source. Month ends, 28 and 29 February, leap years, 30 November VAT
periods, 30 June accounting reference dates and first accounts are all covered.
"""

from __future__ import annotations

from datetime import date

import pytest

from workflowkit.calendar import (
    InvalidPeriodError,
    InvalidTaxPeriodError,
    companies_house_accounts_due,
    confirmation_statement_due,
    corporation_tax_payment_due,
    corporation_tax_periods,
    ct600_due,
    payroll_deadlines,
    self_assessment_deadlines,
    vat_return_due,
)
from workflowkit.calendar.dates import Period, add_months
from workflowkit.errors import CalendarError

D = date


# -- VAT ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_end", "due", "source"),
    [
        (D(2024, 3, 31), D(2024, 5, 7), "Notice 700/12: 1 calendar month and 7 days"),
        (D(2016, 6, 30), D(2016, 8, 7), "HMRC VDSOG400: the 06/16 period is due 7 August"),
        (D(2024, 11, 30), D(2025, 1, 7), "month end lands on the month end: 7 January"),
        (D(2023, 11, 30), D(2024, 1, 7), "30 November, not 6 January"),
        (D(2024, 4, 30), D(2024, 6, 7), "30 April: 7 June"),
        (D(2024, 1, 31), D(2024, 3, 7), "31 January: February is short, still 7 March"),
        (D(2023, 2, 28), D(2023, 4, 7), "28 February (non-leap year) is a month end"),
        (D(2024, 2, 29), D(2024, 4, 7), "29 February (leap year)"),
        (D(2024, 12, 31), D(2025, 2, 7), "31 December: 7 February"),
        (D(2016, 3, 28), D(2016, 5, 4), "HMRC VDSOG400: non-standard period 28/03/2016"),
    ],
)
def test_vat_return_due(period_end: date, due: date, source: str) -> None:
    assert vat_return_due(period_end) == due, source


@pytest.mark.parametrize(
    ("period_end", "due"),
    [
        (D(2024, 3, 31), D(2024, 5, 31)),  # VATAAS3400: two months after the year
        (D(2024, 12, 31), D(2025, 2, 28)),
        (D(2023, 12, 31), D(2024, 2, 29)),  # leap year
        (D(2024, 6, 30), D(2024, 8, 31)),  # a month-end start lands on the month end
    ],
)
def test_vat_annual_accounting_due(period_end: date, due: date) -> None:
    assert vat_return_due(period_end, annual=True) == due


# -- Companies House ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_end", "public", "due", "source"),
    [
        (D(2023, 12, 31), False, D(2024, 9, 30), "s.442(2)(a): nine months"),
        (D(2024, 3, 31), False, D(2024, 12, 31), "31 March: 31 December"),
        (D(2024, 6, 30), False, D(2025, 3, 31), "30 June ARD: month end, 31 March"),
        (D(2024, 6, 30), True, D(2024, 12, 31), "s.443 explanatory note: 30 June + 6 = 31 Dec"),
        (D(2024, 6, 5), True, D(2024, 12, 5), "s.443 explanatory note: 5 June + 6 = 5 Dec"),
        (D(2023, 2, 28), False, D(2023, 11, 30), "28 February is a month end"),
        (D(2024, 2, 29), False, D(2024, 11, 30), "29 February is a month end"),
        (D(2023, 5, 30), False, D(2024, 2, 29), "s.443(4): a 30th into February, leap year"),
        (D(2024, 5, 29), False, D(2025, 2, 28), "s.443(4): a 29th into February"),
        (D(2024, 4, 15), False, D(2025, 1, 15), "same day nine months on"),
    ],
)
def test_companies_house_accounts_due(
    period_end: date, public: bool, due: date, source: str
) -> None:
    assert companies_house_accounts_due(period_end, public=public) == due, source


@pytest.mark.parametrize(
    ("incorporated", "period_end", "public", "due", "source"),
    [
        # Companies House guidance: incorporated 1 January 2011, ARD 31 January 2012:
        # 21 months after incorporation, 1 October 2012, not 31 October.
        (D(2011, 1, 1), D(2012, 1, 31), False, D(2012, 10, 1), "CH first accounts example"),
        (D(2024, 1, 15), D(2025, 1, 31), False, D(2025, 10, 15), "21 months, not 9 after ARD"),
        (D(2011, 1, 1), D(2012, 1, 31), True, D(2012, 7, 1), "public: 18 months"),
        # three months after the ARD is later than 18 months from incorporation
        (D(2023, 1, 15), D(2024, 6, 30), True, D(2024, 9, 30), "s.442(3)(b) wins"),
        (D(2023, 1, 31), D(2024, 7, 31), False, D(2024, 10, 31), "month-end anniversary"),
        # a first period of 12 months or less follows the normal rule
        (D(2024, 1, 15), D(2024, 12, 31), False, D(2025, 9, 30), "short first period"),
        (D(2024, 1, 15), D(2025, 1, 14), False, D(2025, 10, 14), "exactly 12 months"),
    ],
)
def test_first_accounts(
    incorporated: date, period_end: date, public: bool, due: date, source: str
) -> None:
    got = companies_house_accounts_due(period_end, public=public, incorporated=incorporated)
    assert got == due, source


def test_later_accounts_of_an_old_company_follow_the_normal_rule() -> None:
    got = companies_house_accounts_due(
        D(2025, 1, 31), incorporated=D(2011, 1, 1), period_start=D(2024, 2, 1)
    )
    assert got == D(2025, 10, 31)


def test_companies_house_rejects_impossible_periods() -> None:
    with pytest.raises(InvalidPeriodError):
        companies_house_accounts_due(D(2024, 1, 31), period_start=D(2024, 2, 1))
    with pytest.raises(InvalidPeriodError, match="18 months"):
        companies_house_accounts_due(D(2025, 12, 31), period_start=D(2024, 1, 1))
    with pytest.raises(InvalidPeriodError, match="incorporated"):
        companies_house_accounts_due(D(2024, 1, 31), incorporated=D(2024, 3, 1))
    assert issubclass(InvalidPeriodError, CalendarError)


# -- Corporation Tax ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_end", "due"),
    [
        # HMRC manual CTM01800, every example in its table
        (D(1999, 3, 31), D(2000, 1, 1)),
        (D(1999, 7, 1), D(2000, 4, 2)),
        (D(2000, 2, 28), D(2000, 11, 29)),
        (D(2000, 2, 29), D(2000, 12, 1)),
        (D(2000, 5, 28), D(2001, 3, 1)),
        (D(2000, 5, 29), D(2001, 3, 1)),
        (D(2000, 5, 30), D(2001, 3, 1)),
        (D(2000, 5, 31), D(2001, 3, 1)),
        # "if 2001 were a leap year": 28 May 2003 pays on 29 February 2004
        (D(2003, 5, 28), D(2004, 2, 29)),
        (D(2024, 4, 30), D(2025, 2, 1)),  # month end: first day of the tenth month
        (D(2024, 11, 30), D(2025, 9, 1)),
        (D(2023, 2, 28), D(2023, 12, 1)),  # 28 February, non-leap: a month end
    ],
)
def test_corporation_tax_payment_due(period_end: date, due: date) -> None:
    assert corporation_tax_payment_due(period_end) == due


@pytest.mark.parametrize(
    ("period_end", "due"),
    [
        (D(2024, 3, 31), D(2025, 3, 31)),
        (D(2023, 2, 28), D(2024, 2, 28)),  # corresponding date, not the month end
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2024, 6, 30), D(2025, 6, 30)),
    ],
)
def test_ct600_due(period_end: date, due: date) -> None:
    assert ct600_due(period_end) == due


def test_ct600_long_periods_of_account() -> None:
    # FA 1998 Sch 18 para 14(1)(b): an 18-month period of account files 12 months after
    # its end, for both accounting periods.
    poa = (D(2023, 1, 1), D(2024, 6, 30))
    assert ct600_due(D(2023, 12, 31), period_of_account=poa) == D(2025, 6, 30)
    assert ct600_due(D(2024, 6, 30), period_of_account=poa) == D(2025, 6, 30)
    # para 14(1)(c): longer than 18 months: 30 months from its start
    long = Period(D(2022, 1, 1), D(2023, 12, 31))
    assert ct600_due(D(2022, 12, 31), period_of_account=long) == D(2024, 7, 1)
    # para 14(1)(d): three months from a late notice
    assert ct600_due(D(2024, 3, 31), notice_served=D(2025, 6, 1)) == D(2025, 9, 1)
    with pytest.raises(InvalidPeriodError):
        ct600_due(D(2025, 3, 31), period_of_account=poa)


def test_corporation_tax_periods_split_long_periods() -> None:
    assert corporation_tax_periods(D(2023, 1, 1), D(2024, 6, 30)) == (
        Period(D(2023, 1, 1), D(2023, 12, 31)),
        Period(D(2024, 1, 1), D(2024, 6, 30)),
    )
    assert corporation_tax_periods(D(2024, 4, 1), D(2025, 3, 31)) == (
        Period(D(2024, 4, 1), D(2025, 3, 31)),
    )
    with pytest.raises(InvalidPeriodError):
        corporation_tax_periods(D(2024, 4, 1), D(2024, 3, 31))


# -- Confirmation statement --------------------------------------------------------------


@pytest.mark.parametrize(
    ("review_end", "due"),
    [
        (D(2017, 12, 31), D(2018, 1, 14)),  # CH guidance: incorporated 1 January 2017
        (D(2018, 12, 31), D(2019, 1, 14)),
        (D(2024, 2, 29), D(2024, 3, 14)),
        (D(2024, 6, 14), D(2024, 6, 28)),
    ],
)
def test_confirmation_statement_due(review_end: date, due: date) -> None:
    assert confirmation_statement_due(review_end) == due


# -- Self Assessment ---------------------------------------------------------------------


def test_self_assessment_2024_25() -> None:
    sa = self_assessment_deadlines("2024-25")
    assert sa.tax_year == Period(D(2024, 4, 6), D(2025, 4, 5))
    assert sa.registration == D(2025, 10, 5)
    assert sa.paper_return == D(2025, 10, 31)
    assert sa.online_return == D(2026, 1, 31)
    assert sa.balancing_payment == D(2026, 1, 31)
    assert sa.first_payment_on_account == D(2025, 1, 31)
    assert sa.second_payment_on_account == D(2025, 7, 31)
    assert sa.label == "2024-25"


@pytest.mark.parametrize(
    "value", [D(2024, 4, 6), D(2025, 4, 5), D(2024, 12, 25), "2024/25", "2024-2025", " 2024-25 "]
)
def test_self_assessment_tax_year_forms(value: date | str) -> None:
    assert self_assessment_deadlines(value).tax_year.start == D(2024, 4, 6)


def test_self_assessment_boundary_days() -> None:
    assert self_assessment_deadlines(D(2024, 4, 5)).label == "2023-24"
    assert self_assessment_deadlines(D(2024, 4, 6)).label == "2024-25"


@pytest.mark.parametrize("value", [2024, "2024-26", "24-25", "2024", None])
def test_self_assessment_rejects_ambiguous_years(value: object) -> None:
    with pytest.raises(InvalidTaxPeriodError):
        self_assessment_deadlines(value)  # type: ignore[arg-type]


# -- PAYE --------------------------------------------------------------------------------


def test_payroll_month_1() -> None:
    p = payroll_deadlines(D(2024, 4, 20))
    assert p.tax_month == Period(D(2024, 4, 6), D(2024, 5, 5))
    assert p.month_number == 1
    assert p.eps == D(2024, 5, 19)  # HMRC: EPS by the 19th of the following tax month
    assert p.payment_electronic == D(2024, 5, 22)  # reg 69(1)(a): 17 days
    assert p.payment_post == D(2024, 5, 19)  # reg 69(1)(b): 14 days
    assert p.p60 == D(2025, 5, 31)
    assert p.p11d == D(2025, 7, 6)
    assert p.class_1a_electronic == D(2025, 7, 22)
    assert p.class_1a_post == D(2025, 7, 19)
    assert p.final_eps == D(2025, 4, 19)


def test_payroll_month_12_and_month_9() -> None:
    p12 = payroll_deadlines(D(2025, 4, 5))
    assert (p12.month_number, p12.tax_month.start) == (12, D(2025, 3, 6))
    assert (p12.eps, p12.payment_electronic) == (D(2025, 4, 19), D(2025, 4, 22))
    assert p12.p60 == D(2025, 5, 31)  # the tax year ending 5 April 2025
    p9 = payroll_deadlines(D(2025, 1, 5))
    assert (p9.month_number, p9.payment_electronic) == (9, D(2025, 1, 22))
    assert p9.tax_month == Period(D(2024, 12, 6), D(2025, 1, 5))


def test_tax_month_boundaries() -> None:
    assert payroll_deadlines(D(2024, 5, 5)).month_number == 1
    assert payroll_deadlines(D(2024, 5, 6)).month_number == 2


def test_fps_is_due_on_or_before_payday() -> None:
    p = payroll_deadlines(D(2024, 4, 20))
    assert p.fps(D(2024, 4, 26)) == D(2024, 4, 26)
    with pytest.raises(InvalidPeriodError):
        p.fps(D(2024, 5, 28))


# -- month arithmetic --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "month_end", "expected"),
    [
        (D(2024, 1, 31), 1, False, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, False, D(2023, 2, 28)),
        (D(2024, 1, 31), 2, False, D(2024, 3, 31)),
        (D(2024, 6, 30), 6, False, D(2024, 12, 30)),  # Dodds v Walker
        (D(2024, 6, 30), 6, True, D(2024, 12, 31)),  # s.443(3)
        (D(2024, 2, 29), 12, False, D(2025, 2, 28)),
        (D(2024, 3, 31), -1, False, D(2024, 2, 29)),
        (D(2024, 12, 15), 1, True, D(2025, 1, 15)),
    ],
)
def test_add_months(start: date, months: int, month_end: bool, expected: date) -> None:
    assert add_months(start, months, month_end=month_end) == expected
