"""Dates in the wrong form, in any document kind, say the form to use (issue 17, part 3).

pydantic's "Input should be a valid date or datetime, invalid character in year" becomes
"'11/04/2016' is not a date: use YYYY-MM-DD, e.g. 2016-04-11", at the value's
file:line:col; a year end written as a date shows its ``{month: M, day: D}`` form.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import typing
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from workflowkit.errors import Diagnostic
from workflowkit.source.kinds import KINDS, model_for
from workflowkit.source.loader import load_text
from workflowkit.source.models import (
    date_problem,
    day_first,
    diagnostics_from_validation,
    union_members,
)
from workflowkit.source.workspace import parse_text

CLIENTS = """\
apiVersion: workflowkit/v1
kind: ClientList
name: Clients
clients:
  - id: acme
    name: Acme Ltd
    company_type: private_limited
"""


def diagnostics(text: str) -> list[Diagnostic]:
    return parse_text(textwrap.dedent(text), name="doc.yaml").diagnostics


def only(text: str) -> Diagnostic:
    found = diagnostics(text)
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


def test_the_issue_example_names_the_form_and_the_date_rewritten_in_it() -> None:
    d = only(CLIENTS + "    incorporated: 11/04/2016\n")
    assert d.code == "WK114"
    assert (d.file, d.line, d.col) == ("doc.yaml", 8, 19)
    assert d.message == (
        "/clients/0/incorporated: '11/04/2016' is not a date: use YYYY-MM-DD, e.g. 2016-04-11"
    )
    assert "valid date" not in d.message and "Input should" not in d.message
    # Both readings are dates: the hint says which one was taken, and how to write the other.
    assert d.hint is not None
    assert "11 April 2016" in d.hint and "2016-11-04" in d.hint


def test_a_day_first_date_that_reads_one_way_only_has_no_ambiguity_hint() -> None:
    d = only(CLIENTS + "    incorporated: 31/03/2016\n")
    assert d.message.endswith("use YYYY-MM-DD, e.g. 2016-03-31")
    assert d.hint is None


def test_an_iso_date_out_of_range_keeps_the_reason() -> None:
    d = only(CLIENTS + "    incorporated: 2016-13-45\n")
    assert "'2016-13-45' is not a date (month value is outside expected range of 1-12)" in (
        d.message
    )
    assert d.message.endswith("use YYYY-MM-DD, e.g. 2016-04-11")


def test_a_number_where_a_date_is_due() -> None:
    d = only(CLIENTS + "    incorporated: 2016\n")
    assert d.code == "WK114"
    assert "an integer is not a date: use YYYY-MM-DD" in d.message


YEAR_ENDS = [
    ("2026-03-31", "{month: 3, day: 31}"),
    ("31/03/2026", "{month: 3, day: 31}"),
    ('"31/03"', "{month: 3, day: 31}"),
    ('"30-06"', "{month: 6, day: 30}"),
]


@pytest.mark.parametrize(("written", "form"), YEAR_ENDS)
def test_a_year_end_written_as_a_date_shows_the_month_and_day_form(written: str, form: str) -> None:
    d = only(CLIENTS + f"    year_end: {written}\n")
    assert d.code == "WK114"
    assert (d.line, d.col) == (8, 15)
    assert d.hint is not None and d.hint.startswith(f"write {form}")


def test_a_year_end_that_is_no_date_still_shows_the_form() -> None:
    d = only(CLIENTS + "    year_end: March\n")
    assert d.hint == "write the day and month, e.g. {month: 3, day: 31}"


# One bad date in every document kind that has one (each a different field).
OTHER_KINDS = [
    (
        CLIENTS + "    reference_date_changes:\n"
        "      - {period_start: 01/04/2025, new_end: 2026-03-31, notified: 2025-05-01}\n",
        "/clients/0/reference_date_changes/0/period_start",
    ),
    (CLIENTS + "    payroll: {started: 06/04/2020}\n", "/clients/0/payroll/started"),
    (
        """\
        apiVersion: workflowkit/v1
        kind: Team
        name: Team
        people:
          - id: alice
            name: Alice
            roles: [preparer]
            absences: [{from: 01/08/2026, to: 2026-08-14}]
        roles:
          - id: preparer
            prepare: true
        """,
        "/people/0/absences/0/from",
    ),
    (
        """\
        apiVersion: workflowkit/v1
        kind: Workflow
        id: w
        name: W
        template: {id: monthly-bookkeeping}
        clients: {tags: [books]}
        assignee: alice
        one_off:
          period: {start: 2026-04-01, end: 2026-04-30}
          due_on: 15/05/2026
        """,
        "/one_off/due_on",
    ),
]


@pytest.mark.parametrize(("text", "pointer"), OTHER_KINDS)
def test_every_kind_says_the_form(text: str, pointer: str) -> None:
    dates = [d for d in diagnostics(text) if "is not a date" in d.message]
    assert len(dates) == 1, [d.format() for d in diagnostics(text)]
    d = dates[0]
    assert d.pointer == pointer
    assert d.line is not None and d.col is not None
    assert "use YYYY-MM-DD, e.g. " in d.message


def _date_fields() -> list[tuple[str, type[BaseModel], str]]:
    """Every (kind, model, field) whose annotation may hold a date, over every model
    reachable from every document kind's root model."""
    out: list[tuple[str, type[BaseModel], str]] = []
    for kind in KINDS:
        seen: set[type[BaseModel]] = set()
        todo: list[type[BaseModel]] = [model_for(kind)]
        while todo:
            model = todo.pop()
            if model in seen:
                continue
            seen.add(model)
            for name, f in model.model_fields.items():
                stack: list[Any] = [f.annotation]
                while stack:
                    tp = stack.pop()
                    for m in union_members(tp):
                        if m is dt.date:
                            out.append((kind, model, f.alias or name))
                        elif isinstance(m, type) and issubclass(m, BaseModel):
                            todo.append(m)
                        else:
                            stack.extend(a for a in typing.get_args(m) if a is not Ellipsis)
    return sorted(set(out), key=lambda t: (t[0], t[1].__name__, t[2]))


DATE_FIELDS = _date_fields()


def test_the_survey_finds_the_date_fields_of_several_kinds() -> None:
    kinds = {k for k, _, _ in DATE_FIELDS}
    assert {"ClientList", "Team", "Workflow"} <= kinds
    assert len(DATE_FIELDS) >= 15


@pytest.mark.parametrize(
    ("kind", "model", "field"),
    DATE_FIELDS,
    ids=[f"{k}-{m.__name__}.{f}" for k, m, f in DATE_FIELDS],
)
def test_every_date_field_of_every_kind_names_the_form(
    kind: str, model: type[BaseModel], field: str
) -> None:
    doc = load_text(f"{field}: 11/04/2016\n", name="x.yaml")
    try:
        model.model_validate(doc.data)
    except Exception as exc:  # a ValidationError: the field (and maybe others missing)
        from pydantic import ValidationError

        assert isinstance(exc, ValidationError)
        found = diagnostics_from_validation(doc, model, exc)
    else:  # pragma: no cover - the value is not a date, so this cannot validate
        raise AssertionError(f"{kind}: {model.__name__}.{field} took '11/04/2016'")
    mine = [d for d in found if d.pointer == f"/{field}"]
    assert len(mine) == 1, [d.format() for d in found]
    assert mine[0].message == (
        f"/{field}: '11/04/2016' is not a date: use YYYY-MM-DD, e.g. 2016-04-11"
    )
    assert (mine[0].line, mine[0].col) == (1, len(field) + 3)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_any_day_first_date_is_rewritten_exactly(day: dt.date) -> None:
    written = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    assert day_first(written) == (day.year, day.month, day.day)
    message, _ = date_problem("date_from_datetime_parsing", written, "invalid character")
    assert message.endswith(f"e.g. {day.isoformat()}")


def test_a_datetime_error_names_the_datetime_form() -> None:
    message, hint = date_problem("datetime_from_date_parsing", "tomorrow", "input is too short")
    assert "is not a date and time" in message
    assert "YYYY-MM-DDTHH:MM:SS+HH:MM" in message
    assert hint is not None and "UTC offset" in hint
