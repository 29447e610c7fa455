"""A workflow assigns its reviewers, and per_client entries override them for some clients:
none (the assignee completes), one, or two, within the template's limits."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from workflowkit.calendar.practice import load_practice
from workflowkit.source.workspace import read_workspace

PRACTICE = Path(__file__).resolve().parents[1] / "team" / "practice"

CLIENTS = """  - id: bloom
    name: Bloom LLP
    company_type: llp
    year_end: {month: 12, day: 31}
    tags: [books]
"""


def _practice(tmp_path: Path, per_client: str, limits: str = "") -> Path:
    root = tmp_path / "practice"
    shutil.copytree(PRACTICE, root)
    (root / "team.yaml").unlink()
    clients = root / "clients.yaml"
    clients.write_text(clients.read_text() + CLIENTS)
    template = root / "template.yaml"
    template.write_text(
        template.read_text().replace("    - role: reviewer\n", "    - role: reviewer\n" + limits)
    )
    wf = root / "workflow.yaml"
    wf.write_text(wf.read_text().replace("reviewers: [bob]\n", "reviewers: [bob]\n" + per_client))
    return root


def test_per_client_reviewers_reach_the_plan(tmp_path: Path) -> None:
    root = _practice(
        tmp_path,
        "per_client:\n  - clients: [bloom]\n    reviewers: []\n    assignee: erin\n",
        "  min_reviewers: 0\n  max_reviewers: 2\n",
    )
    practice = load_practice(root)
    people = {
        o.client: (o.assignee, o.reviewers)
        for o in practice.plan(date(2026, 5, 1), date(2026, 5, 31))
    }
    assert people == {"acme": ("alice", ("bob",)), "bloom": ("erin", ())}


def test_per_client_reviewers_outside_the_limits_are_located(tmp_path: Path) -> None:
    root = _practice(tmp_path, "per_client:\n  - clients: [bloom]\n    reviewers: []\n")
    diags = read_workspace([root]).diagnostics()
    assert [(d.code, d.line, d.col) for d in diags] == [("WK315", 11, 5)]
    assert "per_client entry 0 names 0" in diags[0].message


def test_per_client_names_only_selected_clients(tmp_path: Path) -> None:
    root = _practice(tmp_path, "per_client:\n  - clients: [blom]\n    reviewers: [dev]\n")
    diags = read_workspace([root]).diagnostics()
    assert [(d.code, d.line, d.col, d.hint) for d in diags] == [
        ("WK340", 10, 15, "did you mean 'bloom'?")
    ]


def test_per_client_people_are_checked_against_the_team(tmp_path: Path) -> None:
    root = _practice(tmp_path, "per_client:\n  - clients: [bloom]\n    reviewers: [erin]\n")
    shutil.copy(PRACTICE / "team.yaml", root / "team.yaml")
    diags = read_workspace([root]).diagnostics()
    assert [(d.code, d.line) for d in diags] == [("WK809", 11)]
