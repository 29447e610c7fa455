"""Review: workflow instances, the check and review state machine, and the audit trail.

    inst, ev = start(template, client="acme", period="2024-01", assignee="ann",
                     reviewers=["rob"], due=date(2024, 2, 7), at=now, by="mia")
    inst, ev = apply(inst, SetCheckStatus(check="bank-reconciliation",
                                          status="complete", by="ann", at=now))
    verify(events, head=inst.head); assert replay(events) == inst

Pure functions over immutable values: no I/O, no clock (every command carries its time).
"""

from workflowkit.review.audit import Chain, HistoryEntry, format_history, history, replay, verify
from workflowkit.review.canonical import GENESIS, canonical_json
from workflowkit.review.commands import (
    AddComment,
    Approve,
    Attach,
    Cancel,
    Command,
    Complete,
    HandBack,
    Reassign,
    RecordFindings,
    SetCheckStatus,
    Start,
    SubmitForReview,
)
from workflowkit.review.engine import (
    apply,
    apply_all,
    default_instance_id,
    pin,
    record_check_results,
    record_findings,
    start,
    state_text,
)
from workflowkit.review.errors import (
    IllegalCommandError,
    InvalidCommandError,
    InvalidRecordError,
    InvalidStartError,
    InvalidTransitionError,
    LockedError,
    NoChangeError,
    PermissionDeniedError,
    PolicyError,
    ReplayError,
    RequirementNotMetError,
    TamperError,
    UnknownCheckError,
    UnresolvedChecksError,
    WrongCheckError,
)
from workflowkit.review.events import Event, dump_events, load_events
from workflowkit.review.handlers import may_cancel
from workflowkit.review.known import (
    KnownPractice,
    PeriodMismatchError,
    UnknownClientError,
    parse_period,
    period_problem,
)
from workflowkit.review.refusals import CancelledError
from workflowkit.review.state import (
    Attachment,
    CheckState,
    Comment,
    Findings,
    Instance,
    Setup,
    WorkflowStatus,
)
from workflowkit.review.table import ACTORS, TRANSITIONS, Transition
from workflowkit.review.text import describe, status_words

__all__ = [
    "ACTORS",
    "GENESIS",
    "TRANSITIONS",
    "AddComment",
    "Approve",
    "Attach",
    "Attachment",
    "Cancel",
    "CancelledError",
    "Chain",
    "CheckState",
    "Command",
    "Comment",
    "Complete",
    "Event",
    "Findings",
    "HandBack",
    "HistoryEntry",
    "IllegalCommandError",
    "Instance",
    "InvalidCommandError",
    "InvalidRecordError",
    "InvalidStartError",
    "InvalidTransitionError",
    "KnownPractice",
    "LockedError",
    "NoChangeError",
    "PeriodMismatchError",
    "PermissionDeniedError",
    "PolicyError",
    "Reassign",
    "RecordFindings",
    "ReplayError",
    "RequirementNotMetError",
    "SetCheckStatus",
    "Setup",
    "Start",
    "SubmitForReview",
    "TamperError",
    "Transition",
    "UnknownCheckError",
    "UnknownClientError",
    "UnresolvedChecksError",
    "WorkflowStatus",
    "WrongCheckError",
    "apply",
    "apply_all",
    "canonical_json",
    "default_instance_id",
    "describe",
    "dump_events",
    "format_history",
    "history",
    "load_events",
    "may_cancel",
    "parse_period",
    "period_problem",
    "pin",
    "record_check_results",
    "record_findings",
    "replay",
    "start",
    "state_text",
    "status_words",
    "verify",
]
