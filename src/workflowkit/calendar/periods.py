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
from workflowkit.errors import checked_dates

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


@checked_dates
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


def _reference_date_of(d: date) -> YearEnd:
    """The accounting reference date a period ending on ``d`` sets (a month end stays a
    month end: s.391(4) and s.443)."""
    if (d + ONE_DAY).day == 1:
        return YearEnd(
            month=d.month, day=(31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[d.month - 1]
        )
    return YearEnd(month=d.month, day=d.day)


def _regular_periods(
    client: Client, ye: YearEnd, after: date | None, start: date, end: date
) -> list[Period]:
    """Twelve-month periods ending on ``ye`` overlapping ``start..end``; with ``after``,
    only those beginning after it (the first begins the day after ``after``)."""
    out: list[Period] = []
    year = max(after.year + 1 if after is not None else start.year - 1, start.year - 1)
    while True:
        period_end = ye.on(year)
        period_start = ye.on(year - 1) + ONE_DAY
        year += 1
        if after is not None:
            if period_end <= after:
                continue
            period_start = max(period_start, after + ONE_DAY)
        if period_end < start:
            continue
        if period_start > end:
            break
        out.append(Period(period_start, period_end))
    return out


def _original_periods(client: Client, start: date, end: date) -> list[Period]:
    """The periods before any change of reference date."""
    ye = accounting_reference_date(client)
    first_end = first_accounting_period_end(client)
    out: list[Period] = []
    if first_end is not None and client.incorporated is not None:
        if first_end >= start and client.incorporated <= end:
            out.append(Period(client.incorporated, first_end))
        out.extend(_regular_periods(client, ye, first_end, start, end))
        return out
    return _regular_periods(client, ye, None, start, end)


@checked_dates
def accounting_periods(client: Client, start: date, end: date) -> tuple[Period, ...]:
    """The client's accounting periods overlapping ``start..end`` (both inclusive).

    Periods are twelve months ending on the client's year end (its accounting reference
    date; by default the last day of the month of the incorporation anniversary,
    Companies Act 2006 s.391(4)). The first period begins on incorporation (or, for a
    sole trader or partnership, when trading began) and, for a company, is more than six
    and not more than 18 months long (s.391(5)). Each change of accounting reference
    date (``reference_date_changes``, s.392) ends the period it changes on its
    ``new_end`` (shortened, or extended up to 18 months, s.392(5)), and later periods end
    on the new date's anniversaries. The 7-day flexibility of s.390(3) moves only the
    financial year, not the reference period: see
    :func:`workflowkit.calendar.reference_dates.financial_year_end_allowed`.

    Raises :class:`MissingClientDataError` when the client has neither a year end nor
    (for a company) an incorporation date.
    """
    check_window(start, end)
    changes = client.reference_date_changes
    if not changes:
        return tuple(_original_periods(client, start, end))
    first = changes[0]
    out = [
        p
        for p in _original_periods(client, start, min(end, first.period_start - ONE_DAY))
        if p.end < first.period_start
    ]
    for i, change in enumerate(changes):
        upto = changes[i + 1].period_start if i + 1 < len(changes) else None
        changed = Period(change.period_start, change.new_end)
        if changed.overlaps(start, end):
            out.append(changed)
        window_end = end if upto is None else min(end, upto - ONE_DAY)
        if window_end <= change.new_end:
            continue
        ye = _reference_date_of(change.new_end)
        for p in _regular_periods(client, ye, change.new_end, start, window_end):
            if upto is not None and p.end >= upto:
                break
            out.append(p)
    return tuple(out)


def original_period_end(client: Client, period_start: date) -> date | None:
    """The end the period beginning ``period_start`` had before the changes of reference
    date that start on or after it, or ``None`` when no period begins there."""
    earlier = tuple(c for c in client.reference_date_changes if c.period_start < period_start)
    base = client.model_copy(update={"reference_date_changes": earlier})
    for p in accounting_periods(base, period_start, period_start):
        if p.start == period_start:
            return p.end
    return None


def corporation_tax_accounting_periods_of(
    client: Client, start: date, end: date
) -> tuple[Period, ...]:
    """The client's Corporation Tax accounting periods overlapping ``start..end``: each
    period of account (:func:`accounting_periods`) split into 12-month accounting
    periods and the remainder (CTA 2009 s.10(1)(a))."""
    from workflowkit.calendar.deadlines import corporation_tax_periods

    out: list[Period] = []
    for poa in accounting_periods(client, start, end):
        out.extend(
            ap for ap in corporation_tax_periods(poa.start, poa.end) if ap.overlaps(start, end)
        )
    return tuple(out)


def period_of_account(client: Client, ap: Period) -> Period:
    """The period of account holding the accounting period ``ap`` (``ap`` itself when
    the client's periods hold none)."""
    for poa in accounting_periods(client, ap.start, ap.end):
        if poa.start <= ap.start and ap.end <= poa.end:
            return poa
    return ap


# -- confirmation statements -------------------------------------------------------------


@checked_dates
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


@checked_dates
def tax_months(start: date, end: date) -> tuple[Period, ...]:
    """Tax months (6th to 5th) overlapping ``start..end``."""
    check_window(start, end)
    out: list[Period] = []
    p = tax_month_of(start)
    while p.start <= end:
        out.append(p)
        p = tax_month_of(p.end + ONE_DAY)
    return tuple(out)


@checked_dates
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
    if event == "accounting_period_end":
        return corporation_tax_accounting_periods_of(client, start, end)
    if event == "vat_period_end":
        return vat_periods(client, start, end)
    if event == "confirmation_statement":
        return confirmation_periods(client, start, end)
    if event == "tax_month_end":
        return payroll_months(client, start, end)
    return tax_years(start, end)
