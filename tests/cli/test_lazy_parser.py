"""Start-up: a run that names its command builds that command's parser only (issue 17's
start-up budget), and says exactly what the whole parser would."""

from __future__ import annotations

import argparse

import pytest

from workflowkit.cli.main import COMMAND_MODULES, build_parser, main


def commands(parser: argparse.ArgumentParser) -> list[str]:
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_a_named_command_registers_only_itself() -> None:
    assert commands(build_parser(["validate", "x.yaml"])) == ["validate"]
    assert commands(build_parser(["-q", "review", "list"])) == ["review"]
    everything = [m.rsplit(".", 1)[1] for m in COMMAND_MODULES]
    assert commands(build_parser()) == everything
    assert commands(build_parser(["valdate"])) == everything  # a typo: suggest from all
    assert commands(build_parser(["--help"])) == everything


@pytest.mark.parametrize("name", [m.rsplit(".", 1)[1] for m in COMMAND_MODULES])
def test_the_lone_parser_reads_as_the_whole_one(name: str) -> None:
    def sub_help(parser: argparse.ArgumentParser) -> str:
        (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return sub.choices[name].format_help()

    assert sub_help(build_parser([name])) == sub_help(build_parser())


def test_an_unknown_command_still_gets_a_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["valdate", "x.yaml"])
    assert exc.value.code == 2 and "did you mean 'validate'" in capsys.readouterr().err
