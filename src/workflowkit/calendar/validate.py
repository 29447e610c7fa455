"""Meaning checks for ``ClientList`` and ``Workflow`` documents, and across them.

In one document: duplicate client ids, non-standard VAT periods, the bank-holiday
file, contradictory client dates; cron expressions, trigger options, one-off dates,
version range syntax. Across documents: unknown clients, tags and templates (and
versions), duplicate workflow ids, clients missing the date an event trigger or
deadline needs, and reviewers against the template's review policy. Every problem is
a located, coded diagnostic (WK3xx, see ``docs/diagnostics.md``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from workflowkit.calendar.bounds import out_of_range, reference_date_change_problems
from workflowkit.calendar.dates import EARLIEST_DATE, LATEST_DATE
from workflowkit.calendar.errors import InvalidCronError, MissingClientDataError, NotApplicableError
from workflowkit.calendar.models import (
    CadenceTrigger,
    Client,
    ClientList,
    CronTrigger,
    EventTrigger,
    Workflow,
)
from workflowkit.errors import Diagnostic, DocumentError, NotFoundError, Severity
from workflowkit.source.loader import LoadedDocument
from workflowkit.source.models import did_you_mean
from workflowkit.source.workspace import ParsedDocument, Workspace

MAX_NAMED = 5
"""How many client ids one aggregated diagnostic names before "and N more"."""


# ---------------------------------------------------------------------------------------
# ClientList
# ---------------------------------------------------------------------------------------


def holidays_path(doc_name: str, holidays_file: str) -> Path:
    """Where a ClientList's ``holidays_file`` is: relative to the document's folder."""
    p = Path(holidays_file)
    return p if p.is_absolute() else Path(doc_name).parent / p


def check_client_list(spec: ClientList, doc: LoadedDocument) -> list[Diagnostic]:
    """In-document checks of a ``ClientList``."""
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for i, client in enumerate(spec.clients):
        here = f"/clients/{i}"
        if client.id in seen:
            out.append(
                doc.diagnostic(
                    "WK301",
                    f"client id {client.id!r} is used twice (first at /clients/{seen[client.id]})",
                    here + "/id",
                    hint="client ids must be unique across the practice",
                )
            )
        else:
            seen[client.id] = i
        out.extend(_client_dates(doc, client, here))
    if spec.holidays_file is not None:
        out.extend(_holidays_file(doc, spec.holidays_file))
    return out


def _client_dates(doc: LoadedDocument, client: Client, here: str) -> list[Diagnostic]:
    out: list[Diagnostic] = _out_of_range(doc, client, here)
    if out:
        return out  # the other date checks compute with these dates
    for pointer, message, is_error in reference_date_change_problems(client):
        out.append(
            doc.diagnostic(
                "WK331",
                message,
                here + pointer,
                severity=Severity.ERROR if is_error else Severity.WARNING,
                hint="a notice under Companies Act 2006 s.392 changes a period that exists, "
                "in time, by at most 18 months",
            )
        )
    vat = client.vat
    if vat is not None:
        for j in range(1, len(vat.periods)):
            prev, cur = vat.periods[j - 1], vat.periods[j]
            if cur.start <= prev.end:
                out.append(
                    doc.diagnostic(
                        "WK302",
                        f"VAT period {cur.start}..{cur.end} overlaps or comes before "
                        f"{prev.start}..{prev.end}",
                        f"{here}/vat/periods/{j}",
                        hint="list non-standard periods in order, without overlaps",
                    )
                )
        if vat.registered and vat.deregistered and vat.deregistered < vat.registered:
            out.append(
                doc.diagnostic(
                    "WK304",
                    f"client {client.id!r} is deregistered for VAT ({vat.deregistered}) before "
                    f"it was registered ({vat.registered})",
                    f"{here}/vat/deregistered",
                )
            )
    inc = client.incorporated
    if inc is not None and client.confirmation_date is not None and client.confirmation_date < inc:
        out.append(
            doc.diagnostic(
                "WK304",
                f"client {client.id!r} has a confirmation_date ({client.confirmation_date}) "
                f"before its incorporation ({inc})",
                f"{here}/confirmation_date",
            )
        )
    if client.confirmation_date is not None and not client.is_company:
        out.append(
            doc.diagnostic(
                "WK304",
                f"client {client.id!r} is a {client.company_type.replace('_', ' ')}: only "
                "companies and LLPs file confirmation statements",
                f"{here}/confirmation_date",
                severity=Severity.WARNING,
                key=True,
            )
        )
    return out


def _out_of_range(doc: LoadedDocument, model: BaseModel, here: str) -> list[Diagnostic]:
    """WK330 for each date ``plan`` cannot compute with (F13/F14)."""
    return [
        doc.diagnostic(
            "WK330",
            f"date {value.isoformat()} is outside the dates workflowkit plans with "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}): deadlines months "
            "after it would fall past 9999-12-31",
            pointer,
            hint="a date this far out is almost always a typo in the year",
        )
        for pointer, value in out_of_range(model, here)
    ]


def _holidays_file(doc: LoadedDocument, name: str) -> list[Diagnostic]:
    from workflowkit.calendar.working_days import BankHolidays

    path = holidays_path(doc.name, name)
    if not path.is_file():
        return [
            doc.diagnostic(
                "WK303",
                f"bank-holiday file {name!r} not found (looked for {path})",
                "/holidays_file",
                hint="the path is relative to this ClientList file",
            )
        ]
    try:
        BankHolidays.from_file(path)
    except DocumentError as exc:
        return [
            doc.diagnostic(
                "WK303",
                f"bank-holiday file {name!r} is invalid: {len(exc.diagnostics)} problem(s)",
                "/holidays_file",
            ),
            *exc.diagnostics,
        ]
    return []


# ---------------------------------------------------------------------------------------
# Workflow
# ---------------------------------------------------------------------------------------


def check_workflow(spec: Workflow, doc: LoadedDocument) -> list[Diagnostic]:
    """In-document checks of a ``Workflow``."""
    from workflowkit.calendar.cron import parse_cron
    from workflowkit.templates.versions import is_range

    out: list[Diagnostic] = _out_of_range(doc, spec, "")
    version = spec.template.version
    if version is not None and not is_range(version):
        out.append(
            doc.diagnostic(
                "WK316",
                f"{version!r} is not a version or version range",
                "/template/version",
                hint="e.g. 1.2.0, ^1.2, ~1.2, 1.x or >=1.0.0 <2.0.0",
            )
        )
    rep = spec.repeating
    if rep is not None:
        trigger = rep.trigger
        if isinstance(trigger, CronTrigger):
            try:
                parse_cron(trigger.cron)
            except InvalidCronError as exc:
                hint = {
                    "WK310": "minute hour day-of-month month day-of-week, e.g. `0 9 5 * *`",
                    "WK311": "name one time of day, e.g. `0 9 * * *`",
                }.get(exc.code)
                out.append(
                    doc.diagnostic(exc.code, exc.reason, "/repeating/trigger/cron", hint=hint)
                )
        if isinstance(trigger, CronTrigger | CadenceTrigger):
            for key in ("after_period_end", "before_deadline"):
                if getattr(rep.create, key) is not None:
                    out.append(
                        doc.diagnostic(
                            "WK313",
                            f"create.{key} is for event triggers; a schedule creates each "
                            "occurrence when it fires",
                            f"/repeating/create/{key}",
                            key=True,
                            hint="remove it, or use `period:` to choose the reporting period",
                        )
                    )
        if isinstance(trigger, CronTrigger) and rep.create.at != "00:00":
            out.append(
                doc.diagnostic(
                    "WK313",
                    "create.at is ignored with a cron trigger: the cron sets the time",
                    "/repeating/create/at",
                    key=True,
                    severity=Severity.WARNING,
                )
            )
        before = rep.create.before_deadline
        if before is not None and before.deadline is None and rep.due.deadline is None:
            out.append(
                doc.diagnostic(
                    "WK313",
                    "create.before_deadline needs a deadline: name one, or set due.deadline",
                    "/repeating/create/before_deadline",
                )
            )
    one = spec.one_off
    if one is not None:
        if one.period.end < one.period.start:
            out.append(
                doc.diagnostic(
                    "WK314",
                    f"the period ends ({one.period.end}) before it starts ({one.period.start})",
                    "/one_off/period/end",
                )
            )
        if one.create_on is not None and one.create_on > one.due_on:
            out.append(
                doc.diagnostic(
                    "WK314",
                    f"create_on ({one.create_on}) is after due_on ({one.due_on})",
                    "/one_off/create_on",
                    hint="an occurrence is never due before it is created",
                )
            )
    return out


# ---------------------------------------------------------------------------------------
# Across documents
# ---------------------------------------------------------------------------------------


def _where(doc: ParsedDocument, pointer: str) -> str:
    line, col = doc.source.locate(pointer)
    return f"{doc.name}:{line}:{col}"


def _names(ids: list[str]) -> str:
    shown = ", ".join(repr(i) for i in ids[:MAX_NAMED])
    more = len(ids) - MAX_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def _client_index(
    ws: Workspace, out: list[Diagnostic]
) -> dict[str, tuple[Client, ParsedDocument, int]]:
    index: dict[str, tuple[Client, ParsedDocument, int]] = {}
    for doc in ws.of_kind("ClientList"):
        spec: ClientList = doc.spec
        local: set[str] = set()
        for i, client in enumerate(spec.clients):
            if client.id in index and client.id not in local:
                _, other, j = index[client.id]
                out.append(
                    doc.source.diagnostic(
                        "WK301",
                        f"client id {client.id!r} is also defined at "
                        f"{_where(other, f'/clients/{j}/id')}",
                        f"/clients/{i}/id",
                    )
                )
                continue
            local.add(client.id)
            index.setdefault(client.id, (client, doc, i))
    return index


def _trigger_problem(workflow: Workflow, client: Client) -> tuple[str, str, str] | None:
    """(code, pointer, reason) when ``client`` cannot take the workflow's trigger."""
    from workflowkit.calendar.periods import accounting_reference_date

    rep = workflow.repeating
    if rep is None or not isinstance(rep.trigger, EventTrigger):
        return None
    event = rep.trigger.event
    pointer = "/repeating/trigger/event"
    if event in ("year_end", "accounting_period_end"):
        try:
            accounting_reference_date(client)
        except MissingClientDataError:
            return ("WK324", pointer, "have no year_end (or, for a company, incorporation date)")
    elif event == "vat_period_end" and client.vat is None:
        return ("WK324", pointer, "have no VAT registration (vat:)")
    elif event == "confirmation_statement":
        if not client.is_company:
            return (
                "WK325",
                pointer,
                "are not companies or LLPs: they file no confirmation statement",
            )
        if client.incorporated is None and client.confirmation_date is None:
            return ("WK324", pointer, "have no incorporated (or confirmation_date) date")
    elif event == "tax_month_end" and client.payroll is None:
        return ("WK324", pointer, "have no payroll")
    return None


def _deadline_problems(workflow: Workflow, client: Client) -> list[tuple[str, str, str]]:
    from workflowkit.calendar.rules import DEADLINES

    rep = workflow.repeating
    if rep is None:
        return []
    named: list[tuple[str, str]] = []
    if rep.due.deadline is not None:
        named.append((rep.due.deadline, "/repeating/due/deadline"))
    before = rep.create.before_deadline
    if before is not None and before.deadline is not None:
        named.append((before.deadline, "/repeating/create/before_deadline/deadline"))
    out: list[tuple[str, str, str]] = []
    for name, pointer in named:
        try:
            DEADLINES[name].check(client)
        except NotApplicableError as exc:
            out.append(("WK325", pointer, f"cannot have deadline {name}: {exc.reason}"))
        except MissingClientDataError as exc:
            out.append(("WK324", pointer, f"have no {exc.field}, which deadline {name} needs"))
    return out


def _selection(
    doc: ParsedDocument,
    workflow: Workflow,
    index: dict[str, tuple[Client, ParsedDocument, int]],
    tags: dict[str, list[str]],
    out: list[Diagnostic],
) -> list[Client]:
    sel = workflow.clients
    known = sorted(index)
    unknown = False
    for key in ("ids", "exclude"):
        for i, cid in enumerate(getattr(sel, key)):
            if cid not in index:
                unknown = True
                out.append(
                    doc.source.diagnostic(
                        "WK320",
                        f"unknown client {cid!r}",
                        f"/clients/{key}/{i}",
                        hint=did_you_mean(cid, known)
                        or ("no ClientList defines any client" if not known else None),
                    )
                )
    for i, tag in enumerate(sel.tags):
        if tag not in tags:
            out.append(
                doc.source.diagnostic(
                    "WK321",
                    f"no client has tag {tag!r}",
                    f"/clients/tags/{i}",
                    severity=Severity.WARNING,
                    hint=did_you_mean(tag, sorted(tags)),
                )
            )
    if sel.all:
        wanted = set(index)
    else:
        wanted = {cid for cid in sel.ids if cid in index}
        for tag in sel.tags:
            wanted.update(tags.get(tag, ()))
    types = set(sel.company_types)
    chosen = [
        index[cid][0]
        for cid in sorted(wanted)
        if cid not in set(sel.exclude) and (not types or index[cid][0].company_type in types)
    ]
    if index and not chosen and not unknown:
        out.append(
            doc.source.diagnostic(
                "WK321",
                f"workflow {workflow.id!r} selects no client",
                "/clients",
                severity=Severity.WARNING,
            )
        )
    return chosen


def _template(
    doc: ParsedDocument, workflow: Workflow, registry: object, out: list[Diagnostic]
) -> None:
    from workflowkit.templates.resolve import TemplateRegistry
    from workflowkit.templates.versions import is_range

    assert isinstance(registry, TemplateRegistry)
    ref = workflow.template
    if ref.id not in registry.ids:
        out.append(
            doc.source.diagnostic(
                "WK322",
                f"unknown template {ref.id!r}",
                "/template/id",
                hint=did_you_mean(ref.id, registry.ids)
                or ("known: " + ", ".join(registry.ids) if registry.ids else None),
            )
        )
        return
    if ref.version is not None and not is_range(ref.version):
        return  # WK316 already says so
    try:
        registry.document(ref.id, ref.version)
    except NotFoundError:
        out.append(
            doc.source.diagnostic(
                "WK323",
                f"template {ref.id!r} has no version matching {ref.version!r}",
                "/template/version",
                hint="versions: " + ", ".join(registry.versions(ref.id)),
            )
        )
        return
    _reviewers(doc, workflow, registry, out)


def _reviewers(
    doc: ParsedDocument, workflow: Workflow, registry: object, out: list[Diagnostic]
) -> None:
    from workflowkit.templates.resolve import TemplateRegistry

    assert isinstance(registry, TemplateRegistry)
    try:
        resolved = registry.get(workflow.template.id, workflow.template.version)
    except (DocumentError, NotFoundError):
        return  # the template's own checks report it
    _people(doc, resolved, workflow.assignee, workflow.reviewers, "", out)
    for n, entry in enumerate(workflow.per_client):
        assignee = entry.assignee if entry.assignee is not None else workflow.assignee
        reviewers = entry.reviewers if entry.reviewers is not None else workflow.reviewers
        if entry.assignee is not None or entry.reviewers is not None:
            _people(doc, resolved, assignee, reviewers, f"/per_client/{n}", out)


def _people(
    doc: ParsedDocument,
    resolved: Any,
    assignee: str,
    reviewers: tuple[str, ...],
    base: str,
    out: list[Diagnostic],
) -> None:
    """The assignee and reviewers of the workflow (``base`` ``""``) or of one
    ``per_client`` entry, against the template's review policy."""
    policy = resolved.review
    whose = "the workflow" if not base else f"per_client entry {base.rsplit('/', 1)[1]}"
    at = base + "/reviewers"
    low, high = policy.minimum, policy.maximum
    if not low <= len(reviewers) <= high:
        limits = f"exactly {low}" if low == high else f"{low} to {high}"
        roles = ", ".join(policy.roles(high)) or "none"
        out.append(
            doc.source.diagnostic(
                "WK315",
                f"template {resolved.id}@{resolved.version} takes {limits} reviewer(s) "
                f"({roles}) but {whose} names {len(reviewers)}",
                at if reviewers or base else "",
                key=bool(reviewers) or bool(base),
                hint="name one reviewer per level, in order, within the template's "
                "min_reviewers..max_reviewers",
            )
        )
    if assignee in reviewers and not policy.preparer_may_review:
        i = reviewers.index(assignee)
        out.append(
            doc.source.diagnostic(
                "WK315",
                f"assignee {assignee!r} also reviews, but template "
                f"{resolved.id!r} does not let the preparer review their own work",
                f"{at}/{i}",
            )
        )
    seen: set[str] = set()
    for i, r in enumerate(reviewers):
        if r in seen and not policy.same_reviewer_at_several_levels:
            out.append(
                doc.source.diagnostic(
                    "WK315",
                    f"reviewer {r!r} is named at two levels, but template {resolved.id!r} "
                    "does not let one person approve at two levels",
                    f"{at}/{i}",
                )
            )
        seen.add(r)


def _per_client_clients(
    doc: ParsedDocument,
    workflow: Workflow,
    chosen: Iterable[Client],
    out: list[Diagnostic],
) -> None:
    """Every client a ``per_client`` entry names is one the workflow selects, once."""
    selected = {c.id for c in chosen}
    named: dict[str, int] = {}
    for n, entry in enumerate(workflow.per_client):
        for j, cid in enumerate(entry.clients):
            where = f"/per_client/{n}/clients/{j}"
            if cid not in selected:
                out.append(
                    doc.source.diagnostic(
                        "WK340",
                        f"per_client names {cid!r}, which the workflow does not select",
                        where,
                        hint=did_you_mean(cid, sorted(selected))
                        or "name a client the workflow's `clients` selects",
                    )
                )
            elif cid in named:
                out.append(
                    doc.source.diagnostic(
                        "WK340",
                        f"per_client names {cid!r} twice (first in entry {named[cid]}); "
                        "the first entry wins",
                        where,
                        severity=Severity.WARNING,
                    )
                )
            else:
                named[cid] = n


def _client_problems(
    doc: ParsedDocument,
    workflow: Workflow,
    chosen: Iterable[Client],
    index: dict[str, tuple[Client, ParsedDocument, int]],
    out: list[Diagnostic],
) -> None:
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for client in chosen:
        problem = _trigger_problem(workflow, client)
        if problem is not None:
            grouped[problem].append(client.id)
        for p in _deadline_problems(workflow, client):
            grouped[p].append(client.id)
    hints = {
        "WK324": "add the missing data to the client, or leave the client out of this "
        "workflow (clients.exclude)",
        "WK325": "leave the client out of this workflow (clients.company_types or clients.exclude)",
    }
    for (code, pointer, reason), ids in grouped.items():
        first = index[ids[0]]
        where = _where(first[1], f"/clients/{first[2]}")
        noun = "client" if len(ids) == 1 else "clients"
        verb_reason = reason if len(ids) > 1 else _singular(reason)
        out.append(
            doc.source.diagnostic(
                code,
                f"{noun} {_names(ids)} {verb_reason} (first defined at {where})",
                pointer,
                hint=hints[code],
            )
        )


def _singular(reason: str) -> str:
    reason = reason.replace("they file no", "it files no")
    for plural, single in (
        ("have ", "has "),
        ("are not companies or LLPs", "is not a company or LLP"),
    ):
        if reason.startswith(plural):
            return single + reason[len(plural) :]
    return reason


def check_workspace(ws: Workspace) -> list[Diagnostic]:
    """References between documents: clients, tags, templates, reviewers, client data."""
    from workflowkit.templates.validate import registry_of

    out: list[Diagnostic] = []
    index = _client_index(ws, out)
    tags: dict[str, list[str]] = defaultdict(list)
    for cid, (client, _, _) in index.items():
        for t in client.tags:
            tags[t].append(cid)
    workflows = ws.of_kind("Workflow")
    if not workflows:
        return out
    seen: dict[str, ParsedDocument] = {}
    for doc in workflows:
        wf: Workflow = doc.spec
        if wf.id in seen:
            out.append(
                doc.source.diagnostic(
                    "WK326",
                    f"workflow id {wf.id!r} is also defined in {seen[wf.id].name}",
                    "/id",
                    hint="workflow ids are part of every occurrence key: keep them unique",
                )
            )
        else:
            seen[wf.id] = doc
    # With a client list that did not validate, client references cannot be judged:
    # its own diagnostics say what to fix first.
    clients_known = not any(d.kind == "ClientList" and d.spec is None for d in ws.documents)
    registry = registry_of(ws)
    for doc in workflows:
        wf = doc.spec
        _template(doc, wf, registry, out)
        if clients_known:
            chosen = list(_selection(doc, wf, index, tags, out))
            _client_problems(doc, wf, chosen, index, out)
            if wf.per_client:
                _per_client_clients(doc, wf, chosen, out)
    return out
