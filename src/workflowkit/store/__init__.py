"""The event store: the ``EventStore`` protocol, its SQLite implementation (the embedded
default) and its PostgreSQL one (``pip install "workflowkit[postgres]"``).

    with open_store("practice.db") as store:  # or a postgresql:// URL
        store.append(inst.id, [event], expected_version=0)
        events = store.load(inst.id)
        late = store.instances(overdue_on=today)

Only the CLI and the user's code import this package; the engines never do.
"""

from workflowkit.store.errors import (
    ConflictError,
    DamagedStoreError,
    DriverMissingError,
    RejectedEventsError,
    SchemaVersionError,
    StoreThreadError,
    StoreUnavailableError,
    UnknownInstanceError,
)
from workflowkit.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, migrate
from workflowkit.store.postgres import PostgresEventStore
from workflowkit.store.protocol import EventStore, InstanceState, InstanceSummary, summarize
from workflowkit.store.sqlite import SQLiteEventStore
from workflowkit.store.url import is_postgres_url, open_store

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ConflictError",
    "DamagedStoreError",
    "DriverMissingError",
    "EventStore",
    "InstanceState",
    "InstanceSummary",
    "Migration",
    "PostgresEventStore",
    "RejectedEventsError",
    "SQLiteEventStore",
    "SchemaVersionError",
    "StoreThreadError",
    "StoreUnavailableError",
    "UnknownInstanceError",
    "is_postgres_url",
    "migrate",
    "open_store",
    "summarize",
]
