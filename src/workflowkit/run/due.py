"""The pure step of ``run``: which occurrences are due to start, and which cannot be.

:func:`due` takes the practice, the window ``(since, until]`` and what the store already
holds (occurrence keys, and the instances a one-off may be covering), and returns the
occurrences to start, in due-date order, with those that already have an instance and
those skipped, each skip a located :class:`~workflowkit.errors.Diagnostic`. It reads no
file, no clock and no database: the edge (:mod:`workflowkit.run.materialise`) does that.

A problem stays with what it concerns: a workflow whose template resolves to nothing is
skipped (``WK701``), a client lacking the data the trigger needs is skipped for that
workflow (``WK702``); every other workflow and client goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import attrgetter

from workflowkit.calendar.dates import ONE_DAY, add_months
from workflowkit.calendar.errors import MissingClientDataError, NotApplicableError
from workflowkit.calendar.models import Workflow
from workflowkit.calendar.plan import ClientIndex, Occurrence, catch_up
from workflowkit.calendar.practice import Practice
from workflowkit.errors import Diagnostic, NotFoundError, Severity, WorkflowkitError, checked_dates
from workflowkit.review.engine import default_instance_id

Locate = Callable[[str, str], tuple[str | None, int | None, int | None]]


@lru_cache(maxsize=8192)
def period_label(start: date, end: date) -> str:
    """A period as people write it: ``2026-11`` for a calendar month, ``2026`` for a
    calendar year, else ``2026-10-01..2026-12-31`` (one label per period, never two)."""
    if start.day == 1 and end == add_months(start, 1) - ONE_DAY:
        return f"{start.year:04d}-{start.month:02d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}"
    return f"{start.isoformat()}..{end.isoformat()}"


def instance_id(occurrence: Occurrence) -> str:
    """``client/workflow/period``: the id of the instance ``run`` starts for an
    occurrence. Stable, like the occurrence key, and readable on the command line."""
    label = period_label(occurrence.period_start, occurrence.period_end)
    return default_instance_id(
        occurrence.template, occurrence.client, label, workflow=occurrence.workflow
    )


@dataclass(frozen=True, slots=True)
class Due:
    """What :func:`due` found in a window."""

    to_start: tuple[Occurrence, ...]
    """Occurrences with no instance yet, soonest due first."""
    existing: tuple[tuple[Occurrence, str], ...]
    """Occurrences whose instance the store has, with its id."""
    covered: tuple[tuple[Occurrence, str], ...]
    """One-off occurrences whose client and period another workflow's instance covers."""


def skip(locate: Locate, workflow: str, pointer: str, code: str, message: str) -> Diagnostic:
    """A run's located diagnostic about one workflow (a warning: the run goes on)."""
    file, line, col = locate(f"workflow:{workflow}", pointer)
    return Diagnostic(
        code=code,
        message=message,
        file=file,
        line=line,
        col=col,
        pointer=pointer,
        severity=Severity.WARNING,
    )


def _occurrences(
    practice: Practice, workflow: Workflow, since: datetime, until: datetime
) -> tuple[list[Occurrence], list[Diagnostic]]:
    """One workflow's occurrences created in ``(since, until]``, client by client when a
    client cannot take the trigger, so one client's gap skips only that client."""
    locate = practice.locate

    def window(clients: object) -> list[Occurrence]:
        return catch_up(
            [workflow],
            practice.templates,
            clients,  # type: ignore[arg-type]
            since=since,
            now=until,
            holidays=practice.holidays,
        )

    try:
        return window(practice.clients), []
    except (MissingClientDataError, NotApplicableError):
        pass  # find which clients, below
    except NotFoundError as exc:  # the template or its version range
        return [], [
            skip(
                locate,
                workflow.id,
                "/template",
                "WK701",
                f"workflow {workflow.id!r} skipped: {exc}",
            )
        ]
    found: list[Occurrence] = []
    skips: list[Diagnostic] = []
    for client in ClientIndex(practice.clients).select(workflow):
        try:
            found.extend(window([client]))
        except (MissingClientDataError, NotApplicableError) as exc:
            skips.append(
                skip(
                    locate,
                    workflow.id,
                    "/clients",
                    "WK702",
                    f"workflow {workflow.id!r} skipped client {client.id!r}: {exc}",
                )
            )
    return found, skips


@checked_dates
def occurrences_between(
    practice: Practice, since: datetime, until: datetime
) -> tuple[list[Occurrence], list[Diagnostic]]:
    """Every occurrence created in ``(since, until]``, soonest due first, and the skips."""
    out: list[Occurrence] = []
    skips: list[Diagnostic] = []
    for workflow in practice.workflows:
        try:
            found, problems = _occurrences(practice, workflow, since, until)
        except WorkflowkitError as exc:  # anything else this workflow cannot plan
            found, problems = (
                [],
                [
                    skip(
                        practice.locate,
                        workflow.id,
                        "",
                        "WK701",
                        f"workflow {workflow.id!r} skipped: {exc}",
                    )
                ],
            )
        out.extend(found)
        skips.extend(problems)
    out.sort(key=attrgetter("due_on", "create_at", "workflow", "client", "period_start"))
    return out, skips


def due(
    practice: Practice,
    occurrences: list[Occurrence],
    *,
    existing: Mapping[str, str],
    covering: Mapping[tuple[str, str, str], str],
) -> Due:
    """Split ``occurrences`` into those to start, those started already, and one-offs
    another workflow covers.

    ``existing`` maps occurrence keys to the instance the store started for them;
    ``covering`` maps ``(client, template id, period label)`` to an instance the store
    holds for it; with the repeating occurrences in ``occurrences`` themselves, it says
    which one-offs are covered already (a one-off is how a practice covers a client who
    was missed in a repeating workflow, so it never doubles one that was not).
    """
    to_start: list[Occurrence] = []
    have: list[tuple[Occurrence, str]] = []
    covered: list[tuple[Occurrence, str]] = []
    one_offs = {w.id for w in practice.workflows if w.one_off is not None}
    # A repeating occurrence in this same window covers a one-off as an instance would.
    planned = dict(covering)
    for o in occurrences:
        if o.workflow not in one_offs:
            label = period_label(o.period_start, o.period_end)
            planned.setdefault((o.client, o.template, label), existing.get(o.key, instance_id(o)))
    for o in occurrences:
        found = existing.get(o.key)
        if found is not None:
            have.append((o, found))
            continue
        if o.workflow in one_offs:
            label = period_label(o.period_start, o.period_end)
            other = planned.get((o.client, o.template, label))
            if other is not None and other != instance_id(o):
                covered.append((o, other))
                continue
        to_start.append(o)
    return Due(tuple(to_start), tuple(have), tuple(covered))
