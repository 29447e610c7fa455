"""Cron expressions: strict validation, and firing exactly once a day across DST changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from calendar_helpers import client, registry, workflow

from workflowkit.calendar import Client, InvalidCronError, Workflow, catch_up, plan
from workflowkit.calendar.cron import (
    CronSchedule,
    cron_fire_dates,
    cron_previous_date,
    localize,
    parse_cron,
)
from workflowkit.templates.resolve import TemplateRegistry

LONDON = ZoneInfo("Europe/London")
D = date


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("", "WK310"),
        ("0 9 5 * * *", "WK310"),  # six fields (seconds)
        ("0 9 5 *", "WK310"),
        ("0 0 1 1 * 2025", "WK310"),  # a year field
        ("61 9 * * *", "WK310"),
        ("0 9 0 * *", "WK310"),
        ("0 9 30 2 *", "WK310"),  # a day that never exists
        ("0 9 31 4 *", "WK310"),
        ("R 9 * * *", "WK310"),  # random: not repeatable
        ("H 9 * * *", "WK310"),  # hashed
        ("0 9 * * FUNDAY", "WK310"),
        ("@hourly", "WK310"),
        ("@reboot", "WK310"),
        ("*/15 9 * * *", "WK311"),
        ("0 * * * *", "WK311"),
        ("0 9,17 * * *", "WK311"),
        ("0 9-10 * * *", "WK311"),
        ("0 0 * 2 5#5", "WK312"),  # fifth Friday of February: decades apart
    ],
)
def test_invalid_expressions(expression: str, code: str) -> None:
    with pytest.raises(InvalidCronError) as info:
        parse_cron(expression)
    assert info.value.code == code
    assert info.value.expression == expression


@pytest.mark.parametrize(
    "expression",
    [
        "0 9 5 * *",
        "30 1 * * *",
        "0 0 L * *",
        "0 0 L 3,6,9,12 *",
        "0 7 * * MON-FRI",
        "0 7 * * 1#1",
        "0 0 15W * *",
        "0 0 29 2 *",  # every four years, eight across 2100
        "0 0 1 jan *",
        "@monthly",
        "@daily",
        "  0   9 5 *   * ",
    ],
)
def test_valid_expressions(expression: str) -> None:
    assert parse_cron(expression).at.minute in (0, 30)


def test_29_february_fires_across_2100() -> None:
    s = parse_cron("0 0 29 2 *")
    assert cron_fire_dates(s, D(2095, 1, 1), D(2106, 1, 1)) == [D(2096, 2, 29), D(2104, 2, 29)]
    assert cron_previous_date(s, D(2104, 1, 1)) == D(2096, 2, 29)


def test_fire_dates_are_wall_clock_days() -> None:
    s = parse_cron("0 9 5 * *")
    assert cron_fire_dates(s, D(2024, 1, 5), D(2024, 3, 5)) == [
        D(2024, 1, 5),
        D(2024, 2, 5),
        D(2024, 3, 5),
    ]
    assert cron_fire_dates(s, D(2024, 1, 6), D(2024, 1, 31)) == []


def test_localize_gap_and_overlap() -> None:
    spring = localize(D(2024, 3, 31), parse_cron("30 1 * * *").at, LONDON)
    assert spring.astimezone(UTC) == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    assert (spring.hour, spring.minute, spring.utcoffset()) == (2, 30, timedelta(hours=1))
    autumn = localize(D(2024, 10, 27), parse_cron("30 1 * * *").at, LONDON)
    assert autumn.astimezone(UTC) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)  # first 01:30


def _daily(
    expression: str, zone: str = "Europe/London"
) -> tuple[list[Workflow], list[Client], TemplateRegistry]:
    wf = workflow("daily", {"trigger": {"cron": expression}, "due": {"within": {"days": 0}}})
    return [wf], [client("acme", timezone=zone)], registry()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2024, 3, 24), D(2024, 4, 7)),
        (D(2024, 10, 20), D(2024, 11, 3)),
        (D(2025, 3, 23), D(2025, 4, 6)),
        (D(2025, 10, 19), D(2025, 11, 2)),
    ],
)
def test_0130_london_fires_exactly_once_a_day_across_clock_changes(start: date, end: date) -> None:
    wfs, clients, reg = _daily("30 1 * * *")
    occ = plan(wfs, reg, clients, start, end)
    days = [o.create_on for o in occ]
    assert days == [start + timedelta(days=i) for i in range((end - start).days)]
    moments = [o.create_at for o in occ]
    assert len(set(moments)) == len(moments)
    gaps = {(b - a) for a, b in itertools.pairwise(moments)}
    assert gaps <= {timedelta(hours=23), timedelta(hours=24), timedelta(hours=25)}
    for o in occ:
        assert o.create_at.tzinfo is not None and o.create_at.date() == o.create_on


def test_spring_forward_day_fires_once_shifted_by_the_gap() -> None:
    wfs, clients, reg = _daily("30 1 * * *")
    (o,) = plan(wfs, reg, clients, D(2024, 3, 31), D(2024, 4, 1))
    assert o.create_at.astimezone(UTC) == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)
    assert o.create_at.isoformat() == "2024-03-31T02:30:00+01:00"


def test_fall_back_day_fires_once_at_the_first_0130() -> None:
    wfs, clients, reg = _daily("30 1 * * *")
    (o,) = plan(wfs, reg, clients, D(2024, 10, 27), D(2024, 10, 28))
    assert o.create_at.isoformat() == "2024-10-27T01:30:00+01:00"


def test_new_york_gap() -> None:
    wfs, clients, reg = _daily("30 2 * * *", "America/New_York")
    (o,) = plan(wfs, reg, clients, D(2024, 3, 10), D(2024, 3, 11))
    assert o.create_at.isoformat() == "2024-03-10T03:30:00-04:00"


def test_catch_up_hour_by_hour_across_both_changes() -> None:
    wfs, clients, reg = _daily("30 1 * * *")
    for day in (D(2024, 3, 29), D(2024, 10, 25)):
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        hours = [start + timedelta(hours=h) for h in range(0, 24 * 5 + 1)]
        pieces = [catch_up(wfs, reg, clients, since=a, now=b) for a, b in itertools.pairwise(hours)]
        found = [o for piece in pieces for o in piece]
        assert len(found) == 5  # five days, five firings
        assert len({o.key for o in found}) == 5
        assert found == catch_up(wfs, reg, clients, since=hours[0], now=hours[-1])


def test_same_moment_in_two_timezones_is_one_day_apart_when_it_should_be() -> None:
    wf = workflow("daily", {"trigger": {"cron": "0 9 * * *"}, "due": {"within": {"days": 1}}})
    clients = [client("london"), client("kolkata", timezone="Asia/Kolkata")]
    occ = plan([wf], registry(), clients, D(2024, 6, 1), D(2024, 6, 2))
    by_client = {o.client: o.create_at for o in occ}
    assert by_client["london"] - by_client["kolkata"] == timedelta(hours=4, minutes=30)


def test_fire_dates_walk_over_gaps_longer_than_the_search_bound() -> None:
    # parse_cron rejects this (WK312); the walker itself still must not repeat or stop
    sparse = CronSchedule("0 0 * 2 5#5", time(0, 0))
    assert cron_fire_dates(sparse, D(2000, 1, 1), D(2100, 1, 1)) == [
        D(2008, 2, 29),
        D(2036, 2, 29),
        D(2064, 2, 29),
        D(2092, 2, 29),
    ]
