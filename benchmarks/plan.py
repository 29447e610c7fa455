"""Benchmark: ``workflowkit.calendar.plan`` against a naive croniter loop.

Plans 10,000 clients (mixed year ends, VAT staggers and company types) with four
repeating workflows over one year:

1. monthly bookkeeping on a cron (``0 9 5 * *``, the previous month);
2. VAT returns on each client's ``vat_period_end``;
3. year-end accounts on each company's ``year_end``, due on the Companies House deadline;
4. quarterly management accounts on a cadence (every 3 months from 15 January).

In the same run it times the naive way: for every client and workflow, a croniter on
timezone-aware datetimes in the client's timezone (period ends as ``L`` crons, the
year end as a yearly cron), then checks both give the same creation moments.

Prints one JSON line: both timings, the ratio, the target (plan at least 10x faster)
and whether it was met. ``--quick`` uses 200 clients and one repetition (a smoke run).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from croniter import croniter

from workflowkit.calendar import Client, Workflow, plan
from workflowkit.calendar.working_days import BankHolidays
from workflowkit.templates.models import WorkflowTemplate
from workflowkit.templates.resolve import TemplateRegistry

TARGET = 10.0
START, END = date(2025, 1, 1), date(2026, 1, 1)
LONDON = "Europe/London"
VAT_CRON = {0: "0 0 L * *", 1: "0 0 L 3,6,9,12 *", 2: "0 0 L 1,4,7,10 *", 3: "0 0 L 2,5,8,11 *"}
MONTH_LEN = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def make_clients(n: int, seed: int = 7) -> list[Client]:
    rng = random.Random(seed)
    types = (
        ["private_limited"] * 60
        + ["public_limited"] * 5
        + ["llp"] * 5
        + ["sole_trader"] * 20
        + ["partnership"] * 10
    )
    divisions = ["england_and_wales"] * 8 + ["scotland", "northern_ireland"]
    out: list[Client] = []
    for i in range(n):
        kind = rng.choice(types)
        month = rng.randint(1, 12)
        day = MONTH_LEN[month - 1] if rng.random() < 0.8 else rng.randint(1, 28)
        data: dict[str, Any] = {
            "id": f"client-{i:05d}",
            "name": f"Client {i}",
            "company_type": kind,
            "year_end": {"month": month, "day": day},
            "bank_holidays": rng.choice(divisions),
        }
        if kind in ("private_limited", "public_limited", "llp"):
            data["incorporated"] = (
                date(2000, 1, 1) + timedelta(days=rng.randint(0, 8765))
            ).isoformat()
        r = rng.random()
        if r < 0.05:
            data["vat"] = {"annual_accounting": True, "year_end_month": rng.randint(1, 12)}
        elif r < 0.75:
            data["vat"] = {"stagger": rng.choice([0, 1, 1, 2, 2, 3, 3])}
        if "vat" in data:
            data["tags"] = ["vat"]
        out.append(Client.model_validate(data))
    return out


def _wf(wid: str, clients: dict[str, Any], repeating: dict[str, Any]) -> Workflow:
    return Workflow.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "Workflow",
            "id": wid,
            "name": wid,
            "template": {"id": "bench-template", "version": "^1"},
            "clients": clients,
            "assignee": "alice",
            "reviewers": ["bob"],
            "repeating": repeating,
        }
    )


WORKFLOWS = [
    _wf(
        "monthly-bookkeeping",
        {"all": True},
        {
            "trigger": {"cron": "0 9 5 * *", "period": "previous_month"},
            "due": {"within": {"days": 10}},
        },
    ),
    _wf(
        "vat-returns",
        {"tags": ["vat"]},
        {
            "trigger": {"event": "vat_period_end"},
            "create": {"after_period_end": {"days": 1}},
            "due": {"deadline": "vat_return"},
        },
    ),
    _wf(
        "year-end-accounts",
        {"all": True, "company_types": ["private_limited", "public_limited", "llp"]},
        {
            "trigger": {"event": "year_end"},
            "create": {"after_period_end": {"days": 14}},
            "due": {"deadline": "companies_house_accounts"},
        },
    ),
    _wf(
        "management-accounts",
        {"all": True},
        {
            "trigger": {"every": {"quarters": 1}, "starting": "2024-01-15"},
            "due": {"within": {"days": 14}},
        },
    ),
]


def registry() -> TemplateRegistry:
    t = WorkflowTemplate.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "WorkflowTemplate",
            "id": "bench-template",
            "name": "Bench",
            "version": "1.0.0",
            "checks": [{"id": "a", "title": "A"}],
        }
    )
    return TemplateRegistry([t], include_builtins=False)


def run_plan(clients: list[Client], reg: TemplateRegistry) -> list[Any]:
    return plan(WORKFLOWS, reg, clients, START, END, holidays=BankHolidays())


def _fires(expr: str, zone: ZoneInfo, lo: date, hi: date, shift: timedelta) -> list[datetime]:
    """Moments ``fire + shift`` with the creation date in ``[lo, hi)``, via croniter."""
    it = croniter(
        expr, datetime.combine(lo - shift, datetime.min.time(), zone) - timedelta(minutes=1)
    )
    out: list[datetime] = []
    while True:
        fire: datetime = it.get_next(datetime)
        moment = fire + shift  # wall-clock arithmetic on an aware datetime
        if moment.date() >= hi:
            return out
        if moment.date() >= lo:
            out.append(moment)


def run_naive(clients: list[Client]) -> set[tuple[str, str, datetime]]:
    """croniter per client and workflow: the same creation moments, the slow way."""
    out: set[tuple[str, str, datetime]] = set()
    companies = {"private_limited", "public_limited", "llp"}
    for c in clients:
        zone = ZoneInfo(c.timezone)
        for m in _fires("0 9 5 * *", zone, START, END, timedelta(0)):
            out.add(("monthly-bookkeeping", c.id, m))
        if c.vat is not None:
            expr = (
                f"0 0 L {c.vat.year_end_month} *"
                if c.vat.annual_accounting
                else VAT_CRON[c.vat.stagger or 0]
            )
            for m in _fires(expr, zone, START, END, timedelta(days=1)):
                out.add(("vat-returns", c.id, m))
        if c.company_type in companies and c.year_end is not None:
            ye = c.year_end
            day = (
                "L"
                if ye.day == MONTH_LEN[ye.month - 1] or (ye.month, ye.day) == (2, 29)
                else str(ye.day)
            )
            for m in _fires(f"0 0 {day} {ye.month} *", zone, START, END, timedelta(days=14)):
                out.add(("year-end-accounts", c.id, m))
        for m in _fires("0 0 15 1,4,7,10 *", zone, START, END, timedelta(0)):
            out.add(("management-accounts", c.id, m))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="200 clients, one repetition")
    parser.add_argument("--clients", type=int, default=None)
    args = parser.parse_args(argv)
    n = args.clients or (200 if args.quick else 10_000)
    repeats = 1 if args.quick else 3
    clients = make_clients(n)
    reg = registry()
    run_plan(clients[:50], reg)  # warm imports and caches that are not per-call

    plan_times = []
    occurrences: list[Any] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        occurrences = run_plan(clients, reg)
        plan_times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    naive = run_naive(clients)
    naive_time = time.perf_counter() - t0

    planned = {(o.workflow, o.client, o.create_at) for o in occurrences}
    plan_time = min(plan_times)
    ratio = naive_time / plan_time if plan_time else float("inf")
    print(
        json.dumps(
            {
                "benchmark": "plan",
                "quick": args.quick,
                "clients": n,
                "workflows": len(WORKFLOWS),
                "window": [START.isoformat(), END.isoformat()],
                "occurrences": len(occurrences),
                "plan_seconds": round(plan_time, 4),
                "plan_occurrences_per_second": round(len(occurrences) / plan_time),
                "naive_seconds": round(naive_time, 4),
                "naive_fire_times_per_second": round(len(naive) / naive_time),
                "baseline": "croniter per client and workflow (timezone-aware)",
                "same_fire_times": planned == naive,
                "ratio": round(ratio, 2),
                "target_ratio": TARGET,
                "met": ratio >= TARGET and planned == naive,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
