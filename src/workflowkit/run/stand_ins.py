"""Stand-ins: work due while someone is away goes to the person they named.

A person's absence (``Team``, ``people[].absences``) may name a ``stand_in``. When
``run`` starts an occurrence whose due date falls in an absence of its assignee or of
one of its reviewers, :func:`cover` puts the stand-in in that place, if the stand-in
may take it:

- they are on the team, have not left and are not away themselves on the due date (a
  stand-in's own stand-in is not followed: one hop, so nobody is surprised);
- for the assignee's place, one of their roles may prepare; for a review level, one of
  their roles may review at that level;
- separation of duties still holds: the stand-in is not the assignee when standing in
  for a reviewer, nor a reviewer when standing in for the assignee (unless the review
  policy lets the preparer review), nor a reviewer at another level (unless the policy
  lets one person review at several levels). People are compared by their normal form
  (:func:`~workflowkit.team.ids.person_key`).

When the stand-in may not take it, or the absence names nobody, the original person
stays and :func:`cover` says why, so ``run`` can report it (``WK705``). The due date
decides, not the day the work is created: the work is wanted then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from workflowkit.calendar.plan import Occurrence
from workflowkit.team.ids import person_key
from workflowkit.team.models import Absence, Person, Team
from workflowkit.templates.models import ReviewPolicy

__all__ = ["Cover", "Swap", "cover"]


@dataclass(frozen=True, slots=True)
class Swap:
    """One place of an occurrence given to a stand-in."""

    field: str
    """``assignee`` or ``reviewers[N]``."""
    away: str
    stand_in: str
    due: date
    absent_from: date
    absent_to: date

    def to_data(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "away": self.away,
            "stand_in": self.stand_in,
            "due": self.due.isoformat(),
            "absent_from": self.absent_from.isoformat(),
            "absent_to": self.absent_to.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Cover:
    """An occurrence with its people after stand-ins, the swaps made, and the places
    left with someone who is away (with the reason)."""

    occurrence: Occurrence
    swaps: tuple[Swap, ...] = ()
    uncovered: tuple[str, ...] = ()


def _why_not(
    team: Team,
    stand_in: Person | None,
    named: str,
    day: date,
    need: str | None,
    others: Sequence[tuple[str, str]],
    policy: ReviewPolicy,
) -> str | None:
    """Why ``stand_in`` may not take the place (``need``: None for the assignee's, else
    the review level's role), or ``None`` when they may."""
    if stand_in is None:
        return f"the stand-in {named!r} is not on the team"
    if not stand_in.active_on(day):
        return f"the stand-in {stand_in.id!r} left the practice on {stand_in.left}"
    if stand_in.away_on(day) is not None:
        return f"the stand-in {stand_in.id!r} is away on {day.isoformat()} too"
    if need is None and not team.may(stand_in, "prepare"):
        return f"the stand-in {stand_in.id!r} ({', '.join(stand_in.roles)}) may not prepare work"
    if need is not None and not team.may_review(stand_in, need):
        return (
            f"the stand-in {stand_in.id!r} ({', '.join(stand_in.roles)}) may not review at "
            f"level {need!r}"
        )
    for field, person in others:
        if person_key(person) != stand_in.key:
            continue
        preparer_involved = field == "assignee" or need is None
        if preparer_involved and not policy.preparer_may_review:
            return f"the stand-in {stand_in.id!r} is the {field} already (no self-review)"
        if not preparer_involved and not policy.same_reviewer_at_several_levels:
            return f"the stand-in {stand_in.id!r} reviews at another level already ({field})"
    return None


def cover(o: Occurrence, team: Team, policy: ReviewPolicy) -> Cover:
    """``o`` with each place whose person is away on its due date given to their
    stand-in, where the stand-in may take it; what was swapped and what was not."""
    day = o.due_on
    people = [("assignee", o.assignee)] + [
        (f"reviewers[{i}]", r) for i, r in enumerate(o.reviewers)
    ]
    levels = policy.roles(len(o.reviewers))
    swaps: list[Swap] = []
    uncovered: list[str] = []
    for index, (field, person_id) in enumerate(people):
        person = team.person(person_id)
        away: Absence | None = None if person is None else person.away_on(day)
        if person is None or away is None:
            continue
        when = f"{away.from_.isoformat()}..{away.to.isoformat()}"
        if away.stand_in is None:
            uncovered.append(
                f"{field} {person.id!r} is away {when} (due {day.isoformat()}) and names no "
                "stand-in"
            )
            continue
        stand_in = team.person(away.stand_in)
        need = None if index == 0 else levels[index - 1]
        others = [p for j, p in enumerate(people) if j != index]
        reason = _why_not(team, stand_in, away.stand_in, day, need, others, policy)
        if reason is not None or stand_in is None:
            uncovered.append(
                f"{field} {person.id!r} is away {when} (due {day.isoformat()}): {reason}; "
                f"{person.id!r} keeps it"
            )
            continue
        people[index] = (field, stand_in.id)
        swaps.append(Swap(field, person.id, stand_in.id, day, away.from_, away.to))
    if not swaps:
        return Cover(o, (), tuple(uncovered))
    moved = o._replace(assignee=people[0][1], reviewers=tuple(p for _, p in people[1:]))
    return Cover(moved, tuple(swaps), tuple(uncovered))
