"""The benchmark runs (``--quick``) and prints one JSON line with its figures.

Speed is judged by the benchmark itself, never by a timed unit test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_quick_prints_its_figures() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "insights.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["benchmark"] == "insights" and data["quick"] is True
    for check in ("duplicate_transactions", "duplicate_contacts"):
        figures = data[check]
        assert set(figures["seconds"]) == {str(n) for n in data["sizes"]}
        for key in ("growth", "speedup_vs_naive", "agrees_with_naive", "found"):
            assert key in figures
        assert figures["agrees_with_naive"] is True
    assert set(data["peak_memory_mb"]) == {
        "duplicate_transactions_traced",
        "duplicate_contacts_traced",
        "process_max_rss",
    }
    assert (
        figures["traced_mb_" + str(data["sizes"][-1])]
        == (data["peak_memory_mb"]["duplicate_contacts_traced"])
    )
    memory = data["snapshot_memory"]
    assert memory["transactions"] > 0 and memory["max_bytes_per_transaction"] == 1024
    for key in ("rss_delta_bytes_per_transaction", "retained_bytes_per_transaction", "csv_mb"):
        assert memory[key] > 0
    assert data["met_detail"]["snapshot_memory"] == (
        memory["rss_delta_bytes_per_transaction"] <= 1024
    )
    assert data["target"]["max_growth"] == 120 and data["target"]["min_speedup_vs_naive"] == 50
    assert data["target"]["max_snapshot_bytes_per_transaction"] == 1024
    assert isinstance(data["met"], bool) and set(data["met_detail"]) >= {"agree_with_naive"}
