"""(filled in by the rules work) The rule set linter."""

from __future__ import annotations

from typing import Any

from workflowkit.errors import Diagnostic


def check_workspace(ws: Any) -> list[Diagnostic]:
    return []
