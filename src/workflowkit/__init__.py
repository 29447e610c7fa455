"""workflowkit: workflow-as-code for accounting practices.

The engines live in subpackages, each with its own explicit ``__all__``:

- :mod:`workflowkit.templates`: the template language, ``extends``, the built-ins;
- :mod:`workflowkit.calendar`: clients, periods, UK statutory deadlines, ``plan``;
- :mod:`workflowkit.review`: the review state machine and its audit trail;
- :mod:`workflowkit.store`: the event store (SQLite by default);
- :mod:`workflowkit.rules`: bookkeeping rules, precedence with provenance;
- :mod:`workflowkit.insights`: intelligent checks over a client's ledger.

The names below are the entry points most apps start from. They are imported on first
use, so ``import workflowkit`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "WorkflowkitError": "workflowkit.errors",
    "DocumentError": "workflowkit.errors",
    "Diagnostic": "workflowkit.errors",
    "Severity": "workflowkit.errors",
    "NotFoundError": "workflowkit.errors",
    "CalendarError": "workflowkit.errors",
    "ReviewError": "workflowkit.errors",
    "StoreError": "workflowkit.errors",
    "RuleError": "workflowkit.errors",
    "InsightsError": "workflowkit.errors",
    "read_workspace": "workflowkit.source.workspace",
    "load_spec": "workflowkit.source.workspace",
    "TemplateRegistry": "workflowkit.templates.resolve",
    "ResolvedTemplate": "workflowkit.templates.resolve",
    "load_practice": "workflowkit.calendar.practice",
    "NotifyError": "workflowkit.notify.errors",
}

__all__ = [
    "CalendarError",
    "Diagnostic",
    "DocumentError",
    "InsightsError",
    "NotFoundError",
    "NotifyError",
    "ResolvedTemplate",
    "ReviewError",
    "RuleError",
    "Severity",
    "StoreError",
    "TemplateRegistry",
    "WorkflowkitError",
    "__version__",
    "load_practice",
    "load_spec",
    "read_workspace",
]

if TYPE_CHECKING:  # pragma: no cover
    from workflowkit.calendar.practice import load_practice
    from workflowkit.errors import (
        CalendarError,
        Diagnostic,
        DocumentError,
        InsightsError,
        NotFoundError,
        ReviewError,
        RuleError,
        Severity,
        StoreError,
        WorkflowkitError,
    )
    from workflowkit.notify.errors import NotifyError
    from workflowkit.source.workspace import load_spec, read_workspace
    from workflowkit.templates.resolve import ResolvedTemplate, TemplateRegistry


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'workflowkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
