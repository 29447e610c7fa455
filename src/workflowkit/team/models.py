"""The ``Team`` kind: people, roles and their permissions, absences and capacity.

A practice has at most one team. Without one, review and run behave as before (free
person ids); with one, ``validate`` checks every assignee and reviewer against it and
review refuses commands by people who are not on it, have left, or lack the permission.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, StringConstraints, model_validator

from workflowkit.source.models import PrintableLine, Slug, Spec
from workflowkit.team.ids import person_key

__all__ = ["Absence", "DefaultReviewer", "Permissions", "Person", "Role", "Team"]

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), PrintableLine]
PersonId = Annotated[str, StringConstraints(min_length=1, max_length=80)]
"""A person's id as written; ``validate`` refuses unsafe ones (see ``team.ids``)."""
Email = Annotated[
    str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), PrintableLine
]

Permission = Literal["prepare", "reassign", "complete_without_review", "cancel"]


class Permissions(Spec):
    """What a role may do."""

    prepare: bool = Field(default=True, description="May be a workflow's assignee.")
    review_levels: tuple[Slug, ...] = Field(
        default=(),
        description="Review levels (by the level's role name, e.g. reviewer, manager, partner) "
        "this role may take.",
    )
    reassign: bool = Field(default=False, description="May reassign a workflow.")
    complete_without_review: bool = Field(
        default=False, description="May complete a workflow that has no reviewers."
    )
    cancel: bool = Field(default=False, description="May cancel a workflow.")


class Role(Spec):
    """A role and its permissions."""

    id: Slug
    title: Name | None = None
    permissions: Permissions = Field(default_factory=Permissions)


class Absence(Spec):
    """A date range (inclusive) a person is away, with an optional stand-in."""

    from_: date = Field(alias="from")
    to: date
    stand_in: PersonId | None = Field(
        default=None, description="Who takes work due while the person is away."
    )
    reason: Name | None = None

    @model_validator(mode="after")
    def _order(self) -> Absence:
        if self.to < self.from_:
            raise ValueError(f"an absence ends ({self.to}) before it starts ({self.from_})")
        return self

    def covers(self, day: date) -> bool:
        return self.from_ <= day <= self.to


class Person(Spec):
    """Someone on the team."""

    id: PersonId = Field(description="Stable id; compared case- and space-insensitively.")
    name: Name
    email: Email | None = None
    roles: tuple[Slug, ...] = Field(min_length=1)
    capacity_hours: float = Field(
        default=37.5, ge=0, le=168, description="Hours of client work a week."
    )
    left: date | None = Field(default=None, description="The day the person left the practice.")
    absences: tuple[Absence, ...] = ()

    @property
    def key(self) -> str:
        return person_key(self.id)

    def active_on(self, day: date) -> bool:
        return self.left is None or day < self.left

    def away_on(self, day: date) -> Absence | None:
        for a in self.absences:
            if a.covers(day):
                return a
        return None


class DefaultReviewer(Spec):
    """Who reviews at a level when a workflow names nobody, for all clients or a tag."""

    level: Slug = Field(description="The review level's role name.")
    person: PersonId
    client_tag: Slug | None = None


class Team(Spec):
    """A ``kind: Team`` document."""

    api_version: Literal["workflowkit/v1"] = Field(alias="apiVersion")
    kind: Literal["Team"]
    id: Slug
    name: Name
    roles: tuple[Role, ...] = Field(min_length=1)
    people: tuple[Person, ...] = Field(min_length=1)
    default_reviewers: tuple[DefaultReviewer, ...] = ()
    _index: dict[str, Person] | None = PrivateAttr(default=None)

    def person(self, person: str) -> Person | None:
        """The person whose id is ``person`` after normalisation, or ``None``."""
        if self._index is None:
            self._index = {p.key: p for p in self.people}
        return self._index.get(person_key(person))

    def role(self, role_id: str) -> Role | None:
        for r in self.roles:
            if r.id == role_id:
                return r
        return None

    def permissions_of(self, person: Person) -> list[Permissions]:
        return [r.permissions for rid in person.roles if (r := self.role(rid)) is not None]

    def may(self, person: Person, permission: Permission) -> bool:
        """Whether one of ``person``'s roles grants ``permission``."""
        return any(getattr(p, permission) for p in self.permissions_of(person))

    def may_review(self, person: Person, level: str) -> bool:
        """Whether one of ``person``'s roles may take the review level named ``level``."""
        return any(level in p.review_levels for p in self.permissions_of(person))

    def stand_in(self, person: Person, day: date) -> Person | None:
        """Who takes ``person``'s work due on ``day``, when they are away and named one."""
        away = person.away_on(day)
        if away is None or away.stand_in is None:
            return None
        return self.person(away.stand_in)
