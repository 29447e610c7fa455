"""Did-you-mean for an `extends` or `use:` typo and an unknown check id in `review`
commands; TemplateRegistry refuses a CheckLibrary among its templates (issue 17)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from workflowkit import TemplateRegistry
from workflowkit.errors import ArgumentTypeError, DocumentError
from workflowkit.source.workspace import read_workspace
from workflowkit.templates.builtins import builtin_documents
from workflowkit.templates.models import WorkflowTemplate

HEAD = "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nname: Mine\nversion: 1.0.0\n"


def _write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(HEAD + textwrap.dedent(body), encoding="utf-8")


def _found(folder: Path) -> dict[str, tuple[str, str | None, int | None]]:
    return {
        d.message: (d.code, d.hint, d.line)
        for d in read_workspace([folder]).diagnostics()
        if d.code in ("WK202", "WK203")
    }


def test_an_extends_typo_gets_the_template_it_meant(tmp_path: Path) -> None:
    _write(tmp_path, "t.yaml", "id: mine\nextends: monthly-bookeeping\n")
    found = _found(tmp_path)
    assert found == {
        "extends 'monthly-bookeeping', but no template has that id": (
            "WK203",
            "did you mean 'monthly-bookkeeping'?",
            6,
        )
    }


def test_an_extends_typo_in_a_base_is_reported_through_the_chain(tmp_path: Path) -> None:
    _write(tmp_path, "base.yaml", "id: base\nextends: year-end-acounts\n")
    _write(tmp_path, "top.yaml", "id: top\nextends: base\n")
    hints = {m: h for m, (_, h, _) in _found(tmp_path).items()}
    assert hints[
        "in base template 'base': extends 'year-end-acounts', but no template has that id"
    ] == ("did you mean 'year-end-accounts'?")


def test_a_far_off_extends_has_no_hint(tmp_path: Path) -> None:
    _write(tmp_path, "t.yaml", "id: mine\nextends: zzzz-qqqq\n")
    ((_, hint, _),) = _found(tmp_path).values()
    assert hint is None


def test_a_use_typo_gets_the_library_check_it_meant(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "t.yaml",
        """\
        id: mine
        checks:
          - use: bank-reconcilation
          - use: bank-reconciliation
            library: uk-practice-check
          - use: bank-reconcilation
            library: uk-practice-checks
            id: bank-rec-again
        """,
    )
    found = _found(tmp_path)
    assert found["no library check 'bank-reconcilation'"][1] == (
        "did you mean 'bank-reconciliation'?"
    )
    assert found["no library check 'bank-reconciliation' in library 'uk-practice-check'"][1] == (
        "no library 'uk-practice-check'; did you mean 'uk-practice-checks'?"
    )
    assert found["no library check 'bank-reconcilation' in library 'uk-practice-checks'"][1] == (
        "did you mean 'bank-reconciliation'?"
    )


def test_the_registry_get_carries_the_hint_too() -> None:
    doc = WorkflowTemplate.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "WorkflowTemplate",
            "id": "mine",
            "name": "Mine",
            "version": "1.0.0",
            "extends": "health-reveiw",
        }
    )
    with pytest.raises(DocumentError) as info:
        TemplateRegistry([doc]).get("mine")
    assert "did you mean 'health-review'?" in str(info.value)


def test_a_check_library_among_the_templates_is_refused_at_construction() -> None:
    templates, libraries = builtin_documents()
    with pytest.raises(ArgumentTypeError) as info:
        TemplateRegistry([*templates[:2], libraries[0]])  # type: ignore[list-item]
    assert str(info.value) == (
        f"TemplateRegistry(): templates[2] must be a WorkflowTemplate, got CheckLibrary "
        f"{libraries[0].id!r}: pass it in libraries="
    )
    assert info.value.argument == "templates[2]"


def test_a_template_among_the_libraries_and_other_values_are_refused() -> None:
    templates, _ = builtin_documents()
    with pytest.raises(ArgumentTypeError, match=r"libraries\[0\] must be a CheckLibrary"):
        TemplateRegistry(libraries=[templates[0]])  # type: ignore[list-item]
    with pytest.raises(ArgumentTypeError, match=r"templates\[0\] must be a WorkflowTemplate"):
        TemplateRegistry(["monthly-bookkeeping"])  # type: ignore[list-item]
