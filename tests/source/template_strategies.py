"""Hypothesis strategies: valid template and library documents as plain data, and mutations.

The documents are built as the data a file holds (dicts, lists, strings, numbers), so a
test can write them as YAML or JSON and read them back through the real loader.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

STATUSES = ("complete", "complete_with_issues", "not_applicable")
PERIODS = ("monthly", "quarterly", "vat-period", "annual", "one-off", "any")

slugs = st.from_regex(r"\A[a-z0-9](?:[a-z0-9-]{0,12}[a-z0-9])?\Z", fullmatch=True)
"""Stable ids: lower-case letters, digits and hyphens (kept short so lists stay unique)."""

_BIDI = "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Any printable text YAML and JSON can carry: every code point but surrogates and the
# controls and bidi overrides a name or text refuses (issue 19, F4/F9); line breaks and
# tabs stay in free text.
any_text = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters=_BIDI)
    | st.sampled_from("\n\t"),
    max_size=40,
)
titles = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters=_BIDI),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")
"""Titles are stripped by the model; at least one non-blank character, no controls."""


@st.composite
def semvers(draw: st.DrawFn) -> str:
    core = ".".join(str(draw(st.integers(0, 120))) for _ in range(3))
    pre = draw(
        st.one_of(
            st.just(""),
            st.sampled_from(["alpha", "beta.2", "rc.1", "0.3.7", "x-y-z"]).map(lambda p: "-" + p),
        )
    )
    build = draw(st.sampled_from(["", "+build.5", "+20240101"]))
    return core + pre + build


def requirements() -> st.SearchStrategy[dict[str, Any]]:
    subsets = st.lists(st.sampled_from(STATUSES), unique=True, max_size=3)
    return st.fixed_dictionaries({}, optional={"comment": subsets, "file": subsets})


def data_check_params() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    bank = st.fixed_dictionaries(
        {},
        optional={
            "max_unreconciled_age_days": st.integers(0, 400),
            "balance_tolerance": st.sampled_from(["0.00", "0.50", "1", 0, 2]),
            "accounts": st.lists(st.sampled_from(["090", "091", "Main", "1200"]), max_size=3),
        },
    )
    contacts = st.fixed_dictionaries(
        {}, optional={"precision": st.sampled_from(["strict", "close", "similar", "rough"])}
    )
    transactions = st.fixed_dictionaries(
        {},
        optional={
            "window_days": st.sampled_from([3, 5, 7, 13, 31]),
            "include_bank_transactions": st.booleans(),
            "lookback_days": st.integers(1, 3660),
        },
    )
    return st.one_of(
        bank.map(lambda p: ("bank-reconciliation", p)),
        contacts.map(lambda p: ("duplicate-contacts", p)),
        transactions.map(lambda p: ("duplicate-transactions", p)),
    )


@st.composite
def checks(draw: st.DrawFn, check_id: str) -> dict[str, Any]:
    """A manual or automated check, or a reference to a library check."""
    shape = draw(st.sampled_from(["manual", "automated", "ref"]))
    if shape == "ref":
        out: dict[str, Any] = {"use": draw(slugs), "id": check_id}
        if draw(st.booleans()):
            out["library"] = draw(slugs)
        if draw(st.booleans()):
            out["title"] = draw(titles)
        if draw(st.booleans()):
            out["guidance"] = draw(any_text)
        return out
    out = {"id": check_id, "title": draw(titles)}
    if draw(st.booleans()):
        out["guidance"] = draw(any_text)
    if shape == "automated":
        name, params = draw(data_check_params())
        out["kind"] = "automated"
        out["data_check"] = name
        if draw(st.booleans()) or params:  # empty params sometimes, to be written out
            out["params"] = params
    elif draw(st.booleans()):
        out["kind"] = "manual"
    if draw(st.booleans()):
        out["requires"] = draw(requirements())
    if draw(st.booleans()):
        out["tags"] = draw(st.lists(slugs, max_size=3))
    return out


@st.composite
def review_policies(draw: st.DrawFn) -> dict[str, Any]:
    roles = draw(st.lists(slugs.filter(lambda r: r != "assignee"), unique=True, max_size=3))
    out: dict[str, Any] = {}
    if draw(st.booleans()) or roles:
        levels = []
        for role in roles:
            level: dict[str, Any] = {"role": role}
            if draw(st.booleans()):
                level["title"] = draw(titles)
            levels.append(level)
        out["levels"] = levels
    for key in ("preparer_may_review", "same_reviewer_at_several_levels"):
        if draw(st.booleans()):
            out[key] = draw(st.booleans())
    if draw(st.booleans()):
        out["reassign_by"] = draw(
            st.lists(st.sampled_from(["assignee", *roles]), unique=True, max_size=3)
        )
    return out


@st.composite
def templates(draw: st.DrawFn, *, extends: bool | None = None) -> dict[str, Any]:
    """A valid ``WorkflowTemplate`` document (valid on its own: references not checked)."""
    ids = draw(st.lists(slugs, unique=True, min_size=0, max_size=8))
    items: list[dict[str, Any]] = []
    pending = list(ids)
    while pending:
        if draw(st.integers(0, 3)) == 0:
            size = draw(st.integers(1, min(3, len(pending))))
            group, pending = pending[:size], pending[size:]
            items.append({"section": draw(titles), "checks": [draw(checks(i)) for i in group]})
        else:
            items.append(draw(checks(pending.pop(0))))
    doc: dict[str, Any] = {
        "apiVersion": "workflowkit/v1",
        "kind": "WorkflowTemplate",
        "id": draw(slugs),
        "name": draw(titles),
        "version": draw(semvers()),
    }
    if draw(st.booleans()):
        doc["description"] = draw(any_text)
    if draw(st.booleans()):
        doc["period"] = draw(st.sampled_from(PERIODS))
    if draw(st.booleans()) or items:
        doc["checks"] = items
    with_extends = draw(st.booleans()) if extends is None else extends
    if with_extends:
        doc["extends"] = draw(slugs)
        if draw(st.booleans()):
            doc["customise"] = draw(customisations(exclude=set(ids)))
    if draw(st.booleans()):
        doc["review"] = draw(review_policies())
    if draw(st.booleans()):
        doc["tags"] = draw(st.lists(slugs, max_size=3))
    return doc


@st.composite
def customisations(draw: st.DrawFn, exclude: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fresh = slugs.filter(lambda s: s not in exclude)
    if draw(st.booleans()):
        out["remove"] = draw(st.lists(slugs, max_size=3))
    if draw(st.booleans()):
        out["replace"] = [draw(checks(draw(slugs))) for _ in range(draw(st.integers(1, 2)))]
    if draw(st.booleans()):
        add: dict[str, Any] = {"checks": [draw(checks(draw(fresh)))]}
        where = draw(st.sampled_from(["after", "before", None]))
        if where:
            add[where] = draw(slugs)
        if draw(st.booleans()):
            add["section"] = draw(titles)
        out["add"] = [add]
    if draw(st.booleans()):
        move: dict[str, Any] = {"check": draw(slugs)}
        where = draw(st.sampled_from(["after", "before", None]))
        if where:
            move[where] = draw(slugs)
        out["move"] = [move]
    return out


@st.composite
def libraries(draw: st.DrawFn) -> dict[str, Any]:
    """A valid ``CheckLibrary`` document."""
    ids = draw(st.lists(slugs, unique=True, min_size=1, max_size=6))
    items = []
    for cid in ids:
        c = draw(checks(cid))
        while "use" in c:  # a library holds checks, not references
            c = draw(checks(cid))
        items.append(c)
    doc: dict[str, Any] = {
        "apiVersion": "workflowkit/v1",
        "kind": "CheckLibrary",
        "id": draw(slugs),
        "name": draw(titles),
        "checks": items,
    }
    if draw(st.booleans()):
        doc["version"] = draw(semvers())
    return doc


documents = st.one_of(templates(), libraries())

# ---------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------

hostile_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
"""Every code point but surrogates, controls and bidi overrides included (for mutations)."""

garbage = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(hostile_text, st.integers(), max_size=2),
    st.sampled_from(
        [
            "NO",
            "yes",
            "~",
            "null",
            "0o17",
            "0x1F",
            "2024-01-31",
            "1e3",
            ".inf",
            "<<",
            "*alias",
            "&anchor",
            "!tag",
            "%YAML 1.1",
            "---",
            "...",
            "{",
            "[",
        ]
    ),
)
"""Values of every type, and strings that look like YAML syntax."""


def _not_of_type(kind: type) -> st.SearchStrategy[Any]:
    return garbage.filter(lambda g: type(g) is not kind)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``value`` (the root included)."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        value = value[p]
    return value


def _nested(depth: int, leaf: Any) -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"x": value}
    return value


MUTATIONS = (
    "delete",
    "wrong-type",
    "rename",
    "shuffle",
    "garbage",
    "unicode-key",
    "deep",
    "duplicate-item",
)


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[dict[str, Any]] = documents) -> Any:
    """A valid document with one to four random mutations applied."""
    doc: Any = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(MUTATIONS))
        if not path:  # the root itself
            if op in ("wrong-type", "garbage"):
                doc = draw(garbage)
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if op == "delete":
            del parent[key]
        elif op == "wrong-type":
            parent[key] = draw(_not_of_type(type(parent[key])))
        elif op == "rename" and isinstance(parent, dict):
            new = draw(st.one_of(hostile_text, st.sampled_from(["titel", "ID", "check", "kind"])))
            if new not in parent:
                parent[new] = parent.pop(key)
        elif op == "shuffle" and isinstance(parent[key], list):
            parent[key] = draw(st.permutations(parent[key]))
        elif op == "garbage":
            parent[key] = draw(garbage)
        elif op == "unicode-key" and isinstance(parent, dict):
            parent[draw(hostile_text)] = draw(garbage)
        elif op == "deep":
            parent[key] = _nested(draw(st.integers(1, 70)), draw(garbage))
        elif op == "duplicate-item" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return doc
