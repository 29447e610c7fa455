"""Cron schedules on wall-clock time, made timezone-aware without gaps or doubles.

A workflow cron fires at most once a day (a reporting period is a day or longer), so
an expression is one wall-clock time (hour and minute) on the days its day-of-month,
month and day-of-week fields match. croniter finds those days on *naive* wall-clock
datetimes, where no clock ever changes; each firing is then placed on the timeline in
the client's timezone by :func:`localize`:

* a wall time that does not exist (the spring gap: 01:30 on the last Sunday of March in
  Europe/London) fires once, shifted forward by the length of the gap (02:30 BST);
* a wall time that happens twice (the autumn overlap) fires once, at its first
  occurrence (PEP 495 ``fold=0``, as Vixie cron does).

So a daily 01:30 Europe/London job fires exactly once on every day of the year. The
days an expression fires on do not depend on the timezone, so they are computed once
per expression and shared by every client; only the localisation is per timezone.

Expressions are validated strictly: five fields, no seconds or year field, no
random (``R``) or hashed (``H``) values, days that exist (``31 2`` is rejected), at most
one firing a day, and no more than :data:`MAX_QUIET_YEARS` calendar years in a row
without a firing (so a sparse expression can neither hang the planner nor silently
never fire).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Final

from workflowkit.calendar.errors import InvalidCronError

MAX_QUIET_YEARS: Final = 8
"""The most calendar years in a row a valid expression may go without firing
(29 February goes seven, from 2097 to 2103)."""
MAX_GAP_YEARS: Final = 10
"""The search bound given to croniter: longer than any gap a valid expression has."""

ALIASES: Final[dict[str, str]] = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
}
_FIELD = re.compile(r"^[0-9A-Za-z*,/#?-]+$")
_NAMES = re.compile(r"JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|SUN|MON|TUE|WED|THU|FRI|SAT")
_FIELD_NAMES: Final = ("minute", "hour", "day-of-month", "month", "day-of-week")


_RANGES: Final[dict[str, tuple[int, int, str]]] = {
    "minute": (0, 59, "minute"),
    "hour": (0, 23, "hour"),
    "day-of-month": (1, 31, "day of month"),
    "month": (1, 12, "month"),
    "day-of-week": (0, 7, "day of week"),
}
_NAMED: Final[dict[str, tuple[str, ...]]] = {
    "month": ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
    "day-of-week": ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"),
}
_SPECIAL = re.compile(r"[LW#?]", re.IGNORECASE)


def _range_text(name: str) -> str:
    low, high, words = _RANGES[name]
    extra = {
        "month": ", or JAN-DEC",
        "day-of-week": ", or SUN-SAT; 0 and 7 are Sunday",
    }.get(name, "")
    return f"{words} is {low}-{high}{extra}"


def _number(name: str, token: str) -> int | None:
    """The value of one number or name of field ``name``; ``None`` if it is neither."""
    if token.isdigit():
        return int(token)
    names = _NAMED.get(name, ())
    upper = token.upper()
    if upper in names:
        return names.index(upper) + (1 if name == "month" else 0)
    return None


def field_problem(name: str, value: str) -> str | None:
    """What is wrong with ``value`` as cron field ``name`` (``minute``, ``hour``,
    ``day-of-month``, ``month``, ``day-of-week``), naming the field and its range; ``None``
    when it reads as a list of values, ranges and steps in range. Fields with the
    special characters ``L``, ``W``, ``#`` or ``?`` are left to croniter."""
    if _SPECIAL.search(value):
        return None
    low, high, _ = _RANGES[name]
    where = f"the {name} field {value!r}"
    for item in value.split(","):
        if not item:
            return f"{where} has an empty item in its list (two commas, or one at an end)"
        base, slash, step = item.partition("/")
        if slash:
            if not step.isdigit() or int(step) == 0:
                return (
                    f"{where}: the step after '/' in {item!r} must be a whole number from 1, "
                    f"e.g. */5 ({_range_text(name)})"
                )
            if int(step) > high - low + 1:
                return f"{where}: the step {step} is longer than the field ({_range_text(name)})"
        if base == "*":
            continue
        start, dash, end = base.partition("-")
        if not start or (dash and not end):
            return f"{where}: {item!r} is not a value or a range like 1-5 ({_range_text(name)})"
        for token in (start, end) if dash else (start,):
            number = _number(name, token)
            if number is None:
                return f"{where}: {token!r} is not a number ({_range_text(name)})"
            if not low <= number <= high:
                return f"{where}: {number} is out of range ({_range_text(name)})"
    return None


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """A validated cron expression: the time of day and the day fields."""

    expression: str
    """The expression as written (aliases expanded)."""
    at: time
    """The one wall-clock time of day it fires at."""


def _fail(expr: str, reason: str, code: str = "WK310") -> InvalidCronError:
    return InvalidCronError(expr, reason, code)


@lru_cache(maxsize=1024)
def parse_cron(expression: str) -> CronSchedule:
    """Validate ``expression`` strictly; raise :class:`InvalidCronError` (with ``.code``).

    Codes: WK310 malformed, WK311 fires more than once a day, WK312 goes more than
    :data:`MAX_QUIET_YEARS` years without firing (or never fires).
    """
    from croniter import croniter
    from croniter.croniter import CroniterError

    text = " ".join(expression.split())
    if not text:
        raise _fail(expression, "the expression is empty")
    if text.startswith("@"):
        if text.lower() not in ALIASES:
            raise _fail(
                expression,
                f"unknown alias {text!r}; use one of {', '.join(ALIASES)} or five fields",
            )
        text = ALIASES[text.lower()]
    fields = text.split(" ")
    if len(fields) != 5:
        raise _fail(
            expression,
            f"a cron expression has 5 fields (minute hour day-of-month month day-of-week), "
            f"not {len(fields)}",
        )
    for name, value in zip(_FIELD_NAMES, fields, strict=True):
        if not _FIELD.match(value):
            raise _fail(expression, f"the {name} field {value!r} has characters cron does not use")
        letters = {ch for ch in _NAMES.sub("", value.upper()) if ch.isalpha()} - {"L", "W"}
        if "R" in letters:
            raise _fail(expression, f"the {name} field {value!r} uses R (random): not repeatable")
        if "H" in letters:
            raise _fail(expression, f"the {name} field {value!r} uses H (hashed): not supported")
        if letters:
            raise _fail(
                expression,
                f"the {name} field {value!r} has letters cron does not know: "
                + "".join(sorted(letters)),
            )
    for name, value in zip(_FIELD_NAMES, fields, strict=True):
        problem = field_problem(name, value)
        if problem is not None:
            raise _fail(expression, problem)
    try:
        if not croniter.is_valid(text, strict=True):
            raise _fail(
                expression, "not a valid cron expression (or names a day that never exists)"
            )
        probe = croniter(text, datetime(2001, 1, 1))
        minutes, hours = probe.expanded[0], probe.expanded[1]
    except CroniterError as exc:
        raise _fail(expression, f"not a valid cron expression: {exc}") from None
    if len(minutes) != 1 or len(hours) != 1 or "*" in (minutes[0], hours[0]):
        raise _fail(
            expression,
            "fires more than once a day; a workflow's reporting period is a day or longer",
            "WK311",
        )
    at = time(int(hours[0]), int(minutes[0]))
    quiet = _longest_quiet_run(text)
    if quiet > MAX_QUIET_YEARS:
        raise _fail(
            expression,
            f"goes {quiet} years in a row without firing; at most {MAX_QUIET_YEARS} are allowed"
            if quiet < 400
            else "never fires",
            "WK312",
        )
    return CronSchedule(text, at)


def _longest_quiet_run(text: str) -> int:
    """The longest run of calendar years without a firing, over a whole 400-year
    Gregorian cycle (after which dates and weekdays repeat exactly)."""
    from croniter import croniter
    from croniter.croniter import CroniterBadDateError

    it = croniter(text, datetime(2001, 1, 1), max_years_between_matches=1)
    run = longest = 0
    for year in range(2001, 2401):
        it.set_current(datetime(year, 1, 1) - timedelta(minutes=1), force=True)
        try:
            hit = it.get_next(datetime).year == year
        except CroniterBadDateError:
            hit = False
        run = 0 if hit else run + 1
        longest = max(longest, run)
    return longest


def cron_fire_dates(schedule: CronSchedule, start: date, end: date) -> list[date]:
    """The wall-clock dates in ``start..end`` (inclusive) on which ``schedule`` fires."""
    from croniter import croniter
    from croniter.croniter import CroniterBadDateError

    out: list[date] = []
    if end < start:
        return out
    cursor = datetime.combine(start, time()) - timedelta(minutes=1)
    stop = datetime.combine(end, time.max)
    while cursor < stop:
        it = croniter(schedule.expression, cursor, max_years_between_matches=MAX_GAP_YEARS)
        try:
            while True:
                nxt: datetime = it.get_next(datetime)
                if nxt > stop:
                    return out
                out.append(nxt.date())
                cursor = nxt
        except CroniterBadDateError:
            # nothing within MAX_GAP_YEARS of the last firing: skip most of that span
            cursor += timedelta(days=365 * (MAX_GAP_YEARS - 1))
    return out


def cron_previous_date(schedule: CronSchedule, before: date) -> date | None:
    """The last date before ``before`` on which ``schedule`` fires (``None`` if none in
    :data:`MAX_GAP_YEARS` years)."""
    from croniter import croniter
    from croniter.croniter import CroniterBadDateError

    it = croniter(
        schedule.expression,
        datetime.combine(before, time()),
        max_years_between_matches=MAX_GAP_YEARS,
    )
    try:
        prev: datetime = it.get_prev(datetime)
    except CroniterBadDateError:
        return None
    return prev.date()


def localize(day: date, at: time, zone: tzinfo) -> datetime:
    """The moment wall-clock ``at`` on ``day`` happens in ``zone``.

    Gap (the time does not exist): shifted forward by the gap. Overlap (it happens
    twice): the first occurrence.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).astimezone(zone)
