"""Every `$schema` modeline the project ships (examples, docs, tutorial, built-ins, test
documents) names the published schema id of its document's kind, so it still holds when
the file is copied elsewhere (issue 17): never a relative path."""

from __future__ import annotations

import re
from pathlib import Path

from workflowkit.source.schema import KINDS, modeline

ROOT = Path(__file__).resolve().parents[1]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<target>\S+)\s*$", re.M)
KIND = re.compile(r"^kind:\s*(?P<kind>\w+)\s*$", re.M)


def shipped() -> list[Path]:
    folders = ("examples", "docs", "builtin_templates", "tests")
    return sorted(
        p
        for folder in folders
        for p in (ROOT / folder).rglob("*")
        if p.suffix in (".yaml", ".yml", ".md") and p.is_file()
    )


def test_every_modeline_is_the_schema_id_of_its_kind() -> None:
    wrong: list[str] = []
    seen = 0
    for path in shipped():
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in MODELINE.finditer(text):
            seen += 1
            kind = KIND.search(text, m.end())
            if kind is None or kind.group("kind") not in KINDS:  # a modeline shown alone
                if m.group(0).rstrip() not in {modeline(k) for k in KINDS}:
                    wrong.append(f"{path.relative_to(ROOT)}: {m.group('target')}")
            elif m.group(0).rstrip() != modeline(kind.group("kind")):
                wrong.append(f"{path.relative_to(ROOT)}: {m.group('target')}")
    assert seen >= 20, seen
    assert wrong == []
