"""F13 and F17: dates at the ends of the calendar, snapshot size limits, odd folder entries."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from insights_ledgers import AS_OF, acme

from workflowkit.insights import (
    CheckDateError,
    LedgerSnapshot,
    SnapshotError,
    load_snapshot,
    run_all,
    run_check,
)
from workflowkit.insights.csvload import load_snapshot_csv
from workflowkit.insights.snapshot import MAX_DATE, MIN_DATE

DATA = Path(__file__).resolve().parent / "data"


def codes(err: SnapshotError) -> list[str]:
    return [d.code for d in err.diagnostics]


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(3000, 1, 1)])
def test_an_as_of_outside_the_calendar_is_a_typed_error(day: dt.date) -> None:
    with pytest.raises(CheckDateError, match="WK609 as-of date"):
        run_all(acme(), as_of=day)
    with pytest.raises(CheckDateError):
        run_check("lock-date", acme(), as_of=day)


@pytest.mark.parametrize("day", [MIN_DATE, MAX_DATE])
def test_every_check_runs_at_the_ends_of_the_supported_range(day: dt.date) -> None:
    assert len(run_all(acme(), as_of=day)) == 17


def test_records_built_in_code_at_the_end_of_the_calendar_never_overflow() -> None:
    import dataclasses

    snap = acme()
    far = dataclasses.replace(
        snap,
        invoices=tuple(dataclasses.replace(i, date=dt.date(9999, 12, 31)) for i in snap.invoices),
    )
    try:
        run_all(far, as_of=AS_OF)
    except CheckDateError as exc:
        assert "too near the end of the calendar" in str(exc)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_cli_as_of_at_the_ends_exits_2_without_a_traceback(day: str) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "workflowkit",
            "checks",
            "run",
            str(DATA / "acme.json"),
            "--as-of",
            day,
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "WK609" in proc.stderr


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_snapshot_as_of_outside_the_range_is_wk609(day: str, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"organisation": {"name": "A"}, "as_of": day}), encoding="utf-8")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(path)
    assert codes(err.value) == ["WK609"]
    proc = subprocess.run(
        [sys.executable, "-m", "workflowkit", "checks", "run", str(path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "WK609" in proc.stderr and "Traceback" not in proc.stderr


def test_json_size_and_row_limits(tmp_path: Path) -> None:
    shutil.copy(DATA / "acme.json", tmp_path / "big.json")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "big.json", max_bytes=1000)
    assert codes(err.value) == ["WK607"] and "the limit is 1,000" in str(err.value)
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "big.json", max_rows=5)
    assert codes(err.value) == ["WK607"] and "more than 5 rows" in str(err.value)
    rows = acme().record_count()
    assert isinstance(load_snapshot(tmp_path / "big.json", max_rows=10_000), LedgerSnapshot)
    assert rows > 5


def test_csv_size_and_row_limits_count_the_whole_folder(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    shutil.copytree(DATA / "acme-csv", folder)
    total = sum(p.stat().st_size for p in folder.iterdir())
    largest = max(p.stat().st_size for p in folder.iterdir())
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder, max_bytes=largest + 1)  # each file fits, the folder does not
    assert codes(err.value) == ["WK607"] and f"{total:,} bytes" in str(err.value)
    with pytest.raises(SnapshotError) as err:
        load_snapshot_csv(folder, max_rows=10)
    assert codes(err.value) == ["WK607"]
    d = err.value.diagnostics[0]
    assert d.line is not None and d.file is not None and d.file.endswith(".csv")
    assert load_snapshot(folder) == acme()


def test_a_directory_where_an_export_should_be_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    shutil.copytree(DATA / "acme-csv", folder)
    (folder / "invoices.csv").unlink()
    (folder / "invoices.csv").mkdir()
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    assert codes(err.value) == ["WK608"]
    assert "a directory, not a file" in str(err.value.diagnostics[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    shutil.copytree(DATA / "acme-csv", folder)
    (folder / "journals.csv").unlink()
    os.mkfifo(folder / "journals.csv")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    assert codes(err.value) == ["WK608"] and "FIFO" in str(err.value.diagnostics[0])
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "pipe.json")
    assert codes(err.value) == ["WK608"]


def test_a_live_source_has_a_row_limit_and_stops_reading_at_it() -> None:
    """F17: ``read_source`` counts rows as they stream, as the file loaders do (WK607)."""
    from workflowkit.insights import read_source

    snap = acme()
    pulled: list[str] = []

    class Endless:
        def organisation(self):  # type: ignore[no-untyped-def]
            return snap.organisation

        def __getattr__(self, kind: str):  # type: ignore[no-untyped-def]
            def records(**_: object):  # type: ignore[no-untyped-def]
                pulled.append(kind)
                if kind == "bank_transactions":
                    while True:  # a source that never ends
                        yield snap.bank_transactions[0]
                yield from getattr(snap, kind, ())

            return records

    with pytest.raises(SnapshotError) as err:
        read_source(Endless(), as_of=AS_OF, max_rows=1000)  # type: ignore[arg-type]
    assert codes(err.value) == ["WK607"] and "more than 1,000 rows" in str(err.value)
    assert "Endless" in str(err.value) and "invoices" not in pulled
