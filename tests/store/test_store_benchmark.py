"""The store benchmark runs (a smoke run: the figures, not the speed, are checked)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "store.py"


def test_the_benchmark_prints_one_json_line_with_every_figure() -> None:
    env = dict(os.environ)
    server = env.pop("WORKFLOWKIT_TEST_POSTGRES", "")
    args = [sys.executable, str(BENCH), "--quick"] + (["--postgres", server] if server else [])
    run = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False, env=env)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["benchmark"] == "store" and data["quick"] is True
    stores = ["sqlite", "postgres"] if server else ["sqlite"]
    if not server:
        assert data["postgres"] is None
    for name in stores:
        figures = data[name]
        for key in ("append_1", "append_4", "materialise"):
            f = figures[key]
            assert f["per_s"] > 0 and f["floor_per_s"] > 0
            assert abs(f["ratio_to_floor"] - f["per_s"] / f["floor_per_s"]) < 0.01
        assert figures["append_4_over_1"] > 0
