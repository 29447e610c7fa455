"""In the API, a ``str`` where a date or datetime is due is a typed error naming the
argument, not a bare ``TypeError``/``AttributeError`` from deep inside (issue 17)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

import workflowkit.calendar as calendar
import workflowkit.insights as insights
import workflowkit.run as run
from workflowkit import TemplateRegistry, WorkflowkitError
from workflowkit.errors import ArgumentTypeError, checked_dates
from workflowkit.review import InvalidStartError, SetCheckStatus, start

D = date(2026, 3, 31)
T = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)

# (function, args, kwargs, the argument named): each given one str where a date is due.
CASES: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], str]] = [
    (calendar.vat_return_due, ("2026-03-31",), {}, "period_end"),
    (calendar.companies_house_accounts_due, ("2026-03-31",), {}, "period_end"),
    (calendar.corporation_tax_payment_due, ("2026-03-31",), {}, "period_end"),
    (calendar.ct600_due, ("2026-03-31",), {}, "period_end"),
    (calendar.confirmation_statement_due, ("2026-03-31",), {}, "review_period_end"),
    (calendar.corporation_tax_periods, (D, "2027-03-31"), {}, "period_end"),
    (calendar.payroll_deadlines, ("2026-04-06",), {}, "tax_month"),
    (calendar.plan, ([], TemplateRegistry(), [], "2026-01-01", D), {}, "start"),
    (calendar.plan, ([], TemplateRegistry(), [], D, "2026-12-31"), {}, "end"),
    (calendar.catch_up, ([], TemplateRegistry(), []), {"since": "2026-01-01", "now": T}, "since"),
    (calendar.catch_up, ([], TemplateRegistry(), []), {"since": T, "now": "now"}, "now"),
    (calendar.vat_periods, (None, "2026-01-01", D), {}, "start"),
    (calendar.tax_years, (D, "2030-04-05"), {}, "end"),
    (calendar.accounting_periods, (None, D, "2030-01-01"), {}, "end"),
    (run.run, (None, None), {"now": "2026-04-01T09:00:00+00:00"}, "now"),
    (run.run, (None, None), {"now": T, "since": "2026-01-01"}, "since"),
    (run.agenda, (None, "alice"), {"on": "2026-04-01"}, "on"),
    (run.occurrences_between, (None, "2026-01-01T00:00:00+00:00", T), {}, "since"),
    (insights.run_all, (None,), {"as_of": "2026-03-31"}, "as_of"),
    (insights.run_check, ("bank-reconciliation", None), {"as_of": "2026-03-31"}, "as_of"),
    (insights.run_checks, ([], None), {"as_of": "2026-03-31"}, "as_of"),
    (insights.run_template_checks, (None, None), {"as_of": "2026-03-31"}, "as_of"),
    (insights.read_source, (None,), {"as_of": "2026-03-31"}, "as_of"),
]


@pytest.mark.parametrize(
    ("func", "args", "kwargs", "argument"),
    CASES,
    ids=[f"{c[0].__name__}-{c[3]}" for c in CASES],
)
def test_a_str_for_a_date_is_a_typed_error_naming_the_argument(
    func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(ArgumentTypeError) as info:
        func(*args, **kwargs)
    err = info.value
    assert isinstance(err, WorkflowkitError)
    assert err.argument == argument
    assert err.function == func.__name__
    assert str(err).startswith(f"{func.__name__}(): {argument} must be a ")
    assert "got str" in str(err)


def test_the_message_says_how_to_convert_iso_text() -> None:
    with pytest.raises(ArgumentTypeError) as info:
        calendar.vat_return_due("2026-03-31")  # type: ignore[arg-type]
    assert str(info.value) == (
        "vat_return_due(): period_end must be a date, got str '2026-03-31': "
        "pass date.fromisoformat('2026-03-31')"
    )


def test_a_naive_datetime_text_is_told_to_add_a_timezone() -> None:
    with pytest.raises(ArgumentTypeError) as info:
        run.run(None, None, now="2026-04-01T09:00")  # type: ignore[arg-type]
    assert "with a timezone" in str(info.value)


def test_it_is_still_a_type_error_for_code_that_caught_one() -> None:
    with pytest.raises(TypeError):
        calendar.vat_return_due("2026-03-31")  # type: ignore[arg-type]


def test_none_is_refused_where_the_date_is_not_optional_and_allowed_where_it_is() -> None:
    with pytest.raises(ArgumentTypeError):
        calendar.vat_return_due(None)  # type: ignore[arg-type]
    assert calendar.vat_return_due(D) == date(2026, 5, 7)
    assert calendar.companies_house_accounts_due(D, incorporated=None) == date(2026, 12, 31)


def test_a_datetime_where_a_date_is_due_is_told_to_pass_its_date() -> None:
    with pytest.raises(ArgumentTypeError, match=r"pass its \.date\(\)"):
        calendar.vat_return_due(datetime(2026, 3, 31))
    with pytest.raises(ArgumentTypeError, match="as_of must be a date, got datetime"):
        insights.run_all(None, as_of=T)  # type: ignore[arg-type]


def test_review_start_and_commands_refuse_text_times_with_typed_errors() -> None:
    template = TemplateRegistry().get("monthly-bookkeeping")
    common: dict[str, Any] = {"client": "a", "period": "2026-03", "assignee": "al", "by": "al"}
    with pytest.raises(InvalidStartError, match="due: must be a date, got str"):
        start(template, due="2026-04-30", at=T, **common)  # type: ignore[arg-type]
    with pytest.raises(InvalidStartError, match="at: must be a datetime, got str"):
        start(template, due=D, at="2026-04-01T09:00:00+00:00", **common)  # type: ignore[arg-type]
    with pytest.raises(WorkflowkitError, match="at: must be a datetime"):
        SetCheckStatus(check="c", status="complete", by="al", at="2026-04-01")  # type: ignore[arg-type]


def test_checked_dates_needs_a_date_argument_to_check() -> None:
    def nothing(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="no date or datetime argument"):
        checked_dates(nothing)
