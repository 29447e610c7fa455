"""What only the SQLite store does: WAL mode, its file, its migrations from older files.

What every store does (append, conflicts, queries, occurrences...) is in
``test_store_conformance.py``, run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import approve, begin, comment, run, to_review

from workflowkit.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    RejectedEventsError,
    SQLiteEventStore,
    StoreUnavailableError,
    migrate,
    summarize,
)
from workflowkit.store.migrations import APPLICATION_ID


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with SQLiteEventStore(tmp_path / "practice.db") as s:
        yield s


def test_the_file_is_in_wal_mode_and_sound(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    SQLiteEventStore(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    with SQLiteEventStore(path) as s:
        assert s.integrity() == "ok" and s.migrated_from == SCHEMA_VERSION


def test_summarize_refuses_a_trail_without_its_start() -> None:
    inst, first = begin()
    _, ev = comment(inst, "x")
    with pytest.raises(RejectedEventsError):
        summarize(None, ev)
    with pytest.raises(RejectedEventsError, match="second start"):
        summarize(summarize(None, first), first)


# --- opening and migrating ----------------------------------------------------------------


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreUnavailableError, match="not a usable store"):
        SQLiteEventStore(path)
    assert path.read_text().startswith("these are my notes")


def test_a_version_1_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), MIGRATIONS[:1])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    # Write an in-review instance the way version 1 stored it.
    inst, first = begin()
    inst, evs = run(inst, [*to_review(), approve("rob")])
    events = [first, *evs]
    conn.execute(
        "INSERT INTO instances (id, template_id, template_version, client, period, assignee,"
        " reviewers, status, level, due, version, head, started_at, updated_at) VALUES"
        " (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            inst.id,
            "monthly",
            "1.0.0",
            "acme",
            "2024-01",
            "ann",
            json.dumps(["rob", "rita"]),
            "in_review",
            1,
            "2024-02-07",
            inst.version,
            inst.head,
            first.at.isoformat(),
            inst.updated_at.isoformat(),
        ),
    )
    conn.executemany(
        "INSERT INTO events VALUES (?,?,?,?,?,?,?,?)",
        [
            (inst.id, e.version, e.type, e.by, e.at.isoformat(), e.prev, e.hash, e.to_json())
            for e in events
        ],
    )
    conn.close()
    with SQLiteEventStore(path) as s:
        assert s.migrated_from == 1
        assert s.load(inst.id) == events
        summary = s.get(inst.id)
        assert summary.waiting_on == "rita"  # backfilled from the reviewers and the level
        assert [x.id for x in s.instances(waiting_on="rita")] == [inst.id]
        inst, [ev] = run(inst, [approve("rita", 30)])
        s.append(inst.id, [ev], ev.version - 1)
        assert s.get(inst.id).locked
    with SQLiteEventStore(path) as s:
        assert s.migrated_from == SCHEMA_VERSION  # nothing left to do


def test_every_migration_is_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == SCHEMA_VERSION


def test_an_in_memory_store(tmp_path: Path) -> None:
    with SQLiteEventStore(":memory:") as s:
        inst, first = begin()
        s.append(inst.id, [first], 0)
        assert s.load(inst.id) == [first]
