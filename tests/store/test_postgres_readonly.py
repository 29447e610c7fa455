"""A read-only auditor on PostgreSQL: a role with only SELECT grants can verify, list,
show and history (F7); it is never asked to migrate or write."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from backends import fresh_schema, with_schema
from store_helpers import begin, comment

from workflowkit.cli.main import main
from workflowkit.store import PostgresEventStore, StoreUnavailableError


def test_a_select_only_role_audits_the_store(capsys: pytest.CaptureFixture[str]) -> None:
    import psycopg

    with fresh_schema() as url:
        with PostgresEventStore(url) as store:
            inst, first = begin()
            store.append(inst.id, [first], 0)
            inst, ev = comment(inst, "checked", 10)
            store.append(inst.id, [ev], 1)
        schema = url.split("search_path%3D", 1)[1]
        role = f"wk_auditor_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {role} LOGIN")  # type: ignore[arg-type]
            conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")  # type: ignore[arg-type]
            conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")  # type: ignore[arg-type]
        try:
            base = url.split("?", 1)[0]
            parts = urlsplit(base)
            host = parts.netloc.split("@", 1)[-1]
            ro = with_schema(
                urlunsplit((parts.scheme, f"{role}@{host}", parts.path, "", "")), schema
            )
            iid = inst.id
            for args in (
                ["verify", iid],
                ["verify", "--all"],
                ["list"],
                ["show", iid],
                ["history", iid],
            ):
                code = main(["review", *args, "--db", ro])
                out, err = capsys.readouterr()
                assert code == 0, (args, out, err)
            assert iid in out or "commented" in out
            with PostgresEventStore(ro, read_only=True) as store:
                _, ev2 = comment(inst, "again", 20)
                with pytest.raises(StoreUnavailableError, match="read-only"):
                    store.append(iid, [ev2], 2)
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
                conn.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]
