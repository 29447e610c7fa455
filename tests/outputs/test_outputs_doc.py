"""docs/outputs.md documents every output: its format, version and schema, and an example
the docs test runs and checks against that schema."""

from __future__ import annotations

import re

from output_helpers import ROOT

from workflowkit.cli.outputs.schemas import output_schemas

DOC = ROOT / "docs" / "outputs.md"


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## (\S+)\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_output_has_a_section_with_its_version_schema_and_a_checked_example() -> None:
    sections = _sections()
    for name, schema in output_schemas().items():
        assert name in sections, f"docs/outputs.md has no section '## {name}'"
        body = sections[name]
        version = schema["properties"]["format_version"]["const"]
        path = f"schemas/output/{name}.schema.json"
        assert f"Version: {version}. Schema: `{path}`" in body, name
        assert re.search(r"^\$ .*--format json", body, re.M), f"{name}: no example"
        assert f"$ check-jsonschema --schemafile {path} " in body, f"{name}: example unchecked"


def test_no_section_for_an_output_that_does_not_exist() -> None:
    formats = {s for s in _sections() if s.startswith("workflowkit.")}
    assert formats == set(output_schemas())


def test_the_versioning_rule_and_the_links() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "## When a format's version changes" in text
    assert "Readers must ignore fields they do not know" in text
    assert "(docs/outputs.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(outputs.md)" in (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
