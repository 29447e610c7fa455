"""A snapshot from a folder of CSV exports, one file per kind of record.

Columns are the snapshot's field names. Invoices, bills, credit notes, bank
transactions and journals take one row per line, the document's own columns repeated
on each row (as Xero's and QuickBooks' exports do) and the line's columns prefixed
with ``line_``. An empty cell means "not given" (the field's default). Every problem is
located to its file, row and column.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflowkit.errors import Diagnostic
from workflowkit.insights.errors import SnapshotError
from workflowkit.insights.load import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Where,
    _read_text,
    not_a_file,
    snapshot_from_data,
    too_large,
    too_many_rows,
)
from workflowkit.insights.snapshot import (
    Account,
    Allocation,
    BankAccount,
    BankTransaction,
    Contact,
    CreditNote,
    FixedAsset,
    Invoice,
    Journal,
    JournalLine,
    LedgerSnapshot,
    Line,
    LockDateChange,
    Organisation,
    RepeatingInvoice,
    TaxRate,
)
from workflowkit.source.models import did_you_mean


def _names(cls: type, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in skip)


def _required(cls: type, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in dataclasses.fields(cls)
        if f.name not in skip
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    )


@dataclass(frozen=True, slots=True)
class CsvFile:
    """One export file: the collection it fills, its columns and its line columns."""

    file: str
    collection: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    line_columns: tuple[str, ...] = ()
    required_line: tuple[str, ...] = ()


def _with_lines(file: str, collection: str, cls: type, line_cls: type) -> CsvFile:
    skip = ("lines", "allocations")
    return CsvFile(
        file,
        collection,
        _names(cls, skip),
        _required(cls, skip),
        tuple("line_" + n for n in _names(line_cls)),
        tuple("line_" + n for n in _required(line_cls)),
    )


ORGANISATION = CsvFile(
    "organisation.csv",
    "organisation",
    ("as_of", *_names(Organisation)),
    _required(Organisation),
)
ALLOCATIONS = CsvFile(
    "credit_note_allocations.csv",
    "allocations",
    ("credit_note_id", *_names(Allocation)),
    ("credit_note_id", *_required(Allocation)),
)
FILES: tuple[CsvFile, ...] = (
    ORGANISATION,
    CsvFile("accounts.csv", "accounts", _names(Account), _required(Account)),
    CsvFile("bank_accounts.csv", "bank_accounts", _names(BankAccount), _required(BankAccount)),
    _with_lines("bank_transactions.csv", "bank_transactions", BankTransaction, Line),
    _with_lines("invoices.csv", "invoices", Invoice, Line),
    _with_lines("credit_notes.csv", "credit_notes", CreditNote, Line),
    ALLOCATIONS,
    CsvFile("contacts.csv", "contacts", _names(Contact), _required(Contact)),
    _with_lines("journals.csv", "journals", Journal, JournalLine),
    CsvFile(
        "lock_date_history.csv",
        "lock_date_history",
        _names(LockDateChange),
        _required(LockDateChange),
    ),
    CsvFile("tax_rates.csv", "tax_rates", _names(TaxRate), _required(TaxRate)),
    CsvFile("fixed_assets.csv", "fixed_assets", _names(FixedAsset), _required(FixedAsset)),
    _with_lines("repeating_invoices.csv", "repeating_invoices", RepeatingInvoice, Line),
)
BY_FILE = {f.file: f for f in FILES}


@dataclass
class _Located:
    """Where the records of the data came from, by JSON pointer."""

    rows: dict[str, tuple[str, int, dict[str, int], str]] = field(default_factory=dict)

    def add(self, pointer: str, file: str, line: int, header: dict[str, int], prefix: str) -> None:
        self.rows[pointer] = (file, line, header, prefix)

    def locate(self, pointer: str, key: bool) -> Where:
        parts = pointer.split("/")
        for n in range(len(parts), 0, -1):
            base = "/".join(parts[:n])
            hit = self.rows.get(base)
            if hit is None:
                continue
            file, line, header, prefix = hit
            rest = parts[n:]
            col = header.get(prefix + (rest[0] if rest else parts[-1]))
            return file, line, (col + 1) if col is not None else 1
        return None, None, None


class _Problems:
    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self.items: list[Diagnostic] = []
        self.max_rows = max_rows
        self.rows = 0

    def count_row(self, file: str, line: int) -> None:
        """Count one data row; past ``max_rows``, stop reading (WK607)."""
        self.rows += 1
        if self.rows > self.max_rows:
            raise too_many_rows(file, self.rows, self.max_rows, line)

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


def _rows(path: Path, max_bytes: int, problems: _Problems) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row of a CSV file, the header first."""
    text = _read_text(path, max_bytes)
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add("WK602", f"CSV syntax error: {exc}", str(path), reader.line_num or 1, 1)


def _read_file(
    folder: Path, spec: CsvFile, max_bytes: int, problems: _Problems
) -> list[tuple[int, dict[str, str], dict[str, int]]]:
    """Rows of one export as (line, non-empty cells by column, header index)."""
    path = folder / spec.file
    name = str(path)
    rows = _rows(path, max_bytes, problems)
    first = next(rows, None)
    if first is None:
        problems.add("WK604", "the file is empty: it needs at least a header row", name, 1, 1)
        return []
    _, header = first
    header = [h.strip() for h in header]
    index: dict[str, int] = {}
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
    out: list[tuple[int, dict[str, str], dict[str, int]]] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        problems.count_row(name, line)
        if len(cells) > len(header):
            problems.add(
                "WK604",
                f"the row has {len(cells)} cells but the header has {len(header)} columns",
                name,
                line,
                len(header) + 1,
            )
            continue
        values = {header[i]: c.strip() for i, c in enumerate(cells) if c.strip()}
        out.append((line, values, index))
    return out


def _split(values: dict[str, str], spec: CsvFile) -> tuple[dict[str, str], dict[str, str]]:
    own = {k: v for k, v in values.items() if not k.startswith("line_")}
    line = {k[5:]: v for k, v in values.items() if k.startswith("line_")}
    return own, line


def load_snapshot_csv(
    folder: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS
) -> LedgerSnapshot:
    """Load a snapshot from a folder of CSV exports (see ``docs/insights.md``).

    The CSV files together may hold at most ``max_bytes`` bytes and ``max_rows`` data
    rows (WK607); an export that is a directory, FIFO or device is an error (WK608).
    """
    root = Path(folder)
    name = str(root)
    problems = _Problems(max_rows)
    where = _Located()
    present: dict[str, Path] = {}
    total = 0
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        problems.add("WK601", f"cannot read the folder: {exc.strerror or exc}", name)
        entries = []
    for entry in entries:
        if entry.suffix.lower() != ".csv" and entry.name not in BY_FILE:
            continue
        try:
            info = entry.stat()
        except OSError as exc:
            problems.add("WK601", f"cannot read: {exc.strerror or exc}", str(entry))
            continue
        kind = not_a_file(info.st_mode)
        if kind is not None:
            problems.add(
                "WK608",
                f"{kind}, not a file",
                str(entry),
                hint=f"{entry.name} must be a CSV file; remove or replace it",
            )
            continue
        total += info.st_size
        present[entry.name] = entry
    if total > max_bytes:
        raise too_large(name, total, max_bytes, "the CSV files together")
    for file in sorted(present):
        if file not in BY_FILE:
            problems.add(
                "WK604",
                f"unknown export file {file!r}",
                str(root / file),
                hint=did_you_mean(file, list(BY_FILE)) or "files: " + ", ".join(BY_FILE),
            )
    if ORGANISATION.file not in present:
        problems.add(
            "WK604",
            f"missing {ORGANISATION.file}: a snapshot needs the organisation's name",
            name,
            hint="add organisation.csv with a header row (name,source,...) and one data row",
        )
    if problems.items:
        raise SnapshotError.of(
            sorted(problems.items, key=lambda d: d.sort_key()),
            f"{name}: cannot read the CSV exports",
        )

    data: dict[str, Any] = {}
    for spec in FILES:
        if spec.file not in present or spec is ALLOCATIONS:
            continue
        file = str(root / spec.file)
        rows = _read_file(root, spec, max_bytes, problems)
        if spec is ORGANISATION:
            if len(rows) != 1:
                problems.add(
                    "WK604",
                    f"organisation.csv needs exactly one data row, found {len(rows)}",
                    file,
                    2 if rows else 1,
                    1,
                )
                continue
            line, values, index = rows[0]
            as_of = values.pop("as_of", None)
            if as_of is not None:
                data["as_of"] = as_of
                where.add("/as_of", file, line, index, "")
            data["organisation"] = values
            where.add("/organisation", file, line, index, "")
            continue
        if not spec.line_columns:
            records: list[dict[str, Any]] = []
            for line, values, index in rows:
                where.add(f"/{spec.collection}/{len(records)}", file, line, index, "")
                records.append(values)
            data[spec.collection] = records
            continue
        docs: list[dict[str, Any]] = []
        at: dict[str, int] = {}
        for line, values, index in rows:
            own, line_values = _split(values, spec)
            rid = own.get("id")
            if rid is None:
                col = index.get("id")
                problems.add(
                    "WK603",
                    "missing id: every row needs the document's id",
                    file,
                    line,
                    (col + 1) if col is not None else 1,
                )
                continue
            if rid in at:
                i = at[rid]
                doc = docs[i]
                for k, v in own.items():
                    if doc.get(k) != v:
                        col = index[k]
                        problems.add(
                            "WK604",
                            f"{k} is {v!r} here but {doc.get(k)!r} on an earlier row of "
                            f"{rid!r}: the rows of one document must agree",
                            file,
                            line,
                            col + 1,
                        )
            else:
                i = at[rid] = len(docs)
                doc = {**own, "lines": []}
                docs.append(doc)
                where.add(f"/{spec.collection}/{i}", file, line, index, "")
            if line_values:
                n_line = len(doc["lines"])
                where.add(f"/{spec.collection}/{i}/lines/{n_line}", file, line, index, "line_")
                doc["lines"].append(line_values)
        data[spec.collection] = docs

    if ALLOCATIONS.file in present:
        file = str(root / ALLOCATIONS.file)
        notes = {d["id"]: i for i, d in enumerate(data.get("credit_notes", []))}
        for line, values, index in _read_file(root, ALLOCATIONS, max_bytes, problems):
            note_id = values.pop("credit_note_id", None)
            if note_id is None or note_id not in notes:
                col = index.get("credit_note_id")
                problems.add(
                    "WK606",
                    f"no credit note with id {note_id!r} in credit_notes.csv",
                    file,
                    line,
                    (col + 1) if col is not None else 1,
                )
                continue
            i = notes[note_id]
            allocations = data["credit_notes"][i].setdefault("allocations", [])
            where.add(f"/credit_notes/{i}/allocations/{len(allocations)}", file, line, index, "")
            allocations.append(values)

    if problems.items:
        raise SnapshotError.of(
            sorted(problems.items, key=lambda d: d.sort_key()),
            f"{name}: cannot read the CSV exports",
        )
    return snapshot_from_data(data, name=name, locate=where.locate)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def save_snapshot_csv(snapshot: LedgerSnapshot, folder: str | Path) -> list[Path]:
    """Write ``snapshot`` as a folder of CSV exports that :func:`load_snapshot_csv` reads.

    Only the files of non-empty collections are written (organisation.csv always).
    Returns the files written.
    """
    from workflowkit.insights.load import snapshot_to_data

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    data = snapshot_to_data(snapshot, compact=False)
    written: list[Path] = []

    def write(spec: CsvFile, rows: list[dict[str, Any]]) -> None:
        path = root / spec.file
        columns = [*spec.columns, *spec.line_columns]
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(columns)
            for row in rows:
                out.writerow([_cell(row.get(c)) for c in columns])
        written.append(path)

    write(ORGANISATION, [{**data["organisation"], "as_of": data.get("as_of")}])
    allocations: list[dict[str, Any]] = []
    for spec in FILES:
        if spec is ORGANISATION or spec is ALLOCATIONS:
            continue
        records = data.get(spec.collection) or []
        if not records:
            continue
        rows: list[dict[str, Any]] = []
        for record in records:
            own = {k: v for k, v in record.items() if k not in ("lines", "allocations")}
            for a in record.get("allocations") or []:
                allocations.append({"credit_note_id": record["id"], **a})
            lines = record.get("lines") or []
            if not spec.line_columns or not lines:
                rows.append(own)
            for line in lines if spec.line_columns else []:
                rows.append({**own, **{"line_" + k: v for k, v in line.items()}})
        write(spec, rows)
    if allocations:
        write(ALLOCATIONS, allocations)
    return written
