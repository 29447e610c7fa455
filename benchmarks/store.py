"""Benchmark: the event stores (SQLite and PostgreSQL) against raw inserts of their rows.

For each store:

- ``append_1``: one writer appending to its own instances: per instance a start event,
  then four events one append each (five transactions), in events per second.
- ``append_4``: four writer processes at once, each on instances of its own.
- ``materialise``: ``start_occurrences`` over 100,000 occurrences in batches of
  ``workflowkit.run.materialise.BATCH``, in occurrences per second.

The floor, in the same run and through the same driver: raw inserts of the same rows
(the events row and the summary row, one transaction per append; for materialising the
instances, events and occurrences rows and the template once, one transaction per batch),
with none of the store's reads or checks. Each figure comes with its ratio to its floor.

Targets on PostgreSQL: ``append_1`` at least 0.5x its floor, and ``append_4`` at least
2.5x ``append_1``.

PostgreSQL runs when ``--postgres URL`` or ``$WORKFLOWKIT_TEST_POSTGRES`` names a server
(each measurement in a schema of its own, dropped after); else its figures are null.
Prints one JSON line. ``--quick`` is a smoke run (small counts).

    python benchmarks/store.py --postgres postgresql://postgres@127.0.0.1:55432/wk
    python benchmarks/store.py --quick
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from workflowkit.review import AddComment, Event, apply, start
from workflowkit.run.materialise import BATCH
from workflowkit.store import PostgresEventStore, SQLiteEventStore, summarize
from workflowkit.store.packing import pack
from workflowkit.store.protocol import OccurrenceStart
from workflowkit.store.rows import SUMMARY_COLUMNS, event_row, start_template_hash, summary_row
from workflowkit.templates.resolve import ResolvedTemplate

T0 = datetime(2026, 1, 1, 9, tzinfo=UTC)
TEMPLATE = ResolvedTemplate.model_validate(
    {
        "id": "monthly",
        "name": "Monthly",
        "version": "1.0.0",
        "checks": [{"id": f"check-{i}", "title": f"Check {i}"} for i in range(15)],
        "review": {"levels": [{"role": "reviewer"}]},
    }
)
CTX = multiprocessing.get_context("fork")


def trail(client: str, n: int) -> list[Event]:
    """A start event and ``n`` comments on one instance."""
    inst, first = start(
        TEMPLATE,
        client=client,
        period="2026-01",
        assignee="ann",
        reviewers=("rob",),
        due=date(2026, 2, 7),
        at=T0,
        by="mia",
    )
    events = [first]
    for i in range(n):
        inst, ev = apply(inst, AddComment(text=f"note {i}", by="ann", at=T0 + timedelta(i + 1)))
        events.append(ev)
    return events


def trails(prefix: str, instances: int) -> list[list[Event]]:
    return [trail(f"{prefix}-{i:06d}", 4) for i in range(instances)]


# --- the stores ---------------------------------------------------------------------------


def store_append(open_store: Callable[[], Any], work: list[list[Event]]) -> float:
    with open_store() as store:
        t = time.perf_counter()
        for events in work:
            for e in events:
                store.append(e.instance, [e], e.version - 1)
        return time.perf_counter() - t


def _rows(work: list[list[Event]]) -> list[list[tuple[tuple[Any, ...], tuple[Any, ...]]]]:
    """Per append, (events row, summary row): what the store writes, made beforehand."""
    out = []
    for events in work:
        summary = None
        steps = []
        for e in events:
            summary = summarize(summary, e)
            row = event_row(e)
            body = pack(e, row[-2])[0]
            steps.append(((*row[:-2], body), summary_row(summary)))
        out.append(steps)
    return out


def sqlite_raw_append(path: str, rows: list[Any]) -> float:
    conn = sqlite3.connect(path, isolation_level=None, timeout=60)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
    ins = f"INSERT INTO instances ({_COLUMNS}) VALUES ({', '.join('?' * _WIDTH)})"
    sets = "UPDATE instances SET status = ?, level = ?, waiting_on = ?, version = ?, head = ?, "
    sets += "updated_at = ?, handed_back = ?, issues = ? WHERE id = ?"
    ev = "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    t = time.perf_counter()
    for steps in rows:
        for n, (erow, srow) in enumerate(steps):
            conn.execute("BEGIN IMMEDIATE")
            if n == 0:
                conn.execute(ins, srow)
            else:
                conn.execute(sets, _changed(srow))
            conn.execute(ev, erow)
            conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def pg_raw_append(url: str, rows: list[Any]) -> float:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    ins = (
        f"INSERT INTO instances ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, "
        "%s, %s::date, %s, %s, %s, %s, %s, %s::jsonb)"
    )
    sets = "UPDATE instances SET status = %s, level = %s, waiting_on = %s, version = %s, "
    sets += "head = %s, updated_at = %s, handed_back = %s, issues = %s::jsonb WHERE id = %s"
    ev = "INSERT INTO events VALUES (%s, %s, %s, %s, %s::timestamptz, %s, %s, %s)"
    t = time.perf_counter()
    for steps in rows:
        for n, (erow, srow) in enumerate(steps):
            with conn.transaction():
                if n == 0:
                    conn.execute(ins, srow)
                else:
                    conn.execute(sets, _changed(srow))
                conn.execute(ev, erow)
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def in_parallel(target: Callable[..., float], jobs: list[tuple[Any, ...]]) -> float:
    """Wall time for ``target(*job)`` in one process per job, started together."""
    barrier = CTX.Barrier(len(jobs) + 1)
    done = CTX.Queue()

    def child(*args: Any) -> None:
        barrier.wait()
        target(*args)
        done.put(time.perf_counter())

    procs = [CTX.Process(target=child, args=job) for job in jobs]
    for p in procs:
        p.start()
    barrier.wait()
    t = time.perf_counter()
    ends = [done.get(timeout=3600) for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a writer failed (exit {p.exitcode})")
    return max(ends) - t


def starts_for(n: int) -> list[OccurrenceStart]:
    out = []
    for i in range(n):
        _, event = start(
            TEMPLATE,
            client=f"client-{i:06d}",
            period="2026-01",
            assignee="ann",
            reviewers=("rob",),
            due=date(2026, 2, 7),
            at=T0,
            by="workflowkit-run",
        )
        out.append(
            OccurrenceStart(key=f"monthly:client-{i:06d}:2026-01", workflow="m", event=event)
        )
    return out


def store_materialise(open_store: Callable[[], Any], starts: list[OccurrenceStart]) -> float:
    with open_store() as store:
        t = time.perf_counter()
        for i in range(0, len(starts), BATCH):
            store.start_occurrences("p", starts[i : i + BATCH], cursor=T0)
        return time.perf_counter() - t


def _start_rows(starts: list[OccurrenceStart]) -> tuple[list[Any], list[Any], list[Any], Any]:
    summaries, events, occurrences, template = [], [], [], None
    for s in starts:
        e = s.event
        row = event_row(e)
        body, digest, text = pack(e, row[-2])
        template = (digest, text)
        summaries.append(summary_row(summarize(None, e)))
        events.append((*row[:-2], body))
        occurrences.append((s.key, "p", s.workflow, e.instance, start_template_hash(e), row[4]))
    return summaries, events, occurrences, template


def sqlite_raw_materialise(path: str, starts: list[OccurrenceStart]) -> float:
    summaries, events, occurrences, template = _start_rows(starts)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
    t = time.perf_counter()
    for i in range(0, len(starts), BATCH):
        conn.execute("BEGIN IMMEDIATE")
        if i == 0:
            conn.execute("INSERT INTO templates VALUES (?, ?)", template)
        conn.executemany(
            f"INSERT INTO instances ({_COLUMNS}) VALUES ({', '.join('?' * _WIDTH)})",
            summaries[i : i + BATCH],
        )
        conn.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", events[i : i + BATCH]
        )
        conn.executemany(
            "INSERT INTO occurrences VALUES (?, ?, ?, ?, ?, ?)", occurrences[i : i + BATCH]
        )
        conn.execute("INSERT OR REPLACE INTO cursors VALUES ('p', ?)", (T0.isoformat(),))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


def pg_raw_materialise(url: str, starts: list[OccurrenceStart]) -> float:
    import psycopg

    summaries, events, occurrences, template = _start_rows(starts)
    conn = psycopg.connect(url, autocommit=True)
    t = time.perf_counter()
    for i in range(0, len(starts), BATCH):
        with conn.transaction(), conn.cursor() as cur:
            if i == 0:
                cur.execute("INSERT INTO templates VALUES (%s, %s)", template)
            with cur.copy(f"COPY instances ({_COLUMNS}) FROM STDIN") as copy:
                for r in summaries[i : i + BATCH]:
                    copy.write_row(r)
            with cur.copy("COPY events FROM STDIN") as copy:
                for r in events[i : i + BATCH]:
                    copy.write_row(r)
            with cur.copy("COPY occurrences FROM STDIN") as copy:
                for r in occurrences[i : i + BATCH]:
                    copy.write_row(r)
            cur.execute(
                "INSERT INTO cursors VALUES ('p', %s) ON CONFLICT (practice) DO UPDATE "
                "SET until = excluded.until",
                (T0,),
            )
    elapsed = time.perf_counter() - t
    conn.close()
    return elapsed


_COLUMNS = SUMMARY_COLUMNS
_WIDTH = len(SUMMARY_COLUMNS.split(","))


def _changed(srow: tuple[Any, ...]) -> tuple[Any, ...]:
    """What an append changes in a summary row: status, level, waiting_on, version, head,
    updated_at, handed_back and issues, then the id."""
    return (srow[7], srow[8], srow[9], srow[11], srow[12], srow[14], srow[15], srow[16], srow[0])


# --- fresh databases ----------------------------------------------------------------------


@contextmanager
def sqlite_db(tmp: str) -> Iterator[str]:
    path = os.path.join(tmp, f"{uuid.uuid4().hex}.db")
    SQLiteEventStore(path).close()
    try:
        yield path
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)


@contextmanager
def pg_db(server: str) -> Iterator[str]:
    import psycopg

    schema = f"wk_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = f"{server}{'&' if '?' in server else '?'}options=-c%20search_path%3D{schema}"
    PostgresEventStore(url).close()
    try:
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def measure(kind: str, where: Any, instances: int, occurrences: int) -> dict[str, Any]:
    opener = SQLiteEventStore if kind == "sqlite" else PostgresEventStore
    raw_append = sqlite_raw_append if kind == "sqlite" else pg_raw_append
    raw_mat = sqlite_raw_materialise if kind == "sqlite" else pg_raw_materialise
    db = (lambda: sqlite_db(where)) if kind == "sqlite" else (lambda: pg_db(where))
    one = trails("one", instances)
    four = [trails(f"w{w}", instances) for w in range(4)]
    events_one = sum(len(t) for t in one)
    events_four = sum(len(t) for w in four for t in w)
    out: dict[str, Any] = {}

    with db() as url:
        store_s = store_append(lambda: opener(url), one)
    with db() as url:
        raw_s = raw_append(url, _rows(one))
    out["append_1"] = _figure(events_one / store_s, events_one / raw_s)

    with db() as url:
        store_s = in_parallel(store_append, [(lambda u=url: opener(u), w) for w in four])
    with db() as url:
        rows = [_rows(w) for w in four]
        raw_s = in_parallel(raw_append, [(url, r) for r in rows])
    out["append_4"] = _figure(events_four / store_s, events_four / raw_s)
    out["append_4_over_1"] = round(out["append_4"]["per_s"] / out["append_1"]["per_s"], 2)

    starts = starts_for(occurrences)
    with db() as url:
        store_s = store_materialise(lambda: opener(url), starts)
    with db() as url:
        raw_s = raw_mat(url, starts)
    out["materialise"] = _figure(occurrences / store_s, occurrences / raw_s)
    return out


def _figure(per_s: float, floor_per_s: float) -> dict[str, float]:
    return {
        "per_s": round(per_s, 1),
        "floor_per_s": round(floor_per_s, 1),
        "ratio_to_floor": round(per_s / floor_per_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="a smoke run (small counts)")
    p.add_argument("--postgres", default=os.environ.get("WORKFLOWKIT_TEST_POSTGRES"))
    args = p.parse_args(argv)
    instances = 20 if args.quick else 400
    occurrences = 500 if args.quick else 100_000
    result: dict[str, Any] = {
        "benchmark": "store",
        "quick": args.quick,
        "instances_per_writer": instances,
        "events_per_instance": 5,
        "occurrences": occurrences,
        "python": sys.version.split()[0],
    }
    with tempfile.TemporaryDirectory() as tmp:
        result["sqlite"] = measure("sqlite", tmp, instances, occurrences)
    result["postgres"] = (
        measure("postgres", args.postgres, instances, occurrences) if args.postgres else None
    )
    if result["postgres"]:
        pg = result["postgres"]
        result["targets"] = {
            "postgres_append_at_least_half_the_floor": pg["append_1"]["ratio_to_floor"] >= 0.5,
            "postgres_4_writers_at_least_2_5x": pg["append_4_over_1"] >= 2.5,
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
