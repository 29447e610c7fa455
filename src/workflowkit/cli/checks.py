"""``workflowkit checks run SNAPSHOT``: run the data checks on a client's ledger snapshot.

``workflowkit checks list`` lists the registered data checks and their parameters.
Exit 0 when every check passes, 1 when any found issues, 2 for an unreadable or invalid
snapshot, template or option.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; use YYYY-MM-DD, e.g. 2024-06-30"
        ) from None


def _top(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count of findings (0 or more)")
    return value


def _limit(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a limit (a whole number, 1 or more)")
    return value


def register(sub: Any) -> None:
    p = sub.add_parser(
        "checks",
        help="run the data checks on a ledger snapshot",
        description="Run data checks (bank reconciliation, duplicates, ageing, VAT...) on a "
        "client's ledger snapshot and print the findings and the health score.",
    )
    actions = p.add_subparsers(dest="checks_action", metavar="ACTION", parser_class=type(p))
    run_p = actions.add_parser(
        "run",
        help="run the checks on a snapshot",
        description="Run the data checks on SNAPSHOT (a .json file or a folder of CSV "
        "exports): every registered check with its default parameters, or the automated "
        "checks of a template. Exit 0 all pass, 1 issues found, 2 unreadable input.",
    )
    run_p.add_argument("snapshot", metavar="SNAPSHOT", help="a .json file or a folder of CSVs")
    run_p.add_argument("--template", metavar="ID", help="run this template's automated checks")
    run_p.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="a practice folder of templates (with --template; built-ins are always there)",
    )
    run_p.add_argument(
        "--as-of",
        type=_date,
        default=None,
        metavar="DATE",
        help="the reporting date (default: the snapshot's as_of, else today)",
    )
    run_p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    run_p.add_argument(
        "--top", type=_top, default=5, metavar="N", help="findings shown per check (text)"
    )
    run_p.add_argument(
        "--max-rows",
        type=_limit,
        default=None,
        metavar="N",
        help="refuse a snapshot of more rows (WK607; default 250,000)",
    )
    run_p.add_argument(
        "--max-mb",
        type=_limit,
        default=None,
        metavar="N",
        help="refuse a snapshot of more MiB (WK607; default 256)",
    )
    run_p.set_defaults(func=run)
    list_p = actions.add_parser("list", help="list the registered data checks")
    list_p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    list_p.set_defaults(func=run_list)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run(args: argparse.Namespace) -> int:
    from workflowkit.insights.health import health_score
    from workflowkit.insights.load import load_snapshot
    from workflowkit.insights.report import ReportHeader, render_text, report_data
    from workflowkit.insights.runner import run_all, run_template_checks

    limits: dict[str, int] = {}
    if args.max_rows is not None:
        limits["max_rows"] = args.max_rows
    if args.max_mb is not None:
        limits["max_bytes"] = args.max_mb << 20
    snapshot = load_snapshot(args.snapshot, **limits)
    as_of = args.as_of or snapshot.as_of or dt.date.today()
    template_name = None
    if args.template:
        from workflowkit.templates.validate import load_registry

        template = load_registry(args.templates).get(args.template)
        results = run_template_checks(template, snapshot, as_of=as_of)
        template_name = f"{template.id}@{template.version}"
    else:
        results = run_all(snapshot, as_of=as_of)
    health = health_score(results)
    header = ReportHeader(
        snapshot=args.snapshot,
        organisation=snapshot.organisation.name,
        source=snapshot.organisation.source,
        as_of=as_of,
        template=template_name,
    )
    from workflowkit.cli.safe_text import emit

    code = 1 if any(r.outcome == "issues" for r in results.values()) else 0
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.checks import ChecksRunOutput

        emit(render(ChecksRunOutput, report_data(header, results, health), ensure_ascii=False))
    else:
        emit(render_text(header, results, health, top=args.top))
    return code


def run_list(args: argparse.Namespace) -> int:
    import json

    from workflowkit.templates.data_checks import data_check_registry, plugin_problems

    rows: list[dict[str, Any]] = []
    for check_id, info in sorted(data_check_registry().items()):
        params = {
            name: {
                "type": str(field.annotation).replace("typing.", ""),
                "default": field.get_default(call_default_factory=True),
                "description": field.description or "",
            }
            for name, field in info.params.model_fields.items()
        }
        rows.append(
            {"id": check_id, "title": info.title, "summary": info.summary, "params": params}
        )
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.checks import ChecksListOutput

        plain = json.loads(json.dumps(rows, default=str))  # a Decimal default as its text
        print(render(ChecksListOutput, {"checks": plain}))
    else:
        for row in rows:
            print(f"{row['id']}: {row['summary']}")
            for name, p in row["params"].items():
                print(f"    {name} (default {p['default']!s}): {p['description']}")
        for problem in plugin_problems():
            print(f"skipped plugin {problem.entry_point} ({problem.value}): {problem.message}")
    return 0
