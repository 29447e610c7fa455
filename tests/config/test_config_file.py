"""Finding the configuration file (search order, both in one folder, where the search
stops), parsing it, and its located diagnostics (WK215-WK219)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workflowkit.settings import ConfigError, find_config, load_settings, parse_config

TABLE = '[project]\nname = "x"\n\n[tool.workflowkit]\npaths = ["practice"]\n'


def _errors(path: Path, text: str) -> list[str]:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        parse_config(path, text)
    return [d.format().replace(f"{path.parent}/", "") for d in info.value.diagnostics]


def test_found_upwards_from_the_working_directory(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(TABLE)
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    found = find_config(deep)
    assert found is not None and found.path == repo / "pyproject.toml"
    settings, warnings = load_settings({}, {}, cwd=deep)
    assert settings.paths == ("../../practice",) and warnings == ()
    assert settings.origins["paths"].where == f"{repo / 'pyproject.toml'}:5"


def test_a_pyproject_without_the_table_is_passed_over(repo: Path) -> None:
    (repo / "workflowkit.yaml").write_text("strict: true\n")
    (repo / "sub").mkdir()
    (repo / "sub" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    found = find_config(repo / "sub")
    assert found is not None and found.path == repo / "workflowkit.yaml"


def test_the_nearest_folder_wins(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(TABLE)
    (repo / "sub").mkdir()
    (repo / "sub" / "workflowkit.yaml").write_text("strict: true\n")
    found = find_config(repo / "sub")
    assert found is not None and found.path == repo / "sub" / "workflowkit.yaml"


def test_yaml_wins_over_pyproject_in_one_folder_with_a_warning(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(TABLE)
    (repo / "workflowkit.yaml").write_text("strict: true\n")
    found = find_config(repo)
    assert found is not None and found.path == repo / "workflowkit.yaml"
    [w] = found.warnings
    assert w.code == "WK219" and w.file == str(repo / "pyproject.toml") and w.line == 4


def test_the_search_stops_at_the_repository_root(repo: Path) -> None:
    (repo.parent / "workflowkit.yaml").write_text("strict: true\n")  # above .git
    assert find_config(repo) is None
    (repo / "inner").mkdir()
    assert find_config(repo / "inner") is None
    (repo / ".git").rmdir()
    found = find_config(repo / "inner")
    assert found is not None and found.path == repo.parent / "workflowkit.yaml"


def test_no_file_means_defaults(repo: Path) -> None:
    settings, _ = load_settings({}, {}, cwd=repo)
    assert settings.config_file is None
    assert {o.layer for o in settings.origins.values()} == {"default"}


def test_toml_diagnostics_are_located(repo: Path) -> None:
    text = (
        "[project]\nname = 'x'\n\n[tool.workflowkit]\n"
        'exclud = ["a"]\n'
        'strict = "yes"\n'
        '  exclude = ["ok", "[abc"]\n'
        'format = "jsn"\n'
        "db = 3\n"
        "paths = []\n"
        "[tool.other]\nstrict = 1\n"
    )
    assert _errors(repo / "pyproject.toml", text) == [
        "pyproject.toml:5:1: WK216 unknown key 'exclud' in the configuration"
        " (hint: did you mean 'exclude'?)",
        "pyproject.toml:6:10: WK217 strict must be true or false",
        "pyproject.toml:7:13: WK218 exclude[1]: glob '[abc' has a '[' that is never closed",
        "pyproject.toml:8:10: WK218 unknown format 'jsn' (hint: did you mean 'json'?)",
        "pyproject.toml:9:6: WK217 db must be a string (a SQLite file or a postgresql:// URL)",
        'pyproject.toml:10:9: WK218 paths is empty (hint: leave it out for ".", or list folders)',
    ]


def test_toml_syntax_error_has_tomllibs_position(repo: Path) -> None:
    assert _errors(repo / "pyproject.toml", "[tool.workflowkit]\nstrict = tru\n") == [
        "pyproject.toml:2:10: WK215 TOML syntax error: Invalid value"
    ]


def test_toml_key_in_another_form_is_located_at_the_table(repo: Path) -> None:
    text = "[tool]\nworkflowkit = { strict = 1 }\n"
    [line] = _errors(repo / "pyproject.toml", text)
    assert re.match(r"pyproject.toml:1:1: WK217 strict must be true or false", line)


def test_yaml_diagnostics_are_located_exactly(repo: Path) -> None:
    text = "paths: [practice]\nexclude:\n  - ok\n  - '[x'\nstrct: true\nformat: 1\n"
    assert _errors(repo / "workflowkit.yaml", text) == [
        "workflowkit.yaml:4:5: WK218 exclude[1]: glob '[x' has a '[' that is never closed",
        "workflowkit.yaml:5:1: WK216 unknown key 'strct' in the configuration"
        " (hint: did you mean 'strict'?)",
        "workflowkit.yaml:6:9: WK217 format must be a string",
    ]


def test_yaml_syntax_error_and_a_root_that_is_not_a_mapping(repo: Path) -> None:
    [line] = _errors(repo / "workflowkit.yaml", "paths: [practice\n")
    assert line.startswith("workflowkit.yaml:2:1: WK215 YAML: ")
    assert _errors(repo / "workflowkit.yaml", "- a\n") == [
        "workflowkit.yaml:1:1: WK217 the configuration must be a mapping"
    ]


def test_a_valid_file_gives_its_values_and_lines(repo: Path) -> None:
    text = TABLE + 'exclude = ["docker-compose.yml", ".github/**"]\ndb = "p.db"\nstrict = true\n'
    layer = parse_config(repo / "pyproject.toml", text)
    assert dict(layer.values) == {
        "paths": ("practice",),
        "exclude": ("docker-compose.yml", ".github/**"),
        "db": "p.db",
        "strict": True,
    }
    assert dict(layer.lines) == {"paths": 5, "exclude": 6, "db": 7, "strict": 8}
