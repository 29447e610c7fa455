"""A practice with a store to run every ``--format json`` output on: the tutorial's
practice, its month started, one instance taken part way through its review."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from output_helpers import ID, PRACTICE, ROOT, Ran, cli


@dataclass(frozen=True)
class Store:
    db: Path
    practice: Path
    tmp: Path

    def __call__(self, *argv: str) -> Ran:
        return cli(*argv, "--db", str(self.db))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    tmp = tmp_path_factory.mktemp("outputs")
    practice = tmp / "practice"
    shutil.copytree(PRACTICE, practice)
    s = Store(tmp / "practice.db", practice, tmp)
    with pytest.MonkeyPatch.context() as mp:
        for name in ("WORKFLOWKIT_DB", "WORKFLOWKIT_USER", "WORKFLOWKIT_TEAM", "GITHUB_ACTIONS"):
            mp.delenv(name, raising=False)
        mp.setenv("WORKFLOWKIT_TEAM", str(practice))
        mp.setenv("NO_COLOR", "1")
        mp.chdir(ROOT)
        steps = [
            ("run", str(practice), "--since", "2026-11-01", "--now", "2026-11-03T09:00:00Z"),
            (
                "review",
                "run-checks",
                ID,
                "examples/practice/ledgers/acme-widgets-ltd.json",
                "--as",
                "insights",
            ),
            (
                "review",
                "check",
                ID,
                "duplicate-transactions",
                "issues",
                "-m",
                "entered twice",
                "--as",
                "alice",
            ),
            ("review", "comment", ID, "Asked the client about £60.", "--as", "alice"),
        ]
        for step in steps:
            ran = s(*step)
            assert ran.code == 0, (step, ran.err)
        yield s
