"""The review benchmark runs (a smoke run: the figures, not the speed, are checked)."""

from __future__ import annotations

from benchmark_helpers import quick_figures


def test_the_benchmark_prints_one_json_line_with_its_figures() -> None:
    data = quick_figures("review")
    assert data["benchmark"] == "review" and data["quick"] is True
    assert data["checks"] == 20 and 30 <= data["events_per_instance"] <= 34
    for name in ("apply", "transitions", "python_statemachine"):
        assert data[name]["events_per_s"] > 0 and data[name]["bytes_per_instance"] > 0
    assert data["apply"]["events"] == data["instances"] * data["events_per_instance"]
    for key in (
        "ratio_vs_transitions",
        "ratio_vs_python_statemachine",
        "memory_ratio_vs_transitions",
    ):
        assert data[key] > 0
    assert (
        data["target_vs_transitions"],
        data["target_vs_python_statemachine"],
        data["target_memory_ratio"],
    ) == (1.3, 10.0, 1.0)
    assert set(data["met"]) == {"vs_transitions", "vs_python_statemachine", "memory_vs_transitions"}
    assert data["all_met"] == all(data["met"].values())
