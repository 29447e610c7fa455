"""Calendar arithmetic: months, month ends, periods, UK tax years and tax months.

Two ways of adding months appear in UK law, and the difference matters on month ends:

* the **corresponding date** rule (*Dodds v Walker* [1981] 1 WLR 1027): the same day so
  many months on, or the last day of that month when it has no such day
  (31 January + 1 month = 28 or 29 February);
* the **month-end** rule of Companies Act 2006 s.443(3): when the start is the last day
  of a month, the result is the last day of the target month
  (30 June + 6 months = 31 December, not 30 December).

:func:`add_months` does both (``month_end=True`` for the second).
"""

from __future__ import annotations

import calendar as _calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ParamSpec, TypeVar

from workflowkit.calendar.errors import DateOutOfRangeError, InvalidPeriodError
from workflowkit.errors import WorkflowkitError

_P = ParamSpec("_P")
_R = TypeVar("_R")

ONE_DAY = timedelta(days=1)

EARLIEST_DATE = date(1800, 1, 1)
"""The earliest date ``validate`` accepts in a client list or workflow (WK330)."""
LATEST_DATE = date(9990, 12, 31)
"""The latest date ``validate`` accepts in a client list or workflow (WK330).

The longest rule reaches about 31 months past a period end (a CT600 for an 18-month
period of account, 30 months from its start; a first period of 18 months before it), and
a plan window adds its own span: nine years of margin below ``date.max`` (9999-12-31)
keeps every computed deadline inside the calendar.
"""


def days_in_month(year: int, month: int) -> int:
    """How many days ``month`` of ``year`` has (28 to 31)."""
    return _calendar.monthrange(year, month)[1]


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` of ``year``."""
    return date(year, month, days_in_month(year, month))


def is_month_end(d: date) -> bool:
    """True when ``d`` is the last day of its month (28/29 February included)."""
    return (d + ONE_DAY).day == 1


def add_months(d: date, months: int, *, month_end: bool = False) -> date:
    """``d`` moved by ``months`` calendar months (negative goes back).

    Without ``month_end`` the corresponding date is used, clamped to the last day of
    the target month when it has no such day. With ``month_end=True`` a month-end start
    lands on the month end (Companies Act 2006 s.443(3)).
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last = days_in_month(year, month0 + 1)
    if month_end and is_month_end(d):
        return date(year, month0 + 1, last)
    return date(year, month0 + 1, min(d.day, last))


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A reporting period: both ends inclusive, ``start <= end``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidPeriodError(self.start, self.end)

    @property
    def days(self) -> int:
        """Length in days, both ends counted."""
        return (self.end - self.start).days + 1

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def overlaps(self, start: date, end: date) -> bool:
        """True when this period shares at least one day with ``start..end`` (inclusive)."""
        return self.start <= end and start <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def check_window(start: date, end: date, what: str = "window") -> None:
    """Raise :class:`InvalidPeriodError` when ``end`` is before ``start``."""
    if end < start:
        raise InvalidPeriodError(start, end, what)


# -- UK tax years and tax months -------------------------------------------------------


def tax_year_start(d: date) -> date:
    """6 April on or before ``d``: the start of the UK tax year holding ``d``."""
    start = date(d.year, 4, 6)
    return start if d >= start else date(d.year - 1, 4, 6)


def tax_year_of(d: date) -> Period:
    """The UK tax year (6 April to 5 April) that holds ``d``."""
    start = tax_year_start(d)
    return Period(start, date(start.year + 1, 4, 5))


def tax_month_of(d: date) -> Period:
    """The tax month (the 6th of one month to the 5th of the next) that holds ``d``."""
    start = date(d.year, d.month, 6) if d.day >= 6 else add_months(date(d.year, d.month, 6), -1)
    return Period(start, add_months(start, 1) - ONE_DAY)


def tax_month_number(d: date) -> int:
    """1 (6 April to 5 May) to 12 (6 March to 5 April) for the tax month holding ``d``."""
    start = tax_month_of(d).start
    return (start.month - 4) % 12 + 1


# -- calendar periods ------------------------------------------------------------------


def calendar_month_of(d: date) -> Period:
    return Period(date(d.year, d.month, 1), month_end(d.year, d.month))


def calendar_quarter_of(d: date) -> Period:
    first = (d.month - 1) // 3 * 3 + 1
    return Period(date(d.year, first, 1), month_end(d.year, first + 2))


def calendar_year_of(d: date) -> Period:
    return Period(date(d.year, 1, 1), date(d.year, 12, 31))


def iso_week_of(d: date) -> Period:
    """Monday to Sunday."""
    monday = d - timedelta(days=d.weekday())
    return Period(monday, monday + timedelta(days=6))


def day_of(d: date) -> Period:
    return Period(d, d)


# -- the ends of the calendar --------------------------------------------------------------


def _first_date(args: tuple[object, ...], kwargs: dict[str, object]) -> date:
    for value in (*args, *kwargs.values()):
        if isinstance(value, date):
            return value
        if isinstance(value, Period):
            return value.end
    return date.max


def guard(rule: str) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Turn the raw ``OverflowError``/``ValueError`` that date arithmetic raises past
    0001-01-01 or 9999-12-31 into :class:`DateOutOfRangeError` naming ``rule`` and the
    date it was asked about. Typed workflowkit errors pass through unchanged."""

    def wrap(fn: Callable[_P, _R]) -> Callable[_P, _R]:
        @functools.wraps(fn)
        def inner(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                return fn(*args, **kwargs)
            except WorkflowkitError:
                raise
            except (OverflowError, ValueError) as exc:
                raise DateOutOfRangeError(_first_date(args, kwargs), rule, str(exc)) from None

        return inner

    return wrap
