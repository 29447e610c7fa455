"""The summary rows: a listing's bulk parse gives what the one-row parse gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflowkit.store.errors import DamagedStoreError
from workflowkit.store.protocol import InstanceSummary
from workflowkit.store.rows import summaries_from_rows, summary_from_row, summary_row

T0 = datetime(2025, 1, 1, 9, tzinfo=UTC)


def _summary(n: int, reviewers: tuple[str, ...], day: int, minutes: int) -> InstanceSummary:
    return InstanceSummary(
        id=f"c{n}/wf/2025-01",
        template_id="wf",
        template_version="1.0.0",
        client=f"c{n}",
        period="2025-01",
        assignee="ann",
        reviewers=reviewers,
        status="in_review" if n % 2 else "in_progress",
        level=0,
        waiting_on=reviewers[0] if n % 2 and reviewers else "ann",
        due=date(2025, 2, 1) + timedelta(days=day),
        version=1 + n % 3,
        head="ab" * 32,
        started_at=T0,
        updated_at=T0 + timedelta(minutes=minutes),
    )


@given(
    st.lists(
        st.tuples(
            st.sampled_from([(), ("rob",), ("rob", "rita"), ('"q"', "é")]),
            st.integers(0, 3),
            st.integers(0, 5),
        ),
        max_size=40,
    )
)
def test_the_bulk_parse_is_the_one_row_parse(cases: list[tuple[tuple[str, ...], int, int]]) -> None:
    made = [_summary(n, r, d, m) for n, (r, d, m) in enumerate(cases)]
    rows = [summary_row(s) for s in made]
    assert summaries_from_rows(rows) == [summary_from_row(r) for r in rows] == made


def test_native_values_from_a_driver_are_taken_as_they_come() -> None:
    s = _summary(1, ("rob",), 0, 0)
    row: list[Any] = list(summary_row(s))
    row[6], row[10], row[13], row[14] = ["rob"], s.due, s.started_at, s.updated_at
    assert summaries_from_rows([row, row]) == [s, s]


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        (6, '{"not": "a list"}', "reviewers"),
        (10, "2025-13-01", "due"),
        (14, "noon", "updated_at"),
        (15, 2, "handed_back"),
        (16, '"hours"', "issues"),
    ],
)
def test_a_damaged_row_is_named(column: int, value: str, field: str) -> None:
    good = summary_row(_summary(0, ("rob",), 0, 0))
    bad = list(summary_row(_summary(1, ("rob",), 0, 0)))
    bad[column] = value
    with pytest.raises(DamagedStoreError, match=rf"instance 'c1/wf/2025-01' is damaged \({field}"):
        summaries_from_rows([good, bad], "bench.db")


def test_a_short_row_is_named() -> None:
    row = summary_row(_summary(0, ("rob",), 0, 0))
    with pytest.raises(DamagedStoreError, match="16 columns, not 17"):
        summaries_from_rows([row, row[:16]])


def test_equal_instants_keep_their_own_offsets() -> None:
    """09:00Z and 10:00+01:00 are one instant; each summary keeps the offset it had."""
    one = _summary(1, ("rob",), 0, 0)
    other = _summary(2, ("rob",), 0, 0)
    plus_one = datetime(2025, 1, 1, 10, tzinfo=timezone(timedelta(hours=1)))
    rest = summary_row(other)[15:]
    texts = [summary_row(one), summary_row(other)[:13] + (plus_one.isoformat(),) * 2 + rest]
    native: list[list[Any]] = [list(r) for r in texts]
    native[0][13] = native[0][14] = one.started_at
    native[1][13] = native[1][14] = plus_one
    for rows in (texts, native):
        got = summaries_from_rows(rows)
        assert [s.started_at.utcoffset() for s in got] == [timedelta(0), timedelta(hours=1)]
        assert got == [summary_from_row(r) for r in rows]
