"""One root exception, structured subclasses, and the located ``Diagnostic``.

Every problem workflowkit reports about a user's input is either a :class:`Diagnostic`
(collected, never raised, by the validators) or a subclass of :class:`WorkflowkitError`
(raised by the engines on an impossible request). Messages name the file, line and
column, or the rule, field and layer, so a person can act on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a diagnostic is. ``--strict`` turns warnings into errors."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located problem in one document.

    ``line`` and ``col`` are 1-based (as editors show them); ``pointer`` is an RFC 6901
    JSON pointer into the document (``/checks/3/id``); ``code`` is stable and listed in
    ``docs/diagnostics.md``.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    pointer: str = ""
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def format(self) -> str:
        """``file:line:col: CODE message`` (parts that are unknown are left out)."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.code} {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "pointer": self.pointer,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.col or 0, self.code)


class WorkflowkitError(Exception):
    """The root of every error workflowkit raises on purpose."""


@dataclass(eq=False)
class DocumentError(WorkflowkitError):
    """A document (file or text) could not be turned into a valid spec.

    Carries every diagnostic found, so a caller can show all of them at once.
    """

    diagnostics: tuple[Diagnostic, ...]
    summary: str = field(default="")

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = self.summary or f"{len(self.diagnostics)} problem(s)"
        lines = [head, *(d.format() for d in self.diagnostics[:20])]
        if len(self.diagnostics) > 20:
            lines.append(f"... and {len(self.diagnostics) - 20} more")
        return "\n".join(lines)

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic], summary: str = "") -> DocumentError:
        return cls(tuple(diagnostics), summary)


class NotFoundError(WorkflowkitError):
    """A named thing (template, check, client, data check, instance) does not exist."""


class CalendarError(WorkflowkitError):
    """An impossible date request: a stagger of 4, an end before its start, a bad cron."""


class ReviewError(WorkflowkitError):
    """Base class for review state machine and audit trail errors."""


class StoreError(WorkflowkitError):
    """Base class for event store errors."""


class RuleError(WorkflowkitError):
    """Base class for rules and automation errors (names the rule, field and layer)."""


class RunError(WorkflowkitError):
    """Running the practice (``workflowkit.run``) cannot go ahead as asked."""


class InsightsError(WorkflowkitError):
    """Base class for ledger snapshot and intelligent check errors."""
