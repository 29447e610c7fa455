"""``plan``: every occurrence of every workflow for every client in a window, and
``catch_up``: exactly the occurrences created between two moments.

An :class:`Occurrence` is one workflow for one client and one reporting period, with the
date it is created (``create_on``, and the moment ``create_at`` in the client's
timezone), the date it is due (``due_on``) and a stable ``key``.

**Keys.** ``key`` is the first 32 hex digits (128 bits) of the SHA-256 of the UTF-8 text
``"workflowkit/occurrence/v1\\n{workflow id}\\n{client id}\\n{period start}\\n{period end}"``
(dates in ISO 8601). It never depends on the window, the template version, the due date
or anything else that may change, so an application that stores occurrences by key
creates each exactly once, however often it plans. (Ids are slugs, so the newline
separator is unambiguous.)

**Sharing.** The days a cron expression or cadence fires on are computed once per
expression and shared by every workflow and client that uses it; their timezone-aware
moments are computed once per timezone; a client event's periods are computed once per
group of clients whose data gives the same periods (the same stagger, the same year
end...). Per client, only the due date and the key are computed.

Every occurrence is a pure function of the workflow, the client and the bank holidays,
never of the window: so planning ``[a, c)`` gives exactly what planning ``[a, b)`` and
``[b, c)`` give together, and catch-up over any split of a time span gives what one pass
gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import attrgetter
from typing import Any, Final, Literal, NamedTuple

from workflowkit.calendar.cron import (
    CronSchedule,
    cron_fire_dates,
    cron_previous_date,
    localize,
    parse_cron,
)
from workflowkit.calendar.dates import (
    ONE_DAY,
    Period,
    add_months,
    calendar_month_of,
    calendar_quarter_of,
    calendar_year_of,
    iso_week_of,
    tax_month_of,
    tax_year_of,
)
from workflowkit.calendar.errors import (
    DateOutOfRangeError,
    InvalidPeriodError,
    NaiveDatetimeError,
    UnknownReferenceError,
)
from workflowkit.calendar.models import (
    CadenceTrigger,
    Client,
    ClientList,
    CronTrigger,
    Division,
    EventTrigger,
    SchedulePeriod,
    Workflow,
    WorkingDayPolicy,
)
from workflowkit.calendar.periods import (
    accounting_reference_date,
    event_periods,
    first_accounting_period_end,
)
from workflowkit.calendar.rules import DEADLINES, DeadlineRule
from workflowkit.calendar.working_days import MAX_SHIFT_DAYS, BankHolidays
from workflowkit.errors import (
    CalendarError,
    NotFoundError,
    WorkflowkitError,
    checked_dates,
    warn_renamed,
)
from workflowkit.templates.resolve import TemplateRegistry

By = Literal["create", "due"]
KEY_PREFIX: Final = "workflowkit/occurrence/v1"
MAX_WINDOW_DAYS: Final = 366 * 100
SHIFT: Final = timedelta(days=MAX_SHIFT_DAYS)
MIDNIGHT: Final = time(0, 0)


def occurrence_key(workflow: str, client: str, period_start: date, period_end: date) -> str:
    """The stable key of an occurrence (see the module documentation)."""
    text = (
        f"{KEY_PREFIX}\n{workflow}\n{client}\n{period_start.isoformat()}\n{period_end.isoformat()}"
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Occurrence(NamedTuple):
    """One workflow for one client and one reporting period.

    Immutable (a named tuple: cheap to create by the hundred thousand, and read by
    field name like any record).
    """

    key: str
    workflow: str
    client: str
    template: str
    template_version: str
    period_start: date
    period_end: date
    create_on: date
    create_at: datetime
    """The moment it is created, timezone-aware, in the client's timezone."""
    due_on: date
    deadline: str | None
    """The statutory deadline the due date is set on, if any."""
    assignee: str
    reviewers: tuple[str, ...]

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("Occurrence.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates in ISO 8601)."""
        return {
            "key": self.key,
            "workflow": self.workflow,
            "client": self.client,
            "template": self.template,
            "template_version": self.template_version,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "create_on": self.create_on.isoformat(),
            "create_at": self.create_at.isoformat(),
            "due_on": self.due_on.isoformat(),
            "deadline": self.deadline,
            "assignee": self.assignee,
            "reviewers": list(self.reviewers),
        }


# ---------------------------------------------------------------------------------------
# Schedule periods
# ---------------------------------------------------------------------------------------

_PERIOD_OF: Final[dict[str, Callable[[date], Period]]] = {
    "previous_day": lambda d: Period(d - ONE_DAY, d - ONE_DAY),
    "previous_week": lambda d: iso_week_of(d - timedelta(days=7)),
    "previous_month": lambda d: calendar_month_of(d.replace(day=1) - ONE_DAY),
    "previous_quarter": lambda d: calendar_quarter_of(calendar_quarter_of(d).start - ONE_DAY),
    "previous_year": lambda d: calendar_year_of(date(d.year - 1, 1, 1)),
    "previous_tax_month": lambda d: tax_month_of(tax_month_of(d).start - ONE_DAY),
    "previous_tax_year": lambda d: tax_year_of(tax_year_of(d).start - ONE_DAY),
    "current_week": iso_week_of,
    "current_month": calendar_month_of,
    "current_quarter": calendar_quarter_of,
    "current_year": calendar_year_of,
}
_PERIOD_END_LAG: Final[dict[str, tuple[int, int]]] = {
    "interval": (-1, -1),
    "previous_day": (-1, -1),
    "previous_week": (-7, -1),
    "previous_month": (-31, -1),
    "previous_quarter": (-92, -1),
    "previous_year": (-366, -1),
    "previous_tax_month": (-31, -1),
    "previous_tax_year": (-366, -1),
    "current_week": (0, 6),
    "current_month": (0, 30),
    "current_quarter": (0, 91),
    "current_year": (0, 365),
}
"""Bounds of ``period_end - firing date`` in days, for each schedule period kind."""


def _schedule_periods(
    kind: SchedulePeriod, fires: Sequence[date], previous: date | None
) -> list[tuple[date, Period]]:
    """Each firing with its reporting period; with a calendar period, only the first
    firing in each period makes an occurrence (the key is per period)."""
    out: list[tuple[date, Period]] = []
    if kind == "interval":
        prev = previous
        for f in fires:
            out.append((f, Period(prev if prev is not None else f - ONE_DAY, f - ONE_DAY)))
            prev = f
        return out
    of = _PERIOD_OF[kind]
    last = of(previous) if previous is not None else None
    for f in fires:
        p = of(f)
        if p != last:
            out.append((f, p))
        last = p
    return out


# ---------------------------------------------------------------------------------------
# The planner
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """A period and its creation, shared by every client of a group."""

    period: Period
    create_on: date
    create_at: datetime
    suffix: str  # "{start}\n{end}" for the key


class _Planner:
    """Caches shared across the workflows and clients of one ``plan`` call."""

    def __init__(self, holidays: BankHolidays) -> None:
        self.holidays = holidays
        self._adjusted: dict[tuple[date, str, str], date] = {}
        self._fires: dict[tuple[Any, ...], list[tuple[date, Period]]] = {}
        self._periods: dict[tuple[Any, ...], tuple[Period, ...]] = {}
        self._deadlines: dict[tuple[Any, ...], date | None] = {}
        self._moments: dict[tuple[date, time, tzinfo], datetime] = {}

    # -- shared pieces --------------------------------------------------------------------

    def localize(self, day: date, at: time, zone: tzinfo) -> datetime:
        k = (day, at, zone)
        got = self._moments.get(k)
        if got is None:
            got = self._moments[k] = localize(day, at, zone)
        return got

    def adjust(self, d: date, policy: WorkingDayPolicy, division: Division) -> date:
        if policy == "none":
            return d
        k = (d, policy, division)
        got = self._adjusted.get(k)
        if got is None:
            got = self._adjusted[k] = self.holidays.adjust(d, policy, division)
        return got

    def cron_fires(
        self, schedule: CronSchedule, kind: SchedulePeriod, lo: date, hi: date
    ) -> list[tuple[date, Period]]:
        k = ("cron", schedule.expression, kind, lo, hi)
        got = self._fires.get(k)
        if got is None:
            fires = cron_fire_dates(schedule, lo, hi)
            previous = cron_previous_date(schedule, fires[0] if fires else lo)
            got = self._fires[k] = _schedule_periods(kind, fires, previous)
        return got

    def cadence_fires(
        self, trigger: CadenceTrigger, lo: date, hi: date
    ) -> list[tuple[date, Period]]:
        n, unit = trigger.every.step()
        k = ("cadence", n, unit, trigger.starting, trigger.period, lo, hi)
        got = self._fires.get(k)
        if got is not None:
            return got
        anchor = trigger.starting

        def nth(i: int) -> date:
            if unit == "days":
                return anchor + timedelta(days=n * i)
            return add_months(anchor, n * i)

        # first index whose date is >= lo
        if unit == "days":
            i = max(0, -(-(lo - anchor).days // n))
        else:
            months = (lo.year - anchor.year) * 12 + lo.month - anchor.month
            i = max(0, months // n - 1)
            while nth(i) < lo:
                i += 1
        fires: list[date] = []
        while (d := nth(i)) <= hi:
            fires.append(d)
            i += 1
        first_index = i - len(fires)
        previous = nth(first_index - 1) if fires else None
        got = self._fires[k] = _schedule_periods(trigger.period, fires, previous)
        return got

    def event_periods(
        self,
        signature: tuple[Any, ...],
        client: Client,
        trigger: EventTrigger,
        lo: date,
        hi: date,
    ) -> tuple[Period, ...]:
        k = (signature, lo, hi)
        got = self._periods.get(k)
        if got is None:
            got = self._periods[k] = tuple(
                p for p in event_periods(client, trigger.event, lo, hi) if lo <= p.end <= hi
            )
        return got

    def deadline(self, rule: DeadlineRule, client: Client, period: Period) -> date | None:
        """The rule's date for ``period``, or ``None`` when it has none in that period."""
        k = (rule.name, rule.signature(client), period.start, period.end)
        if k in self._deadlines:
            return self._deadlines[k]
        try:
            got = rule.compute(client, period.start, period.end)
        except WorkflowkitError:
            raise
        except (OverflowError, ValueError) as exc:
            raise DateOutOfRangeError(period.end, f"deadline {rule.name}", str(exc)) from None
        self._deadlines[k] = got
        return got


def _event_signature(client: Client, trigger: EventTrigger, lo: date, hi: date) -> tuple[Any, ...]:
    """What a client's periods for ``trigger`` depend on within ``lo..hi`` (clients with
    equal signatures have equal periods there)."""
    event = trigger.event
    margin = timedelta(days=400)
    if event in ("year_end", "accounting_period_end"):
        ye = accounting_reference_date(client)
        first_end = first_accounting_period_end(client)
        relevant = first_end is not None and first_end >= lo - margin
        return (
            event,
            ye.month,
            ye.day,
            client.is_company if relevant else None,
            client.incorporated if relevant else None,
            client.reference_date_changes,
        )
    if event == "vat_period_end":
        vat = client.vat
        if vat is None:
            # event_periods raises the typed error with the client's id
            return (event, "missing", client.id)
        reg = vat.registered if vat.registered and vat.registered >= lo - margin else None
        dereg = vat.deregistered if vat.deregistered and vat.deregistered <= hi + margin else None
        return (
            event,
            vat.stagger,
            vat.periods,
            vat.annual_accounting,
            vat.year_end_month,
            reg,
            dereg,
        )
    if event == "confirmation_statement":
        if not client.is_company or (
            client.confirmation_date is None and client.incorporated is None
        ):
            return (event, "missing", client.id)
        anchor = client.confirmation_date or client.incorporated
        assert anchor is not None
        floor = client.incorporated
        near = floor if floor is not None and floor >= lo - margin else None
        return (event, client.confirmation_date is not None, anchor.month, anchor.day, near)
    if event == "tax_month_end":
        if client.payroll is None:
            return (event, "missing", client.id)
        started = client.payroll.started
        return (event, started if started is not None and started >= lo - margin else None)
    return (event,)


def _due_lag(workflow: Workflow, trigger: Any) -> tuple[int, int]:
    """Bounds of ``due_on - create_on`` in days (clamped at 0)."""
    assert workflow.repeating is not None
    rep = workflow.repeating
    shift = 2 * MAX_SHIFT_DAYS
    if rep.due.within is not None:
        n = rep.due.within.total_days
        return max(0, n - MAX_SHIFT_DAYS), n + MAX_SHIFT_DAYS
    assert rep.due.deadline is not None
    rule = DEADLINES[rep.due.deadline]
    off = rep.due.offset.total_days if rep.due.offset else 0
    lo, hi = rule.lag
    if isinstance(trigger, EventTrigger):
        create = rep.create
        if create.before_deadline is not None:
            other = DEADLINES[create.before_deadline.deadline or rep.due.deadline]
            n = create.before_deadline.total_days
            low, high = lo - other.lag[1] + n, hi - other.lag[0] + n
        else:
            n = create.after_period_end.total_days if create.after_period_end else 1
            low, high = lo - n, hi - n
    else:
        a, b = _PERIOD_END_LAG[trigger.period]
        low, high = lo + a, hi + b
    return max(0, low + off - shift), max(0, high + off + shift)


class _WorkflowPlan:
    """One workflow over one window."""

    def __init__(
        self,
        planner: _Planner,
        workflow: Workflow,
        version: str,
        clients: list[Client],
        start: date,
        end: date,
        by: By,
    ) -> None:
        self.p = planner
        self.wf = workflow
        self.version = version
        self.clients = clients
        self.start = start
        self.end = end
        self.by = by
        self.out: list[Occurrence] = []

    def _rows(self, slots: list[_Slot], dues: list[date]) -> list[tuple[_Slot, date]]:
        """The slots (with their due dates) whose selected date is in the window."""
        rows: list[tuple[_Slot, date]] = []
        by_create = self.by == "create"
        for slot, due in zip(slots, dues, strict=True):
            if due < slot.create_on:
                due = slot.create_on  # never due before it is created
            chosen = slot.create_on if by_create else due
            if self.start <= chosen < self.end:
                rows.append((slot, due))
        return rows

    def _emit(
        self, clients: list[Client], rows: list[tuple[_Slot, date]], deadline: str | None
    ) -> None:
        """Occurrences for ``clients`` x ``rows``: the hot loop, a key and a tuple each."""
        if not rows:
            return
        wf = self.wf
        wid, tid, version, assignee, reviewers = (
            wf.id,
            wf.template.id,
            self.version,
            wf.assignee,
            wf.reviewers,
        )
        append = self.out.append
        sha256 = hashlib.sha256
        # The tuple made directly (what ``Occurrence._make`` does): the named tuple's own
        # ``__new__`` is a Python call with thirteen arguments, here a few hundred
        # thousand times.
        new = tuple.__new__
        per_client = wf.per_client
        for client in clients:
            cid = client.id
            if per_client:
                assignee, reviewers = wf.people_for(cid)
            prefix = f"{KEY_PREFIX}\n{wid}\n{cid}\n"
            for slot, due in rows:
                period = slot.period
                append(
                    new(
                        Occurrence,
                        (
                            sha256((prefix + slot.suffix).encode()).hexdigest()[:32],
                            wid,
                            cid,
                            tid,
                            version,
                            period.start,
                            period.end,
                            slot.create_on,
                            slot.create_at,
                            due,
                            deadline,
                            assignee,
                            reviewers,
                        ),
                    )
                )

    # -- one-off ------------------------------------------------------------------------

    def one_off(self) -> None:
        one = self.wf.one_off
        assert one is not None
        period = Period(one.period.start, one.period.end)
        create_on = one.create_on or min(period.end + ONE_DAY, one.due_on)
        suffix = f"{period.start.isoformat()}\n{period.end.isoformat()}"
        for client in self.clients:
            slot = _Slot(
                period, create_on, self.p.localize(create_on, MIDNIGHT, client.zone), suffix
            )
            self._emit([client], self._rows([slot], [one.due_on]), None)

    # -- repeating ----------------------------------------------------------------------

    def repeating(self) -> None:
        rep = self.wf.repeating
        assert rep is not None
        trigger = rep.trigger
        if self.by == "create":
            cs, ce = self.start, self.end
        else:
            low, high = _due_lag(self.wf, trigger)
            cs, ce = self.start - timedelta(days=high), self.end - timedelta(days=low)
        if rep.starts_on is not None:
            cs = max(cs, rep.starts_on)
        if rep.ends_on is not None:
            ce = min(ce, rep.ends_on + ONE_DAY)
        if ce <= cs:
            return
        due_rule = DEADLINES[rep.due.deadline] if rep.due.deadline else None
        if due_rule is not None:
            for client in self.clients:
                due_rule.check(client)
        if isinstance(trigger, EventTrigger):
            self._events(trigger, cs, ce, due_rule)
        else:
            self._schedule(trigger, cs, ce, due_rule)

    def _due(self, client: Client, slot: _Slot, rule: DeadlineRule | None) -> date | None:
        """The due date of ``slot`` for ``client`` (and every client with its signature),
        or ``None`` when the deadline has no date in the slot's period."""
        due = self.wf.repeating.due  # type: ignore[union-attr]
        division = client.bank_holidays
        if rule is None:
            assert due.within is not None
            target = slot.create_on + timedelta(days=due.within.total_days)
            return self.p.adjust(target, due.working_day or "none", division)
        base = self.p.deadline(rule, client, slot.period)
        if base is None:
            return None
        if due.offset is not None:
            base += timedelta(days=due.offset.total_days)
        return self.p.adjust(base, due.working_day or rule.working_day, division)

    def _schedule(
        self, trigger: CronTrigger | CadenceTrigger, cs: date, ce: date, rule: DeadlineRule | None
    ) -> None:
        rep = self.wf.repeating
        assert rep is not None
        if rep.create.after_period_end is not None or rep.create.before_deadline is not None:
            raise CalendarError(
                f"workflow {self.wf.id!r}: a schedule creates when it fires; "
                "create.after_period_end and create.before_deadline are for event triggers"
            )
        lo, hi = cs - SHIFT, ce + SHIFT
        if isinstance(trigger, CronTrigger):
            schedule = parse_cron(trigger.cron)
            fires = self.p.cron_fires(schedule, trigger.period, lo, hi)
            at = schedule.at
        else:
            fires = self.p.cadence_fires(trigger, lo, hi)
            at = _clock(rep.create.at)
        policy = rep.create.working_day
        groups: dict[tuple[tzinfo, Division], list[Client]] = {}
        for client in self.clients:
            groups.setdefault((client.zone, client.bank_holidays), []).append(client)
        for (zone, division), members in groups.items():
            slots: list[_Slot] = []
            for fire, period in fires:
                create_on = self.p.adjust(fire, policy, division)
                if cs <= create_on < ce:
                    slots.append(
                        _Slot(
                            period,
                            create_on,
                            self.p.localize(create_on, at, zone),
                            f"{period.start.isoformat()}\n{period.end.isoformat()}",
                        )
                    )
            self._fill(members, slots, rule)

    def _fill(self, members: list[Client], slots: list[_Slot], rule: DeadlineRule | None) -> None:
        """Due dates once per group of clients with the same deadline signature, then the
        occurrences of every client in the group."""
        if not slots:
            return
        if rule is None:
            groups: dict[tuple[object, ...], list[Client]] = {(): members}
        else:
            groups = {}
            for client in members:
                groups.setdefault(rule.signature(client), []).append(client)
        name = rule.name if rule is not None else None
        for clients in groups.values():
            first = clients[0]
            kept_slots: list[_Slot] = []
            dues: list[date] = []
            for slot in slots:
                due = self._due(first, slot, rule)
                if due is not None:  # None: the deadline has no date in this period
                    kept_slots.append(slot)
                    dues.append(due)
            self._emit(clients, self._rows(kept_slots, dues), name)

    def _events(self, trigger: EventTrigger, cs: date, ce: date, rule: DeadlineRule | None) -> None:
        rep = self.wf.repeating
        assert rep is not None
        create = rep.create
        at = _clock(create.at)
        before = create.before_deadline
        anchor_rule: DeadlineRule | None = None
        if before is not None:
            name = before.deadline or (rule.name if rule is not None else None)
            if name is None:
                raise CalendarError(
                    f"workflow {self.wf.id!r}: create.before_deadline needs a deadline "
                    "(name one, or set due.deadline)"
                )
            anchor_rule = DEADLINES[name]
            n = before.total_days
            lo = cs + timedelta(days=n - anchor_rule.lag[1]) - SHIFT
            hi = ce + timedelta(days=n - anchor_rule.lag[0]) + SHIFT
        else:
            n = create.after_period_end.total_days if create.after_period_end else 1
            lo = cs - timedelta(days=n) - SHIFT
            hi = ce - timedelta(days=n) + SHIFT
        if anchor_rule is not None:
            for client in self.clients:
                anchor_rule.check(client)
        groups: dict[tuple[Any, ...], list[Client]] = {}
        for client in self.clients:
            sig = _event_signature(client, trigger, lo, hi)
            extra = anchor_rule.signature(client) if anchor_rule is not None else ()
            groups.setdefault((sig, extra, client.zone, client.bank_holidays), []).append(client)
        for (sig, _extra, zone, division), members in groups.items():
            first = members[0]
            periods = self.p.event_periods(sig, first, trigger, lo, hi)
            slots: list[_Slot] = []
            for period in periods:
                if anchor_rule is not None:
                    deadline = self.p.deadline(anchor_rule, first, period)
                    if deadline is None:
                        continue  # no such deadline in this period: nothing to create
                    anchor = deadline - timedelta(days=n)
                else:
                    anchor = period.end + timedelta(days=n)
                create_on = self.p.adjust(anchor, create.working_day, division)
                if cs <= create_on < ce:
                    slots.append(
                        _Slot(
                            period,
                            create_on,
                            self.p.localize(create_on, at, zone),
                            f"{period.start.isoformat()}\n{period.end.isoformat()}",
                        )
                    )
            self._fill(members, slots, rule)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


# ---------------------------------------------------------------------------------------
# Selecting clients and templates
# ---------------------------------------------------------------------------------------


def _flatten(clients: Iterable[Client | ClientList]) -> list[Client]:
    out: list[Client] = []
    for c in clients:
        if isinstance(c, ClientList):
            out.extend(c.clients)
        else:
            out.append(c)
    return out


class ClientIndex:
    """Clients by id and by tag, for selecting a workflow's clients."""

    def __init__(self, clients: Iterable[Client | ClientList]) -> None:
        self.clients = _flatten(clients)
        self.by_id: dict[str, Client] = {}
        self.by_tag: dict[str, list[Client]] = {}
        for c in self.clients:
            if c.id in self.by_id:
                raise CalendarError(f"client id {c.id!r} appears twice")
            self.by_id[c.id] = c
            for t in c.tags:
                self.by_tag.setdefault(t, []).append(c)

    def select(self, workflow: Workflow) -> list[Client]:
        """The workflow's clients, in the order they are listed; unknown ids raise."""
        sel = workflow.clients
        for cid in (*sel.ids, *sel.exclude):
            if cid not in self.by_id:
                raise UnknownReferenceError(workflow.id, "client", cid)
        if sel.all:
            chosen = list(self.clients)
        else:
            wanted = set(sel.ids)
            for t in sel.tags:
                wanted.update(c.id for c in self.by_tag.get(t, ()))
            chosen = [c for c in self.clients if c.id in wanted]
        types = set(sel.company_types)
        excluded = set(sel.exclude)
        return [
            c for c in chosen if c.id not in excluded and (not types or c.company_type in types)
        ]


def template_version(templates: TemplateRegistry, workflow: Workflow) -> str:
    """The template version a workflow's occurrences pin (the highest in its range)."""
    ref = workflow.template
    try:
        return templates.document(ref.id, ref.version).version
    except NotFoundError as exc:
        raise UnknownReferenceError(workflow.id, "template", ref.id, str(exc)) from None
    except ValueError as exc:  # a malformed range
        raise UnknownReferenceError(
            workflow.id, "template", ref.id, f"version range {ref.version!r}: {exc}"
        ) from None


# ---------------------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------------------


@checked_dates
def plan(
    workflows: Iterable[Workflow],
    templates: TemplateRegistry,
    clients: Iterable[Client | ClientList],
    start: date,
    end: date,
    *,
    by: By = "create",
    holidays: BankHolidays | None = None,
) -> list[Occurrence]:
    """Every occurrence whose ``create_on`` (or ``due_on`` with ``by="due"``) falls in
    ``[start, end)``, sorted by that date, then workflow, client and period.

    ``templates`` (a :class:`TemplateRegistry`) pins each occurrence's template
    version (the highest in the workflow's range). ``holidays`` gives the bank
    holidays (default: the `holidays` package). Raises :class:`UnknownReferenceError`
    for an unknown client, template or version;
    :class:`~workflowkit.calendar.errors.MissingClientDataError` when a client lacks
    what its trigger or deadline needs; :class:`InvalidPeriodError` when ``end`` is
    before ``start``.
    """
    if not isinstance(templates, TemplateRegistry):
        raise TypeError(
            "plan(workflows, templates, clients, start, end): templates must be a "
            f"TemplateRegistry, not {type(templates).__name__}"
        )
    if by not in ("create", "due"):
        raise CalendarError(f"by must be 'create' or 'due', not {by!r}")
    if end < start:
        raise InvalidPeriodError(start, end, "plan window")
    if (end - start).days > MAX_WINDOW_DAYS:
        raise InvalidPeriodError(start, end, "plan window", "is longer than 100 years")
    try:
        return _plan(workflows, templates, clients, start, end, by, holidays)
    except WorkflowkitError:
        raise
    except (OverflowError, ValueError) as exc:
        # date arithmetic past 9999-12-31 (or before 0001-01-01): F14
        raise DateOutOfRangeError(
            end, f"plan {start.isoformat()}..{end.isoformat()}", str(exc)
        ) from None


def _plan(
    workflows: Iterable[Workflow],
    templates: TemplateRegistry,
    clients: Iterable[Client | ClientList],
    start: date,
    end: date,
    by: By,
    holidays: BankHolidays | None,
) -> list[Occurrence]:
    index = ClientIndex(clients)
    planner = _Planner(holidays or BankHolidays())
    out: list[Occurrence] = []
    for workflow in workflows:
        version = template_version(templates, workflow)
        chosen = index.select(workflow)
        if not chosen or start == end:
            continue
        wp = _WorkflowPlan(planner, workflow, version, chosen, start, end, by)
        try:
            if workflow.one_off is not None:
                wp.one_off()
            else:
                wp.repeating()
        except WorkflowkitError:
            raise
        except (OverflowError, ValueError) as exc:
            raise DateOutOfRangeError(
                end,
                f"workflow {workflow.id!r} planned over {start.isoformat()}..{end.isoformat()}",
                str(exc),
            ) from None
        out.extend(wp.out)
    first = "create_on" if by == "create" else "due_on"
    out.sort(key=attrgetter(first, "workflow", "client", "period_start"))
    return out


@checked_dates
def catch_up(
    workflows: Iterable[Workflow],
    templates: TemplateRegistry,
    clients: Iterable[Client | ClientList],
    *,
    since: datetime,
    now: datetime,
    holidays: BankHolidays | None = None,
) -> list[Occurrence]:
    """Exactly the occurrences created after ``since`` and at or before ``now``.

    Both moments must be timezone-aware. An application that stores ``now`` after
    each run and passes it as the next run's ``since`` gets every occurrence exactly
    once, across restarts and clock changes, because each occurrence's ``create_at``
    is a fixed moment and the spans ``(since, now]`` do not overlap. Sorted by
    ``create_at``, then workflow, client and period.
    """
    if since.tzinfo is None or since.utcoffset() is None:
        raise NaiveDatetimeError("since")
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveDatetimeError("now")
    if now < since:
        raise CalendarError(f"now ({now.isoformat()}) is before since ({since.isoformat()})")
    workflows = list(workflows)
    clients = list(clients)
    # local dates differ from UTC dates by at most a day either way
    lo = since.astimezone(UTC).date() - timedelta(days=2)
    hi = now.astimezone(UTC).date() + timedelta(days=2)
    found = plan(workflows, templates, clients, lo, hi, by="create", holidays=holidays)
    out = [o for o in found if since < o.create_at <= now]
    out.sort(key=attrgetter("create_at", "workflow", "client", "period_start"))
    return out
