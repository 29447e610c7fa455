"""The edge step of ``run``: start the instances of due occurrences in a store, once.

:func:`run` reads the practice's cursor from the store, asks :func:`~workflowkit.run.due`
what is due in ``(cursor, now]``, starts each instance (assignee, reviewers, due date,
the template pinned at the version the workflow's range resolves to) and writes them in
batches with :meth:`~workflowkit.store.EventStore.start_occurrences`, the last batch
moving the cursor in the same transaction.

Exactly once, whatever happens:

- an instance's id and its start event are pure functions of the occurrence (the event's
  moment is the occurrence's ``create_at`` and its actor :data:`RUN_ACTOR`), so any run
  that starts it writes the same bytes;
- the store records each occurrence key under a unique constraint, so two runs at once
  start it once (the second learns it ``existed``);
- the cursor moves only with the last batch: a run killed midway leaves the cursor where
  it was and the batches it committed, and the next run starts just the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from workflowkit.calendar.plan import Occurrence
from workflowkit.calendar.practice import Practice
from workflowkit.errors import Diagnostic, RunError, WorkflowkitError, checked_dates, warn_renamed
from workflowkit.review.commands import template_json
from workflowkit.review.engine import start
from workflowkit.review.errors import InvalidStartError
from workflowkit.run.due import due, instance_id, occurrences_between, period_label, skip
from workflowkit.run.stand_ins import Swap, cover
from workflowkit.store.packing import template_hash
from workflowkit.store.protocol import EXISTED, ID_TAKEN, STARTED, EventStore, OccurrenceStart
from workflowkit.templates.resolve import ResolvedTemplate

RUN_ACTOR: Final = "workflowkit-run"
"""Who starts the instances ``run`` starts, in their audit trail."""
DEFAULT_PRACTICE: Final = "default"
BATCH: Final = 2000

Progress = Callable[[int, int], None]


class NoCursorError(RunError):
    """The store has never run this practice, and no start was given."""

    def __init__(self, practice: str) -> None:
        self.practice = practice
        super().__init__(
            f"practice {practice!r} has never been run against this store: give the "
            "moment to start from (--since DATE, or since= in the API); later runs "
            "continue from where the last one stopped"
        )


class WindowError(RunError):
    """A window that cannot be run: naive moments, or an end in the future or before
    its start."""


@dataclass(frozen=True, slots=True)
class RunEntry:
    """One occurrence and what the run did with it."""

    outcome: str
    """``started``, ``would_start`` (dry run), ``existed`` or ``covered``."""
    key: str
    instance: str
    workflow: str
    client: str
    period: str
    template: str
    template_version: str
    create_at: datetime
    due: Any
    assignee: str
    reviewers: tuple[str, ...]
    template_hash: str | None = None
    stand_ins: tuple[Swap, ...] = ()
    """The places given to a stand-in because their person is away on the due date."""

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("RunEntry.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "key": self.key,
            "instance": self.instance,
            "workflow": self.workflow,
            "client": self.client,
            "period": self.period,
            "template": self.template,
            "template_version": self.template_version,
            "template_hash": self.template_hash,
            "create_at": self.create_at.isoformat(),
            "due": self.due.isoformat(),
            "assignee": self.assignee,
            "reviewers": list(self.reviewers),
            "stand_ins": [w.to_data() for w in self.stand_ins],
        }


@dataclass(frozen=True, slots=True)
class RunReport:
    """What one run started, found started already, and skipped (and why)."""

    practice: str
    since: datetime
    until: datetime
    cursor_before: datetime | None
    cursor_after: datetime | None
    dry_run: bool
    entries: tuple[RunEntry, ...] = ()
    skipped: tuple[Diagnostic, ...] = field(default=())
    notes: tuple[Diagnostic, ...] = field(default=())
    """Started, but worth a look: a place whose person is away on the due date and whom
    no stand-in could take over (WK705)."""

    @property
    def stand_ins(self) -> list[tuple[RunEntry, Swap]]:
        """Each place given to a stand-in, with the entry it belongs to."""
        return [(e, w) for e in self.entries for w in e.stand_ins]

    def of(self, outcome: str) -> list[RunEntry]:
        return [e for e in self.entries if e.outcome == outcome]

    @property
    def started(self) -> list[RunEntry]:
        return self.of(STARTED)

    @property
    def existed(self) -> list[RunEntry]:
        return self.of(EXISTED)

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in (STARTED, "would_start", EXISTED, "covered")}
        for e in self.entries:
            out[e.outcome] += 1
        out["skipped"] = len(self.skipped)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Deprecated alias of :meth:`to_data` (goes in 0.3)."""
        warn_renamed("RunReport.to_dict()", "to_data()")
        return self.to_data()

    def to_data(self) -> dict[str, Any]:
        def moment(d: datetime | None) -> str | None:
            return None if d is None else d.isoformat()

        return {
            "practice": self.practice,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "cursor_before": moment(self.cursor_before),
            "cursor_after": moment(self.cursor_after),
            "dry_run": self.dry_run,
            "counts": self.counts(),
            "entries": [e.to_data() for e in self.entries],
            "skipped": [d.to_data() for d in self.skipped],
            "notes": [d.to_data() for d in self.notes],
        }


def _aware(name: str, moment: datetime) -> None:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise WindowError(f"{name} must be a timezone-aware moment, got {moment!r}")


def _entry(
    o: Occurrence,
    outcome: str,
    instance: str,
    thash: str | None = None,
    swaps: tuple[Swap, ...] = (),
) -> RunEntry:
    return RunEntry(
        outcome=outcome,
        key=o.key,
        instance=instance,
        workflow=o.workflow,
        client=o.client,
        period=period_label(o.period_start, o.period_end),
        template=o.template,
        template_version=o.template_version,
        create_at=o.create_at,
        due=o.due_on,
        assignee=o.assignee,
        reviewers=o.reviewers,
        template_hash=thash,
        stand_ins=swaps,
    )


class _Starter:
    """Start events for occurrences, the template of each (id, version) resolved once."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        self.templates: dict[tuple[str, str], tuple[ResolvedTemplate, str]] = {}

    def template(self, o: Occurrence) -> tuple[ResolvedTemplate, str]:
        hit = self.templates.get((o.template, o.template_version))
        if hit is None:
            resolved = self.practice.templates.get(o.template, o.template_version)
            hit = (resolved, template_hash(template_json(resolved)))
            self.templates[(o.template, o.template_version)] = hit
        return hit

    def cover(self, o: Occurrence, notes: list[Diagnostic]) -> tuple[Occurrence, tuple[Swap, ...]]:
        """``o`` with stand-ins for the people away on its due date (given a team);
        the places nobody can cover are reported (WK705) and keep their person."""
        team = self.practice.team
        if team is None:
            return o, ()
        covered = cover(o, team, self.template(o)[0].review)
        for why in covered.uncovered:
            notes.append(
                skip(
                    self.practice.locate,
                    o.workflow,
                    "",
                    "WK705",
                    f"workflow {o.workflow!r}, {instance_id(o)!r}: {why}",
                )
            )
        return covered.occurrence, covered.swaps

    def __call__(self, o: Occurrence) -> tuple[OccurrenceStart, str]:
        tpl, thash = self.template(o)
        _, event = start(
            tpl,
            client=o.client,
            period=period_label(o.period_start, o.period_end),
            assignee=o.assignee,
            reviewers=o.reviewers,
            due=o.due_on,
            at=o.create_at,
            by=RUN_ACTOR,
            instance_id=instance_id(o),
            team=self.practice.team,
        )
        return OccurrenceStart(key=o.key, workflow=o.workflow, event=event), thash


def _covering(store: EventStore, practice: Practice, todo: list[Occurrence]) -> dict[Any, str]:
    """Instances in the store for the clients and templates of the one-offs in ``todo``."""
    one_offs = {w.id for w in practice.workflows if w.one_off is not None}
    out: dict[tuple[str, str, str], str] = {}
    for client, template in {(o.client, o.template) for o in todo if o.workflow in one_offs}:
        for s in store.instances(client=client, template=template):
            out.setdefault((s.client, s.template_id, s.period), s.id)
    return out


def _id_taken(practice: Practice, o: Occurrence, instance: str) -> Diagnostic:
    return skip(
        practice.locate,
        o.workflow,
        "",
        "WK703",
        f"workflow {o.workflow!r}: instance id {instance!r} is taken by an instance "
        "started by hand; nothing started",
    )


Sealed = tuple[OccurrenceStart, str, Occurrence, tuple[Swap, ...]]


def _seal(
    starter: _Starter,
    occurrences: Sequence[Occurrence],
    practice: Practice,
    skipped: list[Diagnostic],
    notes: list[Diagnostic],
) -> list[Sealed]:
    """The start events of ``occurrences`` (after stand-ins); those that cannot start go
    to ``skipped``, places no stand-in could take to ``notes``."""
    out: list[Sealed] = []
    for planned in occurrences:
        o, swaps = starter.cover(planned, notes)
        try:
            s, thash = starter(o)
        except WorkflowkitError as exc:
            skipped.append(
                skip(
                    practice.locate,
                    o.workflow,
                    f"/{exc.field}" if isinstance(exc, InvalidStartError) else "",
                    "WK703",
                    f"workflow {o.workflow!r} cannot start {instance_id(o)!r}: "
                    f"{exc.reason if isinstance(exc, InvalidStartError) else exc}",
                )
            )
            continue
        out.append((s, thash, o, swaps))
    return out


@checked_dates
def run(
    practice: Practice,
    store: EventStore,
    *,
    now: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
    name: str = DEFAULT_PRACTICE,
    dry_run: bool = False,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> RunReport:
    """Start every occurrence created in ``(since, until]`` that has no instance yet.

    ``since`` defaults to the practice's cursor in the store (:class:`NoCursorError` on
    the first run without it); ``until`` to ``now``, and may not be after it. Giving a
    ``since`` before the cursor backfills (what exists is reported, not started again).
    ``dry_run`` writes nothing. ``progress(done, total)`` is called after each batch.
    """
    _aware("now", now)
    cursor = store.cursor(name)
    begin = since if since is not None else cursor
    if begin is None:
        raise NoCursorError(name)
    _aware("since", begin)
    end = now if until is None else until
    _aware("until", end)
    if end > now:
        raise WindowError(
            f"until ({end.isoformat()}) is after now ({now.isoformat()}): work is started "
            "when it is created, not before"
        )
    if end < begin:
        if since is None:  # this clock is behind the last run's (another machine's): done
            return RunReport(name, begin, end, cursor, cursor, dry_run)
        raise WindowError(f"until ({end.isoformat()}) is before since ({begin.isoformat()})")
    found, planned = occurrences_between(practice, begin, end)
    skipped = [*practice.skipped, *planned]
    existing = store.occurrences(o.key for o in found)
    pending = [o for o in found if o.key not in existing]
    work = due(practice, found, existing=existing, covering=_covering(store, practice, pending))
    entries = [_entry(o, EXISTED, iid) for o, iid in work.existing]
    entries += [_entry(o, "covered", iid) for o, iid in work.covered]
    for o, iid in work.covered:
        skipped.append(
            skip(
                practice.locate,
                o.workflow,
                "/one_off",
                "WK704",
                f"one-off {o.workflow!r} for {o.client!r}, period "
                f"{period_label(o.period_start, o.period_end)}: instance {iid!r} covers it "
                "already; nothing started",
            )
        )
    starter = _Starter(practice)
    notes: list[Diagnostic] = []
    todo = work.to_start
    step = max(1, int(batch))
    chunks = range(0, len(todo), step) if todo else range(1)
    last_chunk = chunks[-1]
    done = 0
    # Sealed and written a batch at a time, so memory holds one batch of events.
    for at in chunks:
        starts = _seal(starter, todo[at : at + step], practice, skipped, notes)
        if dry_run:
            for s, h, o, swaps in starts:
                if store.version(s.event.instance):  # what the real run would say
                    skipped.append(_id_taken(practice, o, s.event.instance))
                else:
                    entries.append(_entry(o, "would_start", s.event.instance, h, swaps))
            continue
        outcome = store.start_occurrences(
            name, [s for s, _, _, _ in starts], cursor=end if at == last_chunk else None
        )
        for s, thash, o, swaps in starts:
            result = outcome[s.key]
            if result == ID_TAKEN:
                skipped.append(_id_taken(practice, o, s.event.instance))
            elif result == EXISTED:  # a run beside this one started it first
                entries.append(_entry(o, EXISTED, s.event.instance, thash))
            else:
                entries.append(_entry(o, STARTED, s.event.instance, thash, swaps))
        done += len(starts)
        if progress is not None:
            progress(done, len(todo))
    after = cursor if dry_run else store.cursor(name)
    return RunReport(
        name, begin, end, cursor, after, dry_run, tuple(entries), tuple(skipped), tuple(notes)
    )
