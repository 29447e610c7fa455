"""Summaries checked against events: the queues never trust a row ``verify`` would refuse.

A store keeps a summary row per instance (status, who it waits on, due date...) so lists
are fast. The row is a copy: anyone who can write the database can change it with one
``UPDATE`` and leave the events alone. So:

- :func:`summary_differences` folds the instance's events into the summary they make
  (:func:`~workflowkit.store.protocol.summarize`) and names every field of the stored
  row that differs. ``workflowkit review verify`` reports them.
- :func:`checked_instances` is ``store.instances(...)`` for queues: each row listed is
  re-derived from its events, whose hash chain is checked too, and a row that disagrees
  is *withheld* (returned apart, with the reason) instead of shown. ``review list``
  uses it and names what it withheld. Its cost is one load per row listed (a few
  milliseconds for a typical instance); the filters still run in the database.

A filter runs on the stored rows, so a forged row can hide an instance from a filter
(a forged ``status = 'completed'`` keeps it out of ``--status in_progress``). Only
``review verify --all`` sees those: it checks every instance, listed or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from workflowkit.review.audit import verify
from workflowkit.review.errors import InvalidRecordError, TamperError
from workflowkit.review.events import Event
from workflowkit.store.errors import RejectedEventsError, UnknownInstanceError
from workflowkit.store.protocol import InstanceSummary, summarize


@dataclass(frozen=True, slots=True)
class Difference:
    """One field of a summary row that its events do not give."""

    field: str
    stored: Any
    rebuilt: Any

    def __str__(self) -> str:
        return f"{self.field}: the row says {self.stored!r}, the events give {self.rebuilt!r}"


def rebuilt_summary(events: Sequence[Event]) -> InstanceSummary:
    """The summary the events make, folded from the first."""
    summary: InstanceSummary | None = None
    for e in events:
        summary = summarize(summary, e)
    if summary is None:
        raise RejectedEventsError("?", "there are no events to summarise")
    return summary


def summary_differences(stored: InstanceSummary, events: Sequence[Event]) -> list[Difference]:
    """Each field of ``stored`` that differs from the summary ``events`` make."""
    rebuilt = rebuilt_summary(events)
    out = []
    for f in fields(InstanceSummary):
        a, b = getattr(stored, f.name), getattr(rebuilt, f.name)
        if a != b:
            out.append(Difference(f.name, a, b))
    return out


@dataclass(frozen=True, slots=True)
class Withheld:
    """A listed row not shown: its instance, and why."""

    instance: str
    reason: str

    def __str__(self) -> str:
        return f"{self.instance}: {self.reason}"


def check_row(store: Any, row: InstanceSummary) -> str | None:
    """Why ``row`` cannot be trusted (``None`` when its events give exactly it). A store
    that cannot be read raises (``DamagedStoreError``): damage is not a finding."""
    try:
        events = store.load(row.id)
        verify(events, head=events[-1].hash, instance=row.id)
        diffs = summary_differences(row, events)
    except (TamperError, InvalidRecordError, UnknownInstanceError, RejectedEventsError) as exc:
        return f"its events do not verify ({exc})"
    if diffs:
        return "the summary row disagrees with its events: " + "; ".join(map(str, diffs))
    return None


def checked_instances(store: Any, **filters: Any) -> tuple[list[InstanceSummary], list[Withheld]]:
    """``store.instances(**filters)``, each row checked against its events: the rows
    to show, and those withheld (with the reason)."""
    shown: list[InstanceSummary] = []
    withheld: list[Withheld] = []
    for row in store.instances(**filters):
        reason = check_row(store, row)
        if reason is None:
            shown.append(row)
        else:
            withheld.append(Withheld(row.id, reason))
    return shown, withheld
