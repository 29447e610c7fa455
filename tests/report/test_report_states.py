"""The report read from the store's states in brief is the report read from every full
summary: the same page and the same JSON, byte for byte.

``collect`` lists ``EventStore.states()`` and reads the full summary of only the
instances the page shows in full; before, it listed every full summary. Both ways are
built here over the demo store and over a worked store of the benchmark's practice
(in progress, handed back, with issues, in review, locked), with the caps small enough
that what is cut and what is shown both matter.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from report_helpers import PRACTICE, ROOT, shot

from trail_helpers import standing_from_events
from workflowkit.calendar import load_practice
from workflowkit.calendar.practice import Practice
from workflowkit.errors import CalendarError
from workflowkit.report import Limits, build_report, collect, render_html, render_json
from workflowkit.report.apart import Apart, can_fork
from workflowkit.report.pages import select_pages, status_of
from workflowkit.review.events import Event
from workflowkit.store import SQLiteEventStore, open_store
from workflowkit.store.protocol import InstanceState


def _from_full_summaries(
    practice: Practice, store: Any, *, now: datetime, start: date, end: date, limits: Limits
) -> Any:
    """The report as ``collect`` made it from every full summary (``instances()``)."""
    summaries = store.instances()
    today = now.date()
    pages = select_pages(summaries, today=today, now=now, limits=limits)
    paged = {s.id for s, _ in pages[0]}
    events: dict[str, Sequence[Event]] = dict(store.load_many(paged))
    return build_report(
        practice=practice,
        occurrences=practice.plan(start, end + timedelta(days=1), by="due"),
        summaries=summaries,
        events=events,
        snapshots=[],
        now=now,
        today=today,
        start=start,
        end=end,
        limits=limits,
        pages=pages,
    )


def _both_ways(
    practice: Practice, db: Path, *, now: datetime, start: date, end: date, limits: Limits
) -> None:
    with open_store(str(db), create=False) as store:
        states = store.states()
        assert states and all(isinstance(s, InstanceState) for s in states)
        brief = collect(
            practice, store, now=now, today=now.date(), start=start, end=end, limits=limits
        )
        full = _from_full_summaries(practice, store, now=now, start=start, end=end, limits=limits)
    assert render_json(brief) == render_json(full)
    assert render_html(brief) == render_html(full)


LIMITS = [
    Limits(),
    Limits(table_rows=2, instance_pages=3, due_soon_days=30, locked_recent_days=400),
    Limits(table_rows=1, instance_pages=1),
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    shot.build_demo_store(db)
    return db


@pytest.mark.parametrize("limits", LIMITS)
def test_the_demo_store_reports_the_same_from_states(demo_db: Path, limits: Limits) -> None:
    practice = load_practice(PRACTICE, skip_invalid_workflows=True)
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    _both_ways(
        practice, demo_db, now=now, start=date(2026, 12, 1), end=date(2027, 3, 31), limits=limits
    )


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "benchmarks" / "report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Practice, Path, Any]:
    """The benchmark's practice for 40 clients, run for most of 2025 and one instance in
    three worked (commented, checked with issues, handed back, approved and locked)."""
    from workflowkit.run import run

    bench = _bench()
    tmp = tmp_path_factory.mktemp("worked")
    bench.write_practice(bench._bench_run(), 40, tmp / "practice")
    practice = load_practice([tmp / "practice"])
    db = tmp / "worked.db"
    with SQLiteEventStore(db) as store:
        run(practice, store, now=bench.NOW, since=bench.SINCE)
        assert bench.work(store, 3) > 0
    return practice, db, bench


@pytest.mark.parametrize("limits", LIMITS)
@pytest.mark.parametrize("days_on", [0, 12, 40])
def test_a_worked_store_reports_the_same_from_states(
    worked: tuple[Practice, Path, Any], limits: Limits, days_on: int
) -> None:
    practice, db, bench = worked
    now = bench.NOW + timedelta(days=days_on)
    _both_ways(practice, db, now=now, start=bench.START, end=bench.END, limits=limits)
    with open_store(str(db), create=False) as store:
        kinds = {s.status for s in store.states()}
    assert {"in_progress", "completed"} <= kinds


def _status_from_events(status: str, level: int, events: Sequence[Event]) -> str:
    """Where an instance stands, read from its whole trail (as the report read it before
    the store kept ``handed_back`` and ``issues`` on the summary)."""
    if status == "completed":
        return "locked"
    if status == "in_review":
        return f"in_review_{level + 1}"
    if status != "in_progress":
        return status
    if len(events) == 1:
        return "not_started"
    handed_back, issues = standing_from_events(events)
    if handed_back:
        return "handed_back"
    return "with_issues" if issues else "in_progress"


def test_each_status_is_what_the_trail_says(worked: tuple[Practice, Path, Any]) -> None:
    """The status the report gives each instance (read from its summary, or its state in
    brief) is the one its events say, for every instance of the worked store."""
    _, db, _ = worked
    with open_store(str(db), create=False) as store:
        summaries = store.instances()
        trails = store.load_many(s.id for s in summaries)
        states = {s.id: s for s in store.states()}
    seen = set()
    for s in summaries:
        want = _status_from_events(s.status, s.level, trails[s.id])
        assert status_of(s)[0] == want == status_of(states[s.id])[0], s.id
        seen.add(want)
    assert {"not_started", "in_progress", "with_issues", "handed_back", "locked"} <= seen


# --- planning in a child process while the store is read --------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_planning_apart_gives_the_same_report(worked: tuple[Practice, Path, Any]) -> None:
    practice, db, bench = worked
    now = bench.NOW
    with open_store(str(db), create=False) as store:
        kw: dict[str, Any] = {
            "now": now,
            "today": now.date(),
            "start": bench.START,
            "end": bench.END,
        }
        alone = collect(practice, store, jobs=1, **kw)
        apart = collect(practice, store, jobs=2, **kw)
    assert render_html(apart) == render_html(alone)
    assert render_json(apart) == render_json(alone)


def _fails() -> int:
    raise CalendarError("planned apart, raised here")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_work_apart_comes_back_or_is_done_here() -> None:
    parent = os.getpid()
    with Apart(lambda: (os.getpid(), [1, 2, 3] * 100_000), fork=True) as job:
        pid, value = job.result()
    assert pid != parent and value == [1, 2, 3] * 100_000  # made in the child, sent whole
    # A child that fails: the work is done again here, raising what it raises.
    with pytest.raises(CalendarError, match="raised here"), Apart(_fails, fork=True) as bad:
        bad.result()
    # Without fork the work runs in this process, when the result is asked for.
    ran: list[int] = []

    def here_work() -> int:
        ran.append(os.getpid())
        return 7

    here = Apart(here_work, fork=False)
    assert ran == [] and here.result() == 7 and ran == [parent]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_child_whose_result_is_never_asked_for_is_reaped() -> None:
    import time

    with Apart(lambda: time.sleep(30), fork=True) as job:
        pid = job._pid
        assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no such child


def test_forking_is_only_considered_with_one_thread() -> None:
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert can_fork() is False
    finally:
        stop.set()
        other.join()


def test_a_page_gives_the_status_its_verified_trail_gives(
    worked: tuple[Practice, Path, Any],
) -> None:
    """A summary row changed by hand (``handed_back`` set, ``issues`` emptied) moves the
    counts, which read the rows, but not the instance's page: its status is the one its
    verified events give."""
    import dataclasses

    from workflowkit.report.pages import page_of

    _, db, _ = worked
    with open_store(str(db), create=False) as store:
        summaries = store.instances()
        trails = store.load_many(s.id for s in summaries)
    by_status: dict[str, Any] = {}
    for s in summaries:
        by_status.setdefault(_status_from_events(s.status, s.level, trails[s.id]), s)
    for want in ("with_issues", "handed_back", "in_progress"):
        s = by_status[want]
        forged = dataclasses.replace(s, handed_back=not s.handed_back, issues=())
        assert status_of(forged)[0] != want  # the row alone would say otherwise
        page = page_of(forged, trails[s.id], "overdue", s.client)
        assert page.chain_verified and page.status == want
