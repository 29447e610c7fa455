"""Each test runs in its own folder that is a repository root (``.git``), so the search
for a configuration file never climbs out of it, and with no WORKFLOWKIT_DB or colour
variables from the outer environment."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    for name in ("WORKFLOWKIT_DB", "NO_COLOR", "FORCE_COLOR", "CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return root
