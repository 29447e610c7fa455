"""Test helpers: build rule sets tersely, an independent oracle of the precedence rules,
and hypothesis strategies for rule sets and items.

The oracle restates docs/rules.md in the plainest code possible, straight from the
RuleSet model (no compiled indexes), so the property tests compare two independent
implementations of the same table.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from workflowkit.rules import Item, RuleSet
from workflowkit.rules.fields import CODING_FIELDS, FIELDS, LAYER_FIELDS, Layer
from workflowkit.rules.models import Filled

SUPPLIERS = ("Acme Ltd", "Beta Supplies", "Gamma & Co")
CUSTOMERS = ("Delta plc", "Epsilon LLP")
USERS = ("ann@p.test", "ben@p.test", "cat@p.test")
METHODS = ("Card", "Cash", "Bank")
VALUES: dict[str, tuple[Any, ...]] = {
    "category": ("Rent", "Travel", "Utilities"),
    "tax_rate": ("20%", "5%", "0%"),
    "currency": ("GBP", "EUR", "USD"),
    "payment_method": METHODS,
    "description": ("Fuel", "Paper", "Lunch"),
    "due_days": (0, 14, 30),
    "paid_status": ("paid", "unpaid"),
    "project": ("P1", "P2", "P3"),
    "project_2": ("Q1", "Q2"),
    "publish_to": ("Bills", "Spend money"),
    "bank_account": ("Bank 1", "Bank 2"),
}


def ruleset(**parts: Any) -> RuleSet:
    """A RuleSet from keyword parts, declaring the test users and payment methods."""
    doc: dict[str, Any] = {
        "apiVersion": "workflowkit/v1",
        "kind": "RuleSet",
        "id": "test",
        "users": list(USERS),
        "payment_methods": list(METHODS),
    }
    doc.update(parts)
    return RuleSet.model_validate(doc)


def layer_fields(layer: Layer) -> list[str]:
    return [f for f in FIELDS if f in LAYER_FIELDS[layer]]


# ---------------------------------------------------------------------------------------
# The oracle
# ---------------------------------------------------------------------------------------


def _fill(raw: Any, layer: Layer) -> tuple[Any, str]:
    if isinstance(raw, Filled):
        return raw.value, raw.fill.value
    if layer in (Layer.ACCOUNT,):
        return raw, "if_blank"
    return raw, "always"


def matched_contact(item: Item, rs: RuleSet) -> Any:
    rules = rs.suppliers if item.side.value == "costs" else rs.customers
    ordered = sorted(rules, key=lambda r: (r.id, r.model_dump_json()))
    if item.contact_id is not None:
        for r in ordered:
            if r.contact_id == item.contact_id:
                return r
    if item.contact_name is not None:
        name = item.contact_name.casefold()
        for r in ordered:
            if any(n is not None and n.casefold() == name for n in (r.name, *r.aliases)):
                return r
    return None


def matched_user(item: Item, rs: RuleSet) -> Any:
    if item.side.value != "costs" or item.uploaded_by is None:
        return None
    ordered = sorted(rs.user_rules, key=lambda r: (r.user.casefold(), r.model_dump_json()))
    for r in ordered:
        if r.user.casefold() == item.uploaded_by.casefold():
            return r
    return None


def matched_method(method: Any, rs: RuleSet) -> Any:
    if method is None:
        return None
    ordered = sorted(
        rs.payment_method_rules, key=lambda r: (r.payment_method.casefold(), r.model_dump_json())
    )
    for r in ordered:
        if r.payment_method.casefold() == str(method).casefold():
            return r
    return None


def candidates(item: Item, rs: RuleSet, name: str, method_rule: Any) -> list[tuple[str, Any, str]]:
    """(layer, value, fill) of the rules that set ``name`` for ``item``, highest first."""
    out = []
    contact_layer = Layer.SUPPLIER if item.side.value == "costs" else Layer.CUSTOMER
    for layer, rule in (
        (Layer.USER, matched_user(item, rs)),
        (Layer.PAYMENT_METHOD, method_rule),
        (contact_layer, matched_contact(item, rs)),
        (Layer.ACCOUNT, rs.account),
    ):
        if rule is None or name not in LAYER_FIELDS[layer]:
            continue
        raw = getattr(rule, name, None)
        if raw is None:
            continue
        value, fill = _fill(raw, layer)
        if name not in CODING_FIELDS:
            fill = "always"
        out.append((layer.value, value, fill))
    return out


def first_applicable(cands: list[tuple[str, Any, str]], document: Any) -> tuple[str, Any]:
    for layer, value, fill in cands:
        if fill == "always" or document is None:
            return layer, value
    return "document", document


def oracle(item: Item, rs: RuleSet) -> dict[str, tuple[str, Any]]:
    """Expected (layer, value) of every field, without predictions."""
    out: dict[str, tuple[str, Any]] = {}
    doc = {n: getattr(item, n) for n in CODING_FIELDS}
    method = first_applicable(candidates(item, rs, "payment_method", None), doc["payment_method"])
    method_rule = matched_method(method[1], rs)
    for name in FIELDS:
        out[name] = first_applicable(candidates(item, rs, name, method_rule), doc.get(name))
    return out


# ---------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------


def _coded(field: str, layer: Layer) -> st.SearchStrategy[Any]:
    value = st.sampled_from(VALUES[field])
    if field not in CODING_FIELDS:
        return value
    return st.one_of(
        value,
        st.builds(
            lambda v, f: {"value": v, "fill": f}, value, st.sampled_from(["always", "if_blank"])
        ),
    )


@st.composite
def _fields(draw: st.DrawFn, layer: Layer) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(layer_fields(layer)), unique=True, max_size=5))
    return {n: draw(_coded(n, layer)) for n in names}


@st.composite
def contact_rules(draw: st.DrawFn, names: tuple[str, ...], prefix: str) -> list[dict[str, Any]]:
    out = []
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    for k, name in enumerate(chosen):
        rule: dict[str, Any] = {"id": f"{prefix}-{k}", "name": name}
        rule.update(draw(_fields(Layer.SUPPLIER)))
        if draw(st.booleans()):
            rule["contact_id"] = f"C-{name[:3].upper()}"
        ap = draw(st.sampled_from([None, True, False]))
        if ap is not None:
            rule["auto_publish"] = ap
        if draw(st.integers(0, 4)) == 0:
            rule["workflow_note"] = f"note for {name}"
        if prefix == "s" and draw(st.integers(0, 3)) == 0:
            rule["extract_line_items"] = True
        elif draw(st.integers(0, 5)) == 0:
            rule["smart_split"] = {
                "lines": [{"amount": "5.00", "category": "Postage"}, {"percent": 50}],
            }
        out.append(rule)
    if out and draw(st.integers(0, 4)) == 0:
        # A second rule for one contact (the linter's WK503/WK508): resolution must still
        # be deterministic and independent of the file's order.
        twin = dict(draw(st.sampled_from(out)))
        if draw(st.booleans()):
            twin["id"] = f"{prefix}-dup"
        twin["category"] = "Twin"
        out.append(twin)
    return out


@st.composite
def rulesets(draw: st.DrawFn) -> dict[str, Any]:
    """The parts of a random rule set (pass to ``ruleset(**parts)``)."""
    account = draw(_fields(Layer.ACCOUNT))
    account["auto_publish"] = draw(st.booleans())
    account["auto_publish_exceptions"] = draw(
        st.lists(st.sampled_from(["statement", "receipt"]), unique=True, max_size=1)
    )
    pm_rules = []
    for method in draw(st.lists(st.sampled_from(METHODS), unique=True, max_size=3)):
        rule = {"payment_method": method, **draw(_fields(Layer.PAYMENT_METHOD))}
        rule["auto_publish"] = draw(st.sampled_from(["always", "never", "none"]))
        pm_rules.append(rule)
    user_rules = []
    for user in draw(st.lists(st.sampled_from(USERS), unique=True, max_size=3)):
        user_rules.append({"user": user, **draw(_fields(Layer.USER))})
    return {
        "account": account,
        "suppliers": draw(contact_rules(SUPPLIERS, "s")),
        "customers": draw(contact_rules(CUSTOMERS, "c")),
        "payment_method_rules": pm_rules,
        "user_rules": user_rules,
    }


@st.composite
def items(draw: st.DrawFn) -> Item:
    side = draw(st.sampled_from(["costs", "costs", "sales"]))
    pool = SUPPLIERS if side == "costs" else CUSTOMERS
    name = draw(st.sampled_from([*pool, "Unknown Co", None]))
    if name is not None and draw(st.booleans()):
        name = name.upper()
    contact_id = None
    if name is not None and draw(st.integers(0, 3)) == 0:
        contact_id = f"C-{name[:3].upper()}"
    extracted = {}
    for field in CODING_FIELDS:
        if draw(st.booleans()):
            extracted[field] = draw(
                st.sampled_from(
                    VALUES[field] + (("Other",) if field in ("category", "payment_method") else ())
                )
            )
    total = draw(
        st.one_of(
            st.none(),
            st.decimals(min_value=Decimal("-5000"), max_value=Decimal("50000"), places=2),
        )
    )
    return Item(
        id="i",
        side=side,  # type: ignore[arg-type]
        type=draw(st.sampled_from(["invoice", "receipt", "credit_note", "statement"])),  # type: ignore[arg-type]
        contact_id=contact_id,
        contact_name=name,
        uploaded_by=draw(st.sampled_from([*USERS, "zed@p.test", None])),
        total=total,
        approval=draw(st.sampled_from(["none", "none", "pending", "approved", "rejected"])),  # type: ignore[arg-type]
        **extracted,
    )


def shuffled(parts: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same rule set parts with every list of rules in another order."""
    rnd = random.Random(seed)
    out = dict(parts)
    for key in ("suppliers", "customers", "payment_method_rules", "user_rules"):
        rules = list(parts.get(key, []))
        rnd.shuffle(rules)
        out[key] = rules
    return out
