"""Dates the calendar can compute with, and the s.392 checks of a change of accounting
reference date: the ``validate`` side of F13/F14 and of ``reference_date_changes``.

``plan`` adds up to about 31 months to a date (a CT600 30 months from the start of a long
period of account) and a plan window on top; ``datetime.date`` stops at 9999-12-31.
:data:`~workflowkit.calendar.dates.LATEST_DATE` (9990-12-31) leaves nine years of margin;
:data:`~workflowkit.calendar.dates.EARLIEST_DATE` (1800-01-01) keeps the tax-year and
bank-holiday arithmetic away from year 1. ``validate`` reports any date outside them
(WK330), so what validates, plans.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel

from workflowkit.calendar.dates import EARLIEST_DATE, LATEST_DATE, add_months
from workflowkit.calendar.models import Client

FIVE_YEARS = 60


def dates_in(model: BaseModel, pointer: str = "") -> Iterator[tuple[str, date]]:
    """Every date held by ``model`` (and the models and tuples inside it), with its JSON
    pointer in the document (keys as written: aliases where a field has one)."""
    for name, field in type(model).model_fields.items():
        key = field.alias or name
        yield from _walk(getattr(model, name), f"{pointer}/{key}")


def _walk(value: object, pointer: str) -> Iterator[tuple[str, date]]:
    if isinstance(value, date):
        yield pointer, value
    elif isinstance(value, BaseModel):
        yield from dates_in(value, pointer)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _walk(item, f"{pointer}/{i}")


def out_of_range(model: BaseModel, pointer: str = "") -> list[tuple[str, date]]:
    """The dates of ``model`` outside ``EARLIEST_DATE..LATEST_DATE``."""
    if not _any_out_of_range(model):  # the common case: no pointer is written out
        return []
    return [(p, d) for p, d in dates_in(model, pointer) if not EARLIEST_DATE <= d <= LATEST_DATE]


def _any_out_of_range(value: object) -> bool:
    """Whether a date :func:`dates_in` would list is out of range (the same walk: dates,
    models and tuples), without the pointers: validating 10,000 clients calls it for
    each. A model's ``__dict__`` holds exactly its fields' values."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        v = pop()
        if isinstance(v, date):
            if not EARLIEST_DATE <= v <= LATEST_DATE:
                return True
        elif isinstance(v, BaseModel):
            extend(v.__dict__.values())
        elif isinstance(v, tuple):
            extend(v)
    return False


def reference_date_change_problems(client: Client) -> list[tuple[str, str, bool]]:
    """``(pointer, message, is_error)`` for each change of reference date that breaks
    Companies Act 2006 s.392: a period that does not exist in the schedule before the
    change, a notice for a past period given after its filing deadline (s.392(4)), or a
    second extension within five years (s.392(3): a warning, as a parent-subsidiary
    alignment or administration is allowed)."""
    from workflowkit.calendar.deadlines import companies_house_accounts_due
    from workflowkit.calendar.periods import accounting_periods, original_period_end

    out: list[tuple[str, str, bool]] = []
    last_extension: date | None = None
    for k, change in enumerate(client.reference_date_changes):
        here = f"/reference_date_changes/{k}"
        if not all(EARLIEST_DATE <= d <= LATEST_DATE for _, d in dates_in(change)):
            continue  # WK330 says so
        original = original_period_end(client, change.period_start)
        if original is None:
            earlier = client.model_copy(
                update={"reference_date_changes": client.reference_date_changes[:k]}
            )
            near = accounting_periods(
                earlier, add_months(change.period_start, -12), add_months(change.period_start, 12)
            )
            starts = ", ".join(p.start.isoformat() for p in near) or "none"
            out.append(
                (
                    f"{here}/period_start",
                    f"client {client.id!r}: no accounting reference period begins on "
                    f"{change.period_start} (periods nearby begin on {starts})",
                    True,
                )
            )
            continue
        if original < change.notified:
            due = companies_house_accounts_due(
                original,
                public=client.company_type == "public_limited",
                incorporated=client.incorporated
                if client.incorporated and client.incorporated <= original
                else None,
                period_start=change.period_start,
            )
            if change.notified > due:
                out.append(
                    (
                        f"{here}/notified",
                        f"client {client.id!r}: the notice of {change.notified} changes a period "
                        f"that ended on {original}, after its accounts were due ({due}): "
                        "Companies Act 2006 s.392(4) forbids it",
                        True,
                    )
                )
        if change.new_end > original:
            if last_extension is not None and change.notified < add_months(
                last_extension, FIVE_YEARS
            ):
                out.append(
                    (
                        f"{here}/new_end",
                        f"client {client.id!r}: a second extension within five years of the "
                        f"one ending {last_extension} (Companies Act 2006 s.392(3) allows it "
                        "only to align with a parent or subsidiary, or in administration)",
                        False,
                    )
                )
            last_extension = change.new_end
    return out
