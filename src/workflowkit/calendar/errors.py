"""Typed errors of the calendar: each names what was asked and why it cannot be answered."""

from __future__ import annotations

from datetime import date

from workflowkit.errors import CalendarError, NotFoundError


class InvalidPeriodError(CalendarError):
    """A period (or window) whose end is before its start, or that is too long."""

    def __init__(self, start: date, end: date, what: str = "period", reason: str = "") -> None:
        self.start = start
        self.end = end
        self.what = what
        self.reason = reason or f"ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        super().__init__(f"{what} {start.isoformat()}..{end.isoformat()}: {self.reason}")


class InvalidStaggerError(CalendarError):
    """A VAT stagger outside 0 (monthly) to 3."""

    def __init__(self, stagger: object) -> None:
        self.stagger = stagger
        super().__init__(
            f"VAT stagger {stagger!r} does not exist: use 0 (monthly), 1 (quarters ending "
            "Mar/Jun/Sep/Dec), 2 (Apr/Jul/Oct/Jan) or 3 (May/Aug/Nov/Feb)"
        )


class InvalidTaxPeriodError(CalendarError):
    """A tax year or tax month given in a form that cannot be read."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r}: {reason}")


class InvalidCronError(CalendarError):
    """A cron expression that is malformed, fires more than once a day, or almost never."""

    def __init__(self, expression: str, reason: str, code: str = "WK310") -> None:
        self.expression = expression
        self.reason = reason
        self.code = code
        super().__init__(f"cron {expression!r}: {reason}")


class MissingClientDataError(CalendarError):
    """A client lacks the date or registration a trigger or deadline needs."""

    def __init__(self, client: str, field: str, needed_by: str) -> None:
        self.client = client
        self.field = field
        self.needed_by = needed_by
        super().__init__(f"client {client!r} has no {field}, which {needed_by} needs")


class NotApplicableError(CalendarError):
    """A deadline that does not apply to a client (Companies House accounts of a sole trader)."""

    def __init__(self, client: str, deadline: str, reason: str) -> None:
        self.client = client
        self.deadline = deadline
        self.reason = reason
        super().__init__(f"deadline {deadline!r} does not apply to client {client!r}: {reason}")


class NaiveDatetimeError(CalendarError):
    """A moment given without a timezone where an aware datetime is required."""

    def __init__(self, argument: str) -> None:
        self.argument = argument
        super().__init__(
            f"{argument} must be timezone-aware "
            "(e.g. datetime(..., tzinfo=ZoneInfo('Europe/London')))"
        )


class UnknownReferenceError(NotFoundError):
    """A workflow names a client or template (version) that does not exist."""

    def __init__(self, workflow: str, kind: str, name: str, detail: str = "") -> None:
        self.workflow = workflow
        self.kind = kind
        self.name = name
        self.detail = detail
        extra = f" ({detail})" if detail else ""
        super().__init__(f"workflow {workflow!r} names unknown {kind} {name!r}{extra}")


class DateOutOfRangeError(CalendarError):
    """A date so near the end (or start) of the calendar that a rule cannot be computed.

    ``datetime.date`` stops at 9999-12-31; a deadline months after a date in 9999 does not
    exist. The error names the date and the rule, instead of Python's raw
    ``OverflowError`` or ``ValueError``. ``validate`` refuses dates after
    :data:`~workflowkit.calendar.dates.LATEST_DATE` in client lists and workflows (WK330)
    so that ``plan`` never meets one.
    """

    def __init__(self, value: date, rule: str, detail: str = "") -> None:
        self.value = value
        self.rule = rule
        self.detail = detail
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"{rule}: cannot be computed from {value.isoformat()}: the result falls outside "
            f"the calendar (dates run from 0001-01-01 to 9999-12-31){extra}"
        )
