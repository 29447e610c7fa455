"""Running the CLI in this process, and checking an output against its published schema."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from workflowkit.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
PRACTICE = ROOT / "docs" / "tutorial" / "practice"
SCHEMAS = ROOT / "schemas" / "output"
ID = "acme-widgets-ltd/monthly-close/2026-10"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def cli(*argv: str) -> Ran:
    """Run ``workflowkit ARGV...`` in this process, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Ran(code, out.getvalue(), err.getvalue())


def schema_of(format_name: str) -> dict[str, Any]:
    """The checked-in schema of an output."""
    data: dict[str, Any] = json.loads(
        (SCHEMAS / f"{format_name}.schema.json").read_text(encoding="utf-8")
    )
    return data


def check_output(data: Any, format_name: str, version: int = 1) -> None:
    """``data`` names its format and version and validates against the published schema."""
    assert isinstance(data, dict), f"{format_name}: not an object"
    assert data.get("format") == format_name
    assert data.get("format_version") == version
    assert list(data)[:2] == ["format", "format_version"]
    validator = jsonschema.Draft202012Validator(
        schema_of(format_name), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
