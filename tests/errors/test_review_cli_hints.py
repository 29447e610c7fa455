"""`workflowkit review check` (and the other commands naming a check) suggest the check
id meant; not-found messages name the instance, not the database file (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.store import SQLiteEventStore, UnknownInstanceError

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
ID = "acme-widgets-ltd/ledger-monthly-books/2026-10"


def _start(db: Path) -> None:
    args = ["review", "start", "ledger-monthly-books", "--templates", str(PRACTICE)]
    args += ["--db", str(db), "--client", "acme-widgets-ltd", "--period", "2026-10"]
    args += ["--assignee", "alice", "--reviewer", "bob", "--due", "2026-11-13"]
    args += ["--as", "alice", "--at", "2026-11-03T08:00:00+00:00"]
    assert main(args) == 0


@pytest.mark.parametrize(
    "command",
    [
        ["check", ID, "bank-reconcilation", "complete"],
        ["comment", ID, "a note", "--check", "bank-reconcilation"],
    ],
)
def test_an_unknown_check_id_gets_a_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    db = tmp_path / "wk.db"
    _start(db)
    capsys.readouterr()
    code = main(["review", *command, "--db", str(db), "--as", "alice"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no check 'bank-reconcilation'" in err
    assert "(did you mean 'bank-reconciliation'?)" in err
    assert len(SQLiteEventStore(db).load(ID)) == 1  # nothing was written


def test_a_check_id_far_from_any_points_at_review_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "wk.db"
    _start(db)
    capsys.readouterr()
    code = main(["review", "check", ID, "zzzz", "complete", "--db", str(db), "--as", "alice"])
    assert code == 2
    assert f"`workflowkit review show {ID}`" in capsys.readouterr().err


def test_an_unknown_instance_names_the_instance_not_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "secret-place.db"
    _start(db)
    store = SQLiteEventStore(db)
    with pytest.raises(UnknownInstanceError) as info:
        store.load("acme-widgets-ltd/ledger-monthly-books/2026-11")
    assert str(info.value) == (
        "no instance 'acme-widgets-ltd/ledger-monthly-books/2026-11' in the store"
    )
    assert "secret-place" not in str(info.value)
    assert info.value.where == str(db)  # still there for the caller who wants it
    capsys.readouterr()
    assert main(["review", "show", "nope/x/2026-10", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "no instance 'nope/x/2026-10'" in err and "secret-place" not in err
