"""``workflowkit templates [show]`` and ``workflowkit diff`` with ``--format json``."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import Json, Output, Part
from workflowkit.templates.resolve import ResolvedTemplate


class TemplateRow(Part):
    id: str
    name: str
    version: str
    checks: int = Field(description="How many checks it has.")
    period: str


class TemplatesOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.templates"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit templates --format json: the templates available"

    format: Literal["workflowkit.templates"]
    format_version: Literal[1]
    templates: list[TemplateRow]


class TemplateShowOutput(Output, ResolvedTemplate):
    """The resolved template's own fields, beside ``format`` and ``format_version`` (first
    in the output): a reader of 0.1's output finds every key where it was."""

    FORMAT: ClassVar[str] = "workflowkit.templates.show"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit templates show ID --format json: one resolved template"

    format: Literal["workflowkit.templates.show"]
    format_version: Literal[1]


class PlacedCheck(Part):
    id: str
    title: str
    position: int = Field(description="1-based.")


class MoveOut(Part):
    id: str
    from_: int = Field(alias="from")
    to: int


class ChangeOut(Part):
    field: str
    old: Json
    new: Json


class CheckChangeOut(Part):
    id: str
    changes: list[ChangeOut]


Bump = Literal["major", "minor", "patch", "none"]


class DiffOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.diff"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit diff --format json: what changed between two templates"

    format: Literal["workflowkit.diff"]
    format_version: Literal[1]
    template: str
    old_version: str
    new_version: str
    added: list[PlacedCheck]
    removed: list[PlacedCheck]
    moved: list[MoveOut]
    changed: list[CheckChangeOut]
    retitled: list[str]
    review: list[ChangeOut]
    metadata: list[ChangeOut]
    required_bump: Bump = Field(description="The smallest honest semver bump.")
    actual_bump: Bump
    bump_ok: bool
