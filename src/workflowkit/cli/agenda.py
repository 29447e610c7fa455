"""``workflowkit agenda --as USER [--on DATE]``: what one person has to do next.

Lists, soonest due first: the instances handed back to them with the feedback; their
checks still pending; the reviews waiting on them at their level; and, of all these,
what is overdue and what is due in the next seven days. Exit 0 (2 on a bad argument or
an unusable store).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from workflowkit.cli.review import _date, _default_user, _open

SECTIONS = (
    ("handed_back", "Handed back to you"),
    ("checks", "Checks waiting on you"),
    ("reviews", "Reviews waiting on you"),
    ("overdue", "Overdue"),
    ("due_this_week", "Due in the next 7 days"),
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "agenda",
        help="what one person has to do next",
        description="The checks and reviews waiting on one person, with what is overdue "
        "and due this week, from the store.",
    )
    p.add_argument(
        "--as",
        dest="actor",
        metavar="USER",
        help="whose agenda (default: $WORKFLOWKIT_USER or your login name)",
    )
    p.add_argument("--on", type=_date, metavar="DATE", help="the day to look from (default: today)")
    p.add_argument(
        "--db", metavar="PATH", help="the store (default: $WORKFLOWKIT_DB or ./workflowkit.db)"
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _line(item: Any, section: str) -> str:
    text = f"  {item.due.isoformat()}  {item.instance}  ({item.role})"
    if section == "checks":
        shown = ", ".join(item.pending_checks[:5])
        more = len(item.pending_checks) - 5
        text += f": {len(item.pending_checks)} pending: {shown}" + (
            f" and {more} more" if more > 0 else ""
        )
    if section == "handed_back" and item.feedback is not None:
        text += f": {item.feedback_by} said {item.feedback!r}"
    return text


def run(args: argparse.Namespace) -> int:

    from workflowkit.cli.main import EXIT_OK
    from workflowkit.run import agenda

    person = str(args.actor) if args.actor else _default_user()
    on = args.on if args.on is not None else datetime.now(UTC).date()
    store = _open(args, create=False)
    try:
        found = agenda(store, person, on=on)
    finally:
        store.close()
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.run import AgendaOutput

        print(render(AgendaOutput, found.to_data(), ensure_ascii=False))
        return EXIT_OK
    from workflowkit.cli.safe_text import clean

    print(f"Agenda for {clean(person)} on {on.isoformat()}")
    for name, title in SECTIONS:
        items = getattr(found, name)
        print(f"\n{title} ({len(items)})")
        for item in items:
            print(clean(_line(item, name)))
        if not items:
            print("  (nothing)")
    return EXIT_OK
