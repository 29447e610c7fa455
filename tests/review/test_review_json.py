"""Events and instances round-trip through canonical JSON; the hand-written canonical
text of the hot path always equals the general definition."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from review_helpers import SHA, realistic_run, started

from workflowkit.insights.results import CheckResult, Finding, RecordRef
from workflowkit.review import (
    AddComment,
    Approve,
    Attach,
    Cancel,
    Complete,
    Event,
    HandBack,
    Instance,
    InvalidCommandError,
    InvalidRecordError,
    Reassign,
    RecordFindings,
    SetCheckStatus,
    Start,
    SubmitForReview,
    canonical_json,
    replay,
)
from workflowkit.review.commands import result_json
from workflowkit.templates.models import CheckStatus

INST, EVENTS = realistic_run()


def test_events_round_trip_exactly() -> None:
    for e in EVENTS:
        text = e.to_json()
        back = Event.from_json(text)
        assert back == e and back.to_json() == text and back.hash == e.computed_hash()
        assert Event.from_data(json.loads(text)) == e


def test_instances_round_trip_exactly() -> None:
    text = INST.to_json()
    back = Instance.from_json(text)
    assert back == INST and back.to_json() == text
    for k in (1, 2, 8, 12, 15):
        partial = replay(EVENTS[:k])
        assert Instance.from_json(partial.to_json()) == partial


def test_canonical_json_is_sorted_compact_and_utf8() -> None:
    text = canonical_json({"b": 1, "a": ["é", Decimal("1.50"), datetime(2024, 1, 1, tzinfo=UTC)]})
    assert text == '{"a":["é","1.50","2024-01-01T00:00:00+00:00"],"b":1}'
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_an_event_in_json_has_the_documented_shape() -> None:
    data = json.loads(EVENTS[5].to_json())
    assert sorted(data) == ["command", "effect", "hash", "instance", "prev", "version"]
    assert data["command"]["type"] == "set_check_status"
    assert data["prev"] == EVENTS[4].hash and len(data["hash"]) == 64
    assert EVENTS[5].body() == canonical_json({k: v for k, v in data.items() if k != "hash"})


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d.update(version="3"), "version"),
        (lambda d: d.update(version=0), "version"),
        (lambda d: d.update(hash="xyz"), "hash"),
        (lambda d: d["command"].update(type="delete_everything"), "command"),
        (lambda d: d["command"].update(at="2024-02-01T09:00:00"), "timezone-aware"),
        (lambda d: d["command"].update(by=""), "by"),
        (lambda d: d["command"].update(status="finished"), "status"),
        (lambda d: d["effect"].update(x=[1, 2]), "effect"),
        (lambda d: d.pop("prev"), "prev"),
    ],
)
def test_bad_event_json_is_refused_with_where(mutate, words: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(EVENTS[5].to_json())
    mutate(data)
    with pytest.raises(InvalidRecordError) as info:
        Event.from_json(json.dumps(data))
    assert words in str(info.value)


def test_unreadable_json() -> None:
    with pytest.raises(InvalidRecordError, match="event"):
        Event.from_json("{not json")
    with pytest.raises(InvalidRecordError, match="larger than"):
        Event.from_json(" " * (16 * 1024 * 1024 + 1))


def test_an_instance_that_breaks_the_rules_is_refused() -> None:
    data = json.loads(INST.to_json())
    data["status"] = "in_review"  # completed levels with an in-review status
    with pytest.raises(InvalidRecordError, match="level"):
        Instance.from_json(json.dumps(data))
    data = json.loads(INST.to_json())
    data["checks"] = data["checks"][:-1]
    with pytest.raises(InvalidRecordError, match="check states"):
        Instance.from_json(json.dumps(data))
    data = json.loads(started()[0].to_json())
    data["assignee"] = "rob"  # a reviewer preparing, which the policy forbids
    with pytest.raises(InvalidRecordError, match="own work"):
        Instance.from_json(json.dumps(data))


# --- the hand-written canonical text equals the general one ------------------------------

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s == s.strip() and s != "")
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
slugs = st.from_regex(r"\A[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?\Z")
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
times = st.builds(
    lambda base, micro, tz: base.replace(microsecond=micro, tzinfo=tz),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from([0, 1, 500_000, 999_999]),
    offsets,
)
amounts = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.sampled_from([Decimal("1E+2"), Decimal("-0.00"), Decimal("123456789012345.67")]),
)
findings = st.builds(
    Finding,
    code=slugs,
    severity=st.sampled_from(["info", "warning", "error"]),
    message=texts,
    amount=amounts,
    currency=st.one_of(st.none(), st.sampled_from(["GBP", "EUR"])),
    records=st.lists(
        st.builds(RecordRef, type=slugs, id=names, label=st.text(max_size=5)), max_size=3
    ).map(tuple),
)
results = st.builds(
    CheckResult,
    check=slugs,
    outcome=st.sampled_from(["pass", "issues"]),
    summary=texts,
    findings=st.lists(findings, max_size=3).map(tuple),
)
commands = st.one_of(
    st.builds(
        SetCheckStatus,
        check=slugs,
        status=st.sampled_from(list(CheckStatus)),
        comment=st.one_of(st.none(), texts),
        by=names,
        at=times,
    ),
    st.builds(AddComment, check=st.one_of(st.none(), slugs), text=texts, by=names, at=times),
    st.builds(
        Attach,
        check=st.one_of(st.none(), slugs),
        name=names.filter(lambda s: "/" not in s and "\\" not in s and s not in (".", "..")),
        sha256=st.just(SHA),
        size=st.integers(0, 2**63),
        media_type=st.sampled_from(["application/pdf", "text/csv", "image/png"]),
        by=names,
        at=times,
    ),
    st.builds(RecordFindings, check=slugs, result=results, by=names, at=times),
    st.builds(SubmitForReview, by=names, at=times),
    st.builds(Approve, comment=st.one_of(st.none(), texts), by=names, at=times),
    st.builds(HandBack, feedback=texts, by=names, at=times),
    st.builds(Cancel, reason=texts, by=names, at=times),
    st.builds(Complete, by=names, at=times),
    st.builds(Reassign, to=names, by=names, at=times),
)


@given(commands)
def test_hand_written_canonical_text_equals_the_general_one(cmd) -> None:  # type: ignore[no-untyped-def]
    assert cmd._body() == canonical_json(cmd.to_data())


@given(results)
def test_result_json_equals_the_general_one(r: CheckResult) -> None:
    assert result_json(r) == canonical_json(r.model_dump(mode="json"))


@given(names, names, texts)
def test_start_canonical_text_with_any_names(client: str, period: str, by: str) -> None:
    _, ev = started(client=client, period=period, by="mia")
    cmd = ev.command
    assert isinstance(cmd, Start)
    assert cmd._body() == canonical_json(cmd.to_data())
    assert ev.computed_hash() == ev.hash
    assert Event.from_json(ev.to_json()) == ev


@given(commands)
def test_commands_round_trip_inside_events(cmd) -> None:  # type: ignore[no-untyped-def]
    data = {
        "instance": "x",
        "version": 2,
        "command": cmd.to_data(),
        "effect": {},
        "prev": SHA,
        "hash": SHA,
    }
    back = Event.from_json(canonical_json(data))
    assert back.command == cmd
    assert back.command._body() == cmd._body()


def test_a_comment_that_is_only_spaces_is_refused() -> None:
    with pytest.raises(InvalidCommandError):
        SetCheckStatus(
            check="a",
            status="complete",
            comment="   ",
            by="ann",
            at=datetime(2024, 1, 1, tzinfo=UTC),
        )
