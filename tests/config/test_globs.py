"""Exclude globs: names at any depth, anchored paths, ``**``, classes, and bad globs."""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.settings import Settings, compile_glob


def _ex(globs: tuple[str, ...], path: str) -> bool:
    return Settings(exclude=globs, root=Path("root")).is_excluded(Path("root") / path)


@pytest.mark.parametrize(
    ("glob", "path", "excluded"),
    [
        ("docker-compose.yml", "docker-compose.yml", True),
        ("docker-compose.yml", "deploy/docker-compose.yml", True),
        ("docker-compose.yml", "docker-compose.yml.bak", False),
        ("*.yml", "a/b/c.yml", True),
        ("*.yml", "a/b/c.yaml", False),
        ("node_modules", "node_modules/x/y.yaml", True),
        (".github/workflows/*.yml", ".github/workflows/ci.yml", True),
        (".github/workflows/*.yml", "x/.github/workflows/ci.yml", False),
        (".github/**", ".github/workflows/ci.yml", True),
        ("ci/", "ci/a.yaml", True),
        ("./ci", "ci/a.yaml", True),
        ("a/**/z.yaml", "a/z.yaml", True),
        ("a/**/z.yaml", "a/b/c/z.yaml", True),
        ("a/**/z.yaml", "b/z.yaml", False),
        ("c?.yaml", "c1.yaml", True),
        ("c?.yaml", "c12.yaml", False),
        ("[!a]*.yaml", "b.yaml", True),
        ("[!a]*.yaml", "a.yaml", False),
        ("[ab].yaml", "b.yaml", True),
        ("a**b.yaml", "axyb.yaml", True),
        ("a/*", "a/b/c.yaml", True),  # matches the folder a/b, so everything under it
    ],
)
def test_glob_semantics(glob: str, path: str, excluded: bool) -> None:
    assert _ex((glob,), path) is excluded


@pytest.mark.parametrize(
    ("glob", "message"),
    [
        ("[abc", "never closed"),
        ("", "empty"),
        ("  ", "empty"),
        ("/", "matches nothing"),
    ],
)
def test_bad_globs_say_what_is_wrong(glob: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compile_glob(glob)


def test_no_excludes_excludes_nothing() -> None:
    assert not Settings().is_excluded("anything.yaml")


NAMES = st.text(alphabet="abc.-_*?", min_size=1, max_size=8)


@given(pattern=NAMES, name=st.text(alphabet="abc.-_", min_size=1, max_size=8))
def test_a_name_glob_agrees_with_fnmatch(pattern: str, name: str) -> None:
    _, regex = compile_glob(pattern)
    assert bool(regex.fullmatch(name)) == fnmatch.fnmatchcase(name, pattern)
