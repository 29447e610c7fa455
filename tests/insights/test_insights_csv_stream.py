"""Issue 18, snapshot memory: the CSV loader reads record by record and shares cells.

What it must keep from the loader that read whole files into dictionaries: the same
snapshot, the same located diagnostics (quoting cells as written), rows of a document
accepted wherever they are in the file.
"""

from __future__ import annotations

import csv
import gc
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from insights_ledgers import acme

from workflowkit.insights import SnapshotError
from workflowkit.insights.csvload import load_snapshot_csv, save_snapshot_csv

DATA = Path(__file__).resolve().parent / "data"
ORG = "name,source,as_of\nAcme,xero,2024-06-30\n"
CONTACTS = "id,name\nc1,A\nc2,B\n"
HEAD = "id,kind,contact_id,date,total,line_amount,line_account_code\n"


def folder_with(tmp_path: Path, invoices: str, name: str = "exports") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "organisation.csv").write_text(ORG, encoding="utf-8")
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (folder / "invoices.csv").write_text(HEAD + invoices, encoding="utf-8")
    return folder


def diagnostics(folder: Path) -> list[tuple[str, str, int | None, int | None, str]]:
    with pytest.raises(SnapshotError) as err:
        load_snapshot_csv(folder)
    return [
        (d.code, Path(d.file or "").name, d.line, d.col, d.message) for d in err.value.diagnostics
    ]


def test_rows_of_a_document_need_not_follow_each_other(tmp_path: Path) -> None:
    together = folder_with(
        tmp_path,
        "i1,bill,c1,2024-06-01,30.00,10.00,429\n"
        "i1,bill,c1,2024-06-01,30.00,20.00,430\n"
        "i2,bill,c2,2024-06-02,5.00,5.00,429\n",
        "together",
    )
    apart = folder_with(
        tmp_path,
        "i1,bill,c1,2024-06-01,30.00,10.00,429\n"
        "i2,bill,c2,2024-06-02,5.00,5.00,429\n"
        "i1,bill,c1,2024-06-01,30.00,20.00,430\n",
        "apart",
    )
    a, b = load_snapshot_csv(together), load_snapshot_csv(apart)
    assert a == b
    assert [d.id for d in b.invoices] == ["i1", "i2"]
    assert [line.account_code for line in b.invoices[0].lines] == ["429", "430"]


def test_a_later_row_that_disagrees_names_the_earlier_value(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "i1,bill,c1,2024-06-01,30.00,10.00,429\n"
        "i2,bill,c2,2024-06-02,5.00,5.00,429\n"
        "i1,bill,c1,2024-06-03,30.00,20.00,430\n"
        "i1,bill,c1,,,1.00,431\n",  # empty cells repeat nothing: they agree
    )
    assert diagnostics(folder) == [
        (
            "WK604",
            "invoices.csv",
            4,
            4,
            "date is '2024-06-03' here but '2024-06-01' on an earlier row of 'i1': "
            "the rows of one document must agree",
        )
    ]


def test_diagnostics_quote_cells_as_written_and_locate_lines(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "i1,bill,c1,2024-02-30,-1,10.00,429\n"
        "i1,bill,c1,2024-02-30,-1,1e999999,429\n"
        "i2,bill,c2,2024-06-02,5.00,5.00,429\n"
        "i1,bill,c1,2024-02-30,-1,x,431\n",
    )
    found = diagnostics(folder)
    assert [(code, line, col) for code, _, line, col, _ in found] == [
        ("WK603", 2, 4),
        ("WK603", 2, 5),
        ("WK603", 3, 6),
        ("WK603", 5, 6),
    ]
    messages = [m for *_, m in found]
    assert messages[0].startswith("/invoices/0/date: ") and messages[0].endswith("'2024-02-30'")
    assert messages[1].startswith("/invoices/0/total: ") and messages[1].endswith("got '-1'")
    assert messages[2].startswith("/invoices/0/lines/1/amount: ")
    assert messages[3].startswith("/invoices/0/lines/2/amount: ") and "got 'x'" in messages[3]


def test_equal_cells_are_one_object(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        "i1,bill,c1,2024-06-01,30.00,30.00,429\ni2,bill,c1,2024-06-01,30.00,30.00,429\n",
    )
    a, b = load_snapshot_csv(folder).invoices
    assert a.date is b.date and a.total is b.total and a.lines[0].amount is a.total
    assert a.contact_id is b.contact_id and a.lines[0].account_code is b.lines[0].account_code
    assert a.id is not b.id


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_restored(tmp_path: Path, enabled: bool) -> None:
    good = tmp_path / "acme"
    shutil.copytree(DATA / "acme-csv", good)
    bad = folder_with(tmp_path, "i1,bill,c1,2024-06-01,x,1,429\n")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert load_snapshot_csv(good) == acme()
        assert gc.isenabled() is enabled
        with pytest.raises(SnapshotError):
            load_snapshot_csv(bad)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _grouped(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """The rows with each document's rows together, in the order documents first appear."""
    order: dict[str, list[list[str]]] = {}
    for row in rows:
        order.setdefault(row[0], []).append(row)
    return [header, *(r for group in order.values() for r in group)]


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_any_order_of_rows_loads_as_the_grouped_file(
    tmp_path_factory: pytest.TempPathFactory, rnd: object
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    base = tmp_path_factory.mktemp("order")
    save_snapshot_csv(acme(), base / "shuffled")
    shutil.copytree(base / "shuffled", base / "grouped")
    for file in ("invoices.csv", "journals.csv", "bank_transactions.csv"):
        header, *rows = _rows((base / "shuffled" / file).read_text(encoding="utf-8"))
        extra = [[*r] for r in rows if rnd.random() < 0.3]  # more lines for some documents
        for r in extra:
            at = header.index("line_amount") if "line_amount" in header else -1
            if at >= 0:
                r[at] = "1.00"
        rows = rows + extra
        rnd.shuffle(rows)
        _write(base / "shuffled" / file, [header, *rows])
        _write(base / "grouped" / file, _grouped(header, rows))
    assert load_snapshot_csv(base / "shuffled") == load_snapshot_csv(base / "grouped")
