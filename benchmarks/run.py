"""Benchmark: ``workflowkit.run.run`` starting a practice's year against plain sqlite3 inserts.

Builds a practice in memory: 10,000 clients (mixed company types, year ends and VAT
staggers; some with a weekly payroll) and four repeating workflows over one year:

1. monthly bookkeeping on a cron (``0 9 5 * *``, the previous month), every client;
2. VAT returns on each VAT-registered client's ``vat_period_end``;
3. year-end accounts on each company's ``year_end`` (two review levels);
4. weekly payroll on a cron (``0 7 * * 1``, the previous week), clients tagged for it;

about 200,000 occurrences in all, with the built-in templates (and a payroll template of
its own), each workflow giving one reviewer per review level of its template, so nothing
is skipped (the run's report is checked for that).

- ``run``: ``run(practice, store, now=..., since=...)`` over the whole year in one call
  into a fresh ``SQLiteEventStore`` file, in a child process of its own (a fresh
  interpreter), so the peak RSS it reports (``ru_maxrss``) is the run's: building the
  practice, planning, starting and writing, as ``workflowkit run`` would.
- the floor, in the same run: plain ``sqlite3`` inserting the rows the store wrote (the
  instances summary row, the events row with the packed body, the occurrences row, the
  template once and the cursor) into a fresh file with the store's schema and PRAGMAs,
  one ``BEGIN IMMEDIATE`` transaction per batch of ``workflowkit.run.materialise.BATCH``
  starts. The rows are read out of the run's store before the clock starts, so the floor
  is inserting only.

Targets: ``run`` no slower than 3x the floor; the run's peak RSS under 300 MB.

Prints one JSON line. ``--quick`` uses 200 clients (a smoke run).

    python benchmarks/run.py            # 10,000 clients, about 200,000 instances
    python benchmarks/run.py --quick    # a smoke run
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from workflowkit.calendar import Client, Practice, Workflow
from workflowkit.run import run
from workflowkit.run.materialise import BATCH
from workflowkit.store import SQLiteEventStore
from workflowkit.templates.models import WorkflowTemplate
from workflowkit.templates.resolve import TemplateRegistry

TARGET_RATIO = 3.0
TARGET_RSS_MB = 300.0
SINCE = datetime(2025, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PRACTICE = "bench"
MONTH_LEN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
PEOPLE = ("rob", "mia", "paul")  # reviewers, one per level, never the assignee


def make_clients(n: int, seed: int = 7) -> list[Client]:
    """``n`` clients: 70% companies, 75% VAT-registered, 9% with a weekly payroll."""
    rng = random.Random(seed)
    types = (
        ["private_limited"] * 60
        + ["public_limited"] * 5
        + ["llp"] * 5
        + ["sole_trader"] * 20
        + ["partnership"] * 10
    )
    divisions = ["england_and_wales"] * 8 + ["scotland", "northern_ireland"]
    out: list[Client] = []
    for i in range(n):
        kind = rng.choice(types)
        month = rng.randint(1, 12)
        day = MONTH_LEN[month - 1] if rng.random() < 0.8 else rng.randint(1, 28)
        tags: list[str] = []
        data: dict[str, Any] = {
            "id": f"client-{i:05d}",
            "name": f"Client {i}",
            "company_type": kind,
            "year_end": {"month": month, "day": day},
            "bank_holidays": rng.choice(divisions),
        }
        if kind in ("private_limited", "public_limited", "llp"):
            data["incorporated"] = (
                date(2000, 1, 1) + timedelta(days=rng.randint(0, 8765))
            ).isoformat()
        r = rng.random()
        if r < 0.05:
            data["vat"] = {"annual_accounting": True, "year_end_month": rng.randint(1, 12)}
        elif r < 0.75:
            data["vat"] = {"stagger": rng.choice([0, 1, 1, 2, 2, 3, 3])}
        if "vat" in data:
            tags.append("vat")
        if rng.random() < 0.09:
            data["payroll"] = {"frequency": "weekly"}
            tags.append("weekly-payroll")
        data["tags"] = tags
        out.append(Client.model_validate(data))
    return out


PAYROLL_TEMPLATE: dict[str, Any] = {
    "apiVersion": "workflowkit/v1",
    "kind": "WorkflowTemplate",
    "id": "weekly-payroll",
    "name": "Weekly payroll",
    "version": "1.0.0",
    "checks": [
        {"id": "hours-received", "title": "Hours and changes received from the client"},
        {"id": "starters-leavers", "title": "Starters and leavers processed"},
        {"id": "payslips", "title": "Payslips produced and checked against last week"},
        {"id": "fps-submitted", "title": "FPS submitted to HMRC"},
    ],
    "review": {"levels": [{"role": "reviewer", "title": "Payroll review"}]},
}

# (id, template, clients, repeating): the reviewers come from the template's levels.
WORKFLOWS: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    (
        "monthly-bookkeeping",
        "monthly-bookkeeping",
        {"all": True},
        {
            "trigger": {"cron": "0 9 5 * *", "period": "previous_month"},
            "due": {"within": {"days": 10}},
        },
    ),
    (
        "vat-returns",
        "vat-return-preparation",
        {"tags": ["vat"]},
        {
            "trigger": {"event": "vat_period_end"},
            "create": {"after_period_end": {"days": 7}},
            "due": {"deadline": "vat_return", "offset": {"days": -5}},
        },
    ),
    (
        "year-end-accounts",
        "year-end-accounts",
        {"all": True, "company_types": ["private_limited", "public_limited", "llp"]},
        {
            "trigger": {"event": "year_end"},
            "create": {"after_period_end": {"days": 14}},
            "due": {"deadline": "companies_house_accounts"},
        },
    ),
    (
        "weekly-payroll",
        "weekly-payroll",
        {"tags": ["weekly-payroll"]},
        {
            "trigger": {"cron": "0 7 * * 1", "period": "previous_week"},
            "due": {"within": {"days": 2}},
        },
    ),
)


def make_practice(n: int) -> Practice:
    registry = TemplateRegistry([WorkflowTemplate.model_validate(PAYROLL_TEMPLATE)])
    workflows: list[Workflow] = []
    for wid, template, clients, repeating in WORKFLOWS:
        levels = registry.get(template, "^1").review.levels
        workflows.append(
            Workflow.model_validate(
                {
                    "apiVersion": "workflowkit/v1",
                    "kind": "Workflow",
                    "id": wid,
                    "name": wid,
                    "template": {"id": template, "version": "^1"},
                    "clients": clients,
                    "assignee": "alice",
                    "reviewers": list(PEOPLE[: len(levels)]),
                    "repeating": repeating,
                }
            )
        )
    return Practice(clients=tuple(make_clients(n)), workflows=tuple(workflows), templates=registry)


def rss_now_mb() -> float:
    """The current resident set size (Linux ``/proc``; 0 where it cannot be read)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover
        pass
    return 0.0


def peak_rss_mb() -> float:
    """This process's peak RSS (``ru_maxrss``: KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------------------------
# The run, in a child process of its own
# ---------------------------------------------------------------------------------


def run_phase(n: int, db: Path, profile: str | None) -> dict[str, Any]:
    """Build the practice, run the year into a fresh store at ``db``: the figures."""
    t = time.perf_counter()
    practice = make_practice(n)
    build_s = time.perf_counter() - t
    rss_before = rss_now_mb()
    commits: list[float] = []

    def progress(done: int, total: int) -> None:
        commits.append(time.perf_counter())

    profiler: Any = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    with SQLiteEventStore(db) as store:
        t0 = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = run(practice, store, now=NOW, since=SINCE, name=PRACTICE, progress=progress)
        if profiler is not None:
            profiler.disable()
        run_s = time.perf_counter() - t0
        cursor = store.cursor(PRACTICE)
    if profiler is not None:
        profiler.dump_stats(profile)
    counts = report.counts()
    if report.skipped:
        raise AssertionError(
            f"the run skipped {len(report.skipped)}: {report.skipped[0].code} "
            f"{report.skipped[0].message}"
        )
    if counts["started"] == 0 or counts["started"] != len(report.entries):
        raise AssertionError(f"the run did not start everything it found: {counts}")
    if cursor != NOW:
        raise AssertionError(f"the cursor is {cursor}, not {NOW}")
    by_workflow: dict[str, int] = {}
    for e in report.entries:
        by_workflow[e.workflow] = by_workflow.get(e.workflow, 0) + 1
    return {
        "instances": counts["started"],
        "skipped": len(report.skipped),
        "by_workflow": by_workflow,
        "build_practice_s": build_s,
        "run_s": run_s,
        "first_commit_s": commits[0] - t0 if commits else None,
        "batches": len(commits),
        "rss_before_run_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_in_child(n: int, db: Path, profile: str | None) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--clients", str(n)]
    command += ["--child-run", str(db)]
    if profile:
        command += ["--profile", profile]
    child = subprocess.run(command, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise SystemExit(f"the run phase failed (exit {child.returncode}):\n{child.stderr}")
    return dict(json.loads(child.stdout.strip().splitlines()[-1]))


# ---------------------------------------------------------------------------------
# The floor: plain sqlite3 inserting the same rows
# ---------------------------------------------------------------------------------

Rows = list[tuple[Any, ...]]


def rows_of(db: Path) -> tuple[Rows, Rows, Rows, Rows, Rows]:
    """The rows the run wrote, in the order it wrote them (instances' rowid order)."""
    conn = sqlite3.connect(db)
    try:
        instances = conn.execute("SELECT * FROM instances ORDER BY rowid").fetchall()
        events = conn.execute(
            "SELECT e.* FROM events e JOIN instances i ON i.id = e.instance_id ORDER BY i.rowid"
        ).fetchall()
        occurrences = conn.execute(
            "SELECT o.* FROM occurrences o JOIN instances i ON i.id = o.instance_id "
            "ORDER BY i.rowid"
        ).fetchall()
        templates = conn.execute("SELECT * FROM templates").fetchall()
        cursors = conn.execute("SELECT * FROM cursors").fetchall()
    finally:
        conn.close()
    if not len(instances) == len(events) == len(occurrences):
        raise AssertionError("the run's store does not hold one event per started instance")
    return instances, events, occurrences, templates, cursors


def _insert(table: str, rows: Rows) -> str:
    return f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})"


def floor(db: Path, rows: tuple[Rows, Rows, Rows, Rows, Rows], batch: int) -> float:
    """Seconds to insert ``rows`` into a fresh store file at ``db``, batch by batch."""
    SQLiteEventStore(db).close()  # the store's own schema, nothing in it
    instances, events, occurrences, templates, cursors = rows
    sql_i, sql_e, sql_o = (
        _insert("instances", instances),
        _insert("events", events),
        _insert("occurrences", occurrences),
    )
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise AssertionError("the floor cannot use WAL mode")
        t0 = time.perf_counter()
        total = len(instances)
        for a in range(0, total, batch):
            b = a + batch
            conn.execute("BEGIN IMMEDIATE")
            if a == 0:
                conn.executemany("INSERT OR IGNORE INTO templates VALUES (?, ?)", templates)
            conn.executemany(sql_i, instances[a:b])
            conn.executemany(sql_e, events[a:b])
            conn.executemany(sql_o, occurrences[a:b])
            if b >= total:
                conn.executemany("INSERT INTO cursors VALUES (?, ?)", cursors)
            conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="200 clients (a smoke run)")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--floor-repeats", type=int, default=None, help="default 3 (quick: 1)")
    parser.add_argument(
        "--profile", default=None, help="write a cProfile of the run phase to this file"
    )
    parser.add_argument("--child-run", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n = args.clients or (200 if args.quick else 10_000)

    if args.child_run is not None:  # the run phase, in its own process
        print(json.dumps(run_phase(n, Path(args.child_run), args.profile)))
        return 0

    repeats = max(1, args.floor_repeats or (1 if args.quick else 3))
    with tempfile.TemporaryDirectory(prefix="wk-run-bench-") as tmp:
        ran = run_in_child(n, Path(tmp) / "run.db", args.profile)
        rows = rows_of(Path(tmp) / "run.db")
        if len(rows[0]) != ran["instances"]:
            raise AssertionError("the store holds a different number of instances")
        floors = [floor(Path(tmp) / f"floor-{k}.db", rows, BATCH) for k in range(repeats)]
        body_bytes = sum(len(r[-1]) for r in rows[1]) / len(rows[1])
        del rows
    floor_s = statistics.median(floors)
    run_s = ran["run_s"]
    ratio = run_s / floor_s
    rss = ran["peak_rss_mb"]
    met = {"vs_floor": ratio <= TARGET_RATIO, "peak_rss": rss <= TARGET_RSS_MB}
    print(
        json.dumps(
            {
                "benchmark": "run",
                "quick": args.quick,
                "clients": n,
                "workflows": len(WORKFLOWS),
                "window": [SINCE.isoformat(), NOW.isoformat()],
                "instances": ran["instances"],
                "by_workflow": ran["by_workflow"],
                "skipped": ran["skipped"],
                "batch": BATCH,
                "batches": ran["batches"],
                "run_s": round(run_s, 3),
                "run_instances_per_s": round(ran["instances"] / run_s),
                "run_first_commit_s": round(ran["first_commit_s"] or 0.0, 3),
                "build_practice_s": round(ran["build_practice_s"], 3),
                "floor_s": round(floor_s, 3),
                "floor_runs_s": [round(f, 3) for f in floors],
                "floor_instances_per_s": round(ran["instances"] / floor_s),
                "floor": "plain sqlite3: the same rows, batches and PRAGMAs (WAL, FULL)",
                "event_body_bytes": round(body_bytes),
                "ratio_vs_floor": round(ratio, 2),
                "target_ratio": TARGET_RATIO,
                "rss_before_run_mb": round(ran["rss_before_run_mb"], 1),
                "peak_rss_mb": round(rss, 1),
                "target_rss_mb": TARGET_RSS_MB,
                "bench_peak_rss_mb": round(peak_rss_mb(), 1),
                "profiled": bool(args.profile),
                "met": all(met.values()),
                "met_by_target": met,
                "python": sys.version.split()[0],
                "sqlite": sqlite3.sqlite_version,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
