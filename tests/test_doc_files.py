"""A docs code block marked `<!-- file: PATH -->` shows that file exactly, so a page that
quotes a file (the tutorial's templates, say) cannot drift from the file it quotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKED = re.compile(r"<!-- file: (?P<path>\S+) -->\n```[a-z]*\n(?P<body>.*?)^```", re.M | re.S)
PAGES = sorted((ROOT / "docs").glob("*.md"))


def _quotes() -> list[tuple[str, str, str]]:
    out = []
    for page in PAGES:
        for m in MARKED.finditer(page.read_text(encoding="utf-8")):
            out.append((page.name, m.group("path"), m.group("body")))
    return out


def test_the_tutorial_quotes_its_files() -> None:
    assert {p for page, p, _ in _quotes() if page == "tutorial.md"} >= {
        "docs/tutorial/practice/templates/monthly-close.yaml",
        "docs/tutorial/practice/clients/clients.yaml",
        "docs/tutorial/practice/workflows/monthly-close.yaml",
    }


@pytest.mark.parametrize(("page", "path", "body"), _quotes(), ids=lambda v: str(v)[:60])
def test_quoted_block_matches_the_file(page: str, path: str, body: str) -> None:
    file = ROOT / path
    assert file.is_file(), f"{page} quotes {path}, which does not exist"
    assert body == file.read_text(encoding="utf-8"), f"{page}: the block for {path} is stale"
