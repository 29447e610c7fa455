"""Workload: per person and week (or month), the work expected of them against their
capacity.

:func:`workload_of` is the pure part. It takes the practice (workflows, templates,
clients, team), the window and the store's instance summaries, and counts, for each
person and period:

- every instance **due** in the period: the ones started (from the store, with the
  people they have now) and the ones the plan still expects (with the stand-ins ``run``
  will give them, see :mod:`workflowkit.run.stand_ins`). An occurrence with an instance
  in the store counts once, as the instance; a cancelled instance does not count;
- the estimated hours: the preparer's (the template's ``estimate.prepare_hours``, else
  the sum of its checks' ``estimate_minutes``) and each reviewer's (``review_hours``, at
  each level). An instance whose template gives no estimate is counted as unestimated;
- the capacity, net of absences: the person's weekly ``capacity_hours`` spread over the
  five working days of a week, for each working day of the period (in the window) on
  which they are on the team and not away. Bank holidays (England and Wales, or the
  practice's holidays file) are not working days.

A row is **over** capacity when its hours exceed its capacity. **Stacked reviews** are a
reviewer's reviews due in one period, when they number ``stack_at`` or more.

:func:`workload` is the edge step: it reads the summaries from a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from workflowkit.calendar.plan import Occurrence
from workflowkit.calendar.practice import Practice
from workflowkit.calendar.working_days import BankHolidays
from workflowkit.errors import NotFoundError, WorkflowkitError
from workflowkit.run.due import instance_id
from workflowkit.run.stand_ins import cover
from workflowkit.store.protocol import CANCELLED, EventStore, InstanceSummary
from workflowkit.team.ids import person_key
from workflowkit.team.models import Person, Team
from workflowkit.templates.resolve import ResolvedTemplate

__all__ = [
    "By",
    "StackedReviews",
    "Workload",
    "WorkloadError",
    "WorkloadRow",
    "workload",
    "workload_of",
]

By = Literal["week", "month"]
STACK_AT = 8
"""Reviews due on one reviewer in one period from which they are listed as stacked."""
MAX_DAYS = 3 * 366


class WorkloadError(WorkflowkitError):
    """A window or grouping that workload cannot compute."""


@dataclass(frozen=True, slots=True)
class WorkloadRow:
    """One person's work in one period."""

    person: str
    name: str | None
    period: str
    """``2026-W32`` (ISO week) or ``2026-08``."""
    start: date
    end: date
    instances: int = 0
    """Instances due in the period this person prepares or reviews."""
    prepare_hours: float = 0.0
    review_hours: float = 0.0
    unestimated: int = 0
    """Of ``instances``, those whose template gives no estimate."""
    capacity_hours: float | None = None
    """Net of absences and bank holidays; ``None`` without a team (or not on it)."""

    @property
    def hours(self) -> float:
        return self.prepare_hours + self.review_hours

    @property
    def over(self) -> bool:
        return self.capacity_hours is not None and self.hours > self.capacity_hours + 1e-9

    def to_data(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "name": self.name,
            "period": self.period,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "instances": self.instances,
            "prepare_hours": round(self.prepare_hours, 2),
            "review_hours": round(self.review_hours, 2),
            "hours": round(self.hours, 2),
            "unestimated": self.unestimated,
            "capacity_hours": None
            if self.capacity_hours is None
            else round(self.capacity_hours, 2),
            "over": self.over,
        }


@dataclass(frozen=True, slots=True)
class StackedReviews:
    """A reviewer with many reviews due in one period."""

    reviewer: str
    period: str
    reviews: int
    instances: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "period": self.period,
            "reviews": self.reviews,
            "instances": list(self.instances),
        }


@dataclass(frozen=True, slots=True)
class Workload:
    """Rows per person and period (people in id order, periods in time order), the
    periods over capacity, and stacked reviews."""

    start: date
    end: date
    by: By
    rows: tuple[WorkloadRow, ...]
    stacked: tuple[StackedReviews, ...] = ()
    stack_at: int = STACK_AT
    sources: dict[str, int] = field(default_factory=dict)
    """How many instances came from the store and how many from the plan."""

    @property
    def over(self) -> list[WorkloadRow]:
        return [r for r in self.rows if r.over]

    def row(self, person: str, period: str) -> WorkloadRow | None:
        for r in self.rows:
            if r.person == person and r.period == period:
                return r
        return None

    def to_data(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "by": self.by,
            "stack_at": self.stack_at,
            "sources": dict(self.sources),
            "rows": [r.to_data() for r in self.rows],
            "over": [{"person": r.person, "period": r.period} for r in self.over],
            "stacked": [s.to_data() for s in self.stacked],
        }


# --- periods ---------------------------------------------------------------------------


def _period(day: date, by: By) -> tuple[str, date, date]:
    if by == "week":
        monday = day - timedelta(days=day.weekday())
        year, week, _ = monday.isocalendar()
        return f"{year}-W{week:02d}", monday, monday + timedelta(days=6)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return f"{day.year}-{day.month:02d}", first, following - timedelta(days=1)


def _periods(start: date, end: date, by: By) -> list[tuple[str, date, date]]:
    out: list[tuple[str, date, date]] = []
    day = start
    while day <= end:
        label, first, last = _period(day, by)
        out.append((label, max(first, start), min(last, end)))
        day = last + timedelta(days=1)
    return out


# --- hours -----------------------------------------------------------------------------


class _Hours:
    """Estimated (preparer, reviewer) hours per template (id, version), resolved once;
    ``None`` where the template gives no estimate (or is not in the practice)."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        self.cache: dict[tuple[str, str], tuple[ResolvedTemplate | None, float, float, int]] = {}

    def __call__(
        self, template_id: str, version: str
    ) -> tuple[ResolvedTemplate | None, float, float, int]:
        """(template, preparer hours, reviewer hours per level, 1 if unestimated)."""
        key = (template_id, version)
        hit = self.cache.get(key)
        if hit is None:
            found: ResolvedTemplate | None
            try:
                found = self.practice.templates.get(template_id, version)
            except NotFoundError:  # a version the practice no longer holds: the newest
                try:
                    found = self.practice.templates.get(template_id)
                except NotFoundError:
                    found = None
            prep = None if found is None else found.prepare_hours
            rev = None if found is None else found.review_hours
            hit = (found, prep or 0.0, rev or 0.0, 1 if prep is None else 0)
            self.cache[key] = hit
        return hit


class _People(dict[str, str]):
    """Person ids as written to the team's id (or the normal form, off the team)."""

    def __init__(self, team: Team | None) -> None:
        super().__init__()
        self.team = team

    def __missing__(self, person_id: str) -> str:
        person = None if self.team is None else self.team.person(person_id)
        who = person.id if person is not None else person_key(person_id)
        self[person_id] = who
        return who


def _capacities(
    person: Person, periods: list[tuple[str, date, date]], holidays: BankHolidays
) -> list[float]:
    """The person's capacity in each period: a fifth of the weekly hours for each working
    day they are on the team and not away."""
    per_day = person.capacity_hours / 5
    out: list[float] = []
    for _, first, last in periods:
        days = 0
        day = first
        while day <= last:
            if holidays.is_working_day(day) and person.active_on(day) and not person.away_on(day):
                days += 1
            day += timedelta(days=1)
        out.append(per_day * days)
    return out


# --- the pure part ---------------------------------------------------------------------


def workload_of(
    practice: Practice,
    start: date,
    end: date,
    *,
    by: By = "week",
    instances: Iterable[InstanceSummary] = (),
    stack_at: int = STACK_AT,
    occurrences: Iterable[Occurrence] | None = None,
) -> Workload:
    """The workload of ``practice`` for work due in ``[start, end]`` (both included),
    widened to whole periods (Monday to Sunday, or whole months).

    ``instances`` are the store's summaries (any; those due outside the window are
    ignored). ``occurrences`` defaults to the practice's plan by due date over the
    window; pass it to reuse a plan already made.
    """
    if not isinstance(start, date) or not isinstance(end, date):
        raise WorkloadError(f"start and end must be dates, got {start!r} and {end!r}")
    if end < start:
        raise WorkloadError(f"the window ends ({end}) before it starts ({start})")
    if start.year < 2 or end >= date(9999, 11, 1):
        raise WorkloadError(f"the window {start}..{end} reaches the ends of the calendar")
    if (end - start).days > MAX_DAYS:
        raise WorkloadError(f"the window is {(end - start).days + 1} days; the limit is 3 years")
    if by not in ("week", "month"):
        raise WorkloadError(f"by must be 'week' or 'month', not {by!r}")
    if stack_at < 1:
        raise WorkloadError(f"stack_at must be at least 1, not {stack_at}")
    start, end = _period(start, by)[1], _period(end, by)[2]  # whole periods
    team = practice.team
    hours = _Hours(practice)
    people = _People(team)
    periods = _periods(start, end, by)
    period_of: dict[date, int] = {}
    for index, (_, first, last) in enumerate(periods):
        day = first
        while day <= last:
            period_of[day] = index
            day += timedelta(days=1)
    # per (person, period index): [instances, preparer hours, reviewer hours, unestimated]
    cells: dict[tuple[str, int], list[float]] = {}
    reviews: dict[tuple[str, int], list[InstanceSummary | Occurrence]] = {}

    def count(
        item: InstanceSummary | Occurrence,
        due: date,
        assignee: str,
        reviewers: tuple[str, ...],
        est: tuple[ResolvedTemplate | None, float, float, int],
    ) -> None:
        label = period_of[due]
        _, prep, rev, unknown = est
        key = (people[assignee], label)
        cell = cells.get(key)
        if cell is None:
            cells[key] = [1, prep, 0.0, unknown]
        else:
            cell[0] += 1
            cell[1] += prep
            cell[3] += unknown
        for r in reviewers:
            key = (people[r], label)
            cell = cells.get(key)
            if cell is None:
                cells[key] = [1, 0.0, rev, unknown]
            else:
                cell[0] += 1
                cell[2] += rev
                cell[3] += unknown
            stack = reviews.get(key)
            if stack is None:
                reviews[key] = [item]
            else:
                stack.append(item)

    stored: set[str] = set()
    from_store = 0
    for s in instances:
        stored.add(s.id)
        if s.status == CANCELLED or not start <= s.due <= end:
            continue
        from_store += 1
        count(s, s.due, s.assignee, s.reviewers, hours(s.template_id, s.template_version))
    planned = (
        practice.plan(start, end + timedelta(days=1), by="due")
        if occurrences is None
        else occurrences
    )
    away = _away_ids(team, start, end)
    from_plan = 0
    for o in planned:
        due = o.due_on
        if not start <= due <= end or (stored and instance_id(o) in stored):
            continue
        from_plan += 1
        est = hours(o.template, o.template_version)
        if away and (
            _is_away(away, people[o.assignee], due)
            or any(_is_away(away, people[r], due) for r in o.reviewers)
        ):
            tpl = est[0]
            if tpl is not None and team is not None:
                o = cover(o, team, tpl.review).occurrence
        count(o, due, o.assignee, o.reviewers, est)
    return Workload(
        start,
        end,
        by,
        _rows(team, periods, cells, practice.holidays),
        _stacked(reviews, periods, stack_at),
        stack_at,
        {"store": from_store, "plan": from_plan},
    )


def _away_ids(team: Team | None, start: date, end: date) -> dict[str, list[tuple[date, date]]]:
    """The absences in the window of each person with one, by team id: the plan's people
    are looked up here before the (dearer) stand-in rule runs."""
    out: dict[str, list[tuple[date, date]]] = {}
    for p in team.people if team is not None else ():
        spans = [(a.from_, a.to) for a in p.absences if a.from_ <= end and a.to >= start]
        if spans:
            out[p.id] = spans
    return out


def _is_away(away: dict[str, list[tuple[date, date]]], who: str, day: date) -> bool:
    spans = away.get(who)
    return spans is not None and any(a <= day <= b for a, b in spans)


def _rows(
    team: Team | None,
    periods: list[tuple[str, date, date]],
    cells: dict[tuple[str, int], list[float]],
    holidays: BankHolidays,
) -> tuple[WorkloadRow, ...]:
    first = periods[0][1]
    everyone: dict[str, Person | None] = {}
    if team is not None:
        for p in team.people:
            if p.left is None or p.left > first:  # on the team for part of the window
                everyone[p.id] = p
    for who, _ in cells:
        everyone.setdefault(who, None)
    # a person without absences or a leaving date has the same capacity as anyone with
    # their weekly hours: computed once per weekly figure
    plain: dict[float, list[float]] = {}
    out: list[WorkloadRow] = []
    for who in sorted(everyone, key=person_key):
        person = everyone[who]
        capacity: list[float] | None = None
        if person is not None:
            if person.absences or person.left is not None:
                capacity = _capacities(person, periods, holidays)
            else:
                capacity = plain.get(person.capacity_hours)
                if capacity is None:
                    capacity = plain[person.capacity_hours] = _capacities(person, periods, holidays)
        for index, (label, p_first, p_last) in enumerate(periods):
            cell = cells.get((who, index))
            if cell is None and person is None:
                continue
            n, prep, rev, unknown = cell if cell is not None else (0, 0.0, 0.0, 0)
            out.append(
                WorkloadRow(
                    person=who,
                    name=None if person is None else person.name,
                    period=label,
                    start=p_first,
                    end=p_last,
                    instances=int(n),
                    prepare_hours=prep,
                    review_hours=rev,
                    unestimated=int(unknown),
                    capacity_hours=None if capacity is None else capacity[index],
                )
            )
    return tuple(out)


def _stacked(
    reviews: dict[tuple[str, int], list[InstanceSummary | Occurrence]],
    periods: list[tuple[str, date, date]],
    stack_at: int,
) -> tuple[StackedReviews, ...]:
    out = [
        StackedReviews(
            who,
            periods[index][0],
            len(items),
            tuple(i.id if isinstance(i, InstanceSummary) else instance_id(i) for i in items),
        )
        for (who, index), items in reviews.items()
        if len(items) >= stack_at
    ]
    out.sort(key=lambda s: (s.period, -s.reviews, s.reviewer))
    return tuple(out)


def workload(
    practice: Practice,
    store: EventStore | None,
    start: date,
    end: date,
    *,
    by: By = "week",
    stack_at: int = STACK_AT,
) -> Workload:
    """:func:`workload_of` with the instances due in the window read from ``store``
    (``None``: the plan alone)."""
    summaries = [] if store is None else store.instances(due_from=start, due_to=end)
    return workload_of(practice, start, end, by=by, instances=summaries, stack_at=stack_at)
