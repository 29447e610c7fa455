"""`run` across real processes: exactly once when several run at the same moment, and
when one is SIGKILLed, between batches or at any point at all.

- Four `workflowkit run` processes started together on one fresh store (and four API
  workers released by a barrier, five occurrences a batch): every occurrence has one
  instance, and the processes' reports share the starting between them, each
  occurrence `started` by exactly one of them and `existed` for the others.
- A run SIGKILLed right after its third batch leaves those batches committed and the
  cursor where it was; the rerun starts just the rest.
- A run SIGKILLed after a random delay (inside a transaction, during an fsync, while
  opening or migrating a new file, ...) leaves a sound store: the cursor has moved only if
  everything was started, and the rerun ends with exactly the expected set, once each.
- Processes opening a store file nobody has made yet, at the same moment (runs from cron
  on several machines, the first time): each should get the store. Two ways they do not
  yet are reproduced deterministically, as strict xfails.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from workflowkit.calendar import Practice, load_practice
from workflowkit.calendar.plan import Occurrence
from workflowkit.review import verify
from workflowkit.run import instance_id, occurrences_between, run
from workflowkit.store import SchemaVersionError, SQLiteEventStore, StoreUnavailableError

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="uses fork and SIGKILL",
)

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
SINCE = datetime(2026, 1, 1, tzinfo=UTC)
MIDYEAR = datetime(2026, 7, 1, tzinfo=UTC)
NOW = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
SINCE_ARG = "2026-01-01"
NOW_ARG = NOW.isoformat()  # 2026-12-31T23:00:00+00:00
PROCESSES = 4
BATCH = 5
TIMEOUT = 60.0
CTX = multiprocessing.get_context("fork")

# A run through the API in a child process, to be killed. argv: practice, store, now,
# since (or "-" for the store's cursor), batch, and the batch after which it SIGKILLs
# itself (0: never). It prints "ready" before it opens the store and "batch N" after each batch.
CHILD = """
import os, signal, sys
from datetime import datetime
from workflowkit.calendar import load_practice
from workflowkit.run import run
from workflowkit.store import SchemaVersionError, SQLiteEventStore, StoreUnavailableError

practice_dir, db, now, since, batch, kill_after = sys.argv[1:7]
practice = load_practice(practice_dir)
batches = 0

def progress(done, total):
    global batches
    batches += 1
    print(f"batch {batches}", flush=True)
    if batches == int(kill_after):
        os.kill(os.getpid(), signal.SIGKILL)

print("ready", flush=True)
with SQLiteEventStore(db) as store:
    run(
        practice,
        store,
        now=datetime.fromisoformat(now),
        since=None if since == "-" else datetime.fromisoformat(since),
        batch=int(batch),
        progress=progress,
    )
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def practice() -> Practice:
    return load_practice(PRACTICE)


def planned(practice: Practice, since: datetime = SINCE) -> list[Occurrence]:
    """The occurrences created in (since, NOW], in the order `run` starts them."""
    found, skipped = occurrences_between(practice, since, NOW)
    assert not skipped
    return found


@pytest.fixture(scope="module")
def expected(practice: Practice) -> dict[str, str]:
    """Occurrence key -> the id of its instance, for every occurrence in (SINCE, NOW]."""
    occurrences = practice.catch_up(SINCE, NOW)
    out = {o.key: instance_id(o) for o in occurrences}
    assert len(out) == len(occurrences) > 100  # keys are distinct; the year is busy
    assert set(out) == {o.key for o in planned(practice)}
    return out


def cli_command(db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "workflowkit",
        "run",
        str(PRACTICE),
        "--db",
        str(db),
        "--now",
        NOW_ARG,
        "--format",
        "json",
        *extra,
    ]


def assert_clean(returncode: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    assert returncode == 0, stderr


def run_cli(db: Path, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        cli_command(db, *extra), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert_clean(done.returncode, done.stderr)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def row_counts(db: Path) -> tuple[int, int, int]:
    """Rows in occurrences, instances and events, read with plain sqlite3."""
    con = sqlite3.connect(db)
    try:
        return (
            con.execute("SELECT count(*) FROM occurrences").fetchone()[0],
            con.execute("SELECT count(*) FROM instances").fetchone()[0],
            con.execute("SELECT count(*) FROM events").fetchone()[0],
        )
    finally:
        con.close()


def stored(db: Path, expected: dict[str, str]) -> tuple[dict[str, str], datetime | None]:
    """The expected occurrences the store has (key -> instance id) and its cursor, after
    checking the file is sound and holds nothing else."""
    with SQLiteEventStore(db, create=False) as store:
        assert store.integrity() == "ok"
        found = store.occurrences(expected)
        cursor = store.cursor("default")
    for key, iid in found.items():
        assert iid == expected[key], key
    n = len(found)
    assert row_counts(db) == (n, n, n)  # one instance and one start event per occurrence
    return found, cursor


def assert_exactly_once(db: Path, expected: dict[str, str]) -> None:
    """Every expected occurrence has its one instance, its trail sound; the cursor at NOW."""
    found, cursor = stored(db, expected)
    assert found == expected
    assert cursor == NOW
    with SQLiteEventStore(db, create=False) as store:
        for iid in expected.values():
            events = store.load(iid)
            assert len(events) == 1 and events[0].type == "start"
            verify(events, head=store.get(iid).head, instance=iid)


def assert_shared_out(reports: list[dict[str, Any]], expected: dict[str, str]) -> None:
    """Across the reports of runs at once, each occurrence started by exactly one."""
    started: Counter[str] = Counter()
    for report in reports:
        c = report["counts"]
        assert c["skipped"] == c["covered"] == c["would_start"] == 0, c
        assert c["started"] + c["existed"] == len(expected), c
        outcome = {e["key"]: e["outcome"] for e in report["entries"]}
        assert outcome.keys() == expected.keys()
        started.update(k for k, v in outcome.items() if v == "started")
        for e in report["entries"]:
            assert e["instance"] == expected[e["key"]]
        assert report["cursor_after"] == NOW_ARG
    assert sum(r["counts"]["started"] for r in reports) == len(expected)
    assert started == Counter(expected.keys())  # each started once, by one of them


# --- several processes at once ----------------------------------------------------------


def test_cli_runs_at_once_start_each_occurrence_once(
    tmp_path: Path, expected: dict[str, str]
) -> None:
    db = tmp_path / "store.db"  # fresh: the processes also race to create and migrate it
    command = cli_command(db, "--since", SINCE_ARG)
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=TIMEOUT)
        assert_clean(proc.returncode, err)
        reports.append(json.loads(out))
    assert_shared_out(reports, expected)
    assert_exactly_once(db, expected)


def _api_worker(db: str, since: datetime, barrier: Any, out: str) -> None:
    practice = load_practice(PRACTICE)
    with SQLiteEventStore(db, timeout=TIMEOUT) as store:
        barrier.wait(TIMEOUT)  # all plan and write at once, five occurrences a transaction
        report = run(practice, store, now=NOW, since=since, batch=BATCH)
    Path(out).write_text(json.dumps(report.to_dict()), encoding="utf-8")


def test_api_runs_at_once_in_small_batches_start_each_occurrence_once(
    tmp_path: Path, expected: dict[str, str]
) -> None:
    db = tmp_path / "store.db"
    # Made here, not by the workers: opening a new file at the same moment is racy in
    # itself (see the last section); this test is about the runs.
    SQLiteEventStore(db).close()
    barrier = CTX.Barrier(PROCESSES)
    outs = [tmp_path / f"report-{n}.json" for n in range(PROCESSES)]
    workers = [
        CTX.Process(target=_api_worker, args=(str(db), SINCE, barrier, str(out))) for out in outs
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(TIMEOUT)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    reports = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    assert_shared_out(reports, expected)
    assert_exactly_once(db, expected)
    print("started by each worker:", [r["counts"]["started"] for r in reports])


# --- killed between batches -------------------------------------------------------------


def start_child(db: Path, since: datetime | None, kill_after: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(PRACTICE),
            str(db),
            NOW_ARG,
            "-" if since is None else since.isoformat(),
            str(BATCH),
            str(kill_after),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(proc: subprocess.Popen[str], line: str) -> None:
    """Read the child's output up to ``line`` (it must get there)."""
    assert proc.stdout is not None
    while True:
        got = proc.stdout.readline()
        if got.strip() == line:
            return
        if not got:
            _, err = proc.communicate(timeout=TIMEOUT)
            pytest.fail(f"the child ended ({proc.returncode}) before {line!r}:\n{err}")


@pytest.mark.parametrize("earlier", [None, MIDYEAR], ids=["first-run", "after-a-run"])
def test_a_run_killed_after_its_third_batch_is_finished_by_the_next(
    tmp_path: Path, practice: Practice, expected: dict[str, str], earlier: datetime | None
) -> None:
    db = tmp_path / "store.db"
    before: dict[str, str] = {}
    if earlier is not None:  # a run up to mid-year: the cursor is there
        with SQLiteEventStore(db) as store:
            run(practice, store, now=earlier, since=SINCE)
        before, cursor = stored(db, expected)
        assert cursor == earlier and 0 < len(before) < len(expected)
    window = planned(practice, earlier or SINCE)  # what the killed run has to start
    assert {o.key for o in window} == expected.keys() - before.keys()
    assert len(window) > 3 * BATCH

    proc = start_child(db, None if earlier else SINCE, kill_after=3)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGKILL, err
    assert out.split() == ["ready", "batch", "1", "batch", "2", "batch", "3"]

    found, cursor = stored(db, expected)  # opens fine, sound
    assert cursor == earlier  # not moved
    committed = {o.key for o in window[: 3 * BATCH]}  # the first three batches, no more
    assert found.keys() == before.keys() | committed

    report = run_cli(db) if earlier else run_cli(db, "--since", SINCE_ARG)
    outcome = {e["key"]: e["outcome"] for e in report["entries"]}
    assert outcome == {o.key: "existed" if o.key in committed else "started" for o in window}
    assert report["counts"]["started"] == len(window) - 3 * BATCH
    assert report["counts"]["existed"] == 3 * BATCH
    assert report["counts"]["skipped"] == 0
    assert report["cursor_before"] == (None if earlier is None else earlier.isoformat())
    assert report["cursor_after"] == NOW_ARG
    assert_exactly_once(db, expected)


# --- killed at any point ----------------------------------------------------------------

TRIALS = 6


def test_a_run_killed_at_a_random_point_is_finished_by_the_next(
    tmp_path: Path, practice: Practice, expected: dict[str, str]
) -> None:
    rng = random.Random(20261231)  # the same delays every time; where they land varies
    seen: list[tuple[float, int | None, int]] = []
    for trial in range(TRIALS):
        db = tmp_path / f"store-{trial}.db"
        proc = start_child(db, SINCE)
        # Even trials count from just before the store is opened (so a kill may land while
        # the new file is created and migrated, or while planning); odd ones from the first
        # committed batch (so it lands among the writes: in a transaction, an fsync, ...).
        if trial % 2 == 0:
            wait_for(proc, "ready")
            delay = rng.uniform(0.05, 0.6)
        else:
            wait_for(proc, "batch 1")
            delay = rng.uniform(0.0, 0.25)
        time.sleep(delay)
        proc.kill()
        _, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode in (-signal.SIGKILL, 0), err  # 0: it finished first
        assert "Traceback" not in err, err

        if db.exists():
            found, cursor = stored(db, expected)  # opens fine, sound
        else:
            found, cursor = {}, None
        if cursor is not None:  # the cursor moves with the last batch only
            assert cursor == NOW and found == expected
        seen.append((round(delay, 3), proc.returncode, len(found)))

        with SQLiteEventStore(db) as store:
            report = run(practice, store, now=NOW, since=SINCE)
        assert {e.key: e.outcome for e in report.entries} == {
            k: "existed" if k in found else "started" for k in expected
        }, seen
        assert not report.skipped
        assert_exactly_once(db, expected)
    print("kills (delay, returncode, instances left):", seen)


# --- opening a new store at the same moment ---------------------------------------------
# Four processes released by a barrier to open one new file fail about one round in twenty
# (StoreUnavailableError "database is locked", or SchemaVersionError "not a workflowkit
# store"); the CLI hides it behind its start-up time. The two causes, made deterministic:


@pytest.mark.xfail(
    strict=True,
    raises=SchemaVersionError,
    reason="src bug: migrate() reads user_version, application_id and the table count in "
    "three separate statements; another opener committing its first migration in between "
    "makes the file look like a foreign SQLite database",
)
def test_a_store_another_process_migrates_meanwhile_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    real_connect = sqlite3.connect
    raced: list[str] = []

    class Racing(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if "sqlite_master" in sql and not raced:
                raced.append(sql)
                # after this opener read the version (0) and id (0) of the new file, and
                # before it counts its tables, another process creates the store
                try:
                    SQLiteEventStore(db, timeout=0.5).close()
                except StoreUnavailableError:  # this opener's lock keeps it out: no race
                    raced.append("blocked")
            return super().execute(sql, *args)

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        if not raced:
            kwargs["factory"] = Racing
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    try:
        with SQLiteEventStore(db) as store:
            assert store.cursor("default") is None
    finally:
        monkeypatch.undo()
    if not raced or "blocked" in raced:
        pytest.skip("opening reads the schema apart from writers now: the race is gone")
    assert row_counts(db) == (0, 0, 0)


@pytest.mark.xfail(
    strict=True,
    raises=StoreUnavailableError,
    reason="src bug: PRAGMA journal_mode = WAL on a new file another connection holds the "
    "write lock of fails at once with 'database is locked' (SQLite does not wait on the busy "
    "timeout there), so the store gives up instead of waiting its timeout",
)
def test_a_new_store_opens_once_another_opener_lets_go_of_it(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another opener is writing the new file
    release = threading.Timer(0.3, holder.execute, ("ROLLBACK",))
    release.start()
    try:
        began = time.monotonic()
        with SQLiteEventStore(db, timeout=10) as store:
            assert store.cursor("default") is None
        assert time.monotonic() - began >= 0.2  # it waited for the lock
    finally:
        release.join()
        holder.close()
