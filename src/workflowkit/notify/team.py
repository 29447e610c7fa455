"""People's addresses from the practice's ``Team``: name and email of each person.

:class:`TeamDirectory` is a :class:`~workflowkit.notify.models.Directory` over a team.
Ids are looked up in their normal form (``Bob`` is ``bob``), as review compares them. A
person without an email, or not on the team, has no address here; a ``fallback``
directory (an addresses file, an app's own) is asked first when given, so it can
override or complete the team.
"""

from __future__ import annotations

from workflowkit.notify.models import Address, Directory
from workflowkit.team.models import Team

__all__ = ["TeamDirectory"]


class TeamDirectory:
    """Addresses from a team's people, after an optional ``first`` directory."""

    def __init__(self, team: Team, first: Directory | None = None) -> None:
        self.team = team
        self.first = first

    def address(self, person_id: str) -> Address | None:
        if self.first is not None:
            found = self.first.address(person_id)
            if found is not None:
                return found
        person = self.team.person(person_id)
        if person is None or person.email is None:
            return None
        return Address(person.name, person.email)
