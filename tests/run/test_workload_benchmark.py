"""The workload benchmark runs (a smoke run: the figures, not the speed, are checked)."""

from __future__ import annotations

from benchmark_helpers import quick_figures


def test_the_benchmark_prints_one_json_line_with_its_figures() -> None:
    data = quick_figures("workload")
    assert data["benchmark"] == "workload" and data["quick"] is True
    assert data["clients"] == 300 and data["people"] == 200
    assert data["occurrences"] > 0 and data["rows"] > 0
    assert data["hours_agree"] is True  # workload and the plain loop count the same hours
    assert data["target_ratio"] == 1.5 and isinstance(data["met"], bool)
    assert set(data["without_plan"]) == {"workload_s", "loop_s", "ratio"}
