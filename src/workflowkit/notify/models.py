"""What a notification is, who it goes to, and how it is kept in the outbox (as JSON).

A :class:`Notification` says who must be told what about one instance: the kind (one of
:data:`KINDS`), the person (``recipient``, a person id as the review engine records it),
their :class:`Address` when the directory knows it, and what the message needs to say
(client, period, template, due date, the review level, the feedback). Its ``id`` is
stable: the same event (or the same overdue instance and due date) told to the same
person as the same kind always has the same id, so the outbox keeps it once.

People's addresses come from a :class:`Directory`: anything with
``address(person_id) -> Address | None``. :class:`MappingDirectory` is the plain one; a
team document (``workflowkit.team``) can serve as one through a two-line adapter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from hashlib import sha256
from typing import Any, Final, Literal, Protocol, runtime_checkable

from workflowkit.notify.errors import NotifyInputError

Kind = Literal["assigned", "submitted", "handed_back", "approved", "overdue"]

ASSIGNED: Final = "assigned"
"""The instance was started with you as its assignee, or reassigned to you."""
SUBMITTED: Final = "submitted"
"""The instance was submitted to you for review at level N (the current level only)."""
HANDED_BACK: Final = "handed_back"
"""A reviewer handed the instance back to you, the assignee, with feedback."""
APPROVED: Final = "approved"
"""The final level approved: the instance is complete and locked."""
OVERDUE: Final = "overdue"
"""The instance is past its due date and waits on you."""

KINDS: Final[tuple[str, ...]] = (ASSIGNED, SUBMITTED, HANDED_BACK, APPROVED, OVERDUE)


@dataclass(frozen=True, slots=True)
class Address:
    """Where a person is told: their name and email address."""

    name: str
    email: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise NotifyInputError("address", "name", f"must be text, not {self.name!r}")
        email = self.email
        if (
            not isinstance(email, str)
            or email.count("@") != 1
            or any(c in email for c in " \r\n<>,")
        ):
            raise NotifyInputError("address", "email", f"{email!r} is not an email address")
        local, _, domain = email.partition("@")
        if not local or not domain:
            raise NotifyInputError("address", "email", f"{email!r} is not an email address")


@runtime_checkable
class Directory(Protocol):
    """Who is reachable where: a person id to an :class:`Address` (``None``: unknown)."""

    def address(self, person_id: str) -> Address | None: ...


class MappingDirectory:
    """A :class:`Directory` over a plain mapping: ``{"ann": Address("Ann", "ann@x.test")}``
    or ``{"ann": {"name": "Ann", "email": "ann@x.test"}}``."""

    def __init__(self, people: Mapping[str, Address | Mapping[str, str]]) -> None:
        book: dict[str, Address] = {}
        for person, entry in people.items():
            if not isinstance(person, str) or not person:
                raise NotifyInputError("directory", "person", f"{person!r} is not a person id")
            if isinstance(entry, Address):
                book[person] = entry
            elif isinstance(entry, Mapping):
                extra = sorted(set(entry) - {"name", "email"})
                if extra or "email" not in entry:
                    raise NotifyInputError(
                        "directory",
                        person,
                        "each person needs an email (and may have a name), "
                        + (f"not {', '.join(map(str, extra))}" if extra else "and has none"),
                    )
                book[person] = Address(str(entry.get("name", person)), entry["email"])
            else:
                raise NotifyInputError("directory", person, f"{entry!r} is not an address")
        self._book = book

    def address(self, person_id: str) -> Address | None:
        return self._book.get(person_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._book)

    def __len__(self) -> int:
        return len(self._book)


def notification_id(kind: str, source: str, recipient: str) -> str:
    """The stable id of telling ``recipient`` ``kind`` about ``source`` (an event's hash,
    or ``instance@due`` for an overdue one): 32 hex digits of a SHA-256."""
    key = "\x1f".join(("workflowkit.notify/v1", kind, source, recipient))
    return sha256(key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Notification:
    """One person to tell one thing about one instance."""

    id: str
    kind: str
    recipient: str
    to: Address | None
    """The recipient's address, ``None`` when the directory does not know them."""
    instance: str
    client: str
    period: str
    template: str
    """The template's name, as the message shows it."""
    due: date
    at: datetime
    """When it happened (the event's time; for ``overdue``, the ``now`` it was found at)."""
    by: str | None = None
    """Who did it (``None`` for ``overdue``)."""
    level: int | None = None
    """``submitted``: the review level (1 is the first); ``approved``: the levels approved."""
    feedback: str | None = None
    """``handed_back``: the reviewer's feedback."""
    source: str = ""
    """The event hash it was derived from (or ``instance@due`` for ``overdue``)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise NotifyInputError("notification", "kind", f"{self.kind!r} is not one of {KINDS}")

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "recipient": self.recipient,
            "to": None if self.to is None else {"name": self.to.name, "email": self.to.email},
            "instance": self.instance,
            "client": self.client,
            "period": self.period,
            "template": self.template,
            "due": self.due.isoformat(),
            "at": self.at.isoformat(),
            "by": self.by,
            "level": self.level,
            "feedback": self.feedback,
            "source": self.source,
        }

    def to_json(self) -> str:
        """The outbox payload: JSON, keys sorted; :meth:`from_json` reads it back exactly."""
        return json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Notification:
        try:
            data = json.loads(text)
            to = data["to"]
            return cls(
                id=str(data["id"]),
                kind=str(data["kind"]),
                recipient=str(data["recipient"]),
                to=None if to is None else Address(str(to["name"]), str(to["email"])),
                instance=str(data["instance"]),
                client=str(data["client"]),
                period=str(data["period"]),
                template=str(data["template"]),
                due=date.fromisoformat(data["due"]),
                at=datetime.fromisoformat(data["at"]),
                by=data["by"],
                level=data["level"],
                feedback=data["feedback"],
                source=str(data["source"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise NotifyInputError("outbox", "payload", f"not a notification: {exc}") from None

    def addressed(self, to: Address | None) -> Notification:
        """The same notification with another address (the id stays)."""
        return Notification(
            self.id,
            self.kind,
            self.recipient,
            to,
            self.instance,
            self.client,
            self.period,
            self.template,
            self.due,
            self.at,
            self.by,
            self.level,
            self.feedback,
            self.source,
        )
