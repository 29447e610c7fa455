"""The intelligent-checks hook end to end: `workflowkit review run-checks` records each
automated check's findings and suggested status on a running instance."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.review import replay
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
LEDGER = PRACTICE / "ledgers" / "acme-widgets-ltd.json"
ID = "acme-widgets-ltd/ledger-monthly-books/2026-10"


def _start(db: Path) -> None:
    assert (
        main(
            [
                "review",
                "start",
                "ledger-monthly-books",
                "--templates",
                str(PRACTICE),
                "--db",
                str(db),
                "--client",
                "acme-widgets-ltd",
                "--period",
                "2026-10",
                "--assignee",
                "alice",
                "--reviewer",
                "bob",
                "--due",
                "2026-11-13",
                "--as",
                "alice",
                "--at",
                "2026-11-03T08:00:00+00:00",
            ]
        )
        == 0
    )


def test_run_checks_attaches_findings_to_automated_checks_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "wk.db"
    _start(db)
    code = main(
        [
            "review",
            "run-checks",
            ID,
            str(LEDGER),
            "--db",
            str(db),
            "--as",
            "insights",
            "--at",
            "2026-11-03T08:01:00+00:00",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "duplicate-transactions: issues (suggests complete_with_issues)" in out
    store = SQLiteEventStore(db)
    try:
        inst = replay(store.load(ID))
    finally:
        store.close()
    template = inst.setup.template
    automated = {c.id for c in template.checks if c.kind == "automated"}
    with_findings = {
        template.checks[i].id for i, state in enumerate(inst.checks) if state.findings is not None
    }
    assert with_findings == automated
    by_id = {template.checks[i].id: s for i, s in enumerate(inst.checks)}
    assert by_id["duplicate-transactions"].findings is not None
    assert by_id["duplicate-transactions"].findings.result.outcome == "issues"
    assert by_id["vat-sanity"].findings is not None
    assert by_id["vat-sanity"].findings.result.outcome == "pass"
    assert by_id["vat-sanity"].findings.by == "insights"
    assert all(s.status == "pending" for s in inst.checks), "a person still sets the status"


def test_run_checks_on_an_unreadable_snapshot_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "wk.db"
    _start(db)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "workflowkit.ledger/v1", "organisation": 5}')
    assert main(["review", "run-checks", ID, str(bad), "--db", str(db)]) == 2
    store = SQLiteEventStore(db)
    try:
        assert len(store.load(ID)) == 1
    finally:
        store.close()
