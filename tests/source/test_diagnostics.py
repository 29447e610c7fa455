"""From pydantic errors and document headers to located, coded diagnostics."""

from __future__ import annotations

import textwrap

import pytest

from workflowkit.errors import Diagnostic, DocumentError, Severity
from workflowkit.source.kinds import header_diagnostics
from workflowkit.source.loader import load_text
from workflowkit.source.models import allowed_keys, did_you_mean, is_semver, validate_model
from workflowkit.source.workspace import parse_text
from workflowkit.templates.models import CheckLibrary, WorkflowTemplate

HEAD = "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: t\nname: T\nversion: 1.0.0\n"


def diags(body: str, head: str = HEAD) -> list[Diagnostic]:
    return parse_text(head + textwrap.dedent(body), name="t.yaml").diagnostics


def one(body: str, head: str = HEAD) -> Diagnostic:
    found = diags(body, head)
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


# ---------------------------------------------------------------------------------
# Pointers through unions and sections
# ---------------------------------------------------------------------------------


def test_wrong_type_inside_a_section_points_at_the_value() -> None:
    d = one(
        """\
        checks:
          - id: a
            title: A
          - section: Payroll
            checks:
              - id: b
                title: [not, a, string]
        """
    )
    assert (d.code, d.pointer, d.line, d.col) == ("WK114", "/checks/1/checks/0/title", 12, 16)
    assert "got a list" in d.message


def test_invalid_value_inside_customise_addition() -> None:
    d = one(
        """\
        extends: base
        customise:
          add:
            - after: a
              checks:
                - id: Not-A-Slug
                  title: X
        """
    )
    assert (d.code, d.pointer, d.line, d.col) == ("WK116", "/customise/add/0/checks/0/id", 11, 15)
    assert "not a valid id" in d.message


def test_unknown_key_in_a_library_reference_suggests_reference_keys() -> None:
    d = one(
        """\
        checks:
          - use: aml-check
            librray: practice
        """
    )
    assert (d.code, d.pointer, d.line, d.col) == ("WK113", "/checks/0/librray", 8, 5)
    assert d.hint == "did you mean 'library'?"


def test_unknown_key_in_a_check_suggests_check_keys() -> None:
    d = one(
        """\
        checks:
          - id: a
            title: A
            data-check: bank-reconciliation
        """
    )
    assert (d.code, d.line, d.col) == ("WK113", 9, 5)
    assert d.hint == "did you mean 'data_check'?"


def test_unknown_key_far_from_any_lists_the_allowed_keys() -> None:
    d = one("review:\n  colour: blue\n")
    assert d.code == "WK113"
    assert d.hint is not None and d.hint.startswith(
        "allowed keys: levels, max_reviewers, min_reviewers, preparer_may_review"
    )


def test_a_misspelt_key_is_one_problem_not_two() -> None:
    found = diags("checks:\n  - id: a\n    tilte: A\n")
    assert [(d.code, d.line, d.col) for d in found] == [("WK113", 8, 5)]
    assert found[0].hint == "did you mean 'title'?"


def test_missing_key_points_at_its_parent() -> None:
    d = one("checks:\n  - id: a\n    title: A\n  - title: B\n")
    assert (d.code, d.pointer, d.line, d.col) == ("WK115", "/checks/1", 9, 5)
    assert d.message == "missing required key 'id' in /checks/1"


def test_missing_top_level_key() -> None:
    d = one("", head="apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: t\nversion: 1.0.0\n")
    assert (d.code, d.pointer, d.line, d.col) == ("WK115", "", 1, 1)
    assert d.message == "missing required key 'name'"


def test_several_problems_come_out_together() -> None:
    found = diags(
        """\
        period: weekly
        checks:
          - id: a
          - id: B
            title: B
        review: none
        """
    )
    assert sorted((d.code, d.pointer) for d in found) == sorted(
        [
            ("WK116", "/period"),
            ("WK115", "/checks/0"),
            ("WK116", "/checks/1/id"),
            ("WK114", "/review"),
        ]
    )


def test_messages_use_yaml_words() -> None:
    d = one("checks: {a: 1}\n")
    assert d.message == "/checks: Input should be a list, got a mapping"
    d = one("checks:\n  - just-a-string\n")
    assert d.message == "/checks/0: Input should be a mapping (a Check), got a string"
    lib = "apiVersion: workflowkit/v1\nkind: CheckLibrary\nid: l\nname: L\n"
    d = one("checks: []\n", head=lib)
    assert d.message == "/checks: List should have at least 1 item, not 0"


def test_a_number_where_text_belongs_hints_at_quotes() -> None:
    d = one("", head=HEAD.replace("version: 1.0.0", "version: 1.10"))
    assert d.code == "WK114"
    assert d.hint is not None and "quotes" in d.hint


def test_validate_model_returns_the_spec_when_valid() -> None:
    doc = load_text(HEAD, name="t.yaml")
    spec, found = validate_model(doc, WorkflowTemplate)
    assert found == [] and spec is not None and spec.id == "t"
    spec2, found2 = validate_model(doc, CheckLibrary)
    assert spec2 is None and {d.code for d in found2} >= {"WK116"}


# ---------------------------------------------------------------------------------
# Did you mean, allowed keys, semver
# ---------------------------------------------------------------------------------


def test_did_you_mean() -> None:
    assert did_you_mean("titel", ["id", "title", "guidance"]) == "did you mean 'title'?"
    assert did_you_mean("WorkflowTemplet", ["WorkflowTemplate", "CheckLibrary"]) == (
        "did you mean 'WorkflowTemplate'?"
    )
    assert did_you_mean("zzz", ["id", "title"]) is None
    assert did_you_mean("x", []) is None


def test_allowed_keys_follow_unions_and_sections() -> None:
    top = allowed_keys(WorkflowTemplate, ())
    assert {"apiVersion", "kind", "checks", "extends", "customise", "review"} <= set(top)
    assert "api_version" not in top
    check = allowed_keys(WorkflowTemplate, ("checks", 0, "Check"))
    assert {"id", "title", "guidance", "data_check", "params", "requires"} <= set(check)
    ref = allowed_keys(WorkflowTemplate, ("checks", 0, "LibraryCheckRef"))
    assert {"use", "library"} <= set(ref) and "data_check" not in ref
    section = allowed_keys(WorkflowTemplate, ("checks", 0, "Section"))
    assert set(section) == {"section", "checks"}
    in_section = allowed_keys(WorkflowTemplate, ("checks", 0, "Section", "checks", 1, "Check"))
    assert "guidance" in in_section
    assert allowed_keys(WorkflowTemplate, ("review", "levels", 0)) == ["role", "title"]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1.0.0", True),
        ("0.0.1", True),
        ("10.20.30", True),
        ("1.0.0-alpha.1", True),
        ("1.0.0+build.5", True),
        ("1.0.0-rc.1+build", True),
        ("1.0", False),
        ("v1.0.0", False),
        ("01.0.0", False),
        ("1.0.0-", False),
        ("1.0.0-01", False),
        ("", False),
        ("1.0.0 ", False),
    ],
)
def test_is_semver(text: str, ok: bool) -> None:
    assert is_semver(text) is ok


# ---------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("- a\n", ["WK105"]),
        ("just text\n", ["WK105"]),
        ("a: 1\n", ["WK111", "WK112"]),
        ("apiVersion: workflowkit/v1\n", ["WK112"]),
        ("kind: WorkflowTemplate\n", ["WK111"]),
        ("apiVersion: workflowkit/v0\nkind: WorkflowTemplate\n", ["WK111"]),
        ("apiVersion: workflowkit/v1\nkind: Template\n", ["WK112"]),
        ("apiVersion: workflowkit/v1\nkind: 3\n", ["WK112"]),
    ],
)
def test_header_diagnostics(text: str, codes: list[str]) -> None:
    kind, found = header_diagnostics(load_text(text, name="h.yaml"))
    assert kind is None
    assert [d.code for d in found] == codes


def test_header_of_a_good_document() -> None:
    kind, found = header_diagnostics(load_text(HEAD, name="h.yaml"))
    assert (kind, found) == ("WorkflowTemplate", [])


def test_unknown_kind_hint() -> None:
    _, found = header_diagnostics(
        load_text("apiVersion: workflowkit/v1\nkind: ChekLibrary\n", name="h.yaml")
    )
    assert found[0].hint == "did you mean 'CheckLibrary'?"
    assert (found[0].line, found[0].col) == (2, 7)


# ---------------------------------------------------------------------------------
# The Diagnostic and DocumentError values
# ---------------------------------------------------------------------------------


def test_diagnostic_format_and_dict() -> None:
    d = Diagnostic(
        "WK113",
        "unknown key 'x'",
        file="a.yaml",
        line=3,
        col=5,
        pointer="/x",
        hint="did you mean 'y'?",
    )
    assert d.format() == "a.yaml:3:5: WK113 unknown key 'x' (hint: did you mean 'y'?)"
    assert d.to_data()["severity"] == "error"
    assert Diagnostic("WK100", "gone").format() == "<input>: WK100 gone"
    w = Diagnostic("WK213", "w", file="a.yaml", line=1, severity=Severity.WARNING)
    assert w.format() == "a.yaml:1: WK213 w"


def test_document_error_lists_its_diagnostics() -> None:
    many = [Diagnostic("WK113", f"k{i}", file="a.yaml", line=i) for i in range(25)]
    err = DocumentError.of(many, "a.yaml: not valid")
    text = str(err)
    assert text.splitlines()[0] == "a.yaml: not valid"
    assert "a.yaml:19: WK113 k19" in text and "k20" not in text
    assert text.endswith("... and 5 more")
