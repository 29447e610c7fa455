"""Audit events: who did what, when, the version it produced, chained by hash.

An event is the command as given (with its actor and time), what it did that is worth
reading without replaying (``effect``: the status a check came from, whether a suggestion
was followed, the level approved, whether it locked), the instance and the version it
produced, the hash of the previous event (``prev``) and its own ``hash``: the SHA-256 of
the canonical JSON of every other field.

In JSON (keys sorted, no whitespace)::

    {"command":{"at":"2024-02-01T09:30:00+00:00","by":"ann","check":"bank-reconciliation",
     "comment":null,"status":"complete","type":"set_check_status"},
     "effect":{"followed_suggestion":null,"from":"pending"},"hash":"5f0c...",
     "instance":"acme/monthly-bookkeeping/2024-01","prev":"9b1e...","version":2}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from types import MappingProxyType
from typing import Any, ClassVar, Final

from pydantic import ConfigDict

from workflowkit.review.canonical import GENESIS, canonical_json, check_name, is_hash, jstr
from workflowkit.review.commands import COMMAND_TYPES, CommandField
from workflowkit.review.errors import InvalidCommandError, InvalidRecordError
from workflowkit.review.records import parse_json

EffectValue = str | int | bool | None

_FORBID: Final = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the audit trail of one instance."""

    __pydantic_config__: ClassVar[ConfigDict] = _FORBID

    instance: str
    version: int
    command: CommandField
    effect: Mapping[str, EffectValue]
    prev: str
    hash: str

    def __post_init__(self) -> None:
        check_name("Event", "instance", self.instance)
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            raise InvalidCommandError("Event", "version", "must be a whole number, 1 or more")
        if not isinstance(self.command, COMMAND_TYPES):
            raise InvalidCommandError("Event", "command", "must be a review command")
        effect = dict(self.effect)
        for key, value in effect.items():
            if not isinstance(key, str) or not (
                value is None or isinstance(value, str | int | bool)
            ):
                raise InvalidCommandError(
                    "Event", "effect", f"{key!r}: values are strings, numbers, booleans or null"
                )
        object.__setattr__(self, "effect", MappingProxyType(effect))
        if self.prev != GENESIS and not is_hash(self.prev):
            raise InvalidCommandError("Event", "prev", "must be a SHA-256 hex digest or empty")
        if not is_hash(self.hash):
            raise InvalidCommandError("Event", "hash", "must be a SHA-256 hex digest")

    def __hash__(self) -> int:
        return hash(self.hash)

    # --- reading -------------------------------------------------------------------

    @property
    def type(self) -> str:
        """The command's name: ``start``, ``set_check_status``, ``approve``..."""
        return self.command.type

    @property
    def by(self) -> str:
        return self.command.by

    @property
    def at(self) -> datetime:
        return self.command.at

    # --- the canonical form ----------------------------------------------------------

    def to_data(self, *, with_hash: bool = True) -> dict[str, Any]:
        """Plain data (what :meth:`to_json` writes as text), ``hash`` left out on request."""
        data: dict[str, Any] = {
            "instance": self.instance,
            "version": self.version,
            "command": self.command.to_data(),
            "effect": dict(self.effect),
            "prev": self.prev,
        }
        if with_hash:
            data["hash"] = self.hash
        return data

    def _canonical(self, with_hash: bool) -> str:
        # Keys in sorted order, each value in canonical form: the command's own
        # hand-written body (a property test holds it equal to ``canonical_json``), so a
        # start event's pinned template is not dumped and re-encoded every time.
        middle = f',"hash":"{self.hash}","instance":' if with_hash else ',"instance":'
        return "".join(
            (
                '{"command":',
                self.command._body(),
                ',"effect":',
                canonical_json(dict(self.effect)),
                middle,
                jstr(self.instance),
                ',"prev":"',
                self.prev,
                '","version":',
                str(self.version),
                "}",
            )
        )

    def body(self) -> str:
        """The canonical JSON the hash is computed over (every field but ``hash``)."""
        return self._canonical(False)

    def computed_hash(self) -> str:
        """The SHA-256 of :meth:`body`; equals ``hash`` unless the event was changed."""
        return sha256(self.body().encode("utf-8")).hexdigest()

    def to_json(self) -> str:
        """Canonical JSON, hash included: :meth:`from_json` reads it back exactly."""
        return self._canonical(True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        return parse_json(Event, text, "event")

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Event:
        try:
            text = canonical_json(data)
        except (TypeError, ValueError) as exc:
            raise InvalidRecordError("event", [str(exc)]) from None
        return cls.from_json(text)


def dump_events(events: Iterable[Event]) -> str:
    """Events as JSON Lines: one canonical event per line."""
    return "".join(e.to_json() + "\n" for e in events)


def load_events(text: str) -> list[Event]:
    """Read JSON Lines written by :func:`dump_events` (blank lines are skipped)."""
    out: list[Event] = []
    # Split on "\n" only: canonical JSON escapes it inside strings, but not U+2028 and
    # the other characters ``str.splitlines`` would also break on.
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            out.append(Event.from_json(line))
        except InvalidRecordError as exc:
            raise InvalidRecordError(f"event on line {n}", exc.problems) from None
    return out
