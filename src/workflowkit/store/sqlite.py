"""The embedded default event store: one SQLite file, stdlib ``sqlite3``, WAL mode.

- ``append`` is one ``BEGIN IMMEDIATE`` transaction: it takes the write lock, reads the
  instance's version and head, refuses a stale writer with ``ConflictError``, writes the
  events and the instance's summary, and commits. Either all of it is written or none.
- WAL mode lets readers read while one process writes; writers queue on the lock (up to
  ``timeout`` seconds), so several processes may share one file.
- ``synchronous=FULL``: a committed append survives a power cut, not just a crash.
- A process killed mid-append leaves an uncommitted transaction, which SQLite discards
  when the file is next opened: the store stays readable and consistent.

A store object may be shared by threads: each thread gets a connection of its own
(SQLite connections must not cross threads), opened on its first use. An in-memory store
is one private database, so it serves only the thread that made it (others get
``StoreThreadError``).

``read_only=True`` opens the file with SQLite's ``mode=ro``: it must exist, be a
workflowkit store, and it is never created, migrated or written (the auditor's mode,
which also works on a file the user may not write). A 0-byte file is never a store.
Any SQLite error while reading (a damaged page, a dropped table) is a
``DamagedStoreError`` naming the file and what is wrong.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from workflowkit.errors import StoreError
from workflowkit.review.canonical import GENESIS
from workflowkit.review.commands import Start
from workflowkit.review.events import Event
from workflowkit.store.errors import (
    ConflictError,
    DamagedStoreError,
    RejectedEventsError,
    SchemaVersionError,
    StoreThreadError,
    StoreUnavailableError,
    UnknownInstanceError,
)
from workflowkit.store.migrations import APPLICATION_ID, SCHEMA_VERSION, migrate, schema_version
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
from workflowkit.store.rows import STATE_COLUMNS as _STATE_COLUMNS
from workflowkit.store.rows import SUMMARY_COLUMNS as _SUMMARY_COLUMNS
from workflowkit.store.rows import check_outbox as _check_outbox
from workflowkit.store.rows import event_row as _event_row
from workflowkit.store.rows import start_template_hash as _template_hash
from workflowkit.store.rows import states_from_rows as _states
from workflowkit.store.rows import summaries_from_rows as _summaries
from workflowkit.store.rows import summary_from_row as _summary
from workflowkit.store.rows import summary_row as _row

_INSERT_SUMMARY = (
    f"INSERT INTO instances ({_SUMMARY_COLUMNS}) VALUES "
    f"({', '.join('?' * len(_SUMMARY_COLUMNS.split(',')))})"
)
_INSERT_EVENT = (
    "INSERT INTO events (instance_id, version, type, actor, at, prev, hash, body) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_CHUNK = 500  # keys per IN (...) query, well under SQLite's bound-parameter limit


def check_starts(practice: str, starts: Sequence[OccurrenceStart], cursor: datetime | None) -> None:
    """What ``start_occurrences`` is given is fit to write (else nothing is written)."""
    if not isinstance(practice, str) or not practice.strip():
        raise RejectedEventsError(str(practice), "the practice needs a name")
    if cursor is not None and (cursor.tzinfo is None or cursor.utcoffset() is None):
        raise RejectedEventsError(practice, "the cursor must be a timezone-aware moment")
    seen: set[str] = set()
    for s in starts:
        if not isinstance(s, OccurrenceStart):
            raise RejectedEventsError(practice, f"{s!r} is not an OccurrenceStart")
        if s.key in seen:
            raise RejectedEventsError(practice, f"occurrence {s.key} is given twice")
        seen.add(s.key)
        check_batch(s.event.instance, (s.event,), 0)
        if not isinstance(s.event.command, Start):
            raise RejectedEventsError(s.event.instance, "an occurrence starts with a start event")


def check_batch(instance_id: str, events: Sequence[Event], expected_version: int) -> None:
    """Events fit to append: this instance's, numbered on from ``expected_version``, each
    sealed after the one before, each hash matching its content (recomputed)."""
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise RejectedEventsError(instance_id, "expected_version must be a whole number")
    if expected_version < 0:
        raise RejectedEventsError(instance_id, "expected_version must be 0 or more")
    if not events:
        raise RejectedEventsError(instance_id, "there are no events to append")
    for n, e in enumerate(events):
        if not isinstance(e, Event):
            raise RejectedEventsError(instance_id, f"item {n} is not an Event")
        if e.instance != instance_id:
            raise RejectedEventsError(instance_id, f"event {n} belongs to {e.instance!r}")
        if e.version != expected_version + 1 + n:
            raise RejectedEventsError(
                instance_id,
                f"event {n} is version {e.version}; after version {expected_version} the "
                f"next is {expected_version + 1 + n}",
            )
        if n and e.prev != events[n - 1].hash:
            raise RejectedEventsError(instance_id, f"event {n} does not follow event {n - 1}")
        if e.computed_hash() != e.hash:
            raise RejectedEventsError(
                instance_id, f"event {n} (version {e.version}): its hash does not match it"
            )
    if expected_version == 0 and events[0].prev != GENESIS:
        raise RejectedEventsError(instance_id, "the first event must start the chain")


class SQLiteEventStore:
    """An :class:`~workflowkit.store.protocol.EventStore` in one SQLite file.

    ``create=False`` refuses to make a new file (a mistyped path is an error, not an
    empty store); so does ``read_only=True``, which also never migrates or writes.
    ``":memory:"`` gives a private in-memory store.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        timeout: float = 30.0,
        read_only: bool = False,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._timeout = timeout
        self._templates: dict[str, str] = {}  # hash -> text, a read cache
        self._filed: set[str] = set()  # hashes known to be committed in the file
        self._local = threading.local()  # this thread's connection and filing set
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._owner = threading.get_ident()
        self._closed = False
        memory = self._memory = self.path == ":memory:"
        if memory and read_only:
            raise StoreUnavailableError(self.path, "an in-memory store cannot be read-only")
        if not memory and (read_only or not create):
            file = Path(self.path)
            if not file.is_file():
                raise StoreUnavailableError(self.path, "no store here (give an existing file)")
            if file.stat().st_size == 0:
                raise StoreUnavailableError(
                    self.path, "the file is empty (0 bytes): it is not a store"
                )
        conn = self._open()
        try:
            if read_only:
                self.migrated_from = _readable(conn, self.path)
            else:
                if not memory:
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if str(mode).lower() != "wal":
                        raise StoreUnavailableError(self.path, f"cannot use WAL mode (got {mode})")
                self.migrated_from = migrate(conn, self.path)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreUnavailableError(self.path, f"not a usable store: {exc}") from None
        except BaseException:
            self.close()
            raise

    def _open(self) -> sqlite3.Connection:
        """A new connection for the calling thread."""
        try:
            if self.read_only:
                uri = "file:" + _uri_path(self.path) + "?mode=ro"
                conn = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=self._timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(
                    self.path,
                    timeout=self._timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
        except sqlite3.Error as exc:
            raise StoreUnavailableError(self.path, f"cannot open: {exc}") from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if self.read_only:
                conn.execute("PRAGMA query_only = ON")
            else:
                conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreUnavailableError(self.path, f"not a usable store: {exc}") from None
        self._local.conn = conn
        self._local.filing = set()
        with self._lock:
            self._conns.append(conn)
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        """The calling thread's connection (opened on its first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise StoreUnavailableError(self.path, "the store is closed")
        if self._memory:
            raise StoreThreadError(
                self.path,
                "an in-memory store serves only the thread that made it; give a file to "
                "share a store between threads",
            )
        conn = self._open()
        return conn

    @property
    def _filing(self) -> set[str]:
        """Template hashes written in this thread's open transaction."""
        self._conn  # noqa: B018 (makes the thread's state)
        filing: set[str] = self._local.filing
        return filing

    @contextmanager
    def _reading(self, what: str) -> Iterator[None]:
        """SQLite errors while reading become ``DamagedStoreError`` (or, for a busy or
        locked file, ``StoreUnavailableError``)."""
        try:
            yield
        except StoreError:
            raise
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StoreUnavailableError(self.path, f"{what}: {text}") from None
            raise DamagedStoreError(self.path, f"{what}: {text}") from None
        except sqlite3.DatabaseError as exc:
            raise DamagedStoreError(self.path, f"{what}: {exc}") from None

    # --- life cycle ------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            conn.close()
        self._local = threading.local()

    def __enter__(self) -> SQLiteEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteEventStore({self.path!r})"

    # --- writing ---------------------------------------------------------------------

    def append(self, instance_id: str, events: Sequence[Event], expected_version: int) -> int:
        batch = tuple(events)
        check_batch(instance_id, batch, expected_version)
        rows = [_event_row(e) for e in batch]
        self._writable()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailableError(self.path, f"the store is busy: {exc}") from None
        try:
            found = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM instances WHERE id = ?", (instance_id,)
            ).fetchone()
            current = None if found is None else _summary(found, self.path)
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
            self._write(instance_id, rows, summary, current is None)
            self._commit()
        except sqlite3.DatabaseError as exc:
            self._rollback()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StoreUnavailableError(self.path, f"the store is busy: {exc}") from None
            raise DamagedStoreError(self.path, f"cannot append to {instance_id!r}: {exc}") from None
        except BaseException:
            self._rollback()
            raise
        return summary.version

    def _write(
        self,
        instance_id: str,
        rows: list[tuple[Any, ...]],
        summary: InstanceSummary,
        new: bool,
    ) -> None:
        """Write the summary and the event rows (inside ``append``'s transaction)."""
        conn = self._conn
        if new:
            rows[0] = self._packed(rows[0])
        values = _row(summary)
        if new:
            conn.execute(_INSERT_SUMMARY, values)
        else:
            sets = ", ".join(f"{c.strip()} = ?" for c in _SUMMARY_COLUMNS.split(",")[1:])
            conn.execute(f"UPDATE instances SET {sets} WHERE id = ?", (*values[1:], instance_id))
        conn.executemany(_INSERT_EVENT, [r[:-1] for r in rows])

    def _packed(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """A start event's row with its template filed once under its hash."""
        event: Event = row[-1]
        body, digest, text = pack(event, row[-2])
        if digest is not None and digest not in self._filed:
            self._conn.execute(
                "INSERT OR IGNORE INTO templates (hash, body) VALUES (?, ?)", (digest, text)
            )
            self._templates[digest] = str(text)
            self._filing.add(digest)
        return (*row[:-2], body, event)

    def _commit(self) -> None:
        self._conn.execute("COMMIT")
        self._filed |= self._filing
        self._filing.clear()

    def _rollback(self) -> None:
        self._filing.clear()
        if self._conn.in_transaction:
            with suppress(sqlite3.DatabaseError):  # a damaged file: discarded on close
                self._conn.execute("ROLLBACK")

    def _writable(self) -> None:
        if self.read_only:
            raise StoreUnavailableError(self.path, "the store was opened read-only")

    # --- occurrences -----------------------------------------------------------------

    def occurrences(self, keys: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(keys))
        out: dict[str, str] = {}
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            out.update(
                self._conn.execute(
                    f"SELECT key, instance_id FROM occurrences WHERE key IN ({marks})", chunk
                ).fetchall()
            )
        return out

    def _present(self, table: str, column: str, values: list[str]) -> set[str]:
        """Which of ``values`` the table's (unique) ``column`` holds."""
        out: set[str] = set()
        for i in range(0, len(values), _CHUNK):
            chunk = values[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", chunk
            ).fetchall()
            out.update(r[0] for r in rows)
        return out

    def cursor(self, practice: str) -> datetime | None:
        with self._reading("cannot read the cursor"):
            row = self._conn.execute(
                "SELECT until FROM cursors WHERE practice = ?", (practice,)
            ).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def start_occurrences(
        self,
        practice: str,
        starts: Sequence[OccurrenceStart],
        *,
        cursor: datetime | None = None,
    ) -> dict[str, str]:
        check_starts(practice, starts, cursor)
        self._writable()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailableError(self.path, f"the store is busy: {exc}") from None
        outcome: dict[str, str] = {}
        try:
            keys = self._present("occurrences", "key", [s.key for s in starts])
            ids = self._present("instances", "id", [s.event.instance for s in starts])
            summaries, events, occurrences = [], [], []
            for s in starts:
                e = s.event
                if s.key in keys:
                    outcome[s.key] = EXISTED
                    continue
                if e.instance in ids:
                    outcome[s.key] = ID_TAKEN
                    continue
                summaries.append(_row(summarize(None, e)))
                events.append(self._packed(_event_row(e))[:-1])
                occurrences.append(
                    (s.key, practice, s.workflow, e.instance, _template_hash(e), e.at.isoformat())
                )
                outcome[s.key] = STARTED
                keys.add(s.key)
                ids.add(e.instance)
            conn.executemany(_INSERT_SUMMARY, summaries)
            conn.executemany(_INSERT_EVENT, events)
            conn.executemany(
                "INSERT INTO occurrences (key, practice, workflow, instance_id, "
                "template_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                occurrences,
            )
            if cursor is not None:
                until = cursor.astimezone(UTC).isoformat()
                conn.execute(
                    "INSERT INTO cursors (practice, until) VALUES (?, ?) ON CONFLICT (practice) "
                    "DO UPDATE SET until = max(until, excluded.until)",
                    (practice, until),
                )
            self._commit()
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise StoreUnavailableError(self.path, f"cannot start the occurrences: {exc}") from None
        except BaseException:
            self._rollback()
            raise
        return outcome

    # --- the notification outbox ---------------------------------------------------

    def notify_cursor(self) -> dict[str, int]:
        rows = self._conn.execute("SELECT instance_id, version FROM notify_cursor").fetchall()
        return {str(i): int(v) for i, v in rows}

    def enqueue_notifications(
        self,
        entries: Sequence[tuple[str, str]],
        *,
        created: datetime,
        cursor: Mapping[str, int] | None = None,
    ) -> list[str]:
        todo, moves = _check_outbox(entries, created, cursor)
        when = created.astimezone(UTC).isoformat()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailableError(self.path, f"the store is busy: {exc}") from None
        queued: list[str] = []
        try:
            for nid, payload in todo:
                cur = conn.execute(
                    "INSERT INTO outbox (id, payload, created) VALUES (?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING",
                    (nid, payload, when),
                )
                if cur.rowcount == 1:
                    queued.append(nid)
            conn.executemany(
                "INSERT INTO notify_cursor (instance_id, version) VALUES (?, ?) "
                "ON CONFLICT (instance_id) DO UPDATE SET version = max(version, excluded.version)",
                sorted(moves.items()),
            )
            self._commit()
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise StoreUnavailableError(self.path, f"cannot queue notifications: {exc}") from None
        except BaseException:
            self._rollback()
            raise
        return queued

    def pending_notifications(self, limit: int | None = None) -> list[OutboxEntry]:
        rows = self._conn.execute(
            "SELECT id, payload, created FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?",
            (-1 if limit is None else max(int(limit), 0),),
        ).fetchall()
        return [OutboxEntry(str(i), str(p), datetime.fromisoformat(c)) for i, p, c in rows]

    def mark_sent(self, ids: Sequence[str], at: datetime) -> list[str]:
        if not isinstance(at, datetime) or at.utcoffset() is None:
            raise RejectedEventsError("outbox", "sent_at must be a timezone-aware moment")
        when = at.astimezone(UTC).isoformat()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreUnavailableError(self.path, f"the store is busy: {exc}") from None
        marked: list[str] = []
        try:
            for nid in dict.fromkeys(ids):
                cur = conn.execute(
                    "UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL", (when, nid)
                )
                if cur.rowcount == 1:
                    marked.append(nid)
            self._commit()
        except BaseException:
            self._rollback()
            raise
        return marked

    # --- reading ---------------------------------------------------------------------

    def _template(self, digest: str) -> str:
        text = self._templates.get(digest)
        if text is None:
            row = self._conn.execute(
                "SELECT body FROM templates WHERE hash = ?", (digest,)
            ).fetchone()
            if row is None:
                raise StoreUnavailableError(self.path, f"template {digest} is missing")
            text = self._templates[digest] = str(row[0])
        return text

    def load(self, instance_id: str) -> list[Event]:
        with self._reading(f"cannot load instance {instance_id!r}"):
            rows = self._conn.execute(
                "SELECT type, body FROM events WHERE instance_id = ? ORDER BY version",
                (instance_id,),
            ).fetchall()
            if not rows:
                raise UnknownInstanceError(instance_id, self.path)
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
        rows: list[tuple[str, str, str]] = []
        with self._reading("cannot load the instances"):
            step = _CHUNK - len(kinds or ())
            for n in range(0, len(ids), step):
                chunk = ids[n : n + step]
                sql = (
                    "SELECT instance_id, type, body FROM events "
                    f"WHERE instance_id IN ({', '.join('?' * len(chunk))})"
                )
                params: list[str] = list(chunk)
                if kinds is not None:
                    sql += f" AND type IN ({', '.join('?' * len(kinds))})"
                    params += kinds
                sql += " ORDER BY instance_id, version"
                rows.extend(self._conn.execute(sql, params).fetchall())
            bodies = [
                (i, unpack(body, self._template) if kind == "start" else body)
                for i, kind, body in rows
            ]
        out: dict[str, list[Event]] = {}
        for i, body in bodies:
            out.setdefault(i, []).append(Event.from_json(body))
        return out

    def heads(self) -> dict[str, tuple[int, str]]:
        """Every instance's last event, as the events table holds it: ``{id: (version,
        hash)}`` (not the summary rows, which a writer may change apart)."""
        with self._reading("cannot read the heads"):
            rows = self._conn.execute(
                "SELECT instance_id, max(version), hash FROM events GROUP BY instance_id"
            ).fetchall()
        return {str(i): (int(v), str(h)) for i, v, h in rows}

    def count_events(self) -> int:
        """How many events the store holds."""
        with self._reading("cannot count the events"):
            return int(self._conn.execute("SELECT count(*) FROM events").fetchone()[0])

    def snapshot(self, instance_id: str) -> tuple[InstanceSummary, list[Event]]:
        """The summary and the events of one instance, read in one transaction (so the
        head matches the last event even while others append)."""
        conn = self._conn
        with self._reading(f"cannot read instance {instance_id!r}"):
            conn.execute("BEGIN")
            try:
                summary = self.get(instance_id)
                events = self.load(instance_id)
            finally:
                conn.execute("COMMIT")
        return summary, events

    def version(self, instance_id: str) -> int:
        with self._reading(f"cannot read instance {instance_id!r}"):
            row = self._conn.execute(
                "SELECT version FROM instances WHERE id = ?", (instance_id,)
            ).fetchone()
        return 0 if row is None else int(row[0])

    def get(self, instance_id: str) -> InstanceSummary:
        with self._reading(f"cannot read instance {instance_id!r}"):
            row = self._conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM instances WHERE id = ?", (instance_id,)
            ).fetchone()
        if row is None:
            raise UnknownInstanceError(instance_id, self.path)
        return _summary(row, self.path)

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
                where.append(f"{column} = ?")
                params.append(value)
        if due_from is not None:
            where.append("due >= ?")
            params.append(due_from.isoformat())
        if due_to is not None:
            where.append("due <= ?")
            params.append(due_to.isoformat())
        if overdue_on is not None:
            where.append("due < ? AND status NOT IN ('completed', 'cancelled')")
            params.append(overdue_on.isoformat())
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM instances"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY due, id"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else int(limit), int(offset)]
        with self._reading("cannot list the instances"):
            rows = self._conn.execute(sql, params).fetchall()
        return _summaries(rows, self.path)

    def states(self) -> list[InstanceState]:
        with self._reading("cannot list the instances"):
            rows = self._conn.execute(f"SELECT {_STATE_COLUMNS} FROM instances").fetchall()
        return _states(rows, self.path)

    def integrity(self) -> str:
        """SQLite's own check of the file (``"ok"`` when sound; else what is damaged)."""
        with self._reading("cannot check the file"):
            rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        return "; ".join(str(r[0]) for r in rows)


def _uri_path(path: str) -> str:
    """``path`` for a ``file:`` URI (``?`` and ``#`` escaped)."""
    from urllib.parse import quote

    return quote(os.path.abspath(path), safe="/:")


def _readable(conn: sqlite3.Connection, path: str) -> int:
    """The schema version of a store opened read-only; refuses what is not a store, or
    one too old to read without migrating (nothing is changed)."""
    found = schema_version(conn)
    app = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if app != APPLICATION_ID or found == 0:
        raise SchemaVersionError(
            path, found, SCHEMA_VERSION, f"{path}: this SQLite database is not a workflowkit store"
        )
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(path, found, SCHEMA_VERSION)
    if found < 3:
        raise SchemaVersionError(
            path,
            found,
            SCHEMA_VERSION,
            f"{path}: the store has schema version {found}; open it once with a command that "
            "writes (it migrates), then read it read-only",
        )
    return found
