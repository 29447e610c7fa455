"""Reading items from files: JSON (a list, or ``{"items": [...]}``, or one object), YAML,
or CSV with one item per row and the item's attribute names as the header.

JSON numbers with a fraction are read as ``Decimal`` (so ``0.1`` stays ``0.1``). Every
problem is an :class:`ItemError` naming the file and the item (row or position).
"""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from workflowkit.rules.errors import ItemError
from workflowkit.rules.item import ITEM_KEYS, Item
from workflowkit.source.loader import TooLongNumber, json_int

MAX_BYTES: Final[int] = 200_000_000


def parse_items(text: str, *, name: str = "<items>", format: str | None = None) -> list[Item]:
    """Items from the text of a JSON, YAML or CSV file (``format`` from the name)."""
    fmt = format or _format_of(name)
    if fmt == "csv":
        return _csv_items(text, name)
    if fmt == "json":
        try:
            data = json.loads(text, parse_float=Decimal, parse_int=json_int)
        except TooLongNumber as exc:
            pos = max(text.find(exc.text), 0)
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            raise ItemError(
                f"{name}:{line}:{col}: a number of {len(exc.text)} digits is too long to read"
            ) from None
        except json.JSONDecodeError as exc:
            raise ItemError(f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise ItemError(f"{name}: JSON nested too deeply") from None
    else:
        from workflowkit.errors import DocumentError
        from workflowkit.source.loader import load_text

        try:
            data = load_text(text, name=name, format="yaml").data
        except DocumentError as exc:
            first = exc.diagnostics[0].format() if exc.diagnostics else str(exc)
            raise ItemError(first) from None
    if isinstance(data, dict) and "items" in data and set(data) <= {"items"}:
        data = data["items"]
    if isinstance(data, dict):
        return [Item.from_data(data, where=f"{name}")]
    if not isinstance(data, list):
        raise ItemError(f"{name}: expected a list of items, or one item, not {type(data).__name__}")
    return [Item.from_data(entry, where=f"{name}[{k}]") for k, entry in enumerate(data)]


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return "json"


def _csv_items(text: str, name: str) -> list[Item]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in ITEM_KEYS]
    if unknown:
        from workflowkit.source.models import did_you_mean

        hint = did_you_mean(unknown[0], sorted(ITEM_KEYS))
        raise ItemError(f"{name}: unknown column {unknown[0]!r}" + (f"; {hint}" if hint else ""))
    out = []
    for row in reader:
        if None in row:
            raise ItemError(f"{name}:{reader.line_num}: more cells than the header has columns")
        out.append(Item.from_data(row, where=f"{name}:{reader.line_num}"))
    return out


def read_items(path: str | os.PathLike[str]) -> list[Item]:
    """Items from a ``.json``, ``.yaml``/``.yml`` or ``.csv`` file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise ItemError(f"{path}: larger than {MAX_BYTES} bytes")
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ItemError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ItemError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise ItemError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ItemError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_items(text, name=str(path))


def item_data(items: list[Item]) -> list[dict[str, Any]]:
    """JSON-compatible data of items (the inverse of :func:`parse_items` for JSON)."""
    return [item.to_data() for item in items]
