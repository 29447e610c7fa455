"""The event store: the ``EventStore`` protocol and its SQLite implementation.

    with SQLiteEventStore("practice.db") as store:
        store.append(inst.id, [event], expected_version=0)
        events = store.load(inst.id)
        late = store.instances(overdue_on=today)

Only the CLI and the user's code import this package; the engines never do.
"""

from workflowkit.store.errors import (
    ConflictError,
    RejectedEventsError,
    SchemaVersionError,
    StoreUnavailableError,
    UnknownInstanceError,
)
from workflowkit.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, migrate
from workflowkit.store.protocol import EventStore, InstanceSummary, summarize
from workflowkit.store.sqlite import SQLiteEventStore

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ConflictError",
    "EventStore",
    "InstanceSummary",
    "Migration",
    "RejectedEventsError",
    "SQLiteEventStore",
    "SchemaVersionError",
    "StoreUnavailableError",
    "UnknownInstanceError",
    "migrate",
    "summarize",
]
