"""One way to name a store: a file path (SQLite) or a ``postgresql://`` URL.

    store = open_store("practice.db")                      # SQLite, the embedded default
    store = open_store("postgresql://wk@db.internal/firm")  # PostgreSQL (the extra)

``--db`` and ``$WORKFLOWKIT_DB`` take the same strings.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from workflowkit.store.postgres import PostgresEventStore
    from workflowkit.store.sqlite import SQLiteEventStore

    Store: TypeAlias = SQLiteEventStore | PostgresEventStore

POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")


def is_postgres_url(url: str | os.PathLike[str]) -> bool:
    """Whether ``url`` names a PostgreSQL store (else it is a SQLite file or ``:memory:``)."""
    return isinstance(url, str) and url.lower().startswith(POSTGRES_SCHEMES)


def open_store(
    url: str | os.PathLike[str], *, create: bool = True, read_only: bool = False
) -> Store:
    """The store ``url`` names: a ``postgresql://`` (or ``postgres://``) URL opens a
    :class:`~workflowkit.store.postgres.PostgresEventStore`; anything else is a SQLite
    file path (or ``":memory:"``) for a :class:`~workflowkit.store.sqlite.SQLiteEventStore`.

    ``create=False`` refuses to make a new store (a mistyped name is an error, not an
    empty store). ``read_only=True`` never creates, migrates or writes: SQLite opens the
    file with ``mode=ro`` and PostgreSQL runs read-only transactions, so a read-only file
    or a role with only ``SELECT`` grants will do. Both are
    :class:`~workflowkit.store.protocol.EventStore` objects and context managers.
    """
    if is_postgres_url(url):
        from workflowkit.store.postgres import PostgresEventStore

        return PostgresEventStore(str(url), create=create, read_only=read_only)
    from workflowkit.store.sqlite import SQLiteEventStore

    return SQLiteEventStore(url, create=create, read_only=read_only)
