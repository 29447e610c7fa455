"""docs/templates.md documents every key of the template language, checked against the schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflowkit.source.schema import schema_for

DOC = Path(__file__).resolve().parents[2] / "docs" / "templates.md"


def _rows() -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", DOC.read_text(encoding="utf-8"), re.M))


def _keys(kind: str) -> set[tuple[str, str]]:
    schema = schema_for(kind)
    keys = {(kind, k) for k in schema["properties"]}
    for name, definition in schema.get("$defs", {}).items():
        keys |= {(name, k) for k in definition.get("properties", {})}
    return keys


@pytest.mark.parametrize("kind", ["WorkflowTemplate", "CheckLibrary"])
def test_every_schema_key_has_a_row_in_the_reference(kind: str) -> None:
    documented = _rows()
    missing = sorted(f"{obj}.{key}" for obj, key in _keys(kind) if key not in documented)
    assert not missing, f"docs/templates.md does not document: {', '.join(missing)}"


def test_the_reference_documents_no_key_the_schema_lacks() -> None:
    known = {k for kind in ("WorkflowTemplate", "CheckLibrary") for _, k in _keys(kind)}
    extra = sorted(_rows() - known)
    assert not extra, f"docs/templates.md documents keys the language does not have: {extra}"
