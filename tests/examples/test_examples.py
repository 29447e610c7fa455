"""Example files: every valid one reads clean, every invalid one gives exactly its diagnostics.

A case is a file or a folder under ``valid/`` or ``invalid/``. An invalid case names the
diagnostics it must give, in one of two ways:

- header comments in a YAML file, one per diagnostic::

      # expect: WK113 7:5
      # expect: WK213 12:15 warning
      # limits: max_bytes=300

- a sidecar ``<case>.expected.json`` beside the file or folder (for JSON files, bytes
  that are not UTF-8, and folders whose diagnostics span several files)::

      {"limits": {"max_nodes": 50},
       "expect": [{"file": "child.yaml", "code": "WK203", "line": 6, "col": 10}]}

``file`` is the path inside a folder case (left out for a single file); ``severity``
defaults to ``error``. The diagnostics a case gives must be exactly the expected ones:
same codes, same files, same lines and columns, nothing more.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

import pytest

from workflowkit.source.codes import CODES
from workflowkit.source.loader import DEFAULT_LIMITS, Limits
from workflowkit.source.workspace import read_workspace

HERE = Path(__file__).resolve().parent
VALID = HERE / "valid"
INVALID = HERE / "invalid"
SUFFIXES = (".yaml", ".yml", ".json")
SIDECAR = ".expected.json"

EXPECT = re.compile(r"^#\s*expect:\s*(WK\d{3})\s+(\d+):(\d+)(?:\s+(error|warning|info))?\s*$")
LIMITS = re.compile(r"^#\s*limits:\s*(.+?)\s*$")


@dataclass(frozen=True, order=True)
class Seen:
    """One diagnostic as the examples state it."""

    file: str
    code: str
    line: int
    col: int
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:" if self.file else ""
        return f"{where}{self.line}:{self.col} {self.code} {self.severity}"


def cases(folder: Path) -> list[Path]:
    """The cases under ``folder``: folders and document files, sidecars left out."""
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith((".", "_"))
        and ((p.is_dir() and p.name != "__pycache__") or p.suffix in SUFFIXES)
        and not p.name.endswith(SIDECAR)
    )


def _limits(pairs: dict[str, int]) -> Limits:
    known = {f.name for f in fields(Limits)}
    assert set(pairs) <= known, f"unknown limits {sorted(set(pairs) - known)}"
    return replace(DEFAULT_LIMITS, **pairs)


def expectations(case: Path) -> tuple[list[Seen], Limits]:
    """What ``case`` says it must give, and the limits to read it with."""
    sidecar = case.with_name(case.name + SIDECAR)
    if sidecar.exists():
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
        expected = [
            Seen(e.get("file", ""), e["code"], e["line"], e["col"], e.get("severity", "error"))
            for e in spec["expect"]
        ]
        return sorted(expected), _limits(spec.get("limits", {}))
    assert case.is_file(), f"{case.name}: a folder case needs {case.name}{SIDECAR}"
    expected = []
    limits: dict[str, int] = {}
    for raw in case.read_bytes().decode("utf-8-sig").splitlines():
        line = raw.strip()
        if m := EXPECT.match(line):
            code, ln, col, sev = m.groups()
            expected.append(Seen("", code, int(ln), int(col), sev or "error"))
        elif m := LIMITS.match(line):
            for pair in m.group(1).split(","):
                key, _, value = pair.partition("=")
                limits[key.strip()] = int(value)
    return sorted(expected), _limits(limits)


def actual(case: Path, limits: Limits = DEFAULT_LIMITS) -> list[Seen]:
    """The diagnostics ``case`` gives when validated on its own."""
    ws = read_workspace([case], limits=limits)
    out = []
    for d in ws.diagnostics():
        assert d.file is not None, f"{d} has no file"
        assert d.message.strip(), f"{d} has no message"
        assert d.code in CODES, f"{d.code} is not in the catalogue"
        rel = "" if case.is_file() else Path(d.file).relative_to(case).as_posix()
        assert d.line is not None and d.col is not None, f"{d} has no position"
        out.append(Seen(rel, d.code, d.line, d.col, d.severity.value))
    return sorted(out)


@pytest.mark.parametrize("case", cases(VALID), ids=lambda p: p.name)
def test_valid_example_reads_clean(case: Path) -> None:
    ws = read_workspace([case])
    assert [d.format() for d in ws.diagnostics()] == []
    assert ws.documents, "a valid case holds at least one document"
    assert all(doc.spec is not None for doc in ws.documents)


def test_the_valid_examples_read_clean_together() -> None:
    ws = read_workspace([VALID])
    assert [d.format() for d in ws.diagnostics()] == []


@pytest.mark.parametrize("case", cases(INVALID), ids=lambda p: p.name)
def test_invalid_example_gives_its_diagnostics(case: Path) -> None:
    expected, limits = expectations(case)
    assert expected, f"{case.name} states no expected diagnostics"
    got = actual(case, limits)
    assert [str(s) for s in got] == [str(s) for s in expected], "\n".join(
        d.format() for d in read_workspace([case], limits=limits).diagnostics()
    )


def test_the_invalid_examples_cover_every_source_and_template_code() -> None:
    used = {s.code for case in cases(INVALID) for s in expectations(case)[0]}
    # WK119 needs 201 problems in one file: shown in docs/diagnostics.md, tested in
    # tests/source/test_hardening_keys.py. WK126-WK128 are paths (an unreadable folder, a
    # dangling link, a FIFO), not files: tested in tests/hardening/test_hardening_paths.py.
    wanted = {code for code in CODES if code.startswith(("WK1", "WK2"))} - {
        "WK119",
        "WK126",
        "WK215",  # WK215-WK219: config files, checked by tests/config (not documents)
        "WK216",
        "WK217",
        "WK218",
        "WK219",
        "WK127",
        "WK128",
    }
    assert sorted(wanted - used) == []
    assert sorted(used - set(CODES)) == []


def test_there_are_enough_examples() -> None:
    assert len(cases(VALID)) >= 12
    assert len(cases(INVALID)) >= 50
