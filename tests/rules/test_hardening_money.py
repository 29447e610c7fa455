"""Money is bounded, read from its text, and computed in its own decimal context (issue 19)."""

from __future__ import annotations

import json
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.cli.main import main
from workflowkit.rules.errors import ItemError, SplitError
from workflowkit.rules.item import Item, to_money
from workflowkit.rules.models import SmartSplit
from workflowkit.rules.split import smart_split
from workflowkit.source.workspace import parse_text

EXAMPLES = Path(__file__).parent / "examples"
HEAD = "apiVersion: workflowkit/v1\nkind: RuleSet\nid: r\nname: R\n"


def _split(lines: list[dict[str, object]]) -> SmartSplit:
    return SmartSplit.model_validate({"lines": lines})


@pytest.mark.parametrize("text", ["1e999999999", "-1e999999999", "1e12", "1e-999999999"])
def test_out_of_range_amounts_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError):
        to_money(text)
    with pytest.raises(ItemError):
        Item(total=text)
    with pytest.raises(ItemError):
        Item(total=Decimal(text))


@pytest.mark.parametrize("text", ["١٢٣", "۱۲۳", "१२३", "１２３", "1_000"])
def test_only_ascii_digits_are_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        to_money(text)


def test_huge_int_is_refused_before_any_decimal() -> None:
    with pytest.raises(ValueError, match="too large"):
        to_money(10**5000)


def test_zero_with_a_huge_exponent_is_plain_zero() -> None:
    assert to_money("0e999999999") == 0


def test_a_quoted_huge_amount_is_a_diagnostic_not_a_crash() -> None:
    text = HEAD + "approval_workflows: [{id: w, over: '1e999999999'}]\n"
    parsed = parse_text(text, name="r.yaml")
    assert parsed.spec is None
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("WK116", 5)]
    assert "too large" in parsed.diagnostics[0].message


def test_yaml_money_is_built_from_its_text() -> None:
    text = HEAD + "approval_workflows: [{id: w, over: 100.000000000001}]\n"
    spec = parse_text(text, name="r.yaml").spec
    assert spec is not None
    assert spec.approval_workflows[0].over == Decimal("100.000000000001")  # not 100.0
    finer = HEAD + "approval_workflows: [{id: w, over: 100.000000000000001}]\n"
    parsed = parse_text(finer, name="r.yaml")
    assert parsed.spec is None  # 15 places: refused, not rounded to 100.0 and accepted
    assert "decimal places" in parsed.diagnostics[0].message


def test_json_money_is_built_from_its_text() -> None:
    doc = {
        "apiVersion": "workflowkit/v1",
        "kind": "RuleSet",
        "id": "r",
        "name": "R",
        "approval_workflows": [{"id": "w", "over": 0}],
    }
    text = json.dumps(doc).replace('"over": 0', '"over": 100.000000000001')
    spec = parse_text(text, name="r.json").spec
    assert spec is not None
    assert spec.approval_workflows[0].over == Decimal("100.000000000001")


def test_smart_split_ignores_the_callers_precision() -> None:
    split = _split([{"percent": "33.3333", "category": "A"}, {"percent": "33.3333"}])
    expected = smart_split(Decimal("123456789.01"), split)
    with localcontext() as ctx:
        ctx.prec = 3
        lines = smart_split(Decimal("123456789.01"), split)
        assert lines == expected
    assert sum(ln.amount for ln in lines) == Decimal("123456789.01")


@pytest.mark.parametrize(
    "total", ["1e999999999", "1234567890123456789012345678.90", "-1e999999999", "NaN"]
)
def test_smart_split_out_of_range_is_a_split_error(total: str) -> None:
    with pytest.raises(SplitError):
        smart_split(Decimal(total), _split([{"percent": "50"}]))


def test_zero_amount_split_lines_are_not_emitted() -> None:
    split = _split([{"percent": "10", "category": "A"}, {"percent": "10", "category": "B"}])
    lines = smart_split(Decimal("0.05"), split)
    assert all(ln.amount != 0 for ln in lines)
    assert sum(ln.amount for ln in lines) == Decimal("0.05")
    assert smart_split(Decimal("0.00"), split) == ()


@given(
    total=st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=2),
    percents=st.lists(
        st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(25), places=4),
        min_size=1,
        max_size=4,
    ),
    prec=st.integers(min_value=1, max_value=60),
)
def test_split_lines_always_sum_to_the_total(
    total: Decimal, percents: list[Decimal], prec: int
) -> None:
    split = _split([{"percent": str(p)} for p in percents])
    with localcontext() as ctx:
        ctx.prec = prec
        lines = smart_split(total, split)
    with localcontext() as ctx:
        ctx.prec = 60
        assert sum((ln.amount for ln in lines), Decimal(0)) == total
    assert all(ln.amount != 0 for ln in lines)


def _items(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "items.json"
    p.write_text(body, encoding="utf-8")
    return p


def test_rules_explain_huge_total_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items(tmp_path, '{"id": "x", "total": 1e999999999}')
    assert main(["rules", "explain", str(EXAMPLES / "acme.yaml"), str(items)]) == 2
    err = capsys.readouterr().err
    assert "too large" in err and "Traceback" not in err


def test_rules_explain_over_long_integer_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = _items(tmp_path, '{"id": "x",\n "total": ' + "9" * 5000 + "}")
    assert main(["rules", "explain", str(EXAMPLES / "acme.yaml"), str(items)]) == 2
    err = capsys.readouterr().err
    assert f"{items}:2:11:" in err and "too long" in err and "Traceback" not in err
