"""The SQLite event store: append, load, optimistic concurrency, queries, migrations."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from store_helpers import approve, at, begin, comment, run, to_review

from workflowkit.errors import NotFoundError
from workflowkit.review import (
    AddComment,
    HandBack,
    InvalidRecordError,
    Reassign,
    TamperError,
    replay,
    verify,
)
from workflowkit.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ConflictError,
    EventStore,
    RejectedEventsError,
    SchemaVersionError,
    SQLiteEventStore,
    StoreUnavailableError,
    UnknownInstanceError,
    migrate,
    summarize,
)
from workflowkit.store.migrations import APPLICATION_ID


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with SQLiteEventStore(tmp_path / "practice.db") as s:
        yield s


def test_append_and_load_round_trip(store: SQLiteEventStore) -> None:
    inst, first = begin()
    assert store.version(inst.id) == 0
    assert store.append(inst.id, [first], 0) == 1
    inst, more = run(inst, to_review())
    assert store.append(inst.id, more, 1) == 5
    events = store.load(inst.id)
    assert events == [first, *more]
    assert replay(events) == inst
    verify(events, head=store.get(inst.id).head)
    assert isinstance(store, EventStore)


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


def test_a_stale_writer_gets_a_conflict_and_writes_nothing(store: SQLiteEventStore) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    _, ev_a = comment(inst, "from A")
    _, ev_b = comment(inst, "from B")
    store.append(inst.id, [ev_a], 1)
    with pytest.raises(ConflictError) as info:
        store.append(inst.id, [ev_b], 1)
    err = info.value
    assert (err.instance, err.expected, err.actual) == (inst.id, 1, 2)
    assert "nothing was written" in str(err)
    assert store.load(inst.id) == [first, ev_a]
    assert store.get(inst.id).head == ev_a.hash
    with pytest.raises(ConflictError, match="already exists"):
        store.append(inst.id, [first], 0)


def test_a_batch_is_all_or_nothing(store: SQLiteEventStore) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    _, more = run(inst, to_review())
    broken = [*more[:3], dataclasses.replace(more[3], hash="0" * 64)]
    with pytest.raises(RejectedEventsError, match="event 3"):
        store.append(inst.id, broken, 1)
    assert store.version(inst.id) == 1 and len(store.load(inst.id)) == 1


@pytest.mark.parametrize(
    "case", ["other", "gap", "unsealed", "fork", "no-start", "empty", "not-events", "bad-expected"]
)
def test_events_that_do_not_fit_are_rejected(store: SQLiteEventStore, case: str) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    inst2, ev2 = comment(inst, "two")
    _, ev3 = comment(inst2, "three")
    if case == "other":
        _, other_first = begin("globex")
        args = (inst.id, [other_first], 1)
    elif case == "gap":
        args = (inst.id, [ev3], 1)
    elif case == "unsealed":
        args = (inst.id, [dataclasses.replace(ev2, effect={"x": 1})], 1)
    elif case == "fork":
        # Same id and version, but a different history: it does not follow the stored head.
        twin, _ = begin(when=at(1))
        _, twin2 = comment(twin, "twin")
        args = (inst.id, [twin2], 1)
    elif case == "no-start":
        # A well-sealed first event that is not a start event.
        fake = dataclasses.replace(ev2, instance="initech", version=1, prev="")
        fake = dataclasses.replace(fake, hash=fake.computed_hash())
        args = ("initech", [fake], 0)
    elif case == "empty":
        args = (inst.id, [], 1)
    elif case == "not-events":
        args = (inst.id, [{"version": 2}], 1)
    else:
        args = (inst.id, [ev2], -1)
    with pytest.raises(RejectedEventsError) as info:
        store.append(*args)  # type: ignore[arg-type]
    assert "nothing was written" in str(info.value)
    assert store.version(inst.id) == 1


def test_the_summary_follows_the_instance(store: SQLiteEventStore) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    steps = [
        Reassign(to="bob", by="ann", at=at(1)),
        *to_review("bob"),
        approve("rob", 30),
        HandBack(feedback="again", by="rita", at=at(31)),
        *to_review("bob")[-1:],
        approve("rob", 40),
        approve("rita", 41),
    ]
    for cmd in steps:
        inst, [ev] = run(inst, [cmd])
        store.append(inst.id, [ev], ev.version - 1)
        s = store.get(inst.id)
        assert (s.status, s.level, s.assignee, s.waiting_on, s.version, s.head) == (
            inst.status.value,
            inst.level,
            inst.assignee,
            inst.waiting_on,
            inst.version,
            inst.head,
        )
        assert s.updated_at == inst.updated_at
    assert s.locked and s.waiting_on is None
    assert (s.client, s.period, s.template_id, s.template_version) == (
        "acme",
        "2024-01",
        "monthly",
        "1.0.0",
    )
    assert s.reviewers == ("rob", "rita") and s.due == date(2024, 2, 7)


def test_summarize_refuses_a_trail_without_its_start() -> None:
    inst, first = begin()
    _, ev = comment(inst, "x")
    with pytest.raises(RejectedEventsError):
        summarize(None, ev)
    with pytest.raises(RejectedEventsError, match="second start"):
        summarize(summarize(None, first), first)


def test_queries_by_client_status_assignee_and_due_date(store: SQLiteEventStore) -> None:
    made = {}
    for client, due, who in [
        ("acme", date(2024, 2, 7), "ann"),
        ("globex", date(2024, 2, 1), "bob"),
        ("initech", date(2024, 3, 1), "ann"),
        ("acme", date(2024, 3, 7), "cat"),
    ]:
        inst, first = begin(client, due=due, assignee=who, period=due.isoformat()[:7])
        store.append(inst.id, [first], 0)
        made[inst.id] = inst
    # Put one in review, and complete another.
    globex = next(i for i in made.values() if i.client == "globex")
    g, evs = run(globex, to_review("bob"))
    store.append(g.id, evs, 1)
    initech = next(i for i in made.values() if i.client == "initech")
    n, evs = run(initech, [*to_review("ann"), approve("rob"), approve("rita", 21)])
    store.append(n.id, evs, 1)

    def ids(**kw: object) -> list[str]:
        return [s.id for s in store.instances(**kw)]  # type: ignore[arg-type]

    assert ids() == [
        "globex/monthly/2024-02",
        "acme/monthly/2024-02",
        "initech/monthly/2024-03",
        "acme/monthly/2024-03",
    ]  # soonest due first
    assert ids(client="acme") == ["acme/monthly/2024-02", "acme/monthly/2024-03"]
    assert ids(status="in_review") == ["globex/monthly/2024-02"]
    assert ids(status="completed") == ["initech/monthly/2024-03"]
    assert ids(assignee="ann") == ["acme/monthly/2024-02", "initech/monthly/2024-03"]
    assert ids(waiting_on="rob") == ["globex/monthly/2024-02"]
    assert ids(waiting_on="ann") == ["acme/monthly/2024-02"]
    assert ids(due_from=date(2024, 2, 2), due_to=date(2024, 3, 1)) == [
        "acme/monthly/2024-02",
        "initech/monthly/2024-03",
    ]
    assert ids(overdue_on=date(2024, 3, 2)) == ["globex/monthly/2024-02", "acme/monthly/2024-02"]
    assert ids(client="acme", assignee="cat") == ["acme/monthly/2024-03"]
    assert ids(template="monthly", limit=2, offset=1) == [
        "acme/monthly/2024-02",
        "initech/monthly/2024-03",
    ]
    assert ids(template="other") == []
    with pytest.raises(ValueError, match="status"):
        store.instances(status="done")


def test_a_snapshot_reads_the_summary_and_events_together(store: SQLiteEventStore) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    summary, events = store.snapshot(inst.id)
    assert summary.head == events[-1].hash and events == [first]
    with pytest.raises(UnknownInstanceError):
        store.snapshot("nope")
    _, ev = comment(inst, "still usable after a failed snapshot")
    assert store.append(inst.id, [ev], 1) == 2


def test_unknown_instances(store: SQLiteEventStore) -> None:
    with pytest.raises(UnknownInstanceError) as info:
        store.load("nope")
    assert isinstance(info.value, NotFoundError) and "nope" in str(info.value)
    with pytest.raises(UnknownInstanceError):
        store.get("nope")
    assert store.version("nope") == 0


def test_a_body_changed_in_the_database_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with SQLiteEventStore(path) as s:
        inst, first = begin()
        inst, evs = run(inst, to_review())
        s.append(inst.id, [first, *evs], 0)
    conn = sqlite3.connect(path)
    body = conn.execute("SELECT body FROM events WHERE version = 3").fetchone()[0]
    conn.execute(
        "UPDATE events SET body = ? WHERE version = 3", (body.replace('"by":"ann"', '"by":"eve"'),)
    )
    conn.commit()
    conn.close()
    with SQLiteEventStore(path) as s:
        events = s.load(inst.id)
        with pytest.raises(TamperError) as info:
            verify(events, head=s.get(inst.id).head)
        assert info.value.kind == "changed" and info.value.version == 3
        conn = sqlite3.connect(path)
        conn.execute("UPDATE events SET body = '{' WHERE version = 2")
        conn.commit()
        conn.close()
        with pytest.raises(InvalidRecordError):
            s.load(inst.id)


# --- opening and migrating ----------------------------------------------------------------


def test_missing_store_with_create_false(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError, match="no store here"):
        SQLiteEventStore(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreUnavailableError, match="not a usable store"):
        SQLiteEventStore(path)
    assert path.read_text().startswith("these are my notes")


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaVersionError, match="not a workflowkit store"):
        SQLiteEventStore(path)


def test_a_newer_store_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SQLiteEventStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaVersionError) as info:
        SQLiteEventStore(path)
    assert (info.value.found, info.value.supported) == (99, SCHEMA_VERSION)
    assert "upgrade workflowkit" in str(info.value)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


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


def test_append_rechecks_every_hash() -> None:
    with SQLiteEventStore(":memory:") as s:
        inst, first = begin()
        forged = dataclasses.replace(first, command=dataclasses.replace(first.command, by="eve"))
        with pytest.raises(RejectedEventsError, match="hash does not match"):
            s.append(inst.id, [forged], 0)
        _, ev = comment(inst, "x")
        s.append(inst.id, [first], 0)
        s.append(inst.id, [ev], 1)
        assert s.version(inst.id) == 2
        assert isinstance(s.load(inst.id)[1].command, AddComment)
