"""The ClientList and Workflow models: validation and round trips through YAML and JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from calendar_helpers import workflow
from pydantic import ValidationError

from workflowkit.calendar import Client, ClientList, Workflow
from workflowkit.calendar.models import CadenceTrigger, CronTrigger, EventTrigger, Every
from workflowkit.source.dump import dump_json, dump_yaml
from workflowkit.source.workspace import parse_text, read_workspace

DATA = Path(__file__).resolve().parent / "data"


def test_valid_documents_round_trip_through_yaml_and_json() -> None:
    ws = read_workspace([DATA / "valid"])
    docs = [d for d in ws.documents if d.kind in ("ClientList", "Workflow")]
    assert len(docs) == 7
    for doc in docs:
        here = Path(doc.name).parent  # a ClientList's holidays_file is relative to it
        for text, name in ((dump_yaml(doc.spec), "x.yaml"), (dump_json(doc.spec), "x.json")):
            parsed = parse_text(text, name=str(here / name))
            assert parsed.diagnostics == [], text
            assert parsed.spec == doc.spec


def test_trigger_kinds() -> None:
    def trigger(t: dict[str, Any]) -> object:
        return workflow("w", {"trigger": t, "due": {"within": {"days": 1}}}).repeating.trigger  # type: ignore[union-attr]

    assert isinstance(trigger({"cron": "0 9 5 * *"}), CronTrigger)
    assert isinstance(trigger({"every": {"weeks": 2}, "starting": "2024-01-01"}), CadenceTrigger)
    assert isinstance(trigger({"event": "year_end"}), EventTrigger)
    with pytest.raises(ValidationError, match="a trigger needs one of cron"):
        trigger({"period": "previous_month"})
    with pytest.raises(ValidationError):
        trigger({"cron": "0 9 5 * *", "starting": "2024-01-01"})  # a cadence key on a cron


@pytest.mark.parametrize(
    ("repeating", "message"),
    [
        ({"trigger": {"event": "year_end"}, "due": {}}, "exactly one of within or deadline"),
        (
            {"trigger": {"event": "year_end"}, "due": {"within": {"days": 1}, "deadline": "ct600"}},
            "exactly one of within",
        ),
        (
            {
                "trigger": {"event": "year_end"},
                "due": {"within": {"days": 1}, "offset": {"days": 1}},
            },
            "offset needs a deadline",
        ),
        ({"trigger": {"event": "year_end"}, "due": {"within": {"days": -1}}}, "greater than"),
        (
            {"trigger": {"event": "year_end"}, "due": {"within": {"days": 1, "weeks": 1}}},
            "exactly one of days or weeks",
        ),
        ({"trigger": {"event": "year_end"}, "due": {"within": {}}}, "exactly one of days"),
        (
            {
                "trigger": {"event": "year_end"},
                "due": {"within": {"days": 1}},
                "create": {"after_period_end": {"days": 1}, "before_deadline": {"days": 1}},
            },
            "not both",
        ),
        (
            {
                "trigger": {"event": "year_end"},
                "due": {"within": {"days": 1}},
                "create": {"at": "25:00"},
            },
            "pattern",
        ),
        (
            {
                "trigger": {"every": {"months": 1, "weeks": 1}, "starting": "2024-01-01"},
                "due": {"within": {"days": 1}},
            },
            "exactly one of days, weeks",
        ),
        (
            {
                "trigger": {"every": {"months": 0}, "starting": "2024-01-01"},
                "due": {"within": {"days": 1}},
            },
            "greater than or equal to 1",
        ),
        (
            {
                "trigger": {"event": "year_end"},
                "due": {"within": {"days": 1}},
                "starts_on": "2024-02-01",
                "ends_on": "2024-01-01",
            },
            "ends_on is before starts_on",
        ),
    ],
)
def test_rule_validation(repeating: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        workflow("w", repeating)


def test_workflow_type_and_selector() -> None:
    with pytest.raises(ValidationError, match="either one_off or repeating"):
        workflow("w")
    with pytest.raises(ValidationError, match="select clients"):
        workflow(
            "w",
            {"trigger": {"event": "year_end"}, "due": {"within": {"days": 1}}},
            clients={"company_types": ["llp"]},
        )
    with pytest.raises(ValidationError, match="string_pattern_mismatch"):
        Workflow.model_validate(
            {
                "apiVersion": "workflowkit/v1",
                "kind": "Workflow",
                "id": "Not A Slug",
                "name": "x",
                "template": {"id": "t"},
                "clients": {"all": True},
                "assignee": "a",
                "one_off": {
                    "period": {"start": "2024-01-01", "end": "2024-01-31"},
                    "due_on": "2024-02-01",
                },
            }
        )


def test_every_in_days_or_months() -> None:
    assert Every(weeks=2).step() == (14, "days")
    assert Every(quarters=2).step() == (6, "months")
    assert Every(years=1).step() == (12, "months")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown timezone"),
        ({"timezone": "europe/london"}, "did you mean 'Europe/London'"),
        ({"year_end": {"month": 4, "day": 31}}, "month 4 has no day 31"),
        ({"year_end": {"month": 13, "day": 1}}, "less than or equal to 12"),
        ({"vat": {}}, "exactly one of stagger, periods or annual_accounting"),
        ({"vat": {"annual_accounting": True}}, "needs year_end_month"),
        ({"vat": {"stagger": 1, "year_end_month": 3}}, "only for annual_accounting"),
        ({"vat": {"stagger": 4}}, "less than or equal to 3"),
        ({"vat": {"periods": [{"start": "2024-03-31", "end": "2024-01-01"}]}}, "ends"),
        ({"bank_holidays": "wales"}, "england_and_wales"),
        ({"payroll": {"frequency": "fortnightly"}}, "two_weekly"),
    ],
)
def test_client_validation(data: dict[str, Any], message: str) -> None:
    base = {"id": "c", "name": "C", "company_type": "private_limited"}
    with pytest.raises(ValidationError, match=message):
        Client.model_validate(base | data)


def test_29_february_year_end_is_the_last_day_of_february() -> None:
    c = Client.model_validate(
        {"id": "c", "name": "C", "company_type": "sole_trader", "year_end": {"month": 2, "day": 29}}
    )
    assert c.year_end is not None
    assert [c.year_end.on(y).day for y in (2023, 2024)] == [28, 29]
    assert not c.is_company


def test_client_list_defaults() -> None:
    cl = ClientList.model_validate({"apiVersion": "workflowkit/v1", "kind": "ClientList"})
    assert cl.clients == () and cl.holidays_file is None
