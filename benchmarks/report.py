"""Benchmark: ``workflowkit report`` over 10,000 clients and a year, against its targets.

Builds the practice of ``benchmarks/run.py`` (10,000 clients, four repeating workflows),
runs it into a fresh SQLite store from 1 January to 1 December 2025 (about 180,000
instances), then works one instance in a hundred (comments; checks complete, some with
issues; some submitted, approved and locked, some handed back), and gives 50 clients a
ledger snapshot (copies of the example practice's three).

Timed: what ``workflowkit report`` does once the practice is loaded: plan the window
(June 2025 to May 2026, one year), read every summary and the events it needs from the
store, run the snapshots' checks, build the data, render the HTML and write the file.
The anchor, in the same run: reading every instance summary from the store alone.

Targets: under 5 s, under 10 MB.

    python benchmarks/report.py            # 10,000 clients
    python benchmarks/report.py --quick    # 200 clients (a smoke run)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from workflowkit.insights import load_snapshot  # noqa: E402
from workflowkit.report import SnapshotInput, collect, render_html  # noqa: E402
from workflowkit.review import (  # noqa: E402
    AddComment,
    Approve,
    Attach,
    HandBack,
    SetCheckStatus,
    SubmitForReview,
    apply,
    replay,
)
from workflowkit.review.errors import RequirementNotMetError  # noqa: E402
from workflowkit.run import run  # noqa: E402
from workflowkit.store import SQLiteEventStore  # noqa: E402

TARGET_SECONDS = 5.0
TARGET_MB = 10.0
SINCE = datetime(2025, 1, 1, tzinfo=UTC)
NOW = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
START, END = date(2025, 6, 1), date(2026, 5, 31)
WORK_EVERY = 100
SNAPSHOTS = 50


def _bench_run() -> Any:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _file(c: Any, at: datetime) -> Attach:
    digest = hashlib.sha256(c.check.encode()).hexdigest()
    return Attach(
        check=c.check,
        name=f"{c.check}.pdf",
        sha256=digest,
        size=20_480,
        media_type="application/pdf",
        by=c.by,
        at=at,
    )


def work(store: SQLiteEventStore, every: int) -> int:
    """Work one instance in ``every``: the number of instances changed."""
    at = NOW - timedelta(days=20)
    changed = 0
    for n, s in enumerate(store.instances()):
        if n % every:
            continue
        events = store.load(s.id)
        inst = replay(events)
        commands: list[Any] = []
        at = max(at, inst.updated_at) + timedelta(seconds=30)  # time runs forward
        commands.append(AddComment(text=f"Chased the client ({n}).", by=inst.assignee, at=at))
        kind = (n // every) % 4
        if kind >= 1:
            for i, check in enumerate(inst.template.checks):
                issues = i == 0 and kind == 1
                commands.append(
                    SetCheckStatus(
                        check=check.id,
                        status="complete_with_issues" if issues else "complete",
                        comment="A receipt is missing." if issues else "Done.",
                        by=inst.assignee,
                        at=at,
                    )
                )
        if kind >= 2 and inst.reviewers:
            commands.append(SubmitForReview(by=inst.assignee, at=at))
            if kind == 2:
                commands.append(HandBack(feedback="Recheck the VAT.", by=inst.reviewers[0], at=at))
            else:
                commands.extend(Approve(by=r, at=at) for r in inst.reviewers)
        new = []
        for c in commands:
            try:
                inst, event = apply(inst, c)
            except RequirementNotMetError:  # a check that needs a file: attach one first
                inst, event = apply(inst, _file(c, at))
                new.append(event)
                inst, event = apply(inst, c)
            new.append(event)
        store.append(s.id, new, s.version)
        changed += 1
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="200 clients (a smoke run)")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument(
        "--db", type=Path, default=None, help="keep the store here (reused when it exists)"
    )
    parser.add_argument("--profile", metavar="FILE", help="write cProfile stats of the timed part")
    args = parser.parse_args(argv)
    n = args.clients or (200 if args.quick else 10_000)
    bench = _bench_run()
    practice = bench.make_practice(n)
    ledgers = sorted((ROOT / "examples" / "practice" / "ledgers").iterdir())
    snaps = [load_snapshot(p) for p in ledgers]
    count = min(SNAPSHOTS, n)
    snapshots = [
        SnapshotInput(
            client=practice.clients[i * (n // count)].id,
            source=ledgers[i % len(snaps)].name,
            snapshot=snaps[i % len(snaps)],
        )
        for i in range(count)
    ]
    with tempfile.TemporaryDirectory(prefix="wk-bench-report-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        out = Path(tmp) / "report.html"
        worked = None
        if not db.exists():
            with SQLiteEventStore(db) as store:
                run(practice, store, now=NOW, since=SINCE)
                worked = work(store, WORK_EVERY)
        profiler: Any = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        with SQLiteEventStore(db, create=False) as store:
            t = time.perf_counter()
            summaries = store.instances()
            anchor_s = time.perf_counter() - t
            t = time.perf_counter()
            cpu = time.process_time()
            if profiler is not None:
                profiler.enable()
            report = collect(
                practice,
                store,
                snapshots=snapshots,
                now=NOW,
                today=NOW.date(),
                start=START,
                end=END,
                title=f"Benchmark practice ({n:,} clients)",
            )
            html = render_html(report)
            out.write_text(html, encoding="utf-8")
            seconds = time.perf_counter() - t
            cpu_seconds = time.process_time() - cpu
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
        size = out.stat().st_size
    mb = size / 1_000_000
    result = {
        "benchmark": "report",
        "clients": n,
        "instances": len(summaries),
        "worked": worked,
        "snapshots": count,
        "instance_pages": len(report.instances),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "bytes": size,
        "mb": round(mb, 2),
        "anchor_read_summaries_s": round(anchor_s, 3),
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "ok": seconds < TARGET_SECONDS and mb < TARGET_MB,
    }
    print(json.dumps(result))
    return 0 if result["ok"] or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
