"""``workflowkit report PRACTICE_DIR --out report.html``: the static HTML dashboard.

Reads the practice, the store (``--db``, else ``$WORKFLOWKIT_DB``, else
``./workflowkit.db`` when it exists; without one only planned work is shown) and the
ledger snapshots (``--snapshots DIR``, else each practice folder's ``ledgers/``), and
writes one self-contained HTML file, or the same data as JSON with ``--format json``.
The file is written whole or not at all. Exit 0, or 2 for unreadable input.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

_MAYBE_TEAM = re.compile(r"""\bkind["']?\s*:\s*["']?Team\b""")
"""A ``kind: Team`` line (block or JSON style): the only files ``people_of`` parses."""

DEFAULT_DAYS = 91
"""The default window: today and the next 13 weeks."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-01"
        ) from None


def _datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time; use an ISO datetime, e.g. 2026-12-07T09:00:00+00:00"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="write the practice's dashboard as one static HTML file (or JSON)",
        description="Write one self-contained HTML page (inline CSS and SVG, no script, "
        "nothing from the network): due work per week, where the work stands, overdue and "
        "due-soon instances, client health, instance pages and the review diagram.",
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
        help="the store: a SQLite file or a postgresql:// URL (default: $WORKFLOWKIT_DB, "
        "else ./workflowkit.db if it exists, else no store)",
    )
    p.add_argument(
        "--snapshots",
        metavar="DIR",
        type=Path,
        help="a folder of ledger snapshots (default: each practice folder's ledgers/)",
    )
    p.add_argument("--from", dest="start", type=_date, metavar="DATE", help="default: today")
    p.add_argument(
        "--to",
        dest="end",
        type=_date,
        metavar="DATE",
        help=f"the window's last day (default: {DEFAULT_DAYS - 1} days after --from)",
    )
    p.add_argument(
        "--now",
        type=_datetime,
        metavar="TIME",
        help="the moment the report is made at, as an ISO datetime (default: the clock)",
    )
    p.add_argument(
        "--title", default=None, help="the page's title (default: the practice folder's name)"
    )
    p.add_argument("--out", "-o", type=Path, metavar="FILE", help="write here (default: stdout)")
    p.add_argument("--format", "-f", choices=("html", "json"), default="html")
    p.set_defaults(func=run)


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole: a temporary file beside it, then a rename."""
    from workflowkit.report.errors import ReportError

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"{path}: cannot write the report: {exc.strerror or exc}") from None


def _snapshot_folders(args: argparse.Namespace) -> list[Path]:
    if args.snapshots is not None:
        from workflowkit.report.errors import ReportError

        if not args.snapshots.is_dir():
            raise ReportError(f"--snapshots {args.snapshots}: not a folder")
        return [args.snapshots]
    return [Path(p) / "ledgers" for p in args.paths if (Path(p) / "ledgers").is_dir()]


def run(args: argparse.Namespace) -> int:
    # The report builds a few hundred thousand small objects (a year of occurrences, a
    # listing of every instance) and frees none of them before it is written: none are
    # reference cycles, so the cyclic collector only rescans a growing heap, again and
    # again (a third of the run for 10,000 clients). It is off while the report is made,
    # and back as it was after (the command also runs inside a process, in the tests).
    from workflowkit.collector import collector_paused

    with collector_paused():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from workflowkit.calendar import load_practice
    from workflowkit.cli.config import select_files
    from workflowkit.report.collect import collect, find_snapshots
    from workflowkit.report.errors import ReportWindowError
    from workflowkit.report.render import render_html, render_json
    from workflowkit.store import open_store

    now = args.now if args.now is not None else datetime.now(UTC)
    today = now.date()
    start = args.start or today
    end = args.end or start + timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise ReportWindowError(start.isoformat(), end.isoformat())
    if args.format == "html":
        from workflowkit.report.render import _environment

        _environment()  # a missing extra is said before any work is done
    practice = load_practice(select_files(args, args.paths), skip_invalid_workflows=True)
    for w in practice.warnings:
        print(w.format(), file=sys.stderr)
    snapshots = [s for folder in _snapshot_folders(args) for s in find_snapshots(folder, practice)]
    title = args.title or _title(args.paths)
    url = args.db or os.environ.get("WORKFLOWKIT_DB")
    if url is None and os.path.exists("workflowkit.db"):
        url = "workflowkit.db"
    kwargs: dict[str, Any] = {
        "snapshots": snapshots,
        "now": now,
        "today": today,
        "start": start,
        "end": end,
        "title": title,
        "people": people_of(args.paths),
    }
    if url is None:
        report = collect(practice, None, **kwargs)
    else:
        with open_store(url, create=False) as store:
            report = collect(practice, store, **kwargs)
    text = render_json(report, indent=1) if args.format == "json" else render_html(report)
    if args.out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        _write(args.out, text)
        print(f"wrote {args.out} ({len(text.encode('utf-8')):,} bytes)", file=sys.stderr)
    return 0


def _title(paths: list[str]) -> str:
    """``Practice report: <folder>`` for the first practice folder."""
    return f"Practice report: {Path(paths[0]).resolve().name}"


def people_of(paths: list[str]) -> Any:
    """Names and weekly capacity from the practice's ``Team`` document, when the team
    module (``workflowkit.team``) is installed and the practice has one; else ``None``
    (people show as their ids).

    This is the seam for the Team kind: :func:`workflowkit.report.build_report` takes any
    mapping of person id to :class:`~workflowkit.report.PersonInfo`.
    """
    from decimal import Decimal

    from workflowkit.report.model import PersonInfo

    try:
        from workflowkit.team.models import Team
    except ImportError:
        return None
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    for root in paths:
        base = Path(root)
        files = [base] if base.is_file() else sorted(base.glob("**/*.y*ml"))
        for f in files:
            try:
                text = f.read_text(encoding="utf-8")
                # Parse only a file that can be a Team: YAML is slow to parse, and a
                # practice of 10,000 clients is megabytes of client lists.
                if not _MAYBE_TEAM.search(text):
                    continue
                data = yaml.load(text)
            except Exception:  # load_practice has read (and judged) every file already
                continue
            if not isinstance(data, dict) or data.get("kind") != "Team":
                continue
            try:
                team = Team.model_validate(data)
            except ValueError as exc:  # pydantic's ValidationError is a ValueError
                from workflowkit.report.errors import ReportError

                raise ReportError(f"{f}: the Team document is invalid: {exc}") from None
            return {
                person.id: PersonInfo(
                    name=person.name, weekly_capacity=Decimal(str(person.capacity_hours))
                )
                for person in team.people
            }
    return None
