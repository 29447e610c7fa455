"""``workflowkit diff OLD NEW``: what a template change does, for reviewing it."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "diff",
        help="semantic diff of two versions of a template",
        description="Compare two versions of a template file (resolved: extends and library "
        "checks applied): checks added, removed, moved, retitled or changed, and review "
        "policy changes, with the semantic-version bump the change needs. Use "
        "`git show main:templates/x.yaml > old.yaml` to get the old side.",
    )
    p.add_argument("old", metavar="OLD", help="the old template file")
    p.add_argument("new", metavar="NEW", help="the new template file")
    p.add_argument(
        "--templates",
        metavar="DIR",
        action="append",
        default=[],
        help="folder of templates and check libraries that OLD and NEW build on",
    )
    p.add_argument("--format", "-f", choices=("text", "json"), default="text")
    p.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when the templates differ or the version bump is too small",
    )
    p.add_argument(
        "--check-bump",
        action="store_true",
        help="exit 1 only when the new version number is too small a bump for the change",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:

    from workflowkit.errors import DocumentError
    from workflowkit.source.workspace import load_spec, read_workspace
    from workflowkit.templates.diff import diff_templates, render_text
    from workflowkit.templates.models import WorkflowTemplate
    from workflowkit.templates.resolve import ResolutionFailed, TemplateRegistry

    templates: list[Any] = []
    libraries: list[Any] = []
    if args.templates:
        ws = read_workspace(args.templates)
        errors = [d for d in ws.diagnostics() if d.severity == "error"]
        if errors:
            raise DocumentError.of(errors, "the --templates folder has errors")
        templates, libraries = ws.specs("WorkflowTemplate"), ws.specs("CheckLibrary")
    resolved = []
    for path in (args.old, args.new):
        spec = load_spec(path, "WorkflowTemplate")
        assert isinstance(spec, WorkflowTemplate)
        registry = TemplateRegistry([t for t in templates if t.id != spec.id], libraries)
        try:
            resolved.append(registry.resolve_document(spec))
        except ResolutionFailed as exc:
            from workflowkit.source.loader import read_path

            doc = read_path(path)
            raise DocumentError.of(
                [doc.diagnostic(p.code, p.message, p.pointer, hint=p.hint) for p in exc.problems]
            ) from None
    d = diff_templates(resolved[0], resolved[1])
    if args.format == "json":
        from workflowkit.cli.outputs.base import render
        from workflowkit.cli.outputs.templates import DiffOutput

        print(render(DiffOutput, d.to_data()))
    else:
        print(render_text(d))
    if args.exit_code and (not d.empty or not d.bump_ok):
        return 1
    if args.check_bump and not d.bump_ok:
        return 1
    return 0
