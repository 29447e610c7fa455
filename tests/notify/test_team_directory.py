"""People's addresses come from the team: by normal-form id, an addresses file first."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workflowkit.calendar import load_practice
from workflowkit.cli.main import main
from workflowkit.notify import Address, MappingDirectory, TeamDirectory
from workflowkit.run import run
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"


def test_addresses_from_the_team_in_normal_form() -> None:
    team = load_practice(PRACTICE).team
    assert team is not None
    book = TeamDirectory(team)
    assert book.address("alice") == Address("Alice Moreno", "alice@harbour.example")
    assert book.address(" ALICE ") == Address("Alice Moreno", "alice@harbour.example")
    assert book.address("mallory") is None
    first = MappingDirectory({"alice": {"name": "Alice M", "email": "am@home.example"}})
    both = TeamDirectory(team, first=first)
    assert both.address("alice") == Address("Alice M", "am@home.example")
    assert both.address("bob") == Address("Bob Okafor", "bob@harbour.example")


def test_notify_reads_the_team(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("WORKFLOWKIT_TEAM", "WORKFLOWKIT_PRACTICE", "WORKFLOWKIT_DB"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "s.db"
    with SQLiteEventStore(db) as store:
        run(
            load_practice(PRACTICE),
            store,
            now=datetime(2026, 7, 5, tzinfo=UTC),
            since=datetime(2026, 7, 1, tzinfo=UTC),
        )
    args = ["notify", "--db", str(db), "--dry-run", "--now", "2026-07-05T00:00:00Z"]
    assert main([*args, "--format", "json"]) == 0
    without = json.loads(capsys.readouterr().out)
    assert {n["to"] is None for n in without["derived"]} == {True}
    assert main([*args, "--format", "json", "--team", str(PRACTICE)]) == 0
    derived = json.loads(capsys.readouterr().out)["derived"]
    assert derived and all(n["to"] is not None for n in derived)
    alice = next(n for n in derived if n["recipient"] == "alice")
    assert alice["to"] == {"name": "Alice Moreno", "email": "alice@harbour.example"}
