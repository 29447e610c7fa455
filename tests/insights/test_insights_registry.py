"""The data-check registry: built-ins, parameter models, entry-point plugins, validation."""

from __future__ import annotations

import importlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from insights_ledgers import AS_OF, acme

from workflowkit.insights import CheckParamsError, UnknownDataCheckError, run_check
from workflowkit.source.workspace import read_workspace
from workflowkit.templates.data_checks import (
    ENTRY_POINT_GROUP,
    builtin_data_checks,
    data_check_registry,
    params_problems,
    plugin_problems,
    reload_data_checks,
)

BUILTINS = {
    "bank-reconciliation",
    "duplicate-contacts",
    "duplicate-transactions",
    "multi-coded-contacts",
    "dormant-accounts",
    "aged-receivables",
    "aged-payables",
    "lock-date",
    "vat-sanity",
    "control-accounts",
    "contact-defaults",
    "fixed-assets",
    "entertainment",
    "debtor-days",
    "customer-reliance",
    "regular-suppliers",
    "vat-forward-look",
}


def test_every_builtin_is_registered_with_a_params_model_and_a_runner() -> None:
    registry = data_check_registry()
    assert set(registry) >= BUILTINS
    assert {i.id for i in builtin_data_checks()} == BUILTINS
    for check_id in BUILTINS:
        info = registry[check_id]
        info.params.model_validate({})  # every built-in runs with its defaults
        assert isinstance(info.run, str) and info.run.startswith("workflowkit.insights.checks.")
        result = run_check(check_id, acme(), as_of=AS_OF)
        assert result.check == check_id


@pytest.mark.parametrize(
    ("check_id", "params", "fragment"),
    [
        ("duplicate-transactions", {"window_days": 6}, "window_days"),
        ("duplicate-transactions", {"window": 5}, "unknown parameter 'window'"),
        ("duplicate-contacts", {"precision": "exact"}, "precision"),
        ("aged-receivables", {"buckets_days": [60, 30]}, "strictly increasing"),
        ("lock-date", {"grace_period_weeks": -1}, "grace_period_weeks"),
        ("vat-sanity", {"approaching_ratio": 2}, "approaching_ratio"),
        ("dormant-accounts", {"account_types": ["bank", "spaceship"]}, "account_types"),
        ("multi-coded-contacts", {"since": "2024-02-30"}, "since"),
    ],
)
def test_bad_params_are_reported_with_a_pointer(
    check_id: str, params: dict[str, object], fragment: str
) -> None:
    problems = params_problems(check_id, params)
    assert problems, params
    assert any(fragment in msg for _, msg in problems)
    with pytest.raises(CheckParamsError) as err:
        run_check(check_id, acme(), params, as_of=AS_OF)
    assert err.value.check_id == check_id and fragment in str(err.value)


def test_good_params_and_unknown_ids() -> None:
    assert params_problems("duplicate-transactions", {"window_days": 31}) == []
    assert params_problems("vat-sanity", {"period_start": "2024-04-01"}) == []
    assert params_problems("no-such-check", {"x": 1}) == []  # WK206 is the validator's job
    with pytest.raises(UnknownDataCheckError) as err:
        run_check("no-such-check", acme(), as_of=AS_OF)
    assert "bank-reconciliation" in str(err.value)


def test_template_validator_uses_the_models(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        textwrap.dedent(
            """\
            apiVersion: workflowkit/v1
            kind: WorkflowTemplate
            id: month-end
            name: Month end
            version: 1.0.0
            checks:
              - id: dupes
                title: Duplicate bills
                kind: automated
                data_check: duplicate-transactions
                params: {window_days: 4}
              - id: ageing
                title: Debtors
                kind: automated
                data_check: aged-receivables
                params: {overdue_after_days: 30, contact_threshold: "500.00"}
              - id: nothing
                title: Unknown
                kind: automated
                data_check: duplicate-contact
            """
        ),
        encoding="utf-8",
    )
    ws = read_workspace([tmp_path])
    codes = sorted((d.code, d.line) for d in ws.diagnostics())
    assert ("WK207", 11) in codes  # window_days: 4 is not one of 3, 5, 7, 13, 31
    assert any(c == "WK206" for c, _ in codes)
    assert not any(line == 16 for c, line in codes if c == "WK207")  # ageing params are fine
    hint = next(d.hint for d in ws.diagnostics() if d.code == "WK206")
    assert hint is not None and "duplicate-contacts" in hint


PLUGIN = """
from workflowkit.insights import CheckResult, Finding, FindingSeverity
from workflowkit.templates.data_checks import DataCheckParams


class Params(DataCheckParams):
    minimum: int = 1


class LargeInvoices:
    id = "large-invoices"
    title = "Large invoices"
    summary = "Invoices above a minimum."
    params = Params

    @staticmethod
    def run(snapshot, params, *, as_of):
        big = [d for d in snapshot.invoices if d.total >= params.minimum]
        return CheckResult(
            check="large-invoices",
            outcome="issues" if big else "pass",
            summary=f"{len(big)} large",
            findings=tuple(
                Finding(code="large", severity=FindingSeverity.WARNING, message=d.id)
                for d in big
            ),
        )


def broken(snapshot, params, *, as_of):
    raise RuntimeError("the plugin fell over")


class Broken:
    id = "broken-check"
    title = "Broken"
    params = Params
    run = staticmethod(broken)


not_a_check = 42


class Impostor(LargeInvoices):
    id = "duplicate-contacts"
"""


@pytest.fixture
def plugin_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An out-of-tree plugin: a module and a dist-info with entry points, on sys.path."""
    (tmp_path / "wk_test_plugin.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "wk_test_plugin-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: wk-test-plugin\nVersion: 0.1\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n"
        "large-invoices = wk_test_plugin:LargeInvoices\n"
        "broken-check = wk_test_plugin:Broken\n"
        "not-a-check = wk_test_plugin:not_a_check\n"
        "missing = wk_test_plugin_gone:Nothing\n"
        "bank-reconciliation = wk_test_plugin:LargeInvoices\n"
        "duplicate-contacts = wk_test_plugin:Impostor\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    reload_data_checks()
    yield tmp_path
    monkeypatch.undo()
    sys.modules.pop("wk_test_plugin", None)
    importlib.invalidate_caches()
    reload_data_checks()


def test_an_entry_point_plugin_is_found_validated_and_run(plugin_dist: Path) -> None:
    registry = data_check_registry()
    assert "large-invoices" in registry and "broken-check" in registry
    assert registry["bank-reconciliation"].run.startswith("workflowkit.")  # type: ignore[union-attr]
    problems = {p.entry_point: p.message for p in plugin_problems()}
    assert "not a data check" in problems["not-a-check"]
    assert "cannot load" in problems["missing"]
    assert "name the entry point after the id" in problems["bank-reconciliation"]
    assert "already taken" in problems["duplicate-contacts"]
    assert params_problems("large-invoices", {"minimum": "lots"})
    assert params_problems("large-invoices", {"minimum": 2000}) == []
    result = run_check("large-invoices", acme(), {"minimum": 2000}, as_of=AS_OF)
    assert result.outcome == "issues" and {f.message for f in result.findings} == {
        "i1",
        "i3",
        "i4",
    }
    failed = run_check("broken-check", acme(), as_of=AS_OF)
    assert failed.outcome == "issues"
    assert failed.findings[0].code == "check-failed"
    assert "the plugin fell over" in failed.summary


def test_the_validator_accepts_a_plugin_check(plugin_dist: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.yaml").write_text(
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: big\nname: Big\n"
        "version: 1.0.0\nchecks:\n  - id: big\n    title: Big\n    kind: automated\n"
        "    data_check: large-invoices\n    params: {minimum: oops}\n",
        encoding="utf-8",
    )
    codes = [d.code for d in read_workspace([folder]).diagnostics()]
    assert codes == ["WK207"]


def test_importing_templates_does_not_import_the_insights_engine() -> None:
    code = (
        "import sys, workflowkit.templates, workflowkit.templates.validate;"
        "bad = [m for m in sys.modules if m.startswith('workflowkit.insights')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_builtin_and_parameter_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "insights.md").read_text("utf-8")
    for info in builtin_data_checks():
        assert f"### {info.id}" in docs or f" and {info.id}" in docs, info.id
        for name in info.params.model_fields:
            assert f"`{name}`" in docs, (info.id, name)
