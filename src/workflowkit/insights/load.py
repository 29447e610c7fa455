"""Loading a ledger snapshot: a JSON file, or a folder of CSV exports.

Every problem is a located diagnostic (file, line, column, JSON pointer) with a WK6xx
code, collected into one :class:`~workflowkit.insights.errors.SnapshotError`: a bad
snapshot is never half-loaded. Money is read exactly (JSON numbers become ``Decimal``,
never ``float``).
"""

from __future__ import annotations

import dataclasses
import json
import re
import stat
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from workflowkit.errors import Diagnostic
from workflowkit.insights.errors import SnapshotError
from workflowkit.insights.integrity import MAX_PROBLEMS, check_snapshot
from workflowkit.insights.snapshot import DATE_RANGE_MESSAGE, LedgerSnapshot
from workflowkit.source.loader import DuplicateJsonKey, pointer_of, strict_json_pairs
from workflowkit.source.models import data_path as _data_path
from workflowkit.source.models import did_you_mean

SNAPSHOT_FORMAT = "workflowkit.ledger/v1"
"""The value of the optional top-level ``format`` key of a JSON snapshot."""

DEFAULT_MAX_BYTES = 256 << 20
"""A snapshot (a JSON file, or the CSV files of a folder together) larger than this
(256 MiB) is refused (WK607) rather than read into memory."""

DEFAULT_MAX_ROWS = 250_000
"""A snapshot of more rows than this is refused (WK607) before its records are built.

A row is a CSV data row; in JSON, each line of a document counts as a row (a document
without lines as one), so both formats count the same. A loaded row costs about 3 KB,
so the default bounds a snapshot to under a gigabyte of memory."""

Where = tuple[str | None, int | None, int | None]
"""(file, line, col) of a JSON pointer, as far as it is known."""

Locate = Callable[[str, bool], Where]


@cache
def _adapter() -> TypeAdapter[LedgerSnapshot]:
    return TypeAdapter(LedgerSnapshot)


def export_error(
    code: str,
    message: str,
    name: str,
    line: int | None = None,
    col: int | None = None,
    pointer: str = "",
    hint: str | None = None,
) -> SnapshotError:
    d = Diagnostic(
        code=code, message=message, file=name, line=line, col=col, pointer=pointer, hint=hint
    )
    return SnapshotError((d,), f"{name}: cannot read the snapshot")


_error = export_error


# ---------------------------------------------------------------------------------
# Locating a JSON pointer in JSON text, without a second parser
# ---------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")


def _splitpointer_of(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def locate_json(text: str, pointer: str, *, key: bool = False) -> tuple[int, int]:
    """(line, col) of the value at ``pointer`` in JSON ``text`` (its key with ``key``).

    Values that are not on the path are skipped with the C decoder, so finding a record
    near the end of a large file costs about one parse. A pointer past what exists
    gives the deepest position that does exist.
    """
    decoder = json.JSONDecoder()
    scan = json.decoder.scanstring  # type: ignore[attr-defined]
    idx = _WS.match(text, 0).end()  # type: ignore[union-attr]
    best = idx
    try:
        for part in _splitpointer_of(pointer):
            if idx >= len(text):
                break
            ch = text[idx]
            if ch == "{":
                idx = _WS.match(text, idx + 1).end()  # type: ignore[union-attr]
                found = False
                while idx < len(text) and text[idx] == '"':
                    key_at = idx
                    name, idx = scan(text, idx + 1, True)
                    idx = _WS.match(text, idx).end()  # type: ignore[union-attr]
                    idx = _WS.match(text, idx + 1).end()  # type: ignore[union-attr]  # ':'
                    if name == part:
                        best = key_at if key else idx
                        found = True
                        break
                    _, idx = decoder.raw_decode(text, idx)
                    idx = _WS.match(text, idx).end()  # type: ignore[union-attr]
                    if idx < len(text) and text[idx] == ",":
                        idx = _WS.match(text, idx + 1).end()  # type: ignore[union-attr]
                if not found:
                    break
            elif ch == "[":
                if not part.isdigit():
                    break
                target = int(part)
                idx = _WS.match(text, idx + 1).end()  # type: ignore[union-attr]
                n = 0
                while n < target and idx < len(text) and text[idx] != "]":
                    _, idx = decoder.raw_decode(text, idx)
                    idx = _WS.match(text, idx).end()  # type: ignore[union-attr]
                    if idx < len(text) and text[idx] == ",":
                        idx = _WS.match(text, idx + 1).end()  # type: ignore[union-attr]
                    n += 1
                if n < target or idx >= len(text) or text[idx] == "]":
                    break
                best = idx
            else:
                break
    except (ValueError, IndexError):
        pass
    return line_col(text, best)


# ---------------------------------------------------------------------------------
# Validation errors as diagnostics
# ---------------------------------------------------------------------------------


def _dataclass_of(tp: Any) -> type | None:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _dataclass_of(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        for a in get_args(tp):
            found = _dataclass_of(a)
            if found is not None:
                return found
        return None
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return tp
    return None


def _element(tp: Any) -> Any:
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _element(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        for a in get_args(tp):
            if get_origin(a) in (tuple, list):
                return _element(a)
        return tp
    if origin in (tuple, list):
        return get_args(tp)[0]
    return tp


def _model_at(loc: tuple[int | str, ...]) -> type | None:
    """The record class (dataclass) at a pydantic ``loc`` inside a snapshot."""
    tp: Any = LedgerSnapshot
    for part in loc:
        cls = _dataclass_of(tp)
        if isinstance(part, int):
            tp = _element(tp)
            continue
        if cls is None:
            return None
        hints = typing.get_type_hints(cls)
        if part not in hints:
            return cls
        tp = hints[part]
    return _dataclass_of(tp) or _dataclass_of(_element(tp))


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, str):
        return f"{value!r}" if len(value) <= 40 else "a long string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def validation_diagnostics(
    data: Any,
    error: ValidationError,
    name: str,
    locate: Locate | None,
    *,
    prefix: tuple[str | int, ...] = (),
) -> list[Diagnostic]:
    """WK603 diagnostics, located, for a pydantic error raised validating ``data``.

    ``prefix`` is where ``data`` sits in a snapshot (``("invoices", 3)`` for one record
    validated on its own), so pointers are the same as for the whole snapshot.
    """
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    at = list(prefix)

    def data_path(value: Any, loc: tuple[int | str, ...]) -> list[str | int]:
        return [*at, *_data_path(value, loc)]

    for err in error.errors(include_url=False):
        rel = tuple(err["loc"])
        loc = (*prefix, *rel)
        etype = err["type"]
        hint: str | None = None
        key = False
        if etype in ("unexpected_keyword_argument", "extra_forbidden"):
            path = data_path(data, rel)
            pointer = pointer_of(path)
            field = str(loc[-1])
            cls = _model_at(loc[:-1])
            names = [f.name for f in dataclasses.fields(cls)] if cls else []
            hint = did_you_mean(field, names) or ("allowed: " + ", ".join(names) if names else None)
            message = f"unknown field {field!r}"
            key = True
        elif etype == "missing" or etype == "missing_argument":
            path = data_path(data, rel[:-1])
            pointer = pointer_of(path)
            message = f"missing required field {str(loc[-1])!r}"
        else:
            path = data_path(data, rel)
            pointer = pointer_of(path)
            msg = str(err["msg"]).removeprefix("Value error, ")
            if etype == "string_pattern_mismatch" and "[A-Z]{3}" in str(err.get("ctx", "")):
                msg = "a currency must be a three-letter ISO 4217 code such as GBP"
            message = f"{msg}, got {_describe(err.get('input'))}"
        file, line, col = locate(pointer, key) if locate else (name, None, None)
        d = Diagnostic(
            code="WK609" if DATE_RANGE_MESSAGE in message else "WK603",
            message=f"{pointer or '/'}: {message}",
            file=file,
            line=line,
            col=col,
            pointer=pointer,
            hint=hint,
        )
        sig = (d.pointer, d.message)
        if sig not in seen:
            seen.add(sig)
            out.append(d)
        if len(out) >= MAX_PROBLEMS:
            break
    return sorted(out, key=lambda d: d.sort_key())


def snapshot_from_data(
    data: Any, *, name: str = "<snapshot>", locate: Locate | None = None
) -> LedgerSnapshot:
    """Validate plain data (as parsed from JSON) into a checked :class:`LedgerSnapshot`."""
    if not isinstance(data, dict):
        where = locate("", False) if locate else (name, 1, 1)
        raise SnapshotError.of(
            [
                Diagnostic(
                    "WK603",
                    f"a snapshot is a JSON object, not {_describe(data)}",
                    file=where[0],
                    line=where[1],
                    col=where[2],
                )
            ],
            f"{name}: cannot read the snapshot",
        )
    body = dict(data)
    fmt = body.pop("format", SNAPSHOT_FORMAT)
    if fmt != SNAPSHOT_FORMAT:
        file, line, col = locate("/format", False) if locate else (name, None, None)
        raise SnapshotError.of(
            [
                Diagnostic(
                    "WK603",
                    f"/format: unknown snapshot format {fmt!r}",
                    file=file,
                    line=line,
                    col=col,
                    pointer="/format",
                    hint=f"this version reads {SNAPSHOT_FORMAT!r}",
                )
            ],
            f"{name}: cannot read the snapshot",
        )
    try:
        snapshot = _adapter().validate_python(body)
    except ValidationError as exc:
        diags = validation_diagnostics(body, exc, name, locate)
        raise SnapshotError.of(diags, f"{name}: {exc.error_count()} invalid value(s)") from None

    check_snapshot(snapshot, name=name, locate=integrity_locator(name, locate))
    return snapshot


def integrity_locator(name: str, locate: Locate | None) -> Callable[[str, str, str], Diagnostic]:
    """How :func:`~workflowkit.insights.integrity.check_snapshot` locates its problems."""

    def located(code: str, message: str, pointer: str) -> Diagnostic:
        file, line, col = locate(pointer, False) if locate else (name, None, None)
        return Diagnostic(
            code=code,
            message=f"{pointer}: {message}",
            file=file,
            line=line,
            col=col,
            pointer=pointer,
        )

    return located


# ---------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a ledger can hold")


def count_rows(data: Any) -> int:
    """The rows of snapshot data: each line a row, a record without lines one row."""
    if not isinstance(data, dict):
        return 0
    rows = 0
    for value in data.values():
        if isinstance(value, list):
            for record in value:
                lines = record.get("lines") if isinstance(record, dict) else None
                rows += max(1, len(lines)) if isinstance(lines, list) else 1
    return rows


def parse_snapshot_json(
    text: str,
    *,
    name: str = "<snapshot>",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> LedgerSnapshot:
    """A snapshot from JSON text; numbers are read as ``Decimal``.

    Text of more than ``max_bytes`` (UTF-8) or data of more than ``max_rows`` rows is
    refused (WK607) before any record is built.
    """
    if len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
        raise too_large(name, len(text.encode("utf-8")), max_bytes, "the text")
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            object_pairs_hook=strict_json_pairs,
            parse_constant=_reject_constant,
        )
    except DuplicateJsonKey as dup:
        needle = json.dumps(dup.key)
        first = text.find(needle)
        second = text.find(needle, first + 1)
        line, col = line_col(text, second if second >= 0 else max(first, 0))
        raise _error(
            "WK602", f"duplicate key {dup.key!r}; JSON keeps only one of them", name, line, col
        ) from None
    except json.JSONDecodeError as exc:
        raise _error("WK602", exc.msg, name, exc.lineno, exc.colno) from None
    except ValueError as exc:  # NaN / Infinity
        raise _error("WK602", str(exc), name, 1, 1) from None
    except RecursionError:
        raise _error("WK602", "nesting too deep", name, 1, 1) from None

    def locate(pointer: str, key: bool) -> Where:
        line, col = locate_json(text, pointer, key=key)
        return name, line, col

    rows = count_rows(data)
    if rows > max_rows:
        raise too_many_rows(name, rows, max_rows)
    return snapshot_from_data(data, name=name, locate=locate)


def not_a_file(mode: int) -> str | None:
    """What an entry is when it is not a regular file (``a directory``, ``a FIFO``...)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def too_large(name: str, size: int, max_bytes: int, what: str = "the file") -> SnapshotError:
    return _error(
        "WK607",
        f"{what} is {size:,} bytes; the limit is {max_bytes:,}",
        name,
        hint="split the export by date, or raise the limit (max_bytes; `checks run --max-mb`)",
    )


def too_many_rows(name: str, rows: int, max_rows: int, line: int | None = None) -> SnapshotError:
    return _error(
        "WK607",
        f"the snapshot has more than {max_rows:,} rows (at least {rows:,})",
        name,
        line,
        1 if line is not None else None,
        hint="split the export by date, or raise the limit (max_rows; `checks run --max-rows`)",
    )


def _read_text(path: Path, max_bytes: int) -> str:
    name = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise _error("WK601", f"cannot read: {exc.strerror or exc}", name) from None
    kind = not_a_file(info.st_mode)
    if kind is not None:
        raise _error("WK608", f"{kind}, not a file", name, hint="replace it with the export file")
    if info.st_size > max_bytes:
        raise too_large(name, info.st_size, max_bytes)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _error("WK601", f"cannot read: {exc.strerror or exc}", name) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(name, raw, exc) from None


def not_utf8(name: str, raw: bytes, exc: UnicodeDecodeError) -> SnapshotError:
    """WK601 for bytes that are not UTF-8, located to the first bad byte."""
    line = raw.count(b"\n", 0, exc.start) + 1
    col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
    return _error(
        "WK601", "the file is not UTF-8 text", name, line, col, hint="save the export as UTF-8"
    )


def load_snapshot(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS
) -> LedgerSnapshot:
    """Load a snapshot from a ``.json`` file or a folder of CSV exports.

    A snapshot of more than ``max_bytes`` (a JSON file; a folder's CSV files together)
    or ``max_rows`` rows is refused (WK607); an entry that is a directory, FIFO or
    device where a file is expected is an error (WK608). Raises
    :class:`~workflowkit.insights.errors.SnapshotError` (a ``DocumentError``) with every
    located problem; nothing is returned for a bad snapshot.
    """
    p = Path(path)
    if p.is_dir():
        from workflowkit.insights.csvload import load_snapshot_csv

        return load_snapshot_csv(p, max_bytes=max_bytes, max_rows=max_rows)
    if not p.exists():
        raise _error("WK601", "no such file or folder", str(p))
    if p.suffix.lower() != ".json":
        raise _error(
            "WK601",
            "a snapshot is a .json file or a folder of CSV exports",
            str(p),
            hint="see docs/insights.md for both formats",
        )
    return parse_snapshot_json(
        _read_text(p, max_bytes), name=str(p), max_bytes=max_bytes, max_rows=max_rows
    )


# ---------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------


def _json_default(default: Any) -> Any:
    if isinstance(default, Decimal):
        return str(default)
    if isinstance(default, tuple):
        return list(default)
    return default


def _drop_defaults(value: Any, cls: type | None) -> Any:
    if isinstance(value, dict) and cls is not None:
        hints = typing.get_type_hints(cls)
        out: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            v = value.get(f.name)
            if f.default is not dataclasses.MISSING and v == _json_default(f.default):
                continue
            tp = hints[f.name]
            out[f.name] = _drop_defaults(v, _dataclass_of(tp) or _dataclass_of(_element(tp)))
        return out
    if isinstance(value, list):
        return [_drop_defaults(v, cls) for v in value]
    return value


def snapshot_to_data(snapshot: LedgerSnapshot, *, compact: bool = True) -> dict[str, Any]:
    """Plain JSON-ready data (amounts as strings, dates ISO); fields at their default are
    left out when ``compact``. :func:`snapshot_from_data` reads it back exactly."""
    data = _adapter().dump_python(snapshot, mode="json")
    if compact:
        data = _drop_defaults(data, LedgerSnapshot)
    return {"format": SNAPSHOT_FORMAT, **data}


def save_snapshot(snapshot: LedgerSnapshot, path: str | Path, *, indent: int | None = 1) -> None:
    """Write ``snapshot`` as a JSON file that :func:`load_snapshot` reads back."""
    Path(path).write_text(
        json.dumps(snapshot_to_data(snapshot), indent=indent, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def snapshot_from_mapping(data: Mapping[str, Any], *, name: str = "<snapshot>") -> LedgerSnapshot:
    """Like :func:`snapshot_from_data`, for data built in code."""
    return snapshot_from_data(dict(data), name=name)
