"""``workflowkit notify``: tell people what the review events ask of them, exactly once.

Opens the store (``--db``, else ``$WORKFLOWKIT_DB``, else ``./workflowkit.db``), derives
the notifications new since the store's notify cursor (and the overdue ones at
``--now``), queues them in the outbox, and sends what is pending over SMTP (settings in
``WORKFLOWKIT_SMTP_*``, see ``docs/notify.md``). People's addresses come from
the team (``--team``, or the practice's, see ``docs/team.md``) and from ``--addresses
FILE``: a YAML or JSON mapping of person id to ``{name, email}``, which wins over the team.

``--dry-run`` prints what would be queued and what is pending, and writes and sends
nothing. Exit 0 when everything pending was sent, 1 when something stays pending (no
address, or refused by the server), 2 on a bad argument, an unusable store or SMTP
server, 3 on an internal error.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workflowkit.cli.review import _datetime


def register(sub: Any) -> None:
    p = sub.add_parser(
        "notify",
        help="tell assignees and reviewers what is theirs to do, each thing once",
        description="Derive the notifications new since the last run (assigned, submitted "
        "to you at level N, handed back, approved and locked, overdue), queue them in the "
        "store's outbox exactly once, and send what is pending over SMTP.",
    )
    p.add_argument(
        "--db",
        metavar="PATH|URL",
        help="the store: a SQLite file or a postgresql:// URL "
        "(default: $WORKFLOWKIT_DB or ./workflowkit.db)",
    )
    p.add_argument(
        "--addresses",
        metavar="FILE",
        help="people's addresses: a YAML or JSON mapping of person id to {name, email}",
    )
    p.add_argument(
        "--team",
        metavar="PATH",
        default=None,
        help="the Team document, or a practice folder holding it, for people's names and "
        "emails (default: $WORKFLOWKIT_TEAM, else the team of $WORKFLOWKIT_PRACTICE); "
        "--addresses entries win over it",
    )
    p.add_argument(
        "--now",
        type=_datetime,
        metavar="TIME",
        help="the moment to run at, as an ISO datetime (default: the clock)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="print what would be queued and sent; do nothing"
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def _directory(path: str | None) -> Any:
    import json

    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from workflowkit.notify import MappingDirectory, NotifyInputError

    if path is None:
        return MappingDirectory({})
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise NotifyInputError(path, "addresses", f"cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text) if path.endswith(".json") else YAML(typ="safe").load(text)
    except (ValueError, YAMLError) as exc:
        raise NotifyInputError(path, "addresses", f"not YAML or JSON: {exc}") from None
    if not isinstance(data, dict):
        raise NotifyInputError(path, "addresses", "must map each person id to {name, email}")
    try:
        return MappingDirectory(data)
    except NotifyInputError as exc:
        raise NotifyInputError(path, exc.field, exc.reason) from None


def _line(n: Any) -> str:
    to = "(no address)" if n.to is None else n.to.email
    extra = f" level {n.level}" if n.kind == "submitted" else ""
    return f"  {n.kind}{extra}  {n.instance}  -> {n.recipient} {to}"


def _text(report: Any) -> None:
    if report.dry_run:
        print(f"would queue {len(report.derived)} (new since the cursor, or overdue now)")
        for n in report.derived:
            print(_line(n))
        print(f"pending in the outbox: {len(report.pending)}")
        for n in report.pending:
            print(_line(n))
        print("dry run: nothing was written or sent")
        return
    d = report.delivery
    for n in d.sent:
        print("sent" + _line(n))
    for n in d.unaddressed:
        print(f"pending  {n.id}: no address for {n.recipient!r}")
    for n, why in d.refused:
        print(f"pending  {n.id}: refused: {why}")
    print(
        f"queued {len(report.queued)}, sent {len(d.sent)}, "
        f"no address {len(d.unaddressed)}, refused {len(d.refused)}"
    )


def run(args: argparse.Namespace) -> int:

    from workflowkit.cli.main import EXIT_FINDINGS, EXIT_OK
    from workflowkit.notify import SmtpSender, notify
    from workflowkit.store import is_postgres_url, open_store
    from workflowkit.store.errors import StoreUnavailableError

    now = args.now if args.now is not None else datetime.now(UTC)
    directory = _directory(args.addresses)
    from workflowkit.cli.review import _team

    team = _team(args)
    if team is not None:
        from workflowkit.notify import TeamDirectory

        directory = TeamDirectory(team, first=directory if args.addresses else None)
    path = args.db or os.environ.get("WORKFLOWKIT_DB") or "workflowkit.db"
    if not is_postgres_url(path) and path != ":memory:" and not os.path.exists(path):
        raise StoreUnavailableError(path, "no store here (give an existing store with --db)")
    sender = None if args.dry_run else SmtpSender.from_env()  # bad settings: nothing done
    try:
        with open_store(path, create=False) as store:
            report = notify(store, sender, directory, now=now, dry_run=args.dry_run)
    finally:
        if sender is not None:
            sender.close()
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.notify import NotifyOutput

        print(render(NotifyOutput, report.to_data(), ensure_ascii=False))
    else:
        _text(report)
    d = report.delivery
    return EXIT_FINDINGS if d.unaddressed or d.refused else EXIT_OK
