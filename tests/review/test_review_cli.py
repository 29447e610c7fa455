"""`workflowkit review ...` over a SQLite file, as a person would use it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.templates import TemplateRegistry

TEMPLATE = """\
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: small-monthly
name: Small monthly
version: 1.2.0
checks:
  - section: Bank
    checks:
      - id: bank-reconciliation
        title: Bank reconciliation
        kind: automated
        data_check: bank-reconciliation
  - id: vat-control
    title: VAT control account
  - id: payroll
    title: Payroll journals
review:
  levels:
    - role: reviewer
    - role: manager
"""
ID = "acme/small-monthly/2024-01"
RESULT = {
    "check": "bank-reconciliation",
    "outcome": "issues",
    "summary": "2 unreconciled items",
    "findings": [
        {
            "code": "unreconciled",
            "severity": "warning",
            "message": "2 items",
            "amount": "12.50",
            "currency": "GBP",
            "records": [{"type": "bank_transaction", "id": "t1"}],
        }
    ],
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "small.yaml").write_text(TEMPLATE)
    monkeypatch.setenv("WORKFLOWKIT_DB", str(tmp_path / "practice.db"))
    monkeypatch.delenv("WORKFLOWKIT_USER", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def wk(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["review", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def start(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = wk(
        capsys,
        "start",
        "small-monthly",
        "--templates",
        "templates",
        "--client",
        "acme",
        "--period",
        "2024-01",
        "--assignee",
        "ann",
        "--reviewer",
        "rob",
        "--reviewer",
        "rita",
        "--due",
        "2024-02-07",
        "--as",
        "mia",
        "--at",
        "2024-02-01T09:00:00+00:00",
    )
    assert code == 0, err
    assert out.splitlines()[0] == ID


def test_a_whole_run_from_the_command_line(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(capsys)
    (env / "result.json").write_text(json.dumps(RESULT))
    (env / "statement.pdf").write_bytes(b"%PDF-1.4 fake")
    steps = [
        ("findings", ID, "bank-reconciliation", "result.json", "--as", "insights"),
        ("check", ID, "bank-reconciliation", "issues", "-m", "Two items chased", "--as", "ann"),
        ("attach", ID, "statement.pdf", "--check", "bank-reconciliation", "--as", "ann"),
        ("check", ID, "vat-control", "complete", "--as", "ann"),
        ("check", ID, "payroll", "na", "-m", "No employees", "--as", "ann"),
        ("comment", ID, "Ready for review", "--as", "ann"),
        ("submit", ID, "--as", "ann"),
        ("approve", ID, "--as", "rob"),
        ("hand-back", ID, "Explain the VAT", "--as", "rita"),
        ("comment", ID, "See note", "--check", "vat-control", "--as", "ann"),
        ("submit", ID, "--as", "ann"),
        ("approve", ID, "--as", "rob"),
        ("approve", ID, "-m", "Good", "--as", "rita"),
    ]
    for n, step in enumerate(steps):
        code, out, err = wk(capsys, *step, "--at", f"2024-02-01T10:{n:02d}:00+00:00")
        assert code == 0, (step, err)
        assert out.startswith(f"{ID} v{n + 2}: ")
    assert "(as the findings suggested)" in wk(capsys, "history", ID)[1]

    code, out, _ = wk(capsys, "show", ID)
    assert code == 0
    assert "status: completed and locked" in out
    assert "[!] bank-reconciliation" in out and "note: Two items chased" in out
    assert "findings: 2 unreconciled items" in out
    assert "file: statement.pdf (13 bytes, application/pdf" in out
    assert "[-] payroll" in out and "[x] vat-control" in out
    assert "ann 2024-02-01T10:09:00+00:00: See note" in out
    assert "feedback rita 2024-02-01T10:08:00+00:00: Explain the VAT" in out
    assert "Bank" in out  # the section title

    data = json.loads(wk(capsys, "show", ID, "--format", "json")[1])
    assert data["status"] == "completed" and data["level"] == 2

    code, out, _ = wk(capsys, "history", ID)
    lines = out.splitlines()
    assert len(lines) == len(steps) + 1
    assert lines[-1].startswith("v14") and "completed and locked" in lines[-1]
    entries = json.loads(wk(capsys, "history", ID, "--format", "json")[1])["events"]
    assert entries[1]["by"] == "insights" and entries[1]["action"] == "record_findings"

    code, out, _ = wk(capsys, "verify", ID)
    assert code == 0 and out.startswith(f"ok: {ID}: 14 events")

    # Locked: even a comment is refused, with the reason.
    code, _, err = wk(capsys, "comment", ID, "late", "--as", "rita")
    assert code == 2 and "completed and locked" in err


def test_refusals_exit_2_with_the_reason(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(capsys)
    code, _, err = wk(capsys, "check", ID, "vat-control", "complete", "--as", "rob")
    assert code == 2 and "only the assignee (ann)" in err
    code, _, err = wk(capsys, "submit", ID, "--as", "ann")
    assert code == 2 and "bank-reconciliation, vat-control, payroll" in err
    code, _, err = wk(capsys, "check", ID, "vat-control", "issues", "--as", "ann")
    assert code == 2 and "needs a comment" in err
    code, out, _ = wk(capsys, "check", ID, "vat-control", "issues", "-m", " ", "--as", "ann")
    assert code == 2 and "comment" in out
    code, _, err = wk(capsys, "complete", ID, "--as", "ann")
    assert code == 2
    code, _, err = wk(capsys, "reassign", ID, "rob", "--as", "ann")
    assert code == 2 and "may not prepare" in err
    code, out, _ = wk(capsys, "reassign", ID, "bob", "--as", "ann")
    assert code == 0 and "reassigned from ann to bob" in out
    code, _, err = wk(capsys, "findings", ID, "payroll", "missing.json", "--as", "x")
    assert code == 2 and "no such file" in err


def test_start_problems(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(capsys)
    code, _, err = wk(
        capsys,
        "start",
        "small-monthly",
        "--templates",
        "templates",
        "--client",
        "acme",
        "--period",
        "2024-01",
        "--assignee",
        "ann",
        "--reviewer",
        "rob",
        "--reviewer",
        "rita",
        "--due",
        "2024-02-07",
    )
    assert code == 2 and "already exists" in err
    code, _, err = wk(
        capsys,
        "start",
        "small-monthy",
        "--templates",
        "templates",
        "--client",
        "b",
        "--period",
        "p",
        "--assignee",
        "ann",
        "--due",
        "2024-02-07",
    )
    assert code == 2 and "did you mean 'small-monthly'" in err
    code, _, err = wk(
        capsys,
        "start",
        "small-monthly@^2",
        "--templates",
        "templates",
        "--client",
        "b",
        "--period",
        "p",
        "--assignee",
        "ann",
        "--due",
        "2024-02-07",
    )
    assert code == 2 and "no version matching" in err
    code, _, err = wk(
        capsys,
        "start",
        "small-monthly",
        "--templates",
        "templates",
        "--client",
        "b",
        "--period",
        "p",
        "--assignee",
        "ann",
        "--reviewer",
        "rob",
        "--due",
        "2024-02-07",
    )
    assert code == 2 and "give one reviewer per level" in err
    with pytest.raises(SystemExit) as info:
        main(
            [
                "review",
                "start",
                "x",
                "--client",
                "c",
                "--period",
                "p",
                "--assignee",
                "a",
                "--due",
                "7 Feb",
            ]
        )
    assert info.value.code == 2


def test_a_builtin_template(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    levels = len(TemplateRegistry().get("health-review").review.levels)
    people = [arg for n in range(levels) for arg in ("--reviewer", f"reviewer-{n}")]
    code, out, err = wk(
        capsys,
        "start",
        "health-review",
        "--client",
        "acme",
        "--period",
        "2024-Q1",
        "--assignee",
        "ann",
        *people,
        "--due",
        "2024-04-30",
        "--as",
        "mia",
    )
    assert code == 0, err
    assert out.startswith("acme/health-review/2024-Q1")
    code, out, _ = wk(capsys, "list", "--format", "json")
    [row] = json.loads(out)["instances"]
    assert row["template"] == "health-review" and row["waiting_on"] == "ann"


def test_list_filters(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(capsys)
    code, out, _ = wk(capsys, "list")
    assert code == 0 and ID in out and "in progress" in out
    assert "(no instances)" in wk(capsys, "list", "--client", "globex")[1]
    assert ID in wk(capsys, "list", "--waiting-on", "ann")[1]
    assert ID in wk(capsys, "list", "--overdue-on", "2024-03-01")[1]
    assert "(no instances)" in wk(capsys, "list", "--due-to", "2024-01-31")[1]
    assert ID in wk(capsys, "list", "--status", "in_progress", "--assignee", "ann")[1]


def test_the_actor_defaults_to_the_environment(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    start(capsys)
    monkeypatch.setenv("WORKFLOWKIT_USER", "ann")
    code, _, _ = wk(
        capsys, "check", ID, "vat-control", "complete", "--at", "2024-02-01T10:00:00"
    )  # no offset: local time
    assert code == 0
    history = json.loads(wk(capsys, "history", ID, "--format", "json")[1])
    assert history["events"][-1]["by"] == "ann"


def test_verify_catches_a_changed_database(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    start(capsys)
    wk(capsys, "check", ID, "vat-control", "complete", "--as", "ann")
    wk(capsys, "check", ID, "payroll", "complete", "--as", "ann")
    code, export, _ = wk(capsys, "history", ID, "--format", "jsonl")
    (env / "trail.jsonl").write_text(export)
    assert wk(capsys, "verify", "--events", "trail.jsonl")[0] == 0
    (env / "cut.jsonl").write_text("".join(export.splitlines(True)[:2]))
    head = json.loads(export.splitlines()[-1])["hash"]
    code, out, _ = wk(capsys, "verify", "--events", "cut.jsonl", "--head", head)
    assert code == 1 and out.startswith("TAMPERED: dropped")
    (env / "junk.jsonl").write_text("{oops\n")
    assert wk(capsys, "verify", "--events", "junk.jsonl")[0] == 1

    conn = sqlite3.connect(env / "practice.db")
    body = conn.execute("SELECT body FROM events WHERE version = 2").fetchone()[0]
    conn.execute(
        "UPDATE events SET body = ? WHERE version = 2",
        (body.replace('"complete"', '"not_applicable"'),),
    )
    conn.commit()
    conn.close()
    code, out, _ = wk(capsys, "verify", ID)
    assert code == 1 and "TAMPERED: changed: version 2:" in out
    assert wk(capsys, "verify")[0] == 2


def test_a_missing_store_is_not_created(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = wk(capsys, "show", ID, "--db", "nowhere.db")
    assert code == 2 and "no store here" in err
    assert not (env / "nowhere.db").exists()
    start(capsys)
    code, _, err = wk(capsys, "show", "acme/other/2024-01")
    assert code == 2 and "no instance" in err
