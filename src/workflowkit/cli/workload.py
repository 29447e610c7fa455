"""``workflowkit workload PRACTICE --from DATE --to DATE [--by week|month]``: per person
and period, the work due (from the store's instances and the plan) in estimated hours,
against capacity net of absences.

Rows over capacity are flagged (``OVER`` in the table, ``over`` in JSON and CSV), and
reviewers with ``--stack N`` or more reviews due in one period are listed. The store is
read if ``--db`` (or ``$WORKFLOWKIT_DB``) names one, or ``./workflowkit.db`` exists;
otherwise the plan alone is counted. Formats: table (default), json, csv. Exit 0; 2 on a
bad argument, an invalid practice or an unusable store.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from workflowkit.cli.review import _date

CSV_FIELDS = (
    "person",
    "name",
    "period",
    "start",
    "end",
    "instances",
    "prepare_hours",
    "review_hours",
    "hours",
    "unestimated",
    "capacity_hours",
    "over",
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "workload",
        help="hours due per person and week or month, against capacity",
        description="Per person and period: instances due, estimated hours and capacity "
        "net of absences, from the store's instances and the plan; flags periods over "
        "capacity and reviews stacked on one reviewer.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PRACTICE",
        help="the practice's folders or files (default: the config's paths)",
    )
    p.add_argument(
        "--from", dest="start", type=_date, metavar="DATE", help="first due day (default: today)"
    )
    p.add_argument(
        "--to", dest="end", type=_date, metavar="DATE", help="last due day (default: +27 days)"
    )
    p.add_argument("--by", choices=("week", "month"), default="week", help="period (week)")
    p.add_argument(
        "--db",
        metavar="URL",
        help="the store to read started instances from (default: $WORKFLOWKIT_DB, or "
        "./workflowkit.db if it exists; none: the plan alone)",
    )
    p.add_argument(
        "--stack",
        type=int,
        default=None,
        metavar="N",
        help="list reviewers with N or more reviews due in one period (default 8)",
    )
    p.add_argument("--format", "-f", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=run)


def _table(found: Any, names: bool) -> list[str]:
    header = ["person", "period", "instances", "hours", "capacity", "load", ""]
    rows = [header]
    for r in found.rows:
        capacity = "-" if r.capacity_hours is None else f"{r.capacity_hours:.1f}"
        if r.capacity_hours:
            load = f"{100 * r.hours / r.capacity_hours:.0f}%"
        else:
            load = "-" if r.capacity_hours is None or not r.hours else "inf"
        flags = "OVER" if r.over else ""
        if r.unestimated:
            flags = (flags + f" {r.unestimated} unestimated").strip()
        who = f"{r.person} ({r.name})" if names and r.name else r.person
        rows.append([who, r.period, str(r.instances), f"{r.hours:.1f}", capacity, load, flags])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {2, 3, 4, 5}
    lines = []
    for row in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def run(args: argparse.Namespace) -> int:

    from workflowkit.calendar import load_practice
    from workflowkit.cli.config import select_files
    from workflowkit.cli.main import EXIT_OK, EXIT_USAGE
    from workflowkit.cli.safe_text import clean
    from workflowkit.run.workload import STACK_AT, workload

    start = args.start if args.start is not None else datetime.now(UTC).date()
    end = args.end if args.end is not None else start + timedelta(days=27)
    if args.stack is not None and args.stack < 1:
        print("workflowkit workload: error: --stack must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    practice = load_practice(select_files(args, args.paths))
    for w in practice.warnings:
        print(w.format(), file=sys.stderr)
    url = args.db or os.environ.get("WORKFLOWKIT_DB")
    if url is None and os.path.exists("workflowkit.db"):
        url = "workflowkit.db"
    stack = STACK_AT if args.stack is None else args.stack
    if url is None:
        found = workload(practice, None, start, end, by=args.by, stack_at=stack)
    else:
        from workflowkit.store import open_store

        with open_store(url, create=False, read_only=True) as store:
            found = workload(practice, store, start, end, by=args.by, stack_at=stack)
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.run import WorkloadOutput

        print(render(WorkloadOutput, found.to_data(), ensure_ascii=False))
        return EXIT_OK
    if args.format == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for r in found.rows:
            row = r.to_data()
            row["over"] = "true" if row["over"] else "false"
            row["name"] = "" if row["name"] is None else clean(row["name"])
            row["person"] = clean(row["person"])
            row["capacity_hours"] = "" if row["capacity_hours"] is None else row["capacity_hours"]
            writer.writerow({k: row[k] for k in CSV_FIELDS})
        return EXIT_OK
    source = "store and plan" if url is not None else "plan only (no store)"
    print(
        f"Workload {found.start.isoformat()}..{found.end.isoformat()} by {args.by}, "
        f"from the {source}"
    )
    for line in _table(found, names=practice.team is not None):
        print(clean(line))
    over = found.over
    print(f"\n{len(over)} period(s) over capacity" + (":" if over else ""))
    for r in over:
        print(
            clean(
                f"  {r.person} {r.period}: {r.hours:.1f} h due, capacity {r.capacity_hours:.1f} h"
            )
        )
    print(
        f"\nReviews stacked on one reviewer ({found.stack_at} or more in a period): "
        f"{len(found.stacked)}"
    )
    for s in found.stacked:
        shown = ", ".join(s.instances[:3]) + (f" and {s.reviews - 3} more" if s.reviews > 3 else "")
        print(clean(f"  {s.reviewer} {s.period}: {s.reviews} reviews: {shown}"))
    return EXIT_OK
