"""VAT periods, accounting periods, confirmation statement review periods, tax months."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workflowkit.calendar import (
    Client,
    InvalidPeriodError,
    InvalidStaggerError,
    MissingClientDataError,
    NotApplicableError,
    Period,
    accounting_periods,
    confirmation_periods,
    tax_months,
    tax_years,
    vat_periods,
)
from workflowkit.calendar.periods import accounting_reference_date, event_periods

D = date


def client(**data: Any) -> Client:
    base: dict[str, Any] = {"id": "c", "name": "C", "company_type": "private_limited"}
    return Client.model_validate(base | data)


def ends(periods: tuple[Period, ...]) -> list[date]:
    return [p.end for p in periods]


# -- VAT ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stagger", "months"),
    [(1, [3, 6, 9, 12]), (2, [1, 4, 7, 10]), (3, [2, 5, 8, 11])],
)
def test_stagger_quarter_ends(stagger: int, months: list[int]) -> None:
    got = vat_periods(stagger, D(2024, 1, 1), D(2024, 12, 31))
    assert sorted({p.end.month for p in got}) == months
    for p in got:
        assert p.start.day == 1
        assert (p.end.month - p.start.month) % 12 == 2


def test_stagger_3_includes_29_february() -> None:
    got = vat_periods(3, D(2024, 2, 1), D(2024, 2, 29))
    assert got == (Period(D(2023, 12, 1), D(2024, 2, 29)),)


def test_stagger_2_crosses_the_year() -> None:
    assert vat_periods(2, D(2024, 12, 15), D(2024, 12, 15)) == (
        Period(D(2024, 11, 1), D(2025, 1, 31)),
    )


def test_monthly_stagger() -> None:
    got = vat_periods(0, D(2024, 1, 15), D(2024, 3, 1))
    assert got == (
        Period(D(2024, 1, 1), D(2024, 1, 31)),
        Period(D(2024, 2, 1), D(2024, 2, 29)),
        Period(D(2024, 3, 1), D(2024, 3, 31)),
    )


def test_period_ending_30_november() -> None:
    got = vat_periods(3, D(2024, 11, 30), D(2024, 11, 30))
    assert got == (Period(D(2024, 9, 1), D(2024, 11, 30)),)


@pytest.mark.parametrize("bad", [4, -1, 1.0, True, "1", None])
def test_impossible_staggers_raise(bad: object) -> None:
    with pytest.raises(InvalidStaggerError) as info:
        vat_periods(bad, D(2024, 1, 1), D(2024, 12, 31))  # type: ignore[arg-type]
    assert info.value.stagger == bad


def test_end_before_start_raises() -> None:
    with pytest.raises(InvalidPeriodError):
        vat_periods(1, D(2024, 12, 31), D(2024, 1, 1))


def test_client_registration_clips_periods() -> None:
    c = client(vat={"stagger": 1, "registered": "2024-02-15", "deregistered": "2024-08-10"})
    assert vat_periods(c, D(2023, 1, 1), D(2025, 12, 31)) == (
        Period(D(2024, 2, 15), D(2024, 3, 31)),
        Period(D(2024, 4, 1), D(2024, 6, 30)),
        Period(D(2024, 7, 1), D(2024, 8, 10)),
    )


def test_non_standard_periods() -> None:
    c = client(
        vat={
            "periods": [
                {"start": "2024-01-01", "end": "2024-03-28"},
                {"start": "2024-03-29", "end": "2024-06-27"},
            ]
        }
    )
    assert ends(vat_periods(c, D(2024, 3, 1), D(2024, 12, 31))) == [D(2024, 3, 28), D(2024, 6, 27)]


def test_annual_accounting_periods() -> None:
    c = client(vat={"annual_accounting": True, "year_end_month": 3})
    assert vat_periods(c, D(2024, 1, 1), D(2024, 12, 31)) == (
        Period(D(2023, 4, 1), D(2024, 3, 31)),
        Period(D(2024, 4, 1), D(2025, 3, 31)),
    )


def test_client_without_vat() -> None:
    with pytest.raises(MissingClientDataError) as info:
        vat_periods(client(), D(2024, 1, 1), D(2024, 12, 31))
    assert info.value.client == "c"


# -- accounting periods ------------------------------------------------------------------


def test_default_accounting_reference_date() -> None:
    # Companies Act 2006 s.391(4): the last day of the anniversary month
    c = client(incorporated="2024-01-15")
    ye = accounting_reference_date(c)
    assert (ye.month, ye.day) == (1, 31)
    assert accounting_periods(c, D(2024, 1, 1), D(2026, 6, 30)) == (
        Period(D(2024, 1, 15), D(2025, 1, 31)),
        Period(D(2025, 2, 1), D(2026, 1, 31)),
        Period(D(2026, 2, 1), D(2027, 1, 31)),
    )


def test_february_incorporation_defaults_to_month_end() -> None:
    c = client(incorporated="2023-02-10")
    assert accounting_periods(c, D(2024, 1, 1), D(2024, 12, 31))[0].end == D(2024, 2, 29)


def test_first_period_is_more_than_six_months() -> None:
    # year end 31 March, incorporated 15 January 2024: 31 March 2024 would be 2.5
    # months, so the first period runs to 31 March 2025 (s.391(5)).
    c = client(incorporated="2024-01-15", year_end={"month": 3, "day": 31})
    assert accounting_periods(c, D(2024, 1, 1), D(2025, 12, 31))[0] == Period(
        D(2024, 1, 15), D(2025, 3, 31)
    )
    # year end 31 July: 6.5 months is allowed
    c = client(incorporated="2024-01-15", year_end={"month": 7, "day": 31})
    assert accounting_periods(c, D(2024, 1, 1), D(2024, 12, 31))[0] == Period(
        D(2024, 1, 15), D(2024, 7, 31)
    )


def test_thirty_june_reference_date() -> None:
    c = client(incorporated="2010-06-30", year_end={"month": 6, "day": 30})
    assert accounting_periods(c, D(2024, 7, 1), D(2024, 7, 1)) == (
        Period(D(2024, 7, 1), D(2025, 6, 30)),
    )


def test_29_february_year_end() -> None:
    c = client(year_end={"month": 2, "day": 29}, company_type="sole_trader")
    assert ends(accounting_periods(c, D(2023, 1, 1), D(2025, 1, 1))) == [
        D(2023, 2, 28),
        D(2024, 2, 29),
        D(2025, 2, 28),
    ]


def test_sole_trader_first_period_and_tax_year_end() -> None:
    c = client(
        company_type="sole_trader", incorporated="2024-09-01", year_end={"month": 4, "day": 5}
    )
    assert accounting_periods(c, D(2024, 1, 1), D(2026, 1, 1)) == (
        Period(D(2024, 9, 1), D(2025, 4, 5)),
        Period(D(2025, 4, 6), D(2026, 4, 5)),
    )


def test_accounting_periods_need_a_year_end() -> None:
    with pytest.raises(MissingClientDataError):
        accounting_periods(client(), D(2024, 1, 1), D(2024, 12, 31))
    with pytest.raises(MissingClientDataError):
        accounting_periods(
            client(company_type="partnership", incorporated="2020-01-01"),
            D(2024, 1, 1),
            D(2024, 12, 31),
        )


# -- confirmation statements -------------------------------------------------------------


def test_confirmation_periods_from_incorporation() -> None:
    # CH guidance: incorporated 1 January 2017, the review period ends 31 December 2017
    c = client(incorporated="2017-01-01")
    assert confirmation_periods(c, D(2016, 1, 1), D(2018, 6, 1)) == (
        Period(D(2017, 1, 1), D(2017, 12, 31)),
        Period(D(2018, 1, 1), D(2018, 12, 31)),
    )


def test_confirmation_periods_after_an_early_statement() -> None:
    c = client(incorporated="2017-01-01", confirmation_date="2023-06-14")
    assert ends(confirmation_periods(c, D(2024, 1, 1), D(2025, 12, 31))) == [
        D(2024, 6, 14),
        D(2025, 6, 14),
        D(2026, 6, 14),
    ]


def test_confirmation_statements_are_for_companies() -> None:
    with pytest.raises(NotApplicableError):
        confirmation_periods(client(company_type="sole_trader"), D(2024, 1, 1), D(2024, 2, 1))
    with pytest.raises(MissingClientDataError):
        confirmation_periods(client(), D(2024, 1, 1), D(2024, 2, 1))


# -- tax months and years ----------------------------------------------------------------


def test_tax_months_and_years() -> None:
    assert tax_months(D(2024, 4, 5), D(2024, 5, 6)) == (
        Period(D(2024, 3, 6), D(2024, 4, 5)),
        Period(D(2024, 4, 6), D(2024, 5, 5)),
        Period(D(2024, 5, 6), D(2024, 6, 5)),
    )
    assert tax_years(D(2024, 4, 5), D(2024, 4, 6)) == (
        Period(D(2023, 4, 6), D(2024, 4, 5)),
        Period(D(2024, 4, 6), D(2025, 4, 5)),
    )


def test_payroll_months_start_with_the_scheme() -> None:
    c = client(payroll={"started": "2024-06-01"})
    got = event_periods(c, "tax_month_end", D(2024, 4, 1), D(2024, 8, 1))
    assert got[0] == Period(D(2024, 5, 6), D(2024, 6, 5))
    with pytest.raises(MissingClientDataError):
        event_periods(client(), "tax_month_end", D(2024, 4, 1), D(2024, 8, 1))


def test_period_value_object() -> None:
    p = Period(D(2024, 1, 1), D(2024, 1, 31))
    assert p.days == 31 and D(2024, 1, 15) in p and D(2024, 2, 1) not in p
    assert str(p) == "2024-01-01..2024-01-31"
    with pytest.raises(InvalidPeriodError):
        Period(D(2024, 1, 2), D(2024, 1, 1))
