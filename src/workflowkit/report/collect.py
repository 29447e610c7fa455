"""The edge of the report: read the store and the ledger snapshots, then build.

:func:`collect` opens nothing itself: it takes an open store (or ``None``) and the
snapshots read, reads what :func:`~workflowkit.report.build.build_report` needs (every
instance's state in brief (``EventStore.states``, which says where each stands, handed
back and with issues included), the full summary of only the instances the page shows
in full, and every event of the instances that get a page, in one batch read) and calls
it. The clock is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from workflowkit.calendar.practice import Practice
from workflowkit.insights.load import load_snapshot
from workflowkit.report.apart import Apart, can_fork
from workflowkit.report.build import PlanPart, build_report, shown
from workflowkit.report.health import SnapshotInput, client_health
from workflowkit.report.model import Limits, PersonInfo, Report
from workflowkit.report.pages import Listed, select_pages
from workflowkit.review.events import Event
from workflowkit.store.protocol import EventStore, InstanceState, InstanceSummary


def event_ids(
    summaries: Sequence[Listed],
    *,
    today: date,
    now: datetime,
    limits: Limits,
    pages: tuple[list[tuple[Listed, str]], int] | None = None,
) -> list[str]:
    """The instances whose events the report reads: the ones that get a page (their
    checklists, trails and chains). Every other instance's status is in its summary."""
    chosen, _ = pages or select_pages(summaries, today=today, now=now, limits=limits)
    return sorted({s.id for s, _ in chosen})


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
    jobs: int | None = None,
) -> Report:
    """Read what the report needs from ``store`` and build it (see :func:`build_report`).

    The window is planned while the store is read and the snapshots' checks run, in a
    forked child process, when the practice has ``PARALLEL_MIN_CLIENTS`` clients or more
    and forking is safe here (:func:`~workflowkit.report.apart.can_fork`); ``jobs=1``
    never forks. The report is the same either way.
    """
    lim = limits or Limits()

    def planned() -> PlanPart:
        occurrences = practice.plan(start, end + timedelta(days=1), by="due")
        return PlanPart.of(occurrences, today=today, start=start, end=end)

    fork = (jobs is None or jobs > 1) and store is not None and can_fork()
    fork = fork and (jobs is not None or len(practice.clients) >= PARALLEL_MIN_CLIENTS)
    with Apart(planned, fork=fork) as part:
        # Every instance in brief (a count over the store needs no more), and the full
        # summary of the few the page shows in full.
        summaries: list[InstanceState] = [] if store is None else store.states()
        pages = select_pages(summaries, today=today, now=now, limits=lim)
        full, events = _read(store, summaries, today=today, limits=lim, pages=pages)
        names = {c.id: c.name for c in practice.clients}
        health = client_health(
            snapshots, names, today=today, findings_per_check=lim.findings_per_check
        )
        plan = part.result().digest({s.id for s in summaries})
    return build_report(
        practice=practice,
        occurrences=(),
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
        full=full,
        plan=plan,
        health=health,
    )


PARALLEL_MIN_CLIENTS = 1000
"""From this many clients on, :func:`collect` plans in a child while it reads the store."""


def _read(
    store: EventStore | None,
    summaries: Sequence[InstanceState],
    *,
    today: date,
    limits: Limits,
    pages: tuple[list[tuple[Listed, str]], int],
) -> tuple[dict[str, InstanceSummary], dict[str, Sequence[Event]]]:
    """The full summaries of the instances shown in full, and the events of the ones
    that get a page (their chains are verified), in one batch read."""
    full: dict[str, InstanceSummary] = {}
    events: dict[str, Sequence[Event]] = {}
    if store is not None:
        for iid in sorted(shown(summaries, today=today, limits=limits, pages=pages)):
            full[iid] = store.get(iid)
        events.update(store.load_many({s.id for s, _ in pages[0]}))
    return full, events
