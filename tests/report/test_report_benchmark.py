"""The report benchmark runs (a smoke run) and prints its one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_benchmark_prints_time_and_size_against_the_targets() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "report.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["benchmark"] == "report" and data["clients"] == 200
    assert data["instances"] > 1000 and data["worked"] > 0 and data["instance_pages"] > 0
    assert (data["target_seconds"], data["target_mb"]) == (5.0, 10.0)
    assert 0 < data["bytes"] < 10_000_000 and data["seconds"] > 0
    # The figure is the median of the timed runs, taken after the store is on disk.
    assert len(data["runs"]) == 3 and data["seconds"] == sorted(data["runs"])[1]
    assert data["sync_seconds"] >= 0
