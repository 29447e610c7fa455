"""Properties of planning, over random practices, windows and splits.

- planning ``[a, c)`` equals planning ``[a, b)`` then ``[b, c)``, for any ``b``;
- keys are unique, and always the documented hash of the occurrence's identity;
- catch-up over any split of a span gives what one pass gives, without duplicates;
- ``due_on >= create_on``;
- sharing fire times and periods across clients never changes an occurrence;
- every VAT period of a stagger is three months long, ends on a month end, and the
  periods tile time without gaps.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter
from typing import Any

from calendar_helpers import registry
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.calendar import (
    Client,
    Occurrence,
    Workflow,
    catch_up,
    occurrence_key,
    plan,
    vat_periods,
)
from workflowkit.calendar.dates import ONE_DAY, is_month_end

ZONES = ["Europe/London", "Europe/Dublin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
CRONS = ["30 1 * * *", "0 9 5 * *", "0 0 L * *", "0 7 * * MON", "30 2 * * SUN", "0 2 29 2 *"]
PERIODS = [
    "interval",
    "previous_day",
    "previous_week",
    "previous_month",
    "previous_quarter",
    "previous_year",
    "previous_tax_month",
    "previous_tax_year",
    "current_week",
    "current_month",
    "current_quarter",
    "current_year",
]
POLICIES = ["none", "previous", "next"]
COMPANIES = ["private_limited", "public_limited", "llp"]
LONGEST = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
REGISTRY = registry()

policy = st.sampled_from(POLICIES)
clock = st.sampled_from(["00:00", "01:30", "07:00", "23:59"])
days = st.integers(0, 60)


@st.composite
def clients(draw: st.DrawFn) -> list[Client]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from([*COMPANIES, "sole_trader", "partnership"]))
        month = draw(st.integers(1, 12))
        incorporated = draw(st.dates(date(2012, 1, 1), date(2026, 6, 30)))
        vat = draw(
            st.one_of(
                st.builds(lambda s: {"stagger": s}, st.integers(0, 3)),
                st.builds(
                    lambda m: {"annual_accounting": True, "year_end_month": m}, st.integers(1, 12)
                ),
                st.builds(
                    lambda s, r: {"stagger": s, "registered": r.isoformat()},
                    st.integers(1, 3),
                    st.dates(date(2015, 1, 1), date(2026, 1, 1)),
                ),
            )
        )
        data: dict[str, Any] = {
            "id": f"c{i}",
            "name": f"Client {i}",
            "company_type": kind,
            "timezone": draw(st.sampled_from(ZONES)),
            "year_end": {"month": month, "day": draw(st.integers(1, LONGEST[month - 1]))},
            "incorporated": incorporated.isoformat(),
            "vat": vat,
            "payroll": {"started": draw(st.dates(date(2012, 1, 1), date(2027, 1, 1))).isoformat()},
            "bank_holidays": draw(
                st.sampled_from(["england_and_wales", "scotland", "northern_ireland"])
            ),
        }
        if kind in COMPANIES and draw(st.booleans()):
            later = incorporated + timedelta(days=draw(st.integers(0, 2000)))
            data["confirmation_date"] = later.isoformat()
        out.append(Client.model_validate(data))
    return out


def _cron(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "trigger": {"cron": draw(st.sampled_from(CRONS)), "period": draw(st.sampled_from(PERIODS))},
        "create": {"working_day": draw(policy)},
        "due": {"within": {"days": draw(days)}, "working_day": draw(policy)},
    }


def _cadence(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(st.sampled_from(["days", "weeks", "months", "quarters", "years"]))
    return {
        "trigger": {
            "every": {unit: draw(st.integers(1, 3 if unit != "days" else 40))},
            "starting": draw(st.dates(date(2020, 1, 1), date(2027, 1, 1))).isoformat(),
            "period": draw(st.sampled_from(PERIODS)),
        },
        "create": {"at": draw(clock), "working_day": draw(policy)},
        "due": {"within": {"weeks": draw(st.integers(0, 6))}},
    }


EVENT_DEADLINES = [
    ("vat_period_end", "vat_return", None),
    ("year_end", "companies_house_accounts", COMPANIES),
    ("year_end", "ct600", ["private_limited", "public_limited"]),
    ("year_end", "corporation_tax_payment", ["private_limited", "public_limited"]),
    ("confirmation_statement", "confirmation_statement", COMPANIES),
    ("tax_month_end", "paye_payment", None),
    ("tax_month_end", "p60", None),
    ("tax_year_end", "first_payment_on_account", None),
    ("tax_year_end", "self_assessment_online_return", None),
]


def _event(draw: st.DrawFn) -> tuple[dict[str, Any], list[str] | None]:
    event, deadline, types = draw(st.sampled_from(EVENT_DEADLINES))
    create: dict[str, Any] = {"at": draw(clock), "working_day": draw(policy)}
    if draw(st.booleans()):
        create["after_period_end"] = {"days": draw(days)}
    else:
        create["before_deadline"] = {"days": draw(days)}
    due: dict[str, Any] = {"deadline": deadline}
    if draw(st.booleans()):
        due["offset"] = {"days": draw(st.integers(-30, 30))}
    if draw(st.booleans()):
        due["working_day"] = draw(policy)
    return {"trigger": {"event": event}, "create": create, "due": due}, types


@st.composite
def workflows(draw: st.DrawFn) -> list[Workflow]:
    out = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cron", "cadence", "event", "event", "one_off"]))
        data: dict[str, Any] = {
            "apiVersion": "workflowkit/v1",
            "kind": "Workflow",
            "id": f"w{i}",
            "name": f"W{i}",
            "template": {"id": "books"},
            "clients": {"all": True},
            "assignee": "alice",
        }
        if kind == "cron":
            data["repeating"] = _cron(draw)
        elif kind == "cadence":
            data["repeating"] = _cadence(draw)
        elif kind == "event":
            data["repeating"], types = _event(draw)
            if types:
                data["clients"] = {"all": True, "company_types": types}
        else:
            start = draw(st.dates(date(2022, 1, 1), date(2026, 1, 1)))
            end = start + timedelta(days=draw(st.integers(0, 400)))
            due = end + timedelta(days=draw(st.integers(-30, 200)))
            data["one_off"] = {
                "period": {"start": start.isoformat(), "end": end.isoformat()},
                "due_on": due.isoformat(),
            }
        out.append(Workflow.model_validate(data))
    return out


window_start = st.dates(date(2023, 1, 1), date(2026, 12, 31))


def _plan(wfs: list[Workflow], cs: list[Client], a: date, b: date, by: str) -> list[Occurrence]:
    return plan(wfs, REGISTRY, cs, a, b, by=by)  # type: ignore[arg-type]


@given(
    clients(),
    workflows(),
    window_start,
    st.integers(0, 500),
    st.integers(0, 500),
    st.sampled_from(["create", "due"]),
)
def test_plan_splits_exactly(
    cs: list[Client], wfs: list[Workflow], a: date, n1: int, n2: int, by: str
) -> None:
    b = a + timedelta(days=n1)
    c = b + timedelta(days=n2)
    whole = _plan(wfs, cs, a, c, by)
    assert whole == _plan(wfs, cs, a, b, by) + _plan(wfs, cs, b, c, by)


@given(clients(), workflows(), window_start, st.integers(1, 700))
def test_keys_unique_stable_and_due_after_creation(
    cs: list[Client], wfs: list[Workflow], a: date, n: int
) -> None:
    occ = _plan(wfs, cs, a, a + timedelta(days=n), "create")
    keys = [o.key for o in occ]
    assert len(set(keys)) == len(keys)
    zones = {c.id: c.zone for c in cs}
    for o in occ:
        assert o.key == occurrence_key(o.workflow, o.client, o.period_start, o.period_end)
        assert o.due_on >= o.create_on
        assert o.period_start <= o.period_end
        assert a <= o.create_on < a + timedelta(days=n)
        assert o.create_at.tzinfo is not None
        assert o.create_at.astimezone(zones[o.client]).date() == o.create_on
    again = _plan(wfs, cs, a, a + timedelta(days=n), "create")
    assert [o.key for o in again] == keys


@given(clients(), workflows(), window_start, st.integers(1, 400))
def test_sharing_across_clients_changes_nothing(
    cs: list[Client], wfs: list[Workflow], a: date, n: int
) -> None:
    together = _plan(wfs, cs, a, a + timedelta(days=n), "create")
    alone = [o for c in cs for o in _plan(wfs, [c], a, a + timedelta(days=n), "create")]
    alone.sort(key=attrgetter("create_on", "workflow", "client", "period_start"))
    assert together == alone


moment = st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC))


@given(
    clients(),
    workflows(),
    moment,
    st.integers(0, 60 * 24 * 60),
    st.lists(st.integers(0, 60 * 24 * 60), max_size=12),
)
def test_catch_up_over_any_split(
    cs: list[Client], wfs: list[Workflow], since: datetime, minutes: int, cuts: list[int]
) -> None:
    now = since + timedelta(minutes=minutes)
    points = [since, *sorted(since + timedelta(minutes=m % (minutes + 1)) for m in cuts), now]
    one = catch_up(wfs, REGISTRY, cs, since=since, now=now)
    pieces = [
        o
        for lo, hi in itertools.pairwise(points)
        for o in catch_up(wfs, REGISTRY, cs, since=lo, now=hi)
    ]
    assert pieces == one
    assert len({o.key for o in one}) == len(one)
    assert all(since < o.create_at <= now for o in one)


@given(st.integers(0, 3), st.dates(date(1990, 1, 1), date(2090, 1, 1)), st.integers(0, 2000))
def test_vat_periods_tile_time(stagger: int, start: date, n: int) -> None:
    end = start + timedelta(days=n)
    periods = vat_periods(stagger, start, end)
    assert periods[0].start <= start and periods[-1].end >= end
    months = 1 if stagger == 0 else 3
    for p in periods:
        assert p.start.day == 1 and is_month_end(p.end)
        assert (p.end.month - p.start.month) % 12 == months - 1
        assert p.end < (p.start.replace(day=28) + timedelta(days=31 * months))
        if stagger:
            assert p.end.month % 3 == (stagger + 2) % 3
    for prev, cur in itertools.pairwise(periods):
        assert cur.start == prev.end + ONE_DAY
