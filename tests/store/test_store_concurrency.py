"""Several processes appending to one instance in one SQLite file.

- In lock-step rounds (all read the same version, then all append): exactly one winner
  per version, ``ConflictError`` for every other writer, nothing lost or duplicated.
- Free for all, with retries: every event lands exactly once, versions stay contiguous.
- A process killed in the middle of an append (inside the transaction, and at random
  moments of a busy loop) leaves the store readable and consistent, and unlocked.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from store_helpers import begin, comment

from workflowkit.review import replay, verify
from workflowkit.store import ConflictError, SQLiteEventStore

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods(),
    reason="uses fork and SIGKILL",
)
CTX = multiprocessing.get_context("fork")
WRITERS = 4
ROUNDS = 8
TIMEOUT = 60


def _new_store(path: Path) -> str:
    inst, first = begin()
    with SQLiteEventStore(path) as store:
        store.append(inst.id, [first], 0)
    return inst.id


def _check_consistent(path: Path, instance_id: str) -> list[Any]:
    with SQLiteEventStore(path) as store:
        assert store.integrity() == "ok"
        events = store.load(instance_id)
        summary = store.get(instance_id)
        verify(events, head=summary.head, instance=instance_id)
        assert [e.version for e in events] == list(range(1, len(events) + 1))
        assert summary.version == len(events)
        assert replay(events).version == len(events)
        return events


# --- lock-step rounds --------------------------------------------------------------------


def _lockstep_writer(path: str, instance_id: str, me: int, barrier: Any, out: Any) -> None:
    with SQLiteEventStore(path, timeout=TIMEOUT) as store:
        for r in range(ROUNDS):
            inst = replay(store.load(instance_id))
            _, event = comment(inst, f"writer {me} round {r}", minutes=r)
            barrier.wait(TIMEOUT)  # everyone has read the same version
            try:
                store.append(instance_id, [event], inst.version)
                out.put((r, me, "won", event.version))
            except ConflictError as exc:
                assert exc.expected == inst.version and exc.actual == inst.version + 1
                out.put((r, me, "conflict", inst.version + 1))
            barrier.wait(TIMEOUT)  # the round is over for everyone


def test_one_winner_per_version_and_a_conflict_for_the_others(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    instance_id = _new_store(path)
    barrier = CTX.Barrier(WRITERS)
    out = CTX.Queue()
    procs = [
        CTX.Process(target=_lockstep_writer, args=(str(path), instance_id, me, barrier, out))
        for me in range(WRITERS)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=TIMEOUT) for _ in range(WRITERS * ROUNDS)]
    for p in procs:
        p.join(TIMEOUT)
        assert p.exitcode == 0
    for r in range(ROUNDS):
        this_round = [x for x in results if x[0] == r]
        winners = [x for x in this_round if x[2] == "won"]
        assert len(winners) == 1, this_round
        assert sum(1 for x in this_round if x[2] == "conflict") == WRITERS - 1
        assert {x[3] for x in this_round} == {r + 2}  # everyone raced for the same version
    events = _check_consistent(path, instance_id)
    assert len(events) == 1 + ROUNDS
    written = [e.command.text for e in events[1:]]  # type: ignore[union-attr]
    expected = [f"writer {me} round {r}" for r, me, how, _ in sorted(results) if how == "won"]
    assert written == expected  # every winner's event, once; no loser's


# --- free for all, with retries ------------------------------------------------------------

EACH = 12


def _retrying_writer(path: str, instance_id: str, me: int, out: Any) -> None:
    conflicts = 0
    with SQLiteEventStore(path, timeout=TIMEOUT) as store:
        for n in range(EACH):
            while True:
                inst = replay(store.load(instance_id))
                _, event = comment(inst, f"writer {me} note {n}", minutes=n)
                try:
                    store.append(instance_id, [event], inst.version)
                    break
                except ConflictError:
                    conflicts += 1
    out.put(conflicts)


def test_concurrent_writers_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    instance_id = _new_store(path)
    out = CTX.Queue()
    procs = [
        CTX.Process(target=_retrying_writer, args=(str(path), instance_id, me, out))
        for me in range(WRITERS)
    ]
    for p in procs:
        p.start()
    reports = [out.get(timeout=TIMEOUT) for _ in procs]  # every writer finished its share
    for p in procs:
        p.join(TIMEOUT)
        assert p.exitcode == 0
    events = _check_consistent(path, instance_id)
    texts = [e.command.text for e in events[1:]]  # type: ignore[union-attr]
    assert sorted(texts) == sorted(
        f"writer {me} note {n}" for me in range(WRITERS) for n in range(EACH)
    )
    assert len(set(texts)) == len(texts) == WRITERS * EACH
    for me in range(WRITERS):  # each writer's own events keep their order
        mine = [t for t in texts if t.startswith(f"writer {me} ")]
        assert mine == [f"writer {me} note {n}" for n in range(EACH)]
    assert len(reports) == WRITERS and all(isinstance(c, int) for c in reports)


# --- killed in the middle ---------------------------------------------------------------------


class _StallingStore(SQLiteEventStore):
    """Writes the rows, then says so and waits to be killed, before the commit."""

    ready: Any = None

    def _write(self, *args: Any, **kwargs: Any) -> None:
        super()._write(*args, **kwargs)
        os.write(self.ready, b"x")
        time.sleep(TIMEOUT)


def _stalling_writer(path: str, instance_id: str, ready: int) -> None:
    store = _StallingStore(path, timeout=TIMEOUT)
    store.ready = ready
    inst = replay(store.load(instance_id))
    _, event = comment(inst, "never committed")
    store.append(instance_id, [event], inst.version)


def test_a_writer_killed_inside_its_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    instance_id = _new_store(path)
    before = _check_consistent(path, instance_id)
    read, write = os.pipe()
    p = CTX.Process(target=_stalling_writer, args=(str(path), instance_id, write))
    p.start()
    assert os.read(read, 1) == b"x"  # the events and summary are written, not committed
    os.kill(p.pid, signal.SIGKILL)  # type: ignore[arg-type]
    p.join(TIMEOUT)
    assert p.exitcode == -signal.SIGKILL
    os.close(read)
    os.close(write)
    after = _check_consistent(path, instance_id)
    assert after == before
    # The write lock died with the process: the next writer goes straight through.
    with SQLiteEventStore(path, timeout=5) as store:
        inst = replay(store.load(instance_id))
        _, event = comment(inst, "after the crash")
        assert store.append(instance_id, [event], inst.version) == 2


def _busy_writer(path: str, instance_id: str) -> None:
    with SQLiteEventStore(path, timeout=TIMEOUT) as store:
        inst = replay(store.load(instance_id))
        n = 0
        while True:
            inst, event = comment(inst, f"busy {n}", minutes=n % 1000)
            store.append(instance_id, [event], inst.version - 1)
            n += 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_writer_killed_at_a_random_moment_leaves_the_store_consistent(
    tmp_path: Path, seed: int
) -> None:
    path = tmp_path / f"random-{seed}.db"
    instance_id = _new_store(path)
    p = CTX.Process(target=_busy_writer, args=(str(path), instance_id))
    p.start()
    time.sleep(0.15 + random.Random(seed).random() * 0.25)
    os.kill(p.pid, signal.SIGKILL)  # type: ignore[arg-type]
    p.join(TIMEOUT)
    events = _check_consistent(path, instance_id)
    assert len(events) >= 1
    texts = [e.command.text for e in events[1:]]  # type: ignore[union-attr]
    assert texts == [f"busy {n}" for n in range(len(texts))]  # a prefix, nothing torn
    with SQLiteEventStore(path, timeout=5) as store:
        inst = replay(events)
        _, event = comment(inst, "after the crash")
        assert store.append(instance_id, [event], inst.version) == inst.version + 1
