"""`workflowkit fmt`: canonical form, comments kept, idempotent, --check for CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.source.fmt import format_text
from workflowkit.source.loader import load_text

MESSY = """\
# The practice's close template
kind: WorkflowTemplate
apiVersion: workflowkit/v1
version: '1.0.0'   # bump on every change
name: Close
id: close
checks:
- title: Bank reconciled  # every account
  id: bank
- section: Payroll
  checks:
    - guidance: Post the journal
      title: Payroll
      id: payroll
"""


def test_format_orders_keys_and_keeps_comments() -> None:
    out = format_text(MESSY, name="t.yaml")
    lines = out.splitlines()
    assert lines[0] == "# The practice's close template"
    assert lines[1:5] == [
        "apiVersion: workflowkit/v1",
        "kind: WorkflowTemplate",
        "id: close",
        "name: Close",
    ]
    assert "version: '1.0.0'   # bump on every change" in lines
    assert "  - id: bank" in lines
    assert any("# every account" in line for line in lines)
    assert load_text(out, name="t.yaml").data == load_text(MESSY, name="t.yaml").data


def test_format_is_idempotent() -> None:
    once = format_text(MESSY, name="t.yaml")
    assert format_text(once, name="t.yaml") == once


def test_json_documents_are_ordered_and_indented() -> None:
    text = json.dumps(
        {
            "version": "1.0.0",
            "kind": "WorkflowTemplate",
            "id": "x",
            "apiVersion": "workflowkit/v1",
            "name": "X",
            "checks": [{"title": "A", "id": "a"}],
        }
    )
    out = format_text(text, name="t.json")
    assert list(json.loads(out)) == ["apiVersion", "kind", "id", "name", "version", "checks"]
    assert list(json.loads(out)["checks"][0]) == ["id", "title"]
    assert out.startswith('{\n  "apiVersion"')


def test_cli_check_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "close.yaml"
    f.write_text(MESSY)
    assert main(["fmt", "--check", str(tmp_path)]) == 1
    assert f"would reformat {f}" in capsys.readouterr().out
    assert f.read_text() == MESSY, "--check must not change the file"
    assert main(["fmt", str(f)]) == 0
    assert main(["fmt", "--check", str(f)]) == 0
    assert main(["validate", str(f)]) == 0


def test_cli_unparseable_file_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text("a: [1, 2\n")
    assert main(["fmt", str(f)]) == 2
    assert "WK101" in capsys.readouterr().err
    assert f.read_text() == "a: [1, 2\n"
