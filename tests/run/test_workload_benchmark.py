"""The workload benchmark runs (a smoke run: the figures, not the speed, are checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "workload.py"


def test_the_benchmark_prints_one_json_line_with_its_figures() -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    [line] = run.stdout.strip().splitlines()
    data = json.loads(line)
    assert data["benchmark"] == "workload" and data["quick"] is True
    assert data["clients"] == 300 and data["people"] == 200
    assert data["occurrences"] > 0 and data["rows"] > 0
    assert data["hours_agree"] is True  # workload and the plain loop count the same hours
    assert data["target_ratio"] == 1.5 and isinstance(data["met"], bool)
    assert set(data["without_plan"]) == {"workload_s", "loop_s", "ratio"}
