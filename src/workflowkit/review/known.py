"""What ``start`` checks when it knows the practice: the client exists, the period fits.

The review engine does not import the calendar (see the layering in ``DESIGN.md``), so
the practice is taken structurally: anything with a ``clients`` sequence whose items
have an ``id`` (a :class:`workflowkit.calendar.Practice` is one). A period is read from
the labels people and ``run`` write:

- ``2026-11`` a calendar month, ``2026`` a calendar year, ``2026-Q3`` a calendar quarter;
- ``2026-04-06..2026-05-05`` any span, both dates inclusive (``run`` writes these for
  periods that are not a calendar month or year).

Which of those fit a template's ``period`` kind is :data:`FITS`; ``any`` takes any text.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Protocol

from workflowkit.review.errors import InvalidStartError


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


class KnownPractice(Protocol):
    """The part of a practice ``start`` reads: its clients (each with an ``id``)."""

    @property
    def clients(self) -> Sequence[_HasId]: ...


class UnknownClientError(InvalidStartError):
    """``start`` was given a client the practice does not have."""

    def __init__(self, client: str, suggestions: Sequence[str]) -> None:
        self.client = client
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {' or '.join(map(repr, self.suggestions))}?" if suggestions else ""
        super().__init__("client", f"the practice has no client {client!r}{hint}")


class PeriodMismatchError(InvalidStartError):
    """``start`` was given a period that does not fit the template's period kind."""

    def __init__(self, period: str, kind: str, reason: str) -> None:
        self.period = period
        self.kind = kind
        super().__init__("period", reason)


@dataclass(frozen=True, slots=True)
class Span:
    """A period read from its label: both dates inclusive, and the shape it was written in."""

    start: date
    end: date
    shape: str  # "month", "quarter", "year" or "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
_QUARTER: Final = re.compile(r"(\d{4})-Q([1-4])")
_YEAR: Final = re.compile(r"(\d{4})")
_RANGE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Span | None:
    """The span a period label names, or ``None`` when it is not a period label."""
    try:
        if m := _MONTH.fullmatch(text):
            y, mo = int(m[1]), int(m[2])
            return Span(date(y, mo, 1), _month_end(y, mo), "month")
        if m := _QUARTER.fullmatch(text):
            y, q = int(m[1]), int(m[2])
            return Span(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter")
        if m := _YEAR.fullmatch(text):
            y = int(m[1])
            return Span(date(y, 1, 1), date(y, 12, 31), "year")
        if m := _RANGE.fullmatch(text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            return Span(start, end, "range") if start <= end else None
    except ValueError:  # month 13, 30 February, year 0
        return None
    return None


FITS: Final[dict[str, tuple[str, int, int]]] = {
    # kind: (what it takes, in words; the fewest and most days of a span that fits)
    "monthly": ("a month such as 2026-11 (or a span of 28 to 31 days)", 28, 31),
    "quarterly": ("a quarter such as 2026-Q3 (or a span of 89 to 92 days)", 89, 92),
    "vat-period": ("a VAT period: a month, a quarter, a year or a span of up to a year", 28, 366),
    "annual": ("a year such as 2026, or an accounting period of up to 18 months", 1, 549),
    "one-off": ("a period label: 2026-11, 2026-Q3, 2026 or 2026-01-01..2026-06-30", 1, 100_000),
}
"""What each template period kind takes (``any`` takes any text)."""

_SHAPES: Final[dict[str, frozenset[str]]] = {
    "monthly": frozenset({"month", "range"}),
    "quarterly": frozenset({"quarter", "range"}),
    "vat-period": frozenset({"month", "quarter", "year", "range"}),
    "annual": frozenset({"year", "range"}),
    "one-off": frozenset({"month", "quarter", "year", "range"}),
}


def period_problem(kind: str, period: str) -> str | None:
    """Why ``period`` does not fit a template of period ``kind``; ``None`` when it fits."""
    if kind not in FITS:
        return None
    words, low, high = FITS[kind]
    span = parse_period(period)
    if span is None:
        return f"{period!r} is not a period; a {kind} template takes {words}"
    if span.shape not in _SHAPES[kind] or not low <= span.days <= high:
        return f"{period!r} does not fit a {kind} template, which takes {words}"
    return None


def check_known(practice: KnownPractice, client: str, period: str, kind: str) -> None:
    """Raise :class:`UnknownClientError` or :class:`PeriodMismatchError` if they do not fit."""
    ids = [c.id for c in practice.clients]
    if client not in ids:
        raise UnknownClientError(client, difflib.get_close_matches(client, ids, n=3, cutoff=0.6))
    problem = period_problem(kind, period)
    if problem is not None:
        raise PeriodMismatchError(period, kind, problem)
