"""Instance pages: each chosen instance's checklist, comments, files, trail and chain.

Also where an instance's status in the report (not started, handed back, with issues,
in review at level N, ...) is read from its summary.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from operator import attrgetter

from workflowkit.errors import ReviewError
from workflowkit.report.model import (
    CheckRow,
    CommentRow,
    FileRow,
    InstancePage,
    Limits,
    TrailRow,
)
from workflowkit.review.audit import history, replay, verify
from workflowkit.review.events import Event
from workflowkit.review.state import Instance
from workflowkit.store.errors import RejectedEventsError
from workflowkit.store.protocol import (
    COMPLETED,
    IN_PROGRESS,
    IN_REVIEW,
    InstanceState,
    InstanceSummary,
)
from workflowkit.store.trust import rebuilt_summary
from workflowkit.templates.models import CheckStatus

OVERDUE = "overdue"
DUE_SOON = "due soon"
LOCKED_RECENTLY = "locked recently"

CHECK_LABELS = {
    CheckStatus.PENDING: "pending",
    CheckStatus.COMPLETE: "complete",
    CheckStatus.COMPLETE_WITH_ISSUES: "complete with issues",
    CheckStatus.NOT_APPLICABLE: "not applicable",
}

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")

Listed = InstanceSummary | InstanceState
"""An instance as a listing gives it: its full summary, or its state in brief (what a
count over the whole store reads); the fields read here are the same in both."""


def anchor_of(instance_id: str) -> str:
    """A stable HTML id for an instance page (``i-`` and the id with other characters
    folded to ``-``, plus a short hash so two ids never share an anchor)."""
    import hashlib

    digest = hashlib.sha256(instance_id.encode()).hexdigest()[:8]
    return f"i-{_UNSAFE.sub('-', instance_id)[:80]}-{digest}"


def status_of(summary: Listed) -> tuple[str, str]:
    """(key, label) of where an instance stands.

    An instance in progress with nothing recorded since its start is *not started*; one
    handed back (and not submitted since) or with a check complete with issues says so,
    as its summary keeps them (``handed_back``, ``issues``).
    """
    return plain_status(
        summary.status,
        summary.level,
        summary.version <= 1,
        summary.handed_back,
        summary.with_issues,
    )


def plain_status(
    status: str, level: int, fresh: bool, handed_back: bool = False, with_issues: bool = False
) -> tuple[str, str]:
    """:func:`status_of` from all it reads: the status, the review level, whether nothing
    is recorded since the start (``fresh``: version 1), and the two flags."""
    if status == COMPLETED:
        return "locked", "locked (completed)"
    if status not in (IN_PROGRESS, IN_REVIEW):
        return status, status.replace("_", " ")
    if status == IN_REVIEW:
        n = level + 1
        return f"in_review_{n}", f"in review at level {n}"
    if fresh:
        return "not_started", "not started"
    if handed_back:
        return "handed_back", "handed back"
    if with_issues:
        return "with_issues", "in progress, with issues"
    return "in_progress", "in progress"


STANDING_FIELDS = attrgetter("status", "level", "version", "handed_back", "with_issues")


def status_counts(summaries: Sequence[Listed]) -> Counter[tuple[str, int, bool, bool, bool]]:
    """How many instances share each ``(status, level, version <= 1, handed_back,
    with_issues)``: all that :func:`status_of` reads (a few dozen keys for any store)."""
    # Counted by the version itself first (in C: a few hundred keys at most), then folded.
    by_version = Counter(map(STANDING_FIELDS, summaries))
    out: Counter[tuple[str, int, bool, bool, bool]] = Counter()
    for (status, level, version, handed_back, with_issues), n in by_version.items():
        out[status, level, version <= 1, bool(handed_back), bool(with_issues)] += n
    return out


ENDED = frozenset({COMPLETED, "cancelled"})
"""Statuses no command leaves: not open work, never overdue."""


def is_open(summary: Listed) -> bool:
    return summary.status not in ENDED


def select_pages(
    summaries: Sequence[Listed], *, today: date, now: datetime, limits: Limits
) -> tuple[list[tuple[Listed, str]], int]:
    """The instances that get a page (overdue, then due soon, then locked recently; each
    soonest due first) up to ``limits.instance_pages``, and how many qualified."""
    soon = today + timedelta(days=limits.due_soon_days)
    recent = now - timedelta(days=limits.locked_recent_days)
    overdue: list[Listed] = []
    due_soon: list[Listed] = []
    locked: list[Listed] = []
    for s in summaries:
        if s.status == COMPLETED:
            if s.updated_at >= recent:
                locked.append(s)
        elif not is_open(s):
            continue
        elif s.due < today:
            overdue.append(s)
        elif s.due < soon:
            due_soon.append(s)
    cap = limits.instance_pages
    chosen = [(s, OVERDUE) for s in heapq.nsmallest(cap, overdue, key=_soonest)]
    chosen += [(s, DUE_SOON) for s in heapq.nsmallest(cap, due_soon, key=_soonest)]
    latest = heapq.nlargest(cap, locked, key=lambda s: (s.updated_at, s.id))
    chosen += [(s, LOCKED_RECENTLY) for s in latest]
    return chosen[:cap], len(overdue) + len(due_soon) + len(locked)


def _soonest(s: Listed) -> tuple[date, str]:
    return (s.due, s.id)


def _findings_text(inst: Instance, i: int) -> str | None:
    f = inst.checks[i].findings
    if f is None:
        return None
    n = len(f.result.findings)
    return f"{f.result.outcome}: {f.result.summary} ({n} finding{'s' if n != 1 else ''})"


def page_of(
    summary: InstanceSummary, events: Sequence[Event], reason: str, client_name: str
) -> InstancePage:
    """The page of one instance from its events; the chain is verified against the
    head the store recorded."""
    try:
        chain = verify(events, head=summary.head, instance=summary.id)
        verified, detail = True, f"{chain.count} events, head {chain.head[:12]}"
    except ReviewError as exc:
        verified, detail = False, str(exc)
    # The page stands behind its verified trail: its status is the one the events give
    # (the same as the summary's, unless the summary row was changed by hand).
    key, label = ("in_progress", summary.status)
    if verified:
        try:
            key, label = status_of(rebuilt_summary(events))
        except (ReviewError, RejectedEventsError) as exc:
            verified, detail = False, f"{detail}; the events do not fold into a summary: {exc}"
    try:
        inst = replay(events)
    except ReviewError as exc:
        return InstancePage(
            id=summary.id,
            anchor=anchor_of(summary.id),
            reason=reason,
            client=summary.client,
            client_name=client_name,
            template=summary.template_id,
            template_version=summary.template_version,
            period=summary.period,
            due=summary.due,
            status=summary.status,
            status_label=summary.status.replace("_", " "),
            assignee=summary.assignee,
            reviewers=summary.reviewers,
            checks=(),
            comments=(),
            files=(),
            trail=(),
            chain_verified=False,
            chain_detail=f"{detail}; the events do not replay: {exc}",
        )
    checks: list[CheckRow] = []
    comments: list[CommentRow] = []
    files: list[FileRow] = []
    for i, (spec, state) in enumerate(zip(inst.template.checks, inst.checks, strict=True)):
        checks.append(
            CheckRow(
                id=spec.id,
                title=spec.title,
                status=state.status.value,
                status_label=CHECK_LABELS[state.status],
                note=state.note,
                by=state.by,
                at=state.at,
                findings=_findings_text(inst, i),
            )
        )
        comments.extend(CommentRow(spec.id, c.kind, c.by, c.at, c.text) for c in state.comments)
        files.extend(
            FileRow(spec.id, f.name, f.size, f.media_type, f.sha256, f.by, f.at)
            for f in state.files
        )
    comments.extend(CommentRow(None, c.kind, c.by, c.at, c.text) for c in inst.comments)
    files.extend(
        FileRow(None, f.name, f.size, f.media_type, f.sha256, f.by, f.at) for f in inst.files
    )
    comments.sort(key=lambda c: c.at)
    files.sort(key=lambda f: f.at)
    return InstancePage(
        id=summary.id,
        anchor=anchor_of(summary.id),
        reason=reason,
        client=summary.client,
        client_name=client_name,
        template=summary.template_id,
        template_version=summary.template_version,
        period=summary.period,
        due=summary.due,
        status=key,
        status_label=label,
        assignee=inst.assignee,
        reviewers=inst.reviewers,
        checks=tuple(checks),
        comments=tuple(comments),
        files=tuple(files),
        trail=tuple(TrailRow(h.version, h.at, h.by, h.action, h.text) for h in history(events)),
        chain_verified=verified,
        chain_detail=detail,
    )
