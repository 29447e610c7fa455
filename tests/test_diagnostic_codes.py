"""docs/diagnostics.md documents every code, and its examples really give what they show.

- Every code in ``CODES`` has a heading (``### WK113 ...``, level 3 or 4, under a level-2
  heading for its range) in docs/diagnostics.md with at least one code block under it,
  and every code the example files expect is in ``CODES``.
- For the reading and template codes (WK1xx, WK2xx), each section's ```yaml / ```json
  input is validated and must give exactly the lines of the ```text block after it. An
  input block may hold several files, separated by ``---`` lines, each starting with a
  ``# file: NAME`` comment (the name defaults to ``example.yaml`` or ``example.json``).
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest

from workflowkit.source.codes import CODES
from workflowkit.source.workspace import read_workspace

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "diagnostics.md"
HEADING = re.compile(r"^#{3,4}\s+\W*(WK\d{3})\b")
"""A code's own heading: ``### WK113 unknown key`` (level 3 or 4; range headings are 2)."""
ANY_HEADING = re.compile(r"^(#{1,6})\s.*$", re.M)
FENCE = re.compile(r"^```([A-Za-z0-9_-]*)[^\n]*\n(.*?)^```", re.M | re.S)
FILE_NAME = re.compile(r"^#\s*file:\s*(\S+)\s*$")
OWN_RANGES = ("WK1", "WK2")
NO_INPUT = {"WK100", "WK108", "WK209", "WK119", "WK120", "WK126", "WK127", "WK128"}
# bad bytes, 2 MB, 501 checks, 201 problems, 4,301 digits; unreadable folders, dangling
# links, FIFOs and devices (tests/hardening/test_hardening_paths.py): shown, not run
NO_INPUT |= {"WK215", "WK216", "WK217", "WK218", "WK219"}
# the configuration file (not a document): its examples run in tests/config/test_config_docs.py

sys.path.insert(0, str(ROOT / "tests" / "examples"))
from test_examples import INVALID, cases, expectations  # noqa: E402


def sections() -> dict[str, str]:
    """Each code's part of the page: from its heading to the next heading as high or higher."""
    text = DOC.read_text(encoding="utf-8")
    fenced = [m.span() for m in FENCE.finditer(text)]
    headings = [
        m
        for m in ANY_HEADING.finditer(text)
        if not any(start <= m.start() < end for start, end in fenced)
    ]
    out: dict[str, str] = {}
    for i, m in enumerate(headings):
        code = HEADING.match(m.group(0))
        if code is None:
            continue
        level = len(m.group(1))
        end = len(text)
        for later in headings[i + 1 :]:
            if len(later.group(1)) <= level or HEADING.match(later.group(0)):
                end = later.start()
                break
        assert code.group(1) not in out, f"{code.group(1)} has two headings"
        out[code.group(1)] = text[m.start() : end]
    return out


def test_every_code_has_a_heading_and_an_example() -> None:
    found = sections()
    missing = [code for code in CODES if code not in found]
    assert missing == [], f"codes without a section in docs/diagnostics.md: {missing}"
    without_example = [code for code in CODES if not FENCE.search(found[code])]
    assert without_example == [], f"sections without a code block: {without_example}"
    unknown = sorted(set(found) - set(CODES))
    assert unknown == [], f"docs/diagnostics.md documents codes that do not exist: {unknown}"


def test_every_code_has_the_anchor_sarif_links_to() -> None:
    """SARIF's ``helpUri`` ends in ``#wk123``: each heading carries that id."""
    from workflowkit.cli.reporters import help_uri

    found = sections()
    for code in CODES:
        anchor = help_uri(code).rsplit("#", 1)[1]
        assert f'<a id="{anchor}"></a>' in found[code], f"{code} has no anchor #{anchor}"


def test_every_code_the_examples_expect_exists() -> None:
    used = {s.code for case in cases(INVALID) for s in expectations(case)[0]}
    assert sorted(used - set(CODES)) == []


def _own_codes() -> list[str]:
    return [code for code in CODES if code.startswith(OWN_RANGES)]


def _examples(section: str) -> list[tuple[str, str, str]]:
    """(language, input, expected output) pairs: an input block and the text block after it."""
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(section)]
    pairs = []
    for (lang, body), (next_lang, next_body) in itertools.pairwise(blocks):
        if lang in ("yaml", "json") and next_lang == "text":
            pairs.append((lang, body, next_body))
    return pairs


@pytest.mark.parametrize("code", _own_codes())
def test_the_example_gives_the_message_shown(code: str, tmp_path: Path) -> None:
    section = sections().get(code)
    assert section is not None, f"{code} is not documented"
    pairs = _examples(section)
    if code in NO_INPUT:
        assert "```text" in section
        return
    assert pairs, f"{code}: give a ```yaml (or ```json) example and the ```text it prints"
    for n, (lang, body, shown) in enumerate(pairs):
        folder = tmp_path / f"example{n}"
        folder.mkdir()
        for part in re.split(r"^---\s*$", body, flags=re.M) if "# file:" in body else [body]:
            first = part.strip().splitlines()[0] if part.strip() else ""
            m = FILE_NAME.match(first)
            name = m.group(1) if m else f"example.{lang}"
            (folder / name).write_text(part.lstrip("\n"), encoding="utf-8")
        ws = read_workspace([folder])
        printed = [d.format().replace(f"{folder}/", "") for d in ws.diagnostics()]
        assert any(f" {code} " in line for line in printed), printed
        assert printed == shown.strip().splitlines()
