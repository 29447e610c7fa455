"""Claims made in prose and tables of docs/embedding.md and docs/practices.md.

``tests/test_docs.py`` runs the pages' code blocks; these tests check what the blocks do
not: the version-range and version-bump tables, the error table, the links between
pages, and that a store object stays on its thread.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest

from workflowkit.errors import (
    CalendarError,
    DocumentError,
    InsightsError,
    NotFoundError,
    RuleError,
    WorkflowkitError,
)
from workflowkit.review import (
    IllegalCommandError,
    InvalidCommandError,
    InvalidStartError,
    LockedError,
    PermissionDeniedError,
    UnresolvedChecksError,
)
from workflowkit.source.workspace import parse_text
from workflowkit.store import (
    ConflictError,
    SQLiteEventStore,
    StoreUnavailableError,
    UnknownInstanceError,
)
from workflowkit.templates import TemplateRegistry
from workflowkit.templates.diff import diff_templates
from workflowkit.templates.versions import best_version

ROOT = Path(__file__).resolve().parents[2]
EMBEDDING = ROOT / "docs" / "embedding.md"
PRACTICES = ROOT / "docs" / "practices.md"


# ---------------------------------------------------------------------------------------
# practices.md: the table of version ranges
# ---------------------------------------------------------------------------------------


def _range_table() -> tuple[list[str], list[tuple[str, list[str | None], str]]]:
    """The versions in the table's header, and (row text, ranges, picked) per row."""
    text = PRACTICES.read_text(encoding="utf-8")
    header = re.search(r"^\| Range \| Means \| Picks, from ([^|]+)\|$", text, re.M)
    assert header, "the range table's header moved"
    versions = [v.strip() for v in header.group(1).split(",")]
    rows: list[tuple[str, list[str | None], str]] = []
    for line in text[header.end() :].splitlines()[2:]:
        if not line.startswith("|"):
            break
        first, _means, picked = (c.strip() for c in line.strip("|").split("|"))
        ranges: list[str | None] = [r for r in re.findall(r"`([^`]+)`", first) if r != "version"]
        if "no `version`" in first:
            ranges.append(None)
        rows.append((line, ranges, picked))
    return versions, rows


def test_range_table_is_what_best_version_picks() -> None:
    versions, rows = _range_table()
    assert len(rows) >= 7
    for line, ranges, picked in rows:
        assert ranges, line
        for spec in ranges:
            assert best_version(versions, spec) == picked, line


# ---------------------------------------------------------------------------------------
# practices.md: the table of version bumps
# ---------------------------------------------------------------------------------------

BASE = """
apiVersion: workflowkit/v1
kind: WorkflowTemplate
id: close
name: Close
version: 1.0.0
description: Month-end close.
checks:
  - section: Bank
    checks:
      - id: bank
        title: Bank reconciled
        kind: automated
        data_check: bank-reconciliation
        params: {max_unreconciled_age_days: 30}
  - id: vat
    title: VAT control cleared
    guidance: Clear it.
    tags: [vat]
  - id: payroll
    title: Payroll posted
review:
  levels:
    - role: reviewer
"""


def _resolved(text: str) -> Any:
    parsed = parse_text(text, name="close.yaml")
    assert parsed.spec is not None, parsed.diagnostics
    return TemplateRegistry([parsed.spec], include_builtins=False).get("close")


EDITS = [
    # patch: wording only
    ("title: Bank reconciled", "title: Bank accounts reconciled", "patch"),
    ("guidance: Clear it.", "guidance: Clear it to nil.", "patch"),
    ("section: Bank", "section: Bank and cash", "patch"),
    ("tags: [vat]", "tags: [vat, tax]", "patch"),
    ("name: Close", "name: Month-end close", "patch"),
    ("description: Month-end close.", "description: The close.", "patch"),
    # minor: more work, nothing taken away
    (
        "  - id: payroll\n    title: Payroll posted\n",
        "  - id: payroll\n    title: Payroll posted\n  - id: accruals\n    title: Accruals\n",
        "minor",
    ),
    ("{max_unreconciled_age_days: 30}", "{max_unreconciled_age_days: 14}", "minor"),
    (
        "    title: Payroll posted\n",
        "    title: Payroll posted\n    requires: {comment: [not_applicable]}\n",
        "minor",
    ),
    (
        "    - role: reviewer\n",
        "    - role: reviewer\n  reassign_by: [assignee, reviewer]\n",
        "minor",
    ),
    # major: work removed or reordered, review levels changed
    ("  - id: payroll\n    title: Payroll posted\n", "", "major"),
    ("    - role: reviewer\n", "    - role: reviewer\n    - role: manager\n", "major"),
    # none: the resolved template is the same (the default written out)
    (
        "  - id: payroll\n    title: Payroll posted\n",
        "  - id: payroll\n    title: Payroll posted\n    kind: manual\n",
        "none",
    ),
]


@pytest.mark.parametrize(("old", "new", "bump"), EDITS)
def test_bump_table(old: str, new: str, bump: str) -> None:
    assert BASE.count(old) == 1
    d = diff_templates(_resolved(BASE), _resolved(BASE.replace(old, new)))
    assert d.required_bump == bump


def test_moving_a_check_is_major() -> None:
    vat = "  - id: vat\n    title: VAT control cleared\n    guidance: Clear it.\n    tags: [vat]\n"
    payroll = "  - id: payroll\n    title: Payroll posted\n"
    moved = BASE.replace(vat + payroll, payroll + vat)
    assert moved != BASE
    d = diff_templates(_resolved(BASE), _resolved(moved))
    assert d.moved and d.required_bump == "major"


def test_bump_table_rows_are_in_the_page() -> None:
    text = PRACTICES.read_text(encoding="utf-8")
    for bump in ("patch `1.2.0 -> 1.2.1`", "minor `1.2.0 -> 1.3.0`", "major `1.2.0 -> 2.0.0`"):
        assert f"| {bump} |" in text


# ---------------------------------------------------------------------------------------
# embedding.md: the error table and the concurrency notes
# ---------------------------------------------------------------------------------------


def test_error_table_hierarchy() -> None:
    for cls in (
        DocumentError,
        NotFoundError,
        IllegalCommandError,
        InvalidCommandError,
        InvalidStartError,
        ConflictError,
        StoreUnavailableError,
        CalendarError,
        RuleError,
        InsightsError,
    ):
        assert issubclass(cls, WorkflowkitError), cls
    for refusal in (PermissionDeniedError, UnresolvedChecksError, LockedError):
        assert issubclass(refusal, IllegalCommandError), refusal
    assert issubclass(UnknownInstanceError, NotFoundError)
    assert issubclass(InvalidCommandError, ValueError)
    text = EMBEDDING.read_text(encoding="utf-8")
    for name in ("DocumentError", "NotFoundError", "IllegalCommandError", "ConflictError"):
        assert f"| `{name}`" in text


def test_a_store_object_serves_every_thread_and_memory_stays_on_its_own(
    tmp_path: Path,
) -> None:
    from workflowkit.store.errors import StoreThreadError

    seen: list[object] = []

    def other(store: SQLiteEventStore) -> None:
        try:
            seen.append(store.version("acme/x/2024-01"))
        except BaseException as exc:  # recorded for the assertion
            seen.append(exc)

    for where in (tmp_path / "events.db", ":memory:"):
        with SQLiteEventStore(where) as store:
            t = threading.Thread(target=other, args=(store,))
            t.start()
            t.join()
            assert store.version("acme/x/2024-01") == 0  # still fine on its own thread
    assert seen[0] == 0 and isinstance(seen[1], StoreThreadError)


def test_one_store_per_thread_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    SQLiteEventStore(path).close()
    versions: list[int] = []

    def reader() -> None:
        with SQLiteEventStore(path, create=False) as mine:
            versions.append(mine.version("nobody"))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert versions == [0, 0, 0, 0]


# ---------------------------------------------------------------------------------------
# Both pages: links to other pages and their sections exist
# ---------------------------------------------------------------------------------------

LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")


def _anchors(path: Path) -> set[str]:
    out = set()
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
        if in_fence or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip().lower()
        slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
        out.add(slug)
    return out


@pytest.mark.parametrize("page", [EMBEDDING, PRACTICES], ids=lambda p: p.name)
def test_links_resolve(page: Path) -> None:
    links = LINK.findall(page.read_text(encoding="utf-8"))
    assert links
    for target, anchor in links:
        if target.startswith(("http://", "https://")):
            continue
        path = page if target == "" else (page.parent / target)
        assert path.is_file(), f"{page.name}: no {target}"
        if anchor:
            assert anchor in _anchors(path), f"{page.name}: no #{anchor} in {path.name}"
