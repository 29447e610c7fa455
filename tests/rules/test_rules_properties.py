"""Hypothesis properties of ``resolve``: one test per invariant of the issue's "Done when".

The generated rule sets use every layer, both fill modes, contact ids and aliases, item
type exceptions, payment method rules with and without auto-publish, Smart Splits and
line item extraction; the generated items vary side, type, contact (and its case),
uploader, every extracted field, total and approval state.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rules_helpers import (
    CUSTOMERS,
    METHODS,
    SUPPLIERS,
    USERS,
    VALUES,
    items,
    matched_contact,
    oracle,
    ruleset,
    rulesets,
    shuffled,
)

from workflowkit.rules import (
    Item,
    Prediction,
    PublishAction,
    SplitError,
    resolve,
    smart_split,
)
from workflowkit.rules.fields import CODING_FIELDS, FIELDS, LAYER_FIELDS, Layer
from workflowkit.rules.models import SmartSplit

LAYERS = (Layer.USER, Layer.PAYMENT_METHOD, Layer.SUPPLIER, Layer.ACCOUNT)
PAIRS = list(itertools.combinations(LAYERS, 2))
FILL = st.sampled_from(["always", "if_blank"])


def _shared(a: Layer, b: Layer) -> list[str]:
    fields = [f for f in FIELDS if f in LAYER_FIELDS[a] and f in LAYER_FIELDS[b]]
    return [f for f in fields if f != "payment_method" or Layer.PAYMENT_METHOD not in (a, b)]


def _setup(layers: dict[Layer, dict[str, Any]], field: str) -> tuple[dict[str, Any], Item]:
    """A rule set in which the item matches a rule at each given layer (with the given
    values), and the payment method rule (if any) is the one for "Card"."""
    parts: dict[str, Any] = {
        "account": {},
        "suppliers": [],
        "user_rules": [],
        "payment_method_rules": [],
    }
    user = layers.get(Layer.USER)
    if user is not None:
        parts["user_rules"] = [{"user": "ann@p.test", **user}]
    method = layers.get(Layer.PAYMENT_METHOD)
    if method is not None:
        parts["payment_method_rules"] = [{"payment_method": "Card", **method}]
    supplier = layers.get(Layer.SUPPLIER)
    if supplier is not None:
        parts["suppliers"] = [{"id": "acme", "name": "Acme Ltd", **supplier}]
    account = layers.get(Layer.ACCOUNT)
    if account is not None:
        parts["account"] = dict(account)
    # The item is paid by card (so the card rule applies) unless the field under test is
    # the payment method itself.
    extracted = {} if field == "payment_method" else {"payment_method": "Card"}
    item = Item(id="x", contact_name="Acme Ltd", uploaded_by="ann@p.test", **extracted)
    return parts, item


@pytest.mark.parametrize(("higher", "lower"), PAIRS, ids=lambda layer: layer.value)
@given(data=st.data())
def test_higher_layer_wins_on_a_shared_field(
    higher: Layer, lower: Layer, data: st.DataObject
) -> None:
    """For each pair of layers, the higher wins on a shared field (both set it always)."""
    field = data.draw(st.sampled_from(_shared(higher, lower)), label="field")
    high, low = data.draw(
        st.lists(st.sampled_from(VALUES[field]), min_size=2, max_size=2, unique=True)
    )
    fills = {} if field in ("publish_to", "bank_account") else None

    def value(v: Any) -> Any:
        return v if fills is not None else {"value": v, "fill": "always"}

    parts, item = _setup({higher: {field: value(high)}, lower: {field: value(low)}}, field)
    res = resolve(item, ruleset(**parts))
    assert res.source(field).layer is higher
    assert res.value(field) == high


@given(
    layers=st.lists(st.sampled_from(LAYERS), unique=True, min_size=1),
    fills=st.lists(FILL, min_size=4, max_size=4),
    document=st.sampled_from([None, "P-doc"]),
)
def test_the_whole_order_holds(layers: list[Layer], fills: list[str], document: Any) -> None:
    """``project`` can be set at all four layers: the first applicable one in the order
    user > payment method > supplier > account wins, else the document's value."""
    values = {layer: f"P-{layer.value}" for layer in LAYERS}
    setup = {
        layer: {"project": {"value": values[layer], "fill": fills[k]}}
        for k, layer in enumerate(LAYERS)
        if layer in layers
    }
    parts, item = _setup(setup, "project")
    item = item.replace(project=document)
    res = resolve(item, ruleset(**parts))
    expected: Any = ("document", document)
    for k, layer in enumerate(LAYERS):
        if layer in layers and (fills[k] == "always" or document is None):
            expected = (layer.value, values[layer])
            break
    assert (res.source("project").layer.value, res.value("project")) == expected


@given(parts=rulesets(), item=items())
def test_resolve_agrees_with_the_oracle_and_the_explanation(
    parts: dict[str, Any], item: Item
) -> None:
    """The fast path, an independent restatement of the table, and the explanation all
    name the same winner and value for every field."""
    rs = ruleset(**parts)
    res = resolve(item, rs)
    expected = oracle(item, rs)
    for name in FIELDS:
        src = res.source(name)
        assert (src.layer.value, res.value(name)) == expected[name], name
        prov = res.provenance(name)
        assert prov.winner.source == src
        assert all(c.source != src for c in prov.beaten)


@given(parts=rulesets(), item=items())
def test_a_field_no_rule_sets_keeps_its_extracted_value(parts: dict[str, Any], item: Item) -> None:
    rs = ruleset(**parts)
    res = resolve(item, rs)
    for name in CODING_FIELDS:
        prov = res.provenance(name)
        rule_candidates = [
            c for c in (prov.winner, *prov.beaten) if c.source.layer is not Layer.DOCUMENT
        ]
        if not rule_candidates:
            assert res.value(name) == getattr(item, name)
            assert res.source(name).layer is Layer.DOCUMENT


@given(parts=rulesets(), item=items())
def test_if_blank_never_overwrites_and_always_does(parts: dict[str, Any], item: Item) -> None:
    rs = ruleset(**parts)
    res = resolve(item, rs)
    for name in CODING_FIELDS:
        document = getattr(item, name)
        src = res.source(name)
        if src.fill is not None and src.fill.value == "if_blank":
            assert document is None  # an "if blank" value only ever fills a blank
        if document is not None:
            for c in res.provenance(name).beaten:
                if c.source.fill is not None and c.source.fill.value == "if_blank":
                    assert not c.applicable  # ...and never beats a value that was read
        if src.fill is not None and src.fill.value == "always":
            assert res.value(name) == src.value  # "always" overrides whatever was read


class _Always:
    """A categoriser / suggester that always answers, sure of itself."""

    def predict(self, item: Item) -> Prediction:
        return Prediction("PREDICTED", 1.0, "fake")

    def suggest(self, item: Item, field: str) -> Prediction:
        return Prediction("SUGGESTED", 1.0, "fake")


@given(
    parts=rulesets(),
    item=items(),
    setting=st.sampled_from(["always", "without_supplier_rule", "never"]),
)
def test_auto_categorisation_never_overwrites_a_supplier_rule_category(
    parts: dict[str, Any], item: Item, setting: str
) -> None:
    parts = {**parts, "settings": {"auto_categorisation": setting}}
    rs = ruleset(**parts)
    res = resolve(item, rs, categoriser=_Always())
    supplier = [
        c
        for c in (res.provenance("category").winner, *res.provenance("category").beaten)
        if c.source.layer in (Layer.SUPPLIER, Layer.CUSTOMER) and c.applicable
    ]
    if supplier:
        assert res.value("category") != "PREDICTED"
        assert res.source("category").layer in (
            Layer.USER,
            Layer.PAYMENT_METHOD,
            Layer.SUPPLIER,
            Layer.CUSTOMER,
        )


@given(parts=rulesets(), item=items())
def test_smart_suggestions_never_overwrite_a_field_a_rule_set(
    parts: dict[str, Any], item: Item
) -> None:
    parts = {
        **parts,
        "settings": {
            "smart_suggestions": {
                "auto_apply": ["project", "project_2", "description"],
                "min_confidence": 0,
            }
        },
    }
    rs = ruleset(**parts)
    res = resolve(item, rs, suggester=_Always())
    for name in ("project", "project_2", "description"):
        prov = res.provenance(name)
        ruled = [
            c
            for c in (prov.winner, *prov.beaten)
            if c.applicable
            and c.source.layer in (Layer.USER, Layer.PAYMENT_METHOD, Layer.SUPPLIER, Layer.CUSTOMER)
        ]
        if ruled:
            assert res.value(name) != "SUGGESTED"
            assert res.source(name) == ruled[0].source


@given(parts=rulesets(), item=items(), mode=st.sampled_from(["new", "inbox"]))
def test_an_item_pending_approval_is_never_auto_published(
    parts: dict[str, Any], item: Item, mode: str
) -> None:
    res = resolve(item.replace(approval="pending"), ruleset(**parts), mode=mode)
    assert res.publish.action is not PublishAction.PUBLISH


@given(parts=rulesets(), item=items(), flip=st.booleans())
def test_inbox_mode_never_changes_auto_publish_or_line_items(
    parts: dict[str, Any], item: Item, flip: bool
) -> None:
    res = resolve(item, ruleset(**parts), mode="inbox")
    assert res.publish.action is PublishAction.INBOX
    assert res.extract_line_items is False
    # Whatever the auto-publish and line item settings, the inbox resolution is the same.
    changed = dict(parts)
    changed["account"] = {**parts["account"], "auto_publish": flip, "auto_publish_exceptions": []}
    changed["suppliers"] = [
        {**r, "auto_publish": flip, "extract_line_items": flip and "smart_split" not in r}
        for r in parts["suppliers"]
    ]
    changed["payment_method_rules"] = [
        {**r, "auto_publish": "always" if flip else "never"} for r in parts["payment_method_rules"]
    ]
    again = resolve(item, ruleset(**changed), mode="inbox")
    assert again.to_data() == res.to_data()


@given(parts=rulesets(), item=items(), seed=st.integers(0, 10_000))
def test_resolution_is_deterministic_and_ignores_rule_order(
    parts: dict[str, Any], item: Item, seed: int
) -> None:
    first = resolve(item, ruleset(**parts)).to_data()
    assert resolve(item, ruleset(**parts)).to_data() == first
    assert resolve(item, ruleset(**shuffled(parts, seed))).to_data() == first


def _without_lower(parts: dict[str, Any], item: Item, below: Layer, add: bool) -> dict[str, Any]:
    """Parts with a rule of a layer below ``below`` removed (or one added) for the item."""
    out = {k: (list(v) if isinstance(v, list) else dict(v)) for k, v in parts.items()}
    lower = LAYERS[LAYERS.index(below) + 1 :]
    target = lower[0] if lower else None
    if target is Layer.PAYMENT_METHOD:
        if add:
            out["payment_method_rules"] = [
                *[r for r in out["payment_method_rules"] if r["payment_method"] != "Cash"],
                {"payment_method": "Cash", "project": "P-added", "publish_to": "Added"},
            ]
        else:
            out["payment_method_rules"] = []
    elif target is Layer.SUPPLIER:
        key = "suppliers" if item.side.value == "costs" else "customers"
        if add:
            name = item.contact_name or "Nobody"
            out[key] = [r for r in out[key] if r["name"].casefold() != name.casefold()] + [
                {"id": "added", "name": name, "category": "Added", "project": "P-added"}
            ]
        else:
            out[key] = []
    elif target is Layer.ACCOUNT:
        out["account"] = (
            {"category": {"value": "Added", "fill": "always"}, "publish_to": "Added"} if add else {}
        )
    return out


@given(parts=rulesets(), item=items(), add=st.booleans())
def test_a_lower_layer_change_never_changes_a_field_a_higher_layer_set(
    parts: dict[str, Any], item: Item, add: bool
) -> None:
    """Remove (or add) rules of the layers below a field's winner: the field keeps its value
    and source. (The payment method rule that applies follows the item's final payment
    method, and an account default can set that method: a lower layer can so pick another
    payment method rule, which then outranks a supplier rule. The property holds while
    the final payment method stays the same.)"""
    rs = ruleset(**parts)
    res = resolve(item, rs)
    for name in FIELDS:
        src = res.source(name)
        layer = Layer.SUPPLIER if src.layer is Layer.CUSTOMER else src.layer
        if layer not in LAYERS[:3]:
            continue
        other = resolve(item, ruleset(**_without_lower(parts, item, layer, add)))
        assume(other.value("payment_method") == res.value("payment_method"))
        assert other.value(name) == res.value(name), name
        assert other.source(name) == src, name


AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
PERCENTS = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("60"), places=4)


@given(
    total=st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2),
    fixed=st.lists(AMOUNTS, max_size=5),
    percents=st.lists(PERCENTS, max_size=5),
    remainder=st.booleans(),
)
def test_smart_split_lines_always_sum_exactly_to_the_total(
    total: Decimal, fixed: list[Decimal], percents: list[Decimal], remainder: bool
) -> None:
    lines = [{"amount": a} for a in fixed] + [{"percent": p} for p in percents]
    assume(lines)
    spec = SmartSplit.model_validate(
        {"lines": lines, "remainder": {"category": "Rest"} if remainder else None}
    )
    try:
        out = smart_split(total, spec)
    except SplitError:
        assume(False)
        return
    assert sum((ln.amount for ln in out), Decimal(0)) == total
    assert all(ln.amount.as_tuple().exponent >= -2 for ln in out)
    assert [ln.kind for ln in out] == sorted(
        (ln.kind for ln in out), key=["fixed", "percent", "remainder"].index
    )


def test_the_generators_reach_every_layer() -> None:
    """A sanity check that the strategies above are not vacuous: across a fixed sample,
    every layer wins some field and every publish action occurs."""
    from hypothesis import find

    for layer in (*LAYERS, Layer.CUSTOMER):
        find(
            st.tuples(rulesets(), items()),
            lambda pi, layer=layer: any(
                resolve(pi[1], ruleset(**pi[0])).source(f).layer is layer for f in FIELDS
            ),
        )
    for action in PublishAction:
        find(
            st.tuples(rulesets(), items()),
            lambda pi, action=action: resolve(pi[1], ruleset(**pi[0])).publish.action is action,
        )
    assert SUPPLIERS and CUSTOMERS and USERS and METHODS


@st.composite
def approval_workflows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Random approval workflows over the generators' contacts, types and amounts."""
    out = []
    for n in range(draw(st.integers(0, 3))):
        wf: dict[str, Any] = {"id": f"a{n}", "side": draw(st.sampled_from(["costs", "sales"]))}
        pool = SUPPLIERS if wf["side"] == "costs" else CUSTOMERS
        wf["contacts"] = draw(st.lists(st.sampled_from(pool), unique=True, max_size=2))
        wf["item_types"] = draw(
            st.lists(
                st.sampled_from(["invoice", "receipt", "credit_note"]), unique=True, max_size=2
            )
        )
        if draw(st.booleans()):
            wf["over"] = str(draw(st.integers(0, 20000)))
        out.append(wf)
    return out


def _covered(item: Item, rs: Any, wf: dict[str, Any]) -> bool:
    """The seed's rule, written out plainly (the oracle for the property below)."""
    if wf["side"] != item.side.value:
        return False
    if wf["item_types"] and item.type.value not in wf["item_types"]:
        return False
    if "over" in wf and item.total is not None and item.total <= Decimal(wf["over"]):
        return False
    if not wf["contacts"]:
        return True
    rule = matched_contact(item, rs)
    names = {item.contact_name, item.contact_id}
    if rule is not None:
        names |= {rule.name, rule.contact_id, *rule.aliases}
    wanted = {c.casefold() for c in wf["contacts"]}
    return any(n is not None and n.casefold() in wanted for n in names)


@given(parts=rulesets(), item=items(), flows=approval_workflows())
def test_an_item_an_approval_workflow_covers_publishes_only_once_approved(
    parts: dict[str, Any], item: Item, flows: list[dict[str, Any]]
) -> None:
    rs = ruleset(**parts, approval_workflows=flows)
    res = resolve(item, rs)
    covering = [wf for wf in flows if _covered(item, rs, wf)]
    if covering and item.approval.value != "approved":
        assert res.publish.action is not PublishAction.PUBLISH
        if item.approval.value != "rejected":
            assert res.publish.action is PublishAction.HOLD
            assert res.publish.rule == covering[0]["id"]
    if not covering:  # the approval workflows change nothing for an item none covers
        assert res.publish == resolve(item, ruleset(**parts)).publish
    if item.approval.value == "approved":
        assert res.publish == resolve(item, ruleset(**parts)).publish
