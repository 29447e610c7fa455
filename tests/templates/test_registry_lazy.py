"""The registry reads the built-ins only when a lookup needs them."""

from __future__ import annotations

import pytest

import workflowkit.templates.builtins as builtins
from workflowkit.source.loader import load_text
from workflowkit.source.models import validate_model
from workflowkit.templates.models import WorkflowTemplate
from workflowkit.templates.resolve import TemplateRegistry


def _template(extra: str = "") -> WorkflowTemplate:
    text = (
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: mine\nname: Mine\n"
        "version: 1.0.0\n" + extra
    )
    spec, diags = validate_model(load_text(text, name="t.yaml"), WorkflowTemplate)
    assert spec is not None, diags
    return spec


def test_a_standalone_template_never_reads_the_builtins(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("the built-ins were read")

    monkeypatch.setattr(builtins, "builtin_documents", refuse)
    registry = TemplateRegistry([_template("checks:\n  - {id: a, title: A}\n")])
    assert registry.get("mine").check_ids == ("a",)


def test_extends_and_listings_read_them_once(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = len(TemplateRegistry().get("health-review").checks)
    calls: list[int] = []
    real = builtins.builtin_documents

    def counting():  # type: ignore[no-untyped-def]
        calls.append(1)
        return real()

    monkeypatch.setattr(builtins, "builtin_documents", counting)
    registry = TemplateRegistry([_template("extends: health-review\n")])
    assert len(registry.get("mine").checks) == expected
    assert "monthly-bookkeeping" in registry.ids
    assert calls == [1]


def test_own_template_still_shadows_a_builtin_after_loading() -> None:
    own = _template("checks:\n  - {id: a, title: A}\n").model_copy(update={"id": "health-review"})
    registry = TemplateRegistry([own])
    assert "monthly-bookkeeping" in registry.ids  # the built-ins are now in
    assert registry.get("health-review").check_ids == ("a",)
