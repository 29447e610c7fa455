"""The stores under test: SQLite in a temporary file, PostgreSQL in a schema of its own on
the server ``WORKFLOWKIT_TEST_POSTGRES`` names (see ``backends.py``). Each test gets a
fresh one, so the tests are independent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import Backend, PostgresBackend, SQLiteBackend, fresh_schema

from workflowkit.store import EventStore


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield SQLiteBackend(tmp_path / "practice.db")
    else:
        yield PostgresBackend(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(backend: Backend) -> Iterator[EventStore]:
    s = backend.open()
    try:
        yield s
    finally:
        s.close()
