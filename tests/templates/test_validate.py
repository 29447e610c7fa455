"""The template validator: meaning beyond the schema, in one document and across files."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

from workflowkit.errors import Diagnostic, Severity
from workflowkit.source.loader import DEFAULT_LIMITS
from workflowkit.source.workspace import parse_text, read_workspace
from workflowkit.templates.validate import registry_of


def template(body: str, tid: str = "t", version: str = "1.0.0") -> str:
    head = (
        f"apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: {tid}\nname: T\n"
        f"version: {version}\n"
    )
    return head + textwrap.dedent(body)


LIBRARY = "apiVersion: workflowkit/v1\nkind: CheckLibrary\nid: lib\nname: L\n"


def codes(text: str) -> list[tuple[str, str, str]]:
    return [
        (d.code, d.pointer, d.severity.value) for d in parse_text(text, name="t.yaml").diagnostics
    ]


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def cross(folder: Path, **limits: int) -> list[Diagnostic]:
    ws = read_workspace([folder], limits=replace(DEFAULT_LIMITS, **limits))
    return ws.diagnostics()


# ---------------------------------------------------------------------------------
# In one document
# ---------------------------------------------------------------------------------


def test_a_good_template_has_nothing_to_say() -> None:
    text = template(
        """\
        checks:
          - id: bank
            title: Bank
            kind: automated
            data_check: bank-reconciliation
            params: {max_unreconciled_age_days: 10, balance_tolerance: "0.01"}
          - section: S
            checks:
              - use: aml
        review:
          levels: [{role: reviewer}, {role: partner}]
          reassign_by: [assignee, partner]
        """
    )
    parsed = parse_text(text, name="t.yaml")
    assert parsed.diagnostics == [] and parsed.spec is not None


def test_manual_and_automated_must_agree_wherever_the_check_is() -> None:
    text = template(
        """\
        extends: base
        checks:
          - section: S
            checks:
              - {id: a, title: A, kind: automated}
        customise:
          replace:
            - {id: b, title: B, data_check: duplicate-contacts}
          add:
            - checks:
                - {id: c, title: C, params: {precision: strict}}
        """
    )
    assert codes(text) == [
        ("WK212", "/checks/0/checks/0", "error"),
        ("WK212", "/customise/replace/0/data_check", "error"),
        ("WK212", "/customise/add/0/checks/0/params", "error"),
    ]


def test_data_checks_and_their_parameters() -> None:
    text = template(
        """\
        checks:
          - {id: a, title: A, kind: automated, data_check: bank-reconcilation}
          - id: b
            title: B
            kind: automated
            data_check: duplicate-transactions
            params: {window_days: 6, lookback_days: 5000, colour: red}
        """
    )
    found = parse_text(text, name="t.yaml").diagnostics
    assert [(d.code, d.pointer) for d in found] == [
        ("WK206", "/checks/0/data_check"),
        ("WK207", "/checks/1/params/window_days"),
        ("WK207", "/checks/1/params/lookback_days"),
        ("WK207", "/checks/1/params/colour"),
    ]
    assert found[0].hint == "did you mean 'bank-reconciliation'?"
    assert found[3].message == "unknown parameter 'colour' for duplicate-transactions"


def test_review_policy_problems() -> None:
    text = template(
        """\
        checks: [{id: a, title: A}]
        review:
          levels: [{role: reviewer}, {role: reviewer}]
          reassign_by: [assignee, reviwer, partner]
        """
    )
    found = parse_text(text, name="t.yaml").diagnostics
    assert [(d.code, d.pointer, d.severity) for d in found] == [
        ("WK213", "/review/levels/1/role", Severity.WARNING),
        ("WK213", "/review/reassign_by/1", Severity.ERROR),
        ("WK213", "/review/reassign_by/2", Severity.ERROR),
    ]
    assert found[1].hint == "did you mean 'reviewer'?"


def test_a_warning_keeps_the_spec_and_strict_makes_it_count(tmp_path: Path) -> None:
    text = template("review:\n  levels: [{role: reviewer}, {role: reviewer}]\n")
    parsed = parse_text(text, name="t.yaml")
    assert parsed.spec is not None
    (tmp_path / "t.yaml").write_text(text)
    ws = read_workspace([tmp_path])
    assert not ws.has_errors()
    assert ws.has_errors(strict=True)


def test_versions_must_be_semver() -> None:
    assert codes(template("", version="'1.0'")) == [("WK208", "/version", "error")]
    assert codes(LIBRARY + "version: 1.0.0.0\nchecks: [{id: a, title: A}]\n") == [
        ("WK208", "/version", "error")
    ]


def test_library_checks_are_checked_like_template_checks() -> None:
    text = LIBRARY + textwrap.dedent(
        """\
        checks:
          - {id: a, title: A}
          - {id: b, title: B, kind: automated, data_check: nope}
          - {id: a, title: A again}
        """
    )
    assert codes(text) == [
        ("WK206", "/checks/1/data_check", "error"),
        ("WK214", "/checks/2/id", "error"),
    ]


def test_check_count_limit() -> None:
    many = "".join(f"  - {{id: c{i}, title: C}}\n" for i in range(DEFAULT_LIMITS.max_checks))
    assert codes(template("checks:\n" + many)) == []
    assert codes(template("checks:\n" + many + "  - {id: one-more, title: C}\n")) == [
        ("WK209", "/checks", "error")
    ]


# ---------------------------------------------------------------------------------
# Across documents
# ---------------------------------------------------------------------------------


def test_same_id_in_two_versions_is_not_a_duplicate(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "ws",
        {
            "a.yaml": template("checks: [{id: a, title: A}]", "t", "1.0.0"),
            "b.yaml": template("checks: [{id: a, title: A}]", "t", "1.1.0"),
            "c.yaml": template("checks: [{id: a, title: A}]", "t", "1.1.0"),
        },
    )
    found = cross(folder)
    assert [(Path(d.file or "").name, d.code) for d in found] == [("c.yaml", "WK211")]
    assert "also defined in" in found[0].message and "b.yaml" in found[0].message


def test_an_invalid_base_is_named_as_such(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "ws",
        {
            "base.yaml": template("checks: [{id: a}]", "base"),
            "child.yaml": template("extends: base\n", "child"),
        },
    )
    found = cross(folder)
    assert [d.code for d in found] == ["WK115", "WK203"]
    assert "whose document has errors" in found[1].message
    assert found[1].hint == "fix that document first"


def test_parameters_given_to_a_library_check_are_checked_where_written(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "ws",
        {
            "lib.yaml": LIBRARY + "checks:\n  - {id: dupes, title: D, kind: automated, "
            "data_check: duplicate-contacts}\n",
            "t.yaml": template(
                "checks:\n  - section: S\n    checks:\n      - use: dupes\n"
                "        params: {precision: exact}\n"
            ),
        },
    )
    (d,) = cross(folder)
    assert (d.code, d.pointer, d.line) == ("WK207", "/checks/0/checks/0/params/precision", 10)
    assert d.message.startswith("check 'dupes': precision:")


def test_the_workspace_limits_reach_resolution(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "ws",
        {
            "base.yaml": template("checks: [{id: a, title: A}, {id: b, title: B}]", "base"),
            "child.yaml": template("extends: base\nchecks: [{id: c, title: C}]\n", "child"),
        },
    )
    assert cross(folder) == []
    assert [d.code for d in cross(folder, max_checks=2)] == ["WK209"]
    ws = read_workspace([folder], limits=replace(DEFAULT_LIMITS, max_checks=2))
    assert registry_of(ws).limits.max_checks == 2


def test_a_document_that_failed_is_not_resolved_again(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "ws",
        {
            "t.yaml": template("extends: missing\nchecks: [{id: a, title: A, kind: automated}]\n"),
        },
    )
    assert [d.code for d in cross(folder)] == ["WK212"]


def test_extends_across_files_and_formats(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "ws",
        {
            "base.json": '{"apiVersion": "workflowkit/v1", "kind": "WorkflowTemplate",'
            ' "id": "base", "name": "B", "version": "1.0.0",'
            ' "checks": [{"id": "a", "title": "A"}]}',
            "child.yaml": template(
                "extends: base\ncustomise: {remove: [a]}\nchecks: [{id: b, title: B}]\n", "child"
            ),
        },
    )
    ws = read_workspace([folder])
    assert ws.diagnostics() == []
    assert registry_of(ws).get("child").check_ids == ("b",)
