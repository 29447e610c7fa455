"""Reading: raw control characters located, UTF-16 without a BOM, Attach names (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflowkit.errors import DocumentError
from workflowkit.source.loader import load_text


def _diags(raw: bytes | str, name: str = "x.yaml") -> list[str]:
    with pytest.raises(DocumentError) as caught:
        load_text(raw, name=name)
    return [d.format() for d in caught.value.diagnostics]


def test_raw_esc_in_yaml_is_located_with_our_message() -> None:
    [line] = _diags("apiVersion: workflowkit/v1\nkind: b\x1bc\n")
    assert line.startswith("x.yaml:2:8: WK101 the control character U+001B")
    assert "<unicode string>" not in line


def test_utf16_without_bom_is_an_encoding_error() -> None:
    [line] = _diags("apiVersion: workflowkit/v1\n".encode("utf-16-le"))
    assert " WK100 " in line and "UTF-16" in line


def test_attach_refuses_a_path_as_a_name() -> None:
    from workflowkit.review.commands import Attach
    from workflowkit.review.errors import InvalidCommandError

    common = {
        "sha256": "0" * 64,
        "size": 1,
        "media_type": "application/pdf",
        "by": "ann",
        "at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    for name in ("../../etc/passwd", "a/b.pdf", "..\\x.pdf", ".."):
        with pytest.raises(InvalidCommandError):
            Attach(name=name, **common)  # type: ignore[arg-type]
    assert Attach(name="statement.pdf", **common).name == "statement.pdf"  # type: ignore[arg-type]
