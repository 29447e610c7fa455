"""Meaning checks for the ``Team`` kind, and people in workflows against it.

In the document: unsafe or duplicate person ids, unknown roles, stand-ins who are not on
the team, stand-ins for oneself, default reviewers who cannot review. Across documents:
at most one team; every workflow's assignee and reviewers on the team, active, and
holding a role that permits preparing or the review level. Without a team, workflows'
people are free ids (``workflowkit validate`` prints one note saying so).
"""

from __future__ import annotations

from workflowkit.errors import Diagnostic, DocumentError, NotFoundError
from workflowkit.source.loader import LoadedDocument
from workflowkit.source.models import did_you_mean
from workflowkit.source.workspace import ParsedDocument, Workspace
from workflowkit.team.ids import id_problem, person_key
from workflowkit.team.models import Team

__all__ = ["check_team", "check_workspace", "team_of"]


def check_team(spec: Team, doc: LoadedDocument) -> list[Diagnostic]:
    """In-document checks of a ``Team``."""
    out: list[Diagnostic] = []
    role_ids = [r.id for r in spec.roles]
    seen_roles: set[str] = set()
    for i, role in enumerate(spec.roles):
        if role.id in seen_roles:
            out.append(
                doc.diagnostic("WK802", f"role {role.id!r} is defined twice", f"/roles/{i}/id")
            )
        seen_roles.add(role.id)
    seen: dict[str, int] = {}
    for i, person in enumerate(spec.people):
        here = f"/people/{i}"
        problem = id_problem(person.id)
        if problem is not None:
            out.append(
                doc.diagnostic(
                    "WK801",
                    f"person id {person.id!r} is not a safe id: {problem}",
                    here + "/id",
                    hint="write ids in lower-case ASCII letters, digits and hyphens",
                )
            )
        key = person_key(person.id)
        if key in seen:
            out.append(
                doc.diagnostic(
                    "WK802",
                    f"person id {person.id!r} is the same person as {spec.people[seen[key]].id!r} "
                    f"at /people/{seen[key]} (ids are compared ignoring case and surrounding "
                    "spaces)",
                    here + "/id",
                )
            )
        else:
            seen[key] = i
        for j, rid in enumerate(person.roles):
            if rid not in seen_roles:
                out.append(
                    doc.diagnostic(
                        "WK803",
                        f"person {person.id!r} has unknown role {rid!r}",
                        f"{here}/roles/{j}",
                        hint=did_you_mean(rid, role_ids) or "roles: " + ", ".join(role_ids),
                    )
                )
    known = list(seen)
    for i, person in enumerate(spec.people):
        for j, absence in enumerate(person.absences):
            if absence.stand_in is None:
                continue
            where = f"/people/{i}/absences/{j}/stand_in"
            other = spec.person(absence.stand_in)
            if other is None:
                out.append(_unknown(doc, absence.stand_in, known, where, "stand-in"))
            elif other.key == person.key:
                out.append(doc.diagnostic("WK804", f"{person.id!r} stands in for themself", where))
            elif other.left is not None and other.left <= absence.from_:
                out.append(
                    doc.diagnostic(
                        "WK804",
                        f"stand-in {other.id!r} left on {other.left}, before the absence "
                        f"from {absence.from_}",
                        where,
                    )
                )
    for i, default in enumerate(spec.default_reviewers):
        where = f"/default_reviewers/{i}/person"
        reviewer = spec.person(default.person)
        if reviewer is None:
            out.append(_unknown(doc, default.person, known, where, "default reviewer"))
        elif not spec.may_review(reviewer, default.level):
            out.append(
                doc.diagnostic(
                    "WK806",
                    f"default reviewer {reviewer.id!r} holds no role that may review at level "
                    f"{default.level!r}",
                    where,
                )
            )
    return out


def _unknown(
    doc: LoadedDocument, person: str, known: list[str], pointer: str, what: str
) -> Diagnostic:
    return doc.diagnostic(
        "WK805",
        f"{what} {person!r} is not on the team",
        pointer,
        hint=did_you_mean(person_key(person), known) or "add them to the Team's people",
    )


def team_of(ws: Workspace) -> Team | None:
    """The practice's valid team, or ``None`` (none, or more than one)."""
    teams = [d for d in ws.of_kind("Team") if d.spec is not None]
    return teams[0].spec if len(teams) == 1 else None


def check_workspace(ws: Workspace) -> list[Diagnostic]:
    """At most one team; workflows' people against it."""
    out: list[Diagnostic] = []
    teams = ws.of_kind("Team")
    for doc in teams[1:]:
        out.append(
            doc.source.diagnostic(
                "WK807",
                f"a second team: {teams[0].name} already defines the practice's team",
                "/kind",
                hint="a practice has one Team document; merge the people into it",
            )
        )
    workflows = ws.of_kind("Workflow")
    if not teams:
        return out
    team = team_of(ws)
    if team is None:
        return out
    for doc in workflows:
        if doc.spec is not None:
            out.extend(_workflow_people(ws, doc, team))
    return out


def _workflow_people(ws: Workspace, doc: ParsedDocument, team: Team) -> list[Diagnostic]:
    from workflowkit.templates.validate import registry_of

    wf = doc.spec
    try:
        resolved = registry_of(ws).get(wf.template.id, wf.template.version)
    except (DocumentError, NotFoundError):
        resolved = None
    out: list[Diagnostic] = []
    groups: list[tuple[str | None, tuple[str, ...] | None, str]] = [(wf.assignee, wf.reviewers, "")]
    groups += [(e.assignee, e.reviewers, f"/per_client/{n}") for n, e in enumerate(wf.per_client)]
    for assignee, reviewers, base in groups:
        if assignee is not None:
            out.extend(_assignee(doc, team, assignee, base + "/assignee"))
        if reviewers is not None:
            levels = resolved.review.roles(len(reviewers)) if resolved is not None else ()
            out.extend(_reviewers(doc, team, reviewers, levels, base + "/reviewers"))
    return out


def _assignee(doc: ParsedDocument, team: Team, person_id: str, where: str) -> list[Diagnostic]:
    known = [p.id for p in team.people]
    person = team.person(person_id)
    if person is None:
        return [
            _located(
                doc,
                "WK805",
                f"assignee {person_id!r} is not on the team",
                where,
                did_you_mean(person_key(person_id), known),
            )
        ]
    out = _active(doc, person.id, person.left, where, "assignee")
    if not team.may(person, "prepare"):
        out.append(
            _located(
                doc,
                "WK808",
                f"assignee {person.id!r} holds no role that may "
                f"prepare work (roles: {', '.join(person.roles)})",
                where,
                None,
            )
        )
    return out


def _reviewers(
    doc: ParsedDocument,
    team: Team,
    reviewers: tuple[str, ...],
    levels: tuple[str, ...],
    base: str,
) -> list[Diagnostic]:
    known = [p.id for p in team.people]
    out: list[Diagnostic] = []
    for i, rid in enumerate(reviewers):
        where = f"{base}/{i}"
        person = team.person(rid)
        if person is None:
            out.append(
                _located(
                    doc,
                    "WK805",
                    f"reviewer {rid!r} is not on the team",
                    where,
                    did_you_mean(person_key(rid), known),
                )
            )
            continue
        out.extend(_active(doc, person.id, person.left, where, "reviewer"))
        if i < len(levels) and not team.may_review(person, levels[i]):
            able = [p.id for p in team.people if p.left is None and team.may_review(p, levels[i])]
            out.append(
                _located(
                    doc,
                    "WK809",
                    f"reviewer {person.id!r} holds no role that may review at level {i + 1} "
                    f"({levels[i]}); roles: {', '.join(person.roles)}",
                    where,
                    ("who may: " + ", ".join(able)) if able else None,
                )
            )
    return out


def _active(
    doc: ParsedDocument, person: str, left: object, pointer: str, what: str
) -> list[Diagnostic]:
    if left is None:
        return []
    return [
        _located(
            doc,
            "WK811",
            f"{what} {person!r} left the practice on {left}",
            pointer,
            "give the work to someone still on the team",
        )
    ]


def _located(
    doc: ParsedDocument, code: str, message: str, pointer: str, hint: str | None
) -> Diagnostic:
    return doc.source.diagnostic(code, message, pointer, hint=hint)
