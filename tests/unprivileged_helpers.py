"""Running a child process that file modes apply to, for tests of unreadable paths.

Tests run as root here and in CI, and root reads anything whatever its mode. A child
started with :func:`unprivileged`'s ``preexec_fn`` runs as nobody, or without the
capabilities that override file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); when
neither can be had the test is skipped, and under ``CI=true`` it fails instead.
:func:`open_folder` makes a folder such a child may enter (pytest's ``tmp_path`` is
private to its owner)."""

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

NOBODY = 65534
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def open_folder(prefix: str) -> Iterator[Path]:
    """A folder anyone may enter, removed after with its modes restored (a fixture's body)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
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
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _probe(drop: Callable[[], None] | None, locked: Path) -> bool:
    """True if a child started with ``drop`` runs this interpreter and is refused ``locked``."""
    code = f"open({str(locked)!r}, 'rb')"
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], preexec_fn=drop, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode != 0 and b"PermissionError" in proc.stderr


_DROPS: dict[str, Callable[[], None] | None] = {}


def unprivileged() -> Callable[[], None] | None:
    """How to start a child that file modes apply to (``None``: as we are); skip if none."""
    if "drop" in _DROPS:
        return _DROPS["drop"]
    base = Path(tempfile.mkdtemp(prefix="wk-probe-"))
    try:
        base.chmod(0o755)
        locked = base / "locked"
        locked.write_bytes(b"x")
        locked.chmod(0)
        candidates: list[Callable[[], None] | None] = (
            [_as_nobody, _without_dac_override] if os.geteuid() == 0 else [None]
        )
        for drop in candidates:
            if _probe(drop, locked):
                _DROPS["drop"] = drop
                return drop
    finally:
        shutil.rmtree(base, ignore_errors=True)
    reason = "cannot start a child that file modes apply to (setuid and capabilities refused)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + "; under CI=true these tests must run")
    pytest.skip(reason)
