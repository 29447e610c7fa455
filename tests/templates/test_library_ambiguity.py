"""F15 (issue 19): a `use:` without `library:` that two libraries answer is ambiguous (WK125),
reported at the `use:` with where each library defines the check; never picked silently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workflowkit.errors import DocumentError
from workflowkit.source.workspace import read_workspace
from workflowkit.templates import builtins
from workflowkit.templates.models import CheckLibrary, WorkflowTemplate
from workflowkit.templates.resolve import (
    AmbiguousLibraryCheck,
    ResolutionFailed,
    TemplateRegistry,
)


def template(tid: str, **fields: Any) -> WorkflowTemplate:
    return WorkflowTemplate.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "WorkflowTemplate",
            "id": tid,
            "name": tid,
            "version": "1.0.0",
            **fields,
        }
    )


def library(lid: str, *check_ids: str) -> CheckLibrary:
    return CheckLibrary.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "CheckLibrary",
            "id": lid,
            "name": lid,
            "checks": [{"id": c, "title": f"{c} from {lid}"} for c in check_ids],
        }
    )


A = library("lib-a", "aml", "only-a")
B = library("lib-b", "other", "aml")
C = library("lib-c", "aml")


def problems(reg: TemplateRegistry, t: WorkflowTemplate) -> list[tuple[str, str, str]]:
    with pytest.raises(ResolutionFailed) as info:
        reg.resolve_document(t)
    return [(p.code, p.pointer, p.message) for p in info.value.problems]


def test_two_practice_libraries_defining_a_check_make_use_ambiguous() -> None:
    t = template("t", checks=[{"use": "only-a"}, {"use": "aml"}])
    reg = TemplateRegistry([t], [A, B], include_builtins=False)
    assert problems(reg, t) == [
        (
            "WK125",
            "/checks/1/use",
            "library check 'aml' is ambiguous: libraries 'lib-a' and 'lib-b' both define it",
        )
    ]
    with pytest.raises(DocumentError) as info:
        reg.get("t")
    (diag,) = info.value.diagnostics
    assert diag.code == "WK125" and diag.hint is not None and "library: lib-a" in diag.hint
    with pytest.raises(AmbiguousLibraryCheck) as amb:
        reg.library_check("aml")
    assert amb.value.libraries == ("lib-a", "lib-b")


def test_naming_the_library_resolves_it() -> None:
    t = template(
        "t",
        checks=[{"use": "aml", "library": "lib-b"}, {"use": "aml", "library": "lib-a", "id": "x"}],
    )
    r = TemplateRegistry([t], [A, B], include_builtins=False).get("t")
    assert [c.title for c in r.checks] == ["aml from lib-b", "aml from lib-a"]


def test_three_libraries_are_all_named() -> None:
    t = template("t", checks=[{"use": "aml"}])
    reg = TemplateRegistry([t], [A, B, C], include_builtins=False)
    ((code, _, message),) = problems(reg, t)
    assert code == "WK125"
    assert message.endswith("libraries 'lib-a', 'lib-b' and 'lib-c' all define it")


def test_ambiguity_in_customise_and_in_a_base_template() -> None:
    base = template("base", checks=[{"use": "aml"}])
    child = template("child", extends="base", checks=[{"id": "own", "title": "Own"}])
    replacing = template(
        "replacing",
        extends="plain",
        customise={"add": [{"checks": [{"use": "aml"}]}]},
    )
    plain = template("plain", checks=[{"id": "p", "title": "P"}])
    reg = TemplateRegistry([base, child, plain, replacing], [A, B], include_builtins=False)
    assert problems(reg, child) == [
        (
            "WK125",
            "/extends",
            "in base template 'base': library check 'aml' is ambiguous: "
            "libraries 'lib-a' and 'lib-b' both define it",
        )
    ]
    assert [p[:2] for p in problems(reg, replacing)] == [("WK125", "/customise/add/0/checks/0/use")]


def test_a_practice_library_still_takes_the_place_of_a_built_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(builtins, "builtin_documents", lambda: ((), (library("builtin", "aml"),)))
    t = template("t", checks=[{"use": "aml"}])
    r = TemplateRegistry([t], [A]).get("t")
    assert r.checks[0].title == "aml from lib-a"


def test_two_built_in_libraries_defining_a_check_are_ambiguous_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        builtins,
        "builtin_documents",
        lambda: ((), (library("builtin-1", "vat"), library("builtin-2", "vat"))),
    )
    t = template("t", checks=[{"use": "vat"}])
    reg = TemplateRegistry([t])
    assert [p[0] for p in problems(reg, t)] == ["WK125"]


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_validate_names_the_use_and_both_definitions(tmp_path: Path) -> None:
    head = "apiVersion: workflowkit/v1\nkind: CheckLibrary\n"
    _write(
        tmp_path,
        "libs/a.yaml",
        head + "id: lib-a\nname: A\nchecks:\n  - id: aml\n    title: AML from A\n",
    )
    _write(
        tmp_path,
        "libs/b.yaml",
        head + "id: lib-b\nname: B\nchecks:\n  - id: other\n    title: Other\n"
        "  - id: aml\n    title: AML from B\n",
    )
    _write(
        tmp_path,
        "t.yaml",
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: t\nname: T\nversion: 1.0.0\n"
        "checks:\n  - use: aml\n",
    )
    ws = read_workspace([tmp_path], jobs=1)
    found = [d.format().replace(f"{tmp_path}/", "") for d in ws.diagnostics()]
    assert found == [
        "t.yaml:7:10: WK125 library check 'aml' is ambiguous: libraries 'lib-a' and 'lib-b' "
        "both define it ('lib-a' at libs/a.yaml:6:9; 'lib-b' at libs/b.yaml:8:9) "
        "(hint: say which with `library:` (for example `library: lib-a`))"
    ]
