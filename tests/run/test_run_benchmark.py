"""The run benchmark runs (a smoke run: the figures, not the speed, are checked)."""

from __future__ import annotations

import pytest

from benchmark_helpers import quick_figures


def test_the_benchmark_prints_one_json_line_with_its_figures() -> None:
    data = quick_figures("run")
    assert data["benchmark"] == "run" and data["quick"] is True
    assert data["clients"] == 200 and data["workflows"] == 4
    assert data["instances"] > 0 and data["skipped"] == 0
    assert set(data["by_workflow"]) == {
        "monthly-bookkeeping",
        "vat-returns",
        "year-end-accounts",
        "weekly-payroll",
    }
    assert sum(data["by_workflow"].values()) == data["instances"]
    assert data["by_workflow"]["monthly-bookkeeping"] == 12 * data["clients"]
    assert data["batches"] == -(-data["instances"] // data["batch"])
    for key in ("run_s", "floor_s", "run_instances_per_s", "floor_instances_per_s"):
        assert data[key] > 0
    assert data["ratio_vs_floor"] == pytest.approx(data["run_s"] / data["floor_s"], rel=0.02)
    assert data["target_ratio"] == 3.0 and data["target_rss_mb"] == 300
    assert 0 < data["rss_before_run_mb"] <= data["peak_rss_mb"]
    assert data["met_by_target"] == {
        "vs_floor": data["ratio_vs_floor"] <= data["target_ratio"],
        "peak_rss": data["peak_rss_mb"] <= data["target_rss_mb"],
    }
    assert data["met"] == all(data["met_by_target"].values())
