"""Loading snapshots: JSON and CSV, exact money, located errors for every WK6xx code."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest
from insights_ledgers import AS_OF, acme, clean

from workflowkit.errors import DocumentError
from workflowkit.insights import (
    Contact,
    LedgerSnapshot,
    SnapshotError,
    load_snapshot,
    parse_snapshot_json,
    read_source,
    save_snapshot,
    snapshot_from_data,
    snapshot_to_data,
)
from workflowkit.insights.csvload import load_snapshot_csv, save_snapshot_csv

DATA = Path(__file__).parent / "data"


def codes(exc: SnapshotError) -> list[str]:
    return [d.code for d in exc.diagnostics]


def test_example_files_are_the_hand_made_ledgers() -> None:
    assert load_snapshot(DATA / "acme.json") == acme()
    assert load_snapshot(DATA / "acme-csv") == acme()
    assert load_snapshot(DATA / "clean.json") == clean()


@pytest.mark.parametrize("make", [acme, clean])
def test_json_and_csv_round_trip_exactly(make: object, tmp_path: Path) -> None:
    snap: LedgerSnapshot = make()  # type: ignore[operator]
    save_snapshot(snap, tmp_path / "s.json")
    assert load_snapshot(tmp_path / "s.json") == snap
    save_snapshot_csv(snap, tmp_path / "csv")
    assert load_snapshot_csv(tmp_path / "csv") == snap
    assert snapshot_from_data(json.loads(json.dumps(snapshot_to_data(snap)))) == snap


def test_money_is_exact_and_floats_are_refused() -> None:
    text = (
        '{"organisation": {"name": "A"}, "contacts": [{"id": "c", "name": "C"}],'
        ' "invoices": [{"id": "i", "kind": "invoice", "contact_id": "c",'
        ' "date": "2024-01-01", "total": 0.1, "lines": [{"amount": "0.10"}]}]}'
    )
    snap = parse_snapshot_json(text)
    assert snap.invoices[0].total == Decimal("0.1") and isinstance(snap.invoices[0].total, Decimal)
    with pytest.raises(SnapshotError) as err:
        snapshot_from_data(
            {
                "organisation": {"name": "A"},
                "bank_accounts": [{"id": "b", "name": "B", "ledger_balance": 0.1}],
            }
        )
    assert "not a float" in str(err.value)


def test_a_snapshot_error_is_a_document_error_with_every_problem() -> None:
    text = json.dumps(
        {
            "organisation": {"name": "A", "base_currency": "pounds"},
            "contacts": [{"id": "c", "name": "C", "tpye": "customer"}],
            "invoices": [
                {
                    "id": "i",
                    "kind": "invoice",
                    "contact_id": "c",
                    "date": "2024-02-30",
                    "total": "10",
                }
            ],
        },
        indent=1,
    )
    with pytest.raises(DocumentError) as err:
        parse_snapshot_json(text, name="bad.json")
    diags = err.value.diagnostics
    assert {d.code for d in diags} == {"WK603"}
    by_pointer = {d.pointer: d for d in diags}
    assert set(by_pointer) == {
        "/organisation/base_currency",
        "/contacts/0/tpye",
        "/invoices/0/date",
    }
    assert "ISO 4217" in by_pointer["/organisation/base_currency"].message
    assert "unknown field 'tpye'" in by_pointer["/contacts/0/tpye"].message
    assert by_pointer["/contacts/0/tpye"].hint == "did you mean 'type'?"
    date = by_pointer["/invoices/0/date"]
    lines = text.splitlines()
    assert lines[date.line - 1][date.col - 1 :].startswith('"2024-02-30"')  # type: ignore[operator]
    assert all(d.file == "bad.json" for d in diags)


def test_missing_required_field_is_located() -> None:
    with pytest.raises(SnapshotError) as err:
        parse_snapshot_json('{"organisation": {"name": "A"},\n "contacts": [{"id": "c"}]}')
    (d,) = err.value.diagnostics
    assert (d.code, d.line, d.pointer) == ("WK603", 2, "/contacts/0")
    assert "missing required field 'name'" in d.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            '{"organisation": {"name": "A"},\n "contacts": [\n  {"id": "c"}\n  {"id": "d"}]}',
            "delimiter",
        ),
        ('{"organisation": {"name": "A"}, "organisation": {"name": "B"}}', "duplicate key"),
        ('{"organisation": {"name": "A"}, "as_of": NaN}', "NaN"),
        ("", "Expecting value"),
    ],
)
def test_json_syntax_errors(text: str, fragment: str) -> None:
    with pytest.raises(SnapshotError) as err:
        parse_snapshot_json(text, name="x.json")
    assert codes(err.value) == ["WK602"]
    assert fragment in err.value.diagnostics[0].message
    assert err.value.diagnostics[0].line is not None


def test_not_an_object_and_unknown_format() -> None:
    with pytest.raises(SnapshotError) as err:
        parse_snapshot_json("[1, 2]")
    assert codes(err.value) == ["WK603"]
    with pytest.raises(SnapshotError) as err:
        parse_snapshot_json('{"format": "xero/v9", "organisation": {"name": "A"}}')
    assert "unknown snapshot format" in str(err.value)


def test_duplicate_ids_and_dangling_references_are_located() -> None:
    text = (
        '{"organisation": {"name": "A"},\n'
        ' "contacts": [{"id": "c1", "name": "A"}, {"id": "c1", "name": "B"}],\n'
        ' "bank_accounts": [{"id": "b", "name": "Current"}],\n'
        ' "bank_transactions": [{"id": "t", "bank_account_id": "nope", "kind": "spend",'
        ' "date": "2024-01-01", "total": "1", "contact_id": "ghost"}],\n'
        ' "invoices": [{"id": "i1", "kind": "bill", "contact_id": "c9",'
        ' "date": "2024-01-02", "total": "10.00"}],\n'
        ' "credit_notes": [{"id": "n", "kind": "purchases", "contact_id": "c1",'
        ' "date": "2024-01-03", "total": "1", "allocations": [{"document_id": "i2",'
        ' "amount": "1"}]}]}'
    )
    with pytest.raises(SnapshotError) as err:
        parse_snapshot_json(text, name="s.json")
    got = {(d.code, d.pointer, d.line) for d in err.value.diagnostics}
    assert got == {
        ("WK605", "/contacts/1/id", 2),
        ("WK606", "/bank_transactions/0/bank_account_id", 4),
        ("WK606", "/bank_transactions/0/contact_id", 4),
        ("WK606", "/invoices/0/contact_id", 5),
        ("WK606", "/credit_notes/0/allocations/0/document_id", 6),
    }


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "missing.json")
    assert codes(err.value) == ["WK601"]
    (tmp_path / "ledger.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "ledger.xlsx")
    assert "a .json file or a folder" in str(err.value)
    (tmp_path / "latin.json").write_bytes(b'{"organisation": {"name": "Caf\xe9"}}')
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "latin.json")
    assert codes(err.value) == ["WK601"] and err.value.diagnostics[0].col == 31
    shutil.copy(DATA / "acme.json", tmp_path / "big.json")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(tmp_path / "big.json", max_bytes=1000)
    assert "the limit is 1,000" in str(err.value)


def _csv_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


ORG = "name,source,as_of\nAcme,xero,2024-06-30\n"


def test_csv_documents_take_one_row_per_line(tmp_path: Path) -> None:
    folder = _csv_folder(
        tmp_path,
        {
            "organisation.csv": ORG,
            "contacts.csv": "id,name,type\nc1,Fine Foods Ltd,supplier\n",
            "invoices.csv": (
                "id,kind,contact_id,date,total,line_amount,line_account_code,line_tax_code\n"
                "b1,bill,c1,2024-06-01,120.00,60.00,429,INPUT2\n"
                "b1,bill,c1,2024-06-01,120.00,40.00,453,INPUT2\n"
                "b2,bill,c1,2024-06-02,5.00,,,\n"
            ),
        },
    )
    snap = load_snapshot(folder)
    assert snap.as_of == AS_OF
    b1, b2 = snap.invoices
    assert [(line.amount, line.account_code) for line in b1.lines] == [
        (Decimal("60.00"), "429"),
        (Decimal("40.00"), "453"),
    ]
    assert b2.lines == () and b2.total == Decimal("5.00")
    assert snap.contacts == (Contact(id="c1", name="Fine Foods Ltd", type="supplier"),)


def test_csv_problems_are_located_to_file_row_and_column(tmp_path: Path) -> None:
    folder = _csv_folder(
        tmp_path,
        {
            "organisation.csv": ORG,
            "contacts.csv": "id,name\nc1,A\n",
            "invoices.csv": (
                "id,kind,contact_id,date,total,line_amount\n"
                "b1,bill,c1,2024-06-01,120.00,60\n"
                "b1,bill,c1,2024-06-02,120.00,x\n"
            ),
        },
    )
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    (d,) = err.value.diagnostics
    assert (d.code, Path(d.file or "").name, d.line, d.col) == ("WK604", "invoices.csv", 3, 4)
    assert "must agree" in d.message
    (folder / "invoices.csv").write_text(
        "id,kind,contact_id,date,total,line_amount\nb1,bill,c1,2024-06-01,120.00,sixty\n",
        encoding="utf-8",
    )
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    (d,) = err.value.diagnostics
    assert (d.code, Path(d.file or "").name, d.line, d.col) == ("WK603", "invoices.csv", 2, 6)
    assert d.pointer == "/invoices/0/lines/0/amount"


def test_csv_folder_problems(tmp_path: Path) -> None:
    folder = _csv_folder(
        tmp_path,
        {
            "contact.csv": "id,name\nc1,A\n",
            "invoices.csv": "id,kind,contact_id,date,totl\n",
        },
    )
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    messages = [d.message for d in err.value.diagnostics]
    assert set(codes(err.value)) == {"WK604"}
    assert any("unknown export file 'contact.csv'" in m for m in messages)
    assert any("missing organisation.csv" in m for m in messages)
    hints = [d.hint for d in err.value.diagnostics]
    assert any(h and "contacts.csv" in h for h in hints)
    (folder / "contact.csv").unlink()
    (folder / "organisation.csv").write_text(ORG, encoding="utf-8")
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    assert [(d.code, d.line, d.col) for d in err.value.diagnostics] == [
        ("WK604", 1, 1),
        ("WK604", 1, 5),
    ]
    assert err.value.diagnostics[1].hint == "did you mean 'total'?"


def test_csv_syntax_error_and_allocation_to_unknown_note(tmp_path: Path) -> None:
    folder = _csv_folder(
        tmp_path,
        {
            "organisation.csv": ORG,
            "contacts.csv": 'id,name\nc1,"Unclosed\n',
        },
    )
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    assert codes(err.value) == ["WK602"]
    (folder / "contacts.csv").write_text("id,name\nc1,A\n", encoding="utf-8")
    (folder / "credit_note_allocations.csv").write_text(
        "credit_note_id,document_id,amount\nn9,b1,5\n", encoding="utf-8"
    )
    with pytest.raises(SnapshotError) as err:
        load_snapshot(folder)
    (d,) = err.value.diagnostics
    assert (d.code, d.line, d.col) == ("WK606", 2, 1)


class FakeXero:
    """A LedgerSource over a snapshot, as a live client would be."""

    def __init__(self, snap: LedgerSnapshot) -> None:
        self.snap = snap

    def organisation(self):  # type: ignore[no-untyped-def]
        return self.snap.organisation

    def accounts(self) -> Iterable[object]:
        return iter(self.snap.accounts)

    def bank_accounts(self, *, as_of: dt.date) -> Iterable[object]:
        return list(self.snap.bank_accounts)

    def bank_transactions(self) -> Iterable[object]:
        return (t for t in self.snap.bank_transactions)

    def invoices(self) -> Iterable[object]:
        return self.snap.invoices

    def credit_notes(self) -> Iterable[object]:
        return self.snap.credit_notes

    def contacts(self) -> Iterable[object]:
        return self.snap.contacts

    def journals(self) -> Iterable[object]:
        return self.snap.journals

    def lock_date_history(self) -> Iterable[object]:
        return self.snap.lock_date_history

    def tax_rates(self) -> Iterable[object]:
        return self.snap.tax_rates


def test_a_ledger_source_builds_a_checked_snapshot() -> None:
    source = FakeXero(acme())
    assert read_source(source, as_of=AS_OF) == acme()  # type: ignore[arg-type]
    broken = FakeXero(acme())
    broken.snap = LedgerSnapshot(
        organisation=acme().organisation, invoices=acme().invoices, contacts=()
    )
    with pytest.raises(SnapshotError) as err:
        read_source(broken, as_of=AS_OF)  # type: ignore[arg-type]
    assert set(codes(err.value)) == {"WK606"}
    assert "FakeXero" in str(err.value)
