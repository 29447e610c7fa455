"""Unit tests: items, the model, Smart Split errors, the learner, explanations."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rules_helpers import ruleset

from workflowkit.errors import RuleError
from workflowkit.rules import (
    Item,
    ItemError,
    LearnerError,
    NaiveBayesLearner,
    PublishAction,
    SmartSuggester,
    SplitMissingTotalError,
    SplitOverHundredError,
    SplitOverTotalError,
    SplitPrecisionError,
    SplitTooLongError,
    amount_band,
    parse_items,
    places_for,
    read_items,
    resolve,
    resolve_all,
    smart_split,
    train_categoriser,
)
from workflowkit.rules.models import RuleSet, SmartSplit
from workflowkit.source.dump import dump_json, dump_yaml
from workflowkit.source.loader import load_text
from workflowkit.source.models import validate_model

EXAMPLES = Path(__file__).resolve().parent / "examples"

# --- items ------------------------------------------------------------------------------


def test_item_validates_and_reads_money_exactly() -> None:
    item = Item(id="a", side="sales", type="credit_note", total=0.1, tax="1.20")  # type: ignore[arg-type]
    assert item.total == Decimal("0.1") and item.tax == Decimal("1.20")
    assert item.side.value == "sales" and item.type.value == "credit_note"
    with pytest.raises(ItemError, match=r"item a, field 'side'.*costs, sales"):
        Item(id="a", side="purchases")  # type: ignore[arg-type]
    with pytest.raises(ItemError, match=r"field 'total'.*boolean"):
        Item(total=True)  # type: ignore[arg-type]
    with pytest.raises(ItemError, match=r"field 'total'.*finite"):
        Item(total=Decimal("NaN"))
    with pytest.raises(ItemError, match="field 'paid_status'"):
        Item(paid_status="maybe")
    with pytest.raises(ItemError, match="field 'due_days'"):
        Item(due_days=-1)
    with pytest.raises(ItemError, match=r"field 'category'.*text"):
        Item(category=5)  # type: ignore[arg-type]


def test_item_from_data_and_files() -> None:
    item = Item.from_data({"id": "x", "total": "12.50", "due_days": "30", "currency": ""})
    assert (item.total, item.due_days, item.currency) == (Decimal("12.50"), 30, None)
    assert Item.from_data(item.to_data()) == item
    with pytest.raises(ItemError, match=r"unknown key 'totl'.*did you mean 'total'"):
        Item.from_data({"totl": 1}, where="items.json[0]")
    items = read_items(EXAMPLES / "items.json")
    assert len(items) == 7 and items[2].total == Decimal("23.99")
    rows = read_items(EXAMPLES / "items.csv")
    assert [i.id for i in rows] == ["inv-1001", "rec-2001", "rec-2002", "inv-1003"]
    assert rows[3].approval.value == "pending"
    assert parse_items('{"items": [{"id": "a", "total": 0.1}]}')[0].total == Decimal("0.1")
    assert parse_items("id: a\ntotal: 0.1\n", name="x.yaml")[0].total == Decimal("0.1")


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("[1, 2", "a.json", r"a.json:1:\d+: not valid JSON"),
        ("42", "a.json", "expected a list of items"),
        ('[{"id": "a", "side": "x"}]', "a.json", r"a.json\[0\] \(a\), field 'side'"),
        ("id,colour\na,red\n", "a.csv", "unknown column 'colour'"),
        ("id,total\na,abc\n", "a.csv", r"a.csv:2 \(a\), field 'total'.*not a number"),
        ("id,total\na,1,2\n", "a.csv", "more cells than the header"),
    ],
)
def test_bad_items_give_typed_errors(text: str, name: str, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        parse_items(text, name=name)


def test_read_items_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ItemError, match="no such file"):
        read_items(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe[")
    with pytest.raises(ItemError, match="not UTF-8"):
        read_items(tmp_path / "bad.json")


# --- the model ----------------------------------------------------------------------------


def test_ruleset_round_trips_through_yaml_and_json() -> None:
    doc = load_text((EXAMPLES / "acme.yaml").read_text(), name="acme.yaml")
    spec, problems = validate_model(doc, RuleSet)
    assert spec is not None and problems == []
    again, _ = validate_model(load_text(dump_yaml(spec), name="again.yaml"), RuleSet)
    assert again == spec
    via_json, _ = validate_model(load_text(dump_json(spec), name="again.json"), RuleSet)
    assert via_json == spec
    schema = RuleSet.model_json_schema(by_alias=True)
    assert schema["title"] == "RuleSet" and "suppliers" in schema["properties"]


@pytest.mark.parametrize(
    ("part", "code", "fragment"),
    [
        (
            {"suppliers": [{"id": "a", "category": "Rent"}]},
            "WK116",
            "needs a `name` or a `contact_id`",
        ),
        ({"account": {"categry": "Rent"}}, "WK113", "did you mean 'category'"),
        ({"account": {"currency": "gbp"}}, "WK116", "/account/currency"),
        (
            {"suppliers": [{"id": "a", "name": "A", "smart_split": {"lines": [{"percent": 120}]}}]},
            "WK116",
            "at most 100",
        ),
        (
            {
                "suppliers": [
                    {
                        "id": "a",
                        "name": "A",
                        "smart_split": {"lines": [{"amount": 1, "percent": 2}]},
                    }
                ]
            },
            "WK116",
            "exactly one",
        ),
        (
            {"payment_method_rules": [{"payment_method": "Cash", "auto_publish": "sometimes"}]},
            "WK116",
            "auto_publish",
        ),
        (
            {"user_rules": [{"user": "ann@p.test", "project": {"value": "P", "fill": "never"}}]},
            "WK116",
            "fill",
        ),
    ],
)
def test_bad_rulesets_are_located_diagnostics(
    part: dict[str, object], code: str, fragment: str
) -> None:
    doc = {"apiVersion": "workflowkit/v1", "kind": "RuleSet", "id": "x", **part}
    loaded = load_text(json.dumps(doc), name="x.json", format="json")
    spec, problems = validate_model(loaded, RuleSet)
    assert spec is None
    assert any(
        d.code == code and (fragment in d.message or fragment in (d.hint or "")) for d in problems
    ), problems
    assert all(d.line is not None for d in problems)


# --- Smart Split --------------------------------------------------------------------------


def _split(*lines: dict[str, object], remainder: bool = True) -> SmartSplit:
    return SmartSplit.model_validate(
        {"lines": list(lines), "remainder": {"category": "Rest"} if remainder else None}
    )


def test_split_errors_are_typed() -> None:
    with pytest.raises(SplitMissingTotalError):
        smart_split(None, _split({"amount": 1}))
    with pytest.raises(SplitOverTotalError) as over:
        smart_split(Decimal("10.00"), _split({"amount": 8}, {"amount": 3}))
    assert over.value.fixed == Decimal(11) and over.value.total == Decimal("10.00")
    with pytest.raises(SplitOverHundredError):
        smart_split(Decimal("10.00"), _split({"percent": 70}, {"percent": 40}))
    with pytest.raises(SplitTooLongError) as long:
        smart_split(Decimal("100.00"), _split(*({"amount": 1} for _ in range(50))))
    assert long.value.lines == 51
    assert len(smart_split(Decimal("100.00"), _split(*({"amount": 1} for _ in range(49))))) == 50
    with pytest.raises(SplitPrecisionError):
        smart_split(Decimal("10.005"), _split({"amount": 1}))
    with pytest.raises(SplitPrecisionError):
        smart_split(Decimal("100"), _split({"amount": "1.5"}), places=0)
    assert issubclass(SplitTooLongError, RuleError)


def test_split_rounding_signs_and_currencies() -> None:
    lines = smart_split(
        Decimal("100.00"),
        _split({"percent": "33.3333"}, {"percent": "33.3333"}, {"percent": "33.3334"}),
    )
    assert [ln.amount for ln in lines] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    credit = smart_split(Decimal("-50.00"), _split({"amount": 20}, {"percent": 50}))
    assert [ln.amount for ln in credit] == [Decimal("-20.00"), Decimal("-15.00"), Decimal("-15.00")]
    assert places_for("JPY") == 0 and places_for("BHD") == 3 and places_for(None) == 2
    yen = smart_split(Decimal("1001"), _split({"percent": 50}), places=places_for("JPY"))
    assert [ln.amount for ln in yen] == [Decimal("501"), Decimal("500")]
    zero = smart_split(Decimal("10.00"), _split({"percent": 100}))
    assert [ln.kind for ln in zero] == ["percent"]  # a zero remainder adds no line


# --- the learner --------------------------------------------------------------------------


def _coded() -> list[Item]:
    out = []
    for k in range(12):
        out.append(
            Item(
                id=f"f{k}",
                contact_name="Shell",
                description="Diesel fuel",
                total=Decimal("60"),
                category="Motor",
                project="Fleet",
            )
        )
    for k in range(10):
        out.append(
            Item(
                id=f"o{k}",
                contact_name="Ryman",
                description="Printer paper",
                total=Decimal("12"),
                category="Office",
                project="Admin",
            )
        )
    out.append(Item(id="u", contact_name="Ryman", description="Pens"))  # not coded: skipped
    return out


def test_learner_needs_history_and_gives_confidence() -> None:
    coded = _coded()
    assert train_categoriser(coded, min_examples=30).predict(Item(contact_name="Shell")) is None
    model = train_categoriser(coded, min_examples=20)
    assert model.examples == 22 and model.ready
    motor = model.predict(Item(contact_name="Shell", description="fuel"))
    assert motor is not None and motor.value == "Motor" and 0.9 < motor.confidence <= 1.0
    paper = model.predict(Item(contact_name="New shop", description="printer PAPER"))
    assert paper is not None and paper.value == "Office"
    unsure = model.predict(Item(contact_name="Shell", description="printer paper"))
    assert unsure is not None and unsure.confidence < motor.confidence
    assert model.predict(Item(contact_name="Nobody", description="zzz")) is None
    assert amount_band(Decimal("-60")) == "50-100" and amount_band(None) is None


def test_learner_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    coded = _coded()
    a = train_categoriser(coded, min_examples=5)
    b = train_categoriser(list(reversed(coded)), min_examples=5)
    assert a.to_json() == b.to_json() and a == b
    probe = Item(contact_name="Ryman", description="diesel paper")
    assert a.predict(probe) == b.predict(probe)
    a.save(tmp_path / "m.json")
    loaded = NaiveBayesLearner.load(tmp_path / "m.json")
    assert loaded == a and loaded.predict(probe) == a.predict(probe)
    suggester = SmartSuggester.train(coded, min_examples=5)
    suggester.save(tmp_path / "s.json")
    again = SmartSuggester.load(tmp_path / "s.json")
    assert again == suggester
    assert again.suggest(Item(contact_name="Shell"), "project") is not None
    assert again.suggest(Item(contact_name="Shell"), "project").value == "Fleet"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nope", "not JSON"),
        ('{"format": "other"}', "not a saved"),
        ('{"format": "workflowkit/naive-bayes/1", "target": "category"}', "invalid model"),
        (
            '{"format": "workflowkit/naive-bayes/1", "target": "category", "min_examples": 1, '
            '"alpha": 1, "counts": {"A": -1}, "feature_counts": {}}',
            "whole numbers",
        ),
        (
            '{"format": "workflowkit/naive-bayes/1", "target": "colour", "min_examples": 1, '
            '"alpha": 1, "counts": {}, "feature_counts": {}}',
            "cannot learn field",
        ),
    ],
)
def test_bad_saved_models_are_learner_errors(text: str, message: str) -> None:
    with pytest.raises(LearnerError, match=message):
        NaiveBayesLearner.from_json(text)


def test_resolve_with_the_learner() -> None:
    rs = ruleset(
        suppliers=[{"id": "shell", "name": "Shell", "category": "Fuel"}],
        settings={"smart_suggestions": {"auto_apply": ["project"], "min_confidence": 0.5}},
    )
    model = train_categoriser(_coded(), min_examples=5)
    suggester = SmartSuggester.train(_coded(), min_examples=5)
    res = resolve(Item(contact_name="Shell"), rs, categoriser=model, suggester=suggester)
    assert res.value("category") == "Fuel"  # the supplier rule, never the learner
    assert res.value("project") == "Fleet"
    other = resolve(Item(contact_name="Ryman"), rs, categoriser=model)
    assert other.value("category") == "Office"
    assert other.source("category").rule == "naive-bayes"


# --- resolve and explanations -----------------------------------------------------------


def test_resolve_rejects_an_unknown_mode() -> None:
    with pytest.raises(RuleError, match="unknown mode 'later'"):
        resolve(Item(), ruleset(), mode="later")


def test_explanation_text_and_data() -> None:
    rs = RuleSet.model_validate(load_text((EXAMPLES / "acme.yaml").read_text()).data)
    items = read_items(EXAMPLES / "items.json")
    results = list(resolve_all(items, rs))
    assert [r.publish.action.value for r in results] == [
        "publish",
        "inbox",
        "inbox",
        "publish",
        "hold",
        "inbox",
        "publish",
    ]
    text = results[0].explain().to_text()
    assert "tax_rate" in text and "supplier rule british-gas (always)" in text
    assert "publish: publish" in text and "note: Split standing charge" in text
    data = results[1].to_data()
    assert [line["amount"] for line in data["split"]] == ["200.00", "100.00", "150.00", "693.30"]
    assert json.loads(json.dumps(data)) == data
    assert "Resolution(item='inv-1001'" in repr(results[0])
    with pytest.raises(KeyError, match="unknown field 'colour'"):
        results[0].value("colour")


def test_checked_in_schema_accepts_the_examples_and_rejects_unknown_keys() -> None:
    import jsonschema

    root = Path(__file__).resolve().parents[2]
    schema = json.loads((root / "schemas" / "RuleSet.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("acme.yaml", "acme-v2.yaml"):
        data = load_text((EXAMPLES / name).read_text(), name=name).data
        assert list(validator.iter_errors(data)) == [], name
        assert list(validator.iter_errors({**data, "colour": "blue"})), name


def test_the_rule_sets_approval_workflow_holds_an_auto_published_supplier() -> None:
    # The WK504 example of docs/diagnostics.md: the linter says such items are held.
    rs = ruleset(
        suppliers=[
            {"id": "landlord", "name": "Harbour Estates", "category": "Rent", "auto_publish": True}
        ],
        approval_workflows=[{"id": "rent-approval", "contacts": ["Harbour Estates"]}],
    )
    bill = Item(id="b1", contact_name="Harbour Estates", total=Decimal("1200"))
    res = resolve(bill, rs)
    assert res.publish.action is PublishAction.HOLD
    assert res.publish.rule == "rent-approval"
    assert "approval workflow 'rent-approval'" in res.explain().to_text()
    assert resolve(bill.replace(approval="approved"), rs).publish.action is PublishAction.PUBLISH
    assert resolve(bill.replace(approval="rejected"), rs).publish.action is PublishAction.INBOX
    other = Item(id="b2", contact_name="Someone Else", total=Decimal("1200"))
    assert resolve(other, rs).publish.rule != "rent-approval"


def test_an_approval_threshold_holds_only_items_over_it() -> None:
    rs = ruleset(
        account={"auto_publish": True, "category": "General"},
        approval_workflows=[{"id": "big-bills", "over": "5000"}],
    )
    big = Item(id="g1", contact_name="British Gas", total=Decimal("6000"), category="Utilities")
    small = big.replace(id="g2", total=Decimal("4000"))
    unknown = big.replace(id="g3", total=None)
    assert resolve(big, rs).publish.action is PublishAction.HOLD
    assert "over 5000" in resolve(big, rs).publish.reason
    assert resolve(small, rs).publish.action is PublishAction.PUBLISH
    assert resolve(unknown, rs).publish.action is PublishAction.HOLD  # may be over it
    sales = big.replace(id="g4", side="sales")
    assert resolve(sales, rs).publish.action is not PublishAction.HOLD
