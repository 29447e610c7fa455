"""The CLI edge: `workflowkit config`, --exclude, flags over the file, -q/-v, colour,
argparse abbreviations off, did-you-mean, and shell completion."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from workflowkit.cli import colour
from workflowkit.cli.completion import ExtraMissingError, fish_script, script
from workflowkit.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
GOOD = (ROOT / "tests" / "examples" / "valid").resolve()
COMPOSE = "services:\n  web:\n    image: nginx\n"


def _template() -> Path:
    return next(
        p for p in sorted(GOOD.rglob("*.yaml")) if "kind: WorkflowTemplate" in p.read_text()
    )


def _unformatted() -> str:
    """The template with its top-level keys out of the canonical order."""
    lines = Path(_template()).read_text().splitlines(keepends=True)
    head = [n for n, line in enumerate(lines) if line.startswith(("apiVersion:", "kind:"))]
    body = [line for n, line in enumerate(lines) if n not in head]
    return "".join(body + [lines[n] for n in head])


def _practice(repo: Path) -> None:
    (repo / "practice").mkdir()
    (repo / "practice" / "t.yaml").write_text(Path(_template()).read_text())
    (repo / "docker-compose.yml").write_text(COMPOSE)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "ci.yml").write_text("on: push\njobs: {}\n")


def test_other_yaml_fails_until_excluded(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _practice(repo)
    assert main(["validate", "."]) == 1
    assert "WK111" in capsys.readouterr().out
    args = ["validate", ".", "--exclude", "docker-compose.yml", "--exclude", "deploy/*.yml"]
    assert main(args) == 0
    assert "1 file(s) valid" in capsys.readouterr().out


def test_excludes_from_the_file_and_no_paths(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _practice(repo)
    (repo / "pyproject.toml").write_text(
        '[tool.workflowkit]\nexclude = ["docker-compose.yml", "deploy/"]\n'
    )
    assert main(["validate"]) == 0
    assert main(["fmt", "--check"]) in (0, 1)
    out = capsys.readouterr().out
    assert "docker-compose" not in out and "deploy" not in out
    # a flag replaces the file's excludes
    assert main(["validate", "--exclude", "deploy/"]) == 1


def test_the_config_file_itself_is_not_a_document(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _practice(repo)
    (repo / "workflowkit.yaml").write_text("exclude: [docker-compose.yml, deploy]\n")
    assert main(["validate", "."]) == 0, capsys.readouterr()


def test_a_bad_config_file_stops_every_command(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _practice(repo)
    (repo / "pyproject.toml").write_text('[tool.workflowkit]\nexclud = ["x"]\n')
    assert main(["validate", "practice"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml:2:1: WK216 unknown key 'exclud'" in err
    assert "did you mean 'exclude'?" in err


def test_config_prints_each_setting_and_its_origin(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.workflowkit]\npaths = ["practice"]\nformat = "json"\ndb = "file.db"\n'
    )
    monkeypatch.setenv("WORKFLOWKIT_DB", "env.db")
    assert main(["config", "--strict"]) == 0
    text = capsys.readouterr().out
    assert f"config file: {repo / 'pyproject.toml'}" in text
    assert f"paths   = practice  # file {repo / 'pyproject.toml'}:2" in text
    assert "db      = env.db  # env WORKFLOWKIT_DB" in text
    assert "strict  = true  # flag --strict" in text
    assert "exclude = (none)  # default" in text
    assert main(["config", "--format", "json", "--db", "flag.db"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "workflowkit.config" and data["format_version"] == 1
    assert data["settings"]["db"] == {"value": "flag.db", "source": "flag", "where": "--db"}
    assert data["settings"]["format"]["source"] == "file"
    assert data["settings"]["format"]["where"] == f"{repo / 'pyproject.toml'}:3"


def test_the_file_format_and_strict_reach_commands(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _practice(repo)
    (repo / "workflowkit.yaml").write_text("paths: [practice]\nformat: json\n")
    assert main(["validate"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["files"] == 1
    assert main(["validate", "--format", "text"]) == 0  # the flag beats the file
    assert "1 file(s) valid" in capsys.readouterr().out
    # `sarif` is not a `plan` format: plan keeps its own default (table)
    (repo / "workflowkit.yaml").write_text("paths: [practice]\nformat: sarif\n")
    main(["plan", "--from", "2026-01-01", "--to", "2026-01-02"])
    assert not capsys.readouterr().out.lstrip().startswith("{")


def test_abbreviations_are_refused_with_a_suggestion(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--form", "json", "."]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --form" in err and "did you mean '--format'?" in err


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["valdate", "."], "did you mean 'validate'?"),
        (["checks", "rn"], "did you mean 'run'?"),
        (["validate", "--stict", "."], "did you mean '--strict'?"),
    ],
)
def test_did_you_mean(argv: list[str], suggestion: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        code = main(argv)
        raise SystemExit(code)
    assert info.value.code == 2
    assert suggestion in capsys.readouterr().err


def test_no_parser_allows_abbreviations() -> None:
    parser = build_parser()
    stack = [parser]
    seen = 0
    while stack:
        p = stack.pop()
        assert p.allow_abbrev is False, p.prog
        seen += 1
        for a in p._actions:
            choices = getattr(a, "choices", None)
            if isinstance(choices, dict):
                stack.extend(choices.values())
    assert seen > 20


def test_quiet_and_verbose(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _practice(repo)
    (repo / "pyproject.toml").write_text('[tool.workflowkit]\nexclude = ["docker-compose.yml"]\n')
    assert main(["validate", "-v", "--exclude", "docker-compose.yml", "--exclude", "deploy"]) == 0
    err = capsys.readouterr().err
    assert f"workflowkit: config file: {repo / 'pyproject.toml'}" in err
    assert "workflowkit: exclude = docker-compose.yml, deploy (flag --exclude)" in err
    assert "workflowkit: excluded docker-compose.yml" in err
    (repo / "practice" / "u.yaml").write_text(_unformatted())
    assert main(["fmt", "practice"]) == 0
    assert "reformatted" in capsys.readouterr().out
    (repo / "practice" / "u.yaml").write_text(_unformatted())
    assert main(["-q", "fmt", "practice"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["validate", "-q", "-v", "practice"]) == 2
    assert "exclude each other" in capsys.readouterr().err


def test_every_command_takes_quiet_and_verbose() -> None:
    parser = build_parser()
    stack = [parser]
    while stack:
        p = stack.pop()
        options = {o for a in p._actions for o in a.option_strings}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, p.prog
        for a in p._actions:
            if isinstance(getattr(a, "choices", None), dict):
                stack.extend(a.choices.values())  # type: ignore[union-attr]


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("env", "tty", "on"),
    [
        ({}, True, True),
        ({}, False, False),  # a pipe
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),
        ({"CI": "true"}, True, False),
        ({"GITHUB_ACTIONS": "true"}, True, False),
        ({"CI": "true", "FORCE_COLOR": "1"}, False, True),
        ({"TERM": "dumb"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # empty means unset
    ],
)
def test_colour_decision(env: dict[str, str], tty: bool, on: bool) -> None:
    assert colour.enabled(_Tty(tty), env) is on  # type: ignore[arg-type]


def test_colour_paints_words_not_data(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "bad\x1b[31m.yaml").write_text("kind: Nope\n")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["validate", "."]) == 1
    out = capsys.readouterr().out
    assert "\x1b[31;1mWK111\x1b[0m missing apiVersion" in out
    assert "bad\\x1b[31m.yaml" in out  # the file name is escaped, not obeyed
    monkeypatch.delenv("FORCE_COLOR")
    assert main(["validate", "."]) == 1
    assert "\x1b[" not in capsys.readouterr().out  # captured output is not a terminal


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_from_shtab(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    assert "workflowkit" in out and "validate" in out and "--exclude" in out


def test_fish_completion_follows_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    text = fish_script(build_parser())
    assert "complete -c workflowkit -n __fish_use_subcommand -a config" in text
    assert "__fish_seen_subcommand_from validate' -l exclude" in text
    assert "__fish_seen_subcommand_from checks; and __fish_seen_subcommand_from run'" in text
    assert main(["completion", "fish"]) == 0
    assert capsys.readouterr().out == text


def test_completion_without_shtab_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "shtab", None)
    with pytest.raises(ExtraMissingError, match=r'pip install "workflowkit\[completion\]"'):
        script(build_parser(), "bash")
    assert script(build_parser(), "fish").startswith("# fish completion")
