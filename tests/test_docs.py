"""Code blocks in README.md and docs/*.md are run, so the docs cannot drift.

Conventions for writers:
- a ```python block runs; the blocks of one file run in order and share globals, with
  the repository root as the working directory and ``workflowkit`` importable;
- a ```console block: each line starting with ``$ `` runs in bash, the lines of one page
  in order in one shell starting at the repository root (so ``export`` and ``cd`` carry
  over), and must exit 0, or with the code written as a trailing ``# exit N``;
- any other language (```yaml, ```text, ```py for a non-running sketch) is not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "examples" / "practice" / "README.md",
        *(ROOT / "docs").glob("*.md"),
    ]
)
FENCE = re.compile(r"^```([A-Za-z0-9_-]*)[^\n]*\n(.*?)^```", re.M | re.S)
EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")


def _blocks(path: Path, lang: str) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [m.group(2) for m in FENCE.finditer(text) if m.group(1) == lang]


@pytest.mark.parametrize("doc", [d for d in DOCS if _blocks(d, "python")], ids=lambda p: p.name)
def test_python_blocks_run(doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("WORKFLOWKIT_DOCS_TMP", str(tmp_path))
    namespace: dict[str, object] = {"__name__": f"docs_{doc.stem}"}
    for i, block in enumerate(_blocks(doc, "python")):
        code = compile(block, f"{doc.name}[python block {i + 1}]", "exec")
        exec(code, namespace)


def _commands(doc: Path) -> list[str]:
    out = []
    for block in _blocks(doc, "console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append(line[2:])
    return out


SETUP = (
    "pip ",
    "python -m pip",
    "python3 -m pip",
    "python -m venv",
    "python3 -m venv",
    ". ",
    "source ",
    "git clone",
    "pre-commit ",
    "python -m pytest",
    "python3 -m pytest",
)


def runnable_part(command: str) -> str:
    """A command line without its set-up steps (venv, pip, the test run itself).

    .ci/run performs the set-up on a clean machine; the rest (the main job) runs here.
    """
    body = EXIT.sub("", command).strip()
    steps = [s.strip() for s in body.split(" && ")]
    return " && ".join(s for s in steps if s and not s.startswith(SETUP))


def _script(commands: list[str]) -> str:
    """One bash script for a page: the lines run in order in one shell (so `export` and
    `cd` carry over, as when a person types them), each checked for its exit code."""
    lines = ['cd "$WORKFLOWKIT_REPO"']
    for n, command in enumerate(commands, 1):
        m = EXIT.search(command)
        expected = int(m.group(1)) if m else 0
        runnable = runnable_part(command)
        if not runnable:
            continue
        quoted = runnable.replace("'", "'\\''")
        lines.append(
            f"{{ {runnable}\n}}; rc=$?; if [ $rc -ne {expected} ]; then "
            f"echo 'command {n} exited '$rc', expected {expected}: {quoted}' >&2; exit 99; fi"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("doc", [d for d in DOCS if _commands(d)], ids=lambda p: p.name)
def test_console_commands_run(doc: Path, tmp_path: Path) -> None:
    env = dict(os.environ)
    bindir = Path(sys.executable).parent
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env.pop("GITHUB_ACTIONS", None)
    env.pop("WORKFLOWKIT_DB", None)
    env["WORKFLOWKIT_DOCS_TMP"] = str(tmp_path)
    env["WORKFLOWKIT_REPO"] = str(ROOT)
    if shutil.which("workflowkit", path=env["PATH"]) is None:
        pytest.skip("the workflowkit console script is not installed")
    result = subprocess.run(
        ["bash", "-c", _script(_commands(doc))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        f"{doc.name}: {result.stderr[-3000:]}\nstdout:\n{result.stdout[-3000:]}"
    )


def test_readme_setup_commands_match_ci() -> None:
    """The README's two set-up commands install from pyproject and CI runs the same tests."""
    commands = _commands(ROOT / "README.md")
    main_job, tests = commands[0], commands[1]
    assert "pip install -e ." in main_job and "workflowkit " in main_job
    assert tests.endswith('pip install -e ".[test]" && python -m pytest')
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install --quiet -e ".[test]"' in ci
    assert "\npython -m pytest\n" in ci
