"""The rows every store writes and reads back: pure conversions shared by the stores.

A summary row keeps the reviewers and the checks with issues as JSON arrays, the due
date as an ISO date and the moments as ISO text with their offsets, so the summary read
is the summary written. A
store whose driver hands back native values (a ``date``, a list) may pass them as they
come: :func:`summary_from_row` takes either.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from workflowkit.review.commands import Start
from workflowkit.review.events import Event
from workflowkit.store.errors import DamagedStoreError, RejectedEventsError
from workflowkit.store.packing import pinned
from workflowkit.store.protocol import (
    STANDING_EVENT_TYPES,
    InstanceState,
    InstanceSummary,
    issues_after,
)

SUMMARY_COLUMNS: Final = (
    "id, template_id, template_version, client, period, assignee, reviewers, status, level, "
    "waiting_on, due, version, head, started_at, updated_at, handed_back, issues"
)
"""The summary's columns, in the order of :func:`summary_row`."""


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(value)


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def summary_from_row(row: Sequence[Any], where: str = "the store") -> InstanceSummary:
    """The summary in a row of :data:`SUMMARY_COLUMNS`; a row that is not one a store
    writes raises :class:`~workflowkit.store.errors.DamagedStoreError` naming the field."""
    try:
        return _summary(row)
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        ident = row[0] if len(row) else "?"
        field = _bad_field(row)
        raise DamagedStoreError(
            where, f"the summary row of instance {ident!r} is damaged ({field}: {exc})"
        ) from None


def _parsed(cache: dict[str, Any], raw: Any, parse: Callable[[Any], Any]) -> Any:
    """``parse(raw)``, remembered per text (a driver's native values are parsed each
    time: they are cheap, and not always hashable)."""
    if type(raw) is not str:
        return parse(raw)
    hit = cache.get(raw)
    if hit is None:
        hit = cache[raw] = parse(raw)
    return hit


def summaries_from_rows(
    rows: Sequence[Sequence[Any]], where: str = "the store"
) -> list[InstanceSummary]:
    """:func:`summary_from_row` of many rows, the same summaries, faster: a listing
    repeats a few reviewer lists, due dates and moments many times, so each distinct
    text is parsed once (a list of 100,000 summaries reads in a fraction of the time)."""
    reviewers: dict[str, tuple[str, ...]] = {}
    checks: dict[str, tuple[str, ...]] = {}
    days: dict[str, date] = {}
    moments: dict[str, datetime] = {}
    out: list[InstanceSummary] = []
    append = out.append
    try:
        for row in rows:
            # Only text is cached: two aware datetimes a driver hands back may be equal
            # (one instant) yet differ in their offsets, and the summary keeps the offset.
            raw_r, raw_d, raw_s, raw_u = row[6], row[10], row[13], row[14]
            r = _parsed(reviewers, raw_r, _reviewers)
            d = _parsed(days, raw_d, _date)
            s = _parsed(moments, raw_s, _moment)
            u = _parsed(moments, raw_u, _moment)
            i = _parsed(checks, row[16], _issues)
            append(
                InstanceSummary(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    r,
                    row[7],
                    row[8],
                    row[9],
                    d,
                    row[11],
                    row[12],
                    s,
                    u,
                    _flag(row[15]),
                    i,
                )
            )
    except (ValueError, TypeError, IndexError, KeyError):
        summary_from_row(row, where)  # raises DamagedStoreError naming the field
        return [summary_from_row(r, where) for r in rows]  # what the one-row parse says
    return out


STATE_COLUMNS: Final = (
    "id, status, level, version, assignee, waiting_on, due, updated_at, handed_back, issues <> '[]'"
)
"""The state's columns, in the order of :class:`InstanceState` (the last, whether
``issues`` is not empty, is computed by the database: both keep an empty list as
``[]``)."""


def states_from_rows(
    rows: Sequence[Sequence[Any]], where: str = "the store"
) -> list[InstanceState]:
    """The :class:`InstanceState` in each row of :data:`STATE_COLUMNS`, each distinct date
    and moment text parsed once (as :func:`summaries_from_rows` does; a driver's native
    values are taken as they come); a damaged row raises
    :class:`~workflowkit.store.errors.DamagedStoreError`."""
    days: dict[str, date] = {}
    moments: dict[str, datetime] = {}
    out: list[InstanceState] = []
    append = out.append
    new = tuple.__new__  # what InstanceState._make does, without its Python frame
    flags = _FLAGS
    row: Sequence[Any] = ()
    try:
        for row in rows:
            raw_d, raw_u = row[6], row[7]
            d = days.get(raw_d) if type(raw_d) is str else None
            if d is None:
                d = _date(raw_d)
                if type(raw_d) is str:
                    days[raw_d] = d
            u = moments.get(raw_u) if type(raw_u) is str else None
            if u is None:
                u = _moment(raw_u)
                if type(raw_u) is str:
                    moments[raw_u] = u
            h, w = flags[row[8]], flags[row[9]]  # a bool, or SQLite's 0 or 1
            append(new(InstanceState, (row[0], row[1], row[2], row[3], row[4], row[5], d, u, h, w)))
    except (ValueError, TypeError, IndexError, KeyError) as exc:
        ident = row[0] if len(row) else "?"
        raise DamagedStoreError(
            where,
            f"the summary row of instance {ident!r} is damaged "
            f"(due, updated_at, handed_back or issues: {exc})",
        ) from None
    return out


def _bad_field(row: Sequence[Any]) -> str:
    names = [c.strip() for c in SUMMARY_COLUMNS.split(",")]
    if len(row) != len(names):
        return f"{len(row)} columns, not {len(names)}"
    checks: dict[int, Any] = {
        6: _reviewers,
        10: _date,
        13: _moment,
        14: _moment,
        15: _flag,
        16: _issues,
    }
    for i, check in checks.items():
        try:
            check(row[i])
        except (ValueError, TypeError):
            return names[i]
    return "a field"


def _reviewers(value: Any) -> tuple[str, ...]:
    people = json.loads(value) if isinstance(value, str) else value
    if not isinstance(people, list | tuple) or not all(isinstance(p, str) for p in people):
        raise ValueError("reviewers is not a list of names")
    return tuple(people)


def _issues(value: Any) -> tuple[str, ...]:
    checks = json.loads(value) if isinstance(value, str) else value
    if not isinstance(checks, list | tuple) or not all(isinstance(c, str) for c in checks):
        raise ValueError("issues is not a list of check ids")
    return tuple(checks)


_FLAGS: Final[dict[Any, bool]] = {0: False, 1: True}
"""A yes/no column's values: SQLite's 0 and 1, and a driver's ``False`` and ``True``
(which are equal to them, and hash alike)."""


def _flag(value: Any) -> bool:
    """A yes/no column: a driver's bool, or SQLite's 0 or 1."""
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return value == 1
    raise ValueError(f"{value!r} is not a yes/no value")


def _summary(row: Sequence[Any]) -> InstanceSummary:
    reviewers = row[6]
    return InstanceSummary(
        id=row[0],
        template_id=row[1],
        template_version=row[2],
        client=row[3],
        period=row[4],
        assignee=row[5],
        reviewers=_reviewers(reviewers),
        status=row[7],
        level=row[8],
        waiting_on=row[9],
        due=_date(row[10]),
        version=row[11],
        head=row[12],
        started_at=_moment(row[13]),
        updated_at=_moment(row[14]),
        handed_back=_flag(row[15]),
        issues=_issues(row[16]),
    )


def summary_row(s: InstanceSummary) -> tuple[Any, ...]:
    """The row of :data:`SUMMARY_COLUMNS` that keeps ``s``."""
    return (
        s.id,
        s.template_id,
        s.template_version,
        s.client,
        s.period,
        s.assignee,
        json.dumps(list(s.reviewers), ensure_ascii=False),
        s.status,
        s.level,
        s.waiting_on,
        s.due.isoformat(),
        s.version,
        s.head,
        s.started_at.isoformat(),
        s.updated_at.isoformat(),
        s.handed_back,
        json.dumps(list(s.issues), ensure_ascii=False),
    )


STANDING_EVENTS_QUERY: Final = (
    "SELECT instance_id, type, body FROM events WHERE type IN ("
    + ", ".join(f"'{t}'" for t in STANDING_EVENT_TYPES)
    + ") ORDER BY instance_id, version"
)
"""The events a migration folds into ``handed_back`` and ``issues``, in order."""


def standings(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[bool, str, str]]:
    """``(handed_back, issues as JSON, instance id)`` of each instance in ``rows`` (of
    :data:`STANDING_EVENTS_QUERY`) whose standing is not the default (not handed back,
    no issues): what a migration writes for the instances a store held before the two
    columns were kept. The fold is :func:`~workflowkit.store.protocol.summarize`'s."""
    current: str | None = None
    handed_back = False
    issues: tuple[str, ...] = ()

    def done() -> Iterator[tuple[bool, str, str]]:
        if current is not None and (handed_back or issues):
            yield handed_back, json.dumps(list(issues), ensure_ascii=False), current

    for instance, kind, body in rows:
        if instance != current:
            yield from done()
            current, handed_back, issues = instance, False, ()
        if kind == "submit_for_review":
            handed_back = False
        elif kind == "hand_back":
            handed_back = True
        elif kind == "set_check_status":
            command = json.loads(body)["command"]
            issues = issues_after(issues, command["check"], command["status"])
    yield from done()


def event_row(e: Event) -> tuple[Any, ...]:
    """The events row of ``e`` (instance_id, version, type, actor, at, prev, hash, body),
    with the event itself last (for packing; not stored)."""
    return (e.instance, e.version, e.type, e.by, e.at.isoformat(), e.prev, e.hash, e.to_json(), e)


def start_template_hash(e: Event) -> str:
    """The content hash of the template a start event pinned."""
    command = e.command
    assert isinstance(command, Start)
    return pinned(command.template)[1]


def check_outbox(
    entries: Sequence[tuple[str, str]],
    created: datetime,
    cursor: Mapping[str, int] | None,
) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """What ``enqueue_notifications`` is given is fit to write (else nothing is written):
    ids and payloads are non-empty text, no id twice, an aware ``created``, and a cursor
    of instance ids to whole versions. Returns the entries and the cursor as lists."""
    if not isinstance(created, datetime) or created.utcoffset() is None:
        raise RejectedEventsError("outbox", "created must be a timezone-aware moment")
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries):
        if not (isinstance(entry, tuple) and len(entry) == 2):
            raise RejectedEventsError("outbox", f"entry {n} is not an (id, payload) pair")
        nid, payload = entry
        if not isinstance(nid, str) or not nid.strip():
            raise RejectedEventsError("outbox", f"entry {n}: the id must be non-empty text")
        if not isinstance(payload, str) or not payload:
            raise RejectedEventsError("outbox", f"entry {n} ({nid}): the payload must be text")
        if nid in seen:
            raise RejectedEventsError("outbox", f"notification {nid} is given twice")
        seen.add(nid)
        out.append((nid, payload))
    moves: dict[str, int] = {}
    for instance, version in (cursor or {}).items():
        if not isinstance(instance, str) or not instance:
            raise RejectedEventsError("outbox", f"cursor: {instance!r} is not an instance id")
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise RejectedEventsError(
                instance, f"cursor: the version must be a whole number, 0 or more, not {version!r}"
            )
        moves[instance] = version
    return out, moves
