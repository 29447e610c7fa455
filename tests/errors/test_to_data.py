"""One naming for plain data across the API: ``to_data()`` (a dict), ``to_json()`` (text);
the old ``to_dict()`` names stay one minor version, as deprecated aliases (issue 17, 4)."""

from __future__ import annotations

import importlib
import inspect
import json
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from workflowkit import TemplateRegistry, load_practice
from workflowkit.calendar import plan
from workflowkit.errors import Diagnostic
from workflowkit.run import RunReport, agenda
from workflowkit.store import SQLiteEventStore
from workflowkit.templates.diff import diff_templates

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
PACKAGES = (
    "workflowkit",
    "workflowkit.calendar",
    "workflowkit.review",
    "workflowkit.run",
    "workflowkit.rules",
    "workflowkit.insights",
    "workflowkit.notify",
    "workflowkit.templates",
    "workflowkit.store",
    "workflowkit.report",
    "workflowkit.team",
)


def _public_classes() -> dict[str, type]:
    out: dict[str, type] = {}
    for name in PACKAGES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            value = getattr(module, attr)
            if inspect.isclass(value):
                out[f"{value.__module__}.{value.__qualname__}"] = value
    for extra in ("workflowkit.templates.diff.TemplateDiff", "workflowkit.errors.Diagnostic"):
        module_name, _, cls = extra.rpartition(".")
        out[extra] = getattr(importlib.import_module(module_name), cls)
    return out


CLASSES = _public_classes()


def test_no_public_model_has_a_dict_method_by_another_name() -> None:
    odd = {
        f"{name}.{method}"
        for name, cls in CLASSES.items()
        for method in ("to_dict", "as_dict", "dict_of", "asdict")
        if callable(getattr(cls, method, None)) and not callable(getattr(cls, "to_data", None))
    }
    assert odd == set()


def test_every_to_dict_left_is_a_deprecated_alias_of_to_data() -> None:
    aliases = {n: c for n, c in CLASSES.items() if "to_dict" in vars(c)}
    assert len(aliases) >= 5  # Diagnostic, Occurrence, Agenda, AgendaItem, RunReport, ...
    for name, cls in aliases.items():
        source = inspect.getsource(vars(cls)["to_dict"])
        assert "warn_renamed(" in source and "self.to_data()" in source, name


def _check_alias(obj: Any) -> dict[str, Any]:
    new: dict[str, Any] = obj.to_data()
    with pytest.warns(
        DeprecationWarning, match=r"to_dict\(\) is deprecated .* use to_data\(\)"
    ) as w:
        old = obj.to_dict()
    assert old == new
    assert w[0].filename == __file__  # stacklevel: the warning names the caller's line
    json.dumps(new)  # plain data
    return new


def test_diagnostic() -> None:
    d = Diagnostic("WK114", "bad", file="a.yaml", line=1, col=2)
    assert _check_alias(d)["code"] == "WK114"


def test_occurrence_agenda_and_run_report(tmp_path: Path) -> None:
    practice = load_practice([PRACTICE])
    occurrences = plan(
        practice.workflows,
        practice.templates,
        practice.clients,
        date(2026, 4, 1),
        date(2026, 5, 1),
    )
    assert occurrences
    assert _check_alias(occurrences[0])["key"] == occurrences[0].key
    store = SQLiteEventStore(tmp_path / "wk.db")
    # Built directly (not by run()): the report's own naming is what is tested here.
    report = RunReport(
        practice="default",
        since=datetime(2026, 4, 1, tzinfo=UTC),
        until=datetime(2026, 4, 10, tzinfo=UTC),
        cursor_before=None,
        cursor_after=None,
        dry_run=True,
        skipped=(Diagnostic("WK702", "skipped"),),
    )
    data = _check_alias(report)
    assert data["dry_run"] is True and data["skipped"][0]["code"] == "WK702"
    found = agenda(store, "alice", on=date(2026, 4, 10))
    assert isinstance(_check_alias(found), dict)


def test_template_diff() -> None:
    registry = TemplateRegistry()
    a = registry.get("monthly-bookkeeping")
    assert _check_alias(diff_templates(a, a)) is not None


def test_no_warning_from_the_new_names() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Diagnostic("WK114", "bad").to_data()
