"""Meaning beyond the schema, for templates and check libraries.

In one document: semantic versions, unique check ids, manual vs automated checks,
registered data checks with valid parameters, the review policy. Across documents:
duplicate ids, ``extends`` targets and cycles, library checks, and the resolved
template's own checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from workflowkit.errors import Diagnostic, DocumentError, Severity
from workflowkit.source.loader import DEFAULT_LIMITS, LoadedDocument
from workflowkit.source.models import did_you_mean, is_semver
from workflowkit.source.workspace import ParsedDocument, Workspace, read_workspace
from workflowkit.templates.data_checks import data_check_registry, params_problems
from workflowkit.templates.models import (
    Check,
    CheckLibrary,
    Customisation,
    LibraryCheckRef,
    ReviewPolicy,
    Section,
    WorkflowTemplate,
)
from workflowkit.templates.resolve import ResolutionFailed, TemplateRegistry, entry_pointers


def _version(doc: LoadedDocument, version: str) -> list[Diagnostic]:
    if is_semver(version):
        return []
    return [
        doc.diagnostic(
            "WK208",
            f"version {version!r} is not semantic versioning",
            "/version",
            hint="use MAJOR.MINOR.PATCH, e.g. 1.0.0",
        )
    ]


def _check_kind(doc: LoadedDocument, check: Check, pointer: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if check.kind == "automated" and check.data_check is None:
        out.append(
            doc.diagnostic(
                "WK212",
                f"automated check {check.id!r} must name a data_check",
                pointer,
                hint="add `data_check: <id>` or make it `kind: manual`",
            )
        )
    if check.kind == "manual" and check.data_check is not None:
        out.append(
            doc.diagnostic(
                "WK212",
                f"check {check.id!r} names a data_check but is manual",
                pointer + "/data_check",
                key=True,
                hint="add `kind: automated`",
            )
        )
    if check.kind == "manual" and check.params:
        out.append(
            doc.diagnostic(
                "WK212",
                f"manual check {check.id!r} has params; only automated checks take them",
                pointer + "/params",
                key=True,
            )
        )
    if check.data_check is not None:
        out.extend(_data_check(doc, check.data_check, check.params, pointer))
    return out


def _data_check(
    doc: LoadedDocument, data_check: str, params: dict[str, object], pointer: str
) -> list[Diagnostic]:
    registry = data_check_registry()
    if data_check not in registry:
        return [
            doc.diagnostic(
                "WK206",
                f"unknown data check {data_check!r}",
                pointer + "/data_check",
                hint=did_you_mean(data_check, list(registry))
                or "known: " + ", ".join(sorted(registry)),
            )
        ]
    return [
        doc.diagnostic("WK207", msg, pointer + "/params" + sub)
        for sub, msg in params_problems(data_check, params)
    ]


def _entries(
    items: Iterable[Check | LibraryCheckRef | Section], pointer: str
) -> Iterable[tuple[Check | LibraryCheckRef, str]]:
    for i, item in enumerate(items):
        if isinstance(item, Section):
            yield from _entries(item.checks, f"{pointer}/{i}/checks")
        else:
            yield item, f"{pointer}/{i}"


def _unique_ids(
    doc: LoadedDocument, entries: Iterable[tuple[Check | LibraryCheckRef, str]]
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for entry, pointer in entries:
        cid = entry.id if isinstance(entry, Check) else (entry.id or entry.use)
        if cid in seen:
            out.append(
                doc.diagnostic(
                    "WK201",
                    f"check id {cid!r} is used twice (first at {seen[cid]})",
                    pointer,
                    hint="check ids must be unique in a template",
                )
            )
        else:
            seen[cid] = pointer
    return out


def _review(doc: LoadedDocument, review: ReviewPolicy | None) -> list[Diagnostic]:
    if review is None:
        return []
    out: list[Diagnostic] = []
    roles = [lvl.role for lvl in review.levels]
    for i, role in enumerate(roles):
        if role in roles[:i] and not review.same_reviewer_at_several_levels:
            out.append(
                doc.diagnostic(
                    "WK213",
                    f"role {role!r} fills two review levels, but one person may not approve "
                    "at two levels",
                    f"/review/levels/{i}/role",
                    severity=Severity.WARNING,
                    hint="use distinct roles, or set same_reviewer_at_several_levels: true",
                )
            )
    known = {"assignee", *roles}
    for i, role in enumerate(review.reassign_by):
        if role not in known:
            out.append(
                doc.diagnostic(
                    "WK213",
                    f"reassign_by names {role!r}, which is neither assignee nor a review level",
                    f"/review/reassign_by/{i}",
                    hint=did_you_mean(role, sorted(known)),
                )
            )
    return out


def _customise(doc: LoadedDocument, custom: Customisation) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for i, entry in enumerate(custom.replace):
        if isinstance(entry, Check):
            out.extend(_check_kind(doc, entry, f"/customise/replace/{i}"))
    for i, add in enumerate(custom.add):
        for entry, pointer in _entries(add.checks, f"/customise/add/{i}/checks"):
            if isinstance(entry, Check):
                out.extend(_check_kind(doc, entry, pointer))
    return out


def check_template(spec: WorkflowTemplate, doc: LoadedDocument) -> list[Diagnostic]:
    """In-document checks of a ``WorkflowTemplate``."""
    out = _version(doc, spec.version)
    entries = list(_entries(spec.checks, "/checks"))
    out.extend(_unique_ids(doc, entries))
    for entry, pointer in entries:
        if isinstance(entry, Check):
            out.extend(_check_kind(doc, entry, pointer))
    if spec.customise is not None:
        out.extend(_customise(doc, spec.customise))
    out.extend(_review(doc, spec.review))
    limit = DEFAULT_LIMITS.max_checks
    if len(entries) > limit:
        out.append(
            doc.diagnostic(
                "WK209",
                f"{len(entries)} checks; the limit is {limit}",
                "/checks",
                hint="split the work into several templates",
            )
        )
    return out


def check_library(spec: CheckLibrary, doc: LoadedDocument) -> list[Diagnostic]:
    """In-document checks of a ``CheckLibrary``."""
    out = _version(doc, spec.version)
    seen: dict[str, int] = {}
    for i, c in enumerate(spec.checks):
        if c.id in seen:
            out.append(
                doc.diagnostic(
                    "WK214",
                    f"check id {c.id!r} is defined twice in the library",
                    f"/checks/{i}/id",
                )
            )
        seen[c.id] = i
        out.extend(_check_kind(doc, c, f"/checks/{i}"))
    return out


def _duplicates(docs: list[ParsedDocument], what: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[tuple[str, str], ParsedDocument] = {}
    for d in docs:
        key = (d.spec.id, d.spec.version)
        if key in seen:
            out.append(
                d.source.diagnostic(
                    "WK211",
                    f"{what} {key[0]!r} version {key[1]} is also defined in {seen[key].name}",
                    "/id",
                )
            )
        else:
            seen[key] = d
    return out


def load_registry(paths: Sequence[str | os.PathLike[str]]) -> TemplateRegistry:
    """The registry of practice folders' templates and libraries over the built-ins (just
    the built-ins with no paths); :class:`DocumentError` when the folders hold errors."""
    if not paths:
        return TemplateRegistry()
    ws = read_workspace(paths)
    if ws.has_errors():
        raise DocumentError.of(
            [d for d in ws.diagnostics() if d.severity is Severity.ERROR],
            "the templates folder has errors; run `workflowkit validate`",
        )
    return registry_of(ws)


def registry_of(ws: Workspace) -> TemplateRegistry:
    """The template registry of a workspace: its templates and libraries over the built-ins."""
    return TemplateRegistry(
        ws.specs("WorkflowTemplate"), ws.specs("CheckLibrary"), limits=ws.limits
    )


def check_workspace(ws: Workspace) -> list[Diagnostic]:
    """References between documents: duplicates, extends, library checks."""
    templates = ws.of_kind("WorkflowTemplate")
    libraries = ws.of_kind("CheckLibrary")
    out = _duplicates(templates, "template") + _duplicates(libraries, "check library")
    if not templates:
        return out
    registry = registry_of(ws)
    invalid = _invalid_template_files(ws)
    for d in templates:
        try:
            resolved = registry.resolve_document(d.spec)
        except ResolutionFailed as exc:
            for p in exc.problems:
                message, hint = p.message, p.hint
                if p.code == "WK203" and d.spec.extends in invalid:
                    message = (
                        f"extends {d.spec.extends!r}, whose document has errors "
                        f"({invalid[d.spec.extends]})"
                    )
                    hint = "fix that document first"
                if p.code == "WK125" and p.check is not None:
                    message += f" ({_library_locations(p.check, p.libraries, ws, registry)})"
                out.append(d.source.diagnostic(p.code, message, p.pointer, hint=hint))
            continue
        own = entry_pointers(d.spec)
        for c in resolved.checks:
            if c.data_check is not None and c.data_check in data_check_registry():
                for sub, msg in params_problems(c.data_check, c.params):
                    where = own.get(c.id)
                    pointer = f"{where}/params{sub}" if where else "/checks"
                    out.append(d.source.diagnostic("WK207", f"check {c.id!r}: {msg}", pointer))
    return out


def _library_locations(
    check_id: str, libraries: Iterable[str], ws: Workspace, registry: TemplateRegistry
) -> str:
    """Where each of the libraries of an ambiguous ``use:`` (WK125) defines the check:
    ``'a' at libs/a.yaml:7:7; 'b' at libs/b.yaml:4:7`` (a built-in library by its name)."""
    by_spec = {id(d.spec): d for d in ws.of_kind("CheckLibrary")}
    known = registry.libraries()
    parts = []
    for lib_id in libraries:
        lib = known.get(lib_id)
        doc = by_spec.get(id(lib)) if lib is not None else None
        index = (
            None
            if lib is None
            else next((i for i, c in enumerate(lib.checks) if c.id == check_id), None)
        )
        if doc is None or index is None:
            parts.append(f"{lib_id!r}: built in")
            continue
        line, col = doc.source.locate(f"/checks/{index}/id")
        parts.append(f"{lib_id!r} at {doc.name}:{line}:{col}")
    return "; ".join(parts)


def _invalid_template_files(ws: Workspace) -> dict[str, str]:
    """Ids of template documents that did not validate, with their files."""
    out: dict[str, str] = {}
    for d in ws.documents:
        data = d.source.data
        if d.kind == "WorkflowTemplate" and d.spec is None and isinstance(data, dict):
            tid = data.get("id")
            if isinstance(tid, str):
                out.setdefault(tid, d.name)
    return out
