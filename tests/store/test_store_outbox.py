"""The notification outbox and the notify cursor, on every store (the conformance
fixture: SQLite, and PostgreSQL when ``WORKFLOWKIT_TEST_POSTGRES`` names a server)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from backends import Backend

from workflowkit.store import EventStore, RejectedEventsError
from workflowkit.store.protocol import OutboxEntry

T = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)


def entries(*ids: str) -> list[tuple[str, str]]:
    return [(i, json.dumps({"id": i, "text": f"tell {i} ✓"})) for i in ids]


def test_a_new_store_has_an_empty_outbox_and_cursor(store: EventStore) -> None:
    assert store.pending_notifications() == []
    assert store.notify_cursor() == {}


def test_each_id_is_queued_once_and_pending_keeps_the_order(store: EventStore) -> None:
    assert store.enqueue_notifications(entries("c", "a", "b"), created=T) == ["c", "a", "b"]
    assert store.enqueue_notifications(entries("a", "d"), created=T) == ["d"]
    pending = store.pending_notifications()
    assert [e.id for e in pending] == ["c", "a", "b", "d"]
    assert pending[0] == OutboxEntry("c", entries("c")[0][1], T, None)
    assert [e.id for e in store.pending_notifications(limit=2)] == ["c", "a"]


def test_a_sent_id_is_never_queued_again(store: EventStore) -> None:
    store.enqueue_notifications(entries("a", "b"), created=T)
    assert store.mark_sent(["a"], T + timedelta(minutes=1)) == ["a"]
    assert store.mark_sent(["a", "b", "zz"], T + timedelta(minutes=2)) == ["b"]
    assert store.pending_notifications() == []
    assert store.enqueue_notifications(entries("a", "b", "c"), created=T) == ["c"]
    assert [e.id for e in store.pending_notifications()] == ["c"]


def test_the_first_sent_at_stays(store: EventStore, backend: Backend) -> None:
    store.enqueue_notifications(entries("a"), created=T)
    store.mark_sent(["a"], T + timedelta(minutes=1))
    store.mark_sent(["a"], T + timedelta(days=9))
    [(sent,)] = backend.execute("SELECT sent_at FROM outbox WHERE id = %s", ("a",))
    got = sent if isinstance(sent, datetime) else datetime.fromisoformat(sent)
    assert got == T + timedelta(minutes=1)


def test_the_cursor_moves_with_the_queueing_and_never_back(store: EventStore) -> None:
    store.enqueue_notifications(entries("a"), created=T, cursor={"i1": 3, "i2": 1})
    assert store.notify_cursor() == {"i1": 3, "i2": 1}
    store.enqueue_notifications([], created=T, cursor={"i1": 2, "i2": 5, "i3": 0})
    assert store.notify_cursor() == {"i1": 3, "i2": 5, "i3": 0}


def test_moments_keep_their_instant(store: EventStore) -> None:
    local = T.astimezone(timezone(timedelta(hours=5, minutes=30)))
    store.enqueue_notifications(entries("a"), created=local)
    [e] = store.pending_notifications()
    assert e.created == T


@pytest.mark.parametrize(
    ("given", "cursor", "problem"),
    [
        ([("a", "{}"), ("a", "{}")], None, "given twice"),
        ([("", "{}")], None, "non-empty"),
        ([("a", "")], None, "payload"),
        ([("a",)], None, "pair"),
        ([("a", "{}")], {"i1": -1}, "0 or more"),
        ([("a", "{}")], {"i1": True}, "whole number"),
        ([("a", "{}")], {"": 1}, "instance id"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_written(
    store: EventStore, given: list[tuple[str, str]], cursor: dict[str, int] | None, problem: str
) -> None:
    store.enqueue_notifications(entries("first"), created=T, cursor={"i0": 1})
    with pytest.raises(RejectedEventsError, match=problem):
        store.enqueue_notifications(
            [*entries("ok"), *given], created=T, cursor={"i0": 9, **(cursor or {})}
        )
    assert [e.id for e in store.pending_notifications()] == ["first"]
    assert store.notify_cursor() == {"i0": 1}


def test_naive_moments_are_refused(store: EventStore) -> None:
    with pytest.raises(RejectedEventsError, match="timezone-aware"):
        store.enqueue_notifications(entries("a"), created=datetime(2024, 2, 1))
    store.enqueue_notifications(entries("a"), created=T)
    with pytest.raises(RejectedEventsError, match="timezone-aware"):
        store.mark_sent(["a"], datetime(2024, 2, 1))
    assert [e.id for e in store.pending_notifications()] == ["a"]


def test_the_outbox_survives_reopening(backend: Backend) -> None:
    s = backend.open()
    try:
        s.enqueue_notifications(entries("a", "b"), created=T, cursor={"i1": 4})
        s.mark_sent(["a"], T)
    finally:
        s.close()
    s = backend.open(create=False)
    try:
        assert [e.id for e in s.pending_notifications()] == ["b"]
        assert s.notify_cursor() == {"i1": 4}
        assert s.enqueue_notifications(entries("a", "b"), created=T) == []
    finally:
        s.close()
