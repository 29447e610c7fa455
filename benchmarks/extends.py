"""Benchmark: `workflowkit validate` on long `extends` chains and cycles (issue 19, F2).

Generates three corpora of template files and times ``workflowkit validate --format json``
on each, as a whole command (wall time, start-up included):

- ``independent``: N templates of 10 checks each, none extending another (the anchor);
- ``chain``: 2N templates, each extending the one before it (a chain 2N deep, so all but
  the first nine are over the depth limit of 8 and get WK205);
- ``cycle``: 2N templates, each extending the next and the last the first (every one is
  in a cycle; each gets WK205, as the cycle is longer than the depth limit).

Resolution must be linear in the number of templates: the chain and the cycle each cost
about what twice as many independent files do. Prints one JSON line, with both ratios
against the anchor measured in the same run. The target (each ratio at most 3.0) leaves
room for the diagnostics those corpora print, which the anchor does not.

    python benchmarks/extends.py            # 1,000 independent, 2,000 chained, 2,000 in a cycle
    python benchmarks/extends.py --quick    # 100 / 200 / 200, one run each
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 3.0


def _template(index: int, extends: str | None) -> str:
    lines = [
        "apiVersion: workflowkit/v1",
        "kind: WorkflowTemplate",
        f"id: t-{index}",
        f"name: Template {index}",
        "version: 1.0.0",
    ]
    if extends is not None:
        lines.append(f"extends: {extends}")
    lines.append("checks:")
    for i in range(10):
        lines += [f"  - id: t{index}-check-{i}", f"    title: Check {i} of template {index}"]
    return "\n".join(lines) + "\n"


def make_corpus(directory: Path, count: int, shape: str) -> None:
    directory.mkdir()
    for i in range(count):
        if shape == "independent":
            extends = None
        elif shape == "chain":
            extends = f"t-{i - 1}" if i else None
        else:
            extends = f"t-{(i + 1) % count}"
        (directory / f"t-{i:05d}.yaml").write_text(_template(i, extends), encoding="utf-8")


def _time(cmd: list[str], repeat: int) -> tuple[float, int]:
    best = float("inf")
    code = 0
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
        code = proc.returncode
    return best, code


def _workflowkit() -> list[str]:
    exe = shutil.which(
        "workflowkit",
        path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
    )
    return [exe] if exe else [sys.executable, "-m", "workflowkit"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000, help="independent files (N)")
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs of each command")
    ap.add_argument("--quick", action="store_true", help="100 independent files, one run")
    args = ap.parse_args()
    if args.quick:
        args.files, args.repeat = 100, 1
    wk = _workflowkit()
    out: dict[str, object] = {"benchmark": "extends", "independent_files": args.files}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sizes = {"independent": args.files, "chain": 2 * args.files, "cycle": 2 * args.files}
        for shape, count in sizes.items():
            corpus = Path(tmp) / shape
            make_corpus(corpus, count, shape)
            took, code = _time([*wk, "validate", "--format", "json", str(corpus)], args.repeat)
            seconds[shape] = took
            out[f"{shape}_files"] = count
            out[f"{shape}_s"] = round(took, 3)
            out[f"{shape}_exit"] = code
    ratios = {shape: seconds[shape] / seconds["independent"] for shape in ("chain", "cycle")}
    for shape, ratio in ratios.items():
        out[f"{shape}_ratio"] = round(ratio, 2)
    out["target_ratio"] = TARGET_RATIO
    out["met"] = all(ratio <= TARGET_RATIO for ratio in ratios.values())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
