"""Our canonical JSON is RFC 8785 (JCS): held byte for byte to the ``rfc8785`` package on
hostile strings, keys that sort differently in UTF-16 and in code points, and numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from workflowkit.review import AddComment, Event
from workflowkit.review.canonical import (
    MAX_SAFE_INTEGER,
    canonical_json,
    es6_number,
    legacy_json,
)

HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),  # anything encodable, astral plane included
        st.sampled_from(["\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", '"']),
        st.sampled_from(["\\", "\b", "\f", "\n", "\r", "\t", "\U0001f600", "\ufb01", "\ue000"]),
    ),
    max_size=30,
)
NUMBERS = st.one_of(
    st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER),
    st.floats(allow_nan=False, allow_infinity=False),
)
LEAVES = st.one_of(st.none(), st.booleans(), NUMBERS, HOSTILE)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(HOSTILE, inner, max_size=5),
    max_leaves=20,
)


def reference(data: Any) -> str:
    return rfc8785.dumps(data).decode("utf-8")


@settings(max_examples=400)
@given(VALUES)
def test_canonical_json_is_jcs(data: Any) -> None:
    assert canonical_json(data) == reference(data)


@settings(max_examples=400)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_are_written_as_ecmascript_writes_them(x: float) -> None:
    assert es6_number(x) == reference(x)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (1e16, "10000000000000000"),
        (1e21, "1e+21"),
        (123.456e-10, "1.23456e-8"),
        (5e-324, "5e-324"),
    ],
)
def test_the_number_edge_cases(value: float, text: str) -> None:
    assert canonical_json(value) == text == reference(value)


def test_keys_sort_by_utf16_code_units_not_code_points() -> None:
    # U+1F600 is a surrogate pair (D83D DE00) in UTF-16, so it sorts before U+FB01.
    data = {"\ufb01": 1, "\U0001f600": 2, "a": 3}
    assert canonical_json(data) == reference(data) == '{"a":3,"\U0001f600":2,"\ufb01":1}'
    assert legacy_json(data) != canonical_json(data)  # the 0.1 form sorted by code point


def test_strings_escape_only_what_jcs_escapes() -> None:
    text = '\x00\x08\t\n\x0c\r\x1f\x7f\x85\u2028\u2029"\\\U0001f600'
    assert canonical_json(text) == reference(text)
    assert canonical_json(text) == legacy_json(text)  # no change from 0.1 for strings


def test_what_jcs_cannot_write_is_refused() -> None:
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            canonical_json(bad)
    # The one extension: integers beyond JCS's range are written exactly, as 0.1 did.
    assert canonical_json(MAX_SAFE_INTEGER + 1) == str(MAX_SAFE_INTEGER + 1)
    with pytest.raises(TypeError):
        canonical_json({1: "x"})
    with pytest.raises(TypeError):
        canonical_json(object())


@settings(max_examples=200)
@given(st.dictionaries(HOSTILE, st.one_of(st.none(), st.booleans(), HOSTILE), max_size=6))
def test_realistic_data_is_unchanged_from_the_01_form(data: dict[str, Any]) -> None:
    """Strings, booleans, null and integers: no difference from 0.1/0.2 (only floats and
    keys beyond U+FFFF differ), so stores written before hash the same."""
    if not any(any(ord(c) > 0xFFFF for c in k) for k in data):
        assert canonical_json(data) == legacy_json(data)


@settings(max_examples=200)
@given(HOSTILE.filter(lambda t: t.strip() != ""))
def test_an_event_body_is_jcs(text: str) -> None:
    try:
        cmd = AddComment(text=text, by="ann", at=datetime(2024, 2, 1, 9, tzinfo=UTC))
    except Exception:  # refused (a lone surrogate): nothing to hash
        return
    body = cmd._body()
    assert body == reference(cmd.to_data())
    e = Event(
        instance="acme/x/2024-01",
        version=2,
        command=cmd,
        effect={},
        prev="ab" * 32,
        hash="cd" * 32,
    )
    assert e.body() == reference(e.to_data(with_hash=False))
