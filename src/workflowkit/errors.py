"""One root exception, structured subclasses, and the located ``Diagnostic``.

Every problem workflowkit reports about a user's input is either a :class:`Diagnostic`
(collected, never raised, by the validators) or a subclass of :class:`WorkflowkitError`
(raised by the engines on an impossible request). Messages name the file, line and
column, or the rule, field and layer, so a person can act on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ParamSpec, TypeVar


class Severity(StrEnum):
    """How bad a diagnostic is. ``--strict`` turns warnings into errors."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located problem in one document.

    ``line`` and ``col`` are 1-based (as editors show them); ``pointer`` is an RFC 6901
    JSON pointer into the document (``/checks/3/id``); ``code`` is stable and listed in
    ``docs/diagnostics.md``.
    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    pointer: str = ""
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def format(self) -> str:
        """``file:line:col: CODE message`` (parts that are unknown are left out)."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        text = f"{where}: {self.code} {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-ready data: every field, ``severity`` as its text."""
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "pointer": self.pointer,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("Diagnostic.to_dict()", "to_data()")
        return self.to_data()

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file or "", self.line or 0, self.col or 0, self.code)


class WorkflowkitError(Exception):
    """The root of every error workflowkit raises on purpose."""


@dataclass(eq=False)
class DocumentError(WorkflowkitError):
    """A document (file or text) could not be turned into a valid spec.

    Carries every diagnostic found, so a caller can show all of them at once.
    """

    diagnostics: tuple[Diagnostic, ...]
    summary: str = field(default="")

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = self.summary or f"{len(self.diagnostics)} problem(s)"
        lines = [head, *(d.format() for d in self.diagnostics[:20])]
        if len(self.diagnostics) > 20:
            lines.append(f"... and {len(self.diagnostics) - 20} more")
        return "\n".join(lines)

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic], summary: str = "") -> DocumentError:
        return cls(tuple(diagnostics), summary)


class NotFoundError(WorkflowkitError):
    """A named thing (template, check, client, data check, instance) does not exist."""


class CalendarError(WorkflowkitError):
    """An impossible date request: a stagger of 4, an end before its start, a bad cron."""


class ReviewError(WorkflowkitError):
    """Base class for review state machine and audit trail errors."""


class StoreError(WorkflowkitError):
    """Base class for event store errors."""


class RuleError(WorkflowkitError):
    """Base class for rules and automation errors (names the rule, field and layer)."""


class RunError(WorkflowkitError):
    """Running the practice (``workflowkit.run``) cannot go ahead as asked."""


class InsightsError(WorkflowkitError):
    """Base class for ledger snapshot and intelligent check errors."""


class ArgumentTypeError(WorkflowkitError, TypeError):
    """A public function was given a value of the wrong type: a ``str`` where a
    :class:`~datetime.date` is due, a ``CheckLibrary`` among the templates. Names the
    function and the argument, and says what to pass instead.

    Also a :class:`TypeError`, so code that caught the bare ``TypeError`` still does.
    """

    def __init__(
        self, function: str, argument: str, expected: str, value: object, hint: str | None = None
    ) -> None:
        self.function = function
        self.argument = argument
        self.expected = expected
        self.value = value
        ident = getattr(value, "id", None)
        shown = repr(ident) if isinstance(ident, str) else repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        message = (
            f"{function}(): {argument} must be a {expected}, got {type(value).__name__} {shown}"
        )
        if hint is None and expected in ("date", "datetime"):
            hint = _conversion_hint(expected, value)
        super().__init__(message + (f": {hint}" if hint else ""))


def _conversion_hint(expected: str, value: object) -> str:
    """How to turn ``value`` into what is due, when it is text that reads as one."""
    from datetime import date, datetime

    example = (
        "date(2016, 4, 11)" if expected == "date" else "datetime(2026, 4, 11, 9, 0, tzinfo=UTC)"
    )
    if not isinstance(value, str):
        return f"pass a {expected} object, e.g. {example}"
    text = value.strip()
    try:
        if expected == "date":
            date.fromisoformat(text)
            return f"pass date.fromisoformat({text!r})"
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"pass a {expected} object, e.g. {example}"
    if moment.tzinfo is None:
        return f"pass datetime.fromisoformat({text!r}) with a timezone (e.g. +00:00)"
    return f"pass datetime.fromisoformat({text!r})"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def checked_dates(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Check, on each call, that the arguments annotated ``date`` or ``datetime`` (either
    optional) are one; raise :class:`ArgumentTypeError` naming the argument otherwise.

    For the public entry points: a ``str`` there would otherwise fail deep inside with
    ``'str' object has no attribute 'year'``, or compare wrongly. A ``datetime`` where a
    ``date`` is due is refused too (Python counts it a date, but date arithmetic on it
    fails or keeps a time of day): pass its ``.date()``.
    """
    import functools
    import inspect
    from datetime import date, datetime

    wanted: list[tuple[str, int | None, type, bool]] = []
    for index, (name, param) in enumerate(inspect.signature(func).parameters.items()):
        note = param.annotation
        text = note if isinstance(note, str) else getattr(note, "__name__", str(note))
        parts = [p.strip() for p in text.split("|")]
        optional = "None" in parts
        kinds = [p.removeprefix("dt.").removeprefix("datetime.") for p in parts if p != "None"]
        if kinds not in (["date"], ["datetime"]):
            continue
        positional = param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD)
        kind = date if kinds == ["date"] else datetime
        wanted.append((name, index if positional else None, kind, optional))
    if not wanted:
        raise TypeError(f"{func.__qualname__} has no date or datetime argument to check")
    qualname = func.__qualname__

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        for name, index, kind, optional in wanted:
            if index is not None and index < len(args):
                value = args[index]
            elif name in kwargs:
                value = kwargs[name]
            else:
                continue
            if isinstance(value, kind):
                if kind is date and isinstance(value, datetime):
                    raise ArgumentTypeError(
                        qualname, name, "date", value, "pass its .date() (a date, no time)"
                    )
            elif not (optional and value is None):
                raise ArgumentTypeError(qualname, name, kind.__name__, value)
        return func(*args, **kwargs)

    return wrapper


RENAMED_IN: str = "0.2"
"""The version that renamed the plain-data methods to ``to_data()``."""
REMOVED_IN: str = "0.3"
"""The version that drops the old names (``to_dict()``), one minor version on."""


def warn_renamed(old: str, new: str) -> None:
    """Warn (``DeprecationWarning``, at the caller's caller) that ``old`` is now ``new``.

    For the deprecated aliases kept for one minor version: ``Occurrence.to_dict()`` calls
    ``warn_renamed("Occurrence.to_dict()", "to_data()")`` and returns ``to_data()``.
    """
    import warnings

    warnings.warn(
        f"{old} is deprecated since workflowkit {RENAMED_IN} and goes in {REMOVED_IN}: use {new}",
        DeprecationWarning,
        stacklevel=3,
    )
