"""The configuration codes' examples in docs/diagnostics.md (WK215-WK219) give exactly the
lines shown: each ```toml input is parsed as a pyproject.toml; WK219 is a folder with both
files."""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest

from workflowkit.settings import ConfigError, find_config, parse_config

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from test_diagnostic_codes import FENCE, sections  # type: ignore[import-not-found]  # noqa: E402


def _blocks(code: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(sections()[code])]


@pytest.mark.parametrize("code", ["WK215", "WK216", "WK217", "WK218"])
def test_the_toml_example_gives_the_lines_shown(code: str, tmp_path: Path) -> None:
    blocks = _blocks(code)
    pairs = [
        (a[1], b[1]) for a, b in itertools.pairwise(blocks) if (a[0], b[0]) == ("toml", "text")
    ]
    assert pairs, code
    for body, shown in pairs:
        path = tmp_path / "pyproject.toml"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            parse_config(path, body)
        printed = [d.format().replace(f"{tmp_path}/", "") for d in info.value.diagnostics]
        assert printed == shown.strip().splitlines()


def test_the_wk219_example(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.workflowkit]\nstrict = true\n")
    (tmp_path / "workflowkit.yaml").write_text("strict: false\n")
    found = find_config(tmp_path)
    assert found is not None
    printed = [d.format().replace(f"{tmp_path}/", "") for d in found.warnings]
    [(_, shown)] = [b for b in _blocks("WK219") if b[0] == "text"]
    assert printed == shown.strip().splitlines()
    assert re.search(r"WK219", printed[0])
