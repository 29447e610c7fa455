"""The WK3xx section of docs/diagnostics.md: every example gives exactly what it shows.

Each ``### WK3nn`` section holds a ```yaml input (several files separated by ``---``,
each starting with ``# file: NAME``) and the ```text block it prints.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from workflowkit.source.codes import CODES
from workflowkit.source.workspace import read_workspace

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "diagnostics.md"
HEADING = re.compile(r"^#{2,4} .*?\b(WK\d{3})\b", re.M)
FENCE = re.compile(r"^```([A-Za-z0-9_-]*)[^\n]*\n(.*?)^```", re.M | re.S)
FILE_NAME = re.compile(r"^#\s*file:\s*(\S+)\s*$")
OURS = sorted(code for code in CODES if code.startswith("WK3"))


def _section(code: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    marks = list(HEADING.finditer(text))
    for i, m in enumerate(marks):
        if m.group(1) == code:
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            return text[m.start() : end]
    raise AssertionError(f"{code} has no section in docs/diagnostics.md")


def test_every_calendar_code_is_documented_with_an_anchor() -> None:
    assert OURS
    for code in OURS:
        assert f'<a id="{code.lower()}"></a>' in _section(code)


SHOWN_ONLY = {
    "WK340"
}  # a fragment of a workflow; run in tests/calendar/test_calendar_per_client.py


@pytest.mark.parametrize("code", [c for c in OURS if c not in SHOWN_ONLY])
def test_the_example_gives_the_message_shown(code: str, tmp_path: Path) -> None:
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(_section(code))]
    pairs = [
        (body, shown)
        for (lang, body), (next_lang, shown) in itertools.pairwise(blocks)
        if lang == "yaml" and next_lang == "text"
    ]
    assert pairs, f"{code}: give a ```yaml example and the ```text it prints"
    for n, (body, shown) in enumerate(pairs):
        folder = tmp_path / f"example{n}"
        folder.mkdir()
        for part in re.split(r"^---\s*$", body, flags=re.M) if "# file:" in body else [body]:
            m = FILE_NAME.match(part.strip().splitlines()[0])
            (folder / (m.group(1) if m else "example.yaml")).write_text(part.lstrip("\n"))
        printed = [
            d.format().replace(f"{folder}/", "") for d in read_workspace([folder]).diagnostics()
        ]
        assert any(f" {code} " in line for line in printed), printed
        assert printed == shown.strip().splitlines()
