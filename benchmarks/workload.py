"""Benchmark: ``workflowkit.run.workload_of`` against a plain loop over the plan.

Builds the practice of ``benchmarks/run.py`` (10,000 clients, four repeating workflows,
the built-in templates with their estimates, about 200,000 occurrences due in a year)
and gives it a team of 200 people: 150 preparers, each with a portfolio of clients
(``per_client``), and 50 reviewers; one preparer in five is away for two weeks with a
stand-in.

- ``workload``: ``workload_of(practice, start, end, by="week")``, as ``workflowkit
  workload`` computes it: the plan by due date, stand-ins, hours per person and week
  from the templates' estimates, capacity net of absences and bank holidays, periods
  over capacity and stacked reviews.
- ``loop``, in the same run: the plan by due date, then a plain loop over its
  occurrences that adds each template's hours to the assignee's and each reviewer's
  week in a dict: the least any workload can do.

Both are timed best of ``--repeat`` (3) runs, alternating. Target: ``workload`` at most
1.5x ``loop``. Also printed: the two without the plan (``workload_of`` given the
occurrences, against the bare loop), so the cost of what workload adds is visible.

Prints one JSON line. ``--quick`` uses 300 clients (a smoke run).

    python benchmarks/workload.py            # 10,000 clients, 200 people, a year
    python benchmarks/workload.py --quick    # a smoke run
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PAYROLL_TEMPLATE, WORKFLOWS, make_clients
from workflowkit.calendar import Practice, Workflow
from workflowkit.run.workload import workload_of
from workflowkit.team import Team
from workflowkit.templates.models import WorkflowTemplate
from workflowkit.templates.resolve import TemplateRegistry

TARGET_RATIO = 1.5
START, END = date(2025, 12, 29), date(2026, 12, 27)  # whole weeks, Monday to Sunday
PREPARERS, REVIEWERS = 150, 50


def make_team() -> Team:
    people: list[dict[str, Any]] = []
    for i in range(PREPARERS):
        person: dict[str, Any] = {
            "id": f"prep-{i:03d}",
            "name": f"Preparer {i}",
            "roles": ["preparer"],
            "capacity_hours": 37.5 if i % 4 else 22.5,
        }
        if i % 5 == 0:
            begin = START + timedelta(days=(i * 11) % 330)
            person["absences"] = [
                {
                    "from": begin.isoformat(),
                    "to": (begin + timedelta(days=13)).isoformat(),
                    "stand_in": f"prep-{(i + 1) % PREPARERS:03d}",
                }
            ]
        people.append(person)
    for i in range(REVIEWERS):
        people.append({"id": f"rev-{i:03d}", "name": f"Reviewer {i}", "roles": ["reviewer"]})
    return Team.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "Team",
            "id": "bench",
            "name": "Bench",
            "roles": [
                {"id": "preparer", "permissions": {"prepare": True}},
                {
                    "id": "reviewer",
                    "permissions": {
                        "prepare": False,
                        "review_levels": ["reviewer", "manager", "partner"],
                    },
                },
            ],
            "people": people,
        }
    )


def make_practice(n: int) -> Practice:
    registry = TemplateRegistry([WorkflowTemplate.model_validate(PAYROLL_TEMPLATE)])
    clients = make_clients(n)
    ids = [c.id for c in clients]
    portfolios = [ids[i::PREPARERS] for i in range(PREPARERS)]
    workflows: list[Workflow] = []
    for wid, template, selector, repeating in WORKFLOWS:
        levels = len(registry.get(template, "^1").review.levels)
        per_client = [
            {
                "clients": portfolio,
                "assignee": f"prep-{i:03d}",
                "reviewers": [f"rev-{(i + k * 7) % REVIEWERS:03d}" for k in range(levels)],
            }
            for i, portfolio in enumerate(portfolios)
            if portfolio
        ]
        workflows.append(
            Workflow.model_validate(
                {
                    "apiVersion": "workflowkit/v1",
                    "kind": "Workflow",
                    "id": wid,
                    "name": wid,
                    "template": {"id": template, "version": "^1"},
                    "clients": selector,
                    "assignee": "prep-000",
                    "reviewers": [f"rev-{k:03d}" for k in range(levels)],
                    "per_client": per_client,
                    "repeating": repeating,
                }
            )
        )
    return Practice(
        clients=tuple(clients),
        workflows=tuple(workflows),
        templates=registry,
        team=make_team(),
    )


def plain_loop(practice: Practice, occurrences: list[Any]) -> dict[tuple[str, date], float]:
    """Hours per person and week: the least a workload can do."""
    hours: dict[tuple[str, date], float] = {}
    estimates: dict[tuple[str, str], tuple[float, float]] = {}
    for o in occurrences:
        key = (o.template, o.template_version)
        est = estimates.get(key)
        if est is None:
            tpl = practice.templates.get(o.template, o.template_version)
            est = estimates[key] = (tpl.prepare_hours or 0.0, tpl.review_hours or 0.0)
        week = o.due_on - timedelta(days=o.due_on.weekday())
        k = (o.assignee, week)
        hours[k] = hours.get(k, 0.0) + est[0]
        for r in o.reviewers:
            k = (r, week)
            hours[k] = hours.get(k, 0.0) + est[1]
    return hours


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="300 clients: a smoke run")
    ap.add_argument("--clients", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    n = args.clients or (300 if args.quick else 10_000)
    practice = make_practice(n)
    end_excl = END + timedelta(days=1)
    practice.plan(START, end_excl, by="due")  # warm caches (templates, holidays) for both

    def loop() -> dict[tuple[str, date], float]:
        return plain_loop(practice, practice.plan(START, end_excl, by="due"))

    def work() -> Any:
        return workload_of(practice, START, END, by="week")

    repeat = 1 if args.quick else args.repeat
    t_loop = t_work = float("inf")
    found: Any = None
    for _ in range(repeat):  # alternate, so both see the same machine
        t, _hours = best(loop, 1)
        t_loop = min(t_loop, t)
        t, found = best(work, 1)
        t_work = min(t_work, t)
    occurrences = practice.plan(START, end_excl, by="due")
    t_bare, hours = best(lambda: plain_loop(practice, occurrences), repeat)
    t_given, _ = best(
        lambda: workload_of(practice, START, END, by="week", occurrences=occurrences), repeat
    )
    # the two agree on the hours per person over the year (stand-ins move hours between
    # people, not in total)
    total_loop = sum(hours.values())
    total_work = sum(r.hours for r in found.rows)
    ratio = t_work / t_loop
    out = {
        "benchmark": "workload",
        "quick": bool(args.quick),
        "clients": n,
        "people": len(practice.team.people) if practice.team else 0,
        "occurrences": len(occurrences),
        "rows": len(found.rows),
        "over": len(found.over),
        "stacked": len(found.stacked),
        "hours_total": round(total_work, 1),
        "hours_agree": abs(total_work - total_loop) < 1e-6 * max(1.0, total_loop),
        "workload_s": round(t_work, 3),
        "loop_s": round(t_loop, 3),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "without_plan": {
            "workload_s": round(t_given, 3),
            "loop_s": round(t_bare, 3),
            "ratio": round(t_given / t_bare, 3) if t_bare else None,
        },
        "met": ratio <= TARGET_RATIO,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
