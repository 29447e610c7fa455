"""Running a workflow template's automated checks against a snapshot."""

from __future__ import annotations

import pytest
from insights_ledgers import AS_OF, acme

from workflowkit.insights import CheckParamsError, UnknownDataCheckError, run_checks
from workflowkit.insights.runner import run_template_checks
from workflowkit.source.workspace import parse_text
from workflowkit.templates.resolve import TemplateRegistry

TEMPLATE = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: month-end
name: Month end
version: 1.2.0
checks:
  - id: bank
    title: Bank reconciled
    kind: automated
    data_check: bank-reconciliation
  - id: suspense
    title: Suspense account cleared
  - id: dupes-tight
    title: Duplicate bills (5 days)
    kind: automated
    data_check: duplicate-transactions
  - id: dupes-wide
    title: Duplicate bills (7 days, bank too)
    kind: automated
    data_check: duplicate-transactions
    params: {window_days: 7, include_bank_transactions: true}
"""


def template(text: str = TEMPLATE):  # type: ignore[no-untyped-def]
    doc = parse_text(text, name="t.yaml")
    assert doc.spec is not None, doc.diagnostics
    registry = TemplateRegistry([doc.spec], include_builtins=False)
    return registry.get(doc.spec.id)


def test_results_are_keyed_by_the_template_check_id_with_a_suggested_status() -> None:
    results = run_template_checks(template(), acme(), as_of=AS_OF)
    assert list(results) == ["bank", "dupes-tight", "dupes-wide"]  # manual checks are left out
    assert results["bank"].check == "bank-reconciliation"
    assert results["bank"].suggested_status == "complete_with_issues"
    tight = {
        frozenset(r.id for r in f.records)
        for f in results["dupes-tight"].findings
        if f.code == "possible-duplicate"
    }
    wide = {
        frozenset(r.id for r in f.records)
        for f in results["dupes-wide"].findings
        if f.code == "possible-duplicate"
    }
    assert tight == {frozenset({"b1", "b2"})}
    assert wide == {frozenset({"b1", "b2", "t4"}), frozenset({"b3", "b4"})}


def test_bad_params_in_a_template_built_in_code_fail_before_anything_runs() -> None:
    bad = template(TEMPLATE).model_copy()
    checks = list(bad.checks)
    checks[0] = checks[0].model_copy(update={"params": {"max_unreconciled_age_days": -1}})
    bad = bad.model_copy(update={"checks": tuple(checks)})
    with pytest.raises(CheckParamsError) as err:
        run_template_checks(bad, acme(), as_of=AS_OF)
    assert "check 'bank' of template 'month-end'" in str(err.value)
    checks[0] = checks[0].model_copy(update={"params": {}, "data_check": "no-such-check"})
    with pytest.raises(UnknownDataCheckError):
        run_template_checks(bad.model_copy(update={"checks": tuple(checks)}), acme(), as_of=AS_OF)


def test_run_checks_with_and_without_params() -> None:
    out = run_checks(
        {"lock-date": {"grace_period_weeks": 0}, "aged-payables": None}, acme(), as_of=AS_OF
    )
    assert set(out) == {"lock-date", "aged-payables"}
    assert run_checks(["vat-sanity"], acme(), as_of=AS_OF)["vat-sanity"].check == "vat-sanity"
    with pytest.raises(CheckParamsError):
        run_checks({"lock-date": {"grace": 1}}, acme(), as_of=AS_OF)


def test_the_builtin_templates_run_if_they_have_automated_checks() -> None:
    registry = TemplateRegistry()
    for template_id in registry.ids:
        results = run_template_checks(registry.get(template_id), acme(), as_of=AS_OF)
        for key, res in results.items():
            assert res.outcome in ("pass", "issues"), (template_id, key)
