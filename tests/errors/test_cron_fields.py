"""A bad cron names the field and its range (issue 17, part 3)."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.calendar.cron import field_problem, parse_cron
from workflowkit.calendar.errors import InvalidCronError
from workflowkit.source.workspace import parse_text

OUT_OF_RANGE = [
    ("60 8 1 * *", "the minute field '60': 60 is out of range (minute is 0-59)"),
    ("0 24 1 * *", "the hour field '24': 24 is out of range (hour is 0-23)"),
    ("0 8 32 * *", "the day-of-month field '32': 32 is out of range (day of month is 1-31)"),
    ("0 8 0 * *", "the day-of-month field '0': 0 is out of range (day of month is 1-31)"),
    ("0 8 1 13 *", "the month field '13': 13 is out of range (month is 1-12, or JAN-DEC)"),
    (
        "0 8 * * 8",
        "the day-of-week field '8': 8 is out of range "
        "(day of week is 0-7, or SUN-SAT; 0 and 7 are Sunday)",
    ),
    ("0 8 1-40 * *", "the day-of-month field '1-40': 40 is out of range (day of month is 1-31)"),
    ("0 8 1,5,99 * *", "the day-of-month field '1,5,99': 99 is out of range"),
]


@pytest.mark.parametrize(("expression", "reason"), OUT_OF_RANGE)
def test_a_value_out_of_range_names_the_field_and_its_range(expression: str, reason: str) -> None:
    with pytest.raises(InvalidCronError) as info:
        parse_cron(expression)
    assert info.value.code == "WK310"
    assert info.value.reason.startswith(reason)


SYNTAX = [
    ("0 8 */0 * *", "the day-of-month field '*/0': the step after '/' in '*/0' must be"),
    ("0 8 */x * *", None),  # letters: refused before, by the letters rule
    ("0 */70 1 * *", "the hour field '*/70': the step 70 is longer than the field (hour is 0-23)"),
    ("0 8 1,,2 * *", "the day-of-month field '1,,2' has an empty item in its list"),
    ("0 8 1, * *", "the day-of-month field '1,' has an empty item in its list"),
    ("0 8 1- * *", "the day-of-month field '1-': '1-' is not a value or a range like 1-5"),
    ("0 8 -3 * *", "the day-of-month field '-3': '-3' is not a value or a range like 1-5"),
    ("0 8 1 * MON-SUNDAY", None),
]


@pytest.mark.parametrize(("expression", "reason"), SYNTAX)
def test_step_and_range_syntax_errors_name_the_field(expression: str, reason: str | None) -> None:
    with pytest.raises(InvalidCronError) as info:
        parse_cron(expression)
    if reason is not None:
        assert info.value.reason.startswith(reason), info.value.reason
    else:
        assert "field" in info.value.reason


@pytest.mark.parametrize(
    "expression",
    ["0 8 1 * *", "30 6 1-7 * MON", "0 8 */5 * *", "0 8 1 JAN-MAR *", "0 8 L * *", "0 9 * * 7"],
)
def test_valid_expressions_still_parse(expression: str) -> None:
    parse_cron(expression)


FIELDS = {
    "minute": (0, 59),
    "hour": (0, 23),
    "day-of-month": (1, 31),
    "month": (1, 12),
    "day-of-week": (0, 7),
}


@given(st.sampled_from(sorted(FIELDS)), st.integers(min_value=0, max_value=200))
def test_a_number_is_refused_exactly_when_it_is_out_of_its_field(name: str, n: int) -> None:
    low, high = FIELDS[name]
    problem = field_problem(name, str(n))
    if low <= n <= high:
        assert problem is None
    else:
        assert problem is not None
        assert f"the {name} field '{n}'" in problem and f"{low}-{high}" in problem


def test_a_workflow_document_with_a_bad_cron_is_located_and_names_the_field() -> None:
    text = textwrap.dedent(
        """\
        apiVersion: workflowkit/v1
        kind: Workflow
        id: w
        name: W
        template: {id: monthly-bookkeeping}
        clients: {tags: [books]}
        assignee: alice
        repeating:
          trigger: {cron: "0 8 32 * *", period: previous_month}
          due: {within: {days: 10}}
        """
    )
    found = [d for d in parse_text(text, name="w.yaml").diagnostics if d.code == "WK310"]
    assert len(found) == 1, [d.format() for d in parse_text(text, name="w.yaml").diagnostics]
    assert "day-of-month" in found[0].message and "1-31" in found[0].message
    assert found[0].line is not None
