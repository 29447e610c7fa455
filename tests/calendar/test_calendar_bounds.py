"""F13/F14 (issue 19): dates at the ends of the calendar give a typed error, never a raw
OverflowError or ValueError, and validate refuses what plan cannot compute. With
properties of the new instalment and period rules."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta

import pytest
from calendar_helpers import client, registry, workflow
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.calendar import plan
from workflowkit.calendar.bounds import out_of_range
from workflowkit.calendar.dates import LATEST_DATE, add_months
from workflowkit.calendar.deadlines import (
    companies_house_accounts_due,
    corporation_tax_payment_due,
    corporation_tax_periods,
    ct600_due,
    payroll_deadlines,
    psa_deadlines,
    quarterly_paye_deadlines,
    self_assessment_deadlines,
    vat_return_due,
)
from workflowkit.calendar.errors import DateOutOfRangeError
from workflowkit.calendar.instalments import (
    annual_accounting_payments,
    ct_instalment_dates,
    vat_payments_on_account,
)
from workflowkit.errors import CalendarError, WorkflowkitError

END = date(9999, 12, 31)


@pytest.mark.parametrize(
    ("call", "rule"),
    [
        (lambda: vat_return_due(END), "vat_return"),
        (lambda: vat_return_due(END, annual=True), "vat_return"),
        (lambda: companies_house_accounts_due(date(9999, 6, 30)), "companies_house_accounts"),
        (lambda: corporation_tax_payment_due(date(9999, 6, 30)), "corporation_tax_payment"),
        (lambda: ct600_due(date(9999, 1, 1)), "ct600"),
        (lambda: self_assessment_deadlines(END), "self assessment"),
        (lambda: payroll_deadlines(END), "payroll"),
        (lambda: quarterly_paye_deadlines(END), "quarterly PAYE"),
        (lambda: psa_deadlines(END), "PAYE Settlement"),
        (lambda: ct_instalment_dates(date(9999, 6, 1), END, "large"), "ct_instalments"),
        (lambda: vat_payments_on_account(END), "vat_payments_on_account"),
        (lambda: annual_accounting_payments(END), "vat_annual_accounting_interim"),
        (lambda: corporation_tax_periods(date(9999, 1, 2), END), "corporation tax"),
    ],
)
def test_deadline_functions_raise_a_typed_error_at_the_end_of_the_calendar(
    call: object, rule: str
) -> None:
    with pytest.raises(DateOutOfRangeError) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, CalendarError)
    assert rule in str(info.value)
    assert "9999-" in str(info.value)


def test_typed_errors_pass_through_the_guard_unchanged() -> None:
    with pytest.raises(CalendarError, match=r"ends .* before it starts"):
        ct600_due(date(2024, 1, 1), period_of_account=(date(2024, 6, 1), date(2024, 1, 1)))


def test_plan_in_the_last_years_gives_a_typed_error_naming_the_workflow() -> None:
    # F14: `plan --from 9998-01-01 --to 9998-12-31` gave "year 10000 is out of range"
    c = client(year_end={"month": 12, "day": 31})
    wf = workflow("ct", {"trigger": {"event": "year_end"}, "due": {"deadline": "ct600"}})
    for by in ("create", "due"):
        with pytest.raises(DateOutOfRangeError, match="workflow 'ct'"):
            plan([wf], registry(), [c], date(9998, 1, 1), date(9999, 1, 1), by=by)  # type: ignore[arg-type]


def test_plan_well_inside_the_bound_still_works() -> None:
    c = client(year_end={"month": 12, "day": 31}, vat={"stagger": 1})
    wf = workflow(
        "vat", {"trigger": {"event": "vat_period_end"}, "due": {"deadline": "vat_return"}}
    )
    got = plan([wf], registry(), [c], date(9990, 1, 1), date(9991, 1, 1))
    assert [o.period_end for o in got] == [
        date(9989, 12, 31),
        date(9990, 3, 31),
        date(9990, 6, 30),
        date(9990, 9, 30),
    ]


def test_out_of_range_names_every_date_beyond_the_bound_with_its_pointer() -> None:
    c = client(
        incorporated="9995-01-01",
        vat={"stagger": 1, "registered": "1700-01-01"},
        payroll={"started": "2020-04-06"},
    )
    assert out_of_range(c, "/clients/0") == [
        ("/clients/0/incorporated", date(9995, 1, 1)),
        ("/clients/0/vat/registered", date(1700, 1, 1)),
    ]
    assert out_of_range(client(incorporated=LATEST_DATE.isoformat())) == []


@given(
    st.dates(date(1700, 1, 1), date(9999, 1, 1)),
    st.dates(date(1700, 1, 1), date(9999, 1, 1)),
    st.booleans(),
)
def test_the_quick_range_check_agrees_with_the_full_walk(
    incorporated: date, registered: date, with_payroll: bool
) -> None:
    """``out_of_range`` skips writing pointers when every date is in range: the answer
    is the full walk's either way (nested models and tuples included)."""
    from workflowkit.calendar.bounds import EARLIEST_DATE, dates_in

    extra = {"payroll": {"started": registered.isoformat()}} if with_payroll else {}
    c = client(
        incorporated=incorporated.isoformat(),
        vat={"stagger": 1, "registered": registered.isoformat()},
        **extra,
    )
    walk = [(p, d) for p, d in dates_in(c, "/c") if not EARLIEST_DATE <= d <= LATEST_DATE]
    assert out_of_range(c, "/c") == walk


def test_validate_rejects_a_date_plan_cannot_compute(tmp_path: object) -> None:
    from pathlib import Path

    from workflowkit.source.workspace import read_workspace

    folder = Path(str(tmp_path))
    (folder / "clients.yaml").write_text(
        "apiVersion: workflowkit/v1\nkind: ClientList\nclients:\n"
        "  - {id: acme-ltd, name: Acme, company_type: private_limited, incorporated: 9999-03-01}\n"
    )
    codes = [(d.code, d.line) for d in read_workspace([folder]).diagnostics()]
    assert codes == [("WK330", 4)]


# -- properties ------------------------------------------------------------------------

days = st.dates(min_value=date(1999, 1, 1), max_value=date(2090, 12, 31))


@given(days, st.integers(min_value=0, max_value=365), st.sampled_from(["large", "very_large"]))
def test_instalments_are_ordered_at_most_four_and_within_the_rule(
    start: date, length: int, size: str
) -> None:
    end = min(start + timedelta(days=length), add_months(start, 12) - timedelta(days=1))
    dates = ct_instalment_dates(start, end, size)  # type: ignore[arg-type]
    assert 1 <= len(dates) <= 4
    assert list(dates) == sorted(set(dates))
    if size == "large":
        # reg 5(3): none before 6 months 13 days from the start (unless only the final);
        # the final 3 months 14 days after the end
        assert dates[-1] == add_months(end, 3, month_end=True) + timedelta(days=14)
        if len(dates) > 1:
            assert dates[0] == add_months(start, 6) + timedelta(days=13)
    else:
        assert dates[0] >= add_months(start, 2) + timedelta(days=13) or len(dates) == 1
        assert dates[-1] <= end  # very large companies pay inside the period
    # the instalments before the final are three months apart (CTM92560); the final may
    # follow the one before by as little as a day (a period of 3 months and 1 day pays
    # on 14 July and 15 July: CTM92580 "a first and a final instalment")
    for a, b in itertools.pairwise(dates[:-1]):
        assert b == add_months(a, 3, month_end=True)
    if len(dates) > 1:
        assert 0 < (dates[-1] - dates[-2]).days <= 31 * 3 + 14


@given(days, st.integers(min_value=0, max_value=547))
def test_long_periods_split_into_accounting_periods_that_tile_it(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    aps = corporation_tax_periods(start, end)
    assert aps[0].start == start and aps[-1].end == end
    for a, b in itertools.pairwise(aps):
        assert b.start == a.end + timedelta(days=1)
    for ap in aps:
        assert ap.end <= add_months(ap.start, 12) - timedelta(days=1)
    assert len(aps) <= 2


@given(st.dates(min_value=date(9900, 1, 1), max_value=date.max))
def test_no_deadline_function_raises_an_untyped_error(d: date) -> None:
    for call in (
        lambda: vat_return_due(d),
        lambda: companies_house_accounts_due(d),
        lambda: corporation_tax_payment_due(d),
        lambda: ct600_due(d),
        lambda: self_assessment_deadlines(d),
        lambda: payroll_deadlines(d),
        lambda: quarterly_paye_deadlines(d),
        lambda: psa_deadlines(d),
    ):
        with contextlib.suppress(WorkflowkitError):
            call()
