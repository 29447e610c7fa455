"""The SQLite schema, versioned, and the migrations that take a store to the latest.

The schema version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` marks the
file as a workflowkit store. Each migration runs in its own ``BEGIN IMMEDIATE``
transaction and re-reads the version inside it, so two processes opening an old store
at once migrate it once. A store newer than this code is refused, untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from workflowkit.store.errors import SchemaVersionError

APPLICATION_ID: Final = 0x574B5354
"""``WKST``: written in the database header of every workflowkit store."""


Step = str | Callable[[Any], None]
"""A statement, or a function run on the connection (inside the migration's transaction;
a SQLite or a psycopg connection, by the store)."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    title: str
    statements: tuple[Step, ...]


_OLD_STATUS_CHECK: Final = "CHECK (status IN ('in_progress', 'in_review', 'completed'))"
_NEW_STATUS_CHECK: Final = (
    "CHECK (status IN ('in_progress', 'in_review', 'completed', 'cancelled'))"
)


def _accept_cancelled(conn: sqlite3.Connection) -> None:
    """Widen the status CHECK of ``instances`` to accept ``cancelled``.

    SQLite cannot alter a CHECK, and rebuilding the table would break the events'
    foreign key; this is SQLite's documented way to change a constraint that every
    existing row still meets (lang_altertable.html, "other kinds of table schema
    changes"): rewrite the table's SQL in the schema and bump ``schema_version``.
    """
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'instances'"
    ).fetchone()
    sql = str(row[0])
    if _NEW_STATUS_CHECK in sql:
        return
    if _OLD_STATUS_CHECK not in sql:  # pragma: no cover (a schema this code did not write)
        raise sqlite3.DatabaseError("the instances table has an unexpected status CHECK")
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'instances'",
            (sql.replace(_OLD_STATUS_CHECK, _NEW_STATUS_CHECK),),
        )
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def fill_standings(conn: sqlite3.Connection) -> None:
    """Fill ``handed_back`` and ``issues`` in for the instances already in the store,
    from their events (:func:`~workflowkit.store.rows.standings`; read as a stream)."""
    from workflowkit.store.rows import STANDING_EVENTS_QUERY, standings

    rows = standings(conn.execute(STANDING_EVENTS_QUERY))
    conn.executemany("UPDATE instances SET handed_back = ?, issues = ? WHERE id = ?", list(rows))


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "events and instances",
        (
            """
            CREATE TABLE instances (
                id               TEXT PRIMARY KEY,
                template_id      TEXT NOT NULL,
                template_version TEXT NOT NULL,
                client           TEXT NOT NULL,
                period           TEXT NOT NULL,
                assignee         TEXT NOT NULL,
                reviewers        TEXT NOT NULL,  -- JSON array, one person per review level
                status           TEXT NOT NULL
                                 CHECK (status IN ('in_progress', 'in_review', 'completed')),
                level            INTEGER NOT NULL CHECK (level >= 0),
                due              TEXT NOT NULL,  -- ISO date
                version          INTEGER NOT NULL CHECK (version >= 1),
                head             TEXT NOT NULL,  -- hash of the last event
                started_at       TEXT NOT NULL,
                updated_at       TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE events (
                instance_id TEXT NOT NULL REFERENCES instances (id),
                version     INTEGER NOT NULL CHECK (version >= 1),
                type        TEXT NOT NULL,
                actor       TEXT NOT NULL,
                at          TEXT NOT NULL,
                prev        TEXT NOT NULL,
                hash        TEXT NOT NULL,
                body        TEXT NOT NULL,       -- the event's canonical JSON
                PRIMARY KEY (instance_id, version)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX instances_by_client ON instances (client, due)",
            "CREATE INDEX instances_by_status ON instances (status, due)",
        ),
    ),
    Migration(
        2,
        "who each instance waits on; indexes for the list queries",
        (
            "ALTER TABLE instances ADD COLUMN waiting_on TEXT",
            """
            UPDATE instances SET waiting_on = CASE status
                WHEN 'in_progress' THEN assignee
                WHEN 'in_review' THEN json_extract(reviewers, '$[' || level || ']')
                ELSE NULL END
            """,
            "CREATE INDEX instances_by_waiting_on ON instances (waiting_on, due)",
            "CREATE INDEX instances_by_assignee ON instances (assignee, due)",
            "CREATE INDEX instances_by_due ON instances (due)",
        ),
    ),
    Migration(
        3,
        "occurrences started by run, each once; a cursor per practice; templates by hash",
        (
            """
            CREATE TABLE templates (
                hash TEXT PRIMARY KEY,           -- SHA-256 of the template's canonical JSON
                body TEXT NOT NULL
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE occurrences (
                key           TEXT PRIMARY KEY,  -- the calendar's occurrence key
                practice      TEXT NOT NULL,
                workflow      TEXT NOT NULL,
                instance_id   TEXT NOT NULL UNIQUE REFERENCES instances (id),
                template_hash TEXT NOT NULL,     -- the checklist the instance pinned
                created_at    TEXT NOT NULL      -- the occurrence's create_at
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE cursors (
                practice TEXT PRIMARY KEY,
                until    TEXT NOT NULL           -- ISO moment, UTC: materialised up to here
            ) WITHOUT ROWID
            """,
        ),
    ),
    Migration(
        4,
        "the notification outbox (each notification once) and the notify cursor",
        (
            """
            CREATE TABLE outbox (
                seq     INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order queued
                id      TEXT NOT NULL UNIQUE,    -- the notification's stable id
                payload TEXT NOT NULL,           -- the notification as JSON
                created TEXT NOT NULL,           -- ISO moment, UTC
                sent_at TEXT                     -- ISO moment, UTC; NULL: still to send
            )
            """,
            "CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL",
            """
            CREATE TABLE notify_cursor (
                instance_id TEXT PRIMARY KEY,
                version     INTEGER NOT NULL CHECK (version >= 0)  -- derived up to here
            ) WITHOUT ROWID
            """,
        ),
    ),
    Migration(
        5,
        "an instance may be cancelled (the status column accepts cancelled)",
        (_accept_cancelled,),
    ),
    Migration(
        6,
        "each instance says whether it was handed back and which checks have issues",
        (
            "ALTER TABLE instances ADD COLUMN handed_back INTEGER NOT NULL DEFAULT 0"
            " CHECK (handed_back IN (0, 1))",
            # A JSON array of check ids, sorted.
            "ALTER TABLE instances ADD COLUMN issues TEXT NOT NULL DEFAULT '[]'",
            fill_standings,
        ),
    ),
)

SCHEMA_VERSION: Final = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    return bool(row[0])


def migrate(
    conn: sqlite3.Connection,
    path: str,
    migrations: tuple[Migration, ...] = MIGRATIONS,
) -> int:
    """Bring the store to the latest schema; return the version it was at before.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    latest = migrations[-1].version if migrations else 0
    found = schema_version(conn)
    app = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app not in (0, APPLICATION_ID) or (app == 0 and found == 0 and _has_tables(conn)):
        raise SchemaVersionError(
            path, found, latest, f"{path}: this SQLite database is not a workflowkit store"
        )
    if found > latest:
        raise SchemaVersionError(path, found, latest)
    if found == latest:
        return found
    for m in migrations:
        if m.version <= found:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= m.version:  # another process got there first
                conn.execute("COMMIT")
                continue
            for statement in m.statements:
                if callable(statement):
                    statement(conn)
                else:
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {int(m.version)}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return found
