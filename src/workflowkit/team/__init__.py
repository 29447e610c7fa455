"""The team: people, roles and permissions, absences and capacity (the ``Team`` kind).

``person_key`` is the one normal form for people's ids that review, team, run and notify
share; ``team_of(workspace)`` gives a practice's team; review's ``start`` and ``apply``
take it as ``team=`` and enforce it (see :mod:`workflowkit.review.roster`).
"""

from __future__ import annotations

from workflowkit.team.ids import id_problem, person_key, same_person
from workflowkit.team.models import Absence, DefaultReviewer, Permissions, Person, Role, Team
from workflowkit.team.validate import team_of

__all__ = [
    "Absence",
    "DefaultReviewer",
    "Permissions",
    "Person",
    "Role",
    "Team",
    "id_problem",
    "person_key",
    "same_person",
    "team_of",
]
