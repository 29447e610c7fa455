"""Workload: hours due per person and period against capacity net of absences.

The month table is checked against figures worked out by hand from the example
practice's documents (not from `plan`):

- `monthly-books` runs for the 11 clients tagged `monthly-books`; its cron `0 8 3 * *`
  creates July's books on Monday 3 August 2026 and `due: within 10 days` makes them due
  on Thursday 13 August. Alice, its assignee, is away 3-14 August with Erin as her
  stand-in, so all 11 are Erin's. The template (`ledger-monthly-books`, extending the
  built-in Monthly Bookkeeping) inherits `estimate: {prepare_hours: 4, review_hours: 0.5}`.
- Erin's own work (the quarterly health review, due 29 July and 29 October; the
  onboarding, due 18 December) is not due in August.
- August 2026 has 21 weekdays; Monday 31 August is the summer bank holiday in England and
  Wales: 20 working days. Erin works 30 h a week: 20 x 6 = 120 h. Alice works 37.5 h a
  week, away for 10 of the working days: 10 x 7.5 = 75 h.
- Bob reviews the 11 books (0.5 h each) and, with Carol, three year-end accounts due in
  August (meadow-vets-llp, castle-joinery-ltd, oakridge-care-ltd: 1.5 h a level).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from workflowkit.calendar import load_practice
from workflowkit.cli.main import main
from workflowkit.review import Cancel, Reassign, apply, replay
from workflowkit.run import run
from workflowkit.run.workload import WorkloadError, workload, workload_of
from workflowkit.store import SQLiteEventStore

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "examples" / "practice"
AUG1, AUG31 = date(2026, 8, 1), date(2026, 8, 31)
BOOKS = [
    "acme-widgets-ltd",
    "bramble-bakery-ltd",
    "castle-joinery-ltd",
    "delta-digital-ltd",
    "fenwick-freight-plc",
    "kestrel-kitchens-ltd",
    "meadow-vets-llp",
    "oakridge-care-ltd",
    "quayside-brewing-ltd",
    "xenon-labs-plc",
    "yardley-yachts-ltd",
]


@pytest.fixture(scope="module")
def practice():  # type: ignore[no-untyped-def]
    return load_practice(PRACTICE)


def test_one_month_matches_the_hand_computed_table(practice) -> None:  # type: ignore[no-untyped-def]
    found = workload_of(practice, AUG1, AUG31, by="month")
    erin = found.row("erin", "2026-08")
    assert erin is not None
    assert (erin.instances, erin.prepare_hours, erin.review_hours) == (11, 44.0, 0.0)
    assert erin.capacity_hours == 120.0 and not erin.over
    alice = found.row("alice", "2026-08")
    assert alice is not None
    assert (alice.instances, alice.hours, alice.capacity_hours) == (0, 0.0, 75.0)
    bob = found.row("bob", "2026-08")
    assert bob is not None
    assert (bob.instances, bob.review_hours) == (14, 11 * 0.5 + 3 * 1.5)
    assert bob.capacity_hours == 150.0
    # the leaver (left 30 June) has no row; every other person has one
    assert {r.person for r in found.rows} == {
        "alice",
        "bob",
        "carol",
        "dev",
        "erin",
        "farah",
        "gwen",
    }
    # bob holds 14 reviews in August: stacked (8 or more)
    [stack] = found.stacked
    assert (stack.reviewer, stack.period, stack.reviews) == ("bob", "2026-08", 14)
    assert {f"{c}/monthly-books/2026-07" for c in BOOKS} <= set(stack.instances)


def test_weeks_flag_the_week_over_capacity(practice) -> None:  # type: ignore[no-untyped-def]
    found = workload_of(practice, AUG1, AUG31, by="week")
    assert found.start == date(2026, 7, 27) and found.end == date(2026, 9, 6)  # whole weeks
    w33 = found.row("erin", "2026-W33")  # 10-16 August: the 11 books due on the 13th
    assert w33 is not None and w33.hours == 44.0 and w33.capacity_hours == 30.0 and w33.over
    assert [(r.person, r.period) for r in found.over] == [("erin", "2026-W33")]
    # alice is away all of W32 and W33: no capacity; back in W34
    assert [found.row("alice", w).capacity_hours for w in ("2026-W32", "2026-W33", "2026-W34")] == [
        0.0,
        0.0,
        37.5,
    ]
    # W36 (31 Aug - 6 Sep) loses the bank holiday: 4 days of bob's 37.5 h
    assert found.row("bob", "2026-W36").capacity_hours == 30.0  # type: ignore[union-attr]


def test_the_store_s_instances_count_once_with_their_people_now(
    practice,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with SQLiteEventStore(tmp_path / "s.db") as store:
        run(
            practice,
            store,
            now=datetime(2026, 8, 5, tzinfo=UTC),
            since=datetime(2026, 8, 1, tzinfo=UTC),
        )
        moved = f"{BOOKS[0]}/monthly-books/2026-07"
        dropped = f"{BOOKS[1]}/monthly-books/2026-07"
        at = datetime(2026, 8, 5, 9, tzinfo=UTC)
        for iid, cmd in [
            (moved, Reassign(by="bob", at=at, to="dev")),
            (dropped, Cancel(by="bob", at=at, reason="client left")),
        ]:
            events = store.load(iid)
            _, ev = apply(replay(events), cmd)
            store.append(iid, [ev], expected_version=len(events))
        found = workload(practice, store, AUG1, AUG31, by="month")
    erin = found.row("erin", "2026-08")
    dev = found.row("dev", "2026-08")
    assert erin is not None and dev is not None
    assert erin.instances == 9 and erin.prepare_hours == 36.0  # 11 less one moved, one cancelled
    assert dev.instances == 3 + 1 and dev.prepare_hours == 3 * 10 + 4
    assert found.sources["store"] == 10 and found.sources["plan"] == 3  # the year-ends


def test_without_a_team_people_are_counted_without_capacity(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    import shutil

    shutil.copytree(PRACTICE, folder)
    (folder / "team" / "team.yaml").unlink()
    found = workload_of(load_practice(folder), AUG1, AUG31, by="month")
    alice = found.row("alice", "2026-08")
    assert alice is not None and alice.instances == 11  # no team: no stand-ins
    assert alice.capacity_hours is None and not alice.over
    assert found.row("farah", "2026-08") is None  # nobody knows farah without a team


def test_check_estimates_add_up_when_the_template_gives_no_total(tmp_path: Path) -> None:
    from workflowkit.templates.validate import load_registry

    (tmp_path / "t.yaml").write_text(
        """
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: tiny
name: Tiny
version: 1.0.0
checks:
  - {id: a, title: A, estimate_minutes: 20}
  - {id: b, title: B, estimate_minutes: 25}
  - {id: c, title: C}
""".lstrip()
    )
    tpl = load_registry([tmp_path]).get("tiny")
    assert tpl.prepare_hours == 45 / 60 and tpl.review_hours is None
    data = tpl.model_dump(mode="json")
    assert "estimate" not in data and "estimate_minutes" not in data["checks"][2]


def test_bad_windows_are_typed_errors(practice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkloadError, match="ends"):
        workload_of(practice, AUG31, AUG1)
    with pytest.raises(WorkloadError, match="by must be"):
        workload_of(practice, AUG1, AUG31, by="day")  # type: ignore[arg-type]
    with pytest.raises(WorkloadError, match="dates"):
        workload_of(practice, "2026-08-01", AUG31)  # type: ignore[arg-type]
    with pytest.raises(WorkloadError, match="limit is 3 years"):
        workload_of(practice, date(2020, 1, 1), date(2026, 1, 1))


def test_cli_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no ./workflowkit.db: the plan alone
    monkeypatch.delenv("WORKFLOWKIT_DB", raising=False)
    args = ["workload", str(PRACTICE), "--from", "2026-08-01", "--to", "2026-08-31"]
    assert main([*args, "--by", "month", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    erin = next(r for r in data["rows"] if r["person"] == "erin")
    assert erin["hours"] == 44.0 and erin["capacity_hours"] == 120.0 and erin["over"] is False
    assert data["stacked"][0]["reviewer"] == "bob"
    assert main([*args, "--by", "month", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["person"]: r["capacity_hours"] for r in rows}["alice"] == "75.0"
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "from the plan only (no store)" in out
    assert re.search(r"erin \(Erin Walsh\) +2026-W33 +11 +44\.0 +30\.0 +147%  OVER\n", out)
    assert "1 period(s) over capacity:" in out
    assert "  erin 2026-W33: 44.0 h due, capacity 30.0 h" in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert main([*args, "--stack", "0"]) == 2
