"""The rows every store writes and reads back: pure conversions shared by the stores.

A summary row keeps the reviewers as a JSON array, the due date as an ISO date and the
moments as ISO text with their offsets, so the summary read is the summary written. A
store whose driver hands back native values (a ``date``, a list) may pass them as they
come: :func:`summary_from_row` takes either.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Final

from workflowkit.review.commands import Start
from workflowkit.review.events import Event
from workflowkit.store.packing import pinned
from workflowkit.store.protocol import InstanceSummary

SUMMARY_COLUMNS: Final = (
    "id, template_id, template_version, client, period, assignee, reviewers, status, level, "
    "waiting_on, due, version, head, started_at, updated_at"
)
"""The summary's columns, in the order of :func:`summary_row`."""


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(value)


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def summary_from_row(row: Sequence[Any]) -> InstanceSummary:
    """The summary in a row of :data:`SUMMARY_COLUMNS`."""
    reviewers = row[6]
    return InstanceSummary(
        id=row[0],
        template_id=row[1],
        template_version=row[2],
        client=row[3],
        period=row[4],
        assignee=row[5],
        reviewers=tuple(json.loads(reviewers) if isinstance(reviewers, str) else reviewers),
        status=row[7],
        level=row[8],
        waiting_on=row[9],
        due=_date(row[10]),
        version=row[11],
        head=row[12],
        started_at=_moment(row[13]),
        updated_at=_moment(row[14]),
    )


def summary_row(s: InstanceSummary) -> tuple[Any, ...]:
    """The row of :data:`SUMMARY_COLUMNS` that keeps ``s``."""
    return (
        s.id,
        s.template_id,
        s.template_version,
        s.client,
        s.period,
        s.assignee,
        json.dumps(list(s.reviewers), ensure_ascii=False),
        s.status,
        s.level,
        s.waiting_on,
        s.due.isoformat(),
        s.version,
        s.head,
        s.started_at.isoformat(),
        s.updated_at.isoformat(),
    )


def event_row(e: Event) -> tuple[Any, ...]:
    """The events row of ``e`` (instance_id, version, type, actor, at, prev, hash, body),
    with the event itself last (for packing; not stored)."""
    return (e.instance, e.version, e.type, e.by, e.at.isoformat(), e.prev, e.hash, e.to_json(), e)


def start_template_hash(e: Event) -> str:
    """The content hash of the template a start event pinned."""
    command = e.command
    assert isinstance(command, Start)
    return pinned(command.template)[1]
