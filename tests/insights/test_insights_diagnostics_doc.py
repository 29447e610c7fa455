"""The WK6xx examples in docs/diagnostics.md give exactly the lines they show."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from workflowkit.insights import SnapshotError, load_snapshot
from workflowkit.source.codes import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
FENCE = re.compile(r"^```([A-Za-z0-9_-]*)[^\n]*\n(.*?)^```", re.M | re.S)
CODES_6 = [c for c in CODES if c.startswith("WK6")]


def section(code: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"### {code} ")
    nxt = re.compile(r"^#{2,3} ", re.M).search(text, start + 4)
    return text[start : nxt.start() if nxt else len(text)]


LIMITS = {"WK607": {"max_rows": 2}}
"""Loading parameters an example states in its text (``loaded with `max_rows=2```)."""


def printed(path: Path, root: Path, **kw: int) -> list[str]:
    with pytest.raises(SnapshotError) as err:
        load_snapshot(path, **kw)
    return [d.format().replace(f"{root}/", "") for d in err.value.diagnostics]


@pytest.mark.parametrize("code", CODES_6)
def test_the_example_gives_the_message_shown(code: str, tmp_path: Path) -> None:
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(section(code))]
    shown = [body.strip().splitlines() for lang, body in blocks if lang == "text"]
    assert shown, f"{code} has no example output"
    if code == "WK601":
        (tmp_path / "acme.xlsx").write_bytes(b"PK\x03\x04")
        assert printed(tmp_path / "acme.xlsx", tmp_path) == shown[0]
        return
    pairs = [(a, b) for a, b in itertools.pairwise(blocks) if b[0] == "text"]
    assert pairs, f"{code}: give an input block and the ```text it prints"
    for (lang, body), (_, out) in pairs:
        if lang == "json":
            target = tmp_path / "acme.json"
            target.write_text(body, encoding="utf-8")
        else:
            assert lang == "csv"
            target = tmp_path / "acme"
            target.mkdir()
            for part in re.split(r"^---\s*$", body, flags=re.M):
                first, _, rest = part.strip().partition("\n")
                name = re.match(r"#\s*file:\s*(\S+)", first)
                assert name, part
                if name.group(1).endswith("/"):  # an entry that is a directory
                    (target / name.group(1).rstrip("/")).mkdir()
                else:
                    (target / name.group(1)).write_text(rest + "\n", encoding="utf-8")
        assert printed(target, tmp_path, **LIMITS.get(code, {})) == out.strip().splitlines()
