"""`workflowkit validate`: formats, exit codes, and the GitHub Actions default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflowkit.cli.main import main

VALID = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: close
name: Close
version: 1.0.0
checks:
  - id: bank
    title: Bank reconciled
"""

INVALID = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: close
name: Close
version: 1.0.0
checks:
  - id: bank
    titel: Bank reconciled
"""

WARNING_ONLY = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: close
name: Close
version: 1.0.0
review:
  levels: [{role: partner}, {role: partner}]
checks:
  - id: bank
    title: Bank reconciled
"""


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    p = tmp_path / "valid.yaml"
    p.write_text(VALID)
    return p


@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    p = tmp_path / "invalid.yaml"
    p.write_text(INVALID)
    return p


def test_clean_file_exits_0(valid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(valid)]) == 0
    assert "1 file(s) valid" in capsys.readouterr().out


def test_text_format_points_at_file_line_col_with_caret(
    invalid: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--format", "text", str(invalid)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{invalid}:8:5: WK113 unknown key 'titel'"
    assert out[1] == "        titel: Bank reconciled"
    assert out[2] == "        ^"
    assert out[3] == "    hint: did you mean 'title'?"


def test_json_format(invalid: Path, valid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-f", "json", str(invalid), str(valid)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {
        "files": 2,
        "files_with_problems": 1,
        "errors": 1,
        "warnings": 0,
    }
    bad = next(f for f in report["files"] if f["file"] == str(invalid))
    assert bad["valid"] is False
    (d,) = bad["diagnostics"]
    assert (d["line"], d["col"], d["code"], d["pointer"]) == (8, 5, "WK113", "/checks/0/titel")
    assert d["severity"] == "error"


def test_github_format_is_default_under_actions(
    invalid: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["validate", str(invalid)]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"::error file={invalid},line=8,col=5,title=WK113::")
    assert "did you mean 'title'?" in first


def test_sarif_format(invalid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-f", "sarif", str(invalid)]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["WK113"]
    (result,) = run["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (result["ruleId"], region["startLine"], region["startColumn"]) == ("WK113", 8, 5)


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "WK100" in capsys.readouterr().out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml", "x"])
    assert exc.value.code == 2


def test_strict_turns_warnings_into_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "warn.yaml"
    p.write_text(WARNING_ONLY)
    assert main(["validate", str(p)]) == 0
    assert "WK213" in capsys.readouterr().out
    assert main(["validate", "--strict", "-f", "json", str(p)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["files"][0]["diagnostics"][0]["severity"] == "error"


def test_folders_recurse_and_skip_hidden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "t.yml").write_text(VALID)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\n")
    (tmp_path / "notes.txt").write_text("not yaml")
    assert main(["validate", "-f", "json", str(tmp_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [Path(f["file"]).name for f in report["files"]] == ["t.yml"]


def test_internal_error_exits_3(
    valid: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import workflowkit.source.workspace as workspace

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(workspace, "read_workspace", boom)
    assert main(["validate", str(valid)]) == 3
    assert "internal error" in capsys.readouterr().err


def test_parallel_and_serial_reads_agree(tmp_path: Path) -> None:
    from workflowkit.source.workspace import read_workspace

    for i in range(12):
        (tmp_path / f"t{i:02d}.yaml").write_text(
            (INVALID if i % 5 == 0 else VALID).replace("id: close", f"id: close-{i}")
        )
    serial = read_workspace([tmp_path], jobs=1)
    parallel = read_workspace([tmp_path], jobs=2)
    assert serial.diagnostics() == parallel.diagnostics()
    assert [d.spec for d in serial.documents] == [d.spec for d in parallel.documents]
    assert len(serial.diagnostics()) == 3


def test_ledger_snapshots_beside_documents_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "t.yaml").write_text(VALID)
    (tmp_path / "ledger.json").write_text(
        '{"format": "workflowkit.ledger/v1", "as_of": "2026-10-31"}'
    )
    (tmp_path / "stray.json").write_text('{"format": "something-else"}')
    assert main(["validate", "-f", "json", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    names = {Path(f["file"]).name: f for f in report["files"]}
    assert set(names) == {"t.yaml", "stray.json"}
    assert names["stray.json"]["diagnostics"][0]["code"] == "WK111"
