"""Schemas: generated from the models, checked in, printed by `workflowkit schema`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from workflowkit.cli.main import main
from workflowkit.cli.schema import KIND_NAMES
from workflowkit.source.kinds import KINDS
from workflowkit.source.schema import schema_files

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_schemas_are_current() -> None:
    for name, text in schema_files().items():
        path = ROOT / "schemas" / name
        assert path.exists(), f"schemas/{name} is missing: run `workflowkit schema --write schemas`"
        assert path.read_text(encoding="utf-8") == text, (
            f"schemas/{name} is stale: run `workflowkit schema --write schemas`"
        )


def test_no_stray_schema_files() -> None:
    on_disk = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert on_disk == set(schema_files())


def test_cli_kind_names_match_the_registry() -> None:
    assert set(KIND_NAMES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_command_prints_a_valid_schema(
    kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["kind"]["const"] == kind


def test_schema_accepts_the_builtins_and_rejects_unknown_keys() -> None:
    from workflowkit.source.loader import read_path
    from workflowkit.templates.builtins import builtin_files

    schemas = {k: json.loads(t) for k, t in schema_files().items()}
    for f in builtin_files():
        data = read_path(f).data
        validator = jsonschema.Draft202012Validator(schemas[f"{data['kind']}.schema.json"])
        assert not list(validator.iter_errors(data)), f.name
        bad = {**data, "colour": "blue"}
        assert list(validator.iter_errors(bad)), f"{f.name}: unknown key accepted by the schema"
