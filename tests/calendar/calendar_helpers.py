"""Small builders shared by the calendar tests."""

from __future__ import annotations

from typing import Any

from workflowkit.calendar import Client, Workflow
from workflowkit.templates.models import WorkflowTemplate
from workflowkit.templates.resolve import TemplateRegistry


def client(cid: str = "acme", **data: Any) -> Client:
    """A client: a private limited company unless ``data`` says otherwise."""
    base: dict[str, Any] = {"id": cid, "name": cid.title(), "company_type": "private_limited"}
    return Client.model_validate(base | data)


def workflow(
    wid: str,
    repeating: dict[str, Any] | None = None,
    *,
    one_off: dict[str, Any] | None = None,
    clients: dict[str, Any] | None = None,
    template: dict[str, Any] | None = None,
    **extra: Any,
) -> Workflow:
    data: dict[str, Any] = {
        "apiVersion": "workflowkit/v1",
        "kind": "Workflow",
        "id": wid,
        "name": wid.replace("-", " ").title(),
        "template": template or {"id": "books"},
        "clients": clients or {"all": True},
        "assignee": "alice",
        **extra,
    }
    if repeating is not None:
        data["repeating"] = repeating
    if one_off is not None:
        data["one_off"] = one_off
    return Workflow.model_validate(data)


def template(tid: str = "books", version: str = "1.0.0") -> WorkflowTemplate:
    return WorkflowTemplate.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "WorkflowTemplate",
            "id": tid,
            "name": tid.title(),
            "version": version,
            "checks": [{"id": "reconcile", "title": "Reconcile the bank"}],
        }
    )


def registry(*versions: str) -> TemplateRegistry:
    """Template ``books`` in ``versions`` (default 1.0.0), without the built-ins."""
    return TemplateRegistry(
        [template("books", v) for v in (versions or ("1.0.0",))], include_builtins=False
    )
