"""Text output escapes control characters; a broken pipe keeps the exit code (issue 19)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from workflowkit.cli.main import main
from workflowkit.cli.reporters import FileReport, github_report, text_report
from workflowkit.cli.safe_text import clean, terminal
from workflowkit.errors import Diagnostic
from workflowkit.source.workspace import parse_text

HOSTILE = "a\nfake line\r\x1b[2J\x1b]0;title\x07\x9b\u202e\u2066\x00\x7f"


def test_clean_leaves_no_control_character() -> None:
    out = clean(HOSTILE)
    assert out == "a\\nfake line\\r\\x1b[2J\\x1b]0;title\\x07\\x9b\\u202e\\u2066\\x00\\x7f"
    assert all(ch.isprintable() for ch in out)
    assert clean("plain é ü 日本") == "plain é ü 日本"


def test_terminal_keeps_lines_and_defuses_workflow_commands() -> None:
    out = terminal("ok\n::add-mask::secret\n  ::error::x\x1b\nfine :: here")
    assert out.splitlines() == [
        "ok",
        "\\x3a:add-mask::secret",
        "  \\x3a:error::x\\x1b",
        "fine :: here",
    ]


def _diag(file: str) -> FileReport:
    return FileReport(file, [Diagnostic("WK113", "unknown key 'x\n::error::y'", file=file, line=1)])


def test_text_report_cannot_forge_lines() -> None:
    out = text_report([_diag("bad\n::add-mask::x.yaml")], False)
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert len(out.splitlines()) == 2  # the diagnostic and the summary


def test_github_report_one_command_per_diagnostic() -> None:
    out = github_report([_diag("bad\n::add-mask::\x1b.yaml")], False)
    lines = out.splitlines()
    assert [ln for ln in lines if ln.startswith("::")] == [lines[0]]
    assert "\x1b" not in out and "file=bad%0A%3A%3Aadd-mask%3A%3A\\x1b.yaml" in lines[0]


def test_validate_text_with_a_hostile_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x\n::add-mask::y.yaml").write_text("kind: [\n", encoding="utf-8")
    assert main(["validate", "-f", "text", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())


@pytest.mark.parametrize("bad", ["\x1b[2J", "a\nb", "\u202eevil", "nul\x00", "c1\x85x", "csi\x9bx"])
def test_names_and_titles_refuse_controls(bad: str) -> None:
    import json

    doc = {
        "apiVersion": "workflowkit/v1",
        "kind": "WorkflowTemplate",
        "id": "t",
        "name": "T" + bad,
        "version": "1.0.0",
        "checks": [{"id": "c", "title": "C"}],
    }
    parsed = parse_text(json.dumps(doc), name="t.json")
    assert parsed.spec is None
    assert [(d.code, d.pointer) for d in parsed.diagnostics] == [("WK116", "/name")]
    assert "control character" in parsed.diagnostics[0].message


def test_free_text_keeps_line_breaks() -> None:
    text = (
        "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: t\nname: T\n"
        "version: 1.0.0\ndescription: |\n  two\n  lines\n"
        "checks: [{id: c, title: C}]\n"
    )
    assert parse_text(text, name="t.yaml").spec is not None


class _GonePipe(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_keeps_the_findings_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", _GonePipe())
    assert main(["validate", "-f", "text", str(bad)]) == 1  # was 0


def test_broken_pipe_through_head(tmp_path: Path) -> None:
    for i in range(40):  # far more output than a pipe buffer holds
        body = "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\n"
        body += "".join(f"k{j}: 1\n" for j in range(300))
        (tmp_path / f"t{i}.yaml").write_text(body, encoding="utf-8")
    script = (
        f"{sys.executable} -m workflowkit validate -f text {tmp_path} | head -1 >/dev/null;"
        " echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stdout.strip() == "1", done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
