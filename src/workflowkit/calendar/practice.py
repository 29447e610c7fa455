"""A practice read from disk: its clients, workflows, templates and bank holidays.

``load_practice(paths)`` reads every document under ``paths`` (files or folders),
validates each and the references between them, and returns a :class:`Practice`, or
raises :class:`~workflowkit.errors.DocumentError` carrying every error found. Warnings
are kept on the practice. This is the one place the calendar reads files; everything
else takes values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workflowkit.calendar.models import Client, ClientList, Division, Workflow
from workflowkit.calendar.plan import By, Occurrence, catch_up, plan
from workflowkit.calendar.validate import holidays_path
from workflowkit.calendar.working_days import BankHolidays
from workflowkit.errors import Diagnostic, DocumentError, NotFoundError, Severity
from workflowkit.templates.resolve import TemplateRegistry

if TYPE_CHECKING:
    from workflowkit.team.models import Team

PathLike = str | os.PathLike[str]
CLIENT_GAPS = frozenset({"WK324", "WK325"})
"""Workflow errors about some clients' data: ``run`` skips those clients, not the workflow."""


@dataclass(frozen=True, eq=False)
class Practice:
    """Everything the calendar needs to plan a practice's work."""

    clients: tuple[Client, ...]
    workflows: tuple[Workflow, ...]
    templates: TemplateRegistry
    holidays: BankHolidays = field(default_factory=BankHolidays)
    warnings: tuple[Diagnostic, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    """The file each client and workflow id was read from (``"client:acme"`` ->
    ``"practice/clients.yaml"``; ``"workflow:vat"`` -> ...)."""
    locators: Mapping[str, Callable[[str], tuple[int, int]]] = field(
        default_factory=dict, repr=False
    )
    """Per ``"workflow:ID"``: the (line, col) of a JSON pointer in that document."""

    skipped: tuple[Diagnostic, ...] = ()
    """With ``load_practice(skip_invalid_workflows=True)``: the errors of the workflows
    left out."""
    team: Team | None = None
    """The practice's ``Team`` document, if it has one: ``run`` gives work due during an
    absence to the stand-in and refuses people the team does not allow."""

    def locate(self, what: str, pointer: str = "") -> tuple[str | None, int | None, int | None]:
        """``(file, line, col)`` of ``pointer`` in the document of ``what``
        (``"workflow:vat"``); the parts not known are ``None``."""
        file = self.sources.get(what)
        locator = self.locators.get(what)
        if locator is None:
            return file, None, None
        line, col = locator(pointer)
        return file, line, col

    def client(self, client_id: str) -> Client:
        for c in self.clients:
            if c.id == client_id:
                return c
        raise NotFoundError(f"no client {client_id!r} in the practice")

    def workflow(self, workflow_id: str) -> Workflow:
        for w in self.workflows:
            if w.id == workflow_id:
                return w
        raise NotFoundError(f"no workflow {workflow_id!r} in the practice")

    def plan(self, start: date, end: date, *, by: By = "create") -> list[Occurrence]:
        """:func:`workflowkit.calendar.plan` over this practice."""
        return plan(
            self.workflows,
            self.templates,
            self.clients,
            start,
            end,
            by=by,
            holidays=self.holidays,
        )

    def catch_up(self, since: datetime, now: datetime) -> list[Occurrence]:
        """:func:`workflowkit.calendar.catch_up` over this practice."""
        return catch_up(
            self.workflows,
            self.templates,
            self.clients,
            since=since,
            now=now,
            holidays=self.holidays,
        )


def _merge(holidays: list[BankHolidays]) -> BankHolidays:
    if len(holidays) == 1:
        return holidays[0]
    merged: dict[Division, set[date]] = {}
    for h in holidays:
        for division, days in h.listed().items():
            merged.setdefault(division, set()).update(days)
    return BankHolidays(merged, source=", ".join(h.source for h in holidays))


def load_practice(
    paths: PathLike | Sequence[PathLike],
    *,
    holidays: BankHolidays | PathLike | None = None,
    strict: bool = False,
    skip_invalid_workflows: bool = False,
) -> Practice:
    """Read and validate a practice; raise ``DocumentError`` with every error found.

    ``holidays`` overrides the bank holidays (a :class:`BankHolidays` or a file path);
    by default a ClientList's ``holidays_file`` is used, else the `holidays` package.
    With ``strict=True`` warnings count as errors.

    With ``skip_invalid_workflows=True`` (what ``run`` uses), a ``Workflow`` document
    with errors of its own is left out and its errors kept in ``Practice.skipped``, so
    one broken workflow does not stop the rest; errors about clients lacking a
    trigger's data (WK324, WK325) leave the workflow in, for the run to skip just those
    clients. Errors in any other document still raise.
    """
    from workflowkit.source.workspace import read_workspace
    from workflowkit.team.validate import team_of
    from workflowkit.templates.validate import registry_of

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    ws = read_workspace(list(paths))
    diagnostics = ws.diagnostics()
    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    errors = [d for d in diagnostics if d.severity in bad]
    where = ", ".join(str(p) for p in paths)
    skipped: list[Diagnostic] = []
    left_out: set[str] = set()
    if skip_invalid_workflows and errors:
        workflow_files = {doc.name for doc in ws.of_kind("Workflow")}
        for d in errors:
            if d.file in workflow_files:
                if d.code not in CLIENT_GAPS:
                    left_out.add(d.file)
            else:
                skipped.append(d)
        if skipped:  # an error outside the workflows: nothing runs
            raise DocumentError.of(skipped, f"the practice in {where} is invalid")
        skipped = [d for d in errors if d.file in left_out]
        errors = []
    if errors:
        raise DocumentError.of(errors, f"the practice in {where} is invalid")
    clients: list[Client] = []
    sources: dict[str, str] = {}
    locators: dict[str, Callable[[str], tuple[int, int]]] = {}
    files: list[BankHolidays] = []
    for doc in ws.of_kind("ClientList"):
        spec: ClientList = doc.spec
        clients.extend(spec.clients)
        sources.update({f"client:{c.id}": doc.name for c in spec.clients})
        if spec.holidays_file is not None and holidays is None:
            files.append(BankHolidays.from_file(holidays_path(doc.name, spec.holidays_file)))
    workflows: list[Workflow] = []
    for doc in ws.of_kind("Workflow"):
        if doc.name in left_out or doc.spec is None:
            continue
        workflows.append(doc.spec)
        sources[f"workflow:{doc.spec.id}"] = doc.name
        locators[f"workflow:{doc.spec.id}"] = doc.source.locate
    if isinstance(holidays, BankHolidays):
        chosen = holidays
    elif holidays is not None:
        chosen = BankHolidays.from_file(Path(holidays))
    elif files:
        chosen = _merge(files)
    else:
        chosen = BankHolidays()
    return Practice(
        clients=tuple(clients),
        workflows=tuple(workflows),
        templates=registry_of(ws),
        holidays=chosen,
        warnings=tuple(d for d in diagnostics if d.severity is not Severity.ERROR),
        sources=sources,
        locators=locators,
        skipped=tuple(skipped),
        team=team_of(ws),
    )
