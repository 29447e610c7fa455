"""Review against the practice's team: who may give a command, by role and by date.

Without a team, review compares person ids in their normal form
(:func:`workflowkit.team.ids.person_key`) and nothing else. Given a
:class:`~workflowkit.team.models.Team`, ``start`` and ``apply`` also refuse:

- a person who is not on the team (:class:`NotOnTeamError`);
- a person who has left by the command's date (:class:`LeftTeamError`);
- a role without the permission the command needs (:class:`RoleNotPermittedError`):
  ``prepare`` for the assignee's commands, the review level for approve and hand back,
  ``complete_without_review`` to complete a workflow with no reviewers, ``reassign`` and
  ``cancel`` for those commands.

With a team, reassigning and cancelling are decided by the role's permission (a manager
may reassign work they are not on); the person reassigned to must be on the team, still
there, able to prepare, and not one of the workflow's reviewers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from workflowkit.review.commands import Command, Reassign
from workflowkit.review.errors import IllegalCommandError, InvalidStartError, PermissionDeniedError
from workflowkit.review.refusals import refuse
from workflowkit.review.state import Instance
from workflowkit.team.ids import person_key
from workflowkit.team.models import Permission, Person, Team

__all__ = [
    "LeftTeamError",
    "NotOnTeamError",
    "RoleNotPermittedError",
    "as_recorded",
    "check_command",
    "check_start",
    "team_allows",
]

_PERMISSION: Final[dict[str, Permission]] = {"reassigner": "reassign", "canceller": "cancel"}
TEAM_DECIDES: Final = frozenset(_PERMISSION)
"""Actor kinds a team's permissions decide on their own (not the instance's people)."""


class NotOnTeamError(PermissionDeniedError):
    """The actor (or the person a command names) is not on the practice's team."""

    def __init__(self, *, person: str, **context: Any) -> None:
        self.person = person
        super().__init__(**context)


class LeftTeamError(PermissionDeniedError):
    """The person left the practice before the command's date."""

    def __init__(self, *, person: str, left: date, **context: Any) -> None:
        self.person = person
        self.left = left
        super().__init__(**context)


class RoleNotPermittedError(PermissionDeniedError):
    """None of the person's roles holds the permission (or review level) needed."""

    def __init__(self, *, person: str, permission: str, **context: Any) -> None:
        self.person = person
        self.permission = permission
        super().__init__(**context)


def as_recorded(inst: Instance, by: str) -> str:
    """``by`` as the instance spells the person, when it names one of its people in
    another spelling (``"Bob "`` for ``bob``); else ``by`` unchanged."""
    people = (inst.assignee, *inst.setup.reviewers)
    if by in people:
        return by
    key = person_key(by)
    for p in people:
        if person_key(p) == key:
            return p
    return by


def team_allows(team: Team, inst: Instance, cmd: Command, actor: str) -> bool:
    """For the actor kinds a team decides (reassign, cancel): whether a role permits it."""
    person = team.person(cmd.by)
    return person is not None and team.may(person, _PERMISSION[actor])


def _member(team: Team, inst: Instance, cmd: Command, person_id: str, what: str) -> Person:
    person = team.person(person_id)
    if person is None:
        raise refuse(
            NotOnTeamError,
            inst,
            cmd,
            f"{what} {person_id!r} is not on the team",
            person=person_id,
        )
    day = cmd.at.date()
    if not person.active_on(day):
        assert person.left is not None
        raise refuse(
            LeftTeamError,
            inst,
            cmd,
            f"{what} {person.id!r} left the practice on {person.left}",
            person=person.id,
            left=person.left,
        )
    return person


def _denied(inst: Instance, cmd: Command, person: Person, permission: str) -> IllegalCommandError:
    return refuse(
        RoleNotPermittedError,
        inst,
        cmd,
        f"{person.id!r} ({', '.join(person.roles)}) holds no role with the "
        f"{permission!r} permission",
        person=person.id,
        permission=permission,
    )


def check_command(team: Team, inst: Instance, cmd: Command, actor: str) -> None:
    """Refuse ``cmd`` if the team does not let its actor give it; return if it may."""
    if actor in ("engine", "anyone"):
        return
    person = _member(team, inst, cmd, cmd.by, "actor")
    if actor == "reviewer":
        level = inst.setup.roles[inst.level]
        if not team.may_review(person, level):
            raise _denied(inst, cmd, person, f"review at level {inst.level + 1} ({level})")
    elif actor == "assignee":
        if cmd.type == "complete" and not inst.setup.reviewers:
            if not team.may(person, "complete_without_review"):
                raise _denied(inst, cmd, person, "complete_without_review")
        elif not team.may(person, "prepare"):
            raise _denied(inst, cmd, person, "prepare")
    elif actor in TEAM_DECIDES and not team.may(person, _PERMISSION[actor]):
        raise _denied(inst, cmd, person, _PERMISSION[actor])
    if isinstance(cmd, Reassign):
        new = _member(team, inst, cmd, cmd.to, "new assignee")
        if not team.may(new, "prepare"):
            raise _denied(inst, cmd, new, "prepare")
        if any(person_key(r) == new.key for r in inst.setup.reviewers):
            policy = inst.setup.template.review
            if not policy.preparer_may_review:
                raise refuse(
                    RoleNotPermittedError,
                    inst,
                    cmd,
                    f"{new.id!r} reviews this workflow, and the review policy does not let "
                    "the preparer review their own work",
                    person=new.id,
                    permission="prepare",
                )


def check_start(
    team: Team, assignee: str, reviewers: Sequence[str], levels: Sequence[str], on: date
) -> None:
    """Refuse a start whose people the team does not allow (``InvalidStartError``)."""
    for field, person_id, need in [("assignee", assignee, None)] + [
        (f"reviewers[{i}]", r, levels[i] if i < len(levels) else "reviewer")
        for i, r in enumerate(reviewers)
    ]:
        person = team.person(person_id)
        if person is None:
            raise InvalidStartError(field, f"{person_id!r} is not on the team")
        if not person.active_on(on):
            raise InvalidStartError(field, f"{person.id!r} left the practice on {person.left}")
        if need is None:
            if not team.may(person, "prepare"):
                raise InvalidStartError(
                    field, f"{person.id!r} ({', '.join(person.roles)}) may not prepare work"
                )
        elif not team.may_review(person, need):
            raise InvalidStartError(
                field,
                f"{person.id!r} ({', '.join(person.roles)}) may not review at level {need!r}",
            )
