"""`run` gives work due during an absence to the person's stand-in, where the team lets
the stand-in take it, and says so; otherwise the person keeps it and a WK705 says why."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from workflowkit.calendar import load_practice
from workflowkit.calendar.plan import Occurrence
from workflowkit.cli.main import main
from workflowkit.run import run
from workflowkit.run.stand_ins import cover
from workflowkit.store import SQLiteEventStore
from workflowkit.team import Team
from workflowkit.templates.models import ReviewLevel, ReviewPolicy

ROOT = Path(__file__).resolve().parents[2]
JUL = datetime(2026, 7, 1, tzinfo=UTC)
END_AUG = datetime(2026, 8, 31, 23, tzinfo=UTC)
BOOKS_JULY = "acme-widgets-ltd/monthly-books/2026-07"  # due 2026-08-13, alice away 3-14 Aug


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "practice"
    shutil.copytree(ROOT / "examples" / "practice", dest)
    return dest


def test_work_due_in_an_absence_goes_to_the_stand_in_and_is_reported(tmp_path: Path) -> None:
    practice = load_practice(ROOT / "examples" / "practice")
    assert practice.team is not None
    with SQLiteEventStore(tmp_path / "s.db") as store:
        report = run(practice, store, now=END_AUG, since=JUL)
        entry = next(e for e in report.entries if e.instance == BOOKS_JULY)
        assert entry.outcome == "started"
        assert entry.assignee == "erin"
        [swap] = entry.stand_ins
        assert (swap.field, swap.away, swap.stand_in) == ("assignee", "alice", "erin")
        assert (swap.absent_from, swap.absent_to) == (date(2026, 8, 3), date(2026, 8, 14))
        # the stored instance is erin's, and so is its start event
        [summary] = [s for s in store.instances() if s.id == BOOKS_JULY]
        assert summary.assignee == "erin"
        # work due outside the absence stays alice's
        june = next(e for e in report.entries if e.instance.endswith("monthly-books/2026-06"))
        assert june.assignee == "alice" and june.stand_ins == ()
        assert {(e.instance, w.stand_in) for e, w in report.stand_ins} >= {(BOOKS_JULY, "erin")}
        # a second run starts nothing and swaps nothing
        again = run(practice, store, now=END_AUG, since=JUL)
        assert again.started == [] and again.stand_ins == []
        data = report.to_data()
        swapped = next(e for e in data["entries"] if e["instance"] == BOOKS_JULY)
        assert swapped["stand_ins"] == [
            {
                "field": "assignee",
                "away": "alice",
                "stand_in": "erin",
                "due": "2026-08-13",
                "absent_from": "2026-08-03",
                "absent_to": "2026-08-14",
            }
        ]


def test_the_cli_prints_each_swap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    args = ["run", str(ROOT / "examples" / "practice"), "--db", str(db)]
    code = main([*args, "--since", "2026-07-01", "--now", "2026-08-31T23:00:00Z"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"started  {BOOKS_JULY}  due 2026-08-13  erin -> bob" in out
    assert "erin stands in for alice (assignee): away 2026-08-03..2026-08-14" in out
    assert ", stand-ins " in out.splitlines()[-2]


def test_an_absence_without_a_stand_in_keeps_the_person_with_a_wk705(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team = folder / "team" / "team.yaml"
    team.write_text(team.read_text().replace("        stand_in: erin\n", ""))
    code = main(
        [
            "run",
            str(folder),
            "--db",
            str(tmp_path / "s.db"),
            "--since",
            "2026-07-01",
            "--now",
            "2026-08-31T23:00:00Z",
            "--format",
            "json",
        ]
    )
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 0  # started all the same: a note, not a skip
    entry = next(e for e in data["entries"] if e["instance"] == BOOKS_JULY)
    assert entry["assignee"] == "alice" and entry["stand_ins"] == []
    notes = [n for n in data["notes"] if BOOKS_JULY in n["message"]]
    assert notes and notes[0]["code"] == "WK705"
    assert "assignee 'alice' is away 2026-08-03..2026-08-14 (due 2026-08-13)" in notes[0]["message"]
    assert notes[0]["file"].endswith("monthly-books.yaml")
    assert "WK705" in captured.err


# --- the pure rule, case by case ---------------------------------------------------------


def _team(**overrides: Any) -> Team:
    people: list[dict[str, Any]] = [
        {
            "id": "ann",
            "name": "Ann",
            "roles": ["bookkeeper"],
            "absences": [{"from": "2026-03-01", "to": "2026-03-10", "stand_in": "ben"}],
        },
        {"id": "ben", "name": "Ben", "roles": ["bookkeeper"]},
        {
            "id": "rob",
            "name": "Rob",
            "roles": ["senior"],
            "absences": [{"from": "2026-03-01", "to": "2026-03-10", "stand_in": "sue"}],
        },
        {"id": "sue", "name": "Sue", "roles": ["senior"]},
        {"id": "mia", "name": "Mia", "roles": ["manager"]},
    ]
    for person_id, change in overrides.items():
        for p in people:
            if p["id"] == person_id:
                p.update(change)
    return Team.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "Team",
            "id": "t",
            "name": "T",
            "roles": [
                {"id": "bookkeeper", "permissions": {"prepare": True}},
                {"id": "senior", "permissions": {"prepare": True, "review_levels": ["reviewer"]}},
                {
                    "id": "manager",
                    "permissions": {"prepare": False, "review_levels": ["reviewer", "manager"]},
                },
            ],
            "people": people,
        }
    )


POLICY = ReviewPolicy(levels=(ReviewLevel(role="reviewer"), ReviewLevel(role="manager")))


def _occ(assignee: str, *reviewers: str, due: date = date(2026, 3, 5)) -> Occurrence:
    return Occurrence(
        key="k",
        workflow="w",
        client="c",
        template="t",
        template_version="1.0.0",
        period_start=date(2026, 2, 1),
        period_end=date(2026, 2, 28),
        create_on=date(2026, 3, 1),
        create_at=datetime(2026, 3, 1, 8, tzinfo=UTC),
        due_on=due,
        deadline=None,
        assignee=assignee,
        reviewers=tuple(reviewers),
    )


def test_assignee_and_reviewer_both_covered() -> None:
    got = cover(_occ("ann", "rob", "mia"), _team(), POLICY)
    assert got.occurrence.assignee == "ben"
    assert got.occurrence.reviewers == ("sue", "mia")
    assert [(s.field, s.away, s.stand_in) for s in got.swaps] == [
        ("assignee", "ann", "ben"),
        ("reviewers[0]", "rob", "sue"),
    ]
    assert got.uncovered == ()


def test_ids_are_matched_in_their_normal_form() -> None:
    got = cover(_occ(" ANN ", "Rob"), _team(), POLICY)
    assert (got.occurrence.assignee, got.occurrence.reviewers) == ("ben", ("sue",))


def test_nothing_changes_outside_the_absence() -> None:
    o = _occ("ann", "rob", due=date(2026, 3, 11))
    got = cover(o, _team(), POLICY)
    assert got.occurrence == o and got.swaps == () and got.uncovered == ()


@pytest.mark.parametrize(
    ("overrides", "occurrence", "reason"),
    [
        (
            {"ann": {"absences": [{"from": "2026-03-01", "to": "2026-03-10"}]}},
            _occ("ann"),
            "assignee 'ann' is away 2026-03-01..2026-03-10 (due 2026-03-05) and names no stand-in",
        ),
        (
            {"ben": {"absences": [{"from": "2026-03-04", "to": "2026-03-06"}]}},
            _occ("ann"),
            "the stand-in 'ben' is away on 2026-03-05 too; 'ann' keeps it",
        ),
        (
            {"ben": {"left": "2026-03-02"}},
            _occ("ann"),
            "the stand-in 'ben' left the practice on 2026-03-02",
        ),
        (
            {"ann": {"absences": [{"from": "2026-03-01", "to": "2026-03-10", "stand_in": "mia"}]}},
            _occ("ann"),
            "the stand-in 'mia' (manager) may not prepare work",
        ),
        (
            {},
            _occ("sue", "rob"),
            "the stand-in 'sue' is the assignee already (no self-review)",
        ),
        (
            {"rob": {"absences": [{"from": "2026-03-01", "to": "2026-03-10", "stand_in": "mia"}]}},
            _occ("ben", "rob", "mia"),
            "the stand-in 'mia' reviews at another level already (reviewers[1])",
        ),
        (
            {"ann": {"absences": [{"from": "2026-03-01", "to": "2026-03-10", "stand_in": "zed"}]}},
            _occ("ann"),
            "the stand-in 'zed' is not on the team",
        ),
    ],
)
def test_a_stand_in_who_may_not_take_it_leaves_it_with_the_person(
    overrides: dict[str, Any], occurrence: Occurrence, reason: str
) -> None:
    got = cover(occurrence, _team(**overrides), POLICY)
    assert got.swaps == ()
    assert got.occurrence == occurrence
    [why] = got.uncovered
    assert reason in why


def test_a_reviewer_stand_in_needs_the_level() -> None:
    # sue is a senior: she may review at level "reviewer", not at level "manager"
    team = _team(mia={"absences": [{"from": "2026-03-01", "to": "2026-03-10", "stand_in": "sue"}]})
    got = cover(_occ("ben", "rob", "mia"), team, POLICY)
    assert got.occurrence.reviewers[1] == "mia"
    assert any("may not review at level 'manager'" in u for u in got.uncovered)


def test_the_policy_can_let_the_preparer_review() -> None:
    # sue prepares; rob, the reviewer, is away and names sue
    strict = cover(_occ("sue", "rob"), _team(), POLICY)
    assert strict.occurrence.reviewers == ("rob",)
    assert any("'sue' is the assignee already (no self-review)" in u for u in strict.uncovered)
    relaxed = cover(
        _occ("sue", "rob"), _team(), POLICY.model_copy(update={"preparer_may_review": True})
    )
    assert relaxed.occurrence.reviewers == ("sue",) and relaxed.uncovered == ()
