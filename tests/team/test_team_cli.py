"""`workflowkit review` reads the team (`--team`, `$WORKFLOWKIT_TEAM`, or the practice's)
and refuses what it does not allow, changing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
TEAM = PRACTICE / "team" / "team.yaml"
ID = "acme-widgets-ltd/monthly-bookkeeping/2026-09"


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WORKFLOWKIT_TEAM", "WORKFLOWKIT_PRACTICE", "WORKFLOWKIT_DB"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "s.db"


def start(db: Path, assignee: str, *extra: str) -> int:
    return main(
        [
            "review", "start", "monthly-bookkeeping",
            "--client", "acme-widgets-ltd", "--period", "2026-09",
            "--assignee", assignee, "--reviewer", "bob", "--due", "2026-10-13",
            "--as", "carol", "--at", "2026-10-01T09:00:00Z", "--db", str(db), *extra,
        ]
    )  # fmt: skip


def version(db: Path) -> int:
    with SQLiteEventStore(db) as store:
        return store.version(ID)


def test_start_with_the_practice_refuses_a_leaver(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert start(db, "hugo", "--practice", str(PRACTICE)) == 2
    assert "'hugo' left the practice on 2026-06-30" in capsys.readouterr().err
    assert not db.exists() or version(db) == 0
    assert start(db, "Alice", "--practice", str(PRACTICE)) == 0  # the normal form
    assert version(db) == 1


def test_reassign_respects_roles(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert start(db, "alice", "--team", str(TEAM)) == 0
    common = ["--db", str(db), "--team", str(TEAM), "--at", "2026-10-02T09:00:00Z"]
    # dev (senior) may not reassign
    assert main(["review", "reassign", ID, "erin", "--as", "dev", *common]) == 2
    assert "holds no role with the 'reassign' permission" in capsys.readouterr().err
    # gwen (partner) may not prepare: bob (manager) may not give her the work
    assert main(["review", "reassign", ID, "gwen", "--as", "bob", *common]) == 2
    assert "'gwen' (partner) holds no role with the 'prepare' permission" in capsys.readouterr().err
    assert version(db) == 1  # nothing changed
    assert main(["review", "reassign", ID, "erin", "--as", "bob", *common]) == 0
    assert "reassigned from alice to erin" in capsys.readouterr().out
    assert version(db) == 2


def test_the_team_comes_from_the_environment(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert start(db, "alice") == 0  # no team: anyone
    monkeypatch.setenv("WORKFLOWKIT_PRACTICE", str(PRACTICE))
    at = ["--db", str(db), "--at", "2026-10-02T09:00:00Z"]
    assert main(["review", "reassign", ID, "erin", "--as", "mallory", *at]) == 2
    assert "'mallory' is not on the team" in capsys.readouterr().err
    assert version(db) == 1


def test_a_folder_without_a_team_is_an_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert start(db, "alice") == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    args = ["review", "reassign", ID, "erin", "--as", "bob", "--db", str(db), "--team", str(empty)]
    assert main(args) == 2
    assert "no Team document" in capsys.readouterr().err
    assert version(db) == 1


def test_the_config_file_s_paths_are_the_practice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    for name in ("WORKFLOWKIT_TEAM", "WORKFLOWKIT_PRACTICE", "WORKFLOWKIT_DB"):
        monkeypatch.delenv(name, raising=False)
    repo = tmp_path / "repo"
    shutil.copytree(PRACTICE, repo / "practice")
    (repo / ".git").mkdir()
    (repo / "workflowkit.yaml").write_text("paths: [practice]\ndb: s.db\n")
    monkeypatch.chdir(repo)
    base = ["review", "start", "monthly-bookkeeping", "--period", "2026-09", "--reviewer", "bob"]
    base += ["--due", "2026-10-13", "--as", "carol", "--at", "2026-10-01T09:00:00Z"]
    # the practice is known from the config file: a typo in the client is refused
    assert main([*base, "--client", "acme-widget-ltd", "--assignee", "alice"]) == 2
    assert "acme-widgets-ltd" in capsys.readouterr().err  # the did-you-mean
    # and so is its team: a leaver may not be the assignee
    assert main([*base, "--client", "acme-widgets-ltd", "--assignee", "hugo"]) == 2
    assert "'hugo' left the practice" in capsys.readouterr().err
    assert main([*base, "--client", "acme-widgets-ltd", "--assignee", "alice"]) == 0
    capsys.readouterr()
    at = ["--at", "2026-10-02T09:00:00Z"]
    assert main(["review", "reassign", ID, "erin", "--as", "dev", *at]) == 2
    assert "holds no role with the 'reassign' permission" in capsys.readouterr().err
