"""``workflowkit templates [show ID]``: the built-in templates, to start your own from."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "templates",
        help="list the built-in templates, or show one",
        description="List the built-in templates (id, name, version, number of checks), "
        "or print one with `show ID` so a practice can start its own from it.",
    )
    p.add_argument("action", nargs="?", choices=("list", "show"), default="list")
    p.add_argument("id", nargs="?", help="template id (with show)")
    p.add_argument(
        "--format",
        "-f",
        choices=("text", "json", "yaml"),
        default=None,
        help="list: text or json; show: yaml (the source document) or json (the resolved template)",
    )
    p.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="also list the templates of a practice folder",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    from workflowkit.source.dump import dump_yaml
    from workflowkit.templates.validate import load_registry

    registry = load_registry(args.templates)
    if args.action == "show":
        if not args.id:
            print("workflowkit templates show: give a template id")
            return 2
        doc = registry.document(args.id)  # an unknown id: NotFoundError with a hint
        if args.format == "json":
            from workflowkit.cli.outputs.base import render
            from workflowkit.cli.outputs.templates import TemplateShowOutput

            data = registry.get(args.id).model_dump(mode="json")
            print(render(TemplateShowOutput, data, ensure_ascii=False))
        else:
            print(dump_yaml(doc), end="")
        return 0
    rows = []
    for tid in registry.ids:
        t = registry.get(tid)
        rows.append(
            {
                "id": t.id,
                "name": t.name,
                "version": t.version,
                "checks": len(t.checks),
                "period": t.period,
            }
        )
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.templates import TemplatesOutput

        print(render(TemplatesOutput, {"templates": rows}))
        return 0
    headers = ("id", "name", "version", "checks", "period")
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) if rows else len(h) for h in headers]
    # Columns are padded to line up; the last is not, so no line ends in spaces.
    print("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for r in rows:
        print("  ".join(str(r[h]).ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    return 0
