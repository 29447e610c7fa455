"""What every ``--format json`` output shares: a ``format`` name, a ``format_version``, and
one way to turn an output model into the text a command prints.

An output is a frozen pydantic model. A command builds its data (from the engines'
``to_data()``), the model checks it (``extra="forbid"`` at every level it names, so a
renamed or added key fails the tests instead of drifting from the published schema), and
the command prints what the model dumps. The schemas in ``schemas/output/`` are generated
from the same models (:mod:`workflowkit.cli.outputs.schemas`).

Dates and times are kept as the text the engines write (``date.isoformat()``, an aware
``datetime.isoformat()``), typed ``DateText`` and ``TimeText`` so the schema says
``"format": "date"`` or ``"date-time"``: pydantic would rewrite ``+00:00`` as ``Z``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, JsonValue, WithJsonSchema

DateText = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
"""A calendar date, ``YYYY-MM-DD``."""
TimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
"""A timezone-aware moment, ISO 8601 with its offset (``2026-11-03T09:00:00+00:00``)."""
Number = int | float
"""A JSON number: an integer stays an integer (pydantic would write ``3`` as ``3.0``)."""
Scalar = str | bool | int | float | None
"""A plain JSON value that is not a list or an object."""
Json = JsonValue
"""Any JSON value (an open part of an output: a record's fields, a check's parameters)."""


class Part(BaseModel):
    """A part of an output: frozen, and no key it does not declare."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Output(Part):
    """The top level of an output: ``format`` and ``format_version`` first.

    Subclasses narrow both to constants (``Literal``), so the schema says which format
    and version it describes, and set ``FORMAT`` and ``VERSION`` to the same values.
    """

    FORMAT: ClassVar[str] = ""
    VERSION: ClassVar[int] = 0
    TITLE: ClassVar[str] = ""
    """One line for the schema's description and docs/outputs.md."""

    format: str = Field(description="The output's format name, e.g. workflowkit.validate.")
    format_version: int = Field(
        description="The format's version: bumped when a field is removed, renamed or "
        "changes meaning; readers must ignore fields they do not know."
    )


OutputT = TypeVar("OutputT", bound=Output)


def build(model: type[OutputT], data: dict[str, Any]) -> OutputT:
    """The output ``model`` made from ``data`` (``format`` and ``format_version`` added)."""
    return model.model_validate({"format": model.FORMAT, "format_version": model.VERSION, **data})


def dump(output: Output) -> dict[str, Any]:
    """The output as JSON-ready data: exactly the keys it was made from, in model order."""
    data: dict[str, Any] = output.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return {"format": data.pop("format"), "format_version": data.pop("format_version"), **data}


def render(
    model: type[OutputT], data: dict[str, Any], *, indent: int | None = 2, ensure_ascii: bool = True
) -> str:
    """The text a command prints for ``data`` in the output ``model``."""
    return json.dumps(dump(build(model, data)), indent=indent, ensure_ascii=ensure_ascii)
