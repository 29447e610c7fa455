"""The errors of the event store, each naming the instance and what went wrong."""

from __future__ import annotations

from workflowkit.errors import NotFoundError, StoreError


class ConflictError(StoreError):
    """A stale writer: the instance is not at the version the writer expected.

    Nothing of the writer's events was written. Reload, re-apply, and try again.
    """

    def __init__(self, instance: str, expected: int, actual: int) -> None:
        self.instance = instance
        self.expected = expected
        self.actual = actual
        what = "does not exist yet" if actual == 0 else f"is at version {actual}"
        if expected == 0 and actual > 0:
            what = f"already exists (version {actual})"
        super().__init__(
            f"instance {instance!r} {what}, but the events were made for version "
            f"{expected}; nothing was written"
        )


class UnknownInstanceError(StoreError, NotFoundError):
    """No instance with that id in the store.

    The message names the instance only: the store's file path or URL (kept in
    ``where``) is the caller's to show, and a URL may hold a password.
    """

    def __init__(self, instance: str, where: str = "") -> None:
        self.instance = instance
        self.where = where
        super().__init__(f"no instance {instance!r} in the store")


class RejectedEventsError(StoreError):
    """Events that cannot be appended: another instance's, out of order, or not sealed."""

    def __init__(self, instance: str, reason: str) -> None:
        self.instance = instance
        self.reason = reason
        super().__init__(f"cannot append to {instance!r}: {reason}; nothing was written")


class SchemaVersionError(StoreError):
    """The database was written by a newer workflowkit (or is not a workflowkit store)."""

    def __init__(self, path: str, found: int, supported: int, reason: str = "") -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            reason
            or f"{path}: the store has schema version {found}, this workflowkit knows up to "
            f"{supported}; upgrade workflowkit to open it"
        )


class StoreUnavailableError(StoreError):
    """The store cannot be opened or used: missing, not a database, or locked too long."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class DriverMissingError(StoreUnavailableError):
    """The store needs a database driver that is not installed (an optional extra)."""

    def __init__(self, path: str, extra: str, driver: str) -> None:
        self.extra = extra
        self.driver = driver
        super().__init__(
            path,
            f"this store needs {driver}, which is not installed: "
            f'pip install "workflowkit[{extra}]"',
        )


class DamagedStoreError(StoreUnavailableError):
    """The store opened, but what it holds cannot be read: a damaged page, a table gone,
    a row that is not what the store writes. Names the store and what is wrong."""


class StoreThreadError(StoreUnavailableError):
    """A store object used from a thread it cannot serve (an in-memory SQLite store lives
    in the thread that made it)."""
