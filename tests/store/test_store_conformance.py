"""The conformance suite: what every ``EventStore`` does, run on SQLite and PostgreSQL.

A third store (another database, or an app's own) only has to pass this file: add a
``Backend`` for it in ``backends.py`` and its name to the ``backend`` fixture's params in
``conftest.py``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from backends import Backend
from store_helpers import approve, at, begin, comment, run, to_review

from workflowkit.calendar import load_practice
from workflowkit.errors import NotFoundError
from workflowkit.review import (
    AddComment,
    HandBack,
    InvalidRecordError,
    Reassign,
    SubmitForReview,
    TamperError,
    replay,
    verify,
)
from workflowkit.run import run as run_practice
from workflowkit.store import (
    SCHEMA_VERSION,
    ConflictError,
    EventStore,
    RejectedEventsError,
    SchemaVersionError,
    StoreUnavailableError,
    UnknownInstanceError,
    open_store,
)
from workflowkit.store import postgres as pg_store
from workflowkit.store.protocol import EXISTED, ID_TAKEN, STARTED, OccurrenceStart

ROOT = Path(__file__).resolve().parents[2]

# --- append, conflict, load -------------------------------------------------------------


def test_append_and_load_round_trip(store: Any) -> None:
    inst, first = begin()
    assert store.version(inst.id) == 0
    assert store.append(inst.id, [first], 0) == 1
    inst, more = run(inst, to_review())
    assert store.append(inst.id, more, 1) == 5
    events = store.load(inst.id)
    assert events == [first, *more]
    assert [e.to_json() for e in events] == [e.to_json() for e in [first, *more]]
    assert replay(events) == inst
    verify(events, head=store.get(inst.id).head)
    assert isinstance(store, EventStore)


def test_open_store_picks_the_store_by_its_url(backend: Backend) -> None:
    with open_store(backend.url) as s:  # type: ignore[attr-defined]
        assert (
            type(s).__name__
            == {"sqlite": "SQLiteEventStore", "postgres": "PostgresEventStore"}[backend.name]
        )
        inst, first = begin()
        s.append(inst.id, [first], 0)
    with open_store(backend.url, create=False) as s:  # type: ignore[attr-defined]
        assert s.version(inst.id) == 1


def test_a_stale_writer_gets_a_conflict_and_writes_nothing(store: Any) -> None:
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


def test_two_store_objects_race_and_one_wins(backend: Backend) -> None:
    with backend.open() as a, backend.open() as b:
        inst, first = begin()
        a.append(inst.id, [first], 0)
        _, ev_a = comment(inst, "from A")
        _, ev_b = comment(inst, "from B")
        assert b.version(inst.id) == 1
        a.append(inst.id, [ev_a], 1)
        with pytest.raises(ConflictError):
            b.append(inst.id, [ev_b], 1)
        assert b.load(inst.id) == [first, ev_a]


def test_a_batch_is_all_or_nothing(store: Any) -> None:
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
def test_events_that_do_not_fit_are_rejected(store: Any, case: str) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    inst2, ev2 = comment(inst, "two")
    _, ev3 = comment(inst2, "three")
    if case == "other":
        _, other_first = begin("globex")
        args: tuple[Any, ...] = (inst.id, [other_first], 1)
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
        store.append(*args)
    assert "nothing was written" in str(info.value)
    assert store.version(inst.id) == 1
    assert store.version("initech") == 0


def test_append_rechecks_every_hash(store: Any) -> None:
    inst, first = begin()
    forged = dataclasses.replace(first, command=dataclasses.replace(first.command, by="eve"))
    with pytest.raises(RejectedEventsError, match="hash does not match"):
        store.append(inst.id, [forged], 0)
    _, ev = comment(inst, "x")
    store.append(inst.id, [first], 0)
    store.append(inst.id, [ev], 1)
    assert store.version(inst.id) == 2
    assert isinstance(store.load(inst.id)[1].command, AddComment)


# --- the summary and the queries ----------------------------------------------------------


def test_the_summary_follows_the_instance(store: Any) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    steps = [
        Reassign(to="bob", by="ann", at=at(1)),
        *to_review("bob"),
        approve("rob", 30),
        HandBack(feedback="again", by="rita", at=at(31)),
        SubmitForReview(by="bob", at=at(32)),  # time runs forward (review.clock)
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


def test_queries_by_client_status_assignee_and_due_date(store: Any) -> None:
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

    def ids(**kw: Any) -> list[str]:
        return [s.id for s in store.instances(**kw)]

    assert ids() == [
        "globex/monthly/2024-02",
        "acme/monthly/2024-02",
        "initech/monthly/2024-03",
        "acme/monthly/2024-03",
    ]  # soonest due first
    assert ids(client="acme") == ["acme/monthly/2024-02", "acme/monthly/2024-03"]
    assert ids(status="in_review") == ["globex/monthly/2024-02"]
    assert ids(status="completed") == ["initech/monthly/2024-03"]
    assert ids(status="in_progress") == ["acme/monthly/2024-02", "acme/monthly/2024-03"]
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
    assert ids(offset=3) == ["acme/monthly/2024-03"]
    assert ids(limit=1) == ["globex/monthly/2024-02"]
    assert ids(template="other") == []
    with pytest.raises(ValueError, match="status"):
        store.instances(status="done")
    summaries = {s.id: s for s in store.instances()}
    assert all(summaries[i] == store.get(i) for i in summaries)


def test_a_snapshot_reads_the_summary_and_events_together(store: Any) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    summary, events = store.snapshot(inst.id)
    assert summary.head == events[-1].hash and events == [first]
    with pytest.raises(UnknownInstanceError):
        store.snapshot("nope")
    _, ev = comment(inst, "still usable after a failed snapshot")
    assert store.append(inst.id, [ev], 1) == 2


def test_load_many_reads_many_instances_in_one_pass(store: Any) -> None:
    a, first_a = begin("acme")
    store.append(a.id, [first_a], 0)
    a, more_a = run(a, [*to_review(), approve("rob")])
    store.append(a.id, more_a, 1)
    b, first_b = begin("globex", due=date(2024, 2, 1))
    store.append(b.id, [first_b], 0)
    b, more_b = run(b, [AddComment(text="<b>chased</b>", by="ann", at=at(3))])
    store.append(b.id, more_b, 1)
    c, first_c = begin("initech")
    store.append(c.id, [first_c], 0)

    everything = store.load_many([b.id, a.id, "nope", a.id])
    assert set(everything) == {a.id, b.id}  # an unknown id is left out, no error
    assert everything[a.id] == store.load(a.id) == [first_a, *more_a]
    assert everything[b.id] == [first_b, *more_b]
    verify(everything[a.id], head=store.get(a.id).head)

    some = store.load_many([a.id, b.id, c.id], types=["set_check_status", "submit_for_review"])
    assert set(some) == {a.id}  # b and c have no such event
    assert [e.type for e in some[a.id]] == ["set_check_status"] * 3 + ["submit_for_review"]
    wanted = ("set_check_status", "submit_for_review")
    assert some[a.id] == [e for e in store.load(a.id) if e.type in wanted]
    assert [e.version for e in some[a.id]] == [2, 3, 4, 5]  # oldest first
    assert store.load_many([]) == {} and store.load_many([a.id], types=[]) == {}
    # More ids than one query's worth of parameters.
    many = [f"x{i}" for i in range(1200)] + [c.id]
    assert store.load_many(many) == {c.id: [first_c]}


def test_a_listing_of_many_summaries_is_each_summary(store: Any) -> None:
    """The listing parses repeated values once: each summary is still its own, and equal
    to the one ``get`` reads."""
    made = []
    for n in range(30):
        inst, first = begin(
            f"client-{n:02d}",
            due=date(2024, 2, 1 + n % 3),
            reviewers=("rob", "rita") if n % 2 else ("rita", "rob"),
            when=at(n % 4),
        )
        store.append(inst.id, [first], 0)
        made.append(inst.id)
    listed = store.instances()
    assert sorted(s.id for s in listed) == sorted(made)
    assert all(s == store.get(s.id) for s in listed)
    assert {s.reviewers for s in listed} == {("rita", "rob"), ("rob", "rita")}


def test_states_are_the_summaries_in_brief(store: Any) -> None:
    """``states()`` lists every instance, each the brief of its full summary: in
    progress, worked, in review at a level, completed; dates and offsets kept."""
    from workflowkit.store.protocol import InstanceState

    assert store.states() == []
    for n in range(12):
        inst, first = begin(f"client-{n:02d}", due=date(2024, 2, 1 + n % 3), when=at(n % 4))
        store.append(inst.id, [first], 0)
        if n % 4 == 1:
            _, ev = comment(inst, "chased")
            store.append(inst.id, [ev], 1)
        elif n % 4 == 2:
            _, more = run(inst, to_review())
            store.append(inst.id, more, 1)
        elif n % 4 == 3:
            done, more = run(inst, to_review())
            done, approvals = run(done, [approve("rob"), approve("rita", 21)])
            store.append(inst.id, [*more, *approvals], 1)
    states = store.states()
    assert all(type(s) is InstanceState for s in states)
    assert sorted(states) == sorted(InstanceState.of(s) for s in store.instances())
    assert {s.status for s in states} >= {"in_progress", "in_review", "completed"}
    assert {s.version for s in states} >= {1, 2}


def test_unknown_instances(store: Any) -> None:
    with pytest.raises(UnknownInstanceError) as info:
        store.load("nope")
    assert isinstance(info.value, NotFoundError) and "nope" in str(info.value)
    with pytest.raises(UnknownInstanceError):
        store.get("nope")
    assert store.version("nope") == 0


def test_a_body_changed_in_the_database_is_caught(backend: Backend) -> None:
    with backend.open() as s:
        inst, first = begin()
        inst, evs = run(inst, to_review())
        s.append(inst.id, [first, *evs], 0)
    [(body,)] = backend.execute("SELECT body FROM events WHERE version = 3")
    backend.execute(
        "UPDATE events SET body = %s WHERE version = 3",
        (body.replace('"by":"ann"', '"by":"eve"'),),
    )
    with backend.open() as s:
        events = s.load(inst.id)
        with pytest.raises(TamperError) as info:
            verify(events, head=s.get(inst.id).head)
        assert info.value.kind == "changed" and info.value.version == 3
        backend.execute("UPDATE events SET body = '{' WHERE version = 2")
        with pytest.raises(InvalidRecordError):
            s.load(inst.id)


# --- opening and migrating ----------------------------------------------------------------


def test_a_newer_store_is_refused_untouched(backend: Backend) -> None:
    backend.open().close()
    backend.set_schema_version(99)
    supported = SCHEMA_VERSION if backend.name == "sqlite" else pg_store.SCHEMA_VERSION
    with pytest.raises(SchemaVersionError) as info:
        backend.open()
    assert (info.value.found, info.value.supported) == (99, supported)
    assert "upgrade workflowkit" in str(info.value)
    with pytest.raises(SchemaVersionError):
        backend.open()  # still refused: nothing was changed


def test_reopening_migrates_nothing(backend: Backend) -> None:
    s = backend.open()
    assert s.migrated_from == 0
    s.close()
    s = backend.open()
    assert s.migrated_from > 0
    s.close()


def test_another_applications_database_is_refused(backend: Backend) -> None:
    backend.make_foreign()
    with pytest.raises(SchemaVersionError, match="not a workflowkit store"):
        backend.open()


def test_no_store_with_create_false(backend: Backend) -> None:
    with pytest.raises(StoreUnavailableError, match="no store here"):
        backend.open(create=False)
    backend.open().close()
    backend.open(create=False).close()


# --- occurrences and the cursor -----------------------------------------------------------


def _start(client: str, key: str | None = None, **kw: Any) -> OccurrenceStart:
    _, event = begin(client, **kw)
    return OccurrenceStart(key=key or f"monthly:{client}:2024-01", workflow="monthly", event=event)


def test_the_cursor_moves_forward_only(store: Any) -> None:
    assert store.cursor("p") is None
    t1 = datetime(2024, 3, 1, 12, tzinfo=UTC)
    store.start_occurrences("p", [], cursor=t1)
    assert store.cursor("p") == t1 and store.cursor("p").utcoffset() == timedelta(0)
    store.start_occurrences("p", [], cursor=t1 - timedelta(days=1))
    assert store.cursor("p") == t1  # never back
    from zoneinfo import ZoneInfo

    t2 = datetime(2024, 3, 2, 9, 30, 0, 500, tzinfo=ZoneInfo("Europe/London"))
    store.start_occurrences("p", [], cursor=t2)
    assert store.cursor("p") == t2
    assert store.cursor("other") is None
    with pytest.raises(RejectedEventsError, match="timezone-aware"):
        store.start_occurrences("p", [], cursor=datetime(2025, 1, 1))
    assert store.cursor("p") == t2


def test_start_occurrences_starts_each_once(store: Any) -> None:
    a, b = _start("acme"), _start("globex")
    cursor = datetime(2024, 2, 1, 9, tzinfo=UTC)
    assert store.start_occurrences("p", [a, b], cursor=cursor) == {a.key: STARTED, b.key: STARTED}
    assert store.occurrences([a.key, b.key, "nope"]) == {
        a.key: a.event.instance,
        b.key: b.event.instance,
    }
    assert store.cursor("p") == cursor
    c = _start("initech")
    assert store.start_occurrences("p", [a, c, b]) == {
        a.key: EXISTED,
        c.key: STARTED,
        b.key: EXISTED,
    }
    assert store.cursor("p") == cursor  # no cursor given: left where it was
    for s in (a, b, c):
        events = store.load(s.event.instance)
        assert events == [s.event]
        assert events[0].to_json() == s.event.to_json()  # the template put back byte for byte
        verify(events, head=store.get(s.event.instance).head)
        assert store.get(s.event.instance).version == 1
    assert len(store.instances()) == 3


def test_an_instance_started_by_hand_takes_its_id(store: Any) -> None:
    by_hand, first = begin("acme")
    store.append(by_hand.id, [first], 0)
    taken = OccurrenceStart(key="monthly:acme:2024-01", workflow="monthly", event=first)
    other = _start("globex")
    out = store.start_occurrences("p", [taken, other], cursor=at(0))
    assert out == {taken.key: ID_TAKEN, other.key: STARTED}
    assert store.occurrences([taken.key]) == {}
    assert store.load(by_hand.id) == [first]


def test_two_keys_for_one_instance_id_in_one_batch(store: Any) -> None:
    # The first key starts the instance; the second finds its id taken.
    twin = OccurrenceStart(
        key="monthly:initech:again", workflow="monthly", event=_start("initech").event
    )
    first_of_twins = _start("initech")
    out = store.start_occurrences("p", [first_of_twins, twin])
    assert out == {first_of_twins.key: STARTED, twin.key: ID_TAKEN}
    assert store.occurrences([twin.key]) == {}


def test_start_occurrences_checks_before_writing(store: Any) -> None:
    a = _start("acme")
    inst, _ = begin("globex")
    _, not_a_start = comment(inst, "x")
    bad = OccurrenceStart(key="k2", workflow="monthly", event=not_a_start)
    for starts, practice in (([a, bad], "p"), ([a, a], "p"), ([a], " ")):
        with pytest.raises(RejectedEventsError):
            store.start_occurrences(practice, starts, cursor=at(0))
    assert store.occurrences([a.key]) == {} and store.version(a.event.instance) == 0
    assert store.cursor("p") is None


def test_many_occurrences_in_one_call(store: Any) -> None:
    starts = [
        _start(f"client-{n:04d}", key=f"monthly:client-{n:04d}:2024-01", due=date(2024, 2, 7))
        for n in range(1200)
    ]
    out = store.start_occurrences("p", starts, cursor=at(0))
    assert set(out.values()) == {STARTED} and len(out) == 1200
    found = store.occurrences(s.key for s in starts)
    assert found == {s.key: s.event.instance for s in starts}
    again = store.start_occurrences("p", starts[::-1])
    assert set(again.values()) == {EXISTED}
    assert len(store.instances()) == 1200


# --- run over a real practice ------------------------------------------------------------

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)


def test_a_year_of_run_gives_the_same_instances_on_every_store(backend: Backend) -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    with open_store(":memory:") as ref:
        run_practice(practice, ref, now=END, since=START, batch=50)
        want = {s.id: s.head for s in ref.instances()}
    assert len(want) > 200
    with backend.open() as s:
        run_practice(practice, s, now=START + timedelta(days=100), since=START, batch=50)
        report = run_practice(practice, s, now=END)
        assert not report.skipped
        assert {x.id: x.head for x in s.instances()} == want
        assert s.cursor("default") == END
        again = run_practice(practice, s, now=END, since=START)
        assert not again.started and len(again.existed) == len(want)
        for summary in s.instances(limit=25):
            verify(s.load(summary.id), head=summary.head)
