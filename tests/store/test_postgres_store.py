"""What only the PostgreSQL store does: its driver, its connection, its schema and locks."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from backends import PostgresBackend, with_schema
from store_helpers import begin, comment, run, to_review

from workflowkit.errors import WorkflowkitError
from workflowkit.store import (
    DriverMissingError,
    PostgresEventStore,
    StoreUnavailableError,
    is_postgres_url,
    open_store,
)
from workflowkit.store import postgres as pg_store
from workflowkit.store.protocol import OccurrenceStart

# --- without a server ---------------------------------------------------------------------


def test_urls_pick_the_store() -> None:
    assert is_postgres_url("postgresql://wk@db/firm") and is_postgres_url("postgres://db/firm")
    assert is_postgres_url("POSTGRESQL://db/firm")
    assert not is_postgres_url("practice.db") and not is_postgres_url(":memory:")
    assert not is_postgres_url("postgresql.db")


def test_a_missing_driver_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(DriverMissingError) as info:
        open_store("postgresql://127.0.0.1:1/none")
    assert 'pip install "workflowkit[postgres]"' in str(info.value)
    assert isinstance(info.value, StoreUnavailableError)
    assert isinstance(info.value, WorkflowkitError)


def test_no_server_is_a_typed_error_without_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreUnavailableError, match="cannot connect") as info:
        PostgresEventStore("postgresql://wk:s3cret@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cret" not in str(info.value) and "wk:***@" in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_url_that_is_not_one() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreUnavailableError, match="not a PostgreSQL URL"):
        PostgresEventStore("postgresql://[broken")


def test_redact() -> None:
    assert pg_store.redact("postgresql://a:b@h/d") == "postgresql://a:***@h/d"
    assert pg_store.redact("host=h password=x dbname=d") == "host=h password=*** dbname=d"
    assert pg_store.redact("postgresql://h/d?password=x&a=1") == "postgresql://h/d?password=***&a=1"


def test_every_migration_is_numbered_in_order() -> None:
    versions = [m.version for m in pg_store.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    assert versions[-1] == pg_store.SCHEMA_VERSION


# --- on the server ------------------------------------------------------------------------


def test_the_list_filters_are_indexed(pg_url: str) -> None:
    b = PostgresBackend(pg_url)
    b.open().close()
    rows = b.execute(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'instances' "
        "AND schemaname = current_schema()"
    )
    defs = " ".join(r[0] for r in rows)
    for column in ("client", "status", "assignee", "waiting_on", "template_id"):
        assert f"({column}, due, id)" in defs
    assert "(due, id) WHERE (status <> ALL (ARRAY['completed'::text, 'cancelled'::text]))" in defs


def test_concurrent_openers_migrate_once(pg_url: str) -> None:
    errors: list[BaseException] = []
    froms: list[int] = []
    go = threading.Barrier(8)

    def opener() -> None:
        try:
            go.wait()
            with PostgresEventStore(pg_url) as s:
                froms.append(s.migrated_from)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert froms.count(0) >= 1 and len(froms) == 8
    rows = PostgresBackend(pg_url).execute("SELECT version FROM workflowkit_schema")
    assert sorted(r[0] for r in rows) == [m.version for m in pg_store.MIGRATIONS]


def test_a_missing_schema_is_a_typed_error(pg_url: str) -> None:
    base = pg_url.split("?")[0]
    with pytest.raises(StoreUnavailableError, match="no schema"):
        PostgresEventStore(with_schema(base, "no_such_schema_here"))


def test_a_lost_connection_is_a_typed_error_and_the_next_call_reconnects(pg_url: str) -> None:
    b = PostgresBackend(pg_url)
    with b.open() as s:
        inst, first = begin()
        s.append(inst.id, [first], 0)
        [(pid,)] = s._conn.execute("SELECT pg_backend_pid()").fetchall()
        b.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreUnavailableError) as info:
            s.version(inst.id)
        assert info.value.__cause__ is None and info.value.__suppress_context__
        assert s.version(inst.id) == 1  # a new connection
        _, ev = comment(inst, "after the reconnect")
        assert s.append(inst.id, [ev], 1) == 2
    with pytest.raises(StoreUnavailableError, match="closed"):
        s.version(inst.id)


def _fail_on(b: PostgresBackend, table: str, instance: str) -> None:
    b.execute(
        "CREATE FUNCTION wk_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.instance_id = '" + instance + "' THEN RAISE EXCEPTION 'disk on fire'; END IF; "
        "RETURN NEW; END $$"
    )
    b.execute(
        f"CREATE TRIGGER wk_fail BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION wk_fail()"
    )


def _counts(b: PostgresBackend) -> tuple[Any, ...]:
    return tuple(
        b.execute(f"SELECT count(*) FROM {t}")[0][0]
        for t in ("instances", "events", "occurrences", "cursors", "templates")
    )


def test_a_transaction_that_fails_midway_leaves_nothing(pg_url: str) -> None:
    b = PostgresBackend(pg_url)
    with b.open() as s:
        ok, ok_first = begin("acme")
        s.append(ok.id, [ok_first], 0)
        before = _counts(b)
        bad, bad_first = begin("globex")
        _, more = run(bad, to_review())
        _fail_on(b, "events", bad.id)
        with pytest.raises(StoreUnavailableError, match="disk on fire") as info:
            s.append(bad.id, [bad_first, *more], 0)
        assert info.value.__cause__ is None
        assert _counts(b) == before and s.version(bad.id) == 0
        starts = [
            OccurrenceStart(key="k-initech", workflow="monthly", event=begin("initech")[1]),
            OccurrenceStart(key="k-globex", workflow="monthly", event=bad_first),
        ]
        with pytest.raises(StoreUnavailableError, match="disk on fire"):
            s.start_occurrences("p", starts, cursor=more[-1].at)
        assert _counts(b) == before and s.cursor("p") is None
        assert s.occurrences(["k-initech", "k-globex"]) == {}
        # The store goes on working after the failure.
        _, ev = comment(ok, "still here")
        assert s.append(ok.id, [ev], 1) == 2


def test_templates_are_filed_once(pg_url: str) -> None:
    b = PostgresBackend(pg_url)
    with b.open() as s1, b.open() as s2:
        for n, s in enumerate((s1, s2, s1)):
            inst, first = begin(f"client-{n}")
            s.append(inst.id, [first], 0)
        assert b.execute("SELECT count(*) FROM templates")[0][0] == 1
        [(body,)] = b.execute(
            "SELECT body FROM events WHERE instance_id = 'client-0/monthly/2024-01'"
        )
        assert '"template":"sha256:' in body and len(body) < len(first.to_json())
