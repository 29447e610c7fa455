"""``workflowkit rules explain|impact`` and the benchmark's --quick smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workflowkit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EX = Path(__file__).resolve().parent / "examples"
ACME, ACME2 = str(EX / "acme.yaml"), str(EX / "acme-v2.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["rules", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", ACME, str(EX / "items.json"), "--id", "inv-1001")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("item inv-1001: costs invoice from 'British Gas'")
    assert any(
        line.split()[:2] == ["tax_rate", "5%"] and "supplier rule british-gas (always)" in line
        for line in lines
    )
    assert "document '20% (VAT on Expenses)': overridden by supplier rule british-gas" in out
    assert "publish: publish (payment method rule 'Company Amex' auto-publishes always)" in out
    assert "payment_method  Company Amex" in out


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", ACME, str(EX / "item.json"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["values"]["category"] == "Rent"
    assert data["publish"]["action"] == "inbox"
    assert [line["kind"] for line in data["split"]] == ["fixed", "fixed", "fixed", "remainder"]
    category = next(f for f in data["fields"] if f["field"] == "category")
    assert category["source"]["rule"] == "office-landlord"
    assert category["beaten"][0]["layer"] == "account"


def test_explain_inbox_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "explain",
        ACME,
        str(EX / "items.json"),
        "--id",
        "rec-2002",
        "--mode",
        "inbox",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["mode"] == "inbox" and data["publish"]["action"] == "inbox"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explain", ACME, str(EX / "items.json")], "holds 7 items; choose one with --id"),
        (["explain", ACME, str(EX / "items.json"), "--id", "zz"], "no item with id 'zz'"),
        (["explain", ACME, str(EX / "nope.json")], "no such file"),
        (["explain", str(EX / "lint" / "duplicates.yaml"), str(EX / "item.json")], "WK508"),
        (["explain", str(EX / "items.json"), str(EX / "item.json")], "WK105"),
        (["impact", ACME, ACME2, str(EX / "acme.yaml")], "unknown key"),
        (
            ["explain", ACME, str(EX / "item.json"), "--categoriser", str(EX / "item.json")],
            "not a saved",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_impact_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", ACME, ACME2, str(EX / "items.json"))
    assert code == 0
    assert out.splitlines()[0] == "7 item(s), 1 changed"
    assert (
        "    category: 'Office costs' (supplier rule stationery-world (always)) -> 'Stationery'"
        in out
    )
    assert "publish inbox -> publish: 1" in out
    code, out, _ = run(capsys, "impact", ACME, ACME2, str(EX / "items.csv"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["items"] == 4 and data["changed_items"] == 1
    assert data["values"]["category"] == 1 and data["publish"] == {"inbox -> publish": 1}
    assert data["changed"][0]["item"] == "rec-2001"


def test_impact_of_no_change_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "impact", ACME, ACME, str(EX / "items.json"))
    assert code == 0 and out.splitlines()[0] == "7 item(s), 0 changed"


def test_rules_without_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 2


def test_benchmark_quick_prints_one_json_line() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "rules.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    for key in (
        "resolve_items_per_s",
        "baseline_items_per_s",
        "baseline_no_provenance_items_per_s",
        "ratio",
        "target",
        "met",
        "items",
        "supplier_rules",
        "payment_method_rules",
        "user_rules",
        "fields",
    ):
        assert key in data, key
    assert data["target"] == 1.0 and isinstance(data["met"], bool)
    assert data["fields"] == 8 and sum(data["publish_decisions"].values()) == data["items"]
