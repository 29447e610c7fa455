"""``workflowkit run PRACTICE_DIR``: start every instance that is due, exactly once.

Reads the practice, opens the store (``--db``, else ``$WORKFLOWKIT_DB``, else
``./workflowkit.db``), and starts the instance of every occurrence created since the
last run (the store's cursor for the practice) up to ``--until`` or now. The first run
against a store needs ``--since``; a ``--since`` before the cursor backfills.

Exit 0 when everything due was started (or existed), 1 when something was skipped (each
skip printed as ``file:line:col: CODE message``), 2 on a bad argument, an invalid
practice or an unusable store, 3 on an internal error. On a terminal (and not in CI) a
long run shows its progress on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from workflowkit.cli.review import _datetime


def _moment(end: bool) -> Any:
    """A date (midnight UTC at its start, or with ``end`` at its end) or an ISO moment."""

    def parse(text: str) -> datetime:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return _datetime(text)
        if end:
            day += timedelta(days=1)
        return datetime.combine(day, time(0, 0), tzinfo=UTC)

    return parse


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run",
        help="start every workflow instance that is due, exactly once",
        description="Start the instance of every repeating and one-off occurrence created "
        "since the last run, each exactly once, and move the practice's cursor. Safe to "
        "run from cron as often as you like, from several machines at once.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PRACTICE_DIR",
        help="the practice's documents (default: the config's paths)",
    )
    p.add_argument(
        "--db",
        metavar="PATH|URL",
        help="the store: a SQLite file or a postgresql:// URL "
        "(default: $WORKFLOWKIT_DB or ./workflowkit.db)",
    )
    p.add_argument(
        "--now",
        type=_datetime,
        metavar="TIME",
        help="the moment to run at, as an ISO datetime (default: the clock)",
    )
    p.add_argument(
        "--since",
        type=_moment(False),
        metavar="DATE|TIME",
        help="start from here instead of the last run's cursor (needed on the first run; "
        "earlier than the cursor backfills); a date means midnight UTC",
    )
    p.add_argument(
        "--until",
        type=_moment(True),
        metavar="DATE|TIME",
        help="stop here instead of now (a date means the end of that day, UTC)",
    )
    p.add_argument(
        "--practice",
        default=None,
        metavar="NAME",
        help="the practice's name in the store, for its cursor (default: 'default')",
    )
    p.add_argument("--dry-run", action="store_true", help="print what would start; write nothing")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument("--strict", action="store_true", help="warnings in the practice are errors")
    p.set_defaults(func=run)


def _progress() -> Any:
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rstarting instances: {done}/{total}{end}")
        sys.stderr.flush()

    return show


def _text(report: Any) -> None:
    c = report.counts()
    since, until = report.since.isoformat(), report.until.isoformat()
    verb = "would start" if report.dry_run else "started"
    n = c["would_start"] if report.dry_run else c["started"]
    from workflowkit.cli.safe_text import clean

    print(f"practice {clean(report.practice)!r}, work created in ({since}, {until}]")
    for e in report.entries:
        if e.outcome not in ("started", "would_start"):
            continue
        people = e.assignee + "".join(f" -> {r}" for r in e.reviewers)
        print(clean(f"  {verb}  {e.instance}  due {e.due.isoformat()}  {people}"))
        for w in e.stand_ins:
            print(
                clean(
                    f"      {w.stand_in} stands in for {w.away} ({w.field}): away "
                    f"{w.absent_from.isoformat()}..{w.absent_to.isoformat()}"
                )
            )
    swaps = len(report.stand_ins)
    print(
        f"{verb} {n}, already started {c['existed']}, covered by another workflow "
        f"{c['covered']}, skipped {c['skipped']}" + (f", stand-ins {swaps}" if swaps else "")
    )
    if report.dry_run:
        print("dry run: nothing was written")
    elif report.cursor_after is not None:
        print(f"cursor: {report.cursor_after.isoformat()}")


def run(args: argparse.Namespace) -> int:

    from workflowkit.calendar import load_practice
    from workflowkit.cli.config import select_files
    from workflowkit.cli.main import EXIT_FINDINGS, EXIT_OK
    from workflowkit.run import DEFAULT_PRACTICE, NoCursorError
    from workflowkit.run import run as run_practice
    from workflowkit.store import is_postgres_url, open_store

    paths = select_files(args, args.paths)
    practice = load_practice(paths, strict=args.strict, skip_invalid_workflows=True)
    for w in practice.warnings:
        print(w.format(), file=sys.stderr)
    now = args.now if args.now is not None else datetime.now(UTC)
    path = args.db or os.environ.get("WORKFLOWKIT_DB") or "workflowkit.db"
    name = args.practice or DEFAULT_PRACTICE
    if not is_postgres_url(path) and path != ":memory:" and not os.path.exists(path):
        if args.since is None:
            raise NoCursorError(name)  # before a new, empty file is made
        if args.dry_run:
            path = ":memory:"  # nothing run yet: a dry run needs no file, and makes none
    with open_store(path) as store:
        report = run_practice(
            practice,
            store,
            now=now,
            since=args.since,
            until=args.until,
            name=name,
            dry_run=args.dry_run,
            progress=None if args.format == "json" or args.quiet else _progress(),
        )
    for d in (*report.skipped, *report.notes):
        print(d.format(), file=sys.stderr)
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.run import RunOutput

        print(render(RunOutput, report.to_data(), ensure_ascii=False))
    else:
        _text(report)
    return EXIT_FINDINGS if report.skipped else EXIT_OK
