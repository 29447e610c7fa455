"""``workflowkit plan PRACTICE_DIR [--from DATE] [--to DATE]``: the practice's calendar.

Prints every occurrence due (or, with ``--by create``, created) between two dates, both
inclusive, as a table grouped by week or month, JSON, CSV, or an iCalendar file a
practice can subscribe to. Exit 0 on success, 2 on a bad argument or an invalid
practice (each problem printed as ``file:line:col: CODE message``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

FORMATS = ("table", "json", "csv", "ics")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2025-04-01"
        ) from None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "plan",
        help="print the practice's calendar of workflow occurrences",
        description="Plan every workflow for every client between two dates (both inclusive; "
        "by default the next three months from today) "
        "and print the occurrences as a table, JSON, CSV or an iCalendar file. Exit 0 on "
        "success, 2 on a bad argument or an invalid practice.",
    )
    p.add_argument(
        "practice",
        nargs="*",
        metavar="PRACTICE_DIR",
        help="the practice folder (or files; default: the config's paths)",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=_date,
        default=None,
        metavar="DATE",
        help="first day, YYYY-MM-DD (default: today)",
    )
    p.add_argument(
        "--to",
        dest="end",
        type=_date,
        default=None,
        metavar="DATE",
        help="last day (inclusive), YYYY-MM-DD (default: three months from --from, less a day)",
    )
    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format")
    p.add_argument(
        "--by",
        choices=("due", "create"),
        default="due",
        help="select and sort by due date (default) or creation date",
    )
    p.add_argument(
        "--group",
        choices=("month", "week"),
        default="month",
        help="table sections (default: month)",
    )
    p.add_argument(
        "--client", action="append", default=[], metavar="ID", help="only this client (repeatable)"
    )
    p.add_argument(
        "--workflow",
        action="append",
        default=[],
        metavar="ID",
        help="only this workflow (repeatable)",
    )
    p.add_argument(
        "--holidays",
        metavar="FILE",
        help="bank holidays file (CSV date,division[,title] or GOV.UK JSON)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def _usage(message: str) -> int:
    print(f"workflowkit plan: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    from workflowkit.calendar.practice import load_practice
    from workflowkit.calendar.render import Names, to_csv, to_ics, to_json, to_table
    from workflowkit.cli.config import select_files
    from workflowkit.source.models import did_you_mean

    if args.start is None:
        args.start = date.today()  # the clock is read here, at the edge, and nowhere deeper
    if args.end is None:
        args.end = args.start + relativedelta(months=3) - timedelta(days=1)
    if args.end < args.start:
        return _usage(f"--to {args.end} is before --from {args.start}")
    paths = select_files(args, args.practice)
    practice = load_practice(paths, holidays=args.holidays, strict=args.strict)
    for w in practice.warnings:
        print(w.format(), file=sys.stderr)
    clients = {c.id: c for c in practice.clients}
    workflows = {w.id: w for w in practice.workflows}
    for wanted, known, what in (
        (args.client, clients, "client"),
        (args.workflow, workflows, "workflow"),
    ):
        for name in wanted:
            if name not in known:
                hint = did_you_mean(name, list(known))
                return _usage(f"no {what} {name!r} in the practice" + (f"; {hint}" if hint else ""))
    end = args.end + timedelta(days=1)
    occurrences = practice.plan(args.start, end, by=args.by)
    if args.client:
        occurrences = [o for o in occurrences if o.client in set(args.client)]
    if args.workflow:
        occurrences = [o for o in occurrences if o.workflow in set(args.workflow)]
    names = Names(clients, workflows)
    if args.format == "json":
        import json

        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.plan import PlanOutput

        data = json.loads(to_json(occurrences, start=args.start, end=end, by=args.by))
        text = render(PlanOutput, data)
    elif args.format == "csv":
        text = to_csv(occurrences)
    elif args.format == "ics":
        ics = to_ics(occurrences, names=names, calendar_name=_calendar_name(args))
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:  # keep the CRLF line ends RFC 5545 asks for on every OS
            buffer.write(ics.encode("utf-8"))
            buffer.flush()
        else:
            sys.stdout.write(ics)
        return 0
    else:
        text = to_table(occurrences, names=names, by=args.by, group=args.group)
    from workflowkit.cli.safe_text import emit

    emit(text.rstrip("\n"))
    return 0


def _calendar_name(args: argparse.Namespace) -> str:
    from pathlib import Path

    return f"workflowkit: {Path(args.practice[0]).resolve().name}"
