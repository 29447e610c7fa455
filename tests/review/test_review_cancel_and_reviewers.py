"""Issue 16: reviewers per workflow (0..N within the policy's limits), cancelling, the
checks ``start`` makes when it knows the practice, and default ids that never collide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from review_helpers import DUE, T0, at, make_template, realistic_run, started

from workflowkit.calendar.plan import Occurrence
from workflowkit.review import (
    Cancel,
    CancelledError,
    Complete,
    InvalidCommandError,
    InvalidStartError,
    PeriodMismatchError,
    PermissionDeniedError,
    SetCheckStatus,
    UnknownClientError,
    WorkflowStatus,
    apply,
    default_instance_id,
    format_history,
    parse_period,
    period_problem,
    replay,
    start,
    verify,
)
from workflowkit.run.due import instance_id, period_label
from workflowkit.store import SQLiteEventStore
from workflowkit.templates.resolve import ResolvedTemplate


def _start(template: ResolvedTemplate, reviewers: tuple[str, ...], **kw: object):  # type: ignore[no-untyped-def]
    return start(
        template,
        client=kw.pop("client", "acme"),  # type: ignore[arg-type]
        period=kw.pop("period", "2024-01"),  # type: ignore[arg-type]
        assignee="ann",
        reviewers=reviewers,
        due=DUE,
        at=T0,
        by="mia",
        **kw,  # type: ignore[arg-type]
    )


# --- reviewers per workflow -----------------------------------------------------------


def test_one_template_runs_with_none_one_or_two_reviewers() -> None:
    t = make_template(levels=("manager", "partner"), min_reviewers=0, max_reviewers=3)
    for people in ((), ("rob",), ("rob", "rita"), ("rob", "rita", "ray")):
        inst, _ = _start(t, people)
        assert inst.setup.levels == len(people)
        assert inst.setup.roles == ("manager", "partner", "reviewer")[: len(people)]
    with pytest.raises(InvalidStartError, match="0 to 3 reviewer"):
        _start(t, ("a", "b", "c", "d"))


def test_a_policy_without_limits_keeps_its_exact_count() -> None:
    t = make_template(levels=("manager",))
    assert (t.review.minimum, t.review.maximum) == (1, 1)
    with pytest.raises(InvalidStartError, match="exactly 1 reviewer"):
        _start(t, ())
    # and it dumps (so pins and hashes) exactly as before the limits existed
    assert (
        "min_reviewers" not in t.review.model_dump() and "max_reviewers" not in t.model_dump_json()
    )


def test_limits_that_exclude_the_default_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        make_template(levels=("manager", "partner"), min_reviewers=0, max_reviewers=1)
    with pytest.raises(ValueError, match="more than"):
        make_template(levels=(), min_reviewers=2, max_reviewers=1)


def test_with_no_reviewers_the_assignee_completes_and_it_locks() -> None:
    t = make_template(checks=1, levels=("manager",), min_reviewers=0)
    inst, first = _start(t, ())
    inst, e1 = apply(inst, SetCheckStatus(check="check-0", status="complete", by="ann", at=at(1)))
    inst, e2 = apply(inst, Complete(by="ann", at=at(2)))
    assert inst.locked and inst.status is WorkflowStatus.COMPLETED
    assert replay([first, e1, e2]) == inst


# --- cancel ------------------------------------------------------------------------------


def test_cancel_is_recorded_in_the_chain_and_ends_the_instance() -> None:
    inst, first = started()
    done, ev = apply(inst, Cancel(reason="client left", by="rob", at=at(5)))
    assert done.status is WorkflowStatus.CANCELLED and done.cancelled and not done.locked
    assert done.waiting_on is None and ev.effect == {"from": "in_progress"}
    assert verify([first, ev], head=done.head).count == 2
    assert replay([first, ev]) == done
    assert 'cancelled (was in_progress): "client left"' in format_history([first, ev])
    with pytest.raises(CancelledError) as info:
        apply(done, SetCheckStatus(check="check-3", status="complete", by="ann", at=at(6)))
    assert info.value.state == "cancelled"
    with pytest.raises(CancelledError):
        apply(done, Cancel(reason="again", by="ann", at=at(7)))


def test_cancel_needs_a_reason_and_a_participant() -> None:
    inst, _ = started()
    with pytest.raises(InvalidCommandError, match="reason"):
        Cancel(reason="  ", by="ann", at=at(1))
    with pytest.raises(PermissionDeniedError):
        apply(inst, Cancel(reason="not mine", by="zed", at=at(1)))


def test_a_completed_instance_cannot_be_cancelled() -> None:
    locked, _ = realistic_run()
    with pytest.raises(Exception, match="locked"):
        apply(locked, Cancel(reason="too late", by=locked.assignee, at=at(500)))


def test_the_store_keeps_a_cancelled_instance_out_of_the_overdue_queue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    inst, first = started()
    with SQLiteEventStore(tmp_path / "s.db") as store:
        store.append(inst.id, [first], 0)
        assert [s.id for s in store.instances(overdue_on=date(2030, 1, 1))] == [inst.id]
        _, ev = apply(inst, Cancel(reason="made by mistake", by="ann", at=at(1)))
        store.append(inst.id, [ev], 1)
        assert store.get(inst.id).status == "cancelled"
        assert store.instances(overdue_on=date(2030, 1, 1)) == []
        assert [s.id for s in store.instances(status="cancelled")] == [inst.id]


# --- start knows the practice --------------------------------------------------------


@dataclass(frozen=True)
class _Client:
    id: str


@dataclass(frozen=True)
class _Practice:
    clients: tuple[_Client, ...]


PRACTICE = _Practice((_Client("acme-widgets-ltd"), _Client("beta-bakery")))


def _kind(kind: str) -> ResolvedTemplate:
    t = make_template(levels=())
    return t.model_copy(update={"period": kind})


def test_an_unknown_client_is_refused_with_a_did_you_mean() -> None:
    with pytest.raises(UnknownClientError) as info:
        _start(_kind("monthly"), (), client="acme-widget-ltd", practice=PRACTICE)
    assert info.value.suggestions == ("acme-widgets-ltd",)
    assert "did you mean 'acme-widgets-ltd'?" in str(info.value)
    inst, _ = _start(_kind("monthly"), (), client="acme-widgets-ltd", practice=PRACTICE)
    assert inst.client == "acme-widgets-ltd"


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("monthly", ["2026-11", "2026-04-06..2026-05-05"], ["2026-Q3", "banana", "2026-13"]),
        ("quarterly", ["2026-Q3", "2026-10-01..2026-12-31"], ["2026-11", "2026"]),
        ("vat-period", ["2026-Q3", "2026-11", "2026-02-01..2026-04-30"], ["banana"]),
        (
            "annual",
            ["2026", "2025-04-01..2026-03-31"],
            ["2026-Q3", "2026-11", "2024-01-01..2026-12-31"],
        ),
        ("one-off", ["2026-01-01..2026-06-30"], ["later"]),
    ],
)
def test_a_period_must_fit_the_templates_kind(kind: str, good: list[str], bad: list[str]) -> None:
    for period in good:
        assert period_problem(kind, period) is None, period
        _start(_kind(kind), (), client="beta-bakery", period=period, practice=PRACTICE)
    for period in bad:
        assert period_problem(kind, period) is not None, period
        with pytest.raises(PeriodMismatchError) as info:
            _start(_kind(kind), (), client="beta-bakery", period=period, practice=PRACTICE)
        assert info.value.field == "period" and kind in str(info.value)
    assert period_problem("any", "banana") is None


def test_without_the_practice_nothing_is_checked() -> None:
    inst, _ = _start(_kind("monthly"), (), client="acme-widget-ltd", period="banana")
    assert inst.period == "banana"


@given(st.dates(date(1900, 1, 1), date(2200, 12, 1)))
def test_period_labels_read_back(d: date) -> None:
    span = parse_period(f"{d.year:04d}-{d.month:02d}")
    assert span is not None and span.start == d.replace(day=1) and span.shape == "month"
    label = f"{d.isoformat()}..{d.isoformat()}"
    assert parse_period(label) == type(span)(d, d, "range")


# --- default ids ---------------------------------------------------------------------

slugs = st.from_regex(r"\A[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?\Z")


@given(
    client=slugs, template=slugs, w1=slugs, w2=slugs, period=st.sampled_from(["2026-11", "2026"])
)
def test_two_workflows_never_share_a_default_id(
    client: str, template: str, w1: str, w2: str, period: str
) -> None:
    a = default_instance_id(template, client, period, workflow=w1)
    b = default_instance_id(template, client, period, workflow=w2)
    assert (a == b) == (w1 == w2)
    assert default_instance_id(template, client, period) == f"{client}/{template}/{period}"


@given(
    client=slugs, template=slugs, workflow=slugs, start=st.dates(date(2000, 1, 1), date(2100, 1, 1))
)
def test_run_ids_are_the_default_ids(
    client: str, template: str, workflow: str, start: date
) -> None:
    end = date(start.year, 12, 31)
    occ = Occurrence(
        "k" * 32, workflow, client, template, "1.0.0", start, end, end, T0, end, None, "ann", ()
    )
    label = period_label(start, end)
    assert instance_id(occ) == default_instance_id(template, client, label, workflow=workflow)
    inst, _ = _start(make_template(levels=()), (), client=client, period=label, workflow=workflow)
    assert inst.id == instance_id(occ)
