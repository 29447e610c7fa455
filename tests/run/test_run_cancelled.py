"""A cancelled instance keeps its occurrence key: ``run`` never starts that work again,
and the instance leaves the agenda while it stays in the store's history."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from workflowkit.calendar import load_practice
from workflowkit.review import Cancel, apply, replay
from workflowkit.run import agenda, run
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
JAN = datetime(2026, 1, 1, tzinfo=UTC)
APR = datetime(2026, 4, 1, tzinfo=UTC)


def test_run_never_recreates_a_cancelled_instance(tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    shutil.copytree(ROOT / "examples" / "practice", folder)
    practice = load_practice(folder)
    with SQLiteEventStore(tmp_path / "wk.db") as store:
        first = run(practice, store, now=APR, since=JAN)
        entry = first.started[0]
        inst = replay(store.load(entry.instance))
        who = inst.assignee
        assert any(
            i.instance == inst.id for i in _everything(agenda(store, who, on=date(2026, 4, 1)))
        )
        cancelled, event = apply(inst, Cancel(reason="client left the practice", by=who, at=APR))
        store.append(inst.id, [event], inst.version)
        assert store.get(inst.id).status == "cancelled"

        again = run(practice, store, now=APR, since=JAN)  # a backfill over the same window
        assert entry.instance not in {e.instance for e in again.started}
        assert entry.instance in {e.instance for e in again.existed}
        assert replay(store.load(entry.instance)) == cancelled  # still there, unchanged
        assert store.occurrences([entry.key]) == {entry.key: entry.instance}
        items = _everything(agenda(store, who, on=date(2026, 4, 1)))
        assert entry.instance not in {i.instance for i in items}
        assert entry.instance not in {s.id for s in store.instances(overdue_on=date(2027, 1, 1))}


def _everything(a: object) -> list[object]:
    return [
        *a.handed_back,  # type: ignore[attr-defined]
        *a.checks,  # type: ignore[attr-defined]
        *a.reviews,  # type: ignore[attr-defined]
        *a.overdue,  # type: ignore[attr-defined]
        *a.due_this_week,  # type: ignore[attr-defined]
    ]
