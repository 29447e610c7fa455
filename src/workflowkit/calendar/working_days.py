"""Working days: weekends and UK bank holidays per division, and the policies that move
a date onto a working day.

Bank holidays differ across England and Wales, Scotland and Northern Ireland. They come
from the maintained `holidays` package (``holidays.country_holidays("GB", subdiv=...)``)
or from a file the practice provides:

* CSV or text: one ``date,division[,title]`` per line (``#`` starts a comment, a header
  line ``date,division,title`` is allowed), divisions ``england_and_wales``,
  ``scotland``, ``northern_ireland`` (GOV.UK's ``england-and-wales`` spelling works too);
* JSON in the format of https://www.gov.uk/bank-holidays.json.

A file replaces the package for each division and year it lists at least one date for;
other years (and divisions) still come from the package, so a file for 2025 does not
silently turn 2026 into a year without bank holidays.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final, cast

from workflowkit.calendar.models import Division, WorkingDayPolicy
from workflowkit.errors import CalendarError, Diagnostic, DocumentError

DIVISIONS: Final[tuple[Division, ...]] = ("england_and_wales", "scotland", "northern_ireland")
_SUBDIV: Final[dict[str, str]] = {
    "england_and_wales": "ENG",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}
_ALIASES: Final[dict[str, Division]] = {
    "england_and_wales": "england_and_wales",
    "england-and-wales": "england_and_wales",
    "scotland": "scotland",
    "northern_ireland": "northern_ireland",
    "northern-ireland": "northern_ireland",
}
MAX_SHIFT_DAYS: Final = 31
"""A policy never moves a date further than this (a longer run of holidays is an error)."""


class BankHolidays:
    """UK bank holidays per division, with working-day arithmetic.

    ``overrides`` maps a division to the dates a practice file lists; for each year it
    covers, those dates replace the `holidays` package's. Lookups are memoised per
    division and year, so the object is cheap to share across a whole plan.
    """

    __slots__ = ("_cache", "_covered", "_overrides", "source")

    def __init__(
        self,
        overrides: Mapping[Division, Iterable[date]] | None = None,
        *,
        source: str = "holidays package",
    ) -> None:
        self.source = source
        self._overrides: dict[str, frozenset[date]] = {}
        self._covered: dict[str, frozenset[int]] = {}
        for division, dates in (overrides or {}).items():
            if division not in _SUBDIV:
                raise CalendarError(f"unknown bank-holiday division {division!r}")
            ds = frozenset(dates)
            self._overrides[division] = ds
            self._covered[division] = frozenset(d.year for d in ds)
        self._cache: dict[tuple[str, int], frozenset[date]] = {}

    # -- construction from a file -------------------------------------------------------

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> BankHolidays:
        """Read a CSV/text or GOV.UK JSON bank-holiday file (``DocumentError`` when bad)."""
        p = Path(path)
        name = str(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise DocumentError.of(
                [Diagnostic("WK303", f"cannot read the bank-holiday file: {reason}", file=name)]
            ) from None
        return cls.from_text(text, name=name)

    @classmethod
    def from_text(cls, text: str, *, name: str = "<holidays>") -> BankHolidays:
        """Parse bank holidays from CSV/text, or GOV.UK JSON when ``name`` ends in .json."""
        if name.lower().endswith(".json"):
            found, problems = _parse_json(text, name)
        else:
            found, problems = _parse_csv(text, name)
        if problems:
            raise DocumentError.of(problems, f"{name}: invalid bank-holiday file")
        return cls(cast(dict[Division, list[date]], found), source=name)

    def listed(self) -> dict[Division, frozenset[date]]:
        """The dates a practice file gave, per division (empty for the package alone)."""
        return {cast(Division, k): v for k, v in self._overrides.items()}

    # -- lookups ------------------------------------------------------------------------

    def holidays(self, division: Division, year: int) -> frozenset[date]:
        """The bank holidays of ``division`` in ``year``."""
        key = (division, year)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if year in self._covered.get(division, frozenset()):
            days = frozenset(d for d in self._overrides[division] if d.year == year)
        else:
            days = _package_holidays(division, year)
        self._cache[key] = days
        return days

    def is_working_day(self, d: date, division: Division = "england_and_wales") -> bool:
        """Monday to Friday and not a bank holiday in ``division``."""
        return d.weekday() < 5 and d not in self.holidays(division, d.year)

    def adjust(
        self, d: date, policy: WorkingDayPolicy, division: Division = "england_and_wales"
    ) -> date:
        """``d`` itself (policy ``none``, or already a working day), else the previous or
        next working day."""
        if policy == "none" or self.is_working_day(d, division):
            return d
        step = timedelta(days=-1 if policy == "previous" else 1)
        moved = d
        for _ in range(MAX_SHIFT_DAYS):
            moved += step
            if self.is_working_day(moved, division):
                return moved
        raise CalendarError(
            f"no working day within {MAX_SHIFT_DAYS} days of {d.isoformat()} in {division} "
            f"(bank holidays from {self.source})"
        )

    def add_working_days(self, d: date, n: int, division: Division = "england_and_wales") -> date:
        """``n`` working days after ``d`` (before it when ``n`` is negative)."""
        step = timedelta(days=1 if n >= 0 else -1)
        left = abs(n)
        while left:
            d += step
            if self.is_working_day(d, division):
                left -= 1
        return d


def _package_holidays(division: str, year: int) -> frozenset[date]:
    import holidays as _holidays

    found = _holidays.country_holidays("GB", subdiv=_SUBDIV[division], years=year)
    return frozenset(d for d in found if d.year == year)


def _parse_csv(text: str, name: str) -> tuple[dict[str, list[date]], list[Diagnostic]]:
    found: dict[str, list[date]] = {}
    problems: list[Diagnostic] = []
    first_row = True
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if first_row and parts[0].lower() == "date":
            first_row = False
            continue  # a header row
        first_row = False
        if len(parts) < 2:
            problems.append(
                Diagnostic(
                    "WK303",
                    "expected `date,division[,title]`",
                    file=name,
                    line=lineno,
                    col=1,
                    hint="e.g. 2025-12-25,england_and_wales,Christmas Day",
                )
            )
            continue
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            problems.append(
                Diagnostic(
                    "WK303",
                    f"{parts[0]!r} is not a date (YYYY-MM-DD)",
                    file=name,
                    line=lineno,
                    col=1,
                )
            )
            continue
        division = _ALIASES.get(parts[1].lower())
        if division is None:
            problems.append(
                Diagnostic(
                    "WK303",
                    f"unknown division {parts[1]!r}",
                    file=name,
                    line=lineno,
                    col=raw.find(parts[1]) + 1,
                    hint="one of: " + ", ".join(DIVISIONS),
                )
            )
            continue
        found.setdefault(division, []).append(day)
    return found, problems


def _parse_json(text: str, name: str) -> tuple[dict[str, list[date]], list[Diagnostic]]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [Diagnostic("WK303", exc.msg, file=name, line=exc.lineno, col=exc.colno)]
    found: dict[str, list[date]] = {}
    problems: list[Diagnostic] = []
    if not isinstance(data, dict):
        return {}, [
            Diagnostic(
                "WK303", "expected the GOV.UK bank-holidays object", file=name, line=1, col=1
            )
        ]
    for key, body in data.items():
        division = _ALIASES.get(str(key).lower())
        if division is None:
            problems.append(
                Diagnostic(
                    "WK303",
                    f"unknown division {key!r}",
                    file=name,
                    line=1,
                    col=1,
                    pointer=f"/{key}",
                    hint="one of: " + ", ".join(DIVISIONS),
                )
            )
            continue
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list):
            problems.append(
                Diagnostic(
                    "WK303",
                    f"{key}: expected a list under 'events'",
                    file=name,
                    line=1,
                    col=1,
                    pointer=f"/{key}/events",
                )
            )
            continue
        for i, event in enumerate(events):
            raw = event.get("date") if isinstance(event, dict) else None
            try:
                found.setdefault(division, []).append(date.fromisoformat(str(raw)))
            except ValueError:
                problems.append(
                    Diagnostic(
                        "WK303",
                        f"{key} event {i}: {raw!r} is not a date",
                        file=name,
                        line=1,
                        col=1,
                        pointer=f"/{key}/events/{i}/date",
                    )
                )
    return found, problems
