"""Many workers on one PostgreSQL store, all at once.

- 4 processes materialise the same practice (``workflowkit.run``, small batches) while 4
  processes append to the same instances (retrying on ``ConflictError``): every
  occurrence has exactly one instance, every version one winner, nothing is lost or
  duplicated, and every chain verifies.
- A worker killed (SIGKILL) in the middle of a transaction leaves nothing behind, holds
  no lock for long, and the work it was doing can be done by the next worker.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from backends import PostgresBackend
from store_helpers import begin, comment

from workflowkit.calendar import load_practice
from workflowkit.review import replay, verify
from workflowkit.run import run as run_practice
from workflowkit.store import ConflictError, PostgresEventStore, open_store
from workflowkit.store import postgres as pg_store
from workflowkit.store.protocol import STARTED, OccurrenceStart

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="uses fork and SIGKILL",
)
CTX = multiprocessing.get_context("fork")
ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)
WORKERS = 4
WINS = 12  # appends each appender makes
TIMEOUT = 120


def _materialiser(url: str, barrier: Any, out: Any) -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    with PostgresEventStore(url) as store:
        barrier.wait()
        report = run_practice(practice, store, now=END, since=START, batch=20)
    out.put(("run", [e.key for e in report.started], len(report.existed)))


def _appender(url: str, ids: list[str], me: int, barrier: Any, out: Any) -> None:
    rng = random.Random(me)
    wins: list[tuple[str, int, str]] = []
    conflicts = 0
    with PostgresEventStore(url) as store:
        barrier.wait()
        while len(wins) < WINS:
            iid = rng.choice(ids)
            inst = replay(store.load(iid))
            text = f"worker {me} note {len(wins)}"
            inst, ev = comment(inst, text)
            try:
                store.append(iid, [ev], ev.version - 1)
            except ConflictError:
                conflicts += 1
                continue
            wins.append((iid, ev.version, text))
    out.put(("append", wins, conflicts))


def test_four_materialisers_and_four_appenders_at_once(pg_url: str) -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    with open_store(":memory:") as ref:
        run_practice(practice, ref, now=END, since=START)
        want = {s.id: s.head for s in ref.instances()}
        want_keys = {k for (k,) in ref._conn.execute("SELECT key FROM occurrences")}
    ids = []
    with PostgresEventStore(pg_url) as store:
        for n in range(3):
            inst, first = begin(f"shared-{n}")
            store.append(inst.id, [first], 0)
            ids.append(inst.id)
    barrier = CTX.Barrier(2 * WORKERS)
    out = CTX.Queue()
    procs = [CTX.Process(target=_materialiser, args=(pg_url, barrier, out)) for _ in range(WORKERS)]
    procs += [
        CTX.Process(target=_appender, args=(pg_url, ids, me, barrier, out)) for me in range(WORKERS)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=TIMEOUT) for _ in procs]
    for p in procs:
        p.join(TIMEOUT)
        assert p.exitcode == 0
    runs = [r for r in results if r[0] == "run"]
    appends = [r for r in results if r[0] == "append"]
    assert len(runs) == len(appends) == WORKERS

    # Every occurrence started exactly once, by exactly one worker.
    started = [k for _, keys, _ in runs for k in keys]
    assert len(started) == len(set(started)) == len(want_keys)
    assert set(started) == want_keys
    with PostgresEventStore(pg_url) as store:
        got = {s.id: s.head for s in store.instances() if not s.id.startswith("shared-")}
        assert got == want  # the same instances, byte for byte, as one run on SQLite
        assert store.occurrences(want_keys).keys() == want_keys
        for summary in store.instances(limit=40):
            verify(store.load(summary.id), head=summary.head, instance=summary.id)

        # Every version has one winner; nothing lost or duplicated.
        wins = [w for _, ws, _ in appends for w in ws]
        assert len(wins) == WORKERS * WINS
        assert len({(iid, v) for iid, v, _ in wins}) == len(wins)
        for iid in ids:
            events = store.load(iid)
            summary = store.get(iid)
            verify(events, head=summary.head, instance=iid)
            assert [e.version for e in events] == list(range(1, len(events) + 1))
            mine = sorted((v, text) for i, v, text in wins if i == iid)
            assert [(e.version, e.command.text) for e in events[1:]] == mine  # type: ignore[attr-defined]
            assert summary.version == len(events) == 1 + len(mine)


def _killed_in_the_middle(url: str, ready: Any) -> None:
    """Start two occurrences and stop, for good, inside the transaction."""
    real = pg_store.summary_row

    def hang(*args: Any) -> Any:
        ready.set()  # the occurrence keys and the template are written, not committed
        time.sleep(600)
        return real(*args)

    pg_store.summary_row = hang  # type: ignore[assignment]
    with PostgresEventStore(url) as store:
        store.start_occurrences("p", _starts(), cursor=END)


def _starts() -> list[OccurrenceStart]:
    return [
        OccurrenceStart(key=f"k-{client}", workflow="monthly", event=begin(client)[1])
        for client in ("acme", "globex")
    ]


def test_a_worker_killed_mid_transaction_leaves_nothing(pg_url: str) -> None:
    b = PostgresBackend(pg_url)
    b.open().close()
    ready = CTX.Event()
    p = CTX.Process(target=_killed_in_the_middle, args=(pg_url, ready))
    p.start()
    assert ready.wait(TIMEOUT)
    os.kill(p.pid, signal.SIGKILL)  # type: ignore[arg-type]
    p.join(TIMEOUT)
    assert p.exitcode == -signal.SIGKILL
    with PostgresEventStore(pg_url) as store:
        assert store.occurrences(s.key for s in _starts()) == {}
        assert store.cursor("p") is None and store.instances() == []
        # The dead worker's locks go with it: the next worker does the same work.
        out = store.start_occurrences("p", _starts(), cursor=END)
        assert set(out.values()) == {STARTED}
        for s in _starts():
            verify(store.load(s.event.instance), head=store.get(s.event.instance).head)
    counts = (
        b.execute("SELECT count(*) FROM templates")[0][0],
        b.execute("SELECT count(*) FROM events")[0][0],
    )
    assert counts == (1, 2)


def _busy_appender(url: str, iid: str) -> None:
    with PostgresEventStore(url) as store:
        n = 0
        while True:
            inst = replay(store.load(iid))
            inst, ev = comment(inst, f"busy {os.getpid()} {n}")
            try:
                store.append(iid, [ev], ev.version - 1)
            except ConflictError:
                continue
            n += 1


def test_workers_killed_at_random_moments_leave_a_consistent_store(pg_url: str) -> None:
    with PostgresEventStore(pg_url) as store:
        inst, first = begin()
        store.append(inst.id, [first], 0)
    rng = random.Random(7)
    for _ in range(4):
        procs = [CTX.Process(target=_busy_appender, args=(pg_url, inst.id)) for _ in range(2)]
        for p in procs:
            p.start()
        time.sleep(rng.uniform(0.3, 0.8))
        for p in procs:
            os.kill(p.pid, signal.SIGKILL)  # type: ignore[arg-type]
        for p in procs:
            p.join(TIMEOUT)
    with PostgresEventStore(pg_url) as store:
        events = store.load(inst.id)
        summary = store.get(inst.id)
        verify(events, head=summary.head, instance=inst.id)
        assert [e.version for e in events] == list(range(1, len(events) + 1))
        assert summary.version == len(events) > 1
        assert replay(events).version == len(events)
        _, ev = comment(replay(events), "after the kills")
        assert store.append(inst.id, [ev], len(events)) == len(events) + 1
