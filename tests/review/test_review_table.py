"""The transition table is the one source: the engine follows it, the docs show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import DUE, SHA, T0, at, realistic_run, result, started

from workflowkit.review import (
    TRANSITIONS,
    AddComment,
    Approve,
    Attach,
    Cancel,
    CancelledError,
    Command,
    Complete,
    HandBack,
    Instance,
    InvalidTransitionError,
    LockedError,
    Reassign,
    RecordFindings,
    SetCheckStatus,
    Start,
    SubmitForReview,
    WorkflowStatus,
    apply,
    replay,
)
from workflowkit.review.engine import _DISPATCH
from workflowkit.review.handlers import HANDLERS, PERMISSIONS
from workflowkit.review.render import BEGIN, END, render_markdown, update_doc
from workflowkit.review.table import ACTORS, COMMANDS, accepted, rows, targets

DOC = Path(__file__).resolve().parents[2] / "docs" / "review.md"


def test_the_docs_show_the_current_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render_markdown() in text, (
        "docs/review.md is stale: run `python -m workflowkit.review.render docs/review.md`"
    )
    assert update_doc(text) == text


def test_the_rendering_has_every_row_in_both_forms() -> None:
    out = render_markdown()
    assert out.startswith(BEGIN) and out.endswith(END)
    assert "```mermaid\nstateDiagram-v2" in out
    for t in TRANSITIONS:
        src = "[*]" if t.source is None else t.source.value
        assert f"{src} --> {t.target.value}: {t.command} ({t.actor})" in out
        assert f"| `{t.command}` | {t.actor} | {t.guard} | `{t.target.value}` |" in out


def test_update_doc_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="generated"):
        update_doc("# no table here\n")
    stale = f"before\n{BEGIN}\nold table\n{END}\nafter\n"
    assert update_doc(stale) == f"before\n{render_markdown()}\nafter\n"


def test_every_row_has_a_handler_and_a_known_actor() -> None:
    for t in TRANSITIONS:
        assert t.actor in ACTORS and t.actor in PERMISSIONS
        if t.source is not None:
            assert t.command in HANDLERS
            assert _DISPATCH[t.source][t.command][0] is HANDLERS[t.command]
    assert set(COMMANDS) == {*HANDLERS, "start"}
    assert targets(WorkflowStatus.IN_REVIEW, "approve") == {
        WorkflowStatus.IN_REVIEW,
        WorkflowStatus.COMPLETED,
    }
    assert rows(WorkflowStatus.COMPLETED, "comment") == ()
    assert rows(WorkflowStatus.CANCELLED, "comment") == ()
    assert accepted(WorkflowStatus.COMPLETED) == ()


def _in_each_state() -> dict[WorkflowStatus, Instance]:
    locked, events = realistic_run()
    in_review = next(
        replay(events[:k])
        for k in range(len(events), 0, -1)
        if replay(events[:k]).status is WorkflowStatus.IN_REVIEW
    )
    cancelled, _ = apply(in_review, Cancel(reason="client left", by="ann", at=at(80)))
    return {
        WorkflowStatus.IN_PROGRESS: started()[0],
        WorkflowStatus.IN_REVIEW: in_review,
        WorkflowStatus.COMPLETED: locked,
        WorkflowStatus.CANCELLED: cancelled,
    }


def _every_command(inst: Instance) -> list[Command]:
    """One of each command, given by the person most likely to be allowed."""
    who = inst.current_reviewer or inst.assignee
    return [
        SetCheckStatus(check="check-3", status="complete", by=inst.assignee, at=at(90)),
        AddComment(text="x", by=inst.assignee, at=at(90)),
        Attach(
            name="a.pdf",
            sha256=SHA,
            size=1,
            media_type="application/pdf",
            by=inst.assignee,
            at=at(90),
        ),
        RecordFindings(check="check-0", result=result(), by="insights", at=at(90)),
        SubmitForReview(by=inst.assignee, at=at(90)),
        Approve(by=who, at=at(90)),
        HandBack(feedback="x", by=who, at=at(90)),
        Complete(by=inst.assignee, at=at(90)),
        Reassign(to="zed", by=inst.assignee, at=at(90)),
        Cancel(reason="made by mistake", by=inst.assignee, at=at(90)),
        Start(
            instance=inst.id,
            template=inst.template,
            client="acme",
            period="2024-01",
            assignee="ann",
            reviewers=("rob", "rita"),
            due=DUE,
            by="mia",
            at=T0,
        ),
    ]


@pytest.mark.parametrize("status", list(WorkflowStatus))
def test_a_pair_the_table_lacks_is_refused(status: WorkflowStatus) -> None:
    inst = _in_each_state()[status]
    assert inst.status is status
    for cmd in _every_command(inst):
        if rows(status, cmd.type):
            continue
        with pytest.raises(InvalidTransitionError) as info:
            apply(inst, cmd)
        if status is WorkflowStatus.COMPLETED:
            assert isinstance(info.value, LockedError)
        if status is WorkflowStatus.CANCELLED:
            assert isinstance(info.value, CancelledError)
            assert info.value.state == "cancelled" and "cancelled" in info.value.reason


def test_cancel_is_accepted_from_every_state_that_is_not_terminal() -> None:
    for status in WorkflowStatus:
        terminal = status in (WorkflowStatus.COMPLETED, WorkflowStatus.CANCELLED)
        assert targets(status, "cancel") == (
            frozenset() if terminal else {WorkflowStatus.CANCELLED}
        )
    assert accepted(WorkflowStatus.CANCELLED) == ()
