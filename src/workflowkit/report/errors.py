"""The report's typed errors: a missing optional extra, and an unwritable or bad window."""

from __future__ import annotations

from workflowkit.errors import WorkflowkitError


class ReportError(WorkflowkitError):
    """A report cannot be built or written (says what and where)."""


class ReportExtraMissingError(ReportError):
    """The HTML report needs Jinja2, an optional extra that is not installed."""

    def __init__(self, module: str) -> None:
        self.module = module
        super().__init__(
            f"the HTML report needs {module!r}, which is not installed: "
            'pip install "workflowkit[report]" (or use --format json)'
        )


class ReportWindowError(ReportError):
    """The report's window is empty or reversed."""

    def __init__(self, start: str, end: str) -> None:
        self.start = start
        self.end = end
        super().__init__(f"--from {start} must be before --to {end}")
