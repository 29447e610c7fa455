"""Smoke runs of the benchmarks: a script's ``--quick`` mode, in a new process, and the
one JSON line of figures it prints (the figures are checked, never the speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def quick_figures(name: str, timeout: float = 120) -> dict[str, Any]:
    """Run ``benchmarks/<name>.py --quick``; it must exit 0 and print one JSON line."""
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{name}.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1, lines
    data: dict[str, Any] = json.loads(lines[0])
    return data
