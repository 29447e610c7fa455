"""Example practices under ``data/``: valid ones read clean and plan; invalid ones give
exactly their expected diagnostics.

An invalid case is a file or a folder under ``data/invalid/`` with a sidecar
``<case>.expected.json``: ``{"expect": [{"file", "code", "line", "col", "severity"?}]}``
(``file`` is the path inside a folder case; ``severity`` defaults to ``error``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest

from workflowkit.calendar import load_practice
from workflowkit.errors import DocumentError
from workflowkit.source.codes import CODES
from workflowkit.source.loader import read_path
from workflowkit.source.schema import schema_text
from workflowkit.source.workspace import read_workspace

DATA = Path(__file__).resolve().parent / "data"
SIDECAR = ".expected.json"


def _cases(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.endswith(SIDECAR))


def _seen(case: Path) -> list[tuple[str, str, int, int, str]]:
    ws = read_workspace([case])
    out = []
    for d in ws.diagnostics():
        assert d.file is not None and d.line is not None and d.col is not None, d
        f = Path(d.file).relative_to(case).as_posix() if case.is_dir() else ""
        out.append((f, d.code, d.line, d.col, d.severity.value))
    return sorted(out)


@pytest.mark.parametrize("case", _cases(DATA / "invalid"), ids=lambda p: p.name)
def test_invalid_case_gives_exactly_its_diagnostics(case: Path) -> None:
    expected = json.loads(case.with_name(case.name + SIDECAR).read_text())["expect"]
    want = sorted(
        (e.get("file", ""), e["code"], e["line"], e["col"], e.get("severity", "error"))
        for e in expected
    )
    assert want, "an invalid case must expect at least one diagnostic"
    assert _seen(case) == want
    for e in expected:
        assert e["code"] in CODES


@pytest.mark.parametrize("case", _cases(DATA / "invalid"), ids=lambda p: p.name)
def test_invalid_practices_do_not_load(case: Path) -> None:
    expected = json.loads(case.with_name(case.name + SIDECAR).read_text())["expect"]
    if all(e.get("severity", "error") != "error" for e in expected):
        load_practice(case)  # warnings only: it loads
        with pytest.raises(DocumentError):
            load_practice(case, strict=True)
        return
    with pytest.raises(DocumentError) as info:
        load_practice(case)
    assert {d.code for d in info.value.diagnostics} >= {
        e["code"] for e in expected if e.get("severity", "error") == "error"
    }


@pytest.mark.parametrize("case", _cases(DATA / "valid"), ids=lambda p: p.name)
def test_valid_case_is_clean_and_plans(case: Path) -> None:
    assert _seen(case) == []
    practice = load_practice(case)
    assert practice.warnings == ()
    occ = practice.plan(date(2024, 1, 1), date(2026, 1, 1))
    assert occ and all(o.due_on >= o.create_on for o in occ)
    assert {o.workflow for o in occ} == {w.id for w in practice.workflows}


def test_valid_documents_match_their_json_schema() -> None:
    for path in sorted((DATA / "valid").rglob("*.yaml")):
        doc = read_path(path)
        kind = doc.data["kind"]
        schema = json.loads(schema_text(kind))
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc.data)]
        assert errors == [], path


def test_example_practice_details() -> None:
    practice = load_practice(DATA / "valid" / "practice")
    assert practice.holidays.source.endswith("bank-holidays.csv")
    assert practice.sources["client:acme-ltd"].endswith("clients.yaml")
    assert practice.client("new-start-ltd").incorporated == date(2024, 1, 15)
    # first accounts: 21 months after incorporation (15 October 2025) minus four weeks
    (o,) = practice.plan(date(2025, 9, 17), date(2025, 9, 18), by="due")
    assert (o.client, o.workflow, o.period_start) == (
        "new-start-ltd",
        "year-end-accounts",
        date(2024, 1, 15),
    )
    assert practice.workflow("vat-returns").template.id == "practice-vat-return"
