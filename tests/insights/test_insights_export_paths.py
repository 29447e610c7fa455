"""Issue 19, F8/F16 (the CSV half) and F17: odd or unreadable exports are errors, exit 2.

docs/ci.md's table is the contract: exit 2 for "a path that does not exist or cannot be
read". In a folder of CSV exports, an ``invoices.csv`` that is a directory or a FIFO
(WK608) or that may not be read (WK601) is named, and ``checks run`` exits 2; it never
runs the checks on the rest.

Root reads anything whatever its mode, and these tests (like CI) often run as root. The
unreadable cases therefore run the CLI in a child without that privilege: as ``nobody``
when the interpreter is reachable by it, else as root without the capabilities that
override file modes (as tests/hardening/test_hardening_paths.py does).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from unprivileged_helpers import open_folder, unprivileged

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder anyone may enter, removed after with its modes restored."""
    yield from open_folder("wk-exports-")


def checks_run(
    target: Path, *extra: str, drop: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workflowkit", "checks", "run", str(target), *extra],
        preexec_fn=drop,
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def exports(shared: Path) -> Path:
    folder = shared / "acme"
    shutil.copytree(DATA / "acme-csv", folder)
    for p in [folder, *folder.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_export_that_is_a_directory_exits_2(shared: Path, fmt: str) -> None:
    folder = exports(shared)
    (folder / "invoices.csv").unlink()
    (folder / "invoices.csv").mkdir()
    proc = checks_run(folder, "-f", fmt)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{folder}/invoices.csv: WK608 a directory, not a file" in proc.stderr
    assert "Traceback" not in proc.stderr and '"results"' not in proc.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_an_export_that_is_a_fifo_exits_2_without_blocking(shared: Path) -> None:
    folder = exports(shared)
    (folder / "journals.csv").unlink()
    os.mkfifo(folder / "journals.csv")
    proc = checks_run(folder)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{folder}/journals.csv: WK608 a FIFO (named pipe), not a file" in proc.stderr


@pytest.mark.parametrize("file", ["invoices.csv", "organisation.csv"])
def test_an_unreadable_export_is_named_and_exits_2(shared: Path, file: str) -> None:
    folder = exports(shared)
    (folder / file).chmod(0)
    drop = unprivileged()
    proc = checks_run(folder, drop=drop)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == f"{folder}/{file}: WK601 cannot read: Permission denied"
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_an_unreadable_json_snapshot_exits_2(shared: Path) -> None:
    snapshot = shared / "acme.json"
    shutil.copy(DATA / "acme.json", snapshot)
    snapshot.chmod(0)
    proc = checks_run(snapshot, drop=unprivileged())
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == f"{snapshot}: WK601 cannot read: Permission denied"


@pytest.mark.parametrize("mode", [0, 0o300])
def test_a_folder_that_cannot_be_listed_is_one_error(shared: Path, mode: int) -> None:
    """Only the folder is reported: its files are not "missing" (they were never seen)."""
    folder = exports(shared)
    drop = unprivileged()
    folder.chmod(mode)
    proc = checks_run(folder, drop=drop)
    folder.chmod(0o755)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == f"{folder}: WK601 cannot read the folder: Permission denied"
