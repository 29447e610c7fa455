"""`run` over the example practice: a year of runs, however it is split, starts exactly
the occurrences `plan` lists, each once; catch-up after downtime; reruns do nothing; a
run stopped midway is finished by the next."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflowkit.calendar import Practice, load_practice
from workflowkit.review import replay, verify
from workflowkit.run import NoCursorError, WindowError, instance_id, run
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def practice() -> Practice:
    return load_practice(ROOT / "examples" / "practice")


def expected(practice: Practice, since: datetime = START, until: datetime = END) -> set[str]:
    """The keys `plan` lists as created in (since, until]."""
    found = practice.plan(since.date() - timedelta(days=2), until.date() + timedelta(days=2))
    return {o.key for o in found if since < o.create_at <= until}


def state(store: SQLiteEventStore) -> dict[str, tuple[str, str]]:
    """Every instance in the store: id -> (head hash, template version)."""
    return {s.id: (s.head, s.template_version) for s in store.instances()}


def keys(store: SQLiteEventStore) -> list[str]:
    rows = store._conn.execute("SELECT key FROM occurrences").fetchall()
    return [r[0] for r in rows]


def test_a_year_of_daily_runs_starts_what_plan_lists_each_once(practice: Practice) -> None:
    want = expected(practice)
    assert len(want) > 200
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=START, since=START)
        day = START
        while day < END:
            day += timedelta(days=1)
            report = run(practice, store, now=day)
            assert not report.skipped
        got = keys(store)
        assert len(got) == len(set(got)) == len(want)
        assert set(got) == want
        assert store.cursor("default") == END
        for s in store.instances(limit=20):
            verify(store.load(s.id), head=s.head)


def test_one_run_twelve_monthly_runs_and_daily_runs_agree(practice: Practice) -> None:
    def months() -> list[datetime]:
        return [datetime(2026, m, 1, tzinfo=UTC) for m in range(2, 13)] + [END]

    with SQLiteEventStore(":memory:") as one:
        run(practice, one, now=END, since=START)
        whole = state(one)
    with SQLiteEventStore(":memory:") as monthly:
        run(practice, monthly, now=START, since=START)
        for m in months():
            run(practice, monthly, now=m)
        assert state(monthly) == whole
    with SQLiteEventStore(":memory:") as daily:
        run(practice, daily, now=START, since=START)
        for n in range(1, 366):
            run(practice, daily, now=START + timedelta(days=n))
        assert state(daily) == whole
    assert len(whole) == len(expected(practice))


def test_catch_up_after_thirty_days_of_downtime(practice: Practice) -> None:
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=datetime(2026, 3, 1, tzinfo=UTC), since=START)
        before = set(state(store))
        back = datetime(2026, 3, 31, tzinfo=UTC)
        report = run(practice, store, now=back)
        missed = expected(practice, datetime(2026, 3, 1, tzinfo=UTC), back)
        assert missed and {e.key for e in report.started} == missed
        dues = [e.due for e in report.started]
        assert dues == sorted(dues), "catch-up starts the missed work in due-date order"
        assert set(state(store)) == before | {e.instance for e in report.started}
        assert report.cursor_before == datetime(2026, 3, 1, tzinfo=UTC)
        assert report.cursor_after == back


def test_a_rerun_is_a_no_op(practice: Practice) -> None:
    with SQLiteEventStore(":memory:") as store:
        first = run(practice, store, now=END, since=START)
        snapshot = state(store)
        again = run(practice, store, now=END, since=START)
        assert again.started == []
        assert {e.key for e in again.existed} == {e.key for e in first.started}
        assert state(store) == snapshot
        same_cursor = run(practice, store, now=END)
        assert same_cursor.entries == () and state(store) == snapshot


def test_backfill_from_a_past_date_reports_what_exists(practice: Practice) -> None:
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=END, since=datetime(2026, 7, 1, tzinfo=UTC))
        later = len(state(store))
        report = run(practice, store, now=END, since=START)
        assert len(report.existed) == later
        assert len(state(store)) == len(expected(practice))
        assert store.cursor("default") == END


def test_dry_run_writes_nothing(practice: Practice) -> None:
    with SQLiteEventStore(":memory:") as store:
        report = run(practice, store, now=END, since=START, dry_run=True)
        assert report.counts()["would_start"] == len(expected(practice))
        assert store.instances() == [] and store.cursor("default") is None


def test_the_first_run_needs_a_start_and_the_window_is_checked(practice: Practice) -> None:
    with SQLiteEventStore(":memory:") as store:
        with pytest.raises(NoCursorError, match="--since"):
            run(practice, store, now=END)
        with pytest.raises(WindowError, match="after now"):
            run(practice, store, now=START, since=START, until=END)
        with pytest.raises(WindowError, match="before since"):
            run(practice, store, now=END, since=END, until=START)
        with pytest.raises(WindowError, match="timezone-aware"):
            run(practice, store, now=datetime(2026, 1, 1), since=START)
        assert store.instances() == [] and store.cursor("default") is None


def test_cursors_are_per_practice_name(practice: Practice) -> None:
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=datetime(2026, 2, 1, tzinfo=UTC), since=START, name="north")
        assert store.cursor("north") == datetime(2026, 2, 1, tzinfo=UTC)
        assert store.cursor("south") is None


def test_instances_are_started_as_the_occurrence_says(practice: Practice) -> None:
    found = {
        o.key: o for o in practice.plan(date(2025, 12, 1), date(2027, 1, 3)) if o.create_at > START
    }
    with SQLiteEventStore(":memory:") as store:
        report = run(practice, store, now=datetime(2026, 2, 1, tzinfo=UTC), since=START)
        for e in report.started:
            o = found[e.key]
            inst = replay(store.load(e.instance))
            assert e.instance == instance_id(o)
            assert (inst.assignee, inst.setup.reviewers, inst.setup.due) == (
                o.assignee,
                o.reviewers,
                o.due_on,
            )
            assert inst.setup.template.version == o.template_version
            assert inst.setup.started_by == "workflowkit-run"
            assert inst.setup.started_at == o.create_at


class Stop(Exception):
    """Stands for a crash: the run stops after some batches were committed."""


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cuts=st.lists(st.integers(min_value=1, max_value=364), max_size=6, unique=True),
    crash_run=st.integers(min_value=0, max_value=6),
    crash_after=st.integers(min_value=1, max_value=6),
)
def test_any_split_and_any_crash_gives_one_runs_instances(
    practice: Practice, cuts: list[int], crash_run: int, crash_after: int
) -> None:
    with SQLiteEventStore(":memory:") as one:
        run(practice, one, now=END, since=START)
        whole = state(one)
    moments = [START + timedelta(days=d) for d in sorted(cuts)] + [END]
    with SQLiteEventStore(":memory:") as store:
        run(practice, store, now=START, since=START)
        for n, moment in enumerate(moments):
            if n == crash_run:
                calls = 0

                def crash(done: int, total: int) -> None:
                    nonlocal calls
                    calls += 1
                    if calls == crash_after:
                        raise Stop

                cursor = store.cursor("default")
                try:
                    run(practice, store, now=moment, batch=7, progress=crash)
                except Stop:
                    # the cursor moves with the last batch only
                    assert store.cursor("default") in (cursor, moment)
            run(practice, store, now=moment)
        assert state(store) == whole
