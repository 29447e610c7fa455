"""start and apply: each command, each rule of who may do what, each refusal."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

import pytest
from review_helpers import DUE, SHA, T0, at, make_template, realistic_run, result, started

from workflowkit.errors import NotFoundError, ReviewError
from workflowkit.review import (
    GENESIS,
    AddComment,
    Approve,
    Attach,
    Complete,
    HandBack,
    IllegalCommandError,
    InvalidCommandError,
    InvalidStartError,
    InvalidTransitionError,
    LockedError,
    NoChangeError,
    PermissionDeniedError,
    PolicyError,
    Reassign,
    RecordFindings,
    RequirementNotMetError,
    SetCheckStatus,
    SubmitForReview,
    UnknownCheckError,
    UnresolvedChecksError,
    WorkflowStatus,
    WrongCheckError,
    apply,
    apply_all,
    record_findings,
    start,
)
from workflowkit.templates.models import CheckStatus


def done(status: str = "complete", check: str = "check-3", **kw: object) -> SetCheckStatus:
    return SetCheckStatus(
        check=check,
        status=status,
        by=kw.pop("by", "ann"),  # type: ignore[arg-type]
        at=kw.pop("at", at(1)),
        **kw,
    )  # type: ignore[arg-type]


def resolve_all(inst, by: str = "ann"):  # type: ignore[no-untyped-def]
    cmds = [
        Attach(
            check="check-1",
            name="s.pdf",
            sha256=SHA,
            size=1,
            media_type="application/pdf",
            by=by,
            at=at(1),
        ),
        done("complete", "check-0", by=by),
        done("complete", "check-1", by=by),
        done("not_applicable", "check-2", comment="no payroll", by=by),
        done("complete", "check-3", by=by),
    ]
    return apply_all(inst, cmds)[0]


# --- start -------------------------------------------------------------------------


def test_start_gives_version_1_and_the_first_event() -> None:
    inst, ev = started()
    assert inst.version == 1 and inst.head == ev.hash
    assert ev.version == 1 and ev.prev == GENESIS and ev.type == "start"
    assert ev.by == "mia" and ev.at == T0
    assert inst.id == "acme/monthly/2024-01"
    assert inst.status is WorkflowStatus.IN_PROGRESS and inst.level == 0
    assert inst.unresolved == ("check-0", "check-1", "check-2", "check-3")
    assert inst.waiting_on == "ann" and inst.current_reviewer is None
    assert inst.updated_at == T0 and inst.due == DUE


def test_start_pins_a_copy_that_later_edits_never_reach() -> None:
    template = make_template()
    inst, _ = started(template)
    assert inst.template == template and inst.template is not template
    # A frozen model can still be abused through its dict params: the pinned copy is apart.
    template.checks[0].params["lookback_days"] = 999
    assert inst.template.checks[0].params == {"lookback_days": 30}
    # A new version of the template changes nothing for the started instance.
    newer = make_template(checks=6, levels=("reviewer",), version="2.0.0")
    assert newer.version == "2.0.0"
    assert inst.template.version == "1.0.0" and len(inst.checks) == 4


def test_instances_of_one_template_share_its_pinned_copy() -> None:
    template = make_template()
    a, _ = started(template, client="a")
    b, _ = started(template, client="b")
    assert a.template is b.template  # structural sharing: one frozen copy


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"assignee": ""}, "assignee", "needs an assignee"),
        ({"reviewers": ("rob",)}, "reviewers", "exactly 2 reviewer(s) (reviewer, manager)"),
        ({"reviewers": ("ann", "rita")}, "reviewers", "may not review their own work"),
        ({"reviewers": ("rob", "rob")}, "reviewers", "two levels"),
        ({"at": datetime(2024, 2, 1, 9, 0)}, "at", "timezone-aware"),
        ({"by": " mia"}, "by", "space"),
        ({"client": ""}, "client", "empty"),
    ],
)
def test_start_refuses_what_the_policy_or_types_forbid(
    kwargs: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidStartError) as info:
        started(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert words in str(info.value)
    assert isinstance(info.value, ReviewError)


def test_start_refuses_a_datetime_as_due_date_and_a_non_template() -> None:
    with pytest.raises(InvalidStartError, match="due"):
        start(
            make_template(),
            client="a",
            period="p",
            assignee="ann",
            reviewers=("rob", "rita"),
            due=T0,
            at=T0,
            by="mia",
        )
    with pytest.raises(InvalidStartError, match="ResolvedTemplate"):
        start(
            {"id": "x"},
            client="a",
            period="p",
            assignee="ann",  # type: ignore[arg-type]
            due=DUE,
            at=T0,
            by="mia",
        )


def test_the_policy_can_allow_the_preparer_and_one_person_at_two_levels() -> None:
    relaxed = make_template(preparer_may_review=True, same_reviewer=True)
    inst, _ = started(relaxed, reviewers=("ann", "ann"))
    inst = resolve_all(inst)
    inst, _ = apply(inst, SubmitForReview(by="ann", at=at(2)))
    inst, _ = apply(inst, Approve(by="ann", at=at(3)))
    inst, ev = apply(inst, Approve(by="ann", at=at(4)))
    assert inst.locked and dict(ev.effect) == {"level": 2, "locked": True}


# --- checks --------------------------------------------------------------------------


def test_set_check_status_records_who_when_and_the_note() -> None:
    inst, _ = started()
    inst, ev = apply(inst, done("complete_with_issues", comment="Two items"))
    state = inst.check("check-3")
    assert state.status is CheckStatus.COMPLETE_WITH_ISSUES and state.note == "Two items"
    assert state.by == "ann" and state.at == at(1)
    assert dict(ev.effect) == {"from": "pending", "followed_suggestion": None}
    assert inst.updated_at == at(1) and inst.version == 2


def test_complete_with_issues_always_needs_a_comment() -> None:
    inst, _ = started()
    with pytest.raises(RequirementNotMetError) as info:
        apply(inst, done("complete_with_issues"))
    err = info.value
    assert err.check == "check-3" and err.requirement == "comment"
    assert err.command == "set_check_status" and err.actor == "ann"
    assert err.state == "in_progress" and err.instance == inst.id and err.version == 1
    assert "needs a comment" in str(err)


def test_not_applicable_takes_an_optional_reason_unless_the_check_requires_one() -> None:
    inst, _ = started()
    inst, _ = apply(inst, done("not_applicable"))
    assert inst.check("check-3").note is None
    inst, _ = apply(inst, done("not_applicable", "check-0", comment="Cash only"))
    assert inst.check("check-0").note == "Cash only"
    with pytest.raises(RequirementNotMetError, match="comment"):
        apply(inst, done("not_applicable", "check-2"))  # check-2 requires a reason


def test_a_file_requirement_needs_an_attachment_first() -> None:
    inst, _ = started()
    with pytest.raises(RequirementNotMetError) as info:
        apply(inst, done("complete", "check-1"))
    assert info.value.requirement == "file"
    inst, _ = apply(
        inst,
        Attach(
            check="check-1",
            name="bank.pdf",
            sha256=SHA,
            size=10,
            media_type="application/pdf",
            by="ann",
            at=at(1),
        ),
    )
    inst, _ = apply(inst, done("complete", "check-1"))
    assert inst.check("check-1").status is CheckStatus.COMPLETE
    assert inst.check("check-1").files[0].name == "bank.pdf"


def test_undo_returns_a_check_to_pending_and_needs_something_to_undo() -> None:
    inst, _ = started()
    with pytest.raises(NoChangeError, match="nothing to undo"):
        apply(inst, SetCheckStatus.undo("check-3", by="ann", at=at(1)))
    inst, _ = apply(inst, done())
    inst, ev = apply(inst, SetCheckStatus.undo("check-3", by="ann", at=at(2)))
    assert inst.check("check-3").status is CheckStatus.PENDING
    assert dict(ev.effect)["from"] == "complete"


def test_setting_the_same_status_and_note_again_changes_nothing() -> None:
    inst, _ = started()
    inst, _ = apply(inst, done())
    with pytest.raises(NoChangeError, match="already complete"):
        apply(inst, done())
    inst, _ = apply(inst, done("complete", comment="Now with a note"))  # a new note is a change
    assert inst.check("check-3").note == "Now with a note"


def test_only_the_assignee_works_checks() -> None:
    inst, _ = started()
    with pytest.raises(PermissionDeniedError) as info:
        apply(inst, done(by="rob"))
    assert "only the assignee (ann)" in str(info.value)
    assert info.value.actor == "rob"


def test_an_unknown_check_is_named() -> None:
    inst, _ = started()
    with pytest.raises(UnknownCheckError) as info:
        apply(inst, done(check="no-such-check"))
    assert info.value.check == "no-such-check"
    assert isinstance(info.value, NotFoundError)
    assert "monthly@1.0.0" in str(info.value)
    with pytest.raises(UnknownCheckError):
        apply(inst, AddComment(check="nope", text="x", by="ann", at=at(1)))


def test_unchanged_check_states_are_shared_between_versions() -> None:
    inst, _ = started()
    after, _ = apply(inst, done())
    assert after.setup is inst.setup
    assert all(after.checks[i] is inst.checks[i] for i in range(3))
    assert after.checks[3] is not inst.checks[3]


# --- comments and files ----------------------------------------------------------------


def test_comments_on_checks_and_on_the_workflow_by_participants() -> None:
    inst, _ = started()
    inst, _ = apply(inst, AddComment(check="check-2", text="Payroll late", by="rob", at=at(1)))
    inst, _ = apply(inst, AddComment(text="Client slow", by="ann", at=at(2)))
    assert inst.check("check-2").comments[0].text == "Payroll late"
    assert inst.comments[0].by == "ann" and inst.comments[0].kind == "comment"
    with pytest.raises(PermissionDeniedError, match="the assignee or a reviewer"):
        apply(inst, AddComment(text="hi", by="olly", at=at(3)))


def test_attach_keeps_a_reference_not_bytes() -> None:
    inst, _ = started()
    inst, ev = apply(
        inst,
        Attach(
            name="tb.xlsx",
            sha256=SHA,
            size=2048,
            media_type="application/vnd.ms-excel",
            by="ann",
            at=at(1),
        ),
    )
    ref = inst.files[0]
    assert (ref.name, ref.sha256, ref.size, ref.by) == ("tb.xlsx", SHA, 2048, "ann")
    assert ev.command.to_data()["sha256"] == SHA


# --- submit, review, complete ------------------------------------------------------------


def test_submit_lists_the_unresolved_checks() -> None:
    inst, _ = started()
    inst, _ = apply(inst, done("complete", "check-0"))
    with pytest.raises(UnresolvedChecksError) as info:
        apply(inst, SubmitForReview(by="ann", at=at(2)))
    assert info.value.check_ids == ("check-1", "check-2", "check-3")
    assert "check-1, check-2, check-3" in str(info.value)


def test_two_levels_of_review_then_lock() -> None:
    inst = resolve_all(started()[0])
    inst, _ = apply(inst, SubmitForReview(by="ann", at=at(2)))
    assert inst.status is WorkflowStatus.IN_REVIEW and inst.current_reviewer == "rob"
    with pytest.raises(PermissionDeniedError, match="level 1"):
        apply(inst, Approve(by="rita", at=at(3)))
    with pytest.raises(InvalidTransitionError):
        apply(inst, done("complete_with_issues", comment="late change"))
    inst, ev = apply(inst, Approve(by="rob", at=at(3)))
    assert inst.level == 1 and inst.current_reviewer == "rita"
    assert dict(ev.effect) == {"level": 1, "locked": False}
    inst, ev = apply(inst, Approve(by="rita", comment="Fine", at=at(4)))
    assert inst.locked and inst.status is WorkflowStatus.COMPLETED and inst.level == 2
    assert dict(ev.effect) == {"level": 2, "locked": True}
    assert inst.comments[-1].kind == "approval"


def test_nobody_changes_a_locked_instance_not_even_with_a_comment() -> None:
    inst, _ = realistic_run()
    assert inst.locked
    for cmd in (
        AddComment(text="one more thing", by="rita", at=at(99)),
        AddComment(text="one more thing", by="ann", at=at(99)),
        SetCheckStatus.undo("check-3", by="ann", at=at(99)),
        Approve(by="rita", at=at(99)),
        Reassign(to="bob", by="ann", at=at(99)),
    ):
        with pytest.raises(LockedError) as info:
            apply(inst, cmd)
        assert info.value.state == "completed and locked"


def test_hand_back_returns_the_work_with_feedback() -> None:
    inst = resolve_all(started()[0])
    inst, _ = apply(inst, SubmitForReview(by="ann", at=at(2)))
    inst, ev = apply(inst, HandBack(feedback="Redo the VAT", by="rob", at=at(3)))
    assert inst.status is WorkflowStatus.IN_PROGRESS and inst.level == 0
    assert inst.comments[-1].kind == "feedback" and inst.comments[-1].text == "Redo the VAT"
    assert dict(ev.effect) == {"level": 1}
    assert inst.check("check-3").status is CheckStatus.COMPLETE  # statuses are kept
    with pytest.raises(InvalidCommandError, match="feedback"):
        HandBack(feedback="  ", by="rob", at=at(3))


def test_complete_only_without_review_levels() -> None:
    solo = make_template(levels=())
    inst = resolve_all(started(solo, reviewers=())[0])
    with pytest.raises(InvalidTransitionError, match="no review levels"):
        apply(inst, SubmitForReview(by="ann", at=at(2)))
    with pytest.raises(PermissionDeniedError):
        apply(inst, Complete(by="rob", at=at(2)))
    inst, _ = apply(inst, Complete(by="ann", at=at(2)))
    assert inst.locked and inst.level == 0
    two = resolve_all(started()[0])
    with pytest.raises(InvalidTransitionError, match="submit it for review"):
        apply(two, Complete(by="ann", at=at(2)))


def test_complete_needs_every_check_resolved() -> None:
    inst, _ = started(make_template(levels=()), reviewers=())
    with pytest.raises(UnresolvedChecksError):
        apply(inst, Complete(by="ann", at=at(2)))


# --- reassign ------------------------------------------------------------------------------


def test_reassign_before_submission_by_a_role_the_policy_names() -> None:
    inst, _ = started()
    inst, ev = apply(inst, Reassign(to="bob", by="ann", at=at(1)))
    assert inst.assignee == "bob" and dict(ev.effect) == {"from": "ann"}
    with pytest.raises(PermissionDeniedError, match="reassign_by"):
        apply(inst, Reassign(to="cat", by="rita", at=at(2)))  # manager not named
    with pytest.raises(NoChangeError):
        apply(inst, Reassign(to="bob", by="bob", at=at(2)))
    with pytest.raises(PolicyError, match="may not prepare"):
        apply(inst, Reassign(to="rob", by="bob", at=at(2)))
    managers = make_template(reassign_by=("manager",))
    inst, _ = started(managers)
    with pytest.raises(PermissionDeniedError):
        apply(inst, Reassign(to="bob", by="ann", at=at(1)))
    inst, _ = apply(inst, Reassign(to="bob", by="rita", at=at(1)))
    assert inst.assignee == "bob"


def test_no_reassign_once_submitted() -> None:
    inst = resolve_all(started()[0])
    inst, _ = apply(inst, SubmitForReview(by="ann", at=at(2)))
    with pytest.raises(InvalidTransitionError, match="accepted: comment, attach"):
        apply(inst, Reassign(to="bob", by="ann", at=at(3)))


# --- the findings hook --------------------------------------------------------------------


def test_findings_attach_to_an_automated_check_and_suggest_a_status() -> None:
    inst, _ = started()
    inst, ev = record_findings(inst, "check-0", result("issues"), by="insights", at=at(1))
    f = inst.check("check-0").findings
    assert f is not None and f.by == "insights" and len(f.result.findings) == 1
    assert f.suggested_status is CheckStatus.COMPLETE_WITH_ISSUES
    assert dict(ev.effect) == {"suggested_status": "complete_with_issues"}
    # The status is still pending: a person sets it, and the event says if they followed.
    assert inst.check("check-0").status is CheckStatus.PENDING
    followed, ev = apply(inst, done("complete_with_issues", "check-0", comment="Chased"))
    assert ev.effect["followed_suggestion"] is True
    _, ev = apply(inst, done("complete", "check-0"))
    assert ev.effect["followed_suggestion"] is False
    _, ev = apply(followed, SetCheckStatus.undo("check-0", by="ann", at=at(3)))
    assert ev.effect["followed_suggestion"] is None
    passing, _ = record_findings(inst, "check-0", result("pass"), by="insights", at=at(2))
    _, ev = apply(passing, done("complete", "check-0"))
    assert ev.effect["followed_suggestion"] is True


def test_findings_refused_on_manual_checks_and_for_another_data_check() -> None:
    inst, _ = started()
    with pytest.raises(WrongCheckError, match="manual") as info:
        apply(inst, RecordFindings(check="check-3", result=result(), by="insights", at=at(1)))
    assert info.value.check == "check-3"
    with pytest.raises(WrongCheckError, match="aged-debtors"):
        apply(
            inst,
            RecordFindings(
                check="check-0", result=result("pass", "aged-debtors"), by="insights", at=at(1)
            ),
        )


# --- commands are checked where they are made --------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: AddComment(text="x", by="ann", at=datetime(2024, 1, 1)), "at"),
        (lambda: AddComment(text="x", by="", at=T0), "by"),
        (
            lambda: AddComment(
                text="x", by="ann", at=T0.replace(tzinfo=timezone(timedelta(seconds=-75)))
            ),
            "at",
        ),
        (lambda: AddComment(text="x", by="a\nb", at=T0), "by"),
        (lambda: AddComment(text="", by="ann", at=T0), "text"),
        (lambda: AddComment(text="x" * 20_001, by="ann", at=T0), "text"),
        (lambda: AddComment(text="\ud800", by="ann", at=T0), "text"),
        (lambda: AddComment(check="Bank Rec", text="x", by="ann", at=T0), "check"),
        (lambda: SetCheckStatus(check="c", status="done", by="ann", at=T0), "status"),  # type: ignore[arg-type]
        (lambda: Attach(name="a", sha256="XYZ", size=1, media_type="a/b", by="a", at=T0), "sha256"),
        (lambda: Attach(name="a", sha256=SHA, size=-1, media_type="a/b", by="a", at=T0), "size"),
        (lambda: Attach(name="a", sha256=SHA, size=True, media_type="a/b", by="a", at=T0), "size"),
        (
            lambda: Attach(name="a", sha256=SHA, size=1, media_type="pdf", by="a", at=T0),
            "media_type",
        ),
        (lambda: Reassign(to=3, by="ann", at=T0), "to"),  # type: ignore[arg-type]
        (lambda: RecordFindings(check="c", result={"check": "x"}, by="a", at=T0), "result"),  # type: ignore[arg-type]
    ],
)
def test_bad_commands_are_refused_where_they_are_made(make, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidCommandError) as info:
        make()
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


def test_models_are_immutable() -> None:
    inst, ev = started()
    with pytest.raises(dataclasses.FrozenInstanceError):
        inst.assignee = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.version = 9  # type: ignore[misc]
    with pytest.raises(TypeError):
        ev.effect["x"] = 1  # type: ignore[index]
    cmd = done()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cmd.by = "rob"  # type: ignore[misc]


def test_time_comes_from_the_command_in_any_zone() -> None:
    inst, _ = started()
    bst = timezone(timedelta(hours=1))
    when = datetime(2024, 7, 1, 10, 0, tzinfo=bst)
    inst, ev = apply(inst, done(at=when))
    assert inst.updated_at == when and ev.at == when
    assert '"at":"2024-07-01T10:00:00+01:00"' in ev.to_json()


def test_an_illegal_command_changes_nothing() -> None:
    inst, _ = started()
    before = inst.to_json()
    for cmd in (done(by="rob"), SubmitForReview(by="ann", at=at(1)), Approve(by="rob", at=at(1))):
        with pytest.raises(IllegalCommandError):
            apply(inst, cmd)
    assert inst.to_json() == before


def test_the_error_says_state_command_actor_and_reason() -> None:
    inst = resolve_all(started()[0])
    inst, _ = apply(inst, SubmitForReview(by="ann", at=at(2)))
    with pytest.raises(PermissionDeniedError) as info:
        apply(inst, HandBack(feedback="no", by="ann", at=at(3)))
    text = str(info.value)
    assert "hand_back by 'ann' refused" in text
    assert "in_review at level 1 of 2 (reviewer: rob)" in text
    assert "only the reviewer of level 1" in text


def test_a_due_date_stays_a_date() -> None:
    inst, _ = started()
    assert inst.due == date(2024, 2, 7) and not isinstance(inst.due, datetime)
