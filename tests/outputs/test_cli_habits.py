"""Issue 17, part 4 leftovers: no trailing spaces in the templates table, SARIF's helpUri
on the project's docs, modelines that survive a copy, review show's headings and ids."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from output_helpers import ID, ROOT, cli

from workflowkit.cli import reporters
from workflowkit.source.kinds import KINDS
from workflowkit.source.schema import modeline, schema_id

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<url>\S+)$", re.M)


@pytest.mark.parametrize(
    "argv", [(), ("--templates", "examples/practice")], ids=["builtins", "practice"]
)
def test_the_templates_table_has_no_trailing_spaces(argv: tuple[str, ...]) -> None:
    ran = cli("templates", *argv)
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert len(lines) > 2 and lines[0].startswith("ID")
    assert [n for n, line in enumerate(lines) if line != line.rstrip()] == []
    # the columns still line up: every row's second column starts where NAME does
    at = lines[0].index("NAME")
    assert all(line[at - 2 : at] == "  " and line[at] != " " for line in lines[1:])


def _documentation_url() -> str:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    url: str = meta["project"]["urls"]["Documentation"]
    return url.rstrip("/") + "/"


def test_sarif_help_uri_is_the_projects_docs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: t\nname: T\nversion: 1.0.0\n"
        "colour: blue\nchecks:\n  - id: a\n    title: A\n",
        encoding="utf-8",
    )
    ran = cli("validate", str(bad), "--format", "sarif")
    assert ran.code == 1
    rules = json.loads(ran.out)["runs"][0]["tool"]["driver"]["rules"]
    assert rules
    for rule in rules:
        uri = rule["helpUri"]
        assert ".invalid" not in uri
        assert uri == f"{_documentation_url()}diagnostics.md#{rule['id'].lower()}"


def test_docs_url_falls_back_without_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    def missing(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    reporters.docs_url.cache_clear()
    monkeypatch.setattr(importlib.metadata, "metadata", missing)
    try:
        assert reporters.docs_url() == reporters.DOCS_FALLBACK
        assert reporters.help_uri("WK113").endswith("/diagnostics.md#wk113")
    finally:
        reporters.docs_url.cache_clear()


def test_the_fallback_is_the_declared_url() -> None:
    assert _documentation_url() == reporters.DOCS_FALLBACK


def _published_id(kind: str) -> str:
    schema = json.loads((ROOT / "schemas" / KINDS[kind].schema_file).read_text("utf-8"))
    published: str = schema["$id"]
    return published


def test_modeline_is_the_published_schema_id() -> None:
    for kind in KINDS:
        assert schema_id(kind) == _published_id(kind)
        assert modeline(kind) == f"# yaml-language-server: $schema={_published_id(kind)}"


COPIED = [
    *sorted((ROOT / "docs" / "tutorial" / "practice").rglob("*.yaml")),
    ROOT / "examples" / "practice" / "rules" / "acme-widgets.yaml",  # the tutorial copies it
]


@pytest.mark.parametrize("path", COPIED, ids=lambda p: str(p.relative_to(ROOT)))
def test_files_the_tutorial_copies_point_at_a_stable_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    m = MODELINE.match(text)
    assert m, f"{path}: no modeline on the first line"
    kind = re.search(r"^kind: (\w+)$", text, re.M)
    assert kind is not None
    assert m.group("url") == _published_id(kind.group(1)), "a relative path breaks in a copy"


def test_the_tutorial_page_shows_stable_modelines() -> None:
    urls = MODELINE.findall((ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8"))
    assert urls and all(u.startswith("https://") for u in urls)


def test_review_show_heads_a_split_section_once_and_names_every_check(store) -> None:  # type: ignore[no-untyped-def]
    ran = store("review", "show", ID)
    assert ran.code == 0
    data = store("review", "show", ID, "--format", "json").json()
    checks = data["setup"]["template"]["checks"]
    inserted = [c for c in checks if c["id"] == "dext-inbox-cleared"]
    assert inserted and not inserted[0].get("section")  # added by extends, into a section
    lines = ran.out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Checks ("))
    body = lines[start + 1 :]
    sections = {c["section"] for c in checks if c.get("section")}
    headings = [line.strip() for line in body if line.strip() in sections]
    assert headings and len(headings) == len(set(headings)), headings
    for c in checks:
        assert any(re.match(rf"^  \[.\] {re.escape(c['id'])}\s", line) for line in body), c["id"]
