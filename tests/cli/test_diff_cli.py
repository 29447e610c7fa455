"""`workflowkit diff`: a semantic diff of two template versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.source.loader import load_text
from workflowkit.source.models import validate_model
from workflowkit.templates.diff import diff_templates, render_text
from workflowkit.templates.models import WorkflowTemplate
from workflowkit.templates.resolve import TemplateRegistry

OLD = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: close
name: Close
version: 1.0.0
review:
  levels: [{role: manager}]
checks:
  - {id: bank, title: Bank reconciled}
  - {id: suspense, title: Suspense cleared}
  - {id: vat, title: VAT control}
  - {id: payroll, title: Payroll journals}
"""


def _resolved(text: str) -> object:
    spec, diags = validate_model(load_text(text, name="t.yaml"), WorkflowTemplate)
    assert spec is not None, diags
    return TemplateRegistry(include_builtins=False).resolve_document(spec)


def _diff(old: str, new: str):  # type: ignore[no-untyped-def]
    return diff_templates(_resolved(old), _resolved(new))  # type: ignore[arg-type]


def test_identical_templates_have_an_empty_diff() -> None:
    d = _diff(OLD, OLD)
    assert d.empty
    assert d.required_bump == "none"
    assert "no changes" in render_text(d)


def test_added_check_needs_a_minor_bump() -> None:
    new = OLD.replace("version: 1.0.0", "version: 1.1.0") + "  - {id: accruals, title: Accruals}\n"
    d = _diff(OLD, new)
    assert [c.id for _, c in d.added] == ["accruals"]
    assert d.required_bump == "minor" and d.actual_bump == "minor" and d.bump_ok


def test_removed_and_moved_checks_need_a_major_bump() -> None:
    new = (
        OLD.replace("  - {id: suspense, title: Suspense cleared}\n", "")
        .replace("  - {id: payroll, title: Payroll journals}\n", "")
        .replace("  - {id: bank", "  - {id: payroll, title: Payroll journals}\n  - {id: bank")
    )
    d = _diff(OLD, new.replace("version: 1.0.0", "version: 1.0.1"))
    assert [c.id for _, c in d.removed] == ["suspense"]
    assert [m.id for m in d.moved] == ["payroll"]
    assert d.required_bump == "major"
    assert not d.bump_ok
    assert "TOO SMALL" in render_text(d)


def test_retitle_is_a_patch_and_review_levels_are_major() -> None:
    retitled = OLD.replace("Bank reconciled", "Every bank account reconciled").replace(
        "1.0.0", "1.0.1"
    )
    d = _diff(OLD, retitled)
    assert [c.id for c in d.retitled] == ["bank"]
    assert d.required_bump == "patch" and d.bump_ok
    two_levels = OLD.replace("[{role: manager}]", "[{role: manager}, {role: partner}]")
    d2 = _diff(OLD, two_levels)
    assert [f.field for f in d2.review] == ["levels"]
    assert d2.required_bump == "major"


def test_cli_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD)
    new.write_text(OLD.replace("VAT control", "VAT control account reconciled"))
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "* vat: retitled: 'VAT control' -> 'VAT control account reconciled'" in out
    assert main(["diff", "-f", "json", "--exit-code", str(old), str(new)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["retitled"] == ["vat"]
    assert data["required_bump"] == "patch" and data["bump_ok"] is False


def test_cli_invalid_template_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(OLD)
    new.write_text(OLD.replace("title: VAT control", "titel: VAT control"))
    assert main(["diff", str(old), str(new)]) == 2
    assert f"{new}:11:15: WK113" in capsys.readouterr().err


def test_check_bump_fails_only_on_a_too_small_bump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, good, bad = tmp_path / "old.yaml", tmp_path / "good.yaml", tmp_path / "bad.yaml"
    old.write_text(OLD)
    good.write_text(OLD.replace("VAT control", "VAT control agreed").replace("1.0.0", "1.0.1"))
    bad.write_text(OLD.replace("  - {id: payroll, title: Payroll journals}\n", ""))
    assert main(["diff", "--check-bump", str(old), str(good)]) == 0
    assert main(["diff", "--check-bump", str(old), str(bad)]) == 1
    assert "needs major, got none (TOO SMALL)" in capsys.readouterr().out
