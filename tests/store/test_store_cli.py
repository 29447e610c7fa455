"""``--db`` and ``$WORKFLOWKIT_DB`` take a SQLite path or a PostgreSQL URL alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflowkit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = str(ROOT / "examples" / "practice")
NOW = "2026-03-01T00:00:00+00:00"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_run_and_review_against_postgres(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, _ = cli(capsys, "run", PRACTICE, "--db", pg_url, "--now", NOW, "--dry-run")
    assert code == 2  # never run: --since is needed, as with a new SQLite file
    code, out, _ = cli(
        capsys, "run", PRACTICE, "--db", pg_url, "--now", NOW, "--since", "2026-01-01"
    )
    assert code == 0 and f"cursor: {NOW}" in out
    code, out, _ = cli(capsys, "run", PRACTICE, "--db", pg_url, "--now", NOW, "-f", "json")
    assert code == 0 and json.loads(out)["counts"]["started"] == 0  # from the cursor: nothing
    monkeypatch.setenv("WORKFLOWKIT_DB", pg_url)
    code, out, _ = cli(capsys, "review", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)["instances"]
    assert rows and all(r["version"] == 1 for r in rows)
    first = rows[0]["id"]
    code, out, _ = cli(capsys, "review", "verify", first)
    assert code == 0, out


def test_an_unreachable_server_is_exit_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("psycopg")
    url = "postgresql://wk:s3cret@127.0.0.1:1/none?connect_timeout=2"
    code, _, err = cli(capsys, "review", "list", "--db", url)
    assert code == 2 and "cannot connect" in err and "s3cret" not in err
    assert "Traceback" not in err
