"""benchmarks/all.py: how it reads each benchmark's closing JSON line and its targets.

The benchmarks themselves are smoke-run by their own tests (``--quick``); this checks the
runner that puts every figure of one machine in one run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_all", ROOT / "benchmarks" / "all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_all"] = module
    spec.loader.exec_module(module)
    return module


def test_every_benchmark_script_is_run() -> None:
    names = set(runner().NAMES)
    scripts = {p.stem for p in (ROOT / "benchmarks").glob("*.py")} - {"all"}
    assert names == scripts and "review" in names and "insights" in names


def test_targets_read_from_a_flag_a_mapping_and_the_one_file_figure() -> None:
    met_of = runner().met_of
    assert met_of({"met": True}) is True
    assert met_of({"met": {"speed": True, "memory": False}}) is False
    assert met_of({"met": True, "one_file_met": False}) is False
    assert met_of({"met": {"a": True}, "all_met": True}) is True
    assert met_of({"figures": 1}) is None  # a benchmark without a target


def test_the_last_json_object_line_is_the_figures() -> None:
    last = runner().last_json_line
    out = 'wrote /tmp/x.html\n{"benchmark": "a", "met": false}\nnot json {\n'
    assert last(out) == {"benchmark": "a", "met": False}
    assert last("no figures here\n[1, 2]\n") is None
