"""The edge of the report: read the store and the ledger snapshots, then build.

:func:`collect` opens nothing itself: it takes an open store (or ``None``) and a folder
of snapshots, reads what :func:`~workflowkit.report.build.build_report` needs (every
instance summary; every event of the instances that get a page, and only the event
types :func:`~workflowkit.report.pages.status_of` reads of the others whose status
needs them, each in one batch read) and calls it. The clock is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from workflowkit.calendar.practice import Practice
from workflowkit.insights.load import load_snapshot
from workflowkit.report.build import build_report
from workflowkit.report.health import SnapshotInput
from workflowkit.report.model import Limits, PersonInfo, Report
from workflowkit.report.pages import STATUS_EVENT_TYPES, needs_events, select_pages
from workflowkit.review.events import Event
from workflowkit.store.protocol import EventStore, InstanceSummary


def event_ids(
    summaries: Sequence[InstanceSummary],
    *,
    today: date,
    now: datetime,
    limits: Limits,
    pages: tuple[list[tuple[InstanceSummary, str]], int] | None = None,
) -> list[str]:
    """The instances whose events the report reads: the open ones with work recorded
    (for handed back / with issues) and the ones that get a page."""
    ids = {s.id for s in summaries if needs_events(s)}
    chosen, _ = pages or select_pages(summaries, today=today, now=now, limits=limits)
    ids.update(s.id for s, _ in chosen)
    return sorted(ids)


def _is_snapshot(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() == ".json"
    return path.is_dir() and (path / "organisation.csv").is_file()


def find_snapshots(folder: Path, practice: Practice) -> list[SnapshotInput]:
    """Every snapshot in ``folder`` (``*.json`` files and folders of CSV exports), each
    matched to a client by its name (``acme-widgets-ltd.json``) or, failing that, by the
    organisation's name; an unmatched one keeps its file name as its client id."""
    by_name = {c.name.casefold(): c.id for c in practice.clients}
    ids = {c.id for c in practice.clients}
    out: list[SnapshotInput] = []
    for path in sorted(folder.iterdir()):
        if not _is_snapshot(path):
            continue
        snap = load_snapshot(path)
        stem = path.stem if path.is_file() else path.name
        client = stem if stem in ids else by_name.get(snap.organisation.name.casefold(), stem)
        out.append(SnapshotInput(client=client, source=path.name, snapshot=snap))
    return out


def collect(
    practice: Practice,
    store: EventStore | None,
    *,
    snapshots: Sequence[SnapshotInput] = (),
    now: datetime,
    today: date,
    start: date,
    end: date,
    title: str = "Practice report",
    people: Mapping[str, PersonInfo] | None = None,
    limits: Limits | None = None,
) -> Report:
    """Read what the report needs from ``store`` and build it (see :func:`build_report`)."""
    lim = limits or Limits()
    occurrences = practice.plan(start, end + timedelta(days=1), by="due")
    summaries: list[InstanceSummary] = [] if store is None else store.instances()
    pages = select_pages(summaries, today=today, now=now, limits=lim)
    events: dict[str, Sequence[Event]] = {}
    if store is not None:
        # Two batch reads: every event of the instances that get a page (their chains
        # are verified), and only the few event types status_of reads for the others.
        paged = {s.id for s, _ in pages[0]}
        events.update(store.load_many(paged))
        status_only = {s.id for s in summaries if needs_events(s) and s.id not in paged}
        events.update(store.load_many(status_only, types=STATUS_EVENT_TYPES))
    return build_report(
        practice=practice,
        occurrences=occurrences,
        summaries=summaries,
        events=events,
        snapshots=snapshots,
        now=now,
        today=today,
        start=start,
        end=end,
        title=title,
        has_store=store is not None,
        people=people,
        limits=lim,
        pages=pages,
    )
