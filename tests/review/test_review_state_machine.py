"""A hypothesis state machine drives random commands by random actors, legal and illegal.

After every step: the instance equals ``replay(events)``; ``verify(events)`` passes; a
locked or cancelled instance never changes; an illegal command changed nothing; the
status agrees with the check states and the review level. Each run draws a template
whose review policy has 0 to 3 default levels and its own reviewer limits, and starts
it with 0 to 3 reviewers (the workflow's own count, 0..N); ``cancel`` is drawn like any
other command, by the right people and the wrong ones. An independent oracle (written from the
rules, not from the engine) says which commands must be refused and with what error,
and random tampering of a copy of the trail is always caught by ``verify``.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from review_helpers import DUE, SHA, T0, make_template, result

from workflowkit.review import (
    AddComment,
    Approve,
    Attach,
    Cancel,
    CancelledError,
    Command,
    Complete,
    Event,
    HandBack,
    IllegalCommandError,
    Instance,
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
    Start,
    SubmitForReview,
    TamperError,
    UnknownCheckError,
    UnresolvedChecksError,
    WorkflowStatus,
    WrongCheckError,
    apply,
    replay,
    start,
    verify,
)
from workflowkit.review.table import targets
from workflowkit.templates.models import CheckStatus

PEOPLE = ("ann", "bob", "cat", "dan", "eve")
CHECKS = 4
CHECK_IDS = tuple(f"check-{i}" for i in range(CHECKS))
RIGHT = "<the right person>"

IN_PROGRESS = WorkflowStatus.IN_PROGRESS
IN_REVIEW = WorkflowStatus.IN_REVIEW
COMPLETED = WorkflowStatus.COMPLETED
CANCELLED = WorkflowStatus.CANCELLED

actors = st.one_of(st.just(RIGHT), st.just(RIGHT), st.sampled_from(PEOPLE))
check_ids = st.one_of(st.sampled_from(CHECK_IDS), st.just("no-such-check"))
texts = st.one_of(
    st.sampled_from(["ok", "Two items chased", "Nöt ASCII — £5 “quoted”", 'a\nb\t"c"\\']),
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
    ).filter(lambda s: s.strip() != ""),
)


def limits(policy: Any) -> tuple[int, int]:
    """The fewest and most reviewers a workflow may name (unset: as many as levels)."""
    n = len(policy.levels)
    low = n if policy.min_reviewers is None else policy.min_reviewers
    high = n if policy.max_reviewers is None else policy.max_reviewers
    return low, high


def role_of(policy: Any, i: int) -> str:
    """The role of review level ``i``: the policy's, or ``reviewer`` past its levels."""
    return policy.levels[i].role if i < len(policy.levels) else "reviewer"


def start_problem(policy: Any, assignee: str, reviewers: tuple[str, ...]) -> bool:
    """The oracle for start: may these people start this policy?"""
    low, high = limits(policy)
    if not low <= len(reviewers) <= high:
        return True
    if assignee in reviewers and not policy.preparer_may_review:
        return True
    return len(set(reviewers)) != len(reviewers) and not policy.same_reviewer_at_several_levels


def expected_refusal(inst: Instance, cmd: Command) -> type[IllegalCommandError] | None:
    """Which error the rules call for (written from the issue, not from the engine)."""
    policy = inst.template.review
    reviewers = inst.reviewers
    levels = len(reviewers)  # the workflow's own count, not the template's default
    by = cmd.by
    if inst.status is COMPLETED:
        return LockedError
    if inst.status is CANCELLED:
        return CancelledError
    allowed = {
        IN_PROGRESS: {
            "set_check_status",
            "comment",
            "attach",
            "record_findings",
            "reassign",
            "submit_for_review",
            "complete",
            "cancel",
        },
        IN_REVIEW: {"comment", "attach", "approve", "hand_back", "cancel"},
    }
    if cmd.type not in allowed[inst.status]:
        return InvalidTransitionError
    # Who may.
    if cmd.type in ("set_check_status", "submit_for_review", "complete"):
        if by != inst.assignee:
            return PermissionDeniedError
    elif cmd.type in ("comment", "attach", "cancel"):
        if by != inst.assignee and by not in reviewers:
            return PermissionDeniedError
    elif cmd.type in ("approve", "hand_back"):
        if by != reviewers[inst.level]:
            return PermissionDeniedError
    elif cmd.type == "reassign":
        holders = {inst.assignee} if "assignee" in policy.reassign_by else set()
        holders |= {p for i, p in enumerate(reviewers) if role_of(policy, i) in policy.reassign_by}
        if by not in holders:
            return PermissionDeniedError
    # What.
    index = {c.id: i for i, c in enumerate(inst.template.checks)}
    if isinstance(cmd, SetCheckStatus):
        if cmd.check not in index:
            return UnknownCheckError
        spec = inst.template.checks[index[cmd.check]]
        state = inst.checks[index[cmd.check]]
        if cmd.status is CheckStatus.PENDING:
            return NoChangeError if state.status is CheckStatus.PENDING else None
        if cmd.status is state.status and cmd.comment == state.note:
            return NoChangeError
        needs_comment = cmd.status == "complete_with_issues" or cmd.status in spec.requires.comment
        if needs_comment and cmd.comment is None:
            return RequirementNotMetError
        if cmd.status in spec.requires.file and not state.files:
            return RequirementNotMetError
        return None
    if isinstance(cmd, AddComment | Attach):
        return UnknownCheckError if cmd.check is not None and cmd.check not in index else None
    if isinstance(cmd, RecordFindings):
        if cmd.check not in index:
            return UnknownCheckError
        spec = inst.template.checks[index[cmd.check]]
        if spec.kind != "automated" or spec.data_check != cmd.result.check:
            return WrongCheckError
        return None
    if isinstance(cmd, Reassign):
        if cmd.to == inst.assignee:
            return NoChangeError
        if cmd.to in reviewers and not policy.preparer_may_review:
            return PolicyError
        return None
    if isinstance(cmd, SubmitForReview | Complete):
        wants_levels = isinstance(cmd, SubmitForReview)
        if (levels > 0) != wants_levels:
            return InvalidTransitionError
        if any(s.status is CheckStatus.PENDING for s in inst.checks):
            return UnresolvedChecksError
        return None
    if isinstance(cmd, Cancel):
        return None
    if isinstance(cmd, Approve | HandBack):
        if by == inst.assignee and not policy.preparer_may_review:
            return PolicyError
        if by in reviewers[: inst.level] and not policy.same_reviewer_at_several_levels:
            return PolicyError
        return None
    return InvalidTransitionError  # Start, or anything else


# --- tampering a copy of a trail ---------------------------------------------------


def _reseal(e: Event) -> Event:
    fake = dataclasses.replace(e, hash="0" * 64)
    return dataclasses.replace(e, hash=fake.computed_hash())


def tamper(events: list[Event], how: str, i: int, j: int, reseal: bool) -> list[Event]:
    out = list(events)
    n = len(out)
    i, j = i % n, j % n
    e = out[i]
    if how == "change":
        which = j % 5
        if which == 0:
            changed = dataclasses.replace(e, command=dataclasses.replace(e.command, by="mallory"))
        elif which == 1:
            changed = dataclasses.replace(
                e, command=dataclasses.replace(e.command, at=e.at + timedelta(seconds=1))
            )
        elif which == 2:
            changed = dataclasses.replace(e, effect={**e.effect, "forged": True})
        elif which == 3:
            changed = dataclasses.replace(e, version=e.version + 1)
        else:
            changed = dataclasses.replace(e, prev=("1" * 64 if e.prev != "1" * 64 else "2" * 64))
        out[i] = _reseal(changed) if reseal else changed
    elif how == "drop":
        del out[i]
    elif how == "duplicate":
        out.insert(j, e)
    elif how == "swap":
        if i == j:
            j = (i + 1) % n
        if i == j:
            return out  # a single event: nothing to swap
        out[i], out[j] = out[j], out[i]
    return out


class ReviewMachine(RuleBasedStateMachine):
    inst: Instance
    events: list[Event]

    @initialize(
        levels=st.integers(0, 3),
        fewer=st.one_of(st.none(), st.integers(0, 3)),
        more=st.one_of(st.none(), st.integers(0, 3)),
        preparer=st.booleans(),
        same=st.booleans(),
        reassign_by=st.lists(
            st.sampled_from(["assignee", "reviewer", "manager", "partner"]), max_size=2, unique=True
        ),
        reviewers=st.lists(st.sampled_from(PEOPLE), max_size=3),
        count=st.integers(0, 3),
    )
    def begin(
        self,
        levels: int,
        fewer: int | None,
        more: int | None,
        preparer: bool,
        same: bool,
        reassign_by: list[str],
        reviewers: list[str],
        count: int,
    ) -> None:
        roles = ("reviewer", "manager", "partner")[:levels]
        template = make_template(
            checks=CHECKS,
            levels=roles,
            preparer_may_review=preparer,
            same_reviewer=same,
            reassign_by=reassign_by,
            min_reviewers=None if fewer is None else min(fewer, levels),
            max_reviewers=None if more is None else max(more, levels),
        )
        low, high = limits(template.review)
        people = tuple(reviewers)
        try:
            inst, first = start(
                template,
                client="acme",
                period="2024-01",
                assignee="ann",
                reviewers=people,
                due=DUE,
                at=T0,
                by="mia",
            )
        except InvalidStartError:
            assert start_problem(template.review, "ann", people)
            people = ("bob", "cat", "dan")[: min(max(count, low), high)]
            inst, first = start(
                template,
                client="acme",
                period="2024-01",
                assignee="ann",
                reviewers=people,
                due=DUE,
                at=T0,
                by="mia",
            )
        else:
            assert not start_problem(template.review, "ann", people)
        self.inst, self.events = inst, [first]
        self.clock = 0
        self.locked_json: str | None = None

    # --- helpers -----------------------------------------------------------------------

    def now(self) -> Any:
        self.clock += 1
        return T0 + timedelta(minutes=self.clock)

    def who(self, actor: str, role: str = "assignee") -> str:
        if actor != RIGHT:
            return actor
        if role == "reviewer" and self.inst.status is IN_REVIEW:
            return self.inst.reviewers[self.inst.level]
        return self.inst.assignee

    def attempt(self, cmd: Command) -> None:
        before = self.inst
        before_json = before.to_json()
        count = len(self.events)
        expected = expected_refusal(before, cmd)
        try:
            inst, event = apply(before, cmd)
        except IllegalCommandError as exc:
            assert expected is not None, f"refused, but the rules allow it: {exc}"
            assert type(exc) is expected, f"expected {expected.__name__}, got {exc!r}"
            assert exc.command == cmd.type and exc.actor == cmd.by
            assert exc.instance == before.id and exc.state and exc.reason
            assert exc.version == before.version
            # An illegal command changed nothing.
            assert self.inst is before and before.to_json() == before_json
            assert len(self.events) == count
            return
        assert expected is None, f"accepted, but the rules call for {expected.__name__}"
        assert self.locked_json is None, "a locked instance changed"
        assert event.version == before.version + 1 and event.prev == before.head
        assert event.by == cmd.by and event.at == cmd.at and event.command is cmd
        assert inst.status in targets(before.status, cmd.type)
        assert before.to_json() == before_json  # the old version is untouched
        self.inst = inst
        self.events.append(event)

    # --- rules -------------------------------------------------------------------------

    @rule(
        actor=actors,
        check=check_ids,
        status=st.sampled_from(list(CheckStatus)),
        comment=st.one_of(st.none(), texts),
    )
    def set_status(self, actor: str, check: str, status: CheckStatus, comment: str | None) -> None:
        self.attempt(
            SetCheckStatus(
                check=check, status=status, comment=comment, by=self.who(actor), at=self.now()
            )
        )

    @precondition(lambda self: self.inst.status is IN_PROGRESS)
    @rule(variant=st.integers(0, 3), comment=texts)
    def work_through_the_checks(self, variant: int, comment: str) -> None:
        """Resolve every pending check, as the assignee would (so review is reached)."""
        for i, state in enumerate(self.inst.checks):
            if state.status is not CheckStatus.PENDING:
                continue
            status = ("complete", "complete_with_issues", "not_applicable", "complete")[
                (variant + i) % 4
            ]
            if i == 1 and status == "complete" and not state.files:
                self.attempt(
                    Attach(
                        check="check-1",
                        name="statement.pdf",
                        sha256=SHA,
                        size=1,
                        media_type="application/pdf",
                        by=self.inst.assignee,
                        at=self.now(),
                    )
                )
            self.attempt(
                SetCheckStatus(
                    check=f"check-{i}",
                    status=status,
                    comment=None if status == "complete" else comment,
                    by=self.inst.assignee,
                    at=self.now(),
                )
            )
        if variant != 3:  # and usually hand it on
            if self.inst.reviewers:
                self.attempt(SubmitForReview(by=self.inst.assignee, at=self.now()))
            else:
                self.attempt(Complete(by=self.inst.assignee, at=self.now()))

    @precondition(lambda self: self.inst.status is IN_REVIEW)
    @rule(variant=st.integers(0, 3), feedback=texts)
    def review_as_the_current_reviewer(self, variant: int, feedback: str) -> None:
        reviewer = self.inst.reviewers[self.inst.level]
        if variant == 0:
            self.attempt(HandBack(feedback=feedback, by=reviewer, at=self.now()))
        else:
            self.attempt(
                Approve(comment=None if variant == 1 else feedback, by=reviewer, at=self.now())
            )

    @rule(actor=actors, check=st.one_of(st.none(), check_ids), text=texts)
    def comment(self, actor: str, check: str | None, text: str) -> None:
        self.attempt(
            AddComment(check=check, text=text, by=self.who(actor, "reviewer"), at=self.now())
        )

    @rule(actor=actors, check=st.one_of(st.none(), check_ids))
    def attach(self, actor: str, check: str | None) -> None:
        self.attempt(
            Attach(
                check=check,
                name="evidence.pdf",
                sha256=SHA,
                size=12,
                media_type="application/pdf",
                by=self.who(actor),
                at=self.now(),
            )
        )

    @rule(
        actor=st.sampled_from(["insights", *PEOPLE]),
        check=check_ids,
        outcome=st.sampled_from(["pass", "issues"]),
        data_check=st.sampled_from(["bank-reconciliation", "aged-debtors"]),
    )
    def findings(self, actor: str, check: str, outcome: str, data_check: str) -> None:
        self.attempt(
            RecordFindings(check=check, result=result(outcome, data_check), by=actor, at=self.now())
        )

    @rule(actor=actors)
    def submit(self, actor: str) -> None:
        self.attempt(SubmitForReview(by=self.who(actor), at=self.now()))

    @rule(actor=actors, comment=st.one_of(st.none(), texts))
    def approve(self, actor: str, comment: str | None) -> None:
        self.attempt(Approve(comment=comment, by=self.who(actor, "reviewer"), at=self.now()))

    @rule(actor=actors, feedback=texts)
    def hand_back(self, actor: str, feedback: str) -> None:
        self.attempt(HandBack(feedback=feedback, by=self.who(actor, "reviewer"), at=self.now()))

    @rule(actor=actors)
    def complete(self, actor: str) -> None:
        self.attempt(Complete(by=self.who(actor), at=self.now()))

    @rule(actor=actors, to=st.sampled_from(PEOPLE))
    def reassign(self, actor: str, to: str) -> None:
        self.attempt(Reassign(to=to, by=self.who(actor), at=self.now()))

    @rule(actor=st.one_of(actors, st.sampled_from(["bob", "cat", "dan"])), reason=texts)
    def cancel(self, actor: str, reason: str) -> None:
        self.attempt(Cancel(reason=reason, by=self.who(actor), at=self.now()))

    @rule(actor=actors)
    def start_again(self, actor: str) -> None:
        self.attempt(
            Start(
                instance=self.inst.id,
                template=self.inst.template,
                client="acme",
                period="2024-01",
                assignee="ann",
                reviewers=self.inst.reviewers,
                due=DUE,
                by=self.who(actor),
                at=self.now(),
            )
        )

    @precondition(lambda self: len(self.events) >= 1)
    @rule(
        how=st.sampled_from(["change", "drop", "duplicate", "swap"]),
        i=st.integers(0, 200),
        j=st.integers(0, 200),
        reseal=st.booleans(),
    )
    def tampered_copy_is_caught(self, how: str, i: int, j: int, reseal: bool) -> None:
        copy = tamper(self.events, how, i, j, reseal)
        if copy == self.events:
            return  # nothing to tamper with (a one-event trail cannot be swapped)
        try:
            verify(copy, head=self.inst.head, instance=self.inst.id)
        except TamperError as exc:
            assert exc.kind in ("changed", "dropped", "inserted", "reordered")
        else:
            raise AssertionError(f"verify missed a {how} at {i}/{j} (reseal={reseal})")

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def replay_rebuilds_the_instance(self) -> None:
        assert replay(self.events) == self.inst

    @invariant()
    def the_chain_verifies(self) -> None:
        chain = verify(self.events, head=self.inst.head, instance=self.inst.id)
        assert chain.count == len(self.events) == self.inst.version

    @invariant()
    def a_locked_instance_never_changes(self) -> None:
        if self.inst.locked or self.inst.cancelled:
            if self.locked_json is None:
                self.locked_json = self.inst.to_json()
            assert self.inst.to_json() == self.locked_json

    @invariant()
    def status_agrees_with_checks_and_level(self) -> None:
        inst = self.inst
        levels = len(inst.reviewers)
        low, high = limits(inst.template.review)
        assert low <= levels <= high and inst.setup.levels == levels
        resolved = all(s.status is not CheckStatus.PENDING for s in inst.checks)
        assert inst.problem() is None
        if inst.status is CANCELLED:
            assert not inst.locked and inst.waiting_on is None
            assert self.events[-1].type == "cancel"
            assert self.events[-1].effect["from"] in (IN_PROGRESS.value, IN_REVIEW.value)
        elif inst.status is IN_PROGRESS:
            assert inst.level == 0 and inst.waiting_on == inst.assignee
        elif inst.status is IN_REVIEW:
            assert resolved and levels > 0 and 0 <= inst.level < levels
            assert inst.waiting_on == inst.reviewers[inst.level]
        else:
            assert resolved and inst.locked and inst.level == levels
            assert inst.waiting_on is None

    @invariant()
    def json_round_trips(self) -> None:
        assert Instance.from_json(self.inst.to_json()) == self.inst
        last = self.events[-1]
        again = Event.from_json(last.to_json())
        assert again == last and again.to_json() == last.to_json()


ReviewMachine.TestCase.settings = settings(
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestReviewMachine = ReviewMachine.TestCase
