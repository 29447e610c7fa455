"""Errors of the insights engine: unreadable snapshots, unknown checks, bad parameters."""

from __future__ import annotations

from collections.abc import Sequence

from workflowkit.errors import DocumentError, InsightsError, NotFoundError


class SnapshotError(DocumentError, InsightsError):
    """A ledger snapshot (file, folder or source) could not be read.

    Carries every located diagnostic found (codes WK601 to WK606), so a person can fix
    all of them at once.
    """


class UnknownDataCheckError(NotFoundError, InsightsError):
    """No data check is registered under this id."""

    def __init__(self, check_id: str, known: Sequence[str]) -> None:
        self.check_id = check_id
        self.known = tuple(sorted(known))
        super().__init__(
            f"unknown data check {check_id!r} (known: {', '.join(self.known) or 'none'})"
        )


class CheckParamsError(InsightsError):
    """The parameters given to a data check do not fit its parameter model."""

    def __init__(self, check_id: str, problems: Sequence[tuple[str, str]]) -> None:
        self.check_id = check_id
        self.problems = tuple(problems)
        detail = "; ".join(msg for _, msg in self.problems)
        super().__init__(f"invalid parameters for data check {check_id!r}: {detail}")


class CheckDateError(InsightsError):
    """A reporting date (or a date the checks derive from it) is outside the calendar range
    the checks support (WK609): ``checks run --as-of 9999-12-31`` is refused, never an
    ``OverflowError``."""

    code = "WK609"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.code} {message}")
