"""``workflowkit schema KIND``: print the JSON Schema of a document kind."""

from __future__ import annotations

import argparse
from typing import Any

KIND_NAMES = ("CheckLibrary", "ClientList", "RuleSet", "Team", "Workflow", "WorkflowTemplate")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of a document kind",
        description="Print the JSON Schema of a kind, for editors and other validators. "
        "With --write DIR, write every kind's schema file into DIR, and the schemas of "
        "the --format json outputs into DIR/output.",
    )
    p.add_argument("kind", nargs="?", choices=KIND_NAMES, help="the document kind")
    p.add_argument("--write", metavar="DIR", help="write all schemas into DIR")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workflowkit.source.kinds import KINDS
    from workflowkit.source.schema import schema_text, write_all

    if args.write:
        for path in write_all(Path(args.write)):
            print(path)
        return 0
    if not args.kind:
        print("workflowkit schema: name a kind (" + ", ".join(sorted(KINDS)) + ") or --write DIR")
        return 2
    print(schema_text(args.kind), end="")
    return 0
