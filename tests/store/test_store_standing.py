"""Conformance: every store keeps, on each instance's summary, whether it was handed back
and which checks are complete with issues (``handed_back``, ``issues``), and ``states()``
says the same in brief. Run on SQLite and PostgreSQL alike; a store that held instances
before the two were kept fills them in from the events when it migrates.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from backends import Backend
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import approve, at, begin, run

from trail_helpers import standing_from_events
from workflowkit.errors import ReviewError
from workflowkit.review import (
    AddComment,
    Approve,
    Command,
    Event,
    HandBack,
    Instance,
    SetCheckStatus,
    SubmitForReview,
    apply,
)
from workflowkit.store import summarize
from workflowkit.store.protocol import InstanceState, InstanceSummary

expected = standing_from_events


def standing(s: InstanceSummary) -> tuple[bool, tuple[str, ...]]:
    return s.handed_back, s.issues


def _state_of(store: Any, instance_id: str) -> InstanceState:
    (state,) = [s for s in store.states() if s.id == instance_id]
    return state


def test_the_standing_follows_the_checks_and_the_reviews(store: Any) -> None:
    inst, first = begin()
    store.append(inst.id, [first], 0)
    assert standing(store.get(inst.id)) == (False, ())
    steps: list[tuple[Command, tuple[bool, tuple[str, ...]]]] = [
        (
            SetCheckStatus(
                check="check-1", status="complete_with_issues", comment="x", by="ann", at=at(1)
            ),
            (False, ("check-1",)),
        ),
        (
            SetCheckStatus(
                check="check-0", status="complete_with_issues", comment="y", by="ann", at=at(2)
            ),
            (False, ("check-0", "check-1")),
        ),
        (SetCheckStatus.undo("check-1", by="ann", at=at(3)), (False, ("check-0",))),
        (
            SetCheckStatus(check="check-1", status="complete", by="ann", at=at(4)),
            (False, ("check-0",)),
        ),
        (
            SetCheckStatus(check="check-2", status="not_applicable", by="ann", at=at(5)),
            (False, ("check-0",)),
        ),
        (SubmitForReview(by="ann", at=at(6)), (False, ("check-0",))),
        (HandBack(feedback="Recheck the VAT.", by="rob", at=at(7)), (True, ("check-0",))),
        (AddComment(text="On it.", by="ann", at=at(8)), (True, ("check-0",))),
        (SetCheckStatus(check="check-0", status="complete", by="ann", at=at(9)), (True, ())),
        (SubmitForReview(by="ann", at=at(10)), (False, ())),
        (approve("rob", 11), (False, ())),
        (approve("rita", 12), (False, ())),
    ]
    for cmd, want in steps:
        inst, [ev] = run(inst, [cmd])
        store.append(inst.id, [ev], ev.version - 1)
        assert standing(store.get(inst.id)) == want, cmd
        state = _state_of(store, inst.id)
        assert (state.handed_back, state.with_issues) == (want[0], bool(want[1]))
        assert [standing(s) for s in store.instances()] == [want]
    assert store.get(inst.id).locked


# A pool of commands, tried in the order hypothesis draws. Each is made by the person it
# falls to (the assignee for checks and submits, the reviewer waiting for approvals and
# hand-backs) unless ``who`` says someone else tries; one the instance refuses at that
# point (a submit with checks open, an approval by the wrong person) is skipped.
_CHECKS = ("check-0", "check-1", "check-2")
_STATUSES = ("complete_with_issues", "complete", "not_applicable", "pending")


def _commands(inst: Instance, kind: int, check: int, who: int, minute: int) -> list[Command]:
    when = at(minute)
    by = inst.assignee if kind <= 4 else (inst.waiting_on or inst.assignee)
    if who == 2:
        by = "rob"  # someone else tries: often refused
    name = _CHECKS[check]
    if kind <= 3:
        status = _STATUSES[kind]
        note = "A receipt is missing." if kind == 0 else None
        return [SetCheckStatus(check=name, status=status, comment=note, by=by, at=when)]
    if kind == 4:
        resolved = [
            SetCheckStatus(check=c, status="complete", by=by, at=when)
            for c, state in zip(_CHECKS, inst.checks, strict=True)
            if state.status.value == "pending"
        ]
        return [*resolved, SubmitForReview(by=by, at=when)]
    if kind == 5:
        return [HandBack(feedback="Again.", by=by, at=when)]
    if kind == 6:
        return [Approve(by=by, at=when)]
    return [AddComment(text="Noted.", by=by, at=when)]


def _trail(draws: list[tuple[int, int, int]], n: int) -> tuple[Instance, list[Event]]:
    inst, first = begin(f"client-{n:05d}")
    events = [first]
    for minute, (kind, check, who) in enumerate(draws, start=1):
        for cmd in _commands(inst, kind, check, who, minute):
            try:
                inst, ev = apply(inst, cmd)
            except ReviewError:
                break
            events.append(ev)
    return inst, events


_DRAWS = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 2), st.integers(0, 2)), min_size=0, max_size=30
)
_SERIAL = itertools.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(draws=_DRAWS, split=st.integers(1, 31))
def test_the_standing_is_what_the_events_say(store: Any, draws: Any, split: int) -> None:
    """Whatever the trail, and however it is appended (in one batch, or two), the store's
    summary, its brief and ``summarize`` all say what the events say."""
    inst, events = _trail(draws, next(_SERIAL))
    head, tail = events[:split], events[split:]
    store.append(inst.id, head, 0)
    if tail:
        store.append(inst.id, tail, len(head))
    want = expected(events)
    assert standing(store.get(inst.id)) == want
    folded = None
    for e in events:
        folded = summarize(folded, e)
    assert folded is not None and standing(folded) == want
    state = _state_of(store, inst.id)
    assert (state.handed_back, state.with_issues) == (want[0], bool(want[1]))
    assert state == InstanceState.of(store.get(inst.id))


def _age(backend: Backend) -> None:
    """Take the store back to the schema before the two columns were kept."""
    backend.execute("ALTER TABLE instances DROP COLUMN issues")
    backend.execute("ALTER TABLE instances DROP COLUMN handed_back")
    if backend.name == "sqlite":
        backend.execute("PRAGMA user_version = 5")
    else:
        backend.execute("DELETE FROM workflowkit_schema WHERE version >= 4")


def test_an_older_store_fills_the_standing_in_from_the_events(backend: Backend) -> None:
    trails: dict[str, list[Event]] = {}
    with backend.open() as s:
        for n, draws in enumerate(
            [
                [],
                [(0, 0, 0), (0, 2, 0), (3, 0, 0)],  # with issues, one undone
                [(0, 1, 0), (4, 0, 0), (5, 0, 0)],  # with issues, handed back
                [(4, 0, 0), (5, 0, 0), (4, 0, 0)],  # handed back, submitted again
                [(0, 0, 0), (4, 0, 0), (6, 0, 0), (5, 0, 0)],  # approved once, handed back
            ]
        ):
            inst, events = _trail(draws, n)
            s.append(inst.id, events, 0)
            trails[inst.id] = events
    _age(backend)
    with backend.open() as s:
        assert s.migrated_from == (5 if backend.name == "sqlite" else 3)
        for iid, events in trails.items():
            assert standing(s.get(iid)) == expected(events), iid
        assert any(s.get(iid).handed_back for iid in trails)
        assert any(s.get(iid).issues for iid in trails)
        states = {x.id: x for x in s.states()}
        for iid, events in trails.items():
            handed_back, issues = expected(events)
            assert (states[iid].handed_back, states[iid].with_issues) == (handed_back, bool(issues))


@pytest.mark.parametrize("value", ["[]", '["check-0"]'])
def test_a_summary_row_keeps_the_issues_as_json(value: str) -> None:
    from workflowkit.store.rows import summary_from_row, summary_row

    _, first = begin()
    row = list(summary_row(summarize(None, first)))
    row[16] = value
    assert summary_from_row(row).issues == tuple(json.loads(value))
