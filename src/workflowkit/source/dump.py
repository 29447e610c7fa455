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
from ruamel.yaml.representer import SafeRepresenter

from workflowkit.source.loader import SourceFloat


def to_data(spec: BaseModel, *, exclude_defaults: bool = True) -> dict[str, Any]:
    """Plain JSON-compatible data for a spec, as it would be written in a file."""
    data: dict[str, Any] = spec.model_dump(
        mode="json", by_alias=True, exclude_defaults=exclude_defaults
    )
    head: dict[str, Any] = {}
    for key, attr in (("apiVersion", "api_version"), ("kind", "kind")):
        value = data.pop(key, None) or getattr(spec, attr, None)
        if value is not None:
            head[key] = value
    return {**head, **data}


_BREAK_LIKE = ("\x85", "\u2028", "\u2029")


class _Representer(SafeRepresenter):
    """Strings holding NEL (or the Unicode line and paragraph separators) in double quotes.

    The writer would put a NEL raw inside a quoted scalar, where the (YAML 1.1 minded)
    C reader folds it into a space; escaped as ``\\N`` it reads back unchanged.
    """

    def represent_str(self, data: str) -> Any:
        if any(ch in data for ch in _BREAK_LIKE):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        return super().represent_str(data)

    def represent_source_float(self, data: float) -> Any:
        """A number read from a file is written back as the text it was read as."""
        text = getattr(data, "text", None)
        if isinstance(text, str):
            return self.represent_scalar("tag:yaml.org,2002:float", text)
        return self.represent_float(float(data))


_Representer.add_representer(str, _Representer.represent_str)
_Representer.add_representer(SourceFloat, _Representer.represent_source_float)


def _yaml_writer() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.Representer = _Representer
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
