"""Resolving templates: extends chains, customise (in its order), libraries, the registry."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from workflowkit.errors import DocumentError, NotFoundError
from workflowkit.source.loader import DEFAULT_LIMITS
from workflowkit.source.workspace import read_workspace
from workflowkit.templates import builtins
from workflowkit.templates.models import CheckLibrary, ReviewPolicy, WorkflowTemplate
from workflowkit.templates.resolve import (
    ResolutionFailed,
    ResolvedTemplate,
    TemplateRegistry,
    entry_pointers,
)
from workflowkit.templates.validate import registry_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "valid"


def template(tid: str, version: str = "1.0.0", **fields: Any) -> WorkflowTemplate:
    data = {
        "apiVersion": "workflowkit/v1",
        "kind": "WorkflowTemplate",
        "id": tid,
        "name": tid.title(),
        "version": version,
        **fields,
    }
    return WorkflowTemplate.model_validate(data)


def library(lid: str, *checks: dict[str, Any]) -> CheckLibrary:
    return CheckLibrary.model_validate(
        {
            "apiVersion": "workflowkit/v1",
            "kind": "CheckLibrary",
            "id": lid,
            "name": lid,
            "checks": list(checks),
        }
    )


def checks(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "title": i.upper()} for i in ids]


BASE = template(
    "base",
    checks=[
        *checks("a", "b"),
        {"section": "Ledgers", "checks": checks("c", "d")},
        *checks("e"),
    ],
    review={"levels": [{"role": "reviewer"}]},
)


def registry(
    *templates: WorkflowTemplate, libraries: tuple[CheckLibrary, ...] = (), **limits: int
) -> TemplateRegistry:
    return TemplateRegistry(
        [BASE, *templates],
        libraries,
        include_builtins=False,
        limits=replace(DEFAULT_LIMITS, **limits),
    )


def ids(resolved: ResolvedTemplate) -> list[str]:
    return list(resolved.check_ids)


def problems(reg: TemplateRegistry, t: WorkflowTemplate) -> list[tuple[str, str]]:
    with pytest.raises(ResolutionFailed) as info:
        reg.resolve_document(t)
    return [(p.code, p.pointer) for p in info.value.problems]


# ---------------------------------------------------------------------------------
# Plain templates and sections
# ---------------------------------------------------------------------------------


def test_sections_flatten_onto_their_checks() -> None:
    r = registry().get("base")
    assert ids(r) == ["a", "b", "c", "d", "e"]
    assert [c.section for c in r.checks] == [None, None, "Ledgers", "Ledgers", None]
    assert r.check("c").title == "C"
    assert r.extends_chain == ()
    with pytest.raises(NotFoundError, match="no check 'zz'"):
        r.check("zz")


def test_resolved_templates_are_frozen() -> None:
    r = registry().get("base")
    with pytest.raises(ValidationError):
        r.checks[0].title = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------------------------
# extends and customise
# ---------------------------------------------------------------------------------


def test_extends_appends_the_templates_own_checks() -> None:
    child = template("child", extends="base", checks=checks("f"))
    r = registry(child).get("child")
    assert ids(r) == ["a", "b", "c", "d", "e", "f"]
    assert r.extends_chain == ("base",)


def test_a_chain_of_extends() -> None:
    middle = template("middle", extends="base", checks=checks("m"))
    leaf = template("leaf", extends="middle", customise={"remove": ["a"]}, checks=checks("l"))
    r = registry(middle, leaf).get("leaf")
    assert ids(r) == ["b", "c", "d", "e", "m", "l"]
    assert r.extends_chain == ("middle", "base")


def test_customise_operations() -> None:
    child = template(
        "child",
        extends="base",
        customise={
            "remove": ["b"],
            "replace": [{"id": "c", "title": "C, replaced", "guidance": "new"}],
            "add": [
                {"after": "c", "checks": checks("x")},
                {"before": "a", "section": "Start", "checks": checks("y", "z")},
                {"checks": checks("w")},
            ],
            "move": [{"check": "e", "before": "c"}, {"check": "y"}],
        },
    )
    r = registry(child).get("child")
    assert ids(r) == ["z", "a", "e", "c", "x", "d", "w", "y"]
    assert r.check("c").title == "C, replaced"
    assert r.check("c").section == "Ledgers", "a replacement keeps the base check's section"
    assert r.check("y").section == "Start"
    assert r.check("x").section is None


def test_customise_applies_remove_then_replace_then_add_then_move() -> None:
    # Removing first: a removed check cannot be replaced, added after or moved.
    child = template(
        "child",
        extends="base",
        customise={
            "remove": ["a"],
            "replace": [{"id": "a", "title": "A2"}],
            "add": [{"after": "a", "checks": checks("x")}],
            "move": [{"check": "a"}],
        },
    )
    assert problems(registry(child), child) == [
        ("WK210", "/customise/replace/0"),
        ("WK210", "/customise/add/0/after"),
        ("WK210", "/customise/move/0/check"),
    ]
    # Moving last: a check added (or replaced) can be moved.
    child = template(
        "child",
        extends="base",
        customise={
            "replace": [{"id": "e", "title": "E2"}],
            "add": [{"checks": checks("x")}],
            "move": [{"check": "x", "before": "a"}, {"check": "e", "after": "x"}],
        },
    )
    r = registry(child).get("child")
    assert ids(r) == ["x", "e", "a", "b", "c", "d"]
    assert r.check("e").title == "E2"


def test_customise_problems() -> None:
    child = template(
        "child",
        extends="base",
        customise={
            "remove": ["nope"],
            "add": [{"after": "a", "before": "b", "checks": checks("x")}],
            "move": [{"check": "a", "after": "a"}],
        },
    )
    assert problems(registry(child), child) == [
        ("WK210", "/customise/remove/0"),
        ("WK210", "/customise/add/0"),
        ("WK210", "/customise/move/0/after"),
    ]
    lone = template("lone", customise={"remove": ["a"]}, checks=checks("a"))
    assert problems(registry(lone), lone) == [("WK210", "/customise")]


def test_a_check_added_twice_is_a_duplicate_at_its_entry() -> None:
    child = template("child", extends="base", checks=[{"section": "S", "checks": checks("d")}])
    assert problems(registry(child), child) == [("WK201", "/checks/0/checks/0")]
    child = template("child", extends="base", customise={"add": [{"checks": checks("a")}]})
    assert problems(registry(child), child) == [("WK201", "/customise/add/0/checks/0")]


def test_extends_problems() -> None:
    unknown = template("unknown", extends="missing")
    assert problems(registry(unknown), unknown) == [("WK203", "/extends")]
    selfish = template("selfish", extends="selfish")
    assert problems(registry(selfish), selfish) == [("WK204", "/extends")]
    one, two = template("one", extends="two"), template("two", extends="one")
    reg = registry(one, two)
    with pytest.raises(ResolutionFailed) as info:
        reg.resolve_document(one)
    assert info.value.problems[0].message == "extends cycle: one -> two -> one"
    outside = template("outside", extends="one")
    assert problems(registry(one, two, outside), outside) == [("WK204", "/extends")]


def test_extends_depth_limit() -> None:
    chain = [template(f"t{i}", extends=f"t{i + 1}") for i in range(3)]
    chain.append(template("t3", extends="base"))
    reg = registry(*chain, max_extends_depth=3)
    assert problems(reg, chain[0]) == [("WK205", "/extends")]
    assert ids(reg.resolve_document(chain[1])) == ["a", "b", "c", "d", "e"]


def test_problems_in_a_base_are_reported_at_extends() -> None:
    broken = template("broken", extends="base", customise={"remove": ["zz"]})
    child = template("child", extends="broken")
    with pytest.raises(ResolutionFailed) as info:
        registry(broken, child).resolve_document(child)
    (p,) = info.value.problems
    assert (p.code, p.pointer) == ("WK210", "/extends")
    assert p.message.startswith("in base template 'broken': cannot remove 'zz'")


def test_check_limit_counts_the_resolved_template() -> None:
    child = template("child", extends="base", checks=checks("f", "g"))
    assert problems(registry(child, max_checks=6), child) == [("WK209", "/checks")]
    assert len(registry(child, max_checks=7).get("child").checks) == 7


# ---------------------------------------------------------------------------------
# The review policy
# ---------------------------------------------------------------------------------


def test_review_policy_is_inherited_from_the_nearest_template_that_sets_one() -> None:
    middle = template("middle", extends="base")
    leaf = template("leaf", extends="middle")
    own = template("own", extends="middle", review={"levels": [], "preparer_may_review": True})
    reg = registry(middle, leaf, own)
    assert [lvl.role for lvl in reg.get("leaf").review.levels] == ["reviewer"]
    assert reg.get("own").review == ReviewPolicy(levels=(), preparer_may_review=True)
    assert registry(template("plain")).get("plain").review == ReviewPolicy()


def test_a_review_policy_is_replaced_whole_not_merged() -> None:
    top = template(
        "top",
        review={
            "levels": [{"role": "manager"}],
            "preparer_may_review": True,
            "reassign_by": ["assignee", "manager"],
        },
    )
    child = template("child", extends="top", review={"levels": [{"role": "partner"}]})
    r = registry(top, child).get("child")
    assert [lvl.role for lvl in r.review.levels] == ["partner"]
    assert r.review.preparer_may_review is False
    assert r.review.reassign_by == ("assignee",)


# ---------------------------------------------------------------------------------
# Library checks
# ---------------------------------------------------------------------------------

PRACTICE = library(
    "practice",
    {"id": "aml", "title": "AML", "guidance": "ID and address."},
    {
        "id": "stale",
        "title": "Stale items",
        "kind": "automated",
        "data_check": "bank-reconciliation",
        "params": {"max_unreconciled_age_days": 30},
    },
)
PAYROLL = library("payroll", {"id": "aml", "title": "Payroll AML"})


def test_library_references_and_overrides() -> None:
    t = template(
        "t",
        checks=[
            {"use": "aml", "library": "practice"},
            {"use": "aml", "library": "payroll", "id": "payroll-aml"},
            {
                "use": "stale",
                "title": "Very stale",
                "params": {"max_unreconciled_age_days": 90},
                "requires": {"file": ["complete"]},
            },
            {
                "section": "S",
                "checks": [
                    {"use": "aml", "library": "practice", "id": "aml-again", "guidance": "Again."}
                ],
            },
        ],
    )
    # `aml` is in both libraries, so each `use:` of it names one (without, it is WK125).
    r = registry(t, libraries=(PRACTICE, PAYROLL)).get("t")
    assert ids(r) == ["aml", "payroll-aml", "stale", "aml-again"]
    assert r.check("aml").title == "AML"
    assert r.check("payroll-aml").title == "Payroll AML"
    stale = r.check("stale")
    assert (stale.title, stale.kind, stale.data_check) == (
        "Very stale",
        "automated",
        "bank-reconciliation",
    )
    assert stale.params == {"max_unreconciled_age_days": 90}
    assert stale.requires.file == ("complete",)
    again = r.check("aml-again")
    assert (again.title, again.guidance, again.section) == ("AML", "Again.", "S")


def test_unknown_library_checks() -> None:
    t = template(
        "t",
        checks=[
            {"use": "nope"},
            {"use": "aml", "library": "elsewhere"},
            {"use": "aml", "library": "payroll"},
        ],
    )
    assert problems(registry(t, libraries=(PRACTICE, PAYROLL)), t) == [
        ("WK202", "/checks/0/use"),
        ("WK202", "/checks/1/use"),
    ]


def test_of_several_versions_of_a_library_the_highest_is_used() -> None:
    old = library("practice", {"id": "aml", "title": "Old AML"}, {"id": "gone", "title": "G"})
    new = library("practice", {"id": "aml", "title": "New AML"})
    new = new.model_copy(update={"version": "1.10.0"})
    old = old.model_copy(update={"version": "1.9.0"})
    for order in ((old, new), (new, old)):
        t = template("t", checks=[{"use": "aml"}])
        reg = registry(t, libraries=order)
        assert reg.get("t").check("aml").title == "New AML"
        assert reg.library_check("gone") is None


def _fake_builtins(monkeypatch: pytest.MonkeyPatch, *docs: WorkflowTemplate | CheckLibrary) -> None:
    templates = tuple(d for d in docs if isinstance(d, WorkflowTemplate))
    libraries = tuple(d for d in docs if isinstance(d, CheckLibrary))
    monkeypatch.setattr(builtins, "builtin_documents", lambda: (templates, libraries))


def test_the_practices_library_checks_come_before_the_built_in_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_builtins(
        monkeypatch,
        library(
            "builtin-lib",
            {"id": "aml", "title": "Built-in AML"},
            {"id": "vat", "title": "Built-in VAT"},
        ),
    )
    t = template(
        "t",
        checks=[
            {"use": "aml"},
            {"use": "vat"},
            {"use": "aml", "library": "builtin-lib", "id": "b-aml"},
        ],
    )
    r = TemplateRegistry([t], [PRACTICE]).get("t")
    assert [c.title for c in r.checks] == ["AML", "Built-in VAT", "Built-in AML"]


def test_a_practice_template_takes_the_place_of_a_built_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_builtins(
        monkeypatch,
        template("monthly", "1.0.0", checks=checks("a")),
        template("monthly", "2.0.0", checks=checks("a", "b")),
        template("yearly", "1.0.0", checks=checks("y")),
    )
    reg = TemplateRegistry([template("monthly", "0.1.0", checks=checks("mine"))])
    assert reg.ids == ["monthly", "yearly"]
    assert reg.versions("monthly") == ["0.1.0"]
    assert ids(reg.get("monthly")) == ["mine"]
    assert ids(reg.get("yearly")) == ["y"]
    assert ids(TemplateRegistry(include_builtins=True).get("monthly")) == ["a", "b"]
    assert TemplateRegistry(include_builtins=False).ids == []


# ---------------------------------------------------------------------------------
# The registry: versions, lookups, caching
# ---------------------------------------------------------------------------------


def test_versions_sort_by_semver_and_get_picks_the_highest_in_range() -> None:
    vs = ["1.9.0", "1.10.0", "1.2.0", "2.0.0-beta.1", "0.9.0"]
    reg = registry(*(template("t", v, checks=checks("v" + v.replace(".", "-"))) for v in vs))
    assert reg.versions("t") == ["0.9.0", "1.2.0", "1.9.0", "1.10.0", "2.0.0-beta.1"]
    assert reg.get("t").version == "1.10.0"
    assert reg.get("t", "~1.9").version == "1.9.0"
    assert reg.get("t", "<1.5").version == "1.2.0"
    assert reg.get("t", "^2.0.0-alpha").version == "2.0.0-beta.1"
    assert reg.document("t", "1.2.0").version == "1.2.0"
    with pytest.raises(NotFoundError, match="no version matching '\\^3'"):
        reg.get("t", "^3")
    with pytest.raises(NotFoundError, match="no template 'zz'"):
        reg.get("zz")


def test_extends_uses_the_latest_version_of_the_base() -> None:
    old = template("year-end", "1.9.0", checks=checks("a"))
    new = template("year-end", "1.10.0", checks=checks("a", "b"))
    child = template("child", extends="year-end")
    assert ids(registry(old, new, child).get("child")) == ["a", "b"]


def test_get_caches_and_raises_document_error_for_a_broken_template() -> None:
    reg = registry(template("child", extends="base"))
    assert reg.get("child") is reg.get("child")
    broken = registry(template("broken", extends="missing"))
    with pytest.raises(DocumentError) as info:
        broken.get("broken")
    assert [d.code for d in info.value.diagnostics] == ["WK203"]
    assert "broken@1.0.0 cannot be resolved" in str(info.value)


def test_resolving_twice_gives_the_same_and_leaves_the_base_alone() -> None:
    child = template(
        "child",
        extends="base",
        customise={"remove": ["a"], "move": [{"check": "e", "before": "b"}]},
    )
    reg = registry(child)
    first = reg.resolve_document(child)
    assert reg.resolve_document(child) == first
    assert ids(reg.get("base")) == ["a", "b", "c", "d", "e"]


def test_entry_pointers() -> None:
    t = template(
        "t",
        extends="base",
        checks=[
            *checks("x"),
            {"section": "S", "checks": [{"use": "aml"}, {"use": "aml", "id": "y"}]},
        ],
        customise={"replace": [{"id": "a", "title": "A"}], "add": [{"checks": checks("z")}]},
    )
    assert entry_pointers(t) == {
        "a": "/customise/replace/0",
        "z": "/customise/add/0/checks/0",
        "x": "/checks/0",
        "aml": "/checks/1/checks/0",
        "y": "/checks/1/checks/1",
    }


# ---------------------------------------------------------------------------------
# The example folders
# ---------------------------------------------------------------------------------


def test_the_customise_example_resolves_as_documented() -> None:
    reg = registry_of(read_workspace([EXAMPLES / "extends-customise"]))
    r = reg.get("our-bookkeeping")
    assert ids(r) == [
        "bank-feeds",
        "suspense",
        "vat-control",
        "receivables",
        "payables",
        "accruals",
        "fixed-assets",
        "bank-rec",
        "director-loan",
    ]
    assert r.check("accruals").section == "Ledgers"
    assert [lvl.role for lvl in r.review.levels] == ["reviewer", "partner"]


def test_the_chain_example_inherits_the_review_policy_from_its_root() -> None:
    reg = registry_of(read_workspace([EXAMPLES / "extends-chain"]))
    r = reg.get("leaf")
    assert ids(r) == ["two", "three"]
    assert r.extends_chain == ("middle", "root")
    assert r.review.preparer_may_review is True
    assert [lvl.role for lvl in r.review.levels] == ["manager"]


def test_the_versioned_example_extends_the_highest_version() -> None:
    reg = registry_of(read_workspace([EXAMPLES / "versioned-templates"]))
    assert reg.versions("year-end") == ["1.9.0", "1.10.0"]
    assert ids(reg.get("year-end-custom")) == [
        "trial-balance",
        "fixed-asset-register",
        "stock-count",
    ]
