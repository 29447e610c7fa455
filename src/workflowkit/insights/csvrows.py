"""Reading one CSV export as a stream: rows in, validated records out.

A million-row export must not cost a million dictionaries at once. Each file is read
row by row from disk (never whole into memory), and each record is validated with
pydantic as soon as its rows are complete (:mod:`workflowkit.insights.csvdocs`), so only
the records are kept; cells many records share are one object each
(:mod:`workflowkit.insights.csvcells`).

Where a record came from is kept as one line number per record (an array, in
:class:`Table`), so a problem found later (a duplicate id, a missing reference) is still
located to its file, row and column.
"""

from __future__ import annotations

import csv
import io
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from workflowkit.errors import Diagnostic
from workflowkit.insights.errors import SnapshotError
from workflowkit.insights.integrity import MAX_PROBLEMS
from workflowkit.insights.load import (
    Locate,
    Where,
    export_error,
    not_a_file,
    not_utf8,
    too_large,
    too_many_rows,
    validation_diagnostics,
)
from workflowkit.source.models import did_you_mean

Row = tuple[str, int, dict[str, int], str]
"""(file, line, header index, column prefix) of one record's row."""


class Problems:
    """The structural problems of a folder of exports (bad files, columns, rows)."""

    def __init__(self, max_rows: int) -> None:
        self.items: list[Diagnostic] = []
        self.max_rows = max_rows
        self.rows = 0
        """Data rows read so far; past ``max_rows`` reading stops (WK607)."""

    def add(
        self,
        code: str,
        message: str,
        file: str,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(
            Diagnostic(code=code, message=message, file=file, line=line, col=col, hint=hint)
        )


# ---------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------


def _open(path: Path, max_bytes: int) -> io.TextIOWrapper:
    name = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise export_error("WK601", f"cannot read: {exc.strerror or exc}", name) from None
    kind = not_a_file(info.st_mode)
    if kind is not None:
        raise export_error(
            "WK608", f"{kind}, not a file", name, hint="replace it with the export file"
        )
    if info.st_size > max_bytes:
        raise too_large(name, info.st_size, max_bytes)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise export_error("WK601", f"cannot read: {exc.strerror or exc}", name) from None
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _decoding_error(path: Path) -> SnapshotError:
    """The located WK601 of a file that is not UTF-8 (read again: an error path only)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return not_utf8(str(path), raw, exc)
    return export_error("WK601", "the file is not UTF-8 text", str(path))  # pragma: no cover


def read_rows(path: Path, max_bytes: int, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row of a CSV file, the header first, read as a stream.

    A CSV syntax error ends the file with a WK602 problem; a file that cannot be read or
    is not UTF-8 is a :class:`SnapshotError` of its own (WK601).
    """
    fh = _open(path, max_bytes)
    with fh:
        reader = csv.reader(fh, strict=True)
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            problems.add("WK602", f"CSV syntax error: {exc}", str(path), reader.line_num or 1, 1)
        except UnicodeDecodeError:
            raise _decoding_error(path) from None
        except OSError as exc:
            raise export_error("WK601", f"cannot read: {exc.strerror or exc}", str(path)) from None


@dataclass(frozen=True, slots=True)
class CsvFile:
    """What :func:`read_table` needs to know of an export file."""

    file: str
    collection: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    line_columns: tuple[str, ...] = ()
    required_line: tuple[str, ...] = ()
    record: type = object
    """The record class of a row (of a document, for a file with lines)."""
    line_record: type | None = None
    """The record class of a document's line, for a file with lines."""


@dataclass
class Header:
    """The columns of an export: their names in order, and each name's position."""

    names: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)


def read_table(
    path: Path, spec: CsvFile, max_bytes: int, problems: Problems
) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """The header of an export, and its data rows as (line, cells): each cell stripped,
    the row padded to the header's width; blank rows and rows too wide left out (the
    latter a problem)."""
    name = str(path)
    rows = read_rows(path, max_bytes, problems)
    first = next(rows, None)
    index: dict[str, int] = {}
    if first is None:
        problems.add("WK604", "the file is empty: it needs at least a header row", name, 1, 1)
        return Header(), iter(())
    header = [h.strip() for h in first[1]]
    allowed = (*spec.columns, *spec.line_columns)
    for i, col in enumerate(header):
        if col in index:
            problems.add("WK604", f"column {col!r} appears twice", name, 1, i + 1)
        elif col not in allowed:
            problems.add(
                "WK604",
                f"unknown column {col!r} in {spec.file}",
                name,
                1,
                i + 1,
                hint=did_you_mean(col, list(allowed)) or "columns: " + ", ".join(allowed),
            )
        index[col] = i
    has_lines = any(c in index for c in spec.line_columns)
    required = (*spec.required, *(spec.required_line if has_lines else ()))
    missing = [c for c in required if c not in index]
    if missing:
        problems.add("WK604", f"missing column(s): {', '.join(missing)}", name, 1, 1)

    def data() -> Iterator[tuple[int, list[str]]]:
        width = len(header)
        pad = [""] * width
        strip = str.strip
        for line, raw in rows:
            cells = list(map(strip, raw))
            if not any(cells):
                continue
            problems.rows += 1
            if problems.rows > problems.max_rows:
                raise too_many_rows(name, problems.rows, problems.max_rows, line)
            n = len(cells)
            if n > width:
                problems.add(
                    "WK604",
                    f"the row has {n} cells but the header has {width} columns",
                    name,
                    line,
                    width + 1,
                )
                continue
            if n < width:
                cells += pad[n:]
            yield line, cells

    return Header(header, index), data()


def values_of(names: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """The non-empty cells of a row, by column name."""
    return {k: v for k, v in zip(names, cells, strict=False) if v}


# ---------------------------------------------------------------------------------
# Validation, record by record
# ---------------------------------------------------------------------------------


@cache
def adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


def row_locate(rows: dict[str, Row]) -> Locate:
    """A locator over the rows of one record, by JSON pointer (the deepest row known)."""

    def locate(pointer: str, key: bool) -> Where:
        parts = pointer.split("/")
        for n in range(len(parts), 0, -1):
            hit = rows.get("/".join(parts[:n]))
            if hit is None:
                continue
            file, line, header, prefix = hit
            rest = parts[n:]
            col = header.get(prefix + (rest[0] if rest else parts[-1]))
            return file, line, (col + 1) if col is not None else 1
        return None, None, None

    return locate


def single(pointer: str, row: Row) -> Callable[[], dict[str, Row]]:
    """The rows of a record read from one row, for :meth:`Invalid.failed`."""
    return lambda: {pointer: row}


class Invalid:
    """The validation diagnostics of a load, gathered record by record (WK603, WK609)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.items: list[Diagnostic] = []
        self.count = 0

    def check(
        self,
        tp: Any,
        data: Any,
        raw: Any,
        prefix: tuple[str | int, ...],
        rows: Callable[[], dict[str, Row]],
    ) -> Any:
        """``data`` validated as ``tp``, or None (and its diagnostics kept) if invalid."""
        try:
            return adapter(tp).validate_python(data)
        except ValidationError as exc:
            self.failed(tp, exc, data, raw, prefix, rows)
            return None

    def failed(
        self,
        tp: Any,
        error: ValidationError,
        data: Any,
        raw: Any,
        prefix: tuple[str | int, ...],
        rows: Callable[[], dict[str, Row]],
    ) -> None:
        """Keep the diagnostics of a record that failed validation.

        ``data`` is ``raw`` (the cells as written) with some cells read by
        :class:`~workflowkit.insights.csvcells.Cells`; the diagnostics come from
        validating ``raw``, so they quote the cells as written.
        """
        source = data
        if raw is not data:
            try:
                adapter(tp).validate_python(raw)
            except ValidationError as exc:
                error, source = exc, raw
        self.count += error.error_count()
        room = MAX_PROBLEMS - len(self.items)
        if room > 0:
            found = validation_diagnostics(
                source, error, self.name, row_locate(rows()), prefix=prefix
            )
            self.items.extend(found[:room])

    def error(self) -> SnapshotError:
        return SnapshotError(
            tuple(sorted(self.items, key=lambda d: d.sort_key())),
            f"{self.name}: {self.count} invalid value(s)",
        )


@dataclass
class Table:
    """The records read from one export, with the line of each record's first row."""

    file: str
    header: dict[str, int]
    records: list[Any] = field(default_factory=list)
    lines: array[int] = field(default_factory=lambda: array("l"))
    ids: dict[str, int] = field(default_factory=dict)
    """Document id -> index (for files with lines; the caller may drop it)."""

    def row(self, i: int, prefix: str = "") -> Row:
        return self.file, self.lines[i], self.header, prefix
