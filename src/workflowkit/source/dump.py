"""Write specs back out as YAML or JSON, in a stable, readable order.

``dump_yaml(spec)`` gives the canonical text of a document: ``apiVersion`` and ``kind``
first, then the model's fields in declaration order, defaults left out. Loading the text
again gives an equal model.
"""

from __future__ import annotations

import io
import json
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML


def to_data(spec: BaseModel, *, exclude_defaults: bool = True) -> dict[str, Any]:
    """Plain JSON-compatible data for a spec, as it would be written in a file."""
    data: dict[str, Any] = spec.model_dump(
        mode="json", by_alias=True, exclude_defaults=exclude_defaults
    )
    head = {k: data.pop(k) for k in ("apiVersion", "kind") if k in data}
    if "apiVersion" in spec.model_fields_set or "apiVersion" in head or hasattr(
        spec, "api_version"
    ):
        head.setdefault("apiVersion", getattr(spec, "api_version", None))
        if hasattr(spec, "kind"):
            head.setdefault("kind", spec.kind)
    head = {k: v for k, v in head.items() if v is not None}
    return {**head, **data}


def _yaml_writer() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    return y


def dump_yaml_data(data: Any) -> str:
    buf = io.StringIO()
    _yaml_writer().dump(data, buf)
    return buf.getvalue()


def dump_yaml(spec: BaseModel, *, exclude_defaults: bool = True) -> str:
    """The YAML text of a spec."""
    return dump_yaml_data(to_data(spec, exclude_defaults=exclude_defaults))


def dump_json(spec: BaseModel, *, exclude_defaults: bool = True) -> str:
    """The JSON text of a spec."""
    return json.dumps(to_data(spec, exclude_defaults=exclude_defaults), indent=2) + "\n"
