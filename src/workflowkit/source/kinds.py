"""Kind dispatch: which model and which checks read each ``kind`` of document.

Models and checkers are named by dotted path and imported on first use, so reading a
template never imports the rules engine and the CLI starts fast. Each engine owns its
entries; the source layer imports none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from workflowkit.errors import Diagnostic
from workflowkit.source.loader import LoadedDocument
from workflowkit.source.models import API_VERSION, did_you_mean


@dataclass(frozen=True, slots=True)
class KindSpec:
    """One document kind.

    ``model``: ``"module:Class"`` of the pydantic model. ``check``: optional
    ``"module:function"`` taking ``(spec, doc)`` and returning in-document diagnostics
    (meaning beyond the schema). ``schema_file``: the file name in ``schemas/``.
    """

    kind: str
    model: str
    summary: str
    check: str | None = None

    @property
    def schema_file(self) -> str:
        return f"{self.kind}.schema.json"


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            "WorkflowTemplate",
            "workflowkit.templates.models:WorkflowTemplate",
            "an ordered set of checks with a review policy",
            "workflowkit.templates.validate:check_template",
        ),
        KindSpec(
            "CheckLibrary",
            "workflowkit.templates.models:CheckLibrary",
            "reusable custom checks a practice shares across templates",
            "workflowkit.templates.validate:check_library",
        ),
        KindSpec(
            "ClientList",
            "workflowkit.calendar.models:ClientList",
            "the practice's clients: year ends, VAT staggers, company types, tags",
            "workflowkit.calendar.validate:check_client_list",
        ),
        KindSpec(
            "Workflow",
            "workflowkit.calendar.models:Workflow",
            "a template assigned to clients with a trigger, assignee and reviewers",
            "workflowkit.calendar.validate:check_workflow",
        ),
        KindSpec(
            "RuleSet",
            "workflowkit.rules.models:RuleSet",
            "bookkeeping automation: account defaults, supplier, payment method, user rules",
            "workflowkit.rules.lint:check_ruleset",
        ),
        KindSpec(
            "Team",
            "workflowkit.team.models:Team",
            "the practice's people, roles and permissions, absences and capacity",
            "workflowkit.team.validate:check_team",
        ),
    )
}

WORKSPACE_CHECKS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "workflowkit.templates.validate:check_workspace",
        frozenset({"WorkflowTemplate", "CheckLibrary"}),
    ),
    ("workflowkit.calendar.validate:check_workspace", frozenset({"ClientList", "Workflow"})),
    ("workflowkit.rules.lint:check_workspace", frozenset({"RuleSet"})),
    ("workflowkit.team.validate:check_workspace", frozenset({"Team", "Workflow"})),
)
"""Checks across documents, each ``(workspace) -> list[Diagnostic]``, with the kinds that
call for it: a check runs (and its engine is imported) only when the workspace holds a
valid document of one of them."""


@cache
def resolve(dotted: str) -> Any:
    module, _, attr = dotted.partition(":")
    return getattr(importlib.import_module(module), attr)


def model_for(kind: str) -> type[BaseModel]:
    model = resolve(KINDS[kind].model)
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model


def checker_for(kind: str) -> Callable[[Any, LoadedDocument], list[Diagnostic]] | None:
    dotted = KINDS[kind].check
    return resolve(dotted) if dotted else None


def header_diagnostics(doc: LoadedDocument) -> tuple[str | None, list[Diagnostic]]:
    """Check ``apiVersion`` and ``kind``; return the kind when both are right."""
    data = doc.data
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        return None, [
            doc.diagnostic(
                "WK105",
                f"the document must be a mapping with apiVersion and kind, not {what}",
                hint=f"start the file with `apiVersion: {API_VERSION}` and a `kind`",
            )
        ]
    out: list[Diagnostic] = []
    api = data.get("apiVersion")
    if api is None:
        out.append(
            doc.diagnostic("WK111", "missing apiVersion", hint=f"add `apiVersion: {API_VERSION}`")
        )
    elif api != API_VERSION:
        out.append(
            doc.diagnostic(
                "WK111",
                f"unknown apiVersion {api!r}; this workflowkit reads {API_VERSION!r}",
                "/apiVersion",
            )
        )
    kind = data.get("kind")
    if kind is None:
        out.append(
            doc.diagnostic(
                "WK112",
                "missing kind",
                hint="one of: " + ", ".join(KINDS),
            )
        )
        return None, out
    if not isinstance(kind, str):
        out.append(
            doc.diagnostic(
                "WK112",
                f"kind must be a string, not {type(kind).__name__}",
                "/kind",
                hint="one of: " + ", ".join(KINDS),
            )
        )
        return None, out
    if kind not in KINDS:
        out.append(
            doc.diagnostic(
                "WK112",
                f"unknown kind {kind!r}",
                "/kind",
                hint=did_you_mean(str(kind), list(KINDS)) or "one of: " + ", ".join(KINDS),
            )
        )
        return None, out
    return (kind if not out else None), out
