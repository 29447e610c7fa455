"""verify, replay and history: every kind of tampering is caught and named."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st
from review_helpers import at, realistic_run, started

from workflowkit.review import (
    AddComment,
    Approve,
    Event,
    InvalidRecordError,
    ReplayError,
    TamperError,
    apply,
    dump_events,
    format_history,
    history,
    load_events,
    replay,
    verify,
)

INST, EVENTS = realistic_run()


def reseal(e: Event) -> Event:
    """``e`` with its hash recomputed (an attacker who knows the format)."""
    return dataclasses.replace(e, hash=dataclasses.replace(e, hash="0" * 64).computed_hash())


def forged_after(events: list[Event], k: int, text: str = "forged") -> Event:
    """A well-formed event sealed right after ``events[k]`` (what an insider could make)."""
    inst = replay(events[: k + 1])
    if not inst.locked:
        return apply(inst, AddComment(text=text, by=inst.assignee, at=at(500)))[1]
    return reseal(
        dataclasses.replace(events[k], version=events[k].version + 1, prev=events[k].hash)
    )


def kind_of(events: list[Event], head: str | None = INST.head) -> TamperError:
    with pytest.raises(TamperError) as info:
        verify(events, head=head)
    return info.value


def test_an_intact_trail_verifies() -> None:
    chain = verify(EVENTS, head=INST.head)
    assert chain.count == len(EVENTS) == INST.version
    assert chain.head == INST.head and chain.instance == INST.id


def test_a_changed_event_is_named() -> None:
    k = 7
    changed = dataclasses.replace(
        EVENTS[k], command=dataclasses.replace(EVENTS[k].command, by="mallory")
    )
    err = kind_of([*EVENTS[:k], changed, *EVENTS[k + 1 :]])
    assert (err.kind, err.position, err.version) == ("changed", k, k + 1)
    assert "no longer matches its hash" in str(err)


def test_a_changed_and_resealed_event_breaks_the_next_link() -> None:
    k = 7
    changed = reseal(dataclasses.replace(EVENTS[k], effect={"from": "complete"}))
    err = kind_of([*EVENTS[:k], changed, *EVENTS[k + 1 :]])
    assert err.kind == "changed" and err.position == k


def test_the_last_event_changed_and_resealed_is_caught_by_the_head() -> None:
    last = reseal(dataclasses.replace(EVENTS[-1], effect={"level": 2, "locked": False}))
    err = kind_of([*EVENTS[:-1], last])
    assert err.kind == "dropped" and "head" in err.detail


def test_a_dropped_event_is_named_with_the_missing_version() -> None:
    err = kind_of([*EVENTS[:5], *EVENTS[6:]])
    assert (err.kind, err.position, err.version) == ("dropped", 5, 7)
    assert "version 6 missing" in str(err)
    err = kind_of([*EVENTS[:5], *EVENTS[8:]])
    assert "versions 6 to 8 missing" in str(err)


def test_dropping_the_first_event() -> None:
    err = kind_of(EVENTS[1:])
    assert err.kind == "dropped" and err.position == 0


def test_dropping_the_last_event_needs_the_head() -> None:
    err = kind_of(EVENTS[:-1])
    assert err.kind == "dropped" and err.position == len(EVENTS) - 1 and err.version is None
    # Without a head, a cut-off trail looks like a shorter one: that is what the head is for.
    assert verify(EVENTS[:-1]).count == len(EVENTS) - 1


def test_an_inserted_event_is_named() -> None:
    k = 10
    forged = forged_after(EVENTS, k)
    err = kind_of([*EVENTS[: k + 1], forged, *EVENTS[k + 1 :]])
    assert (err.kind, err.position) == ("inserted", k + 1)


def test_a_duplicated_event_is_an_insertion() -> None:
    err = kind_of([*EVENTS[:9], EVENTS[4], *EVENTS[9:]])
    assert err.kind == "inserted" and err.position == 9 and "copy of version 5" in err.detail


def test_an_event_appended_after_the_head() -> None:
    extra = reseal(
        dataclasses.replace(EVENTS[-1], version=EVENTS[-1].version + 1, prev=EVENTS[-1].hash)
    )
    err = kind_of([*EVENTS, extra])
    assert err.kind == "inserted" and err.position == len(EVENTS)


def test_an_event_of_another_instance() -> None:
    _, other = started(client="globex")
    err = kind_of([*EVENTS[:3], other, *EVENTS[3:]])
    assert err.kind == "inserted" and err.position == 3 and "globex" in err.detail


def test_swapped_and_moved_events_are_reordered() -> None:
    swapped = list(EVENTS)
    swapped[4], swapped[5] = swapped[5], swapped[4]
    err = kind_of(swapped)
    assert (err.kind, err.position) == ("reordered", 4)
    moved = list(EVENTS)
    moved.insert(12, moved.pop(3))
    assert kind_of(moved).kind == "reordered"
    far = list(EVENTS)
    far[2], far[15] = far[15], far[2]
    assert kind_of(far).kind == "reordered"


def test_an_empty_trail() -> None:
    assert kind_of([], head=None).kind == "dropped"


TAMPERS = st.sampled_from(["change", "reseal", "drop", "insert", "duplicate", "swap"])


def tampered(how: str, i: int, j: int) -> list[Event]:
    out = list(EVENTS)
    n = len(out)
    i %= n
    j %= n
    if how in ("change", "reseal"):
        e = out[i]
        changed = dataclasses.replace(
            e, command=dataclasses.replace(e.command, at=e.at.replace(microsecond=1))
        )
        out[i] = reseal(changed) if how == "reseal" else changed
    elif how == "drop":
        del out[i]
    elif how == "insert":
        out.insert(i + 1, forged_after(EVENTS, i, text=f"forged {j}"))
    elif how == "duplicate":
        out.insert(j, out[i])
    else:
        if i == j:
            j = (i + 1) % n
        out[i], out[j] = out[j], out[i]
    return out


@given(how=TAMPERS, i=st.integers(0, 10_000), j=st.integers(0, 10_000))
def test_any_tampering_is_caught_with_the_head(how: str, i: int, j: int) -> None:
    with pytest.raises(TamperError) as info:
        verify(tampered(how, i, j), head=INST.head)
    assert info.value.kind in ("changed", "dropped", "inserted", "reordered")


@given(how=TAMPERS, i=st.integers(0, len(EVENTS) - 3), j=st.integers(0, len(EVENTS) - 3))
def test_tampering_before_the_end_is_caught_even_without_the_head(how: str, i: int, j: int) -> None:
    with pytest.raises(TamperError):
        verify(tampered(how, i, j))


# --- replay ----------------------------------------------------------------------------


def test_replay_rebuilds_the_instance_exactly() -> None:
    assert replay(EVENTS) == INST
    for k in range(1, len(EVENTS)):
        assert replay(EVENTS[:k]).version == k


def test_replay_refuses_a_trail_that_does_not_start_with_start() -> None:
    with pytest.raises(ReplayError, match="not start"):
        replay(EVENTS[1:])
    with pytest.raises(ReplayError, match="no events"):
        replay([])


def test_replay_refuses_a_well_sealed_but_illegal_command() -> None:
    # An insider writes a properly chained approval by someone who is not the reviewer.
    inst = replay(EVENTS[:-1])
    fake = dataclasses.replace(EVENTS[-1], command=Approve(by="mallory", at=EVENTS[-1].at))
    fake = reseal(fake)
    verify([*EVENTS[:-1], fake])  # the chain alone cannot tell...
    with pytest.raises(ReplayError) as info:
        replay([*EVENTS[:-1], fake])  # ...but the rules can
    assert info.value.position == len(EVENTS) - 1 and "refused" in info.value.reason
    assert inst.current_reviewer == "rita"


def test_replay_refuses_a_recorded_effect_the_command_does_not_give() -> None:
    fake = reseal(dataclasses.replace(EVENTS[-1], effect={"level": 2, "locked": False}))
    with pytest.raises(ReplayError, match="effect"):
        replay([*EVENTS[:-1], fake])


# --- history ---------------------------------------------------------------------------


def test_history_says_who_did_what_and_when() -> None:
    entries = history(EVENTS)
    assert len(entries) == len(EVENTS)
    assert [e.version for e in entries] == list(range(1, len(EVENTS) + 1))
    texts = [e.text for e in entries]
    assert texts[0].startswith("started monthly@1.0.0 for acme, period 2024-01, due 2024-02-07")
    assert "reviewers rob (reviewer), rita (manager)" in texts[0]
    assert any("recorded 1 finding(s) of bank-reconciliation on check-0" in t for t in texts)
    assert any(
        'set check-0 to complete with issues: "Two items chased" (as the findings suggested)' in t
        for t in texts
    )
    assert any(t.startswith("attached statement.pdf (100 bytes") for t in texts)
    assert any(t.startswith("submitted for review to rob") for t in texts)
    assert any(t.startswith("handed back at level 2 of 2 (manager)") for t in texts)
    assert any(t.startswith("undid check-3 (was complete)") for t in texts)
    assert texts[-1] == 'approved level 2 of 2 (manager): "Good"; completed and locked'
    assert entries[-1].by == "rita" and entries[-1].action == "approve"
    line = str(entries[-1])
    assert line.startswith(f"v{len(EVENTS)}") and "rita" in line and "2024-02-01T09:" in line
    assert format_history(EVENTS).count("\n") == len(EVENTS) - 1


def test_line_separators_inside_text_survive_json_lines() -> None:
    inst, first = started()
    _, ev = apply(inst, AddComment(text="one\u2028two\u2029three\x85four", by="ann", at=at(1)))
    assert load_events(dump_events([first, ev])) == [first, ev]


def test_events_and_instances_can_be_set_members() -> None:
    assert len(set(EVENTS) | set(EVENTS)) == len(EVENTS)
    assert {INST, replay(EVENTS)} == {INST}


def test_events_export_and_import_as_json_lines() -> None:
    text = dump_events(EVENTS)
    assert text.count("\n") == len(EVENTS)
    assert load_events(text) == EVENTS
    broken = text.replace('"version":3', '"version":"3"', 1)
    with pytest.raises(InvalidRecordError) as info:
        load_events(broken)
    assert "line 3" in str(info.value) and "version" in str(info.value)
