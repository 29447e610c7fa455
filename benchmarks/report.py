"""Benchmark: ``workflowkit report`` over 10,000 clients and a year, against its targets.

Builds the practice of ``benchmarks/run.py`` (10,000 clients, four repeating workflows)
and writes it as a practice folder (client lists, workflows, the payroll template), runs
it into a fresh SQLite store from 1 January to 1 December 2025 (about 190,000
instances), then works one instance in a hundred (comments; checks complete, some with
issues; some submitted, approved and locked, some handed back), and gives 50 clients a
ledger snapshot (copies of the example practice's three, in a snapshots folder).

Timed (``seconds``, the target): the command a user runs, in a new process, from its
start until the file is written, the median of ``RUNS`` runs (each run's time is in
``runs``):

    workflowkit report PRACTICE --db bench.db --snapshots SNAPS \
        --from 2025-06-01 --to 2026-05-31 --now 2025-12-01T09:00:00+00:00 --out report.html

Also measured, in this process: what that command does once the practice is loaded
(``in_process_seconds``: plan the window, read the summaries and the events it needs,
run the snapshots' checks, build, render, write), and the anchor: reading every instance
summary from the store alone. The two pages are checked to be the same bytes.

Targets: under 5 s, under 10 MB (``met`` says which held; ``ok``, all of them). The
figures are wall time on a machine that may be shared: ``load_average`` gives its
1-minute load at the start, as the timed command began, and at the end, and ``cores``
how many it has (the report plans in a second process while it reads the store).
Before the timed runs, the benchmark has the kernel write what it just wrote to disk
(``os.sync``, ``sync_seconds``): a store of 190,000 instances is a few hundred MB, and
its write-back otherwise competes with the first run for the machine's two cores, as
it never does for a user whose store was written over months.

    python benchmarks/report.py            # 10,000 clients
    python benchmarks/report.py --quick    # 200 clients (a smoke run)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from workflowkit.calendar import load_practice  # noqa: E402
from workflowkit.report import collect, find_snapshots, render_html  # noqa: E402
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
RUNS = 3
CLIENTS_PER_FILE = 2_000  # a client list file stays under the loader's size limit


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


def write_practice(bench: Any, n: int, folder: Path) -> None:
    """The benchmark's practice as the folder a user keeps: client lists, workflows and
    the payroll template, as JSON (which is YAML)."""
    for sub in ("clients", "workflows", "templates"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    clients = [
        c.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        for c in bench.make_clients(n)
    ]
    for k in range(0, n, CLIENTS_PER_FILE):
        doc = {
            "apiVersion": "workflowkit/v1",
            "kind": "ClientList",
            "name": f"Benchmark clients {k + 1}-{min(n, k + CLIENTS_PER_FILE)}",
            "clients": clients[k : k + CLIENTS_PER_FILE],
        }
        (folder / "clients" / f"clients-{k // CLIENTS_PER_FILE:02d}.yaml").write_text(
            json.dumps(doc), encoding="utf-8"
        )
    (folder / "templates" / "weekly-payroll.yaml").write_text(
        json.dumps(bench.PAYROLL_TEMPLATE, indent=1), encoding="utf-8"
    )
    made = {w.id: w for w in bench.make_practice(min(n, 1)).workflows}
    for wid, template, chosen, repeating in bench.WORKFLOWS:
        workflow: dict[str, Any] = {
            "apiVersion": "workflowkit/v1",
            "kind": "Workflow",
            "id": wid,
            "name": wid,
            "template": {"id": template, "version": "^1"},
            "clients": chosen,
            "assignee": "alice",
            "reviewers": list(made[wid].reviewers),
            "repeating": repeating,
        }
        (folder / "workflows" / f"{wid}.yaml").write_text(
            json.dumps(workflow, indent=1), encoding="utf-8"
        )


def write_snapshots(client_ids: list[str], folder: Path) -> int:
    """Copies of the example practice's ledgers, one per client of ``client_ids`` (spread
    over the list), named by the client's id; returns how many."""
    ledgers = sorted((ROOT / "examples" / "practice" / "ledgers").iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    count = min(SNAPSHOTS, len(client_ids))
    for i in range(count):
        client = client_ids[i * (len(client_ids) // count)]
        source = ledgers[i % len(ledgers)]
        if source.is_dir():
            shutil.copytree(source, folder / client)
        else:
            shutil.copyfile(source, folder / f"{client}{source.suffix}")
    return count


def cli(practice: Path, db: Path, snaps: Path, out: Path, title: str) -> float:
    """Wall seconds of ``workflowkit report`` in a new process, start to file written."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    env.pop("WORKFLOWKIT_DB", None)
    command = [
        sys.executable,
        "-m",
        "workflowkit",
        "report",
        str(practice),
        "--db",
        str(db),
        "--snapshots",
        str(snaps),
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "--now",
        NOW.isoformat(),
        "--title",
        title,
        "--out",
        str(out),
    ]
    t = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # not on every platform
        return None


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
    load_before = _load_average()
    bench = _bench_run()
    title = f"Benchmark practice ({n:,} clients)"
    with tempfile.TemporaryDirectory(prefix="wk-bench-report-") as tmp:
        folder, snaps = Path(tmp) / "practice", Path(tmp) / "snapshots"
        write_practice(bench, n, folder)
        practice = load_practice([folder])
        count = write_snapshots([c.id for c in practice.clients], snaps)
        snapshots = find_snapshots(snaps, practice)
        db = args.db or Path(tmp) / "bench.db"
        out, out_cli = Path(tmp) / "report.html", Path(tmp) / "report-cli.html"
        worked = None
        if not db.exists():
            with SQLiteEventStore(db) as store:
                run(practice, store, now=NOW, since=SINCE)
                worked = work(store, WORK_EVERY)
        t = time.perf_counter()
        if hasattr(os, "sync"):
            os.sync()
        sync_s = time.perf_counter() - t
        load_at_cli = _load_average()
        runs = [cli(folder, db, snaps, out_cli, title) for _ in range(RUNS)]
        seconds = statistics.median(runs)
        profiler: Any = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        with SQLiteEventStore(db, create=False) as store:
            t = time.perf_counter()
            summaries = store.instances()
            anchor_s = time.perf_counter() - t
            instances = len(summaries)
            del summaries
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
                title=title,
            )
            html = render_html(report)
            out.write_text(html, encoding="utf-8")
            in_process = time.perf_counter() - t
            cpu_seconds = time.process_time() - cpu
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
        size = out_cli.stat().st_size
        same = out_cli.read_bytes() == out.read_bytes()
    mb = size / 1_000_000
    result = {
        "benchmark": "report",
        "clients": n,
        "instances": instances,
        "worked": worked,
        "snapshots": count,
        "instance_pages": len(report.instances),
        "seconds": round(seconds, 3),
        "runs": [round(r, 3) for r in runs],
        "sync_seconds": round(sync_s, 3),
        "in_process_seconds": round(in_process, 3),
        "in_process_cpu_seconds": round(cpu_seconds, 3),
        "bytes": size,
        "mb": round(mb, 2),
        "same_page": same,
        "anchor_read_summaries_s": round(anchor_s, 3),
        # How busy the machine was (1-minute load average, where the OS tells it): at the
        # start, as the timed command began, and at the end. The figures are wall time.
        "load_average": [load_before, load_at_cli, _load_average()],
        "cores": os.cpu_count(),
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "ok": seconds < TARGET_SECONDS and mb < TARGET_MB and same,
    }
    # `met` per target, as benchmarks/all.py reads them (`ok` is all three, as before).
    result["met"] = {
        "seconds": seconds < TARGET_SECONDS,
        "mb": mb < TARGET_MB,
        "same_page": same,
    }
    print(json.dumps(result))
    return 0 if result["ok"] or (args.quick and same) else 1


if __name__ == "__main__":
    raise SystemExit(main())
