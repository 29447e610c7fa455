"""The pre-commit hooks, run as pre-commit would run them (pre-commit itself is not needed):
the hook's `entry`, then its `args`, then the file names when `pass_filenames` is true,
in the repository's root, as a separate process."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
HOOKS: list[dict[str, Any]] = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
TEMPLATE = next(
    p
    for p in sorted((ROOT / "tests" / "examples" / "valid").rglob("*.yaml"))
    if "kind: WorkflowTemplate" in p.read_text()
)


def _git_repo(root: Path) -> None:
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "templates").mkdir()
    shutil.copy(TEMPLATE, root / "templates" / "t.yaml")
    (root / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (root / "compose").mkdir()
    (root / "compose" / "prod.yml").write_text("services: {}\n")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)


def _run_hook(hook: dict[str, Any], root: Path, args: list[str] | None = None) -> Any:
    """The command line pre-commit builds: entry + args (+ files, for pass_filenames)."""
    argv = shlex.split(hook["entry"]) + list(hook.get("args", []) if args is None else args)
    if hook.get("pass_filenames", True):
        files = subprocess.run(
            ["git", "-C", str(root), "ls-files"], capture_output=True, text=True, check=True
        ).stdout.split()
        argv += files
    exe = Path(sys.executable).parent / argv[0]
    env = {k: v for k, v in os.environ.items() if k not in ("WORKFLOWKIT_DB", "FORCE_COLOR")}
    return subprocess.run(
        [str(exe), *argv[1:]], cwd=root, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h["id"])
def test_hook_with_no_args_uses_the_config_file(hook: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "practice-repo"
    _git_repo(root)
    assert "args" not in hook and hook["pass_filenames"] is False
    failed = _run_hook(hook, root)
    assert failed.returncode == 1 and "WK111" in failed.stdout  # other YAML, no config
    (root / "pyproject.toml").write_text(
        '[tool.workflowkit]\nexclude = ["docker-compose.yml", "compose/"]\n'
    )
    ok = _run_hook(hook, root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 file(s) valid" in ok.stdout


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h["id"])
def test_hook_with_args_and_no_config_file(hook: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "practice-repo"
    _git_repo(root)
    # the `args` docs/ci.md shows for a repository without a configuration file
    args = [".", "--exclude", "docker-compose.yml", "--exclude", "compose/"]
    ok = _run_hook(hook, root, args)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert _run_hook(hook, root, ["templates/"]).returncode == 0
