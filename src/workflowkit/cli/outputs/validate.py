"""``workflowkit validate --format json``: every file, its diagnostics, and a summary."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import Output, Part


class DiagnosticOut(Part):
    """One problem, located: ``file:line:col`` and a JSON pointer into the document."""

    file: str | None
    line: int | None = Field(description="1-based, or null when the problem has no line.")
    col: int | None = Field(description="1-based column.")
    pointer: str = Field(description="JSON pointer into the document, e.g. /checks/3/id.")
    code: str = Field(description="The stable code, documented in docs/diagnostics.md.")
    severity: Literal["error", "warning", "info"] = Field(
        description="With --strict, warnings are reported as errors."
    )
    message: str
    hint: str | None


class FileOut(Part):
    file: str
    valid: bool = Field(description="No error (with --strict: no warning either).")
    diagnostics: list[DiagnosticOut]


class Summary(Part):
    files: int
    files_with_problems: int
    errors: int
    warnings: int


class ValidateOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.validate"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit validate --format json: each file's diagnostics"

    format: Literal["workflowkit.validate"]
    format_version: Literal[1]
    version: str = Field(description="The tool's version (not the format's).")
    files: list[FileOut]
    summary: Summary
