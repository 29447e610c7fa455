"""The Team kind: valid and invalid example practices, and people in workflows against it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workflowkit.source.workspace import read_workspace
from workflowkit.team.ids import id_problem, person_key, same_person

PRACTICE = Path(__file__).parent / "practice"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "practice"


Edits = dict[str, tuple[str, str] | list[tuple[str, str]]]
NO_STAND_IN = ("stand_in: erin", "stand_in: bob")


def _practice(tmp_path: Path, edits: Edits) -> Path:
    root = tmp_path / "practice"
    shutil.copytree(PRACTICE, root)
    for name, change in edits.items():
        path = root / name
        text = path.read_text()
        for old, new in change if isinstance(change, list) else [change]:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text)
    return root


def _codes(root: Path) -> list[tuple[str, str, int | None, str | None]]:
    return [
        (d.code, Path(d.file or "").name, d.line, d.hint)
        for d in read_workspace([root]).diagnostics()
    ]


def test_the_base_practice_and_the_example_practice_are_valid() -> None:
    assert _codes(PRACTICE) == []
    assert [d for d in read_workspace([EXAMPLE]).diagnostics() if d.severity == "error"] == []


CASES: dict[str, tuple[Edits, list[tuple[str, str, int, str]]]] = {
    "unknown reviewer": (
        {"workflow.yaml": ("reviewers: [bob]", "reviewers: [bbo]")},
        [("WK805", "workflow.yaml", 8, "did you mean 'bob'?")],
    ),
    "reviewer without the role": (
        {"workflow.yaml": ("reviewers: [bob]", "reviewers: [erin]")},
        [("WK809", "workflow.yaml", 8, "who may: bob")],
    ),
    "leaver assigned": (
        {"workflow.yaml": ("reviewers: [bob]", "reviewers: [hugo]")},
        [("WK811", "workflow.yaml", 8, "give the work to someone still on the team")],
    ),
}


@pytest.mark.parametrize(
    "name", ["unknown reviewer", "reviewer without the role", "leaver assigned"]
)
def test_people_in_a_workflow_are_checked_against_the_team(tmp_path: Path, name: str) -> None:
    edits, expected = CASES[name]
    assert _codes(_practice(tmp_path, edits)) == expected


def test_self_review_is_an_error_unless_the_policy_allows_it(tmp_path: Path) -> None:
    root = _practice(tmp_path, {"workflow.yaml": ("assignee: alice", "assignee: bob")})
    codes = _codes(root)
    assert [c[0] for c in codes] == ["WK315"]
    allowed = _practice(
        tmp_path / "allowed",
        {
            "workflow.yaml": ("assignee: alice", "assignee: bob"),
            "template.yaml": (
                "    - role: reviewer\n",
                "    - role: reviewer\n  preparer_may_review: true\n",
            ),
        },
    )
    assert _codes(allowed) == []


def test_a_second_team_is_a_diagnostic(tmp_path: Path) -> None:
    root = _practice(tmp_path, {})
    shutil.copy(root / "team.yaml", root / "team2.yaml")
    codes = _codes(root)
    assert [(c[0], c[1]) for c in codes] == [("WK807", "team2.yaml")]


def test_a_confusable_id_is_refused_where_it_is_written(tmp_path: Path) -> None:
    root = _practice(
        tmp_path, {"team.yaml": [("  - id: erin\n", "  - id: \u0435rin\n"), NO_STAND_IN]}
    )
    codes = _codes(root)
    assert [c[:3] for c in codes] == [("WK801", "team.yaml", 16)]
    message = next(d.message for d in read_workspace([root]).diagnostics())
    assert "CYRILLIC SMALL LETTER IE" in message and "looks like 'e'" in message


def test_two_spellings_of_one_id_are_one_person(tmp_path: Path) -> None:
    root = _practice(tmp_path, {"team.yaml": [("  - id: erin\n", "  - id: Alice \n"), NO_STAND_IN]})
    assert [c[:3] for c in _codes(root)] == [("WK802", "team.yaml", 16)]


def test_unknown_roles_and_stand_ins_have_did_you_mean_hints(tmp_path: Path) -> None:
    root = _practice(
        tmp_path,
        {
            "team.yaml": [
                ("roles: [bookkeeper]\n    absences:", "roles: [bookeeper]\n    absences:"),
                ("stand_in: erin", "stand_in: eirn"),
            ]
        },
    )
    assert _codes(root) == [
        ("WK803", "team.yaml", 13, "did you mean 'bookkeeper'?"),
        ("WK805", "team.yaml", 15, "did you mean 'erin'?"),
    ]


def test_without_a_team_people_are_not_checked(tmp_path: Path) -> None:
    root = _practice(tmp_path, {"workflow.yaml": ("reviewers: [bob]", "reviewers: [nobody]")})
    (root / "team.yaml").unlink()
    assert _codes(root) == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [("Bob", "bob"), (" bob ", "bob"), ("\uff22\uff4f\uff42", "bob"), ("STRASSE", "strasse")],
)
def test_one_normal_form(raw: str, key: str) -> None:
    assert person_key(raw) == key
    assert same_person(raw, key)


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("bo\u200bb", "invisible character U+200B"),
        ("\u0430lice", "CYRILLIC SMALL LETTER A"),
        ("b\u00f6b", "LATIN SMALL LETTER O WITH DIAERESIS"),
        ("bob smith", "space"),
        ("  ", "empty"),
    ],
)
def test_unsafe_ids_say_why(raw: str, why: str) -> None:
    problem = id_problem(raw)
    assert problem is not None and why in problem
    assert id_problem("bob-smith") is None
