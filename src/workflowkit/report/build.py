"""Building the report: a pure function of the practice, the plan, the store's summaries
and events, the snapshots, and the clock passed in.

:func:`build_report` reads nothing and writes nothing; :mod:`workflowkit.report.collect`
is the edge that reads the store and the snapshot files and calls it.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil
from operator import itemgetter
from typing import Any

from workflowkit.calendar.plan import Occurrence
from workflowkit.calendar.practice import Practice
from workflowkit.report.diagram import layout
from workflowkit.report.health import SnapshotInput, client_health
from workflowkit.report.model import (
    Calendar,
    CalendarRow,
    ClientHealth,
    Limits,
    PersonInfo,
    PersonLoad,
    Report,
    StatusCount,
    WeekDeadlines,
    WorkItem,
)
from workflowkit.report.pages import (
    ENDED,
    Listed,
    anchor_of,
    page_of,
    plain_status,
    select_pages,
    status_counts,
    status_of,
)
from workflowkit.review.engine import default_instance_id
from workflowkit.review.events import Event
from workflowkit.review.table import TRANSITIONS
from workflowkit.run.due import period_label
from workflowkit.store.protocol import InstanceSummary

SHADES = 5


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _levels(counts: Sequence[int], busiest: int) -> tuple[int, ...]:
    return tuple(0 if c == 0 else max(1, ceil(SHADES * c / busiest)) for c in counts)


def name_of(person: str, people: Mapping[str, PersonInfo] | None) -> str:
    """A person's display name from the team, else their id."""
    if people is not None and person in people:
        return people[person].name
    return person


def _in_window(
    occurrences: Sequence[Occurrence], start: date, end: date
) -> Counter[tuple[str, str, str | None, date]]:
    """How many occurrences due in ``[start, end]`` share each (workflow, assignee,
    deadline, due date): a year of a large practice is some 200,000 occurrences but a
    few thousand such keys, so everything per week or per person is counted from these."""
    return Counter(k for k in map(_WINDOW_KEY, occurrences) if start <= k[3] <= end)


def _fields(*names: str) -> itemgetter[Any]:
    """An ``itemgetter`` of :class:`Occurrence` fields by name (a few hundred thousand
    occurrences are read field by field here)."""
    return itemgetter(*(Occurrence._fields.index(n) for n in names))


_WINDOW_KEY = _fields("workflow", "assignee", "deadline", "due_on")
_NOT_STARTED_KEY = _fields(
    "create_on", "due_on", "template", "client", "workflow", "period_start", "period_end"
)


@dataclass(frozen=True, slots=True)
class PlanDigest:
    """What the report reads of the plan: :func:`_in_window` of the occurrences, and how
    many occurrences created by today and due in the window have no instance yet."""

    counted: Mapping[tuple[str, str, str | None, date], int]
    not_started: int


def digest_plan(
    occurrences: Sequence[Occurrence],
    existing: Collection[str],
    *,
    today: date,
    start: date,
    end: date,
) -> PlanDigest:
    """The :class:`PlanDigest` of ``occurrences`` (the plan by due date over the window)
    given the ids of the instances the store holds (``existing``)."""
    return PlanPart.of(occurrences, today=today, start=start, end=end).digest(existing)


@dataclass(frozen=True, slots=True)
class PlanPart:
    """What the report reads of the plan before it knows the store: :func:`_in_window`
    of the occurrences, and the instance id of each occurrence created by today and due
    by the window's end (in plan order; one that the store does not hold is not
    started). Cheap to send between processes: a few thousand counts and the ids."""

    counted: Mapping[tuple[str, str, str | None, date], int]
    started_by_today: tuple[str, ...]

    @classmethod
    def of(
        cls, occurrences: Sequence[Occurrence], *, today: date, start: date, end: date
    ) -> PlanPart:
        ids: list[str] = []
        append = ids.append
        period_labels: dict[tuple[date, date], str] = {}
        for create_on, due_on, template, client, workflow, p_start, p_end in map(
            _NOT_STARTED_KEY, occurrences
        ):
            if create_on <= today and due_on <= end:
                period = period_labels.get((p_start, p_end))
                if period is None:
                    period = period_labels[(p_start, p_end)] = period_label(p_start, p_end)
                append(default_instance_id(template, client, period, workflow=workflow))
        return cls(_in_window(occurrences, start, end), tuple(ids))

    def digest(self, existing: Collection[str]) -> PlanDigest:
        """The digest, given the ids of the instances the store holds."""
        return PlanDigest(
            self.counted, sum(1 for iid in self.started_by_today if iid not in existing)
        )


def calendar_of(
    occurrences: Sequence[Occurrence],
    start: date,
    end: date,
    workflow_names: Mapping[str, str],
    people: Mapping[str, PersonInfo] | None,
    *,
    counted: Mapping[tuple[str, str, str | None, date], int] | None = None,
) -> Calendar:
    """Due work per week of ``[start, end]``, by workflow and by assignee, and the
    statutory deadlines the due dates are set on. ``counted`` is :func:`_in_window` of
    the occurrences, when the caller has it already."""
    first = monday(start)
    weeks = tuple(first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1))
    by_wf: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    by_person: dict[str, list[int]] = defaultdict(lambda: [0] * len(weeks))
    deadlines: list[Counter[str]] = [Counter() for _ in weeks]
    total = 0
    for (workflow, assignee, deadline, due_on), n in (
        counted if counted is not None else _in_window(occurrences, start, end)
    ).items():
        i = (due_on - first).days // 7
        by_wf[workflow][i] += n
        by_person[assignee][i] += n
        if deadline is not None:
            deadlines[i][deadline] += n
        total += n
    busiest = max((c for row in by_wf.values() for c in row), default=0)
    busiest_person = max((c for row in by_person.values() for c in row), default=0)
    busiest = max(busiest, busiest_person, 1)

    def rows(data: Mapping[str, list[int]], label: Mapping[str, str]) -> tuple[CalendarRow, ...]:
        return tuple(
            CalendarRow(
                key=k,
                label=label.get(k, k),
                counts=tuple(v),
                levels=_levels(v, busiest),
                total=sum(v),
            )
            for k, v in sorted(data.items())
        )

    person_labels = {p: name_of(p, people) for p in by_person}
    return Calendar(
        weeks=weeks,
        by_workflow=rows(by_wf, workflow_names),
        by_person=rows(by_person, person_labels),
        deadlines=tuple(
            WeekDeadlines(weeks[i], sum(c.values()), tuple(sorted(c.items())))
            for i, c in enumerate(deadlines)
            if c
        ),
        total=total,
        busiest=busiest if total else 0,
    )


STATUS_ORDER = ("not_started", "in_progress", "with_issues", "handed_back")


def _status_counts(counts: Counter[str], labels: Mapping[str, str]) -> tuple[StatusCount, ...]:
    fixed = {
        "not_started": "not started",
        "in_progress": "in progress",
        "with_issues": "in progress, with issues",
        "handed_back": "handed back",
    }
    out = [StatusCount(k, fixed[k], counts.get(k, 0)) for k in STATUS_ORDER]
    review = sorted(
        (k for k in counts if k.startswith("in_review_")), key=lambda k: int(k.rsplit("_", 1)[1])
    )
    if not review:
        review = ["in_review_1"]
    out.extend(
        StatusCount(k, labels.get(k, f"in review at level {k.rsplit('_', 1)[1]}"), counts.get(k, 0))
        for k in review
    )
    out.append(StatusCount("locked", "locked (completed)", counts.get("locked", 0)))
    known = {s.key for s in out}
    out.extend(
        StatusCount(k, labels.get(k, k), counts[k]) for k in sorted(counts) if k not in known
    )
    return tuple(out)


def build_report(
    *,
    practice: Practice,
    occurrences: Sequence[Occurrence],
    summaries: Sequence[Listed],
    events: Mapping[str, Sequence[Event]],
    snapshots: Sequence[SnapshotInput],
    now: datetime,
    today: date,
    start: date,
    end: date,
    title: str = "Practice report",
    has_store: bool = True,
    people: Mapping[str, PersonInfo] | None = None,
    limits: Limits | None = None,
    pages: tuple[list[tuple[Listed, str]], int] | None = None,
    full: Mapping[str, InstanceSummary] | None = None,
    plan: PlanDigest | None = None,
    health: Sequence[ClientHealth] | None = None,
) -> Report:
    """The report over ``[start, end]`` (inclusive) as seen at ``now`` / ``today``.

    ``occurrences`` is the plan by due date over the window; ``summaries`` every
    instance in the store, each its full summary or its state in brief
    (:class:`~workflowkit.store.protocol.InstanceState`, what ``EventStore.states``
    lists); ``full`` then holds the full summary of each instance the page shows in
    full (see :func:`shown`). ``events`` holds every event of the instances that get a
    page (see :func:`workflowkit.report.collect.event_ids`); the status of every other
    instance is read from its summary. ``people`` maps person ids to what a team says
    about them (names, weekly capacity); without it people show as their ids. ``pages``
    is :func:`~workflowkit.report.pages.select_pages` of the summaries, ``plan`` the
    :func:`digest_plan` of the occurrences (``occurrences`` is not read then) and
    ``health`` the :func:`~workflowkit.report.health.client_health` of the snapshots
    (``snapshots`` is not read then), when the caller has them already.
    """
    lim = limits or Limits()

    def whole(s: Listed) -> InstanceSummary:
        if isinstance(s, InstanceSummary):
            return s
        if full is None or s.id not in full:
            raise ValueError(f"build_report: no full summary of instance {s.id!r} in `full`")
        return full[s.id]

    client_names = {c.id: c.name for c in practice.clients}
    workflow_names = {w.id: w.name for w in practice.workflows}

    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for standing, n in status_counts(summaries).items():
        key, label = plain_status(*standing)
        counts[key] += n
        labels[key] = label
    if plan is None:
        existing = {s.id for s in summaries}
        plan = digest_plan(occurrences, existing, today=today, start=start, end=end)
    if plan.not_started:
        counts["not_started"] += plan.not_started

    chosen, eligible = (
        pages if pages is not None else select_pages(summaries, today=today, now=now, limits=lim)
    )
    written = tuple(
        page_of(s, events[s.id], reason, client_names.get(s.client, s.client))
        for s, reason in ((whole(listed), why) for listed, why in chosen)
        if s.id in events
    )
    with_page = {p.id for p in written}

    open_, overdue, due_soon, first_overdue, first_due_soon = _tables(summaries, today, lim)

    def item(listed: Listed) -> WorkItem:
        s = whole(listed)
        key, label = status_of(s)
        return WorkItem(
            instance=s.id,
            anchor=anchor_of(s.id) if s.id in with_page else None,
            client=s.client,
            client_name=client_names.get(s.client, s.client),
            workflow=s.template_id,
            period=s.period,
            due=s.due,
            days=abs((today - s.due).days),
            status=key,
            status_label=label,
            assignee=s.assignee,
            assignee_name=name_of(s.assignee, people),
            reviewers=s.reviewers,
            waiting_on=s.waiting_on,
        )

    counted = plan.counted
    loads = _people(open_, counted, today, people)
    return Report(
        title=title,
        generated_at=now,
        today=today,
        window_start=start,
        window_end=end,
        clients=len(practice.clients),
        has_store=has_store,
        has_team=people is not None,
        calendar=calendar_of(occurrences, start, end, workflow_names, people, counted=counted),
        statuses=_status_counts(counts, labels),
        open_total=sum(v for k, v in counts.items() if k not in ("locked", "cancelled")),
        overdue=tuple(item(s) for s in first_overdue),
        overdue_total=len(overdue),
        due_soon=tuple(item(s) for s in first_due_soon),
        due_soon_total=len(due_soon),
        people=loads,
        health=tuple(health)
        if health is not None
        else client_health(
            snapshots, client_names, today=today, findings_per_check=lim.findings_per_check
        ),
        instances=written,
        instances_eligible=eligible,
        diagram=layout(TRANSITIONS),
        limits=lim,
    )


def _tables(
    summaries: Sequence[Listed], today: date, lim: Limits
) -> tuple[list[Listed], list[Listed], list[Listed], list[Listed], list[Listed]]:
    """The open instances, the overdue and the due-soon ones, and the first
    ``lim.table_rows`` of each of those two (soonest due first)."""
    soon = today + timedelta(days=lim.due_soon_days)
    open_ = [s for s in summaries if s.status not in ENDED]
    overdue = [s for s in open_ if s.due < today]
    due_soon = [s for s in open_ if today <= s.due < soon]
    first_overdue = heapq.nsmallest(lim.table_rows, overdue, key=_soonest)
    first_due_soon = heapq.nsmallest(lim.table_rows, due_soon, key=_soonest)
    return open_, overdue, due_soon, first_overdue, first_due_soon


def _soonest(s: Listed) -> tuple[date, str]:
    return (s.due, s.id)


def shown(
    summaries: Sequence[Listed],
    *,
    today: date,
    limits: Limits,
    pages: tuple[list[tuple[Listed, str]], int],
) -> set[str]:
    """The ids of the instances the report shows in full (their pages, and the rows of
    the overdue and due-soon tables): the ones :func:`build_report` needs a full
    summary of when ``summaries`` are states in brief."""
    _, _, _, first_overdue, first_due_soon = _tables(summaries, today, limits)
    ids = {s.id for s, _ in pages[0]}
    ids.update(s.id for s in first_overdue)
    ids.update(s.id for s in first_due_soon)
    return ids


def _people(
    open_: Sequence[Listed],
    counted: Mapping[tuple[str, str, str | None, date], int],
    today: date,
    people: Mapping[str, PersonInfo] | None,
) -> tuple[PersonLoad, ...]:
    """Each person's load: open instances assigned, waiting on them (and of those, how
    many overdue), and occurrences due in the window (``counted``: see :func:`_in_window`)."""
    assigned: Counter[str] = Counter(s.assignee for s in open_)
    waiting: Counter[str] = Counter(s.waiting_on for s in open_ if s.waiting_on is not None)
    late: Counter[str] = Counter(
        s.waiting_on for s in open_ if s.waiting_on is not None and s.due < today
    )
    planned: Counter[str] = Counter()
    for (_, assignee, _, _), n in counted.items():
        planned[assignee] += n
    ids = set(assigned) | set(waiting) | set(planned) | set(people or {})
    return tuple(
        PersonLoad(
            id=p,
            name=name_of(p, people),
            weekly_capacity=None
            if people is None or p not in people
            else people[p].weekly_capacity,
            assigned_open=assigned[p],
            waiting_on=waiting[p],
            overdue=late[p],
            due_in_window=planned[p],
        )
        for p in sorted(ids)
    )
