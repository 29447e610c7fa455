"""Unknown keys cost linear time, and one file's diagnostics are capped (issue 19)."""

from __future__ import annotations

import time

import pytest

from workflowkit.source import models
from workflowkit.source.loader import DEFAULT_LIMITS
from workflowkit.source.workspace import parse_text

HEAD = "apiVersion: workflowkit/v1\nkind: WorkflowTemplate\nid: t\nversion: 1.0.0\nchecks: []\n"


def _body(n: int) -> str:
    return HEAD + "".join(f"k{i}: 1\n" for i in range(n))


def test_unknown_keys_are_capped_with_a_closing_diagnostic() -> None:
    parsed = parse_text(_body(1000), name="x.yaml")
    codes = [d.code for d in parsed.diagnostics]
    limit = DEFAULT_LIMITS.max_diagnostics
    assert len(codes) == limit + 1
    last = parsed.diagnostics[-1]
    assert last.code == "WK119"
    # 1000 unknown keys and one missing `name`, `limit` of them listed.
    assert f"and {1001 - limit} more" in last.message
    assert last.file == "x.yaml" and last.line == 1


def test_misspelt_key_still_explains_the_missing_one() -> None:
    parsed = parse_text(HEAD + "nme: T\n", name="x.yaml")
    assert [d.code for d in parsed.diagnostics] == ["WK113"]
    assert "did you mean 'name'?" in (parsed.diagnostics[0].hint or "")


def test_did_you_mean_is_bounded_not_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = models.difflib.get_close_matches

    def counting(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(models.difflib, "get_close_matches", counting)
    parse_text(_body(5000), name="x.yaml")
    assert calls <= 2 * DEFAULT_LIMITS.max_diagnostics + 2


def test_locating_many_keys_indexes_the_mapping_once() -> None:
    from workflowkit.source.loader import load_text

    doc = load_text(_body(20000), name="x.yaml")
    start = time.perf_counter()
    for i in range(0, 20000, 7):
        assert doc.locate(f"/k{i}", key=True) == (6 + i, 1)
    # Before: every locate rescanned the 20,000 keys (about 60 million comparisons).
    assert time.perf_counter() - start < 5


def test_100k_unknown_keys_finish() -> None:
    start = time.perf_counter()
    parsed = parse_text(_body(100_000), name="x.yaml")
    assert parsed.diagnostics[-1].code == "WK119"
    assert time.perf_counter() - start < 20  # a loose regression guard: was > 60 s
