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

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
NOBODY = 65534


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder anyone may enter, removed after with its modes restored."""
    path = Path(tempfile.mkdtemp(prefix="wk-exports-"))
    path.chmod(0o755)
    yield path
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full):
                os.chmod(full, 0o755)
    shutil.rmtree(path)


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _without_dac_override() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _unprivileged(shared: Path) -> Callable[[], None] | None:
    """How to start a child that file modes apply to (``None``: as we are); skip if none."""
    locked = shared / "probe"
    locked.write_bytes(b"x")
    locked.chmod(0)
    candidates: list[Callable[[], None] | None] = (
        [_as_nobody, _without_dac_override] if os.geteuid() == 0 else [None]
    )
    for drop in candidates:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", f"open({str(locked)!r}, 'rb')"],
                preexec_fn=drop,
                capture_output=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if proc.returncode != 0 and b"PermissionError" in proc.stderr:
            return drop
    reason = "cannot start a child that file modes apply to"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; under CI=true these tests must run")
    pytest.skip(reason)


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
    drop = _unprivileged(shared)
    proc = checks_run(folder, drop=drop)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == f"{folder}/{file}: WK601 cannot read: Permission denied"
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_an_unreadable_json_snapshot_exits_2(shared: Path) -> None:
    snapshot = shared / "acme.json"
    shutil.copy(DATA / "acme.json", snapshot)
    snapshot.chmod(0)
    proc = checks_run(snapshot, drop=_unprivileged(shared))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == f"{snapshot}: WK601 cannot read: Permission denied"


@pytest.mark.parametrize("mode", [0, 0o300])
def test_a_folder_that_cannot_be_listed_is_one_error(shared: Path, mode: int) -> None:
    """Only the folder is reported: its files are not "missing" (they were never seen)."""
    folder = exports(shared)
    drop = _unprivileged(shared)
    folder.chmod(mode)
    proc = checks_run(folder, drop=drop)
    folder.chmod(0o755)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.strip() == f"{folder}: WK601 cannot read the folder: Permission denied"
