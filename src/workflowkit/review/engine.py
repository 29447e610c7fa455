"""``start`` and ``apply``: the pure core of the review engine.

``apply(instance, command) -> (instance, event)`` looks the (state, command) pair up in
a dispatch table built from :data:`workflowkit.review.table.TRANSITIONS`, checks the
actor's role, runs the command's guard and builds the next instance and its event. It
never mutates anything, never reads the clock, and raises an
:class:`~workflowkit.review.errors.IllegalCommandError` (naming the state, the command,
the actor and the reason) for anything the rules refuse.

The command handlers are in :mod:`~workflowkit.review.handlers`, the refusals in
:mod:`~workflowkit.review.refusals`, and the hot path that builds objects and seals
events in :mod:`~workflowkit.review.sealing`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Final

from workflowkit.insights.results import CheckResult
from workflowkit.review.cache import evict_one
from workflowkit.review.clock import CLOCK_SKEW, check_time_order
from workflowkit.review.commands import Command, RecordFindings, Start, template_json
from workflowkit.review.errors import (
    InvalidCommandError,
    InvalidStartError,
    PermissionDeniedError,
)
from workflowkit.review.events import Event
from workflowkit.review.handlers import HANDLERS, PERMISSIONS, Handler
from workflowkit.review.known import KnownPractice, check_known
from workflowkit.review.refusals import refuse, refuse_state, state_text, who
from workflowkit.review.roster import (
    TEAM_DECIDES,
    as_recorded,
    check_command,
    check_start,
    team_allows,
)
from workflowkit.review.sealing import seal_start
from workflowkit.review.state import Instance, WorkflowStatus, setup_problem
from workflowkit.review.table import TRANSITIONS
from workflowkit.team.models import Team
from workflowkit.templates.resolve import ResolvedTemplate

__all__ = [
    "apply",
    "apply_all",
    "default_instance_id",
    "pin",
    "record_findings",
    "start",
    "started",
    "state_text",
]

_Rule = tuple[Handler, Callable[[Instance, str], bool], str]


def _dispatch() -> dict[str, dict[str, _Rule]]:
    # Keyed by the status's value: a str hashes in C, an enum member's hash is a Python call.
    table: dict[str, dict[str, _Rule]] = {s.value: {} for s in WorkflowStatus}
    for t in TRANSITIONS:
        if t.source is None:
            continue
        rule = (HANDLERS[t.command], PERMISSIONS[t.actor], t.actor)
        have = table[t.source.value].get(t.command)
        if have is not None and have[2] != t.actor:  # pragma: no cover (a table typo)
            raise AssertionError(f"{t.source}/{t.command}: two different actors")
        table[t.source.value][t.command] = rule
    return table


_DISPATCH: Final = _dispatch()


def apply(
    instance: Instance,
    command: Command,
    *,
    skew: timedelta | None = CLOCK_SKEW,
    team: Team | None = None,
) -> tuple[Instance, Event]:
    """Apply one command: the next instance and the event that records it.

    Raises an :class:`~workflowkit.review.errors.IllegalCommandError` subclass, naming
    the state, the command, the actor and the reason, when the rules refuse it; the
    instance given is never changed. A command dated more than ``skew`` before the last
    event is refused with :class:`~workflowkit.review.clock.TimeOrderError`.

    Person ids are compared in their normal form (``"Bob "`` is ``bob``, see
    :mod:`workflowkit.team.ids`). Given the practice's ``team``, a person not on it, a
    leaver, or a role without the permission is refused too (:mod:`~workflowkit.review.roster`).
    """
    rule = _DISPATCH[instance.status._value_].get(command.type)
    if rule is None:
        raise refuse_state(instance, command)
    handler, may, actor = rule
    if team is not None:  # the team's refusals first: not on it, left, no permission
        check_command(team, instance, command, actor)
    by = command.by
    if by != instance.assignee:
        by = as_recorded(instance, by)
    if not (
        by == instance.assignee
        if actor == "assignee"
        else by == instance.setup.reviewers[instance.level]
        if actor == "reviewer"
        else team_allows(team, instance, command, actor)
        if team is not None and actor in TEAM_DECIDES
        else may(instance, by)
    ):
        raise refuse(
            PermissionDeniedError,
            instance,
            command,
            f"only {who(instance, actor)} may {command.type} now",
        )
    if command.at < instance.updated_at:  # the common case, time running forward, is free
        check_time_order(instance, command, skew)
    return handler(instance, command)


def apply_all(
    instance: Instance, commands: Iterable[Command], *, team: Team | None = None
) -> tuple[Instance, list[Event]]:
    """Apply several commands in turn; stops at the first refusal (which is raised)."""
    events: list[Event] = []
    for command in commands:
        instance, event = apply(instance, command, team=team)
        events.append(event)
    return instance, events


def record_findings(
    instance: Instance, check: str, result: CheckResult, *, by: str, at: datetime
) -> tuple[Instance, Event]:
    """Attach an intelligent check's ``CheckResult`` to an automated check (the hook)."""
    return apply(instance, RecordFindings(check=check, result=result, by=by, at=at))


def record_check_results(
    instance: Instance, results: Mapping[str, CheckResult], *, by: str, at: datetime
) -> tuple[Instance, list[Event]]:
    """Attach every result of a run of the template's automated checks, in check order.

    ``results`` is what :func:`workflowkit.insights.run_template_checks` returns for the
    instance's own pinned template (``instance.setup.template``). Like ``apply``, it is
    all or nothing: the first refusal (an unknown or manual check, a locked instance) is
    raised and no event is returned.
    """
    order = [c.id for c in instance.setup.template.checks if c.id in results]
    order += sorted(set(results) - set(order))  # unknown ids: apply refuses them, by name
    return apply_all(
        instance, [RecordFindings(check=cid, result=results[cid], by=by, at=at) for cid in order]
    )


# ---------------------------------------------------------------------------------
# Starting an instance
# ---------------------------------------------------------------------------------

_PINNED: dict[int, tuple[ResolvedTemplate, ResolvedTemplate]] = {}
_PINNED_LIMIT = 256


def pin(template: ResolvedTemplate) -> ResolvedTemplate:
    """A private, frozen copy of ``template`` (made once per template object).

    Instances hold the copy, so nothing done to the template afterwards reaches them.
    """
    if not isinstance(template, ResolvedTemplate):
        raise InvalidStartError(
            "template", f"must be a ResolvedTemplate, got {type(template).__name__}"
        )
    hit = _PINNED.get(id(template))
    if hit is not None and hit[0] is template:
        return hit[1]
    copy = ResolvedTemplate.model_validate_json(template.model_dump_json())
    if copy != template:
        raise InvalidStartError(
            "template", "it does not survive a JSON round trip (NaN or infinity in params?)"
        )
    try:
        template_json(copy)
    except (TypeError, ValueError) as exc:
        raise InvalidStartError("template", f"cannot be written as JSON: {exc}") from None
    if len(_PINNED) >= _PINNED_LIMIT:
        evict_one(_PINNED)
    _PINNED[id(template)] = (template, copy)
    return copy


def default_instance_id(
    template_id: str, client: str, period: str, *, workflow: str | None = None
) -> str:
    """``client/workflow/period`` for a workflow's instance (the id ``run`` gives it), so
    two workflows on one client, template and period never share an id; an instance
    started from a template alone, with no workflow, is ``client/template/period``."""
    return f"{client}/{template_id if workflow is None else workflow}/{period}"


def start(
    template: ResolvedTemplate,
    *,
    client: str,
    period: str,
    assignee: str,
    reviewers: Iterable[str] = (),
    due: date,
    at: datetime,
    by: str,
    instance_id: str | None = None,
    workflow: str | None = None,
    practice: KnownPractice | None = None,
    team: Team | None = None,
) -> tuple[Instance, Event]:
    """Start a workflow: the new instance (version 1) and its first event.

    ``reviewers`` gives one person per review level, in order: any number within the
    template's ``min_reviewers..max_reviewers`` (none: the assignee completes). The
    template's checks and review policy are pinned into the instance. ``workflow`` (the
    workflow's id) makes the default id ``client/workflow/period``. Given the
    ``practice``, an unknown client (:class:`UnknownClientError`, with a did-you-mean)
    and a period that does not fit the template's period kind
    (:class:`PeriodMismatchError`) are refused. Given the ``team``, people not on it,
    leavers (as of ``at``) and roles that may not prepare or review at their level are
    refused with :class:`InvalidStartError`.
    """
    pinned = pin(template)
    people = tuple(reviewers)
    problem = setup_problem(pinned, assignee, people)
    if problem is not None:
        raise InvalidStartError(*problem)
    if team is not None:
        check_start(team, assignee, people, pinned.review.roles(len(people)), at.date())
    if practice is not None:
        check_known(practice, str(client), str(period), pinned.period)
    iid = (
        instance_id
        if instance_id is not None
        else default_instance_id(pinned.id, str(client), str(period), workflow=workflow)
    )
    try:
        cmd = Start(
            instance=iid,
            template=pinned,
            client=client,
            period=period,
            assignee=assignee,
            reviewers=people,
            due=due,
            by=by,
            at=at,
        )
    except InvalidCommandError as exc:
        raise InvalidStartError(exc.field, exc.reason) from None
    return _sealed(cmd)  # its people were checked above, against the same pinned template


def started(cmd: Start) -> tuple[Instance, Event]:
    """The instance and event a ``Start`` command makes (``start`` and ``replay`` use it)."""
    problem = setup_problem(cmd.template, cmd.assignee, cmd.reviewers)
    if problem is not None:
        raise InvalidStartError(*problem)
    return _sealed(cmd)


def _sealed(cmd: Start) -> tuple[Instance, Event]:
    try:
        return seal_start(cmd)
    except InvalidCommandError as exc:
        raise InvalidStartError(exc.field, exc.reason) from None
