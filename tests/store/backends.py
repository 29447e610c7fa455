"""The stores the conformance suite runs on, and how to reach a PostgreSQL test server.

The server is never started here: give its URL in ``WORKFLOWKIT_TEST_POSTGRES``
(``.ci/run`` starts a throwaway one and sets it). Without it the PostgreSQL tests are
skipped, saying how to start one; under ``CI=true`` a missing server is a failure.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from workflowkit.store import PostgresEventStore, SQLiteEventStore

POSTGRES_ENV = "WORKFLOWKIT_TEST_POSTGRES"
HOW = (
    f"no PostgreSQL server: set {POSTGRES_ENV} to start these tests (docs/store.md, "
    "'## PostgreSQL', has the commands): initdb -D /tmp/wkpg -U postgres -A trust && "
    "pg_ctl -D /tmp/wkpg -w -o '-c listen_addresses=127.0.0.1 -p 55432 -k /tmp/wkpg' start "
    "&& createdb -h 127.0.0.1 -p 55432 -U postgres wk && export "
    f"{POSTGRES_ENV}=postgresql://postgres@127.0.0.1:55432/wk"
)


def postgres_server() -> str:
    """The test server's URL (skip without one; fail under CI)."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {POSTGRES_ENV} is not set: .ci/run starts the server")
        pytest.skip(HOW)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail('the PostgreSQL tests need psycopg: pip install -e ".[test]"')
    return url


def with_schema(url: str, schema: str) -> str:
    """``url`` with the connection's search_path set to ``schema``."""
    option = quote(f"-c search_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={option}"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A URL on the test server whose search_path is a new, empty schema (dropped after)."""
    import psycopg

    server = postgres_server()
    schema = f"wk_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")  # type: ignore[arg-type]
    try:
        yield with_schema(server, schema)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")  # type: ignore[arg-type]


class Backend:
    """One kind of store, fresh: open it, and reach under it (to tamper, or age it)."""

    name: str
    url: str

    def open(self, *, create: bool = True) -> Any:
        raise NotImplementedError

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run ``sql`` (``%s`` placeholders) on the database itself, committed."""
        raise NotImplementedError

    def set_schema_version(self, version: int) -> None:
        raise NotImplementedError

    def make_foreign(self) -> None:
        """Make the database another application's (a table of its own, no store)."""
        raise NotImplementedError


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = str(path)

    def open(self, *, create: bool = True) -> SQLiteEventStore:
        return SQLiteEventStore(self.path, create=create)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.path)
        try:
            rows = conn.execute(sql.replace("%s", "?"), params).fetchall()
            conn.commit()
        finally:
            conn.close()
        return rows

    def set_schema_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {int(version)}")

    def make_foreign(self) -> None:
        self.execute("CREATE TABLE invoices (id INTEGER)")
        self.execute("CREATE TABLE events (id INTEGER)")


class PostgresBackend(Backend):
    name = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url

    def open(self, *, create: bool = True) -> PostgresEventStore:
        return PostgresEventStore(self.url, create=create)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            cur = conn.execute(sql, params)  # type: ignore[arg-type]
            return list(cur.fetchall()) if cur.description else []

    def set_schema_version(self, version: int) -> None:
        self.execute(
            "INSERT INTO workflowkit_schema (version, title) VALUES (%s, 'from the future')",
            (version,),
        )

    def make_foreign(self) -> None:
        self.execute("CREATE TABLE invoices (id integer)")
        self.execute("CREATE TABLE events (id integer)")
