"""The built-in templates and check library shipped with workflowkit.

They live in ``builtin_templates/`` at the repository root and inside the wheel as
``workflowkit/_builtin_templates``; both places are looked in, the wheel's first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workflowkit.errors import DocumentError
from workflowkit.templates.models import CheckLibrary, WorkflowTemplate


def builtin_dir() -> Path:
    """Where the built-in template files are (inside the wheel, or the source tree)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_builtin_templates"
    if packaged.is_dir():
        return packaged
    source_tree = here.parent.parent / "builtin_templates"
    if source_tree.is_dir():
        return source_tree
    raise FileNotFoundError("the built-in templates are missing from this installation")


def builtin_files() -> list[Path]:
    d = builtin_dir()
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml"))


@cache
def builtin_documents() -> tuple[tuple[WorkflowTemplate, ...], tuple[CheckLibrary, ...]]:
    """Every built-in template and library, validated (a broken built-in is a bug: it raises)."""
    from workflowkit.source.workspace import read_workspace

    ws = read_workspace([builtin_dir()], cross_checks=False)
    errors = [d for d in ws.diagnostics() if d.severity == "error"]
    if errors:
        raise DocumentError.of(errors, "a built-in template is invalid")
    templates = tuple(d.spec for d in ws.of_kind("WorkflowTemplate"))
    libraries = tuple(d.spec for d in ws.of_kind("CheckLibrary"))
    return templates, libraries
