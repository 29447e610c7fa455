"""Every ``--format json`` output names its format and version and validates against its
published schema (``schemas/output/``), on the example practices and on failure cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from output_helpers import ID, ROOT, check_output, cli

from workflowkit.cli.outputs.schemas import OUTPUT_MODELS, output_schema_files

TYPO = "docs/tutorial/practice/templates/monthly-close.yaml"


def test_validate_clean_and_with_errors(tmp_path: Path) -> None:
    ran = cli("validate", "docs/tutorial/practice", "--format", "json")
    assert ran.code == 0
    check_output(ran.json(), "workflowkit.validate")
    bad = tmp_path / "typo.yaml"
    text = (ROOT / TYPO).read_text(encoding="utf-8")
    bad.write_text(text.replace("after: aged-payables", "after: aged-payable"), "utf-8")
    ran = cli("validate", str(bad), "--format", "json")
    assert ran.code == 1
    data = ran.json()
    check_output(data, "workflowkit.validate")
    assert data["summary"]["errors"] >= 1
    assert data["files"][0]["diagnostics"][0]["code"].startswith("WK")


def test_validate_warnings_under_strict_and_the_builtins() -> None:
    ran = cli("validate", "builtin_templates", "examples/practice", "--format", "json", "--strict")
    check_output(ran.json(), "workflowkit.validate")


def test_plan() -> None:
    ran = cli(
        "plan", "docs/tutorial/practice", "--from", "2026-11-01", "--to", "2027-01-31", "-f", "json"
    )
    assert ran.code == 0
    data = ran.json()
    check_output(data, "workflowkit.plan")
    assert data["count"] == len(data["occurrences"]) > 0
    ran = cli(
        "plan", "examples/practice", "--from", "2026-01-01", "--to", "2026-12-31", "-f", "json"
    )
    check_output(ran.json(), "workflowkit.plan")


@pytest.mark.parametrize(
    "argv",
    [
        ("tests/insights/data/acme-csv",),
        ("tests/insights/data/clean.json",),
        ("examples/practice/ledgers/acme-widgets-ltd.json", "--template", "monthly-bookkeeping"),
    ],
    ids=["csv-with-findings", "clean", "template"],
)
def test_checks_run(argv: tuple[str, ...]) -> None:
    ran = cli("checks", "run", *argv, "--format", "json")
    data = ran.json()
    check_output(data, "workflowkit.checks.run")
    assert ran.code == (1 if data["issues"] else 0)


def test_checks_run_with_findings_has_findings() -> None:
    data = cli("checks", "run", "tests/insights/data/acme-csv", "-f", "json").json()
    assert any(r["findings"] for r in data["results"].values())


def test_checks_list() -> None:
    ran = cli("checks", "list", "--format", "json")
    data = ran.json()
    check_output(data, "workflowkit.checks.list")
    assert {"bank-reconciliation", "aged-payables"} <= {c["id"] for c in data["checks"]}


def test_review_list_show_history(store) -> None:  # type: ignore[no-untyped-def]
    data = store("review", "list", "--format", "json").json()
    check_output(data, "workflowkit.review.list")
    assert ID in {i["id"] for i in data["instances"]}
    data = store("review", "show", ID, "--format", "json").json()
    check_output(data, "workflowkit.review.show")
    ids = [c["id"] for c in data["setup"]["template"]["checks"]]
    assert [c["id"] for c in data["checks"]] == ids
    assert any(c["findings"] for c in data["checks"])
    data = store("review", "history", ID, "--format", "json").json()
    check_output(data, "workflowkit.review.history")
    assert data["instance"] == ID
    assert [e["version"] for e in data["events"]] == list(range(1, len(data["events"]) + 1))


def test_review_verify_ok_tampered_and_all(store) -> None:  # type: ignore[no-untyped-def]
    ran = store("review", "verify", ID, "--format", "json")
    assert ran.code == 0
    data = ran.json()
    check_output(data, "workflowkit.review.verify")
    assert data["ok"] and data["scope"] == "instance" and data["problems"] == []
    assert data["events"] == data["version"] > 0
    trail = store("review", "history", ID, "--format", "jsonl").out
    tampered = store.tmp / "tampered.jsonl"
    tampered.write_text(trail.replace("entered twice", "entered once"), encoding="utf-8")
    ran = cli("review", "verify", "--events", str(tampered), "--format", "json")
    assert ran.code == 1
    data = ran.json()
    check_output(data, "workflowkit.review.verify")
    assert not data["ok"] and data["scope"] == "file"
    assert [p["kind"] for p in data["problems"]] == ["TAMPERED"]
    ran = store("review", "verify", "--all", "--format", "json")
    assert ran.code == 0
    data = ran.json()
    check_output(data, "workflowkit.review.verify")
    assert data["scope"] == "store" and data["instances"] >= 1


def test_review_verify_json_sees_a_changed_database(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import sqlite3

    db = tmp_path / "copy.db"
    shutil.copy(store.db, db)
    con = sqlite3.connect(db)
    version, body = con.execute(
        "SELECT version, body FROM events WHERE instance_id = ? AND body LIKE ?",
        (ID, "%Asked the client%"),
    ).fetchone()
    con.execute(
        "UPDATE events SET body = ? WHERE instance_id = ? AND version = ?",
        (body.replace("Asked the client", "Told the client"), ID, version),
    )
    con.commit()
    con.close()
    for argv in (("verify", ID), ("verify", "--all")):
        ran = cli("review", *argv, "--db", str(db), "--format", "json")
        assert ran.code == 1, ran.err
        data = ran.json()
        check_output(data, "workflowkit.review.verify")
        assert not data["ok"] and data["problems"][0]["kind"] == "TAMPERED"


def test_run_agenda_workload_notify(store) -> None:  # type: ignore[no-untyped-def]
    practice = str(store.practice)
    ran = store("run", practice, "--now", "2026-12-03T09:00:00Z", "--dry-run", "-f", "json")
    data = ran.json()
    check_output(data, "workflowkit.run")
    assert data["dry_run"] and data["entries"]
    data = store("agenda", "--as", "alice", "--on", "2026-11-05", "--format", "json").json()
    check_output(data, "workflowkit.agenda")
    ran = store(
        "workload", practice, "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json"
    )
    check_output(ran.json(), "workflowkit.workload")
    ran = store("notify", "--dry-run", "--now", "2026-11-20T09:00:00Z", "--format", "json")
    data = ran.json()
    check_output(data, "workflowkit.notify")
    assert data["derived"]


def test_rules_explain_and_impact() -> None:
    ran = cli(
        "rules",
        "explain",
        "tests/rules/examples/acme.yaml",
        "tests/rules/examples/item.json",
        "--format",
        "json",
    )
    check_output(ran.json(), "workflowkit.rules.explain")
    ran = cli(
        "rules",
        "impact",
        "tests/rules/examples/acme.yaml",
        "tests/rules/examples/acme-v2.yaml",
        "tests/rules/examples/items.json",
        "--format",
        "json",
    )
    data = ran.json()
    check_output(data, "workflowkit.rules.impact")
    assert data["changed"]


def test_templates_show_and_diff() -> None:
    data = cli("templates", "--format", "json").json()
    check_output(data, "workflowkit.templates")
    assert "monthly-bookkeeping" in {t["id"] for t in data["templates"]}
    data = cli("templates", "--templates", "examples/practice", "-f", "json").json()
    check_output(data, "workflowkit.templates")
    data = cli("templates", "show", "monthly-bookkeeping", "--format", "json").json()
    check_output(data, "workflowkit.templates.show")
    assert data["id"] == "monthly-bookkeeping" and data["checks"]
    ran = cli(
        "diff",
        "builtin_templates/monthly-bookkeeping.yaml",
        TYPO,
        "--format",
        "json",
    )
    data = ran.json()
    check_output(data, "workflowkit.diff")
    assert data["removed"] and isinstance(data["bump_ok"], bool)


def test_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workflowkit.yaml").write_text("paths: [practice]\nstrict: true\n", "utf-8")
    data = cli("config", "--format", "json").json()
    check_output(data, "workflowkit.config")
    strict = data["settings"]["strict"]
    assert (strict["value"], strict["source"]) == (True, "file")


def test_report(store) -> None:  # type: ignore[no-untyped-def]
    ran = store(
        "report", str(store.practice), "--now", "2026-11-20T09:00:00+00:00", "--format", "json"
    )
    assert ran.code == 0, ran.err
    check_output(ran.json(), "workflowkit.report")


def test_every_output_model_has_a_checked_in_schema() -> None:
    names = {m.FORMAT for m in OUTPUT_MODELS} | {"workflowkit.report"}
    on_disk = {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas/output").glob("*")}
    assert on_disk == names
    assert len(names) == len(OUTPUT_MODELS) + 1, "two outputs share a format name"


def test_checked_in_output_schemas_are_current() -> None:
    for name, text in output_schema_files().items():
        path = ROOT / "schemas" / "output" / name
        assert path.exists(), (
            f"schemas/output/{name} is missing: run `workflowkit schema --write schemas`"
        )
        assert path.read_text(encoding="utf-8") == text, (
            f"schemas/output/{name} is stale: run `workflowkit schema --write schemas`"
        )


def test_output_schemas_are_valid_schemas_with_their_ids() -> None:
    import jsonschema

    for name, text in output_schema_files().items():
        schema = json.loads(text)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith("/output/" + name)
        fmt = schema["properties"]["format"]
        assert fmt.get("const") == name.removesuffix(".schema.json")


JSON_COMMANDS = {
    "validate": {"workflowkit.validate"},
    "plan": {"workflowkit.plan"},
    "checks run": {"workflowkit.checks.run"},
    "checks list": {"workflowkit.checks.list"},
    "review list": {"workflowkit.review.list"},
    "review show": {"workflowkit.review.show"},
    "review history": {"workflowkit.review.history"},
    "review verify": {"workflowkit.review.verify"},
    "rules explain": {"workflowkit.rules.explain"},
    "rules impact": {"workflowkit.rules.impact"},
    "run": {"workflowkit.run"},
    "agenda": {"workflowkit.agenda"},
    "workload": {"workflowkit.workload"},
    "notify": {"workflowkit.notify"},
    "templates": {"workflowkit.templates", "workflowkit.templates.show"},
    "diff": {"workflowkit.diff"},
    "config": {"workflowkit.config"},
    "report": {"workflowkit.report"},
}
"""Every command that takes ``--format json``, and the formats it prints."""


def _json_commands() -> set[str]:
    import argparse

    from workflowkit.cli.main import build_parser

    found: set[str] = set()

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, (*path, name))
            elif "--format" in action.option_strings and "json" in (action.choices or ()):
                found.add(" ".join(path))

    walk(build_parser(), ())
    return found


def test_every_json_output_of_the_cli_has_a_format() -> None:
    assert _json_commands() == set(JSON_COMMANDS)
    formats = set().union(*JSON_COMMANDS.values())
    assert formats == {m.FORMAT for m in OUTPUT_MODELS} | {"workflowkit.report"}
