"""Run every benchmark in one go, on one machine, and say whether each met its targets.

Each benchmark is a script of its own that prints its figures as one JSON line (the last
line it prints). This runs them one after another, each in a new process, so they share
the same machine state, and prints:

- each benchmark's JSON line as it finishes (prefixed by nothing, so the output can be
  kept as JSON Lines);
- then one closing JSON line: ``{"benchmark": "all", "met": {...}, "all_met": ...}``,
  with ``null`` for a benchmark that sets no target (the store's figures are anchors).

A benchmark's ``met`` may be a boolean, or a mapping of target name to boolean (all
must hold); ``one_file_met`` (validate) and ``all_met`` count too. It exits 1 when a
target is missed and 2 when a benchmark fails to run.

    python benchmarks/all.py                  # full size, several minutes
    python benchmarks/all.py --quick          # smoke runs
    python benchmarks/all.py --only review --only insights
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NAMES = tuple(
    sorted(p.stem for p in HERE.glob("*.py") if p.stem != "all" and not p.stem.startswith("_"))
)


def met_of(figures: dict[str, Any]) -> bool | None:
    """Whether the figures say every target was met; ``None`` without any target."""
    flags: list[bool] = []
    for key in ("met", "one_file_met", "all_met"):
        value = figures.get(key)
        if isinstance(value, bool):
            flags.append(value)
        elif isinstance(value, dict):
            flags.extend(bool(v) for v in value.values())
    return all(flags) if flags else None


def last_json_line(text: str) -> dict[str, Any] | None:
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict):
                return data
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark")
    parser.add_argument("--only", action="append", choices=NAMES, help="run only these")
    args = parser.parse_args(argv)
    results: dict[str, bool | None] = {}
    seconds: dict[str, float] = {}
    failed: list[str] = []
    for name in args.only or NAMES:
        command = [sys.executable, str(HERE / f"{name}.py"), *(["--quick"] if args.quick else [])]
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds[name] = round(time.perf_counter() - began, 1)
        figures = last_json_line(done.stdout)
        if done.returncode not in (0, 1) or figures is None:
            failed.append(name)
            sys.stderr.write(f"benchmarks/{name}.py failed (exit {done.returncode}):\n")
            sys.stderr.write(done.stderr[-2000:])
            continue
        print(json.dumps(figures), flush=True)
        results[name] = met_of(figures)
    missed = [n for n, ok in results.items() if ok is False]
    summary = {
        "benchmark": "all",
        "quick": args.quick,
        "met": results,
        "seconds": seconds,
        "missed": missed,
        "failed": failed,
        "all_met": not missed and not failed,
    }
    print(json.dumps(summary), flush=True)
    return 2 if failed else 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
