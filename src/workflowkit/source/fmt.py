"""Canonical formatting of documents, keeping their comments.

``format_text`` rewrites one YAML document with two-space indentation, lists indented
under their key, ``apiVersion`` and ``kind`` first and every mapping's keys in the order
the language reference gives them; comments and quoting are kept. JSON documents are
written with two-space indentation in the same key order. Formatting is idempotent, and
the formatted text reads back as the same data.
"""

from __future__ import annotations

import io
import json
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from workflowkit.errors import Diagnostic, DocumentError
from workflowkit.source.kinds import KINDS, model_for
from workflowkit.source.loader import DEFAULT_LIMITS, Limits, is_data_file, load_text
from workflowkit.source.models import union_members


def _rt() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _field_types(model: type[BaseModel]) -> dict[str, Any]:
    return {(f.alias or name): f.annotation for name, f in model.model_fields.items()}


def _best_model(candidates: list[Any], keys: set[str]) -> type[BaseModel] | None:
    best: tuple[int, int, type[BaseModel]] | None = None
    for c in candidates:
        if isinstance(c, type) and issubclass(c, BaseModel):
            fields = set(_field_types(c))
            required = {(f.alias or n) for n, f in c.model_fields.items() if f.is_required()}
            score = (len(keys & fields) - len(keys - fields), len(required & keys))
            if best is None or score > best[:2]:
                best = (*score, c)
    return best[2] if best else None


def _order(node: Any, tp: Any) -> None:
    """Reorder mapping keys in place to the models' field order, recursively."""
    members = union_members(tp)
    if isinstance(node, CommentedMap):
        model = _best_model(members, {str(k) for k in node})
        if model is not None:
            types_ = _field_types(model)
            known = [k for k in types_ if k in node]
            for k in known + [k for k in list(node) if k not in types_]:
                node.move_to_end(k)
            for k in known:
                _order(node[k], types_[k])
            return
        for m in members:
            if get_origin(m) is dict and len(get_args(m)) == 2:
                for k in node:
                    _order(node[k], get_args(m)[1])
        return
    if isinstance(node, CommentedSeq):
        for m in members:
            origin = get_origin(m)
            if origin in (list, tuple):
                item = next((a for a in get_args(m) if a is not Ellipsis), Any)
                for v in node:
                    _order(v, item)
                return


def _json_order(data: Any, tp: Any) -> Any:
    members = union_members(tp)
    if isinstance(data, dict):
        model = _best_model(members, set(data))
        if model is not None:
            types_ = _field_types(model)
            keys = [k for k in types_ if k in data] + [k for k in data if k not in types_]
            return {k: _json_order(data[k], types_.get(k, Any)) for k in keys}
        return data
    if isinstance(data, list):
        for m in members:
            if get_origin(m) in (list, tuple):
                item = next((a for a in get_args(m) if a is not Ellipsis), Any)
                return [_json_order(v, item) for v in data]
    return data


def format_text(text: str, *, name: str = "<input>", limits: Limits = DEFAULT_LIMITS) -> str:
    """The canonical text of one document; raises :class:`DocumentError` if it does not parse."""
    doc = load_text(text, name=name, limits=limits)  # the safety checks, with locations
    if is_data_file(doc):
        return text  # a ledger snapshot beside the documents: data, left as it is
    kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
    model: type[BaseModel] | None = model_for(kind) if kind in KINDS else None
    if doc.format == "json":
        data = _json_order(doc.data, model) if model else doc.data
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    y = _rt()
    try:
        tree = y.load(text)
    except YAMLError as exc:  # pragma: no cover - load_text already rejected these
        raise DocumentError.of([Diagnostic("WK101", str(exc), file=name, line=1, col=1)]) from None
    if model is not None:
        _order(tree, model)
    out = io.StringIO()
    y.dump(tree, out)
    return out.getvalue()
