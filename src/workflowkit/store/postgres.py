"""The event store on a PostgreSQL server, for practices and apps that outgrow one machine.

    with PostgresEventStore("postgresql://wk@db.internal/practice") as store:
        store.append(inst.id, [event], expected_version=0)

The same protocol as the SQLite store, the same rows and the same checks, on psycopg 3
(the optional extra: ``pip install "workflowkit[postgres]"``; imported only when a store
is opened).

- ``append`` is one transaction: it reads the instance's version and head, refuses a
  stale writer with ``ConflictError``, and writes the events and the summary. The write
  is a compare-and-set (``UPDATE ... WHERE version = expected``, or an insert of a new
  instance that does nothing when it exists), and the events' key is unique on
  ``(instance_id, version)``: of two writers at once one wins, the other gets
  ``ConflictError`` and nothing of it is written.
- ``start_occurrences`` records each occurrence key with ``INSERT ... ON CONFLICT DO
  NOTHING`` (the key is unique) and moves the practice's cursor (``GREATEST``: never
  back) in the same transaction, so several workers start each occurrence once.
- The tables live in the connection's current schema (the first of its ``search_path``:
  ``?options=-c%20search_path%3Dworkflowkit`` in the URL picks one). The schema is
  versioned in ``workflowkit_schema``; opening migrates it under an advisory lock, so
  concurrent openers migrate once, and a newer schema is refused untouched.
- Connection errors, a lost connection and any other driver error become
  ``StoreUnavailableError``; a transaction that failed midway is rolled back whole. A
  lost connection is opened again by the next call (never by retrying a write).

One connection per store object; one store object per thread.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Final

from workflowkit.review.events import Event
from workflowkit.store.errors import (
    ConflictError,
    DriverMissingError,
    RejectedEventsError,
    SchemaVersionError,
    StoreUnavailableError,
    UnknownInstanceError,
)
from workflowkit.store.migrations import Migration
from workflowkit.store.packing import pack, unpack
from workflowkit.store.protocol import (
    EXISTED,
    ID_TAKEN,
    STARTED,
    STATUSES,
    InstanceState,
    InstanceSummary,
    OccurrenceStart,
    OutboxEntry,
    summarize,
)
from workflowkit.store.rows import (
    STANDING_EVENTS_QUERY,
    STATE_COLUMNS,
    SUMMARY_COLUMNS,
    check_outbox,
    event_row,
    standings,
    start_template_hash,
    states_from_rows,
    summaries_from_rows,
    summary_from_row,
    summary_row,
)
from workflowkit.store.sqlite import check_batch, check_starts

if TYPE_CHECKING:
    import psycopg

VERSION_TABLE: Final = "workflowkit_schema"


def _fill_standings(conn: psycopg.Connection[Any]) -> None:
    """Fill ``handed_back`` and ``issues`` in for the instances already in the store, from
    their events (:func:`~workflowkit.store.rows.standings`), read through a server-side
    cursor so a large store is not held in memory (inside the migration's transaction)."""
    with conn.cursor(name="workflowkit_fill_standings") as events:
        events.itersize = 5_000
        events.execute(STANDING_EVENTS_QUERY)
        found = list(standings(events))
    with conn.cursor() as cur:
        cur.executemany(
            "UPDATE instances SET handed_back = %s, issues = %s::jsonb WHERE id = %s", found
        )


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        1,
        "events, instances, occurrences, cursors and templates; indexes for the list queries",
        (
            """
            CREATE TABLE instances (
                id               text PRIMARY KEY,
                template_id      text NOT NULL,
                template_version text NOT NULL,
                client           text NOT NULL,
                period           text NOT NULL,
                assignee         text NOT NULL,
                reviewers        jsonb NOT NULL,  -- one person per review level
                status           text NOT NULL
                                 CHECK (status IN ('in_progress', 'in_review', 'completed')),
                level            integer NOT NULL CHECK (level >= 0),
                waiting_on       text,
                due              date NOT NULL,
                version          integer NOT NULL CHECK (version >= 1),
                head             text NOT NULL,   -- hash of the last event
                started_at       text NOT NULL,   -- ISO moments, with their offsets
                updated_at       text NOT NULL
            )
            """,
            """
            CREATE TABLE events (
                instance_id text NOT NULL REFERENCES instances (id),
                version     integer NOT NULL CHECK (version >= 1),
                type        text NOT NULL,
                actor       text NOT NULL,
                at          timestamptz NOT NULL,
                prev        text NOT NULL,
                hash        text NOT NULL,
                body        text NOT NULL,        -- the event's canonical JSON (packed)
                PRIMARY KEY (instance_id, version)
            )
            """,
            """
            CREATE TABLE templates (
                hash text PRIMARY KEY,            -- SHA-256 of the template's canonical JSON
                body text NOT NULL
            )
            """,
            """
            CREATE TABLE occurrences (
                key           text PRIMARY KEY,   -- the calendar's occurrence key
                practice      text NOT NULL,
                workflow      text NOT NULL,
                instance_id   text NOT NULL UNIQUE
                              REFERENCES instances (id) DEFERRABLE INITIALLY DEFERRED,
                template_hash text NOT NULL,      -- the checklist the instance pinned
                created_at    timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE cursors (
                practice text PRIMARY KEY,
                until    timestamptz NOT NULL     -- materialised up to here
            )
            """,
            "CREATE INDEX instances_by_client ON instances (client, due, id)",
            "CREATE INDEX instances_by_status ON instances (status, due, id)",
            "CREATE INDEX instances_by_assignee ON instances (assignee, due, id)",
            "CREATE INDEX instances_by_waiting_on ON instances (waiting_on, due, id)",
            "CREATE INDEX instances_by_template ON instances (template_id, due, id)",
            "CREATE INDEX instances_by_due ON instances (due, id)",
            "CREATE INDEX instances_open_by_due ON instances (due, id) WHERE status <> 'completed'",
        ),
    ),
    Migration(
        2,
        "the notification outbox (each notification once) and the notify cursor",
        (
            """
            CREATE TABLE outbox (
                seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the order queued
                id      text NOT NULL UNIQUE,     -- the notification's stable id
                payload text NOT NULL,            -- the notification as JSON
                created timestamptz NOT NULL,
                sent_at timestamptz               -- NULL: still to send
            )
            """,
            "CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL",
            """
            CREATE TABLE notify_cursor (
                instance_id text PRIMARY KEY,
                version     integer NOT NULL CHECK (version >= 0)  -- derived up to here
            )
            """,
        ),
    ),
    Migration(
        3,
        "an instance may be cancelled (the status column accepts cancelled)",
        (
            "ALTER TABLE instances DROP CONSTRAINT instances_status_check",
            "ALTER TABLE instances ADD CONSTRAINT instances_status_check"
            " CHECK (status IN ('in_progress', 'in_review', 'completed', 'cancelled'))",
            "DROP INDEX instances_open_by_due",
            "CREATE INDEX instances_open_by_due ON instances (due, id)"
            " WHERE status NOT IN ('completed', 'cancelled')",
        ),
    ),
    Migration(
        4,
        "each instance says whether it was handed back and which checks have issues",
        (
            "ALTER TABLE instances ADD COLUMN handed_back boolean NOT NULL DEFAULT false",
            # A JSON array of check ids, sorted.
            "ALTER TABLE instances ADD COLUMN issues jsonb NOT NULL DEFAULT '[]'",
            _fill_standings,
        ),
    ),
)
"""The PostgreSQL schema, versioned on its own (it began at SQLite's version 3)."""

SCHEMA_VERSION: Final = MIGRATIONS[-1].version

_INSERT_SUMMARY: Final = (
    f"INSERT INTO instances ({SUMMARY_COLUMNS}) VALUES "
    "(%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s::date, %s, %s, %s, %s, %s, %s::jsonb)"
)
_CASTS: Final = {"reviewers": "::jsonb", "issues": "::jsonb", "due": "::date"}
_UPDATE_SUMMARY: Final = (
    "UPDATE instances SET "
    + ", ".join(
        f"{c.strip()} = %s{_CASTS.get(c.strip(), '')}" for c in SUMMARY_COLUMNS.split(",")[1:]
    )
    + " WHERE id = %s AND version = %s"
)
_INSERT_EVENT: Final = (
    "INSERT INTO events (instance_id, version, type, actor, at, prev, hash, body) "
    "VALUES (%s, %s, %s, %s, %s::timestamptz, %s, %s, %s)"
)
_UNNEST_SUMMARIES: Final = (
    f"INSERT INTO instances ({SUMMARY_COLUMNS}) "
    "SELECT c0, c1, c2, c3, c4, c5, c6::jsonb, c7, c8, c9, c10::date, c11, c12, c13, c14, "
    "c15, c16::jsonb "
    "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
    "%s::text[], %s::text[], %s::int[], %s::text[], %s::text[], %s::int[], %s::text[], "
    "%s::text[], %s::text[], %s::bool[], %s::text[]) "
    "AS u(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)
_UNNEST_EVENTS: Final = (
    "INSERT INTO events (instance_id, version, type, actor, at, prev, hash, body) "
    "SELECT c0, c1, c2, c3, c4::timestamptz, c5, c6, c7 "
    "FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::text[], %s::text[], "
    "%s::text[], %s::text[]) AS u(c0, c1, c2, c3, c4, c5, c6, c7)"
)
_UNNEST_OCCURRENCES: Final = (
    "INSERT INTO occurrences (key, practice, workflow, instance_id, template_hash, created_at) "
    "SELECT k, %s, w, i, t, c::timestamptz "
    "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) "
    "AS u(k, w, i, t, c) ON CONFLICT DO NOTHING RETURNING key"
)
_RETRIES: Final = 5  # a deadlock or a serialization failure is tried again, this often
_CHUNK: Final = 10_000  # keys per ANY(...) query


def _driver() -> Any:
    """psycopg, imported when a store is first opened."""
    try:
        import psycopg
    except ImportError:
        raise DriverMissingError("postgresql", "postgres", "psycopg 3") from None
    return psycopg


def redact(url: str) -> str:
    """``url`` without its password, for messages."""
    url = re.sub(r"(://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"(password=)[^&\s]*", r"\1***", url)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    return [[r[i] for r in rows] for i in range(width)]


class _Lost(Exception):
    """The compare-and-set found another writer's version."""


def migrate(
    conn: psycopg.Connection[Any],
    where: str,
    *,
    create: bool = True,
    migrations: tuple[Migration, ...] = MIGRATIONS,
) -> int:
    """Bring the store in ``conn``'s current schema to the latest version; return the
    version it was at before. One transaction, under an advisory lock for the schema."""
    latest = migrations[-1].version if migrations else 0
    with conn.transaction():
        cur = conn.cursor()
        cur.execute("SELECT current_schema()")
        row = cur.fetchone()
        schema = None if row is None else row[0]
        if schema is None:
            raise StoreUnavailableError(
                where,
                "no schema to keep the store in: create the schema named first in the "
                "search_path, or give another",
            )

        def tables() -> set[str]:
            # From pg_class itself (the statement's snapshot), not the relation cache,
            # which may lag behind another opener's commit.
            cur.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relname = ANY(%s::text[])",
                ([VERSION_TABLE, "instances", "events"],),
            )
            return {str(r[0]) for r in cur.fetchall()}

        def found() -> int:
            cur.execute(f"SELECT coalesce(max(version), 0) FROM {VERSION_TABLE}")
            got = cur.fetchone()
            return 0 if got is None else int(got[0])

        versioned = VERSION_TABLE in tables()
        before = found() if versioned else 0
        if before > latest:
            raise SchemaVersionError(where, before, latest)
        if versioned and before == latest:
            return before
        if not versioned and not create:
            raise StoreUnavailableError(where, f"no store here (no {VERSION_TABLE} in {schema})")
        cur.execute(
            "SELECT pg_advisory_xact_lock(hashtext('workflowkit.migrate'), hashtext(%s))",
            (schema,),
        )
        present = tables()  # another opener may have migrated while we waited
        versioned = VERSION_TABLE in present
        now = found() if versioned else 0
        if now > latest:
            raise SchemaVersionError(where, now, latest)
        if not versioned:
            if present:
                raise SchemaVersionError(
                    where,
                    0,
                    latest,
                    f"{where}: schema {schema} has tables of its own but is not a workflowkit "
                    "store (give another schema in the search_path)",
                )
            cur.execute(
                f"CREATE TABLE {VERSION_TABLE} (version integer PRIMARY KEY, title text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
        for m in migrations:
            if m.version <= now:
                continue
            for statement in m.statements:
                if callable(statement):
                    statement(conn)
                else:
                    cur.execute(statement)
            cur.execute(
                f"INSERT INTO {VERSION_TABLE} (version, title) VALUES (%s, %s)",
                (m.version, m.title),
            )
    return before


def _readable(conn: psycopg.Connection[Any], where: str) -> int:
    """The schema version of a store opened read-only (nothing is created or migrated:
    a role with only ``SELECT`` grants can read)."""
    latest = MIGRATIONS[-1].version
    with conn.transaction():
        cur = conn.cursor()
        cur.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = %s",
            (VERSION_TABLE,),
        )
        if cur.fetchone() is None:
            raise StoreUnavailableError(where, f"no store here (no {VERSION_TABLE})")
        cur.execute(f"SELECT coalesce(max(version), 0) FROM {VERSION_TABLE}")
        row = cur.fetchone()
    found = 0 if row is None else int(row[0])
    if found > latest:
        raise SchemaVersionError(where, found, latest)
    return found


class PostgresEventStore:
    """An :class:`~workflowkit.store.protocol.EventStore` on a PostgreSQL server.

    ``url`` is a libpq connection URL (``postgresql://user@host:port/db?...``) or
    key/value string. ``create=False`` refuses a schema without a store in it.
    """

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        connect_timeout: int = 10,
        read_only: bool = False,
    ) -> None:
        self.url = redact(str(url))
        self.read_only = read_only
        self._dsn = str(url)
        self._connect_timeout = connect_timeout
        self._closed = False
        self._templates: dict[str, str] = {}  # hash -> text, a read cache
        self._filed: set[str] = set()  # hashes known to be committed
        self._filing: set[str] = set()  # hashes written in the open transaction
        self._conn = self._connect()
        try:
            with self._guard("cannot open the store"):
                if read_only:
                    self.migrated_from = _readable(self._conn, self.url)
                else:
                    self.migrated_from = migrate(self._conn, self.url, create=create)
        except BaseException:
            self._conn.close()
            raise

    def _connect(self) -> psycopg.Connection[Any]:
        pg = _driver()
        try:
            params = pg.conninfo.conninfo_to_dict(self._dsn)
        except pg.Error as exc:
            raise StoreUnavailableError(self.url, f"not a PostgreSQL URL: {_reason(exc)}") from None
        extra: dict[str, Any] = {}
        if "connect_timeout" not in params:
            extra["connect_timeout"] = self._connect_timeout
        if "application_name" not in params:
            extra["application_name"] = "workflowkit"
        try:
            conn: psycopg.Connection[Any] = pg.connect(self._dsn, autocommit=True, **extra)
        except pg.Error as exc:
            raise StoreUnavailableError(self.url, f"cannot connect: {_reason(exc)}") from None
        if self.read_only:
            try:
                conn.execute("SET default_transaction_read_only = on")
            except pg.Error as exc:
                conn.close()
                raise StoreUnavailableError(self.url, f"cannot connect: {_reason(exc)}") from None
        return conn

    def _db(self) -> psycopg.Connection[Any]:
        """The connection, opened again if it was lost."""
        if self._closed:
            raise StoreUnavailableError(self.url, "the store is closed")
        if self._conn.closed or self._conn.broken:
            self._conn.close()
            self._conn = self._connect()
        return self._conn

    @contextmanager
    def _guard(self, what: str) -> Iterator[None]:
        """Driver errors become ``StoreUnavailableError`` (no driver traceback)."""
        pg = _driver()
        try:
            yield
        except pg.Error as exc:
            self._filing.clear()
            raise StoreUnavailableError(self.url, f"{what}: {_reason(exc)}") from None

    # --- life cycle ------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        self._conn.close()

    def __enter__(self) -> PostgresEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresEventStore({self.url!r})"

    # --- writing ---------------------------------------------------------------------

    def append(self, instance_id: str, events: Sequence[Event], expected_version: int) -> int:
        batch = tuple(events)
        check_batch(instance_id, batch, expected_version)
        if self.read_only:
            raise StoreUnavailableError(self.url, "the store was opened read-only")
        rows = [event_row(e) for e in batch]
        pg = _driver()
        with self._guard("cannot append"):
            conn = self._db()
            try:
                with conn.transaction():
                    cur = conn.cursor()
                    cur.execute(
                        f"SELECT {SUMMARY_COLUMNS} FROM instances WHERE id = %s", (instance_id,)
                    )
                    found = cur.fetchone()
                    current = None if found is None else summary_from_row(found, self.url)
                    actual = 0 if current is None else current.version
                    if actual != expected_version:
                        raise ConflictError(instance_id, expected_version, actual)
                    if current is not None and batch[0].prev != current.head:
                        raise RejectedEventsError(
                            instance_id,
                            f"the events do not follow the stored head (version {actual})",
                        )
                    summary = current
                    for e in batch:
                        summary = summarize(summary, e)
                    assert summary is not None
                    values = summary_row(summary)
                    if current is None:
                        rows[0] = self._packed(cur, rows[0])
                        cur.execute(_INSERT_SUMMARY + " ON CONFLICT (id) DO NOTHING", values)
                    else:
                        cur.execute(_UPDATE_SUMMARY, (*values[1:], instance_id, expected_version))
                    if cur.rowcount != 1:
                        raise _Lost
                    cur.execute(_UNNEST_EVENTS, _columns([r[:-1] for r in rows], 8))
            except (_Lost, pg.errors.UniqueViolation):
                self._filing.clear()
                raise ConflictError(
                    instance_id, expected_version, self.version(instance_id)
                ) from None
            except BaseException:
                self._filing.clear()
                raise
            self._committed()
        return summary.version

    def _packed(self, cur: psycopg.Cursor[Any], row: tuple[Any, ...]) -> tuple[Any, ...]:
        """A start event's row with its template filed once under its hash."""
        event: Event = row[-1]
        body, digest, text = pack(event, row[-2])
        if digest is not None and digest not in self._filed and digest not in self._filing:
            cur.execute(
                "INSERT INTO templates (hash, body) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (digest, text),
            )
            self._templates[digest] = str(text)
            self._filing.add(digest)
        return (*row[:-2], body, event)

    def _committed(self) -> None:
        self._filed |= self._filing
        self._filing.clear()

    # --- occurrences -----------------------------------------------------------------

    def occurrences(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        out: dict[str, str] = {}
        with self._guard("cannot read the occurrences"):
            cur = self._db().cursor()
            for i in range(0, len(wanted), _CHUNK):
                cur.execute(
                    "SELECT key, instance_id FROM occurrences WHERE key = ANY(%s::text[])",
                    (wanted[i : i + _CHUNK],),
                )
                out.update((str(k), str(v)) for k, v in cur.fetchall())
        return out

    def cursor(self, practice: str) -> datetime | None:
        with self._guard("cannot read the cursor"):
            cur = self._db().cursor()
            cur.execute("SELECT until FROM cursors WHERE practice = %s", (practice,))
            row = cur.fetchone()
        if row is None:
            return None
        until: datetime = row[0]
        return until.astimezone(UTC)

    def start_occurrences(
        self,
        practice: str,
        starts: Sequence[OccurrenceStart],
        *,
        cursor: datetime | None = None,
    ) -> dict[str, str]:
        check_starts(practice, starts, cursor)
        pg = _driver()
        for attempt in range(_RETRIES):
            try:
                with self._guard("cannot start the occurrences"):
                    try:
                        return self._start(practice, starts, cursor)
                    except (pg.errors.SerializationFailure, pg.errors.DeadlockDetected):
                        self._filing.clear()
                        if attempt == _RETRIES - 1:
                            raise
            finally:
                self._filing.clear()
        raise AssertionError("unreachable")  # pragma: no cover

    def _start(
        self, practice: str, starts: Sequence[OccurrenceStart], cursor: datetime | None
    ) -> dict[str, str]:
        # In key order, so that workers starting the same occurrences lock them in the
        # same order (and do not deadlock).
        todo = sorted(starts, key=lambda s: s.key)
        conn = self._db()
        outcome: dict[str, str] = {}
        with conn.transaction():
            cur = conn.cursor()
            made: set[str] = set()
            existed: set[str] = set()
            if todo:
                rows = {s.key: self._pack_start(s.event) for s in todo}
                self._file_templates(cur)
                cur.execute(
                    _UNNEST_OCCURRENCES,
                    (
                        practice,
                        [s.key for s in todo],
                        [s.workflow for s in todo],
                        [s.event.instance for s in todo],
                        [start_template_hash(s.event) for s in todo],
                        [s.event.at.isoformat() for s in todo],
                    ),
                )
                recorded = {str(r[0]) for r in cur.fetchall()}
                rest = [s.key for s in todo if s.key not in recorded]
                if rest:
                    cur.execute("SELECT key FROM occurrences WHERE key = ANY(%s::text[])", (rest,))
                    existed = {str(r[0]) for r in cur.fetchall()}
                new = [s for s in todo if s.key in recorded]
                if new:
                    summaries = [summary_row(summarize(None, s.event)) for s in new]
                    cur.execute(_UNNEST_SUMMARIES, _columns(summaries, 17))
                    started = {str(r[0]) for r in cur.fetchall()}
                    taken = [s.key for s in new if s.event.instance not in started]
                    if taken:
                        cur.execute("DELETE FROM occurrences WHERE key = ANY(%s::text[])", (taken,))
                    events = [rows[s.key] for s in new if s.event.instance in started]
                    if events:
                        cur.execute(_UNNEST_EVENTS, _columns(events, 8))
                    made = {s.key for s in new if s.event.instance in started}
            if cursor is not None:
                cur.execute(
                    "INSERT INTO cursors (practice, until) VALUES (%s, %s) ON CONFLICT (practice) "
                    "DO UPDATE SET until = GREATEST(cursors.until, excluded.until)",
                    (practice, cursor.astimezone(UTC)),
                )
        self._committed()
        for s in starts:
            outcome[s.key] = STARTED if s.key in made else EXISTED if s.key in existed else ID_TAKEN
        return outcome

    def _pack_start(self, e: Event) -> tuple[Any, ...]:
        """The events row of a start event, packed; its template queued for filing."""
        row = event_row(e)
        body, digest, text = pack(e, row[-2])
        if digest is not None and digest not in self._filed:
            self._templates[digest] = str(text)
            self._filing.add(digest)
        return (*row[:-2], body)

    def _file_templates(self, cur: psycopg.Cursor[Any]) -> None:
        if not self._filing:
            return
        digests = sorted(self._filing)
        cur.execute(
            "INSERT INTO templates (hash, body) SELECT * FROM unnest(%s::text[], %s::text[]) "
            "ON CONFLICT DO NOTHING",
            (digests, [self._templates[d] for d in digests]),
        )

    # --- the notification outbox ---------------------------------------------------

    def notify_cursor(self) -> dict[str, int]:
        with self._guard("cannot read the notify cursor"):
            cur = self._db().cursor()
            cur.execute("SELECT instance_id, version FROM notify_cursor")
            rows = cur.fetchall()
        return {str(i): int(v) for i, v in rows}

    def enqueue_notifications(
        self,
        entries: Sequence[tuple[str, str]],
        *,
        created: datetime,
        cursor: Mapping[str, int] | None = None,
    ) -> list[str]:
        todo, moves = check_outbox(entries, created, cursor)
        with self._guard("cannot queue notifications"):
            conn = self._db()
            with conn.transaction():
                cur = conn.cursor()
                queued: set[str] = set()
                if todo:
                    # In the order given (WITH ORDINALITY), so the outbox keeps it.
                    cur.execute(
                        "INSERT INTO outbox (id, payload, created) "
                        "SELECT i, p, %s FROM unnest(%s::text[], %s::text[]) "
                        "WITH ORDINALITY AS u(i, p, n) ORDER BY n "
                        "ON CONFLICT (id) DO NOTHING RETURNING id",
                        (created, [e[0] for e in todo], [e[1] for e in todo]),
                    )
                    queued = {str(r[0]) for r in cur.fetchall()}
                if moves:
                    items = sorted(moves.items())  # in key order: no deadlock between workers
                    cur.execute(
                        "INSERT INTO notify_cursor (instance_id, version) "
                        "SELECT * FROM unnest(%s::text[], %s::int[]) ON CONFLICT (instance_id) "
                        "DO UPDATE SET version = GREATEST(notify_cursor.version, excluded.version)",
                        ([k for k, _ in items], [v for _, v in items]),
                    )
        return [e[0] for e in todo if e[0] in queued]

    def pending_notifications(self, limit: int | None = None) -> list[OutboxEntry]:
        with self._guard("cannot read the outbox"):
            cur = self._db().cursor()
            cur.execute(
                "SELECT id, payload, created FROM outbox WHERE sent_at IS NULL ORDER BY seq "
                "LIMIT %s",
                (None if limit is None else max(int(limit), 0),),
            )
            rows = cur.fetchall()
        return [OutboxEntry(str(i), str(p), c.astimezone(UTC)) for i, p, c in rows]

    def mark_sent(self, ids: Sequence[str], at: datetime) -> list[str]:
        if not isinstance(at, datetime) or at.utcoffset() is None:
            raise RejectedEventsError("outbox", "sent_at must be a timezone-aware moment")
        wanted = list(dict.fromkeys(ids))
        with self._guard("cannot mark notifications sent"):
            cur = self._db().cursor()
            cur.execute(
                "UPDATE outbox SET sent_at = %s WHERE id = ANY(%s::text[]) AND sent_at IS NULL "
                "RETURNING id",
                (at, wanted),
            )
            done = {str(r[0]) for r in cur.fetchall()}
        return [i for i in wanted if i in done]

    # --- reading ---------------------------------------------------------------------

    def _template(self, digest: str) -> str:
        text = self._templates.get(digest)
        if text is None:
            cur = self._db().cursor()
            cur.execute("SELECT body FROM templates WHERE hash = %s", (digest,))
            row = cur.fetchone()
            if row is None:
                raise StoreUnavailableError(self.url, f"template {digest} is missing")
            text = self._templates[digest] = str(row[0])
        return text

    def load(self, instance_id: str) -> list[Event]:
        with self._guard("cannot load"):
            cur = self._db().cursor()
            cur.execute(
                "SELECT type, body FROM events WHERE instance_id = %s ORDER BY version",
                (instance_id,),
            )
            rows = cur.fetchall()
            if not rows:
                raise UnknownInstanceError(instance_id, self.url)
            bodies = [
                unpack(body, self._template) if kind == "start" else body for kind, body in rows
            ]
        return [Event.from_json(b) for b in bodies]

    def load_many(
        self, instance_ids: Iterable[str], *, types: Iterable[str] | None = None
    ) -> dict[str, list[Event]]:
        ids = sorted(set(instance_ids))
        kinds = None if types is None else sorted(set(types))
        if not ids or kinds == []:
            return {}
        sql = "SELECT instance_id, type, body FROM events WHERE instance_id = ANY(%s::text[])"
        params: list[list[str]] = [ids]
        if kinds is not None:
            sql += " AND type = ANY(%s::text[])"
            params.append(kinds)
        with self._guard("cannot load the instances"):
            cur = self._db().cursor()
            cur.execute(sql + " ORDER BY instance_id, version", params)
            bodies = [
                (str(i), unpack(body, self._template) if kind == "start" else body)
                for i, kind, body in cur.fetchall()
            ]
        out: dict[str, list[Event]] = {}
        for i, body in bodies:
            out.setdefault(i, []).append(Event.from_json(body))
        return out

    def heads(self) -> dict[str, tuple[int, str]]:
        """Every instance's last event, as the events table holds it: ``{id: (version,
        hash)}`` (not the summary rows, which a writer may change apart)."""
        with self._guard("cannot read the heads"):
            cur = self._db().cursor()
            cur.execute(
                "SELECT DISTINCT ON (instance_id) instance_id, version, hash FROM events "
                "ORDER BY instance_id, version DESC"
            )
            rows = cur.fetchall()
        return {str(i): (int(v), str(h)) for i, v, h in rows}

    def count_events(self) -> int:
        """How many events the store holds."""
        with self._guard("cannot count the events"):
            cur = self._db().cursor()
            cur.execute("SELECT count(*) FROM events")
            row = cur.fetchone()
        return 0 if row is None else int(row[0])

    def snapshot(self, instance_id: str) -> tuple[InstanceSummary, list[Event]]:
        """The summary and the events of one instance, read from one snapshot (so the
        head matches the last event even while others append)."""
        with self._guard("cannot read"):
            conn = self._db()
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                summary = self.get(instance_id)
                events = self.load(instance_id)
        return summary, events

    def version(self, instance_id: str) -> int:
        with self._guard("cannot read"):
            cur = self._db().cursor()
            cur.execute("SELECT version FROM instances WHERE id = %s", (instance_id,))
            row = cur.fetchone()
        return 0 if row is None else int(row[0])

    def get(self, instance_id: str) -> InstanceSummary:
        with self._guard("cannot read"):
            cur = self._db().cursor()
            cur.execute(f"SELECT {SUMMARY_COLUMNS} FROM instances WHERE id = %s", (instance_id,))
            row = cur.fetchone()
        if row is None:
            raise UnknownInstanceError(instance_id, self.url)
        return summary_from_row(row, self.url)

    def instances(
        self,
        *,
        client: str | None = None,
        status: str | None = None,
        assignee: str | None = None,
        waiting_on: str | None = None,
        template: str | None = None,
        due_from: date | None = None,
        due_to: date | None = None,
        overdue_on: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[InstanceSummary]:
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("client", client),
            ("status", status),
            ("assignee", assignee),
            ("waiting_on", waiting_on),
            ("template_id", template),
        ):
            if value is not None:
                where.append(f"{column} = %s")
                params.append(value)
        if due_from is not None:
            where.append("due >= %s")
            params.append(due_from)
        if due_to is not None:
            where.append("due <= %s")
            params.append(due_to)
        if overdue_on is not None:
            where.append("due < %s AND status NOT IN ('completed', 'cancelled')")
            params.append(overdue_on)
        sql = f"SELECT {SUMMARY_COLUMNS} FROM instances"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY due, id"
        if limit is not None or offset:
            sql += " LIMIT %s OFFSET %s"
            params += [None if limit is None else max(int(limit), 0), int(offset)]
        with self._guard("cannot list the instances"):
            cur = self._db().cursor()
            cur.execute(sql, params)
            rows = cur.fetchall()
        return summaries_from_rows(rows, self.url)

    def states(self) -> list[InstanceState]:
        with self._guard("cannot list the instances"):
            cur = self._db().cursor()
            cur.execute(f"SELECT {STATE_COLUMNS} FROM instances")
            rows = cur.fetchall()
        return states_from_rows(rows, self.url)
