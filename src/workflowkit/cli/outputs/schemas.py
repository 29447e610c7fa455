"""The JSON Schemas of the CLI's outputs, generated from their models.

``python -m workflowkit.source.schema`` writes them into ``schemas/output/`` beside the
document schemas; a test fails when a checked-in file is stale. Each schema carries the
published ``$id``. They are pydantic's validation-mode schemas: a field with a default is
optional there, as it is in the output (a key an engine leaves out stays out).

``workflowkit report --format json`` is built from the report's frozen dataclasses
(``workflowkit.report.model.Report``): its schema is generated from them the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, TypeAdapter

from workflowkit.cli.outputs.base import Output
from workflowkit.cli.outputs.checks import ChecksListOutput, ChecksRunOutput
from workflowkit.cli.outputs.config import ConfigOutput
from workflowkit.cli.outputs.notify import NotifyOutput
from workflowkit.cli.outputs.plan import PlanOutput
from workflowkit.cli.outputs.review import (
    ReviewHistoryOutput,
    ReviewListOutput,
    ReviewShowOutput,
    ReviewVerifyOutput,
)
from workflowkit.cli.outputs.rules import RulesExplainOutput, RulesImpactOutput
from workflowkit.cli.outputs.run import AgendaOutput, RunOutput, WorkloadOutput
from workflowkit.cli.outputs.templates import DiffOutput, TemplateShowOutput, TemplatesOutput
from workflowkit.cli.outputs.validate import ValidateOutput
from workflowkit.source.schema import SCHEMA_BASE, SCHEMA_DIALECT

OUTPUT_MODELS: Final[tuple[type[Output], ...]] = (
    ValidateOutput,
    PlanOutput,
    ChecksRunOutput,
    ChecksListOutput,
    ReviewListOutput,
    ReviewShowOutput,
    ReviewHistoryOutput,
    ReviewVerifyOutput,
    RulesExplainOutput,
    RulesImpactOutput,
    RunOutput,
    AgendaOutput,
    WorkloadOutput,
    NotifyOutput,
    TemplatesOutput,
    TemplateShowOutput,
    DiffOutput,
    ConfigOutput,
)
"""Every output made from a model in this package, by format name."""

REPORT_FORMAT: Final = "workflowkit.report"
OUTPUT_DIR: Final = "output"


def schema_file(format_name: str) -> str:
    """``workflowkit.review.show`` -> ``workflowkit.review.show.schema.json``."""
    return f"{format_name}.schema.json"


def _wrap(format_name: str, title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE}{OUTPUT_DIR}/{schema_file(format_name)}",
        "title": format_name,
        "description": f"{title}. Readers must ignore fields they do not know.",
        **{k: v for k, v in body.items() if k not in ("title", "description")},
    }


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True, mode="validation")


def output_schema(model: type[Output]) -> dict[str, Any]:
    """The JSON Schema of one output model."""
    return _wrap(model.FORMAT, model.TITLE, _model_schema(model))


def report_schema() -> dict[str, Any]:
    """The schema of ``workflowkit report --format json`` (the Report dataclasses, with
    ``format`` and ``format_version`` pinned to the report's)."""
    from workflowkit.report.model import FORMAT, FORMAT_VERSION, Report

    body = TypeAdapter(Report).json_schema(by_alias=True, mode="validation")
    props = body.get("properties", {})
    props["format"] = {"const": FORMAT, "type": "string"}
    props["format_version"] = {"const": FORMAT_VERSION, "type": "integer"}
    body["required"] = sorted({*body.get("required", []), "format", "format_version"})
    return _wrap(FORMAT, "workflowkit report --format json: the dashboard's data", body)


def output_schemas() -> dict[str, dict[str, Any]]:
    """Format name -> schema, for every output (the report's included)."""
    out = {m.FORMAT: output_schema(m) for m in OUTPUT_MODELS}
    out[REPORT_FORMAT] = report_schema()
    return dict(sorted(out.items()))


def output_schema_files() -> dict[str, str]:
    """File name (inside ``schemas/output/``) -> text."""
    return {
        schema_file(name): json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in output_schemas().items()
    }


def write_output_schemas(schemas: Path) -> list[Path]:
    """Write every output schema into ``schemas/output/`` (``schemas`` is the folder of
    the document schemas); files already current are left alone."""
    from workflowkit.source.schema import write_files

    return write_files(schemas / OUTPUT_DIR, output_schema_files())
