"""One unit test per row of the precedence table in docs/rules.md.

``test_every_table_row_has_a_test`` reads the table and fails for a row that names no
test, or a test that does not exist here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from rules_helpers import ruleset

from workflowkit.rules import Item, Layer, Prediction, PublishAction, resolve

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
ROW = re.compile(r"^\|\s*(R\d+)\s*\|.*\|\s*`(test_[a-z0-9_]+)`\s*\|\s*$", re.M)


def test_every_table_row_has_a_test() -> None:
    text = DOC.read_text(encoding="utf-8")
    table_rows = [line for line in text.splitlines() if re.match(r"^\|\s*R\d+\s*\|", line)]
    rows = ROW.findall(text)
    assert len(rows) == len(table_rows) >= 20, "every table row must end with its test's name"
    ids = [r for r, _ in rows]
    assert len(ids) == len(set(ids)), "row ids must be unique"
    missing = [name for _, name in rows if not callable(globals().get(name))]
    assert missing == [], f"rows naming tests that do not exist: {missing}"


class Fixed:
    """A categoriser/suggester with a set answer."""

    def __init__(self, value: Any, confidence: float = 0.9) -> None:
        self.value = value
        self.confidence = confidence

    def predict(self, item: Item) -> Prediction:
        return Prediction(self.value, self.confidence, "fixed")

    def suggest(self, item: Item, field: str) -> Prediction:
        return Prediction(f"{self.value}-{field}", self.confidence, "fixed")


ANN = "ann@p.test"


def test_r01_precedence_order() -> None:
    rs = ruleset(
        account={"project": {"value": "A", "fill": "always"}},
        suppliers=[{"id": "acme", "name": "Acme", "project": "S"}],
        payment_method_rules=[{"payment_method": "Card", "project": "P"}],
        user_rules=[{"user": ANN, "project": "U"}],
    )
    item = Item(contact_name="Acme", uploaded_by=ANN, payment_method="Card", project="D")
    res = resolve(item, rs)
    assert (res.value("project"), res.source("project").layer) == ("U", Layer.USER)
    beaten = [c.source.layer for c in res.provenance("project").beaten]
    assert beaten == [Layer.PAYMENT_METHOD, Layer.SUPPLIER, Layer.ACCOUNT, Layer.DOCUMENT]
    assert (
        resolve(item.replace(uploaded_by=None), rs).source("project").layer is Layer.PAYMENT_METHOD
    )
    no_card = item.replace(uploaded_by=None, payment_method=None)
    assert resolve(no_card, rs).source("project").layer is Layer.SUPPLIER
    assert resolve(no_card.replace(contact_name="Other"), rs).value("project") == "A"


def test_r02_always_overrides_document() -> None:
    rs = ruleset(
        suppliers=[{"id": "acme", "name": "Acme", "tax_rate": {"value": "5%", "fill": "always"}}]
    )
    res = resolve(Item(contact_name="Acme", tax_rate="20%"), rs)
    assert res.value("tax_rate") == "5%"
    prov = res.provenance("tax_rate")
    assert prov.beaten[0].source.layer is Layer.DOCUMENT
    assert "overridden" in prov.beaten[0].why


def test_r03_if_blank_fills_only_blank() -> None:
    rs = ruleset(
        suppliers=[{"id": "acme", "name": "Acme", "currency": {"value": "EUR", "fill": "if_blank"}}]
    )
    assert resolve(Item(contact_name="Acme"), rs).value("currency") == "EUR"
    res = resolve(Item(contact_name="Acme", currency="USD"), rs)
    assert res.value("currency") == "USD"
    assert res.source("currency").layer is Layer.DOCUMENT
    assert "if_blank" in res.provenance("currency").beaten[0].why


def test_r04_inapplicable_if_blank_passes_down() -> None:
    rs = ruleset(
        suppliers=[{"id": "acme", "name": "Acme", "payment_method": "Bank"}],
        user_rules=[{"user": ANN, "payment_method": {"value": "Card", "fill": "if_blank"}}],
    )
    read = resolve(Item(contact_name="Acme", uploaded_by=ANN, payment_method="Cash"), rs)
    # the user rule does not apply: the supplier's does
    assert read.value("payment_method") == "Bank"
    blank = resolve(Item(contact_name="Acme", uploaded_by=ANN), rs)
    assert blank.value("payment_method") == "Card"


def test_r05_default_fill_modes() -> None:
    rs = ruleset(
        account={"currency": "GBP"},
        suppliers=[{"id": "acme", "name": "Acme", "category": "Rent"}],
    )
    res = resolve(Item(contact_name="Acme", currency="EUR", category="Travel"), rs)
    assert res.value("currency") == "EUR"  # account default: if_blank
    assert res.value("category") == "Rent"  # rule: always
    assert res.source("category").fill is not None and res.source("category").fill.value == "always"
    assert resolve(Item(), rs).source("currency").fill.value == "if_blank"  # type: ignore[union-attr]


def test_r06_auto_categorisation_fills_blank() -> None:
    rs = ruleset(account={"category": "General"})
    res = resolve(Item(contact_name="New Co"), rs, categoriser=Fixed("Travel"))
    assert res.value("category") == "Travel"
    assert res.source("category").layer is Layer.AUTO_CATEGORISATION
    assert res.provenance("category").beaten[0].source.layer is Layer.ACCOUNT
    # not over a category the document read, not for Sales, not in inbox mode
    assert (
        resolve(Item(category="Fuel"), rs, categoriser=Fixed("Travel")).value("category") == "Fuel"
    )
    assert (
        resolve(Item(side="sales"), rs, categoriser=Fixed("Travel")).value("category") == "General"
    )
    inbox = resolve(Item(), rs, mode="inbox", categoriser=Fixed("Travel"))
    assert inbox.value("category") == "General"


def test_r07_auto_categorisation_settings() -> None:
    rules = {
        "suppliers": [
            {"id": "acme", "name": "Acme", "category": "Rent"},
            {"id": "beta", "name": "Beta", "tax_rate": "0%"},
        ]
    }
    for setting, acme, beta, other in (
        ("always", "Rent", "Travel", "Travel"),
        ("without_supplier_rule", "Rent", None, "Travel"),
        ("never", "Rent", None, None),
    ):
        rs = ruleset(**rules, settings={"auto_categorisation": setting})
        got = [
            resolve(Item(contact_name=n), rs, categoriser=Fixed("Travel")).value("category")
            for n in ("Acme", "Beta", "Other")
        ]
        assert got == [acme, beta, other], setting


def test_r08_low_confidence() -> None:
    rs = ruleset(settings={"auto_categorisation_min_confidence": 0.8})
    res = resolve(Item(), rs, categoriser=Fixed("Travel", 0.5))
    assert res.value("category") is None
    assert res.predictions["category"].value == "Travel"
    beaten = res.provenance("category").beaten
    assert (
        beaten[0].source.layer is Layer.AUTO_CATEGORISATION and "below the minimum" in beaten[0].why
    )


def test_r09_payment_method() -> None:
    rs = ruleset(
        account={"payment_method": {"value": "Bank", "fill": "always"}},
        suppliers=[{"id": "acme", "name": "Acme", "payment_method": "Cash"}],
        user_rules=[{"user": ANN, "payment_method": "Card"}],
    )
    assert resolve(Item(contact_name="Acme", uploaded_by=ANN), rs).value("payment_method") == "Card"
    assert resolve(Item(contact_name="Acme"), rs).value("payment_method") == "Cash"
    assert resolve(Item(payment_method="Card"), rs).value("payment_method") == "Bank"


def test_r10_payment_method_rule_follows_resolved_method() -> None:
    rs = ruleset(
        suppliers=[{"id": "acme", "name": "Acme", "payment_method": "Cash"}],
        payment_method_rules=[
            {"payment_method": "Cash", "bank_account": "Petty cash"},
            {"payment_method": "Card", "bank_account": "Card account"},
        ],
        user_rules=[{"user": ANN, "payment_method": "Card"}],
    )
    assert resolve(Item(payment_method="cash"), rs).value("bank_account") == "Petty cash"
    assert resolve(Item(contact_name="Acme"), rs).value("bank_account") == "Petty cash"
    assert (
        resolve(Item(contact_name="Acme", uploaded_by=ANN), rs).value("bank_account")
        == "Card account"
    )


def test_r11_project_and_suggestions() -> None:
    rs = ruleset(
        user_rules=[{"user": ANN, "project": "Marketing"}],
        settings={"smart_suggestions": {"auto_apply": ["project"], "min_confidence": 0.5}},
    )
    assert resolve(Item(uploaded_by=ANN), rs, suggester=Fixed("S")).value("project") == "Marketing"
    res = resolve(Item(uploaded_by="ben@p.test"), rs, suggester=Fixed("S"))
    assert res.value("project") == "S-project"
    assert res.source("project").layer is Layer.SMART_SUGGESTION


def test_r12_suggestions_never_over_rules() -> None:
    rs = ruleset(
        account={"description": "Purchases"},
        suppliers=[{"id": "acme", "name": "Acme", "description": "Gas"}],
        settings={"smart_suggestions": {"auto_apply": ["description"]}},
    )
    assert (
        resolve(Item(contact_name="Acme"), rs, suggester=Fixed("S")).value("description") == "Gas"
    )
    res = resolve(Item(contact_name="Other"), rs, suggester=Fixed("S"))
    assert res.value("description") == "S-description"  # over the account default
    assert (
        resolve(Item(description="Read"), rs, suggester=Fixed("S")).value("description") == "Read"
    )
    off = resolve(Item(), rs, suggester=Fixed("S"))
    assert off.value("project_2") is None  # auto-apply off for project 2: a suggestion only
    assert "auto-apply is off" in off.provenance("project_2").beaten[0].why


def test_r13_publish_to() -> None:
    rs = ruleset(
        account={"publish_to": "Bills"},
        suppliers=[{"id": "acme", "name": "Acme", "publish_to": "Purchases"}],
        payment_method_rules=[{"payment_method": "Card", "publish_to": "Spend money"}],
    )
    assert resolve(Item(), rs).value("publish_to") == "Bills"
    assert resolve(Item(contact_name="Acme"), rs).value("publish_to") == "Purchases"
    assert (
        resolve(Item(contact_name="Acme", payment_method="Card"), rs).value("publish_to")
        == "Spend money"
    )


def test_r14_bank_account() -> None:
    rs = ruleset(payment_method_rules=[{"payment_method": "Card", "bank_account": "Amex 1001"}])
    res = resolve(Item(payment_method="Card"), rs)
    assert (res.value("bank_account"), res.source("bank_account").layer) == (
        "Amex 1001",
        Layer.PAYMENT_METHOD,
    )
    assert resolve(Item(), rs).value("bank_account") is None


def test_r15_inbox_never_publishes() -> None:
    rs = ruleset(account={"auto_publish": True, "category": "General"})
    assert resolve(Item(), rs).publish.action is PublishAction.PUBLISH
    res = resolve(Item(), rs, mode="inbox")
    assert res.publish.action is PublishAction.INBOX and "inbox" in res.publish.reason


def test_r16_approval() -> None:
    rs = ruleset(account={"auto_publish": True, "category": "General"})
    assert resolve(Item(approval="pending"), rs).publish.action is PublishAction.HOLD
    assert resolve(Item(approval="rejected"), rs).publish.action is PublishAction.INBOX
    assert resolve(Item(approval="approved"), rs).publish.action is PublishAction.PUBLISH


def test_r17_item_type_exceptions() -> None:
    rs = ruleset(
        account={"auto_publish": True, "auto_publish_exceptions": ["receipt"], "category": "G"},
        payment_method_rules=[{"payment_method": "Card", "auto_publish": "always"}],
    )
    res = resolve(Item(type="receipt", payment_method="Card"), rs)
    assert res.publish.action is PublishAction.INBOX and "exception" in res.publish.reason
    assert (
        resolve(Item(type="invoice", payment_method="Card"), rs).publish.action
        is PublishAction.PUBLISH
    )


def test_r18_auto_publish_order() -> None:
    rs = ruleset(
        account={"auto_publish": True, "category": "G"},
        suppliers=[{"id": "acme", "name": "Acme", "auto_publish": False}],
        payment_method_rules=[
            {"payment_method": "Card", "auto_publish": "always"},
            {"payment_method": "Cash", "auto_publish": "never"},
            {"payment_method": "Bank", "auto_publish": "none"},
        ],
    )
    cases = {
        ("Acme", "Card"): PublishAction.PUBLISH,
        ("Other", "Cash"): PublishAction.INBOX,
        ("Acme", "Bank"): PublishAction.INBOX,
        ("Other", "Bank"): PublishAction.PUBLISH,
        ("Acme", None): PublishAction.INBOX,
    }
    for (name, method), action in cases.items():
        res = resolve(Item(contact_name=name, payment_method=method), rs)
        assert res.publish.action is action, (name, method, res.publish.reason)


def test_r19_publish_needs_category() -> None:
    rs = ruleset(
        account={"auto_publish": True},
        suppliers=[
            {
                "id": "acme",
                "name": "Acme",
                "smart_split": {
                    "lines": [{"amount": 10, "category": "Postage"}],
                    "remainder": {"category": "Stock"},
                },
            }
        ],
    )
    res = resolve(Item(), rs)
    assert res.publish.action is PublishAction.INBOX and "no category" in res.publish.reason
    assert resolve(Item(category="Fuel"), rs).publish.action is PublishAction.PUBLISH
    split = resolve(Item(contact_name="Acme", total=Decimal("50.00")), rs)
    assert split.publish.action is PublishAction.PUBLISH  # every split line has a category


def test_r20_line_items() -> None:
    rs = ruleset(
        suppliers=[{"id": "acme", "name": "Acme", "extract_line_items": True}],
        customers=[{"id": "delta", "name": "Delta", "extract_line_items": True}],
    )
    assert resolve(Item(contact_name="Acme", type="invoice"), rs).extract_line_items
    assert resolve(Item(contact_name="Acme", type="receipt"), rs).extract_line_items
    assert not resolve(Item(contact_name="Acme", type="statement"), rs).extract_line_items
    assert not resolve(Item(contact_name="Acme"), rs, mode="inbox").extract_line_items
    assert not resolve(Item(side="sales", contact_name="Delta"), rs).extract_line_items
    assert not resolve(Item(contact_name="Other"), rs).extract_line_items


def test_r21_workflow_notes() -> None:
    rs = ruleset(suppliers=[{"id": "acme", "name": "Acme", "workflow_note": "Check the meter"}])
    assert resolve(Item(contact_name="acme"), rs).notes == ("Check the meter",)
    assert resolve(Item(contact_name="acme"), rs, mode="inbox").notes == ("Check the meter",)
    assert resolve(Item(contact_name="Other"), rs).notes == ()


def test_r22_smart_split() -> None:
    rs = ruleset(
        suppliers=[
            {
                "id": "landlord",
                "name": "Harbour Estates",
                "category": "Rent",
                "smart_split": {
                    "lines": [
                        {"amount": 200, "category": "Rent"},
                        {"amount": 100, "category": "Phone"},
                        {"amount": 150, "category": "Repairs"},
                        {"percent": 10, "category": "Cleaning"},
                    ],
                },
            }
        ],
    )
    res = resolve(Item(contact_name="Harbour Estates", total=Decimal("1143.30")), rs)
    assert [(ln.kind, ln.amount, ln.category) for ln in res.split] == [
        ("fixed", Decimal("200.00"), "Rent"),
        ("fixed", Decimal("100.00"), "Phone"),
        ("fixed", Decimal("150.00"), "Repairs"),
        ("percent", Decimal("69.33"), "Cleaning"),
        ("remainder", Decimal("623.97"), "Rent"),
    ]
    assert resolve(
        Item(contact_name="Harbour Estates", total=Decimal("1143.30")), rs, mode="inbox"
    ).split
    missing = resolve(Item(contact_name="Harbour Estates"), rs)
    assert missing.split == () and missing.split_error is not None
    assert "no total" in str(missing.split_error)


def test_r23_matching() -> None:
    rs = ruleset(
        suppliers=[
            {"id": "by-id", "name": "Acme Holdings", "contact_id": "C-1", "category": "A"},
            {"id": "by-name", "name": "Acme", "aliases": ["ACME Trading"], "category": "B"},
        ]
    )
    assert resolve(Item(contact_id="C-1", contact_name="Acme"), rs).value("category") == "A"
    assert resolve(Item(contact_id="C-9", contact_name="acme"), rs).value("category") == "B"
    assert resolve(Item(contact_name="acme trading"), rs).value("category") == "B"
    assert resolve(Item(contact_name="Acme Trading Ltd"), rs).value("category") is None
    assert resolve(Item(contact_name=" Acme"), rs).value("category") is None  # exact, not trimmed


def test_r24_sides() -> None:
    rs = ruleset(
        suppliers=[{"id": "s", "name": "Both Ways Ltd", "category": "Purchases"}],
        customers=[{"id": "c", "name": "Both Ways Ltd", "category": "Sales"}],
        user_rules=[{"user": ANN, "project": "U"}],
    )
    assert resolve(Item(contact_name="Both Ways Ltd"), rs).value("category") == "Purchases"
    sales = resolve(Item(side="sales", contact_name="Both Ways Ltd", uploaded_by=ANN), rs)
    assert sales.value("category") == "Sales"
    assert sales.source("category").layer is Layer.CUSTOMER
    assert sales.value("project") is None  # user rules are for Costs items only


def test_r25_inbox_recodes() -> None:
    rs = ruleset(
        suppliers=[
            {
                "id": "acme",
                "name": "Acme",
                "category": "Rent",
                "description": {"value": "Rent", "fill": "if_blank"},
            }
        ],
        settings={"smart_suggestions": {"auto_apply": ["project"]}},
    )
    current = Item(contact_name="Acme", category="Old", description="Kept")
    res = resolve(current, rs, mode="inbox", suggester=Fixed("S"))
    assert (res.value("category"), res.value("description")) == ("Rent", "Kept")
    assert res.value("project") is None and res.predictions == {}
