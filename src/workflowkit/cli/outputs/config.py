"""``workflowkit config --format json``: the settings in force and where each came from."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import Json, Output, Part


class SettingOut(Part):
    value: Json = Field(description="The value in force (null: each command's own default).")
    source: str = Field(description="flag, env, file or default.")
    where: str | None = Field(description="The flag, variable or file:line it came from.")


class ConfigOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.config"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit config --format json: the settings and their origins"

    format: Literal["workflowkit.config"]
    format_version: Literal[1]
    config_file: str | None
    settings: dict[str, SettingOut] = Field(
        description="paths, exclude, db, format and strict, each with its origin."
    )
