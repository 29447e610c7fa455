"""(filled in by the calendar work) Meaning checks for ClientList and Workflow documents."""

from __future__ import annotations

from typing import Any

from workflowkit.errors import Diagnostic


def check_workspace(ws: Any) -> list[Diagnostic]:
    return []
