"""`workflowkit templates`: list the built-ins and show one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.source.loader import load_text
from workflowkit.source.workspace import parse_document
from workflowkit.templates import TemplateRegistry

BUILTINS = {
    "monthly-bookkeeping",
    "health-review",
    "vat-return-preparation",
    "year-end-accounts",
    "client-onboarding",
}


def test_list_json_names_every_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["templates"]
    assert {r["id"] for r in rows} >= BUILTINS
    registry = TemplateRegistry()
    for r in rows:
        assert r["checks"] == len(registry.get(r["id"]).checks)
        assert r["version"] == registry.get(r["id"]).version


def test_list_text_has_a_row_per_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "NAME", "VERSION", "CHECKS", "PERIOD"]
    assert {line.split()[0] for line in out[1:]} >= BUILTINS


def test_show_prints_a_document_that_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "show", "monthly-bookkeeping"]) == 0
    text = capsys.readouterr().out
    parsed = parse_document(load_text(text, name="shown.yaml"))
    assert parsed.spec is not None, parsed.diagnostics
    assert parsed.spec.id == "monthly-bookkeeping"


def test_show_unknown_id_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "show", "monthly-bookkeepin"]) == 2
    err = capsys.readouterr().err
    assert "no template 'monthly-bookkeepin'" in err
    assert "did you mean 'monthly-bookkeeping'?" in err


def test_practice_templates_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mine.yaml").write_text(
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: mine\nname: Mine\n"
        "version: 2.0.0\nextends: monthly-bookkeeping\n"
    )
    assert main(["templates", "--templates", str(tmp_path), "-f", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["templates"]}
    assert rows["mine"]["version"] == "2.0.0"
    assert rows["mine"]["checks"] == rows["monthly-bookkeeping"]["checks"]
