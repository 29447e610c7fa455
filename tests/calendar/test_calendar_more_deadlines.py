"""Issue 16 part 5: the dates that were missing, one test (or more) per rule, with the
cases worked by hand from the statute or HMRC's own examples."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from calendar_helpers import client, registry, workflow
from pydantic import ValidationError

from workflowkit.calendar import plan
from workflowkit.calendar.deadlines import (
    corporation_tax_accounting_periods,
    psa_deadlines,
    quarterly_paye_deadlines,
    self_assessment_deadlines,
    tax_quarter_of,
)
from workflowkit.calendar.errors import InvalidPeriodError, NotApplicableError
from workflowkit.calendar.instalments import (
    annual_accounting_payments,
    ct_instalment_dates,
    vat_payments_on_account,
)
from workflowkit.calendar.periods import accounting_periods, event_periods
from workflowkit.calendar.reference_dates import (
    financial_year_end_allowed,
    longest_period_end,
    shortened_period_accounts_due,
)
from workflowkit.calendar.rules import DEADLINES

D = date


def _due(wf_repeating: dict[str, Any], c: Any, start: date, end: date) -> list[tuple[str, str]]:
    wf = workflow("w", wf_repeating)
    return [
        (o.period_end.isoformat(), o.due_on.isoformat())
        for o in plan([wf], registry(), [c], start, end, by="due")
    ]


# -- Corporation Tax: long periods of account ---------------------------------------------


def test_long_period_of_account_has_two_accounting_periods_each_with_its_dates() -> None:
    # 1 January 2022 - 30 June 2023 (18 months): AP1 to 31 Dec 2022, AP2 to 30 Jun 2023.
    # TMA 1970 s.59D: 31 Dec 2022 + 9 months = 30 Sep 2023, + 1 day = 1 Oct 2023;
    # 30 Jun 2023 + 9 months = 31 Mar 2024 (month end), + 1 day = 1 Apr 2024 (the issue's
    # "1 July 2024" is not the statutory date). FA 1998 Sch 18 para 14(1)(b): both
    # returns 12 months after the period of account ends: 30 June 2024.
    aps = corporation_tax_accounting_periods(D(2022, 1, 1), D(2023, 6, 30))
    assert [(a.period.start, a.period.end, a.payment, a.return_due) for a in aps] == [
        (D(2022, 1, 1), D(2022, 12, 31), D(2023, 10, 1), D(2024, 6, 30)),
        (D(2023, 1, 1), D(2023, 6, 30), D(2024, 4, 1), D(2024, 6, 30)),
    ]


def test_plan_makes_one_payment_and_one_ct600_per_accounting_period() -> None:
    # incorporated 1 July 2021, year end 31 December: the first period of account runs
    # to 31 December 2022 (18 months), so it holds APs to 30 Jun 2022 and 31 Dec 2022.
    c = client(incorporated="2021-07-01", year_end={"month": 12, "day": 31})
    payments = _due(
        {
            "trigger": {"event": "accounting_period_end"},
            "due": {"deadline": "corporation_tax_payment", "working_day": "none"},
        },
        c,
        D(2022, 1, 1),
        D(2024, 1, 1),
    )
    assert payments == [("2022-06-30", "2023-04-01"), ("2022-12-31", "2023-10-01")]
    returns = _due(
        {"trigger": {"event": "accounting_period_end"}, "due": {"deadline": "ct600"}},
        c,
        D(2022, 1, 1),
        D(2024, 6, 1),
    )
    assert returns == [("2022-06-30", "2023-12-31"), ("2022-12-31", "2023-12-31")]


def test_accounting_period_end_event_splits_only_long_periods() -> None:
    c = client(incorporated="2021-07-01", year_end={"month": 12, "day": 31})
    got = event_periods(c, "accounting_period_end", D(2021, 1, 1), D(2023, 12, 31))
    assert [(p.start, p.end) for p in got] == [
        (D(2021, 7, 1), D(2022, 6, 30)),
        (D(2022, 7, 1), D(2022, 12, 31)),
        (D(2023, 1, 1), D(2023, 12, 31)),
    ]


def test_payment_on_a_sunday_moves_to_the_previous_working_day_by_default() -> None:
    # 1 October 2023 is a Sunday: payment must reach HMRC on Friday 29 September.
    c = client(incorporated="2021-07-01", year_end={"month": 12, "day": 31})
    got = _due(
        {
            "trigger": {"event": "accounting_period_end"},
            "due": {"deadline": "corporation_tax_payment"},
        },
        c,
        D(2023, 9, 1),
        D(2023, 11, 1),
    )
    assert got == [("2022-12-31", "2023-09-29")]


# -- CT quarterly instalments (SI 1998/3175) ---------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # reg 5(3): months 7, 10, 13 and 16
        (
            D(2024, 1, 1),
            D(2024, 12, 31),
            [D(2024, 7, 14), D(2024, 10, 14), D(2025, 1, 14), D(2025, 4, 14)],
        ),
        # CTM92570 Example 2: the first on a month end, the next on month ends
        (
            D(2009, 7, 18),
            D(2010, 7, 17),
            [D(2010, 1, 31), D(2010, 4, 30), D(2010, 7, 31), D(2010, 10, 31)],
        ),
        # CTM92570 Example 3: final 16 Feb 2012 + 14 days = 1 March (2012 is a leap year)
        (
            D(2010, 11, 17),
            D(2011, 11, 16),
            [D(2011, 5, 30), D(2011, 8, 30), D(2011, 11, 30), D(2012, 3, 1)],
        ),
        # CTM92570 Example 4: 29 Feb is a month end, so the third is 31 May
        (
            D(2011, 5, 16),
            D(2012, 5, 15),
            [D(2011, 11, 29), D(2012, 2, 29), D(2012, 5, 31), D(2012, 8, 29)],
        ),
        # CTM92580: three months or less: only the final (31 Mar + 3 months + 14 days)
        (D(2024, 1, 1), D(2024, 3, 31), [D(2024, 7, 14)]),
        # reg 5(4): the final (11 Jun) falls before the first (14 Jul): one instalment
        (D(2023, 1, 1), D(2023, 2, 28), [D(2023, 6, 14)]),
        # up to six months: a first and a final
        (D(2024, 1, 1), D(2024, 6, 30), [D(2024, 7, 14), D(2024, 10, 14)]),
        # up to nine months: three
        (D(2024, 1, 1), D(2024, 9, 30), [D(2024, 7, 14), D(2024, 10, 14), D(2025, 1, 14)]),
    ],
)
def test_large_company_instalments(start: date, end: date, expected: list[date]) -> None:
    assert list(ct_instalment_dates(start, end, "large")) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # reg 5AZA(2), CTM92805: months 3, 6, 9 and 12
        (
            D(2024, 1, 1),
            D(2024, 12, 31),
            [D(2024, 3, 14), D(2024, 6, 14), D(2024, 9, 14), D(2024, 12, 14)],
        ),
        # reg 5AZA(4) step 1: period to 31 Aug: 14 days after 31 July = 14 August
        (D(2024, 1, 1), D(2024, 8, 31), [D(2024, 3, 14), D(2024, 6, 14), D(2024, 8, 14)]),
        # period to 20 May: 14 days after 20 April = 4 May, before the second (14 Jun)
        (D(2024, 1, 1), D(2024, 5, 20), [D(2024, 3, 14), D(2024, 5, 4)]),
        # period to 30 March: February has no 30th: 14 days after 29 Feb = 14 March
        (D(2024, 1, 1), D(2024, 3, 30), [D(2024, 3, 14)]),
    ],
)
def test_very_large_company_instalments(start: date, end: date, expected: list[date]) -> None:
    assert list(ct_instalment_dates(start, end, "very_large")) == expected


def test_standard_company_pays_no_instalments_and_long_periods_are_refused() -> None:
    assert ct_instalment_dates(D(2024, 1, 1), D(2024, 12, 31), "standard") == ()
    with pytest.raises(InvalidPeriodError, match="longer than 12 months"):
        ct_instalment_dates(D(2024, 1, 1), D(2025, 1, 1), "large")


def test_instalment_deadlines_in_plan_skip_the_ones_a_short_period_has_not() -> None:
    # first period 1 Jul 2021 - 31 Dec 2022 splits into a 12-month AP and a 6-month one:
    # the 6-month AP (Jul-Dec 2022) pays a first (14 Jan 2023) and a final (14 Apr 2023)
    c = client(
        incorporated="2021-07-01", year_end={"month": 12, "day": 31}, corporation_tax_size="large"
    )

    def dues(name: str) -> list[tuple[str, str]]:
        return _due(
            {
                "trigger": {"event": "accounting_period_end"},
                "create": {"before_deadline": {"days": 14}},
                "due": {"deadline": name, "working_day": "none"},
            },
            c,
            D(2021, 1, 1),
            D(2023, 12, 31),
        )

    assert dues("ct_instalment_1") == [
        ("2022-06-30", "2022-01-14"),
        ("2022-12-31", "2023-01-14"),
        ("2023-12-31", "2023-07-14"),
    ]
    assert dues("ct_instalment_2") == [("2022-06-30", "2022-04-14"), ("2023-12-31", "2023-10-14")]
    assert dues("ct_instalment_3") == [("2022-06-30", "2022-07-14")]
    assert dues("ct_instalment_final") == [
        ("2022-06-30", "2022-10-14"),
        ("2022-12-31", "2023-04-14"),
    ]


def test_instalment_rule_does_not_apply_to_a_standard_company() -> None:
    with pytest.raises(NotApplicableError, match="corporation_tax_size"):
        DEADLINES["ct_instalment_1"].check(client(year_end={"month": 3, "day": 31}))


# -- PAYE: quarterly payers and PSAs ------------------------------------------------------


def test_quarterly_paye_dates() -> None:
    # PAYE Regulations reg 70: quarter 6 Apr - 5 Jul 2024 pays 22 July (19 by post)
    got = quarterly_paye_deadlines(D(2024, 5, 20))
    assert (got.tax_quarter.start, got.tax_quarter.end) == (D(2024, 4, 6), D(2024, 7, 5))
    assert (got.payment_electronic, got.payment_post) == (D(2024, 7, 22), D(2024, 7, 19))
    # the quarter 6 Jan - 5 Apr 2025 pays 22 April 2025
    assert quarterly_paye_deadlines(D(2025, 1, 6)).payment_electronic == D(2025, 4, 22)
    assert tax_quarter_of(D(2024, 10, 5)).start == D(2024, 7, 6)


def test_quarterly_paye_in_plan_gives_four_payments_a_year() -> None:
    c = client(payroll={"quarterly": True})
    got = _due(
        {
            "trigger": {"event": "tax_month_end"},
            "due": {"deadline": "paye_quarterly_payment", "working_day": "none"},
        },
        c,
        D(2024, 5, 1),
        D(2025, 4, 30),
    )
    assert got == [
        ("2024-07-05", "2024-07-22"),
        ("2024-10-05", "2024-10-22"),
        ("2025-01-05", "2025-01-22"),
        ("2025-04-05", "2025-04-22"),
    ]
    with pytest.raises(NotApplicableError, match="monthly"):
        DEADLINES["paye_quarterly_payment"].check(client(payroll={}))


def test_psa_dates() -> None:
    got = psa_deadlines("2024-25")
    assert (got.application, got.payment_electronic, got.payment_post) == (
        D(2025, 7, 5),
        D(2025, 10, 22),
        D(2025, 10, 19),
    )
    c = client(payroll={"psa": True})
    # 22 October 2023 is a Sunday: the payment must arrive on Friday 20 October
    assert _due(
        {"trigger": {"event": "tax_year_end"}, "due": {"deadline": "psa_payment"}},
        c,
        D(2023, 10, 1),
        D(2023, 11, 1),
    ) == [("2023-04-05", "2023-10-20")]
    with pytest.raises(NotApplicableError, match="Settlement"):
        DEADLINES["psa_payment"].check(client(payroll={}))


# -- VAT payments on account and the Annual Accounting Scheme -----------------------------


def test_vat_payments_on_account() -> None:
    # VDSOG400: quarter 1 April - 30 June 2016: 31 May, 30 June, balance 31 July (no +7)
    assert vat_payments_on_account(D(2016, 6, 30)) == (
        D(2016, 5, 31),
        D(2016, 6, 30),
        D(2016, 7, 31),
    )
    assert vat_payments_on_account(D(2024, 2, 29)) == (
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
    )
    with pytest.raises(InvalidPeriodError):
        vat_payments_on_account(D(2024, 6, 15))


def test_payments_on_account_need_a_quarterly_stagger() -> None:
    with pytest.raises(ValidationError, match="quarterly stagger"):
        client(vat={"stagger": 0, "payments_on_account": True})
    c = client(vat={"stagger": 1, "payments_on_account": True})
    got = _due(
        {
            "trigger": {"event": "vat_period_end"},
            "due": {"deadline": "vat_poa_balancing_payment", "working_day": "none"},
        },
        c,
        D(2024, 7, 1),
        D(2024, 8, 1),
    )
    assert got == [("2024-06-30", "2024-07-31")]


def test_annual_accounting_interim_payments() -> None:
    interims, balance = annual_accounting_payments(D(2025, 12, 31))
    assert interims == tuple(
        D(2025, m, d)
        for m, d in (
            (4, 30),
            (5, 31),
            (6, 30),
            (7, 31),
            (8, 31),
            (9, 30),
            (10, 31),
            (11, 30),
            (12, 31),
        )
    )
    assert balance == D(2026, 2, 28)
    quarterly, balance = annual_accounting_payments(D(2025, 3, 31), "quarterly")
    assert quarterly == (D(2024, 7, 31), D(2024, 10, 31), D(2025, 1, 31))
    assert balance == D(2025, 5, 31)


def test_annual_accounting_interims_in_plan_on_a_monthly_schedule() -> None:
    c = client(
        vat={"annual_accounting": True, "year_end_month": 3, "interim_payments": "quarterly"}
    )
    got = _due(
        {
            "trigger": {"cron": "0 9 1 * *", "period": "current_month"},
            "due": {"deadline": "vat_annual_interim_payment", "working_day": "none"},
        },
        c,
        D(2024, 4, 1),
        D(2025, 4, 1),
    )
    assert got == [
        ("2024-07-31", "2024-07-31"),
        ("2024-10-31", "2024-10-31"),
        ("2025-01-31", "2025-01-31"),
    ]


# -- Self Assessment: 30 December ---------------------------------------------------------


def test_self_assessment_paye_coding_deadline() -> None:
    assert self_assessment_deadlines("2024-25").online_return_paye_coding == D(2025, 12, 30)
    got = _due(
        {
            "trigger": {"event": "tax_year_end"},
            "due": {"deadline": "self_assessment_online_return_paye_coding"},
        },
        client(company_type="sole_trader"),
        D(2025, 12, 1),
        D(2026, 1, 1),
    )
    assert got == [("2025-04-05", "2025-12-30")]


# -- change of accounting reference date --------------------------------------------------


def test_shortened_period_uses_three_months_from_the_notice_when_later() -> None:
    # s.442(4): normal deadline 31 March 2025, notice 1 March 2025 + 3 months = 1 June
    assert shortened_period_accounts_due(D(2025, 3, 31), D(2025, 3, 1)) == D(2025, 6, 1)
    assert shortened_period_accounts_due(D(2025, 3, 31), D(2024, 7, 1)) == D(2025, 3, 31)
    c = client(
        year_end={"month": 12, "day": 31},
        reference_date_changes=[
            {"period_start": "2024-01-01", "new_end": "2024-06-30", "notified": "2025-03-01"}
        ],
    )
    got = _due(
        {"trigger": {"event": "year_end"}, "due": {"deadline": "companies_house_accounts"}},
        c,
        D(2025, 1, 1),
        D(2026, 12, 31),
    )
    # the shortened period, then twelve months to 30 June 2025 (due 31 March 2026)
    assert got == [("2024-06-30", "2025-06-01"), ("2025-06-30", "2026-03-31")]


def test_extended_period_and_the_schedule_after_it() -> None:
    c = client(
        year_end={"month": 3, "day": 31},
        reference_date_changes=[
            {"period_start": "2023-04-01", "new_end": "2024-09-30", "notified": "2024-01-10"}
        ],
    )
    got = accounting_periods(c, D(2022, 1, 1), D(2026, 12, 31))
    assert [(p.start, p.end) for p in got] == [
        (D(2021, 4, 1), D(2022, 3, 31)),
        (D(2022, 4, 1), D(2023, 3, 31)),
        (D(2023, 4, 1), D(2024, 9, 30)),
        (D(2024, 10, 1), D(2025, 9, 30)),
        (D(2025, 10, 1), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2027, 9, 30)),
    ]
    # the 18-month period of account holds two CT accounting periods
    aps = event_periods(c, "accounting_period_end", D(2023, 4, 1), D(2024, 9, 30))
    assert [(p.start, p.end) for p in aps] == [
        (D(2023, 4, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), D(2024, 9, 30)),
    ]


def test_extension_beyond_18_months_is_refused() -> None:
    # s.392(5): beginning 1 January 2024, the latest end is 30 June 2025
    assert longest_period_end(D(2024, 1, 1)) == D(2025, 6, 30)
    with pytest.raises(ValidationError, match="18 months"):
        client(
            reference_date_changes=[
                {"period_start": "2024-01-01", "new_end": "2025-07-01", "notified": "2024-03-01"}
            ]
        )
    with pytest.raises(ValidationError, match="companies and LLPs"):
        client(
            company_type="sole_trader",
            reference_date_changes=[
                {"period_start": "2024-01-01", "new_end": "2024-06-30", "notified": "2024-03-01"}
            ],
        )


def test_seven_day_flexibility() -> None:
    # s.390(3): reference date 31 Dec 2024: 24 Dec 2024 to 7 Jan 2025
    ref = D(2024, 12, 31)
    assert financial_year_end_allowed(ref, D(2024, 12, 24))
    assert financial_year_end_allowed(ref, D(2025, 1, 7))
    assert not financial_year_end_allowed(ref, D(2024, 12, 23))
    assert not financial_year_end_allowed(ref, D(2025, 1, 8))
