"""An instance in words: the checklist with statuses, notes, findings, comments and files,
and where review stands. What ``workflowkit review show`` prints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from workflowkit.review.events import Event
from workflowkit.review.state import Attachment, Instance, WorkflowStatus
from workflowkit.source.safe_text import clean

MARKS = {
    "pending": "[ ]",
    "complete": "[x]",
    "complete_with_issues": "[!]",
    "not_applicable": "[-]",
}
"""How each check status is marked in the checklist."""


def _when(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def _file(f: Attachment) -> str:
    return f"file: {f.name} ({f.size} bytes, {f.media_type}, sha256 {f.sha256[:12]}...)"


def status_words(inst: Instance, events: Sequence[Event] = ()) -> str:
    """The status, the review level and who the workflow waits on, in words.

    With the events, an instance back with its assignee says who handed it back.
    """
    if inst.locked:
        return "completed and locked"
    if inst.cancelled:
        return "cancelled"
    if inst.status is WorkflowStatus.IN_REVIEW:
        role = inst.setup.roles[inst.level]
        return (
            f"in review, level {inst.level + 1} of {len(inst.reviewers)} ({role}): "
            f"waiting on {inst.current_reviewer}"
        )
    last = next((e for e in reversed(events) if e.type in ("submit_for_review", "hand_back")), None)
    back = f", handed back by {last.by}" if last is not None and last.type == "hand_back" else ""
    return f"in progress{back}: waiting on {inst.assignee}"


def describe(inst: Instance, events: Sequence[Event] = ()) -> str:
    """The instance as text: a header, then the checklist, then workflow comments."""
    t = inst.template
    setup = inst.setup
    people = ", ".join(f"{p} ({r})" for p, r in zip(inst.reviewers, setup.roles, strict=True))
    lines = [
        f"{inst.id}: {t.name} ({t.id}@{t.version})",
        f"  client {inst.client}, period {inst.period}, due {inst.due.isoformat()}",
        f"  status: {status_words(inst, events)}",
        f"  assignee: {inst.assignee}; reviewers: {people or 'none (the assignee completes)'}",
        f"  version {inst.version}, started {_when(setup.started_at)} by {setup.started_by}",
        "",
        f"Checks ({sum(1 for s in inst.checks if s.resolved)} of {len(inst.checks)} resolved)",
    ]
    width = max((len(c.id) for c in t.checks), default=0)
    title_width = min(48, max((len(c.title) for c in t.checks), default=0))
    section: str | None = None
    shown: set[str] = set()
    for check, state in zip(t.checks, inst.checks, strict=True):
        # A check without a section (one inserted by ``extends``) stays under the heading
        # it sits in, so the section it splits is not headed twice; a section that comes
        # back after another one says it continues.
        if check.section and check.section != section:
            more = " (continued)" if check.section in shown else ""
            lines.append(f"  {check.section}{more}")
            shown.add(check.section)
            section = check.section
        status = state.status.value.replace("_", " ")
        who = f"  {state.by} {_when(state.at)}" if state.by and state.at else ""
        lines.append(
            f"  {MARKS[state.status.value]} {check.id.ljust(width)}  "
            f"{check.title.ljust(title_width)}  {status}{who}"
        )
        if state.note:
            lines.append(f"        note: {state.note}")
        if state.findings is not None:
            r = state.findings.result
            lines.append(
                f"        findings: {clean(r.summary)} ({len(r.findings)}; suggests "
                f"{r.suggested_status.replace('_', ' ')})"
            )
        lines += [f"        {c.by} {_when(c.at)}: {clean(c.text)}" for c in state.comments]
        lines += [f"        {_file(f)}" for f in state.files]
    if inst.comments or inst.files:
        lines += ["", "Workflow"]
        for c in inst.comments:
            label = "" if c.kind == "comment" else f"{c.kind} "
            lines.append(f"  {label}{c.by} {_when(c.at)}: {clean(c.text)}")
        lines += [f"  {_file(f)}" for f in inst.files]
    return "\n".join(lines)
