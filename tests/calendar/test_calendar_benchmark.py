"""``benchmarks/plan.py --quick`` runs and prints one JSON line with its figures.

Speed is not asserted here (that is the benchmark's job, on a quiet machine); the run
must work, agree with the naive baseline, and report every figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_plan_benchmark_quick() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "plan.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    for key in (
        "benchmark",
        "clients",
        "workflows",
        "occurrences",
        "plan_seconds",
        "naive_seconds",
        "ratio",
        "target_ratio",
        "met",
        "same_fire_times",
        "baseline",
    ):
        assert key in data, key
    assert data["benchmark"] == "plan" and data["quick"] is True
    assert data["clients"] == 200 and data["workflows"] == 4
    assert data["occurrences"] > 0
    assert data["same_fire_times"] is True
    assert data["target_ratio"] == 10.0
    assert isinstance(data["met"], bool)
