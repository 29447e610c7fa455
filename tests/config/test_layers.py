"""The layered configuration: flags > environment > file > defaults, every pair of layers."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from workflowkit.settings import DEFAULTS, FileLayer, Origin, merge

LAYERS = ("flag", "env", "file", "default")
PAIRS = list(itertools.combinations(LAYERS, 2))  # (higher, lower), in precedence order

# One value per layer for each setting; only `db` has an environment variable.
VALUES: dict[str, dict[str, Any]] = {
    "db": {"flag": "flag.db", "env": "env.db", "file": "file.db"},
    "format": {"flag": "sarif", "file": "json"},
    "strict": {"flag": True, "file": False},
    "exclude": {"flag": ("flag/**",), "file": ("file/**",)},
    "paths": {"flag": ("from-flag",), "file": ("from-file",)},
}
# `--strict` can only turn strictness on, so the file says false against the flag and
# true against the default: each pair then really differs.

CASES = [
    pytest.param(key, hi, lo, id=f"{key}-{hi}-over-{lo}")
    for key in VALUES
    for hi, lo in PAIRS
    if all(layer == "default" or layer in VALUES[key] for layer in (hi, lo))
]


def _file_value(key: str, other: str) -> Any:
    if key == "strict":
        return other == "default"
    return VALUES[key]["file"]


def _layers(
    key: str, present: tuple[str, ...], root: Path, other: str
) -> tuple[dict[str, Any], dict[str, str], FileLayer | None]:
    flags: dict[str, Any] = {}
    env: dict[str, str] = {}
    file: FileLayer | None = None
    if "flag" in present:
        flags[key] = VALUES[key]["flag"]
    if "env" in present:
        env["WORKFLOWKIT_DB"] = VALUES[key]["env"]
    if "file" in present:
        value = _file_value(key, other)
        file = FileLayer(root / "pyproject.toml", {key: value}, {key: 7})
    return flags, env, file


def _expected(key: str, layer: str, other: str) -> Any:
    if layer == "default":
        return DEFAULTS[key]
    if layer == "file":
        return _file_value(key, other)
    return VALUES[key][layer]


def test_every_pair_of_layers_is_covered() -> None:
    covered = {(hi, lo) for key in VALUES for hi, lo in PAIRS if (key, hi, lo) in _ids()}
    assert covered == set(PAIRS)


def _ids() -> set[tuple[str, str, str]]:
    return {(c.values[0], c.values[1], c.values[2]) for c in CASES}  # type: ignore[misc]


@pytest.mark.parametrize(("key", "hi", "lo"), CASES)
def test_the_higher_layer_wins(key: str, hi: str, lo: str, repo: Path) -> None:
    flags, env, file = _layers(key, (hi, lo), repo, other=lo if hi == "file" else hi)
    settings = merge(flags, env, file, cwd=repo)
    assert settings.value(key) == _expected(key, hi, lo)
    assert settings.origins[key].layer == hi
    if hi == "file":
        assert settings.origins[key] == Origin("file", f"{repo / 'pyproject.toml'}:7")
    # and the lower layer alone gives its own value: the pair really differs
    flags, env, file = _layers(key, (lo,), repo, other=hi)
    alone = merge(flags, env, file, cwd=repo)
    assert alone.value(key) == _expected(key, lo, hi)
    assert alone.origins[key].layer == lo
    assert alone.value(key) != settings.value(key)


def test_file_paths_are_taken_from_the_files_folder(repo: Path) -> None:
    (repo / "sub").mkdir()
    file = FileLayer(repo / "pyproject.toml", {"paths": ("practice",), "db": "data/p.db"}, {})
    s = merge({}, {}, file, cwd=repo / "sub")
    assert s.paths == ("../practice",)
    assert s.db == "../data/p.db"
    url = FileLayer(repo / "pyproject.toml", {"db": "postgresql://wk@db/p"}, {})
    assert merge({}, {}, url, cwd=repo / "sub").db == "postgresql://wk@db/p"


def test_settings_are_immutable(repo: Path) -> None:
    s = merge({}, {}, None, cwd=repo)
    with pytest.raises(AttributeError):
        s.db = "other.db"  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.origins["db"] = Origin("flag")  # type: ignore[index]
