"""``plan`` and ``catch_up``: triggers, periods, creation and due dates, keys, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from calendar_helpers import client, registry, workflow

from workflowkit.calendar import (
    InvalidPeriodError,
    MissingClientDataError,
    NaiveDatetimeError,
    NotApplicableError,
    Occurrence,
    UnknownReferenceError,
    catch_up,
    occurrence_key,
    plan,
)
from workflowkit.errors import CalendarError, NotFoundError

D = date
JAN_2024 = D(2024, 1, 1)
JAN_2025 = D(2025, 1, 1)


def run(
    wf: Any,
    clients: list[Any] | None = None,
    start: date = JAN_2024,
    end: date = JAN_2025,
    **kw: Any,
) -> list[Occurrence]:
    return plan([wf], registry(), clients or [client()], start, end, **kw)


def periods(occ: list[Occurrence]) -> list[tuple[date, date]]:
    return [(o.period_start, o.period_end) for o in occ]


# -- keys --------------------------------------------------------------------------------


def test_key_is_pinned_forever() -> None:
    # sha256("workflowkit/occurrence/v1\nvat-returns\nacme-ltd\n2024-01-01\n2024-03-31")[:32]
    key = occurrence_key("vat-returns", "acme-ltd", D(2024, 1, 1), D(2024, 3, 31))
    assert key == "99078c7cf52c4dd01aad9084b949f9b6"


def test_key_ignores_version_due_date_and_window() -> None:
    wf = workflow(
        "vat-returns", {"trigger": {"event": "vat_period_end"}, "due": {"deadline": "vat_return"}}
    )
    acme = client("acme-ltd", vat={"stagger": 1})
    a = plan([wf], registry("1.0.0"), [acme], D(2024, 4, 1), D(2024, 4, 2))
    later = workflow(
        "vat-returns", {"trigger": {"event": "vat_period_end"}, "due": {"within": {"days": 3}}}
    )
    b = plan([later], registry("1.0.0", "1.5.0"), [acme], D(2024, 1, 1), D(2024, 12, 31))
    (first,) = a
    (same,) = [o for o in b if o.period_end == D(2024, 3, 31)]
    assert first.key == same.key == "99078c7cf52c4dd01aad9084b949f9b6"
    assert (first.template_version, same.template_version) == ("1.0.0", "1.5.0")


def test_occurrence_round_trips_through_json() -> None:
    (o,) = run(
        workflow(
            "w",
            {
                "trigger": {"cron": "0 9 5 * *", "period": "previous_month"},
                "due": {"within": {"days": 10}},
            },
        ),
        end=D(2024, 2, 1),
    )
    data = json.loads(json.dumps(o.to_data()))
    assert data["create_at"] == "2024-01-05T09:00:00+00:00"
    assert data["period_start"] == "2023-12-01" and data["period_end"] == "2023-12-31"
    assert data["key"] == occurrence_key("w", "acme", D(2023, 12, 1), D(2023, 12, 31))
    assert o.period.days == 31


# -- schedules ---------------------------------------------------------------------------


def test_cron_previous_month() -> None:
    occ = run(
        workflow(
            "w",
            {
                "trigger": {"cron": "0 9 5 * *", "period": "previous_month"},
                "due": {"within": {"days": 10}},
            },
        ),
        end=D(2024, 4, 1),
    )
    assert periods(occ) == [
        (D(2023, 12, 1), D(2023, 12, 31)),
        (D(2024, 1, 1), D(2024, 1, 31)),
        (D(2024, 2, 1), D(2024, 2, 29)),
    ]
    assert [o.create_on for o in occ] == [D(2024, 1, 5), D(2024, 2, 5), D(2024, 3, 5)]
    assert [o.due_on for o in occ] == [D(2024, 1, 15), D(2024, 2, 15), D(2024, 3, 15)]


def test_only_the_first_firing_in_a_calendar_period_creates() -> None:
    twice = {
        "trigger": {"cron": "0 9 5,20 * *", "period": "previous_month"},
        "due": {"within": {"days": 5}},
    }
    occ = run(workflow("w", twice), end=D(2024, 4, 1))
    assert [o.create_on.day for o in occ] == [5, 5, 5]
    interval = {"trigger": {"cron": "0 9 5,20 * *"}, "due": {"within": {"days": 5}}}
    occ = run(workflow("w", interval), end=D(2024, 2, 1))
    assert periods(occ) == [(D(2023, 12, 20), D(2024, 1, 4)), (D(2024, 1, 5), D(2024, 1, 19))]


@pytest.mark.parametrize(
    ("period", "fire", "expected"),
    [
        ("previous_day", D(2024, 3, 5), (D(2024, 3, 4), D(2024, 3, 4))),
        ("previous_week", D(2024, 3, 5), (D(2024, 2, 26), D(2024, 3, 3))),
        ("previous_quarter", D(2024, 4, 5), (D(2024, 1, 1), D(2024, 3, 31))),
        ("previous_year", D(2024, 1, 5), (D(2023, 1, 1), D(2023, 12, 31))),
        ("previous_tax_month", D(2024, 5, 10), (D(2024, 4, 6), D(2024, 5, 5))),
        ("previous_tax_year", D(2024, 4, 10), (D(2023, 4, 6), D(2024, 4, 5))),
        ("current_month", D(2024, 2, 25), (D(2024, 2, 1), D(2024, 2, 29))),
        ("current_week", D(2024, 3, 5), (D(2024, 3, 4), D(2024, 3, 10))),
        ("current_quarter", D(2024, 2, 25), (D(2024, 1, 1), D(2024, 3, 31))),
        ("current_year", D(2024, 2, 25), (D(2024, 1, 1), D(2024, 12, 31))),
    ],
)
def test_schedule_period_kinds(period: str, fire: date, expected: tuple[date, date]) -> None:
    cron = f"0 9 {fire.day} {fire.month} *"
    occ = run(
        workflow(
            "w", {"trigger": {"cron": cron, "period": period}, "due": {"within": {"days": 1}}}
        ),
        start=fire,
        end=fire.replace(day=fire.day + 1),
    )
    assert periods(occ) == [expected]


def test_monthly_cadence_from_31_january() -> None:
    occ = run(
        workflow(
            "w",
            {
                "trigger": {"every": {"months": 1}, "starting": "2024-01-31"},
                "create": {"at": "07:00"},
                "due": {"within": {"days": 0}},
            },
        ),
        end=D(2024, 6, 1),
    )
    assert [o.create_on for o in occ] == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
        D(2024, 5, 31),
    ]
    assert occ[0].period_start == D(2023, 12, 31)  # the interval before the first firing
    assert occ[1].period_start == D(2024, 1, 31) and occ[1].period_end == D(2024, 2, 28)
    assert occ[2].create_at.isoformat() == "2024-03-31T07:00:00+01:00"
    non_leap = run(
        workflow(
            "w",
            {
                "trigger": {"every": {"months": 1}, "starting": "2023-01-31"},
                "due": {"within": {"days": 0}},
            },
        ),
        start=D(2023, 2, 1),
        end=D(2023, 3, 1),
    )
    assert [o.create_on for o in non_leap] == [D(2023, 2, 28)]


def test_cadence_in_weeks_days_quarters_and_years() -> None:
    def fires(every: dict[str, int], start: date, end: date) -> list[date]:
        wf = workflow(
            "w",
            {"trigger": {"every": every, "starting": "2024-01-01"}, "due": {"within": {"days": 0}}},
        )
        return [o.create_on for o in run(wf, start=start, end=end)]

    assert fires({"weeks": 2}, D(2023, 1, 1), D(2024, 2, 1)) == [
        D(2024, 1, 1),
        D(2024, 1, 15),
        D(2024, 1, 29),
    ]
    assert fires({"days": 10}, D(2024, 1, 5), D(2024, 1, 31)) == [D(2024, 1, 11), D(2024, 1, 21)]
    assert fires({"quarters": 1}, D(2024, 1, 1), D(2025, 1, 1)) == [
        D(2024, 1, 1),
        D(2024, 4, 1),
        D(2024, 7, 1),
        D(2024, 10, 1),
    ]
    assert fires({"years": 1}, D(2024, 6, 1), D(2027, 1, 1)) == [D(2025, 1, 1), D(2026, 1, 1)]


def test_create_working_day_moves_the_moment_too() -> None:
    occ = run(
        workflow(
            "w",
            {
                "trigger": {"cron": "0 9 5 * *", "period": "previous_month"},
                "create": {"working_day": "next"},
                "due": {"within": {"days": 10}},
            },
        ),
        start=D(2024, 5, 1),
        end=D(2024, 6, 1),
    )
    (o,) = occ  # 5 May 2024 is a Sunday and 6 May the early May bank holiday
    assert o.create_on == D(2024, 5, 7)
    assert o.create_at.isoformat() == "2024-05-07T09:00:00+01:00"
    assert o.due_on == D(2024, 5, 17)


# -- events ------------------------------------------------------------------------------


def test_vat_event_and_payment_moving_to_the_previous_working_day() -> None:
    wf = workflow(
        "vat",
        {
            "trigger": {"event": "vat_period_end"},
            "create": {"after_period_end": {"days": 1}, "at": "08:00"},
            "due": {"deadline": "vat_return"},
        },
    )
    occ = run(wf, [client(vat={"stagger": 3})], start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert periods(occ) == [
        (D(2023, 12, 1), D(2024, 2, 29)),
        (D(2024, 3, 1), D(2024, 5, 31)),
        (D(2024, 6, 1), D(2024, 8, 31)),
        (D(2024, 9, 1), D(2024, 11, 30)),
    ]
    # 7 April 2024 is a Sunday: payment must clear on Friday 5 April
    assert [o.due_on for o in occ] == [D(2024, 4, 5), D(2024, 7, 5), D(2024, 10, 7), D(2025, 1, 7)]
    assert all(o.deadline == "vat_return" for o in occ)
    assert occ[0].create_at.isoformat() == "2024-03-01T08:00:00+00:00"


def test_explicit_policy_overrides_the_deadline_default() -> None:
    wf = workflow(
        "vat",
        {
            "trigger": {"event": "vat_period_end"},
            "due": {"deadline": "vat_return", "working_day": "none"},
        },
    )
    occ = run(wf, [client(vat={"stagger": 3})], start=D(2024, 3, 1), end=D(2024, 3, 2))
    assert [o.due_on for o in occ] == [D(2024, 4, 7)]


def test_paye_payment_moves_earlier_and_companies_house_never_moves() -> None:
    paye = workflow(
        "paye", {"trigger": {"event": "tax_month_end"}, "due": {"deadline": "paye_payment"}}
    )
    occ = run(paye, [client(payroll={})], start=D(2024, 9, 6), end=D(2024, 9, 7))
    assert [o.due_on for o in occ] == [D(2024, 9, 20)]  # 22 September 2024 is a Sunday
    accounts = workflow(
        "accounts",
        {"trigger": {"event": "year_end"}, "due": {"deadline": "companies_house_accounts"}},
    )
    c = client(incorporated="2015-11-03", year_end={"month": 11, "day": 30})
    occ = run(accounts, [c], start=D(2024, 12, 1), end=D(2024, 12, 2))
    assert [o.due_on for o in occ] == [D(2025, 8, 31)]  # a Sunday, unchanged


def test_first_accounts_through_plan() -> None:
    wf = workflow(
        "accounts",
        {
            "trigger": {"event": "year_end"},
            "create": {"after_period_end": {"weeks": 2}},
            "due": {"deadline": "companies_house_accounts"},
        },
    )
    c = client("new-start", incorporated="2024-01-15")
    (o,) = run(wf, [c], start=D(2025, 1, 1), end=D(2026, 1, 1))
    assert (o.period_start, o.period_end) == (D(2024, 1, 15), D(2025, 1, 31))
    assert o.create_on == D(2025, 2, 14)
    assert o.due_on == D(2025, 10, 15)


def test_create_before_a_deadline() -> None:
    wf = workflow(
        "ct",
        {
            "trigger": {"event": "year_end"},
            "create": {"before_deadline": {"days": 60}},
            "due": {"deadline": "corporation_tax_payment"},
        },
    )
    c = client(incorporated="2015-03-10", year_end={"month": 3, "day": 31})
    (o,) = run(wf, [c], start=D(2024, 1, 1), end=D(2025, 1, 1))
    assert o.due_on == D(2024, 12, 31)  # 1 January 2025 is a bank holiday: previous day
    assert o.create_on == D(2024, 11, 2)  # 60 days before 1 January 2025


def test_never_due_before_it_is_created() -> None:
    wf = workflow(
        "late",
        {
            "trigger": {"event": "vat_period_end"},
            "create": {"after_period_end": {"days": 60}},
            "due": {"deadline": "vat_return"},
        },
    )
    occ = run(wf, [client(vat={"stagger": 1})])
    assert occ and all(o.due_on == o.create_on for o in occ)


def test_other_events() -> None:
    cs = workflow(
        "cs",
        {
            "trigger": {"event": "confirmation_statement"},
            "due": {"deadline": "confirmation_statement"},
        },
    )
    (o,) = run(cs, [client(incorporated="2017-01-01")], start=D(2024, 1, 1), end=D(2024, 1, 2))
    assert (o.period_end, o.due_on) == (D(2023, 12, 31), D(2024, 1, 14))
    sa = workflow(
        "sa",
        {
            "trigger": {"event": "tax_year_end"},
            "create": {"after_period_end": {"days": 1}},
            "due": {"deadline": "self_assessment_online_return"},
        },
    )
    (o,) = run(sa, [client(company_type="sole_trader", year_end={"month": 4, "day": 5})])
    assert (o.period_start, o.due_on) == (D(2023, 4, 6), D(2025, 1, 31))


def test_workflow_window() -> None:
    wf = workflow(
        "w",
        {
            "trigger": {"cron": "0 9 5 * *", "period": "previous_month"},
            "due": {"within": {"days": 1}},
            "starts_on": "2024-03-01",
            "ends_on": "2024-05-05",
        },
    )
    assert [o.create_on.month for o in run(wf)] == [3, 4, 5]


# -- one-off -----------------------------------------------------------------------------


def test_one_off() -> None:
    wf = workflow(
        "onboard",
        one_off={"period": {"start": "2024-01-15", "end": "2025-01-31"}, "due_on": "2025-03-31"},
    )
    (o,) = run(wf, start=D(2025, 1, 1), end=D(2026, 1, 1))
    assert (o.create_on, o.due_on, o.deadline) == (D(2025, 2, 1), D(2025, 3, 31), None)
    assert run(wf, start=D(2025, 3, 31), end=D(2025, 4, 1), by="due") == [o]
    early = workflow(
        "x",
        one_off={"period": {"start": "2024-01-01", "end": "2024-12-31"}, "due_on": "2024-06-30"},
    )
    (o,) = run(early)
    assert o.create_on == o.due_on == D(2024, 6, 30)


# -- selection, versions, windows --------------------------------------------------------


def test_by_due_includes_work_created_before_the_window() -> None:
    wf = workflow(
        "accounts",
        {
            "trigger": {"event": "year_end"},
            "create": {"after_period_end": {"days": 1}},
            "due": {"deadline": "companies_house_accounts"},
        },
    )
    c = client(incorporated="2015-03-10", year_end={"month": 3, "day": 31})
    (o,) = run(wf, [c], start=D(2024, 12, 1), end=D(2025, 1, 1), by="due")
    assert (o.create_on, o.due_on) == (D(2024, 4, 1), D(2024, 12, 31))
    assert run(wf, [c], start=D(2024, 12, 1), end=D(2025, 1, 1)) == []


def test_client_selection() -> None:
    clients = [
        client("a", tags=["vat"]),
        client("b", tags=["vat", "payroll"]),
        client("c", company_type="sole_trader", tags=["vat"]),
        client("d"),
    ]
    rep = {"trigger": {"cron": "0 9 5 * *"}, "due": {"within": {"days": 1}}}

    def chosen(selector: dict[str, Any]) -> set[str]:
        wf = workflow("w", rep, clients=selector)
        return {o.client for o in run(wf, clients, end=D(2024, 1, 6))}

    assert chosen({"tags": ["vat"]}) == {"a", "b", "c"}
    assert chosen({"tags": ["payroll"], "ids": ["d"]}) == {"b", "d"}
    assert chosen({"all": True, "company_types": ["sole_trader"]}) == {"c"}
    assert chosen({"tags": ["vat"], "exclude": ["b"]}) == {"a", "c"}


def test_template_version_is_the_highest_in_range() -> None:
    rep = {"trigger": {"cron": "0 9 5 * *"}, "due": {"within": {"days": 1}}}
    reg = registry("1.0.0", "1.2.0", "2.0.0")
    for rng, expected in (("^1", "1.2.0"), (None, "2.0.0"), ("1.0.0", "1.0.0")):
        wf = workflow("w", rep, template={"id": "books", "version": rng})
        (o,) = plan([wf], reg, [client()], D(2024, 1, 1), D(2024, 1, 6))
        assert o.template_version == expected


def test_empty_window_and_sorting() -> None:
    wf = workflow("w", {"trigger": {"cron": "0 9 * * *"}, "due": {"within": {"days": 1}}})
    assert run(wf, start=D(2024, 1, 1), end=D(2024, 1, 1)) == []
    occ = run(wf, [client("b"), client("a")], end=D(2024, 1, 3))
    assert [(o.create_on.day, o.client) for o in occ] == [(1, "a"), (1, "b"), (2, "a"), (2, "b")]


# -- errors ------------------------------------------------------------------------------


def test_unknown_references() -> None:
    rep = {"trigger": {"cron": "0 9 5 * *"}, "due": {"within": {"days": 1}}}
    with pytest.raises(UnknownReferenceError, match="client 'nobody'") as info:
        run(workflow("w", rep, clients={"ids": ["nobody"]}))
    assert isinstance(info.value, NotFoundError)
    assert (info.value.workflow, info.value.kind, info.value.name) == ("w", "client", "nobody")
    with pytest.raises(UnknownReferenceError, match="template 'ledger'"):
        run(workflow("w", rep, template={"id": "ledger"}))
    with pytest.raises(UnknownReferenceError, match="version"):
        run(workflow("w", rep, template={"id": "books", "version": "^3"}))


def test_missing_client_data_and_not_applicable() -> None:
    vat = workflow("vat", {"trigger": {"event": "vat_period_end"}, "due": {"within": {"days": 30}}})
    with pytest.raises(MissingClientDataError) as info:
        run(vat, [client("no-vat")])
    assert (info.value.client, info.value.field) == ("no-vat", "VAT registration")
    accounts = workflow(
        "accounts",
        {"trigger": {"cron": "0 9 5 1 *"}, "due": {"deadline": "companies_house_accounts"}},
    )
    with pytest.raises(NotApplicableError):
        run(accounts, [client("jo", company_type="sole_trader")])


def test_bad_windows_and_moments() -> None:
    wf = workflow("w", {"trigger": {"cron": "0 9 5 * *"}, "due": {"within": {"days": 1}}})
    with pytest.raises(InvalidPeriodError):
        run(wf, start=D(2024, 2, 1), end=D(2024, 1, 1))
    with pytest.raises(InvalidPeriodError):
        run(wf, start=D(1900, 1, 1), end=D(2100, 1, 1))
    with pytest.raises(CalendarError):
        run(wf, by="due-ish")
    with pytest.raises(CalendarError, match="twice"):
        run(wf, [client("a"), client("a")])
    with pytest.raises(NaiveDatetimeError):
        catch_up(
            [wf],
            registry(),
            [client()],
            since=datetime(2024, 1, 1),
            now=datetime(2024, 2, 1, tzinfo=UTC),
        )
    with pytest.raises(CalendarError):
        catch_up(
            [wf],
            registry(),
            [client()],
            since=datetime(2024, 2, 1, tzinfo=UTC),
            now=datetime(2024, 1, 1, tzinfo=UTC),
        )
    schedule_with_offset = workflow(
        "w",
        {
            "trigger": {"cron": "0 9 5 * *"},
            "create": {"after_period_end": {"days": 1}},
            "due": {"within": {"days": 1}},
        },
    )
    with pytest.raises(CalendarError, match="event triggers"):
        run(schedule_with_offset)


def test_catch_up_boundaries_are_half_open() -> None:
    wf = workflow("w", {"trigger": {"cron": "0 9 5 * *"}, "due": {"within": {"days": 1}}})
    fire = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
    assert len(catch_up([wf], registry(), [client()], since=fire.replace(hour=8), now=fire)) == 1
    assert catch_up([wf], registry(), [client()], since=fire, now=fire.replace(hour=10)) == []


def test_templates_come_before_clients() -> None:
    wf = workflow("w", {"trigger": {"cron": "0 9 5 * *"}, "due": {"within": {"days": 1}}})
    with pytest.raises(TypeError, match="templates must be a TemplateRegistry"):
        plan([wf], [client()], registry(), JAN_2024, JAN_2025)  # type: ignore[arg-type]
