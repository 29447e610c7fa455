"""The verifier printed in docs/audit.md, taken from the page and run on a real export and
checkpoint: under 40 lines, hashlib + json + rfc8785 (+ cryptography for Ed25519)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_audit_trail import cli, practice

PAGE = Path(__file__).resolve().parent.parent.parent / "docs" / "audit.md"


def verifier() -> tuple[str, Any]:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("## An outside verifier", 1)[1]
    code = re.search(r"^```py\n(.*?)^```", section, re.M | re.S)
    assert code is not None
    source = code.group(1)
    imports = {
        name.strip().split(".")[0]
        for line in re.findall(r"^(?:import|from) ([^\n]+?)(?: import .*)?$", source, re.M)
        for name in line.split(",")
    }
    assert imports <= {"base64", "hashlib", "json", "sys", "rfc8785", "cryptography"}
    namespace: dict[str, Any] = {"__name__": "verifier"}
    exec(compile(source, "docs/audit.md verifier", "exec"), namespace)
    return source, namespace["verify"]


def test_the_verifier_is_short_and_checks_a_real_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, verify = verifier()
    assert len(source.strip().splitlines()) < 40
    db, keys = tmp_path / "p.db", tmp_path
    practice(db)
    cli(capsys, "review", "keygen", "--private", str(keys / "k"), "--public", str(keys / "k.pub"))
    note = tmp_path / "cp.checkpoint"
    code, _, err = cli(
        capsys,
        "review",
        "checkpoint",
        "--db",
        str(db),
        "--key-file",
        str(keys / "k"),
        "--origin",
        "acme-practice",
        "--out",
        str(note),
        "--at",
        "2024-02-01T12:00:00+00:00",
    )
    assert code == 0, err
    export = tmp_path / "export.jsonl"
    code, _, err = cli(
        capsys,
        "review",
        "export",
        "--db",
        str(db),
        "--all",
        "--format",
        "jsonl",
        "--out",
        str(export),
    )
    assert code == 0, err
    leaves = tmp_path / "cp.leaves.jsonl"
    args = (export.read_text(), note.read_text(), leaves.read_text(), (keys / "k.pub").read_bytes())
    assert verify(*args) == 3
    # A rewritten event (resealed, so its own hash matches) breaks the checkpoint.
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM events WHERE instance_id = 'beta/monthly/2024-01' AND version = 2")
    conn.execute("UPDATE instances SET version = 1 WHERE id = 'beta/monthly/2024-01'")
    conn.commit()
    code, _, _ = cli(capsys, "review", "export", "--db", str(db), "--all", "--out", str(export))
    with pytest.raises(AssertionError):
        verify(export.read_text(), *args[1:])
    # A changed event body no longer matches its hash.
    lines = args[0].split("\n")
    lines[1] = lines[1].replace("note on acme", "note on acmf")
    with pytest.raises(AssertionError):
        verify("\n".join(lines), *args[1:])
