"""``workflowkit validate PATH...``: every document and the references between them."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

FORMATS = ("text", "json", "github", "sarif")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "validate",
        help="validate template, workflow, client and rule files",
        description="Validate files or folders (*.yaml, *.yml, *.json) and the references "
        "between them. Exit 0 clean, 1 problems found, 2 usage or unreadable path.",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: the config's paths)"
    )
    p.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="leave out files matching GLOB (repeatable; replaces the config's exclude)",
    )
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default=None,
        help="output format (default: github under GitHub Actions, else text)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workflowkit.cli.reporters import REPORTERS, FileReport
    from workflowkit.cli.safe_text import emit
    from workflowkit.errors import Severity
    from workflowkit.source.loader import is_data_file
    from workflowkit.source.workspace import read_workspace

    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    from workflowkit.cli.config import select_files

    ws = read_workspace(select_files(args, args.paths))
    documents = [d for d in ws.documents if d.diagnostics or not is_data_file(d.source)]
    by_file: dict[str, list[Any]] = {d.name: [] for d in documents}
    texts = {d.name: d.source.text for d in ws.documents}
    for diag in ws.diagnostics():
        by_file.setdefault(diag.file or "<workspace>", []).append(diag)
    files = [FileReport(name, diags, texts.get(name, "")) for name, diags in by_file.items()]
    bad = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    code = 1 if any(d.severity in bad for f in files for d in f.diagnostics) else 0
    if ws.unreadable:
        code = 2
    # A reader that stops early (`| head -1`) does not turn findings into success.
    if fmt == "text":
        from workflowkit.cli.colour import palette
        from workflowkit.cli.reporters import text_report

        paint = palette(sys.stdout)
        emit(text_report(files, args.strict, paint), escaped=paint.on)
    else:
        emit(REPORTERS[fmt](files, args.strict), commands=fmt == "github")
    quiet = getattr(args, "quiet", False)
    if fmt == "text" and not quiet and ws.of_kind("Workflow") and not ws.of_kind("Team"):
        print(
            "note: the practice has no Team, so assignees and reviewers are not checked "
            "against people (see docs/team.md)",
            file=sys.stderr,
        )
    return code
