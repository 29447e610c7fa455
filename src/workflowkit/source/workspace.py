"""A practice repository read as a whole: every document, its spec, and its diagnostics.

``read_workspace(paths)`` parses every file, validates each against its kind's model and
meaning, then runs the checks that cross documents (template ids, library checks,
``extends`` targets, clients, users). It never raises on bad input: problems come back
as diagnostics beside whatever could be read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from workflowkit.errors import Diagnostic, DocumentError, Severity
from workflowkit.source.kinds import (
    KINDS,
    WORKSPACE_CHECKS,
    checker_for,
    header_diagnostics,
    model_for,
    resolve,
)
from workflowkit.source.loader import (
    DEFAULT_LIMITS,
    Limits,
    LoadedDocument,
    is_data_file,
    load_text,
    read_path,
)
from workflowkit.source.models import cap_diagnostics, validate_model
from workflowkit.source.paths import SUFFIXES as SUFFIXES
from workflowkit.source.paths import UnreadablePath
from workflowkit.source.paths import iter_files as iter_files


@dataclass(eq=False)
class ParsedDocument:
    """One file: its source, its kind and spec (``None`` when it did not validate)."""

    source: LoadedDocument
    kind: str | None
    spec: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unreadable: bool = False
    """The path named no readable file (its diagnostics are path problems: exit 2)."""

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def ok(self) -> bool:
        return self.spec is not None


@dataclass(eq=False)
class Workspace:
    """All documents read together, plus the diagnostics not tied to one file."""

    documents: list[ParsedDocument] = field(default_factory=list)
    unreadable: list[Diagnostic] = field(default_factory=list)
    limits: Limits = DEFAULT_LIMITS
    cross: list[Diagnostic] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ParsedDocument]:
        return [d for d in self.documents if d.kind == kind and d.spec is not None]

    def specs(self, kind: str) -> list[Any]:
        return [d.spec for d in self.of_kind(kind)]

    def diagnostics(self) -> list[Diagnostic]:
        out = list(self.unreadable)
        for d in self.documents:
            out.extend(d.diagnostics)
        out.extend(self.cross)
        return sorted(out, key=Diagnostic.sort_key)

    def has_errors(self, *, strict: bool = False) -> bool:
        bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(d.severity in bad for d in self.diagnostics())


def parse_document(doc: LoadedDocument, *, only: str | None = None) -> ParsedDocument:
    """Header, model and in-document checks for one loaded document."""
    if only is None and is_data_file(doc):
        return ParsedDocument(doc, None, None, [])
    kind, diags = header_diagnostics(doc)
    if kind is None:
        return ParsedDocument(doc, None, None, diags)
    if only is not None and kind != only:
        return ParsedDocument(
            doc,
            kind,
            None,
            [doc.diagnostic("WK112", f"expected a {only} document, found {kind}", "/kind")],
        )
    model = model_for(kind)
    spec, errors = validate_model(doc, model)
    if spec is None:
        return ParsedDocument(doc, kind, None, errors)
    checker = checker_for(kind)
    if checker is not None:
        errors.extend(checker(spec, doc))
    errors = cap_diagnostics(doc, errors)
    hard = [e for e in errors if e.severity is Severity.ERROR]
    return ParsedDocument(doc, kind, spec if not hard else None, errors)


def parse_text(
    text: str | bytes,
    *,
    name: str = "<input>",
    format: Literal["yaml", "json"] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedDocument:
    """Read one document from text (never raises for bad input)."""
    try:
        doc = load_text(text, name=name, format=format, limits=limits)
    except DocumentError as exc:
        return ParsedDocument(
            LoadedDocument(name, None, "yaml", ""), None, None, list(exc.diagnostics)
        )
    return parse_document(doc)


def parse_file(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> ParsedDocument:
    """Read and validate one file on its own (never raises for bad input)."""
    try:
        doc = read_path(path, limits=limits)
    except DocumentError as exc:
        return ParsedDocument(
            LoadedDocument(str(path), None, "yaml", ""),
            None,
            None,
            list(exc.diagnostics),
            unreadable=isinstance(exc, UnreadablePath),
        )
    return parse_document(doc)


PARALLEL_MIN_FILES = 200
"""From this many files on, ``read_workspace`` parses in worker processes (one per core)."""


def _parse_chunk(paths: list[str], limits: Limits) -> list[ParsedDocument]:
    return [parse_file(p, limits) for p in paths]


def _parse_parallel(paths: list[str], limits: Limits, jobs: int) -> list[ParsedDocument]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = max(16, len(paths) // (jobs * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        results = pool.map(_parse_chunk, chunks, [limits] * len(chunks))
        return [doc for chunk in results for doc in chunk]


def read_workspace(
    paths: Sequence[str | os.PathLike[str]],
    *,
    limits: Limits = DEFAULT_LIMITS,
    cross_checks: bool = True,
    jobs: int | None = None,
) -> Workspace:
    """Read and validate every document under ``paths`` and the references between them.

    Files are parsed independently, in worker processes when there are many of them
    (``jobs``: how many; default one per core from ``PARALLEL_MIN_FILES`` files on, and
    ``jobs=1`` never forks). The references between documents are checked afterwards.
    The result is the same either way, in the same order.
    """
    ws = Workspace(limits=limits)
    files: list[str] = []
    for path, missing in iter_files(paths):
        if missing is not None:
            ws.unreadable.append(missing)
        else:
            files.append(str(path))
    if jobs is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        jobs = cores if len(files) >= PARALLEL_MIN_FILES else 1
    if jobs > 1 and len(files) > 1:
        try:
            ws.documents = _parse_parallel(files, limits, jobs)
        except (OSError, RuntimeError, ImportError):  # no processes here: do it in-process
            ws.documents = [parse_file(p, limits) for p in files]
    else:
        ws.documents = [parse_file(p, limits) for p in files]
    # A file that could not be opened is a path problem, like a missing one (exit 2).
    ws.unreadable.extend(d for doc in ws.documents if doc.unreadable for d in doc.diagnostics)
    ws.documents = [doc for doc in ws.documents if not doc.unreadable]
    if cross_checks:
        run_workspace_checks(ws)
    return ws


def run_workspace_checks(ws: Workspace) -> None:
    ws.cross = []
    present = {d.kind for d in ws.documents if d.spec is not None}
    for dotted, kinds in WORKSPACE_CHECKS:
        if present & kinds:
            ws.cross.extend(resolve(dotted)(ws))


def load_spec(
    path: str | os.PathLike[str], kind: str, *, limits: Limits = DEFAULT_LIMITS
) -> BaseModel:
    """Read one file that must hold a valid ``kind`` document, or raise ``DocumentError``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    doc = read_path(path, limits=limits)
    parsed = parse_document(doc, only=kind)
    errors = [d for d in parsed.diagnostics if d.severity is Severity.ERROR]
    if parsed.spec is None or errors:
        raise DocumentError.of(errors or parsed.diagnostics, f"{path}: not a valid {kind}")
    spec: BaseModel = parsed.spec
    return spec
