"""Building the report: a pure function of the practice, the plan, the store's summaries
and events, the snapshots, and the clock passed in.

:func:`build_report` reads nothing and writes nothing; :mod:`workflowkit.report.collect`
is the edge that reads the store and the snapshot files and calls it.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from math import ceil

from workflowkit.calendar.plan import Occurrence
from workflowkit.calendar.practice import Practice
from workflowkit.report.diagram import layout
from workflowkit.report.health import SnapshotInput, client_health
from workflowkit.report.model import (
    Calendar,
    CalendarRow,
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
    anchor_of,
    needs_events,
    page_of,
    select_pages,
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
    return Counter(
        (o.workflow, o.assignee, o.deadline, o.due_on)
        for o in occurrences
        if start <= o.due_on <= end
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
    summaries: Sequence[InstanceSummary],
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
    pages: tuple[list[tuple[InstanceSummary, str]], int] | None = None,
) -> Report:
    """The report over ``[start, end]`` (inclusive) as seen at ``now`` / ``today``.

    ``occurrences`` is the plan by due date over the window; ``summaries`` every
    instance in the store; ``events`` the events of the instances that need them (see
    :func:`workflowkit.report.collect.event_ids`). ``people`` maps person ids to what a
    team says about them (names, weekly capacity); without it people show as their ids.
    ``pages`` is :func:`~workflowkit.report.pages.select_pages` of the summaries, when the
    caller has it already.
    """
    lim = limits or Limits()
    client_names = {c.id: c.name for c in practice.clients}
    workflow_names = {w.id: w.name for w in practice.workflows}

    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    plain: dict[tuple[str, int, bool], tuple[str, str]] = {}
    for s in summaries:
        if needs_events(s):
            key, label = status_of(s, events.get(s.id))
        else:  # then status_of reads only these three: one call per distinct triple
            triple = (s.status, s.level, s.version <= 1)
            hit = plain.get(triple)
            if hit is None:
                hit = plain[triple] = status_of(s, None)
            key, label = hit
        counts[key] += 1
        labels[key] = label
    existing = {s.id for s in summaries}
    period_labels: dict[tuple[date, date], str] = {}
    for o in occurrences:
        if o.create_on <= today and o.due_on <= end:
            span = (o.period_start, o.period_end)
            period = period_labels.get(span)
            if period is None:
                period = period_labels[span] = period_label(*span)
            iid = default_instance_id(o.template, o.client, period, workflow=o.workflow)
            if iid not in existing:
                counts["not_started"] += 1

    chosen, eligible = (
        pages if pages is not None else select_pages(summaries, today=today, now=now, limits=lim)
    )
    written = tuple(
        page_of(s, events[s.id], reason, client_names.get(s.client, s.client))
        for s, reason in chosen
        if s.id in events
    )
    with_page = {p.id for p in written}

    soon = today + timedelta(days=lim.due_soon_days)
    open_ = [s for s in summaries if s.status not in ENDED]
    overdue = [s for s in open_ if s.due < today]
    due_soon = [s for s in open_ if today <= s.due < soon]
    first_overdue = heapq.nsmallest(lim.table_rows, overdue, key=lambda s: (s.due, s.id))
    first_due_soon = heapq.nsmallest(lim.table_rows, due_soon, key=lambda s: (s.due, s.id))

    def item(s: InstanceSummary) -> WorkItem:
        key, label = status_of(s, events.get(s.id))
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

    counted = _in_window(occurrences, start, end)
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
        health=client_health(
            snapshots, client_names, today=today, findings_per_check=lim.findings_per_check
        ),
        instances=written,
        instances_eligible=eligible,
        diagram=layout(TRANSITIONS),
        limits=lim,
    )


def _people(
    open_: Sequence[InstanceSummary],
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
