"""The catalogue of built-in templates: the check tables of ``docs/builtins.md``.

:func:`render_catalogue` turns templates (resolved through a registry) and check
libraries into Markdown: one section per template with its checks by section (id,
title, manual or automated, what a status requires), then the shared library with the
templates that use each check. :func:`update_document` puts a rendering between the
markers of a page. A test compares ``docs/builtins.md`` with a fresh rendering, so the
page cannot drift from the templates; to rewrite it::

    python -m workflowkit.templates.catalogue docs/builtins.md

``--check`` only reports whether the page is up to date (exit 1 when it is not).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from workflowkit.templates.models import (
    Check,
    CheckLibrary,
    LibraryCheckRef,
    Requirements,
    Section,
    WorkflowTemplate,
)
from workflowkit.templates.resolve import ResolvedCheck, ResolvedTemplate, TemplateRegistry

BEGIN = "<!-- catalogue:begin (generated: python -m workflowkit.templates.catalogue) -->"
END = "<!-- catalogue:end -->"

BUILTIN_ORDER = (
    "monthly-bookkeeping",
    "health-review",
    "vat-return-preparation",
    "year-end-accounts",
    "client-onboarding",
)
"""The order the built-ins appear in the catalogue; any others follow by id."""

_STATUS_WORDS = {
    "complete": "complete",
    "complete_with_issues": "complete with issues",
    "not_applicable": "not applicable",
}


class CatalogueError(ValueError):
    """A page cannot take the catalogue: its markers are missing or out of order."""

    def __init__(self, page: str, problem: str) -> None:
        super().__init__(f"{page}: {problem}")
        self.page = page
        self.problem = problem


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _kind(check: Check) -> str:
    if check.kind == "automated" and check.data_check is not None:
        return f"automated (`{check.data_check}`)"
    return check.kind


def _requires(req: Requirements) -> str:
    """What a check asks for beyond the default (a comment on complete with issues)."""
    parts = []
    if req.file:
        parts.append("file on " + ", ".join(_STATUS_WORDS[s] for s in req.file))
    extra = [s for s in req.comment if s != "complete_with_issues"]
    if extra:
        parts.append("comment on " + ", ".join(_STATUS_WORDS[s] for s in extra))
    return "; ".join(parts)


def _review(template: ResolvedTemplate) -> str:
    levels = template.review.levels
    if not levels:
        return "no review (the assignee completes)"
    return " then ".join(f"`{lvl.role}`" for lvl in levels)


def _hours(value: float) -> str:
    return f"{value:g} h"


def _estimate(template: ResolvedTemplate) -> str:
    prep, review = template.prepare_hours, template.review_hours
    if prep is None and review is None:
        return "-"
    parts = [] if prep is None else [_hours(prep)]
    if review is not None and template.review.levels:
        parts.append(f"{_hours(review)} a review level")
    return " + ".join(parts) or "-"


def _check_rows(checks: Iterable[ResolvedCheck]) -> list[str]:
    rows = ["| Id | Check | Kind | Requires |", "|---|---|---|---|"]
    for c in checks:
        rows.append(f"| `{c.id}` | {_cell(c.title)} | {_kind(c)} | {_requires(c.requires)} |")
    return rows


def render_template(template: ResolvedTemplate) -> str:
    """One template's part of the catalogue: a heading, a summary line and its checks."""
    automated = sum(1 for c in template.checks if c.kind == "automated")
    lines = [
        f"## {template.name}",
        "",
        f"Id `{template.id}`, version {template.version}, period `{template.period}`; "
        f"{len(template.checks)} checks ({automated} automated); review: "
        f"{_review(template)}; estimate: {_estimate(template)}.",
        "",
    ]
    groups: list[tuple[str | None, list[ResolvedCheck]]] = []
    for c in template.checks:
        if groups and groups[-1][0] == c.section:
            groups[-1][1].append(c)
        else:
            groups.append((c.section, [c]))
    for section, checks in groups:
        if section is not None:
            lines += [f"### {template.name}: {section}", ""]
        lines += [*_check_rows(checks), ""]
    return "\n".join(lines)


def render_overview(templates: Sequence[ResolvedTemplate]) -> str:
    """A table of the templates: name, id, period, number of checks, review levels and
    the estimated hours."""
    lines = [
        "| Template | Id | Period | Checks | Review | Estimate |",
        "|---|---|---|---|---|---|",
    ]
    for t in templates:
        lines.append(
            f"| {_cell(t.name)} | `{t.id}` | `{t.period}` | {len(t.checks)} | {_review(t)} "
            f"| {_estimate(t)} |"
        )
    return "\n".join([*lines, ""])


def _library_refs(template: WorkflowTemplate) -> Iterable[LibraryCheckRef]:
    def walk(items: Iterable[object]) -> Iterable[LibraryCheckRef]:
        for item in items:
            if isinstance(item, Section):
                yield from walk(item.checks)
            elif isinstance(item, LibraryCheckRef):
                yield item

    yield from walk(template.checks)
    if template.customise is not None:
        yield from walk(template.customise.replace)
        for add in template.customise.add:
            yield from walk(add.checks)


def render_library(library: CheckLibrary, templates: Sequence[WorkflowTemplate]) -> str:
    """A check library's part of the catalogue, with the templates that use each check."""
    users: dict[str, list[str]] = {c.id: [] for c in library.checks}
    by_id = {t.id: t for t in templates}
    for t in (by_id[i] for i in _ordered(by_id)):
        for ref in _library_refs(t):
            in_library = ref.library in (None, library.id) and ref.use in users
            if in_library and t.id not in users[ref.use]:
                users[ref.use].append(t.id)
    lines = [
        f"## {library.name}",
        "",
        f"Check library `{library.id}`, version {library.version}; "
        f"{len(library.checks)} checks. A template takes one with `use: <id>`.",
        "",
        "| Id | Check | Kind | Used by |",
        "|---|---|---|---|",
    ]
    for c in library.checks:
        used = ", ".join(f"`{u}`" for u in users[c.id]) or "(none)"
        lines.append(f"| `{c.id}` | {_cell(c.title)} | {_kind(c)} | {used} |")
    return "\n".join([*lines, ""])


def _ordered(ids: Iterable[str]) -> list[str]:
    known = set(ids)
    first = [i for i in BUILTIN_ORDER if i in known]
    return first + sorted(known - set(first))


def render_catalogue(
    registry: TemplateRegistry,
    templates: Sequence[WorkflowTemplate],
    libraries: Sequence[CheckLibrary] = (),
) -> str:
    """The catalogue of ``templates`` (resolved through ``registry``) and ``libraries``."""
    by_id = {t.id: t for t in templates}
    resolved = [registry.get(tid) for tid in _ordered(by_id)]
    parts = [render_overview(resolved)] if resolved else []
    parts += [render_template(t) for t in resolved]
    parts += [render_library(lib, templates) for lib in libraries]
    return "\n".join(parts).rstrip("\n") + "\n"


def builtin_catalogue() -> str:
    """The catalogue of the built-in templates and check library."""
    from workflowkit.templates.builtins import builtin_documents

    templates, libraries = builtin_documents()
    return render_catalogue(TemplateRegistry(), templates, libraries)


def update_document(text: str, catalogue: str, *, page: str = "the page") -> str:
    """``text`` with everything between the catalogue markers replaced by ``catalogue``."""
    start = text.find(BEGIN)
    end = text.find(END)
    if start < 0 or end < 0:
        raise CatalogueError(page, f"the markers {BEGIN!r} and {END!r} are missing")
    if end < start or text.find(BEGIN, start + 1) >= 0 or text.find(END, end + 1) >= 0:
        raise CatalogueError(page, "the catalogue markers must appear once each, in order")
    head = text[: start + len(BEGIN)]
    return f"{head}\n\n{catalogue}\n{text[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workflowkit.templates.catalogue",
        description="Rewrite the built-in catalogue between the markers of a Markdown page.",
    )
    parser.add_argument("page", type=Path, help="the page, e.g. docs/builtins.md")
    parser.add_argument(
        "--check", action="store_true", help="only report whether the page is up to date"
    )
    args = parser.parse_args(argv)
    page: Path = args.page
    try:
        text = page.read_text(encoding="utf-8")
        new = update_document(text, builtin_catalogue(), page=str(page))
    except (OSError, CatalogueError) as exc:
        print(f"catalogue: {exc}", file=sys.stderr)
        return 2
    if new == text:
        return 0
    if args.check:
        print(
            f"{page}: the catalogue is out of date; rewrite it with "
            f"python -m workflowkit.templates.catalogue {page}",
            file=sys.stderr,
        )
        return 1
    page.write_text(new, encoding="utf-8")
    print(f"{page}: catalogue rewritten")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
