"""A snapshot from a folder of CSV exports, one file per kind of record.

Columns are the snapshot's field names. Invoices, bills, credit notes, bank
transactions and journals take one row per line, the document's own columns repeated
on each row (as Xero's and QuickBooks' exports do) and the line's columns prefixed
with ``line_``. An empty cell means "not given" (the field's default). Every problem is
located to its file, row and column.

The files are read as streams, record by record (:mod:`workflowkit.insights.csvrows`):
a loaded row costs the memory of its records, not of the text and dictionaries it was
read from.
"""

from __future__ import annotations

import csv
import dataclasses
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workflowkit.collector import collector_paused
from workflowkit.insights.csvcells import Cells, convert, converters
from workflowkit.insights.csvdocs import read_documents, read_records
from workflowkit.insights.csvrows import (
    CsvFile,
    Invalid,
    Problems,
    Row,
    Table,
    read_table,
    row_locate,
    values_of,
)
from workflowkit.insights.errors import SnapshotError
from workflowkit.insights.integrity import check_snapshot
from workflowkit.insights.load import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Where,
    integrity_locator,
    not_a_file,
    too_large,
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

__all__ = ["BY_FILE", "FILES", "CsvFile", "load_snapshot_csv", "save_snapshot_csv"]


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


def _plain(file: str, collection: str, cls: type) -> CsvFile:
    return CsvFile(file, collection, _names(cls), _required(cls), record=cls)


def _with_lines(file: str, collection: str, cls: type, line_cls: type) -> CsvFile:
    skip = ("lines", "allocations")
    return CsvFile(
        file,
        collection,
        _names(cls, skip),
        _required(cls, skip),
        tuple("line_" + n for n in _names(line_cls)),
        tuple("line_" + n for n in _required(line_cls)),
        record=cls,
        line_record=line_cls,
    )


ORGANISATION = CsvFile(
    "organisation.csv",
    "organisation",
    ("as_of", *_names(Organisation)),
    _required(Organisation),
    record=Organisation,
)
ALLOCATIONS = CsvFile(
    "credit_note_allocations.csv",
    "allocations",
    ("credit_note_id", *_names(Allocation)),
    ("credit_note_id", *_required(Allocation)),
    record=Allocation,
)
FILES: tuple[CsvFile, ...] = (
    ORGANISATION,
    _plain("accounts.csv", "accounts", Account),
    _plain("bank_accounts.csv", "bank_accounts", BankAccount),
    _with_lines("bank_transactions.csv", "bank_transactions", BankTransaction, Line),
    _with_lines("invoices.csv", "invoices", Invoice, Line),
    _with_lines("credit_notes.csv", "credit_notes", CreditNote, Line),
    ALLOCATIONS,
    _plain("contacts.csv", "contacts", Contact),
    _with_lines("journals.csv", "journals", Journal, JournalLine),
    _plain("lock_date_history.csv", "lock_date_history", LockDateChange),
    _plain("tax_rates.csv", "tax_rates", TaxRate),
    _plain("fixed_assets.csv", "fixed_assets", FixedAsset),
    _with_lines("repeating_invoices.csv", "repeating_invoices", RepeatingInvoice, Line),
)
BY_FILE = {f.file: f for f in FILES}


class _Where:
    """Where each record came from: its table's line numbers, and the allocation rows."""

    def __init__(self) -> None:
        self.tables: dict[str, Table] = {}
        self.allocations: dict[tuple[int, int], Row] = {}

    def locate(self, pointer: str, key: bool) -> Where:
        parts = pointer.split("/")
        rows: dict[str, Row] = {}
        table = self.tables.get(parts[1]) if len(parts) > 2 else None
        if table is not None and parts[2].isdigit() and int(parts[2]) < len(table.lines):
            i = int(parts[2])
            rows["/".join(parts[:3])] = table.row(i)
            if len(parts) > 4 and parts[3] == "allocations" and parts[4].isdigit():
                hit = self.allocations.get((i, int(parts[4])))
                if hit is not None:
                    rows["/".join(parts[:5])] = hit
        return row_locate(rows)(pointer, key)


def _scan(root: Path, max_bytes: int, problems: Problems) -> dict[str, Path]:
    """The export files of the folder, by name; odd entries and a folder that cannot be
    listed are problems, files too large together an error (WK607)."""
    name = str(root)
    present: dict[str, Path] = {}
    total = 0
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        problems.add("WK601", f"cannot read the folder: {exc.strerror or exc}", name)
        return present
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
    return present


def _raise(problems: Problems, name: str) -> None:
    if problems.items:
        raise SnapshotError.of(
            sorted(problems.items, key=lambda d: d.sort_key()),
            f"{name}: cannot read the CSV exports",
        )


_AS_OF = typing.get_type_hints(LedgerSnapshot, include_extras=True)["as_of"]


def _organisation(
    path: Path, max_bytes: int, problems: Problems, invalid: Invalid, cells: Cells
) -> tuple[Any, Any]:
    """(organisation, as_of) from organisation.csv (None, None where it has problems)."""
    file = str(path)
    header, rows = read_table(path, ORGANISATION, max_bytes, problems)
    index = header.index
    found = [(line, values_of(header.names, row)) for line, row in rows]
    if len(found) != 1:
        problems.add(
            "WK604",
            f"organisation.csv needs exactly one data row, found {len(found)}",
            file,
            2 if found else 1,
            1,
        )
        return None, None
    line, values = found[0]
    as_of_text = values.pop("as_of", None)
    as_of = None
    if as_of_text is not None:
        row: Row = (file, line, index, "")
        as_of = invalid.check(_AS_OF, as_of_text, as_of_text, ("as_of",), _rows_of("/as_of", row))
    organisation = invalid.check(
        Organisation,
        convert(values, converters(Organisation), cells),
        values,
        ("organisation",),
        _rows_of("/organisation", (file, line, index, "")),
    )
    return organisation, as_of


def _rows_of(pointer: str, row: Row) -> Callable[[], dict[str, Row]]:
    return lambda: {pointer: row}


def _allocations(
    path: Path,
    notes: Table,
    max_bytes: int,
    problems: Problems,
    invalid: Invalid,
    cells: Cells,
    where: _Where,
) -> None:
    """Attach the rows of credit_note_allocations.csv to their credit notes."""
    file = str(path)
    found: dict[int, list[Any]] = {}
    how = converters(Allocation)
    columns, rows = read_table(path, ALLOCATIONS, max_bytes, problems)
    header = columns.index
    for line, cells_of_row in rows:
        values = values_of(columns.names, cells_of_row)
        note_id = values.pop("credit_note_id", None)
        i = notes.ids.get(note_id) if note_id is not None else None
        if i is None:
            col = header.get("credit_note_id")
            problems.add(
                "WK606",
                f"no credit note with id {note_id!r} in credit_notes.csv",
                file,
                line,
                (col + 1) if col is not None else 1,
            )
            continue
        allocations = found.setdefault(i, [])
        k = len(allocations)
        row: Row = (file, line, header, "")
        where.allocations[(i, k)] = row
        allocations.append(
            invalid.check(
                Allocation,
                convert(values, how, cells),
                values,
                ("credit_notes", i, "allocations", k),
                _rows_of(f"/credit_notes/{i}/allocations/{k}", row),
            )
        )
    for i, allocations in found.items():
        note = notes.records[i]
        if note is not None and all(a is not None for a in allocations):
            notes.records[i] = dataclasses.replace(note, allocations=tuple(allocations))


def load_snapshot_csv(
    folder: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS
) -> LedgerSnapshot:
    """Load a snapshot from a folder of CSV exports (see ``docs/insights.md``).

    The CSV files together may hold at most ``max_bytes`` bytes and ``max_rows`` data
    rows (WK607); an export that is a directory, FIFO or device is an error (WK608), and
    so is one that cannot be read (WK601).

    The cyclic garbage collector is paused while the records are built: they hold no
    cycles, and at a million records its passes over them would cost a third of the time.
    """
    root = Path(folder)
    name = str(root)
    problems = Problems(max_rows)
    present = _scan(root, max_bytes, problems)
    _raise(problems, name)
    with collector_paused():
        return _load(root, present, max_bytes, problems)


def _load(
    root: Path, present: dict[str, Path], max_bytes: int, problems: Problems
) -> LedgerSnapshot:
    """The snapshot of the export files ``present`` in ``root`` (already scanned)."""
    name = str(root)

    invalid = Invalid(name)
    cells = Cells()
    where = _Where()
    organisation: Any = None
    as_of: Any = None
    for spec in FILES:
        if spec.file not in present or spec is ALLOCATIONS:
            continue
        path = root / spec.file
        if spec is ORGANISATION:
            organisation, as_of = _organisation(path, max_bytes, problems, invalid, cells)
        elif spec.line_columns:
            table = read_documents(path, spec, max_bytes, problems, invalid, cells)
            if spec.collection != "credit_notes":
                table.ids = {}
            where.tables[spec.collection] = table
        else:
            where.tables[spec.collection] = read_records(
                path, spec, max_bytes, problems, invalid, cells
            )
    if ALLOCATIONS.file in present:
        notes = where.tables.get("credit_notes") or Table(str(root / "credit_notes.csv"), {})
        _allocations(root / ALLOCATIONS.file, notes, max_bytes, problems, invalid, cells, where)
    _raise(problems, name)
    if invalid.count:
        raise invalid.error()
    snapshot = LedgerSnapshot(
        organisation=organisation,
        as_of=as_of,
        **{coll: tuple(table.records) for coll, table in where.tables.items()},
    )
    check_snapshot(snapshot, name=name, locate=integrity_locator(name, where.locate))
    return snapshot


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
