"""F2 (issue 19): `extends` resolution is linear. The chain is walked once, at most the depth
limit, and each template is resolved once; long chains and cycles cost a bounded number of
lookups per template, never the whole chain. Timings are in benchmarks/extends.py; these
tests count lookups, which do not depend on the machine."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from workflowkit.source.loader import DEFAULT_LIMITS
from workflowkit.source.workspace import read_workspace
from workflowkit.templates.models import Check, CheckLibrary, WorkflowTemplate
from workflowkit.templates.resolve import (
    ResolutionFailed,
    ResolutionMemo,
    TemplateRegistry,
    resolve_template,
)

DEPTH = DEFAULT_LIMITS.max_extends_depth


def template(tid: str, extends: str | None = None, **fields: Any) -> WorkflowTemplate:
    data: dict[str, Any] = {
        "apiVersion": "workflowkit/v1",
        "kind": "WorkflowTemplate",
        "id": tid,
        "name": tid,
        "version": "1.0.0",
        "checks": [{"id": f"{tid}-check", "title": "A check"}],
        **fields,
    }
    if extends is not None:
        data["extends"] = extends
    return WorkflowTemplate.model_validate(data)


def chain(n: int, **root: Any) -> dict[str, WorkflowTemplate]:
    """t0 is the root; t{i} extends t{i-1}."""
    docs = {"t0": template("t0", **root)}
    for i in range(1, n):
        docs[f"t{i}"] = template(f"t{i}", extends=f"t{i - 1}")
    return docs


def cycle(n: int) -> dict[str, WorkflowTemplate]:
    """t{i} extends t{i+1}, and the last extends t0."""
    return {f"t{i}": template(f"t{i}", extends=f"t{(i + 1) % n}") for i in range(n)}


class Counting:
    """A template lookup that counts its calls."""

    def __init__(self, docs: dict[str, WorkflowTemplate]) -> None:
        self.docs = docs
        self.calls = 0

    def __call__(self, tid: str) -> WorkflowTemplate | None:
        self.calls += 1
        return self.docs.get(tid)


def no_library(check_id: str, library_id: str | None) -> Check | None:
    return None


def resolve_every(docs: dict[str, WorkflowTemplate], lookup: Counting) -> Counter[str]:
    """Resolve each template over one memo, as the registry does: outcome counts."""
    memo = ResolutionMemo()
    outcomes: Counter[str] = Counter()
    for doc in docs.values():
        try:
            resolve_template(doc, lookup, no_library, memo=memo)
            outcomes["ok"] += 1
        except ResolutionFailed as exc:
            outcomes[exc.problems[0].code] += 1
    return outcomes


@pytest.mark.parametrize("n", [300, 600])
def test_a_long_chain_costs_at_most_the_depth_limit_in_lookups_per_template(n: int) -> None:
    lookup = Counting(chain(n, review={"levels": [{"role": "reviewer"}]}))
    outcomes = resolve_every(lookup.docs, lookup)
    # t0..t8 resolve; the rest are over the limit of 8, each reported once.
    assert outcomes == {"ok": DEPTH + 1, "WK205": n - DEPTH - 1}
    # Walking the whole chain for the review policy and the period took n*(n-1)/2 lookups.
    assert lookup.calls <= n * DEPTH


@pytest.mark.parametrize("n", [300, 600])
def test_a_long_cycle_costs_at_most_the_depth_limit_in_lookups_per_template(n: int) -> None:
    lookup = Counting(cycle(n))
    outcomes = resolve_every(lookup.docs, lookup)
    # A cycle longer than the limit is over the limit before it closes, for every member.
    assert outcomes == {"WK205": n}
    assert lookup.calls <= n * DEPTH


def test_a_short_cycle_is_named_from_each_member() -> None:
    lookup = Counting(cycle(3))
    with pytest.raises(ResolutionFailed) as info:
        resolve_template(lookup.docs["t1"], lookup, no_library)
    (problem,) = info.value.problems
    assert (problem.code, problem.pointer) == ("WK204", "/extends")
    assert problem.message == "extends cycle: t1 -> t2 -> t0 -> t1"
    assert lookup.calls == 2


def test_each_template_is_resolved_once_over_a_shared_memo() -> None:
    library = CheckLibrary.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "CheckLibrary",
            "id": "lib",
            "name": "Lib",
            "checks": [{"id": "shared", "title": "Shared"}],
        }
    )
    used: Counter[str] = Counter()

    def lib(check_id: str, library_id: str | None) -> Check | None:
        used[check_id] += 1
        return next((c for c in library.checks if c.id == check_id), None)

    docs = {"t0": template("t0", checks=[{"use": "shared"}])}
    for i in range(1, DEPTH + 1):
        docs[f"t{i}"] = template(f"t{i}", extends=f"t{i - 1}")
    memo = ResolutionMemo()
    resolved = [resolve_template(d, docs.get, lib, memo=memo) for d in reversed(docs.values())]
    assert used == {"shared": 1}
    assert len(memo) == DEPTH + 1
    deepest = resolved[0]
    assert deepest.id == f"t{DEPTH}"
    assert deepest.check_ids == ("shared", *(f"t{i}-check" for i in range(1, DEPTH + 1)))
    # Without a memo each resolution does its own chain, with the same result.
    alone = resolve_template(docs[f"t{DEPTH}"], docs.get, lib)
    assert alone == deepest


def test_review_and_period_are_inherited_only_within_the_depth_limit() -> None:
    docs = chain(6, review={"levels": [{"role": "partner"}]}, period="monthly")
    reg = TemplateRegistry(
        docs.values(), include_builtins=False, limits=replace(DEFAULT_LIMITS, max_extends_depth=3)
    )
    within = reg.resolve_document(docs["t3"])
    assert [lvl.role for lvl in within.review.levels] == ["partner"]
    assert within.period == "monthly"
    assert within.extends_chain == ("t2", "t1", "t0")
    with pytest.raises(ResolutionFailed) as info:
        reg.resolve_document(docs["t4"])
    (problem,) = info.value.problems
    assert problem.code == "WK205"
    assert problem.message == "extends chain deeper than 3: t4 -> t3 -> t2 -> t1 -> t0"


def test_a_missing_base_deep_in_the_chain_is_reported_through_each_level() -> None:
    docs = {
        "top": template("top", extends="middle"),
        "middle": template("middle", extends="bottom"),
        "bottom": template("bottom", extends="gone"),
    }
    with pytest.raises(ResolutionFailed) as info:
        resolve_template(docs["top"], docs.get, no_library)
    (problem,) = info.value.problems
    assert (problem.code, problem.pointer) == ("WK203", "/extends")
    assert problem.message == (
        "in base template 'middle': in base template 'bottom': "
        "extends 'gone', but no template has that id"
    )


def test_a_folder_with_a_long_chain_reports_each_template_over_the_limit(tmp_path: Path) -> None:
    n = 60
    for i in range(n):
        extends = f"extends: t{i - 1}\n" if i else ""
        (tmp_path / f"t{i:03d}.yaml").write_text(
            "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\n"
            f"id: t{i}\nname: T{i}\nversion: 1.0.0\n{extends}"
            f"checks:\n  - id: c{i}\n    title: Check {i}\n",
            encoding="utf-8",
        )
    ws = read_workspace([tmp_path], jobs=1)
    found = [(Path(d.file or "").name, d.code, d.line) for d in ws.diagnostics()]
    assert found == [(f"t{i:03d}.yaml", "WK205", 6) for i in range(DEPTH + 1, n)]
