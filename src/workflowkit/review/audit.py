"""The audit trail: ``verify`` the hash chain, ``replay`` it into an instance, and read it
as ``history``.

``verify`` trusts nothing but the events themselves (and, when given, the hash of the
last one, the *head*, kept apart from them): it recomputes every hash from the canonical
JSON and follows the ``prev`` links, and says which event was changed, dropped, inserted
or moved. Without a head, events cut off the end of the trail cannot be told from a
shorter trail; pass ``head=instance.head`` (or the store's head) to catch that too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from workflowkit.review.canonical import GENESIS
from workflowkit.review.commands import (
    AddComment,
    Approve,
    Attach,
    Command,
    HandBack,
    Reassign,
    RecordFindings,
    SetCheckStatus,
    Start,
)
from workflowkit.review.engine import apply, started
from workflowkit.review.errors import (
    IllegalCommandError,
    InvalidStartError,
    ReplayError,
    TamperError,
)
from workflowkit.review.events import Event
from workflowkit.review.state import Instance


@dataclass(frozen=True, slots=True)
class Chain:
    """What ``verify`` vouches for: the instance, how many events, and the last hash."""

    instance: str
    count: int
    head: str


def verify(
    events: Sequence[Event], *, head: str | None = None, instance: str | None = None
) -> Chain:
    """Check the audit trail of one instance; raise :class:`TamperError` saying what broke.

    ``head`` is the hash the last event must have (catches events cut off the end);
    ``instance`` the id every event must carry (default: the first event's).
    """
    events = list(events)
    if not events:
        raise TamperError("dropped", 0, None, "there are no events; a trail begins with start")
    owner = instance if instance is not None else events[0].instance
    for i, e in enumerate(events):
        if e.instance != owner:
            raise TamperError(
                "inserted", i, e.version, f"it belongs to instance {e.instance!r}, not {owner!r}"
            )
    for i, e in enumerate(events):
        if e.computed_hash() != e.hash:
            raise TamperError("changed", i, e.version, "its content no longer matches its hash")
    index: dict[str, int] = {}
    for i, e in enumerate(events):
        if e.hash in index:
            raise TamperError(
                "inserted", i, e.version, f"it is a copy of version {events[index[e.hash]].version}"
            )
        index[e.hash] = i
    for i, e in enumerate(events):
        _link(events, index, i, e)
    last = events[-1]
    if head is not None and last.hash != head:
        k = index.get(head)
        if k is not None:
            raise TamperError(
                "inserted",
                k + 1,
                events[k + 1].version,
                f"the head is version {events[k].version}; the events after it were added",
            )
        raise TamperError(
            "dropped",
            len(events),
            None,
            f"the trail ends at version {last.version} but its head is not "
            "there: events were cut off the end (or the last was replaced)",
        )
    return Chain(instance=owner, count=len(events), head=last.hash)


def _link(events: list[Event], index: dict[str, int], i: int, e: Event) -> None:
    """Check that event ``i`` follows event ``i - 1``; raise saying how it does not."""
    before = events[i - 1] if i else None
    expected_prev = before.hash if before is not None else GENESIS
    expected_version = before.version + 1 if before is not None else 1
    if e.prev == expected_prev:
        if e.version != expected_version:
            raise TamperError(
                "changed",
                i,
                e.version,
                f"sealed as version {e.version} where {expected_version} belongs",
            )
        if before is None and e.type != "start":
            raise TamperError("inserted", i, e.version, "the first event is not a start event")
        return
    if e.prev == GENESIS:
        raise TamperError("inserted", i, e.version, "a second first event: it follows nothing")
    j = index.get(e.prev)
    if j is None:
        if before is None:
            raise TamperError(
                "dropped", i, e.version, f"the events before version {e.version} are missing"
            )
        if e.version > expected_version:
            missing = (
                f"version {expected_version}"
                if e.version == expected_version + 1
                else f"versions {expected_version} to {e.version - 1}"
            )
            raise TamperError("dropped", i, e.version, f"{missing} missing before it")
        if i + 1 < len(events) and events[i + 1].prev == before.hash:
            raise TamperError(
                "inserted",
                i,
                e.version,
                f"it does not follow version {before.version}, and version "
                f"{events[i + 1].version} does",
            )
        raise TamperError(
            "changed",
            i - 1,
            before.version,
            f"version {e.version} was sealed after another event: this one was "
            f"changed and resealed, or version {e.version} was inserted",
        )
    if j > i:
        raise TamperError(
            "reordered",
            i,
            e.version,
            f"it was sealed after version {events[j].version}, which comes later",
        )
    between = range(j + 1, i)
    if any(events[k].version > e.version for k in between):
        raise TamperError(
            "reordered",
            j + 1,
            events[j + 1].version,
            f"it was moved before version {e.version}",
        )
    raise TamperError(
        "inserted",
        j + 1,
        events[j + 1].version,
        f"version {e.version} was sealed right after version {events[j].version}; "
        + (
            "this event does not belong"
            if len(between) == 1
            else f"versions {events[j + 1].version} to {events[i - 1].version} do not belong"
        ),
    )


def _difference(made: Event, recorded: Event) -> str:
    for name in ("instance", "version", "prev", "effect", "hash"):
        a, b = getattr(made, name), getattr(recorded, name)
        if a != b:
            if name == "effect":
                a, b = dict(a), dict(b)
            return f"the command gives {name} {a!r}, the event records {b!r}"
    return "the command gives a different event"


def replay(events: Iterable[Event]) -> Instance:
    """Rebuild the instance from its events, exactly as ``start`` and ``apply`` made it.

    Each command is applied again and must give back the very event recorded (same
    effect, version, previous hash and hash); otherwise :class:`ReplayError` says where.
    """
    it = iter(events)
    first = next(it, None)
    if first is None:
        raise ReplayError(0, 0, "there are no events")
    if not isinstance(first.command, Start):
        raise ReplayError(0, first.version, f"the first event is {first.type}, not start")
    try:
        inst, made = started(first.command)
    except InvalidStartError as exc:
        raise ReplayError(0, first.version, str(exc)) from exc
    if made != first:
        raise ReplayError(0, first.version, _difference(made, first))
    for pos, e in enumerate(it, start=1):
        try:
            inst, made = apply(inst, e.command)
        except IllegalCommandError as exc:
            raise ReplayError(pos, e.version, f"the command is refused: {exc.reason}") from exc
        if made != e:
            raise ReplayError(pos, e.version, _difference(made, e))
    return inst


# ---------------------------------------------------------------------------------
# History: the trail in words
# ---------------------------------------------------------------------------------

_WORDS = {
    "complete": "complete",
    "complete_with_issues": "complete with issues",
    "not_applicable": "not applicable",
    "pending": "pending",
}


def _quote(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f'"{flat}"'


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One line of history: version, when, who, the command, and what it did in words."""

    version: int
    at: datetime
    by: str
    action: str
    text: str

    def __str__(self) -> str:
        return f"v{self.version:<3} {self.at.isoformat(timespec='seconds')}  {self.by}  {self.text}"


@dataclass
class _Context:
    reviewers: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def level(self, n: int) -> str:
        if 0 < n <= len(self.roles):
            return f"level {n} of {len(self.roles)} ({self.roles[n - 1]})"
        return f"level {n}"


def _describe(e: Event, ctx: _Context) -> str:
    c: Command = e.command
    fx = e.effect
    if isinstance(c, Start):
        t = c.template
        ctx.reviewers = c.reviewers
        ctx.roles = t.review.roles(len(c.reviewers))
        text = (
            f"started {t.id}@{t.version} for {c.client}, period {c.period}, due "
            f"{c.due.isoformat()}; assignee {c.assignee}"
        )
        if c.reviewers:
            text += "; reviewers " + ", ".join(
                f"{p} ({r})" for p, r in zip(c.reviewers, ctx.roles, strict=False)
            )
        return text
    if isinstance(c, SetCheckStatus):
        if str(c.status) == "pending":
            text = f"undid {c.check} (was {_WORDS.get(str(fx.get('from')), fx.get('from'))})"
        else:
            text = f"set {c.check} to {_WORDS[str(c.status)]}"
        if c.comment is not None:
            text += f": {_quote(c.comment)}"
        followed = fx.get("followed_suggestion")
        if followed is True:
            text += " (as the findings suggested)"
        elif followed is False:
            text += " (not the status the findings suggested)"
        return text
    if isinstance(c, AddComment):
        on = f" on {c.check}" if c.check else ""
        return f"commented{on}: {_quote(c.text)}"
    if isinstance(c, Attach):
        on = f" to {c.check}" if c.check else ""
        return f"attached {c.name} ({c.size} bytes, {c.media_type}){on}"
    if isinstance(c, RecordFindings):
        r = c.result
        return (
            f"recorded {len(r.findings)} finding(s) of {r.check} on {c.check}: "
            f"{_quote(r.summary)}; suggests {_WORDS[r.suggested_status]}"
        )
    if isinstance(c, Approve):
        level = int(fx.get("level", 0) or 0)
        text = f"approved {ctx.level(level)}"
        if c.comment is not None:
            text += f": {_quote(c.comment)}"
        if fx.get("locked"):
            text += "; completed and locked"
        return text
    if isinstance(c, HandBack):
        level = int(fx.get("level", 0) or 0)
        return f"handed back at {ctx.level(level)}: {_quote(c.feedback)}"
    if isinstance(c, Reassign):
        return f"reassigned from {fx.get('from')} to {c.to}"
    if c.type == "submit_for_review":
        if not ctx.reviewers:
            return "submitted for review"
        role = f", {ctx.roles[0]}" if ctx.roles else ""
        return f"submitted for review to {ctx.reviewers[0]} (level 1 of {len(ctx.roles)}{role})"
    if c.type == "complete":
        return "completed and locked"
    if c.type == "cancel":
        return f"cancelled (was {fx.get('from')}): {_quote(getattr(c, 'reason', ''))}"
    return c.type  # pragma: no cover (every command is described above)


def history(events: Iterable[Event]) -> tuple[HistoryEntry, ...]:
    """Who did what and when, one readable entry per event, oldest first."""
    ctx = _Context()
    return tuple(HistoryEntry(e.version, e.at, e.by, e.type, _describe(e, ctx)) for e in events)


def format_history(events: Iterable[Event]) -> str:
    """The history as text, one line per event."""
    return "\n".join(str(entry) for entry in history(events))
