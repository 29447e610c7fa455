"""The hot path's shortcuts (issue 18) give exactly what the general definitions give.

- ``iso_time`` is ``datetime.isoformat()``, for every datetime;
- objects built as drafts are plain instances of their frozen classes: same type, equal,
  hashable, frozen;
- a start event's hash, read in three pieces, is the SHA-256 of its body;
- the plan's level roles are the policy's.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from hashlib import sha256

import pytest
from hypothesis import given
from hypothesis import strategies as st
from review_helpers import make_template, realistic_run, result, started

from workflowkit.review import SetCheckStatus, Start, apply, replay, verify
from workflowkit.review.canonical import canonical_json, iso_time
from workflowkit.review.commands import template_bytes, template_json
from workflowkit.review.drafts import draft_of
from workflowkit.review.events import Event
from workflowkit.review.sealing import make_attachment, make_comment, make_findings
from workflowkit.review.state import CheckState, Instance, Setup, plan_of

T0 = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)


# --- iso_time ----------------------------------------------------------------------


@given(st.datetimes(timezones=st.just(UTC)))
def test_iso_time_is_isoformat_for_utc_times(at: datetime) -> None:
    assert iso_time(at) == at.isoformat()


@given(
    st.datetimes(
        timezones=st.builds(
            timezone, st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timedelta(minutes=m))
        )
    )
)
def test_iso_time_is_isoformat_for_other_offsets(at: datetime) -> None:
    assert iso_time(at) == at.isoformat()


def test_iso_time_leaves_a_subclass_to_its_own_isoformat() -> None:
    class Odd(datetime):
        def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
            return "odd"

    at = Odd(2024, 2, 1, tzinfo=UTC)
    assert iso_time(at) == "odd"
    assert iso_time(datetime(5, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "0005-01-02T03:04:05.000006+00:00"


# --- drafts ------------------------------------------------------------------------


def _run() -> tuple[Instance, list[Event]]:
    inst, first = started(make_template(levels=("reviewer",)), reviewers=["rob"])
    check = inst.setup.template.checks[3].id
    inst, second = apply(inst, SetCheckStatus(check=check, status="complete", by="ann", at=T0))
    return inst, [first, second]


def test_the_engine_makes_exact_instances_of_its_frozen_classes() -> None:
    inst, events = _run()
    made: list[Instance | Setup | CheckState | Event] = [inst, inst.setup, inst.checks[0], *events]
    for obj in made:
        assert type(obj) in (Instance, Setup, CheckState, Event)
        assert "Draft" not in type(obj).__name__
        name = dataclasses.fields(obj)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)
    assert hash(inst) == hash(Instance.from_json(inst.to_json()))
    assert {events[1]: 1}[Event.from_json(events[1].to_json())] == 1
    # Equal to what the general way builds, field for field; the same for a whole run
    # (findings, files, comments, hand-back, approvals).
    assert replay(events) == inst
    whole, trail = realistic_run()
    assert replay(trail) == whole and Instance.from_json(whole.to_json()) == whole
    assert Instance.from_json(inst.to_json()) == inst
    assert [Event.from_json(e.to_json()) for e in events] == events
    assert dataclasses.replace(inst.checks[0]) == inst.checks[0]


def test_made_notes_are_exact_and_frozen() -> None:
    from workflowkit.review import Attach
    from workflowkit.review.state import Attachment, Comment, Findings

    comment = make_comment("Looks right.", "rob", T0, "comment")
    assert type(comment) is Comment and comment == Comment("Looks right.", "rob", T0, "comment")
    cmd = Attach(name="a.pdf", sha256="0" * 64, size=3, media_type="application/pdf", by="a", at=T0)
    attachment = make_attachment(cmd)
    assert type(attachment) is Attachment
    assert attachment == Attachment("a.pdf", "0" * 64, 3, "application/pdf", "a", T0)
    found = result("pass")
    findings = make_findings(found, "insights", T0)
    assert type(findings) is Findings and findings == Findings(found, "insights", T0)
    for obj in (comment, attachment, findings):
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.by = "someone else"  # type: ignore[misc]


def test_a_draft_is_only_made_of_a_slotted_dataclass() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        x: int

    class Plain:
        __slots__ = ("x",)

    for cls in (NoSlots, Plain):
        with pytest.raises(TypeError, match="not a slotted dataclass"):
            draft_of(cls)


# --- the start event's hash, in pieces -----------------------------------------------


def test_a_start_events_hash_is_the_sha256_of_its_body() -> None:
    inst, (first, _) = _run()
    assert first.hash == sha256(first.body().encode()).hexdigest() == first.computed_hash()
    assert inst.version == 2 and inst.setup.id_json == f'"{inst.id}"'
    cmd = first.command
    assert isinstance(cmd, Start)
    assert cmd._body() == canonical_json(cmd.to_data())
    assert cmd._body() == cmd._body_head() + template_json(cmd.template) + ',"type":"start"}'
    assert template_bytes(cmd.template) == template_json(cmd.template).encode("utf-8")
    verify([first], head=first.hash)


# --- the plan's roles ----------------------------------------------------------------


@pytest.mark.parametrize("levels", [(), ("reviewer",), ("reviewer", "manager", "partner")])
def test_the_plans_roles_are_the_policys(levels: tuple[str, ...]) -> None:
    template = make_template(levels=levels, min_reviewers=0, max_reviewers=len(levels) + 1)
    plan = plan_of(template)
    for n in range(template.review.maximum + 3):
        assert plan.roles_for(template, n) == template.review.roles(n)
    inst, _ = started(template, reviewers=["rob", "rita", "raj", "ria"][: len(levels) + 1])
    assert inst.setup.roles == template.review.roles(len(levels) + 1)
