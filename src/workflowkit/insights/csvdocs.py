"""The records of one CSV export, read row by row and validated record by record.

Files without lines (accounts, contacts...) give a record per row. Files with lines
(invoices, journals...) give a document per id: a document is validated once its last
consecutive row is read, and only the record is kept. A row of a document met earlier is
still accepted (its line is appended) and checked against the document's first row,
which is read again from the file only when the row's cells differ from it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import replace
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workflowkit.insights.csvcells import Cells, converters, parsed, readers
from workflowkit.insights.csvrows import (
    CsvFile,
    Header,
    Invalid,
    Problems,
    Table,
    adapter,
    read_table,
    single,
    values_of,
)


def read_records(
    path: Path,
    spec: CsvFile,
    max_bytes: int,
    problems: Problems,
    invalid: Invalid,
    cells: Cells,
) -> Table:
    """The records of an export without lines (accounts, contacts...), one per row."""
    header, rows = read_table(path, spec, max_bytes, problems)
    table = Table(str(path), header.index)
    cls = spec.record
    names = header.names
    read = readers(cells, names, converters(cls))
    validate = adapter(cls).validate_python
    records = table.records
    for line, row in rows:
        i = len(records)
        table.lines.append(line)
        data = parsed(names, read, row)
        try:
            records.append(validate(data))
        except ValidationError as exc:
            records.append(None)
            invalid.failed(
                cls,
                exc,
                data,
                values_of(names, row),
                (spec.collection, i),
                single(f"/{spec.collection}/{i}", table.row(i)),
            )
    return table


def _getter(positions: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The cells at ``positions`` of a row, as a tuple (``itemgetter``, in C)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    if positions:
        only = positions[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


def _disagree(
    own: dict[str, str],
    first: dict[str, str],
    rid: str,
    file: str,
    line: int,
    header: dict[str, int],
    problems: Problems,
) -> None:
    for k, v in own.items():
        if first.get(k) != v:
            problems.add(
                "WK604",
                f"{k} is {v!r} here but {first.get(k)!r} on an earlier row of "
                f"{rid!r}: the rows of one document must agree",
                file,
                line,
                header[k] + 1,
            )


class _Columns:
    """Which cells of a row are the document's own, and which its line's."""

    def __init__(self, header: Header, spec: CsvFile, cells: Cells) -> None:
        assert spec.line_record is not None, spec.file
        own = [i for i, n in enumerate(header.names) if not n.startswith("line_")]
        line = [i for i, n in enumerate(header.names) if n.startswith("line_")]
        self.own_names = [header.names[i] for i in own]
        self.line_names = [header.names[i][5:] for i in line]
        self.own = _getter(own)
        self.line = _getter(line)
        self.own_read = readers(cells, self.own_names, converters(spec.record))
        self.line_read = readers(cells, self.line_names, converters(spec.line_record))
        self.id_at = header.index.get("id")
        if len(set(header.names)) != len(header.names):  # a problem already: read as dicts do
            self.id_at = None
        self.names = header.names

    def id(self, row: list[str]) -> str:
        """The document id of a row ("" if none): with a column named twice, the last
        non-empty one, as a row read into a dictionary gives."""
        if self.id_at is not None:
            return row[self.id_at]
        return values_of(self.names, row).get("id", "")


def read_documents(
    path: Path,
    spec: CsvFile,
    max_bytes: int,
    problems: Problems,
    invalid: Invalid,
    cells: Cells,
) -> Table:
    """The documents of an export with one row per line (invoices, journals...).

    A document is validated when its last consecutive row has been read. Rows of a
    document met earlier are appended to it; they must agree with its first row (which
    is read again, from the file, only when a row's cells differ from it).
    """
    header, rows = read_table(path, spec, max_bytes, problems)
    file = str(path)
    table = Table(file, header.index)
    cls, line_cls = spec.record, spec.line_record
    coll = spec.collection
    cols = _Columns(header, spec, cells)
    own_names, line_names, own_read, line_read = (
        cols.own_names,
        cols.line_names,
        cols.own_read,
        cols.line_read,
    )
    validate = adapter(cls).validate_python
    at = table.ids
    records = table.records
    own_hash: array[int] = array("q")
    n_lines: array[int] = array("l")
    extra: dict[int, list[Any]] = {}
    recheck: list[tuple[str, int, dict[str, str]]] = []
    # the document being read: its index, id, own cells, and its lines' cells and rows
    cur = -1
    cur_id: str | None = None
    cur_own: tuple[str, ...] = ()
    cur_lines: list[tuple[str, ...]] = []
    cur_rows: list[int] = []

    def close() -> None:
        data = parsed(own_names, own_read, cur_own)
        data["lines"] = [parsed(line_names, line_read, t) for t in cur_lines]
        n_lines[cur] = len(cur_lines)
        try:
            records[cur] = validate(data)
        except ValidationError as exc:
            raw: dict[str, Any] = values_of(own_names, cur_own)
            raw["lines"] = [values_of(line_names, t) for t in cur_lines]
            rows_of = {f"/{coll}/{cur}": table.row(cur)}
            for k, n in enumerate(cur_rows):
                rows_of[f"/{coll}/{cur}/lines/{k}"] = (file, n, header.index, "line_")
            invalid.failed(cls, exc, data, raw, (coll, cur), lambda: rows_of)

    for line, row in rows:
        rid = cols.id(row)
        if not rid:
            col = header.index.get("id")
            problems.add(
                "WK603",
                "missing id: every row needs the document's id",
                file,
                line,
                (col + 1) if col is not None else 1,
            )
            continue
        own = cols.own(row)
        line_cells = cols.line(row)
        if rid == cur_id:
            if own != cur_own:
                _disagree(
                    values_of(own_names, own),
                    values_of(own_names, cur_own),
                    rid,
                    file,
                    line,
                    header.index,
                    problems,
                )
            if any(line_cells):
                cur_lines.append(line_cells)
                cur_rows.append(line)
            continue
        i = at.get(rid)
        if i is not None:  # a row of a document met earlier
            if hash(own) != own_hash[i]:
                recheck.append((rid, line, values_of(own_names, own)))
            if any(line_cells):
                k = n_lines[i]
                n_lines[i] = k + 1
                extra.setdefault(i, []).append(
                    invalid.check(
                        line_cls,
                        parsed(line_names, line_read, line_cells),
                        values_of(line_names, line_cells),
                        (coll, i, "lines", k),
                        single(f"/{coll}/{i}/lines/{k}", (file, line, header.index, "line_")),
                    )
                )
            continue
        if cur_id is not None:
            close()
        cur = at[rid] = len(records)
        records.append(None)
        table.lines.append(line)
        own_hash.append(hash(own))
        n_lines.append(0)
        cur_id, cur_own = rid, own
        cur_lines, cur_rows = [], []
        if any(line_cells):
            cur_lines.append(line_cells)
            cur_rows.append(line)
    if cur_id is not None:
        close()
    if recheck:
        _check_agreement(path, spec, max_bytes, recheck, header.index, problems)
    for i, more in extra.items():
        record = records[i]
        if record is not None and all(m is not None for m in more):
            records[i] = replace(record, lines=(*record.lines, *more))
    return table


def _check_agreement(
    path: Path,
    spec: CsvFile,
    max_bytes: int,
    recheck: list[tuple[str, int, dict[str, str]]],
    index: dict[str, int],
    problems: Problems,
) -> None:
    """Compare later rows with their document's first row, read again from the file."""
    wanted = {rid for rid, _, _ in recheck}
    first: dict[str, dict[str, str]] = {}
    scratch = Problems(max_rows=1 << 62)
    header, rows = read_table(path, spec, max_bytes, scratch)
    own_names = [n for n in header.names if not n.startswith("line_")]
    own_of = _getter([i for i, n in enumerate(header.names) if not n.startswith("line_")])
    for _, row in rows:
        own = values_of(own_names, own_of(row))
        rid = own.get("id", "")
        if rid in wanted and rid not in first:
            first[rid] = own
    for rid, line, own in recheck:
        _disagree(own, first[rid], rid, str(path), line, index, problems)
