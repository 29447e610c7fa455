"""The pure step: who is told what, from events and summaries."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from notify_helpers import (
    DIRECTORY,
    FEEDBACK,
    T0,
    at,
    begin,
    full_trail,
    reassigned_trail,
    resolve_and_submit,
    run,
)

from workflowkit.notify import (
    Address,
    MappingDirectory,
    Notification,
    NotifyInputError,
    derive,
    notification_id,
    unaddressed,
)
from workflowkit.review import (
    AddComment,
    Approve,
    Command,
    Event,
    HandBack,
    Reassign,
    SubmitForReview,
)
from workflowkit.review.state import WorkflowStatus
from workflowkit.store.protocol import InstanceSummary, summarize

NOW = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)


def told(notes: tuple[Notification, ...]) -> list[tuple[str, str, int | None]]:
    return [(n.kind, n.recipient, n.level) for n in notes]


def summary_of(events: list[Event]) -> InstanceSummary:
    s = None
    for e in events:
        s = summarize(s, e)
    assert s is not None
    return s


def test_a_full_trail_tells_each_person_in_order() -> None:
    _, events = full_trail()
    notes = derive(events, DIRECTORY, now=NOW)
    assert told(notes) == [
        ("assigned", "ann", None),
        ("submitted", "rob", 1),
        ("submitted", "rita", 2),
        ("handed_back", "ann", None),
        ("submitted", "rob", 1),
        ("submitted", "rita", 2),
        ("approved", "ann", 2),
        ("approved", "rob", 2),
    ]
    assert all(n.to == DIRECTORY.address(n.recipient) for n in notes)
    assert {n.instance for n in notes} == {"acme/monthly/2024-01"}
    assert len({n.id for n in notes}) == len(notes)


def test_only_the_first_reviewer_is_told_on_submit() -> None:
    inst, first = begin()
    inst, events = run(inst, resolve_and_submit("ann", 1))
    notes = derive([first, *events], DIRECTORY, now=NOW)
    assert told(notes) == [("assigned", "ann", None), ("submitted", "rob", 1)]
    # the second reviewer hears only once the first has approved
    inst, more = run(inst, [Approve(by="rob", at=at(10))])
    later = derive([first, *events, *more], DIRECTORY, now=NOW)
    assert told(later)[-1] == ("submitted", "rita", 2)
    assert later[-1].by == "rob" and later[-1].source == more[0].hash


def test_a_hand_back_carries_the_feedback_to_the_assignee() -> None:
    _, events = full_trail()
    [back] = [n for n in derive(events, DIRECTORY, now=NOW) if n.kind == "handed_back"]
    assert back.recipient == "ann" and back.feedback == FEEDBACK and back.by == "rita"


def test_the_final_approval_tells_the_assignee_and_the_earlier_reviewers_only() -> None:
    _, events = full_trail()
    approved = [n for n in derive(events, DIRECTORY, now=NOW) if n.kind == "approved"]
    assert [n.recipient for n in approved] == ["ann", "rob"]  # not rita, who approved
    assert all(n.source == events[-1].hash for n in approved)


def test_a_reassignment_tells_the_new_assignee_and_later_news_goes_to_them() -> None:
    inst, events = reassigned_trail()
    inst, more = run(
        inst,
        [
            *resolve_and_submit("bob", 10),
            HandBack(feedback="Redo check 1.", by="rob", at=at(30)),
        ],
    )
    notes = derive([*events, *more], DIRECTORY, now=NOW)
    assert told(notes) == [
        ("assigned", "ann", None),
        ("assigned", "bob", None),
        ("submitted", "rob", 1),
        ("handed_back", "bob", None),
    ]


def test_nobody_is_told_of_their_own_act() -> None:
    _, first = begin(by="ann")  # ann starts her own work
    assert derive([first], DIRECTORY, now=NOW) == ()


def test_comments_and_check_statuses_tell_nobody() -> None:
    inst, first = begin()
    inst, events = run(inst, [AddComment(text="Started.", by="ann", at=at(1))])
    assert told(derive([first, *events], DIRECTORY, now=NOW)) == [("assigned", "ann", None)]


def test_after_marks_events_already_derived() -> None:
    _, events = full_trail()
    whole = derive(events, DIRECTORY, now=NOW)
    cut = 5  # through the first approval
    old = derive(events[:cut], DIRECTORY, now=NOW)
    new = derive(events, DIRECTORY, now=NOW, after={events[0].instance: cut})
    assert [n.id for n in old + new] == [n.id for n in whole]
    assert derive(events, DIRECTORY, now=NOW, after={events[0].instance: len(events)}) == ()


def test_overdue_goes_to_the_person_waited_on_once_per_due_date() -> None:
    inst, first = begin(due=date(2024, 2, 7))
    inst, events = run(inst, resolve_and_submit("ann", 1))
    s = summary_of([first, *events])
    assert s.waiting_on == "rob"
    late = datetime(2024, 2, 8, 9, 0, tzinfo=UTC)
    [n] = derive([], DIRECTORY, now=late, summaries=[s])
    assert (n.kind, n.recipient, n.due) == ("overdue", "rob", date(2024, 2, 7))
    assert n.id == notification_id("overdue", f"{s.id}@2024-02-07", "rob")
    # the next day it is the same notification (the outbox keeps it once)
    [again] = derive([], DIRECTORY, now=late + timedelta(days=1), summaries=[s, s])
    assert again.id == n.id
    # on the due date itself it is not late; a new due date is a new notification
    assert derive([], DIRECTORY, now=datetime(2024, 2, 7, 23, tzinfo=UTC), summaries=[s]) == ()
    moved = derive([], DIRECTORY, now=late, summaries=[_with_due(s, date(2024, 2, 6))])
    assert moved[0].id != n.id


def _with_due(s: InstanceSummary, due: date) -> InstanceSummary:
    from dataclasses import replace

    return replace(s, due=due)


def test_closed_instances_are_never_overdue() -> None:
    _, events = full_trail()
    s = summary_of(events)
    assert s.status == WorkflowStatus.COMPLETED
    late = datetime(2025, 1, 1, tzinfo=UTC)
    assert [n for n in derive([], DIRECTORY, now=late, summaries=[s])] == []
    from dataclasses import replace

    assert derive([], DIRECTORY, now=late, summaries=[replace(s, status="cancelled")]) == ()


def test_a_missing_address_is_reported_not_a_crash() -> None:
    _, events = full_trail()
    partial = MappingDirectory({"ann": {"name": "Ann", "email": "ann@practice.test"}})
    notes = derive(events, partial, now=NOW)
    assert len(notes) == 8
    assert unaddressed(notes) == ("rita", "rob")
    assert [n.recipient for n in notes if n.to is not None] == ["ann", "ann", "ann"]


def test_ids_do_not_depend_on_the_directory_or_the_clock() -> None:
    _, events = full_trail()
    a = derive(events, DIRECTORY, now=NOW)
    b = derive(events, MappingDirectory({}), now=NOW + timedelta(days=3))
    assert [n.id for n in a] == [n.id for n in b]


def test_the_payload_round_trips() -> None:
    _, events = full_trail()
    for n in derive(events, MappingDirectory({"ann": Address("Ann", "ann@x.test")}), now=NOW):
        assert Notification.from_json(n.to_json()) == n


@pytest.mark.parametrize(
    ("people", "field"),
    [
        ({"ann": {"name": "Ann"}}, "ann"),
        ({"ann": {"email": "ann@x.test", "phone": "1"}}, "ann"),
        ({"ann": 3}, "ann"),
        ({"ann": {"email": "not an address"}}, "email"),
        ({"": {"email": "a@x.test"}}, "person"),
    ],
)
def test_a_bad_directory_is_refused_saying_where(people: dict[str, object], field: str) -> None:
    with pytest.raises(NotifyInputError) as info:
        MappingDirectory(people)  # type: ignore[arg-type]
    assert info.value.field == field


def test_bad_input_is_refused_with_a_typed_error() -> None:
    _, events = full_trail()
    with pytest.raises(NotifyInputError, match="missing"):
        derive(events[1:], DIRECTORY, now=NOW)
    with pytest.raises(NotifyInputError, match="missing"):
        derive([events[0], events[2]], DIRECTORY, now=NOW)
    with pytest.raises(NotifyInputError, match="timezone-aware"):
        derive(events, DIRECTORY, now=datetime(2024, 2, 1))
    with pytest.raises(NotifyInputError, match="not an Event"):
        derive(["start"], DIRECTORY, now=NOW)  # type: ignore[list-item]
    with pytest.raises(NotifyInputError, match="address"):
        derive(events, {"ann": "ann@x.test"}, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(NotifyInputError, match="kind"):
        Notification.from_json(
            derive(events, DIRECTORY, now=NOW)[0].to_json().replace('"assigned"', '"told"')
        )


# --- properties -----------------------------------------------------------------------


def _trail(client: str, choices: list[int]) -> list[Event]:
    """A legal trail: each choice picks one of the commands legal at that point."""
    inst, first = begin(client)
    events = [first]
    minute = 1
    for pick in choices:
        minute += 1
        when = at(minute)
        status = inst.status
        if status == WorkflowStatus.COMPLETED:
            break
        if status == WorkflowStatus.IN_PROGRESS:
            if inst.unresolved:
                inst, evs = run(inst, resolve_and_submit(inst.assignee, minute))
                minute += 3
            else:
                other = "bob" if inst.assignee == "ann" else "ann"
                options: list[Command] = [
                    SubmitForReview(by=inst.assignee, at=when),
                    Reassign(to=other, by=inst.assignee, at=when),
                    AddComment(text="note", by=inst.assignee, at=when),
                ]
                inst, evs = run(inst, [options[pick % len(options)]])
        else:
            reviewer = inst.setup.reviewers[inst.level]
            options_r: list[Command] = [
                Approve(by=reviewer, at=when),
                HandBack(feedback=f"fix {pick}", by=reviewer, at=when),
                AddComment(text="looked", by=reviewer, at=when),
            ]
            inst, evs = run(inst, [options_r[pick % len(options_r)]])
        events.extend(evs)
    return events


trails = st.lists(st.lists(st.integers(0, 8), max_size=12), min_size=1, max_size=3).map(
    lambda many: [_trail(f"client-{i}", c) for i, c in enumerate(many)]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trails, st.randoms(use_true_random=False), st.data())
def test_each_event_yields_its_notifications_once(
    many: list[list[Event]], rnd: random.Random, data: st.DataObject
) -> None:
    events = [e for trail in many for e in trail]
    whole = derive(events, DIRECTORY, now=NOW)
    ids = [n.id for n in whole]
    assert len(set(ids)) == len(ids)  # nothing twice
    # rerunning over the same events, in any order, yields the same ids
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert derive(shuffled, DIRECTORY, now=NOW + timedelta(hours=1)) == tuple(
        n for n in derive(events, DIRECTORY, now=NOW + timedelta(hours=1))
    )
    assert [n.id for n in derive(shuffled, MappingDirectory({}), now=NOW)] == ids
    # derived in two steps from a cursor: the same notifications, none twice
    cuts = {t[0].instance: data.draw(st.integers(0, len(t))) for t in many}
    before = [e for t in many for e in t if e.version <= cuts[e.instance]]
    first = derive(before, DIRECTORY, now=NOW)
    rest = derive(events, DIRECTORY, now=NOW, after=cuts)
    assert sorted(n.id for n in first + rest) == sorted(ids)
    # every notification comes from an event given, and names a person of the trail
    hashes = {e.hash for e in events}
    assert all(n.source in hashes for n in whole)
    # each submit and each approval that is not the last tells exactly one reviewer
    by_source: dict[str, list[Notification]] = {}
    for n in whole:
        by_source.setdefault(n.source, []).append(n)
    summary: dict[str, InstanceSummary] = {}
    for e in events:
        got = by_source.get(e.hash, [])
        before_e = summary.get(e.instance)
        summary[e.instance] = after_e = summarize(before_e, e)
        if e.type == "submit_for_review" or (e.type == "approve" and not e.effect["locked"]):
            assert [(n.kind, n.recipient) for n in got] == [("submitted", after_e.waiting_on)]
            assert got[0].level == after_e.level + 1
        elif e.type == "approve":
            assert before_e is not None
            earlier = before_e.reviewers[: before_e.level]
            want = [p for p in dict.fromkeys((before_e.assignee, *earlier)) if p != e.by]
            assert [(n.kind, n.recipient) for n in got] == [("approved", p) for p in want]
        elif e.type == "hand_back":
            assert [(n.kind, n.recipient) for n in got] == [("handed_back", after_e.assignee)]
        elif e.type == "reassign":
            assert [(n.kind, n.recipient) for n in got] == [("assigned", after_e.assignee)]
        elif e.type == "start":
            assert [n.kind for n in got] == ["assigned"]
        else:
            assert got == []


def test_the_trail_strategy_reaches_every_kind() -> None:
    kinds = set()
    for seed in range(40):
        rnd = random.Random(seed)
        events = _trail("c", [rnd.randrange(9) for _ in range(12)])
        kinds |= {n.kind for n in derive(events, DIRECTORY, now=NOW)}
    assert kinds == {"assigned", "submitted", "handed_back", "approved"}
    assert T0 < NOW
