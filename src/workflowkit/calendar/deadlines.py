"""UK statutory deadlines: VAT, Companies House, Corporation Tax, Self Assessment, PAYE.

Every function takes and returns :class:`datetime.date` and cites the rule it applies.
The dates are the statutory ones: none is moved off a weekend or bank holiday here.
Where a regime moves a date (an electronic payment due on a Sunday must clear on the
last working day before it), :mod:`workflowkit.calendar.working_days` applies that
policy when a workflow's due date is computed (see ``DEADLINES`` in
:mod:`workflowkit.calendar.rules`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from workflowkit.calendar.dates import (
    ONE_DAY,
    Period,
    add_months,
    guard,
    month_end,
    tax_month_number,
    tax_month_of,
    tax_year_of,
)
from workflowkit.calendar.errors import InvalidPeriodError, InvalidTaxPeriodError
from workflowkit.errors import checked_dates

SEVEN_DAYS = timedelta(days=7)


# -- VAT ---------------------------------------------------------------------------------


@checked_dates
@guard("vat_return")
def vat_return_due(period_end: date, *, annual: bool = False) -> date:
    """The due date of a VAT return and its electronic payment.

    Rule: VAT Regulations 1995 (SI 1995/2518) reg 25(1) (the return is due by the last
    day of the month after the period) extended by seven days for online returns and
    electronic payments by the Direction under regs 25A(20) and 40(4) (HMRC manual
    VATAC1300); HMRC Notice 700/12: "1 calendar month and 7 days after the end of the
    accounting period". A month-end period lands on the month end, so 30 November is
    due on 7 January. A non-standard period ending *n* days before a month end is due
    *n* days before that month end's date (HMRC manual VDSOG400: period ending
    28 March 2016, due 4 May 2016).

    With ``annual=True`` (Annual Accounting Scheme): two months after the end of the
    annual accounting period, with no seven-day extension (VAT Regulations 1995
    reg 50(1); HMRC manual VATAAS3400). A joining period shorter than four months is
    due one month after its end (VATAAS3400); use ``annual=False`` minus seven days
    for that rare case.
    """
    last = month_end(period_end.year, period_end.month)
    before_month_end = last - period_end
    if annual:
        return add_months(last, 2, month_end=True) - before_month_end
    return add_months(last, 1, month_end=True) + SEVEN_DAYS - before_month_end


# -- Companies House ---------------------------------------------------------------------


def _longer_than_months(start: date, end: date, months: int) -> bool:
    """True when the period ``start..end`` (inclusive) is longer than ``months`` months."""
    return end >= add_months(start, months)


@checked_dates
@guard("companies_house_accounts")
def companies_house_accounts_due(
    period_end: date,
    *,
    public: bool = False,
    incorporated: date | None = None,
    period_start: date | None = None,
) -> date:
    """The last day for delivering accounts to Companies House.

    Rule: Companies Act 2006 s.442(2): nine months after the end of the accounting
    reference period for a private company (also an LLP: LLP (Accounts and Audit)
    Regulations 2008 reg 11), six months for a public company. s.443: the same date
    so many months on, but a period ending on the last day of a month gives the last
    day of the target month (30 June + 6 months = 31 December), and a 29th or 30th
    with a February target gives the last day of February.

    First accounts (``incorporated`` given and ``period_start`` omitted or equal to
    it) covering more than twelve months: s.442(3): nine months (six public) from the
    first anniversary of incorporation, i.e. 21 (18) months after incorporation, or
    three months after the end of the period, whichever is later (incorporated
    1 January 2011, period to 31 January 2012: due 1 October 2012, not 31 October).

    The date never moves off a weekend or bank holiday. s.442(4) (a period shortened by
    notice: three months from the notice if later) is
    :func:`workflowkit.calendar.reference_dates.shortened_period_accounts_due`, which the
    ``companies_house_accounts`` rule applies to ``reference_date_changes``.

    Raises :class:`InvalidPeriodError` when the period ends before it starts, or is
    longer than 18 months (s.391(5), s.392(5)).
    """
    months = 6 if public else 9
    start = period_start
    if incorporated is not None:
        if period_end < incorporated:
            raise InvalidPeriodError(
                incorporated,
                period_end,
                "accounting reference period",
                "ends before the company was incorporated",
            )
        if start is None:
            start = incorporated
    if start is not None:
        if period_end < start:
            raise InvalidPeriodError(start, period_end, "accounting reference period")
        if period_end > add_months(start, 18):
            raise InvalidPeriodError(
                start,
                period_end,
                "accounting reference period",
                "is longer than 18 months (Companies Act 2006 s.391(5), s.392(5))",
            )
    is_first = incorporated is not None and start == incorporated
    if is_first and incorporated is not None and _longer_than_months(incorporated, period_end, 12):
        anniversary = add_months(incorporated, 12)
        from_anniversary = add_months(anniversary, months, month_end=True)
        after_period = add_months(period_end, 3, month_end=True)
        return max(from_anniversary, after_period)
    return add_months(period_end, months, month_end=True)


@checked_dates
@guard("confirmation_statement")
def confirmation_statement_due(review_period_end: date) -> date:
    """The last day for delivering a confirmation statement.

    Rule: Companies Act 2006 s.853A(1): within 14 days after the end of the review
    period. Companies House guidance ("Confirmation statement: guidance"): a company
    incorporated on 1 January 2017 has a review period ending 31 December 2017 and
    must file by 14 January 2018. The date never moves off a weekend.
    """
    return review_period_end + timedelta(days=14)


# -- Corporation Tax ---------------------------------------------------------------------


@checked_dates
@guard("corporation_tax_payment")
def corporation_tax_payment_due(period_end: date) -> date:
    """The normal due date of Corporation Tax for an accounting period.

    Rule: Taxes Management Act 1970 s.59D(1): the day following the expiry of nine
    months from the end of the accounting period. HMRC manual CTM01800: a period ending
    on the last day of a month pays on the first day of the tenth month (31 March 1999:
    1 January 2000); otherwise the day after the corresponding day of the ninth month
    (1 July 1999: 2 April 2000), or the first day of the tenth month when the ninth has
    no such day (29 May 2000: 1 March 2001). HMRC manual CTM92010.

    An accounting period is at most 12 months; split a longer period of account with
    :func:`corporation_tax_periods`. Large companies' quarterly instalments (Corporation
    Tax (Instalment Payments) Regulations 1998) pay by instalments instead: see
    :func:`workflowkit.calendar.instalments.ct_instalment_dates`.
    """
    return add_months(period_end, 9, month_end=True) + ONE_DAY


@checked_dates
@guard("ct600")
def ct600_due(
    period_end: date,
    *,
    period_of_account: Period | tuple[date, date] | None = None,
    notice_served: date | None = None,
) -> date:
    """The filing date of a Company Tax Return (CT600).

    Rule: Finance Act 1998 Sch 18 para 14(1) (HMRC manual CTM93030): the last day of
    whichever ends last of (a) twelve months from the end of the return's accounting
    period; (b) when the period of account (``period_of_account``) is not longer than
    18 months, twelve months from its end; (c) when it is longer, 30 months from its
    start; (d) three months from the date the notice to deliver was served
    (``notice_served``). Months follow the corresponding-date rule (28 February 2023
    gives 28 February 2024). The date never moves off a weekend.
    """
    candidates = [add_months(period_end, 12)]
    if period_of_account is not None:
        poa_start, poa_end = (
            (period_of_account.start, period_of_account.end)
            if isinstance(period_of_account, Period)
            else period_of_account
        )
        if poa_end < poa_start:
            raise InvalidPeriodError(poa_start, poa_end, "period of account")
        if not poa_start <= period_end <= poa_end:
            raise InvalidPeriodError(
                poa_start,
                poa_end,
                "period of account",
                f"does not contain the accounting period end {period_end.isoformat()}",
            )
        if poa_end > add_months(poa_start, 18) - ONE_DAY:
            candidates.append(add_months(poa_start, 30))
        else:
            candidates.append(add_months(poa_end, 12))
    if notice_served is not None:
        candidates.append(add_months(notice_served, 3))
    return max(candidates)


@checked_dates
@guard("corporation tax accounting periods")
def corporation_tax_periods(period_start: date, period_end: date) -> tuple[Period, ...]:
    """The Corporation Tax accounting periods of a period of account.

    Rule: Corporation Tax Act 2009 s.10(1)(a): an accounting period ends twelve months
    after it begins; a longer period of account is split into a 12-month period and
    the remainder (HMRC: "Company Tax Returns for periods of more than 12 months").
    """
    if period_end < period_start:
        raise InvalidPeriodError(period_start, period_end, "period of account")
    out: list[Period] = []
    start = period_start
    while True:
        twelve = add_months(start, 12) - ONE_DAY
        if period_end <= twelve:
            out.append(Period(start, period_end))
            return tuple(out)
        out.append(Period(start, twelve))
        start = twelve + ONE_DAY


# -- Self Assessment ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelfAssessmentDeadlines:
    """The Self Assessment dates of one tax year (6 April to 5 April)."""

    tax_year: Period
    registration: date
    """Notify chargeability: 5 October after the tax year (TMA 1970 s.7(1))."""
    paper_return: date
    """31 October after the tax year (TMA 1970 s.8(1D)(a))."""
    online_return: date
    """31 January after the tax year (TMA 1970 s.8(1D)(b))."""
    online_return_paye_coding: date
    """30 December after the tax year: the online return for tax owed (under £3,000) to be
    collected through the taxpayer's PAYE tax code in the next tax year (HMRC guidance
    "Self Assessment tax returns: deadlines"; PAYE Regulations 2003 reg 186)."""
    balancing_payment: date
    """31 January after the tax year (TMA 1970 s.59B(4))."""
    first_payment_on_account: date
    """31 January in the tax year (TMA 1970 s.59A(2)(a))."""
    second_payment_on_account: date
    """31 July after the tax year (TMA 1970 s.59A(2)(b))."""

    @property
    def label(self) -> str:
        """``2024-25``."""
        return f"{self.tax_year.start.year}-{str(self.tax_year.end.year)[-2:]}"


_TAX_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")


def _tax_year(value: date | str) -> Period:
    if isinstance(value, date):
        return tax_year_of(value)
    if isinstance(value, str):
        m = _TAX_YEAR.match(value.strip())
        if m:
            first, second = int(m.group(1)), m.group(2)
            expected = str(first + 1) if len(second) == 4 else f"{(first + 1) % 100:02d}"
            if second == expected:
                return tax_year_of(date(first, 4, 6))
        raise InvalidTaxPeriodError(
            value, "not a tax year: write it as '2024-25' or pass any date inside it"
        )
    raise InvalidTaxPeriodError(
        value,
        "a tax year is a date inside it or a string such as '2024-25' (an integer is "
        "ambiguous: 2024 could mean 2023-24 or 2024-25)",
    )


@guard("self assessment deadlines")
def self_assessment_deadlines(tax_year: date | str) -> SelfAssessmentDeadlines:
    """The Self Assessment deadlines of a tax year.

    ``tax_year`` is any date inside the tax year, or its label (``"2024-25"``). For
    2024-25 (6 April 2024 to 5 April 2025): register by 5 October 2025 (TMA 1970
    s.7(1)); paper return by 31 October 2025 and online return by 31 January 2026
    (TMA 1970 s.8(1D), or three months after a later notice to file), or by 30 December
    2025 online for tax to be collected through PAYE coding; balancing payment
    31 January 2026 (s.59B(4)); payments on account 31 January 2025 and 31 July 2025
    (s.59A(2)). HMRC guidance "Self Assessment tax returns: deadlines".
    """
    year = _tax_year(tax_year)
    after = year.end.year
    return SelfAssessmentDeadlines(
        tax_year=year,
        registration=date(after, 10, 5),
        paper_return=date(after, 10, 31),
        online_return=date(after + 1, 1, 31),
        online_return_paye_coding=date(after, 12, 30),
        balancing_payment=date(after + 1, 1, 31),
        first_payment_on_account=date(after, 1, 31),
        second_payment_on_account=date(after, 7, 31),
    )


# -- PAYE --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PayrollDeadlines:
    """PAYE dates of one tax month, and the year-end dates of its tax year."""

    tax_month: Period
    month_number: int
    """1 (6 April to 5 May) to 12 (6 March to 5 April)."""
    eps: date
    """Employer Payment Summary: by the 19th after the tax month (HMRC guidance
    "Running payroll: reporting to HMRC: EPS")."""
    payment_electronic: date
    """PAYE and Class 1 NICs paid electronically: within 17 days after the tax month,
    the 22nd (PAYE Regulations 2003 reg 69(1)(a))."""
    payment_post: date
    """Paid by cheque through the post: within 14 days, the 19th (reg 69(1)(b))."""
    tax_year: Period
    final_eps: date
    """The last EPS of the tax year: 19 April after it (month 12's EPS deadline)."""
    p60: date
    """P60 to each employee: by 31 May after the tax year (PAYE Regulations reg 67)."""
    p11d: date
    """P11D and P11D(b): by 6 July after the tax year (PAYE Regulations reg 85; Social
    Security (Contributions) Regulations 2001 reg 80)."""
    class_1a_electronic: date
    """Class 1A NICs paid electronically: 22 July (SSC Regulations 2001 reg 71)."""
    class_1a_post: date
    """Class 1A NICs by cheque through the post: 19 July (reg 71)."""

    def fps(self, payday: date) -> date:
        """A Full Payment Submission is due on or before payday (PAYE Regulations reg 67B).

        ``payday`` must fall in this tax month.
        """
        if payday not in self.tax_month:
            raise InvalidPeriodError(
                self.tax_month.start,
                self.tax_month.end,
                "tax month",
                f"does not contain payday {payday.isoformat()}",
            )
        return payday


@checked_dates
@guard("payroll deadlines")
def payroll_deadlines(tax_month: date) -> PayrollDeadlines:
    """The PAYE deadlines of the tax month holding ``tax_month`` (any date inside it).

    Tax months run from the 6th to the 5th. For month 1 of 2024-25 (6 April to 5 May
    2024): EPS by 19 May; PAYE payment by 22 May electronically or 19 May by post
    (PAYE Regulations 2003 reg 69(1)); FPS on or before each payday (reg 67B).
    Year-end: P60 by 31 May 2025 (reg 67), P11D and P11D(b) by 6 July 2025 (reg 85;
    SSC Regulations 2001 reg 80), Class 1A NICs by 22 July 2025 electronically or
    19 July by post (SSC Regulations 2001 reg 71). HMRC guidance "Pay employers' PAYE"
    and "Running payroll". Quarterly payers (average monthly PAYE under £1,500) pay
    the 22nd after each tax quarter instead; use the quarter's last month.
    """
    month = tax_month_of(tax_month)
    year = tax_year_of(tax_month)
    following = month.end  # the 5th of the month the payment falls in
    after = year.end.year
    return PayrollDeadlines(
        tax_month=month,
        month_number=tax_month_number(tax_month),
        eps=following.replace(day=19),
        payment_electronic=following.replace(day=22),
        payment_post=following.replace(day=19),
        tax_year=year,
        final_eps=date(after, 4, 19),
        p60=date(after, 5, 31),
        p11d=date(after, 7, 6),
        class_1a_electronic=date(after, 7, 22),
        class_1a_post=date(after, 7, 19),
    )


@dataclass(frozen=True, slots=True)
class AccountingPeriodDates:
    """One Corporation Tax accounting period of a period of account, with its dates."""

    period: Period
    payment: date
    """TMA 1970 s.59D: nine months and one day after the accounting period ends."""
    return_due: date
    """FA 1998 Sch 18 para 14: the CT600 for this accounting period."""


@guard("corporation tax accounting periods")
def corporation_tax_accounting_periods(
    period_start: date, period_end: date
) -> tuple[AccountingPeriodDates, ...]:
    """Each accounting period of a period of account, its payment and its CT600 date.

    Rule: CTA 2009 s.10(1)(a) (HMRC manual CTM01405): an accounting period ends twelve
    months after it begins, so a longer period of account is two accounting periods;
    each pays nine months and one day after its own end (TMA 1970 s.59D, CTM01800) and
    each has its own return, due (FA 1998 Sch 18 para 14(1)(b), CTM93030) twelve months
    after the end of the *period of account* when that is not longer than 18 months.

    Period of account 1 January 2022 to 30 June 2023: accounting periods to 31 December
    2022 (tax due 1 October 2023) and to 30 June 2023 (tax due 1 April 2024); both
    CT600s are due 30 June 2024.
    """
    return tuple(
        AccountingPeriodDates(
            ap,
            corporation_tax_payment_due(ap.end),
            ct600_due(ap.end, period_of_account=(period_start, period_end)),
        )
        for ap in corporation_tax_periods(period_start, period_end)
    )


# -- PAYE: quarterly payers and PAYE Settlement Agreements -------------------------------


TAX_QUARTER_END_MONTHS: tuple[int, ...] = (7, 10, 1, 4)
"""Tax quarters end on 5 July, 5 October, 5 January and 5 April (PAYE Regulations reg 70)."""


@dataclass(frozen=True, slots=True)
class QuarterlyPayeDeadlines:
    """The PAYE payment dates of one tax quarter for a quarterly payer."""

    tax_quarter: Period
    payment_electronic: date
    """17 days after the tax quarter ends: the 22nd (PAYE Regulations 2003 reg 70, 69)."""
    payment_post: date
    """By cheque through the post: 14 days after, the 19th."""


def tax_quarter_of(d: date) -> Period:
    """The tax quarter (6 April-5 July, 6 July-5 October, 6 October-5 January,
    6 January-5 April) holding ``d``."""
    month = tax_month_of(d)
    number = tax_month_number(d)  # 1..12
    first = add_months(month.start, -((number - 1) % 3))
    return Period(first, add_months(first, 3) - ONE_DAY)


@guard("quarterly PAYE payment")
def quarterly_paye_deadlines(d: date) -> QuarterlyPayeDeadlines:
    """The quarterly PAYE payment dates of the tax quarter holding ``d``.

    Rule: PAYE Regulations 2003 (SI 2003/2682) reg 70: an employer whose average monthly
    payments of PAYE, NICs and student loan deductions are under £1,500 may pay
    quarterly, within 17 days after each tax quarter ends when paying electronically
    (the 22nd), or 14 days (the 19th) by cheque (reg 69(1) applied by reg 70; HMRC
    "Pay employers' PAYE: quarterly payments"). Quarter 6 April to 5 July 2024: due
    22 July 2024 (19 July by post).
    """
    quarter = tax_quarter_of(d)
    return QuarterlyPayeDeadlines(
        tax_quarter=quarter,
        payment_electronic=quarter.end.replace(day=22),
        payment_post=quarter.end.replace(day=19),
    )


@dataclass(frozen=True, slots=True)
class PsaDeadlines:
    """PAYE Settlement Agreement dates of one tax year."""

    tax_year: Period
    application: date
    """Agree a PSA by 5 July after the first tax year it covers (PAYE Regulations reg 112)."""
    payment_electronic: date
    """Tax and Class 1B NICs paid electronically: 22 October after the tax year."""
    payment_post: date
    """By cheque through the post: 19 October after the tax year."""


@guard("PAYE Settlement Agreement")
def psa_deadlines(tax_year: date | str) -> PsaDeadlines:
    """The PAYE Settlement Agreement (PSA) and Class 1B dates of a tax year.

    Rule: PAYE Regulations 2003 Part 6 (regs 105-117; reg 112: the agreement is made by
    5 July after the tax year; reg 109: payment by 19 October after it, extended to
    22 October for electronic payment) and Social Security (Contributions) Regulations
    2001 reg 71 / Sch 4 (Class 1B NICs paid with the PSA tax). HMRC "PAYE Settlement
    Agreements: deadlines and payment". For 2024-25: apply by 5 July 2025, pay by
    22 October 2025 (19 October by post).
    """
    year = _tax_year(tax_year)
    after = year.end.year
    return PsaDeadlines(
        tax_year=year,
        application=date(after, 7, 5),
        payment_electronic=date(after, 10, 22),
        payment_post=date(after, 10, 19),
    )
