"""A client's periods: VAT periods, accounting periods, confirmation statement review
periods, tax months and tax years.

Every function returns the periods that overlap ``start..end`` (both inclusive), in
order, as :class:`~workflowkit.calendar.dates.Period` values.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from workflowkit.calendar.dates import (
    ONE_DAY,
    Period,
    add_months,
    check_window,
    month_end,
    tax_month_of,
    tax_year_of,
)
from workflowkit.calendar.errors import (
    InvalidStaggerError,
    MissingClientDataError,
    NotApplicableError,
)
from workflowkit.calendar.models import Client, Event, VatRegistration, YearEnd

# -- VAT -------------------------------------------------------------------------------


def _stagger(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
        raise InvalidStaggerError(value)
    return value


def _stagger_periods(stagger: int, start: date, end: date) -> Iterator[Period]:
    """Periods of a stagger overlapping ``start..end``."""
    if stagger == 0:
        y, m = start.year, start.month
        while True:
            p = Period(date(y, m, 1), month_end(y, m))
            if p.start > end:
                return
            yield p
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    # quarters end in months congruent to stagger + 2 (mod 3): 1 -> Mar, 2 -> Apr, 3 -> May
    offset = (start.month - (stagger + 2)) % 3
    last = add_months(date(start.year, start.month, 1), (3 - offset) % 3)
    while True:
        first = add_months(last, -2)
        p = Period(first, month_end(last.year, last.month))
        if p.start > end:
            return
        yield p
        last = add_months(last, 3)


def _annual_periods(year_end_month: int, start: date, end: date) -> Iterator[Period]:
    y = start.year if start <= month_end(start.year, year_end_month) else start.year + 1
    while True:
        last = month_end(y, year_end_month)
        p = Period(add_months(last, -12) + ONE_DAY, last)
        if p.start > end:
            return
        yield p
        y += 1


def _clip(
    periods: Iterator[Period], registered: date | None, deregistered: date | None
) -> Iterator[Period]:
    for p in periods:
        if registered is not None and p.end < registered:
            continue
        if deregistered is not None and p.start > deregistered:
            return
        s = max(p.start, registered) if registered is not None else p.start
        e = min(p.end, deregistered) if deregistered is not None else p.end
        yield p if (s, e) == (p.start, p.end) else Period(s, e)


def registration_periods(vat: VatRegistration, start: date, end: date) -> tuple[Period, ...]:
    """The VAT periods of a registration overlapping ``start..end``."""
    check_window(start, end)
    if vat.periods:
        return tuple(
            Period(p.start, p.end) for p in vat.periods if p.start <= end and start <= p.end
        )
    if vat.annual_accounting:
        assert vat.year_end_month is not None
        raw = _annual_periods(vat.year_end_month, start, end)
    else:
        assert vat.stagger is not None
        raw = _stagger_periods(vat.stagger, start, end)
    return tuple(
        p for p in _clip(raw, vat.registered, vat.deregistered) if p.start <= end and start <= p.end
    )


def vat_periods(
    stagger_or_client: int | Client | VatRegistration, start: date, end: date
) -> tuple[Period, ...]:
    """VAT periods overlapping ``start..end`` (both inclusive), in order.

    ``stagger_or_client`` is a stagger group, a client, or a VAT registration. Stagger
    groups (VAT Notice 700/12 §3; HMRC manual VATREG27300): 0 = monthly; 1 = quarters
    ending March, June, September, December; 2 = April, July, October, January; 3 = May,
    August, November, February. Each quarter ends on a month end and the quarters tile
    time without gaps. A client's registration may instead list non-standard periods
    (VAT Regulations 1995 reg 25(1)(c)), or be on the Annual Accounting Scheme (12-month
    periods ending on the last day of ``year_end_month``; reg 50). With ``registered``,
    the first period starts on the effective date of registration (reg 25(1)(b)); with
    ``deregistered`` the last period ends on it.

    Raises :class:`InvalidStaggerError` for a stagger other than 0 to 3,
    :class:`MissingClientDataError` for a client without a VAT registration, and
    :class:`InvalidPeriodError` when ``end`` is before ``start``.
    """
    check_window(start, end)
    if isinstance(stagger_or_client, Client):
        if stagger_or_client.vat is None:
            raise MissingClientDataError(stagger_or_client.id, "VAT registration", "vat_periods")
        return registration_periods(stagger_or_client.vat, start, end)
    if isinstance(stagger_or_client, VatRegistration):
        return registration_periods(stagger_or_client, start, end)
    return tuple(_stagger_periods(_stagger(stagger_or_client), start, end))


# -- accounting periods ------------------------------------------------------------------


def accounting_reference_date(client: Client) -> YearEnd:
    """The client's year end, or a company's default from its incorporation.

    Companies Act 2006 s.391(4): a company incorporated on or after 1 April 1996 has as
    its accounting reference date the last day of the month in which the anniversary
    of its incorporation falls.
    """
    if client.year_end is not None:
        return client.year_end
    if client.is_company and client.incorporated is not None:
        month = client.incorporated.month
        return YearEnd(month=month, day=(31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1])
    raise MissingClientDataError(
        client.id, "year_end (or incorporation date)", "accounting periods"
    )


def first_accounting_period_end(client: Client) -> date | None:
    """End of the first accounting period, when the client's start date is known.

    Companies (s.391(5)): the first accounting reference period begins on incorporation
    and is more than six months and not more than 18 months long, so it ends on the one
    year-end date in that window. Sole traders and partnerships: the first year end on
    or after trading began.
    """
    inc = client.incorporated
    if inc is None:
        return None
    ye = accounting_reference_date(client)
    if client.is_company:
        earliest = add_months(inc, 6)
        candidate = ye.on(earliest.year)
        if candidate < earliest:
            candidate = ye.on(earliest.year + 1)
        return candidate
    candidate = ye.on(inc.year)
    return candidate if candidate >= inc else ye.on(inc.year + 1)


def accounting_periods(client: Client, start: date, end: date) -> tuple[Period, ...]:
    """The client's accounting periods overlapping ``start..end`` (both inclusive).

    Periods are twelve months ending on the client's year end (its accounting reference
    date; by default the last day of the month of the incorporation anniversary,
    Companies Act 2006 s.391(4)). The first period begins on incorporation (or, for a
    sole trader or partnership, when trading began) and, for a company, is more than six
    and not more than 18 months long (s.391(5)). The 7-day flexibility of s.390(3) and
    changes of accounting reference date (s.392) are not modelled: give the current
    year end.

    Raises :class:`MissingClientDataError` when the client has neither a year end nor
    (for a company) an incorporation date.
    """
    check_window(start, end)
    ye = accounting_reference_date(client)
    first_end = first_accounting_period_end(client)
    out: list[Period] = []
    if first_end is not None and client.incorporated is not None:
        if first_end >= start and client.incorporated <= end:
            out.append(Period(client.incorporated, first_end))
        year = max(first_end.year + 1, start.year - 1)
    else:
        year = start.year - 1
    while True:
        period_end = ye.on(year)
        period_start = ye.on(year - 1) + ONE_DAY
        year += 1
        if period_end < start:
            continue
        if period_start > end:
            break
        out.append(Period(period_start, period_end))
    return tuple(out)


# -- confirmation statements -------------------------------------------------------------


def confirmation_periods(client: Client, start: date, end: date) -> tuple[Period, ...]:
    """Confirmation statement review periods overlapping ``start..end``.

    Companies Act 2006 s.853A(3): the first review period is the 12 months beginning with
    the day of incorporation; each later one is the 12 months beginning with the day
    after the previous one ends (or after the date of the last statement, when one was
    delivered early: give that date as ``confirmation_date``).
    """
    check_window(start, end)
    if not client.is_company:
        raise NotApplicableError(
            client.id,
            "confirmation_statement",
            f"a {client.company_type.replace('_', ' ')} files no confirmation statement",
        )
    if client.confirmation_date is not None:
        anchor = client.confirmation_date

        def end_of(k: int) -> date:
            return add_months(anchor, 12 * k)

    elif client.incorporated is not None:
        inc = client.incorporated

        def end_of(k: int) -> date:
            return add_months(inc, 12 * (k + 1)) - ONE_DAY

    else:
        raise MissingClientDataError(
            client.id, "incorporation date or confirmation_date", "confirmation statements"
        )
    floor = client.incorporated
    k = (start.year - end_of(0).year) - 1
    out: list[Period] = []
    while True:
        e = end_of(k)
        s = end_of(k - 1) + ONE_DAY
        k += 1
        if floor is not None:
            if e < floor:
                continue
            s = max(s, floor)
        if e < start:
            continue
        if s > end:
            break
        out.append(Period(s, e))
    return tuple(out)


# -- tax months and years ----------------------------------------------------------------


def tax_months(start: date, end: date) -> tuple[Period, ...]:
    """Tax months (6th to 5th) overlapping ``start..end``."""
    check_window(start, end)
    out: list[Period] = []
    p = tax_month_of(start)
    while p.start <= end:
        out.append(p)
        p = tax_month_of(p.end + ONE_DAY)
    return tuple(out)


def tax_years(start: date, end: date) -> tuple[Period, ...]:
    """UK tax years (6 April to 5 April) overlapping ``start..end``."""
    check_window(start, end)
    out: list[Period] = []
    p = tax_year_of(start)
    while p.start <= end:
        out.append(p)
        p = tax_year_of(p.end + ONE_DAY)
    return tuple(out)


def payroll_months(client: Client, start: date, end: date) -> tuple[Period, ...]:
    """Tax months of the client's PAYE scheme overlapping ``start..end``."""
    if client.payroll is None:
        raise MissingClientDataError(client.id, "payroll", "tax_month_end")
    began = client.payroll.started
    return tuple(p for p in tax_months(start, end) if began is None or p.end >= began)


def event_periods(client: Client, event: Event, start: date, end: date) -> tuple[Period, ...]:
    """The client's periods for a workflow event, overlapping ``start..end``."""
    if event == "year_end":
        return accounting_periods(client, start, end)
    if event == "vat_period_end":
        return vat_periods(client, start, end)
    if event == "confirmation_statement":
        return confirmation_periods(client, start, end)
    if event == "tax_month_end":
        return payroll_months(client, start, end)
    return tax_years(start, end)
