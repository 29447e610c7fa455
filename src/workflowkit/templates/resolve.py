"""From template documents to a resolved template: library checks in place, ``extends``
applied, sections flattened onto their checks.

A :class:`ResolvedTemplate` is what the engines use: the review engine freezes a copy
of it into every instance it starts, so editing the template later never changes a
started instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from workflowkit.errors import DocumentError, NotFoundError
from workflowkit.source.loader import DEFAULT_LIMITS, Limits
from workflowkit.source.models import Spec
from workflowkit.templates.models import (
    Check,
    CheckLibrary,
    Customisation,
    Estimate,
    LibraryCheckRef,
    Move,
    PeriodKind,
    Placement,
    ReviewPolicy,
    Section,
    WorkflowTemplate,
)
from workflowkit.templates.versions import SemVer, best_version


class ResolvedCheck(Check):
    """A check as it stands in a resolved template, with its section title."""

    section: str | None = Field(default=None, description="Section title, if any.")


class ResolvedTemplate(Spec):
    """A template with everything resolved: the frozen input of a workflow instance."""

    id: str
    name: str
    version: str
    description: str = ""
    period: PeriodKind = "any"
    checks: tuple[ResolvedCheck, ...]
    review: ReviewPolicy
    extends_chain: tuple[str, ...] = Field(
        default=(), description="Ids of the templates this one was built on, nearest first."
    )
    estimate: Estimate | None = Field(
        default=None, description="Expected hours, the template's own or inherited."
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # No estimate, no key: templates pinned before estimates existed hash as they did.
        data: dict[str, Any] = handler(self)
        if data.get("estimate", 0) is None:
            del data["estimate"]
        return data

    @property
    def prepare_hours(self) -> float | None:
        """Expected preparer hours: the estimate's, else the sum of the checks' minutes
        (``None`` when neither is given)."""
        if self.estimate is not None and self.estimate.prepare_hours is not None:
            return self.estimate.prepare_hours
        minutes = [c.estimate_minutes for c in self.checks if c.estimate_minutes is not None]
        return sum(minutes) / 60 if minutes else None

    @property
    def review_hours(self) -> float | None:
        """Expected reviewer hours at each level (``None`` when not given)."""
        return None if self.estimate is None else self.estimate.review_hours

    def check(self, check_id: str) -> ResolvedCheck:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise NotFoundError(f"template {self.id}@{self.version} has no check {check_id!r}")

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.checks)


@dataclass(frozen=True, slots=True)
class Problem:
    """A resolution problem at a JSON pointer of the template document being resolved."""

    code: str
    message: str
    pointer: str = ""
    hint: str | None = None
    libraries: tuple[str, ...] = ()
    """For WK125: the libraries that define the check, in the order they are searched
    (for WK202: the library the ``use:`` named, if it named one)."""
    check: str | None = None
    """For WK125: the id of the library check that is ambiguous (WK202: not found)."""


class ResolutionFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class AmbiguousLibraryCheck(LookupError):
    """A library lookup without a library id that more than one library answers.

    Raised by a :data:`LibraryLookup`; resolution reports it as WK125 at the ``use:``.
    """

    def __init__(self, check_id: str, libraries: tuple[str, ...]) -> None:
        super().__init__(f"check {check_id!r} is in more than one library: {', '.join(libraries)}")
        self.check_id = check_id
        self.libraries = libraries


TemplateLookup = Callable[[str], WorkflowTemplate | None]
LibraryLookup = Callable[[str, str | None], Check | None]


def _expand(
    entry: Check | LibraryCheckRef,
    pointer: str,
    section: str | None,
    library: LibraryLookup,
    problems: list[Problem],
) -> ResolvedCheck | None:
    if isinstance(entry, Check):
        return ResolvedCheck(**entry.model_dump(), section=section)
    try:
        base = library(entry.use, entry.library)
    except AmbiguousLibraryCheck as exc:
        quoted = [repr(lib) for lib in exc.libraries]
        names = ", ".join(quoted[:-1]) + " and " + quoted[-1]
        which = "both" if len(quoted) == 2 else "all"
        problems.append(
            Problem(
                "WK125",
                f"library check {entry.use!r} is ambiguous: libraries {names} {which} define it",
                pointer + "/use",
                hint=f"say which with `library:` (for example `library: {exc.libraries[0]}`)",
                libraries=exc.libraries,
                check=entry.use,
            )
        )
        return None
    if base is None:
        where = f" in library {entry.library!r}" if entry.library else ""
        problems.append(
            Problem(
                "WK202",
                f"no library check {entry.use!r}{where}",
                pointer + "/use",
                libraries=(entry.library,) if entry.library else (),
                check=entry.use,
            )
        )
        return None
    data = base.model_dump()
    data["id"] = entry.id or base.id
    for key in ("title", "guidance", "params", "requires", "estimate_minutes"):
        value = getattr(entry, key)
        if value is not None:
            data[key] = value
    return ResolvedCheck.model_validate({**data, "section": section})


def _expand_items(
    items: Iterable[Check | LibraryCheckRef | Section],
    pointer: str,
    library: LibraryLookup,
    problems: list[Problem],
    section: str | None = None,
) -> list[ResolvedCheck]:
    out: list[ResolvedCheck] = []
    for i, item in enumerate(items):
        here = f"{pointer}/{i}"
        if isinstance(item, Section):
            out.extend(
                _expand_items(item.checks, here + "/checks", library, problems, item.section)
            )
        else:
            c = _expand(item, here, section, library, problems)
            if c is not None:
                out.append(c)
    return out


def _index(checks: list[ResolvedCheck], check_id: str) -> int:
    for i, c in enumerate(checks):
        if c.id == check_id:
            return i
    return -1


def _place(
    checks: list[ResolvedCheck],
    where: Placement | Move,
    pointer: str,
    problems: list[Problem],
) -> int | None:
    if where.after is not None and where.before is not None:
        problems.append(Problem("WK210", "give `after` or `before`, not both", pointer))
        return None
    anchor = where.after or where.before
    if anchor is None:
        return len(checks)
    i = _index(checks, anchor)
    if i < 0:
        key = "after" if where.after else "before"
        problems.append(
            Problem("WK210", f"no check {anchor!r} to put checks {key}", f"{pointer}/{key}")
        )
        return None
    return i + 1 if where.after else i


def _customise(
    checks: list[ResolvedCheck],
    custom: Customisation,
    library: LibraryLookup,
    problems: list[Problem],
) -> list[ResolvedCheck]:
    base = "/customise"
    for i, cid in enumerate(custom.remove):
        j = _index(checks, cid)
        if j < 0:
            problems.append(
                Problem(
                    "WK210",
                    f"cannot remove {cid!r}: the base template has no such check",
                    f"{base}/remove/{i}",
                )
            )
        else:
            del checks[j]
    for i, entry in enumerate(custom.replace):
        new = _expand(entry, f"{base}/replace/{i}", None, library, problems)
        if new is None:
            continue
        j = _index(checks, new.id)
        if j < 0:
            problems.append(
                Problem(
                    "WK210",
                    f"cannot replace {new.id!r}: the base template has no such check",
                    f"{base}/replace/{i}",
                )
            )
        else:
            checks[j] = new.model_copy(update={"section": new.section or checks[j].section})
    for i, add in enumerate(custom.add):
        here = f"{base}/add/{i}"
        new_checks = [
            c
            for k, e in enumerate(add.checks)
            if (c := _expand(e, f"{here}/checks/{k}", add.section, library, problems)) is not None
        ]
        at = _place(checks, add, here, problems)
        if at is not None:
            checks[at:at] = new_checks
    for i, move in enumerate(custom.move):
        here = f"{base}/move/{i}"
        j = _index(checks, move.check)
        if j < 0:
            problems.append(
                Problem("WK210", f"cannot move {move.check!r}: no such check", f"{here}/check")
            )
            continue
        moving = checks.pop(j)
        at = _place(checks, move, here, problems)
        checks.insert(j if at is None else at, moving)
    return checks


def resolve_template(
    template: WorkflowTemplate,
    templates: TemplateLookup,
    library: LibraryLookup,
    *,
    limits: Limits = DEFAULT_LIMITS,
    memo: ResolutionMemo | None = None,
) -> ResolvedTemplate:
    """Resolve ``template``; raise :class:`ResolutionFailed` listing every problem.

    ``templates(id)`` finds an ``extends`` target; ``library(check_id, library_id)`` finds
    a library check. Problems point into ``template``'s own document, except those of a
    base template, which are reported against ``/extends``.

    The ``extends`` chain is walked once, at most ``limits.max_extends_depth`` steps, and
    each template in it is resolved once: pass the same ``memo`` to resolve many templates
    over the same lookups (the registry does), so a base shared by many is not redone.
    """
    walk = _walk(template, templates, limits)
    if walk.problem is not None:
        raise ResolutionFailed([walk.problem])
    memo = memo if memo is not None else ResolutionMemo()
    partial = memo.partial(walk.docs, library)
    checks = list(partial.checks)
    problems = list(partial.problems)
    chain = [d.id for d in walk.docs]
    review = _review_of(walk.docs)
    if problems:
        raise ResolutionFailed(problems)
    seen: dict[str, int] = {}
    own = entry_pointers(template)
    for i, c in enumerate(checks):
        if c.id in seen:
            problems.append(
                Problem(
                    "WK201",
                    f"check id {c.id!r} appears twice after resolution",
                    own.get(c.id, "/extends" if template.extends else "/checks"),
                    hint="rename one, or remove the base check with customise.remove",
                )
            )
        seen[c.id] = i
    if len(checks) > limits.max_checks:
        problems.append(
            Problem("WK209", f"{len(checks)} checks; the limit is {limits.max_checks}", "/checks")
        )
    if problems:
        raise ResolutionFailed(problems)
    return ResolvedTemplate(
        id=template.id,
        name=template.name,
        version=template.version,
        description=template.description,
        period=_period_of(walk.docs),
        checks=tuple(checks),
        review=review,
        extends_chain=tuple(chain[1:]),
        estimate=_estimate_of(walk.docs),
    )


def entry_pointers(template: WorkflowTemplate) -> dict[str, str]:
    """Where each check id is written in ``template``'s own document (JSON pointers).

    Covers ``checks`` (in sections too), ``customise.replace`` and ``customise.add``; a
    check the template inherits untouched from its base has no entry.
    """
    out: dict[str, str] = {}

    def walk(items: Iterable[Check | LibraryCheckRef | Section], pointer: str) -> None:
        for i, item in enumerate(items):
            here = f"{pointer}/{i}"
            if isinstance(item, Section):
                walk(item.checks, here + "/checks")
            else:
                out.setdefault(
                    item.id or item.use if isinstance(item, LibraryCheckRef) else item.id, here
                )

    if template.customise is not None:
        walk(template.customise.replace, "/customise/replace")
        for i, add in enumerate(template.customise.add):
            walk(add.checks, f"/customise/add/{i}/checks")
    walk(template.checks, "/checks")
    return out


def _period_of(docs: tuple[WorkflowTemplate, ...]) -> PeriodKind:
    """The template's own period, or (when it does not set one) the nearest base's.

    ``docs`` is the walked chain (the template first), already bounded by the depth limit.
    """
    for doc in docs:
        if "period" in doc.model_fields_set:
            return doc.period
    return docs[0].period


def _estimate_of(docs: tuple[WorkflowTemplate, ...]) -> Estimate | None:
    """The nearest estimate in the walked chain (the template first), else ``None``."""
    for doc in docs:
        if doc.estimate is not None:
            return doc.estimate
    return None


def _review_of(docs: tuple[WorkflowTemplate, ...]) -> ReviewPolicy:
    """The nearest review policy in the walked chain (the template first), else the default."""
    for doc in docs:
        if doc.review is not None:
            return doc.review
    return ReviewPolicy()


@dataclass(frozen=True, slots=True)
class _Walk:
    """A template's ``extends`` chain, walked once: the template first, then its bases
    (nearest first) down to the root; or the problem that stopped the walk."""

    docs: tuple[WorkflowTemplate, ...]
    problem: Problem | None = None


def _walk(template: WorkflowTemplate, templates: TemplateLookup, limits: Limits) -> _Walk:
    """Follow ``extends`` from ``template``: at most ``limits.max_extends_depth`` steps, so
    a long chain or a cycle costs a bounded number of lookups, whatever its length."""
    docs = [template]
    chain = [template.id]
    current = template
    while current.extends is not None:
        target = current.extends
        if target in chain:
            cycle = " -> ".join([*chain, target])
            return _Walk(tuple(docs), Problem("WK204", f"extends cycle: {cycle}", "/extends"))
        if len(chain) > limits.max_extends_depth:
            return _Walk(
                tuple(docs),
                Problem(
                    "WK205",
                    f"extends chain deeper than {limits.max_extends_depth}: "
                    + " -> ".join([*chain, target]),
                    "/extends",
                ),
            )
        base = templates(target)
        if base is None:
            message = f"extends {target!r}, but no template has that id"
            # Reported by the template whose `extends` it is, then through each template
            # above it, as a problem "in base template ..." of its own `extends`.
            for doc in reversed(docs[1:]):
                message = f"in base template {doc.id!r}: {message}"
            return _Walk(tuple(docs), Problem("WK203", message, "/extends"))
        docs.append(base)
        chain.append(target)
        current = base
    return _Walk(tuple(docs))


@dataclass(frozen=True, slots=True)
class _Partial:
    """One template's checks as resolved on their own (before the whole-template checks),
    or the problems that stopped them."""

    checks: tuple[ResolvedCheck, ...]
    problems: tuple[Problem, ...]


class ResolutionMemo:
    """The templates already resolved over one pair of lookups, each resolved once.

    Keyed by the document object (kept alive here, so its identity is not reused). Only
    valid for the lookups it was filled with: the registry keeps one for its own.
    """

    def __init__(self) -> None:
        self._partials: dict[int, tuple[WorkflowTemplate, _Partial]] = {}

    def __len__(self) -> int:
        return len(self._partials)

    def partial(self, docs: tuple[WorkflowTemplate, ...], library: LibraryLookup) -> _Partial:
        """The checks of ``docs[0]``, given its walked chain ``docs`` (ending at a root),
        from the root up, reusing every base already resolved."""
        known = 0  # the nearest template of the chain already resolved (len(docs): none)
        while known < len(docs) and id(docs[known]) not in self._partials:
            known += 1
        for i in range(known - 1, -1, -1):
            doc = docs[i]
            below = self._partials[id(docs[i + 1])][1] if i + 1 < len(docs) else None
            self._partials[id(doc)] = (doc, _resolve_one(doc, below, library))
        return self._partials[id(docs[0])][1]


def _resolve_one(
    template: WorkflowTemplate, base: _Partial | None, library: LibraryLookup
) -> _Partial:
    """``template``'s checks over its base's (``None`` for a root)."""
    problems: list[Problem] = []
    if base is None:
        if template.customise is not None:
            problems.append(
                Problem(
                    "WK210", "`customise` needs `extends`: there is no base template", "/customise"
                )
            )
        checks = _expand_items(template.checks, "/checks", library, problems)
        return _Partial(tuple(checks), tuple(problems))
    if base.problems:
        target = template.extends
        return _Partial(
            (),
            tuple(
                Problem(p.code, p.message, "/extends")
                if p.code in ("WK204", "WK205")
                else Problem(
                    p.code,
                    f"in base template {target!r}: {p.message}",
                    "/extends",
                    p.hint if p.code == "WK125" else None,
                    p.libraries,
                    p.check,
                )
                for p in base.problems
            ),
        )
    checks = list(base.checks)
    if template.customise is not None:
        checks = _customise(checks, template.customise, library, problems)
    checks.extend(_expand_items(template.checks, "/checks", library, problems))
    return _Partial(tuple(checks), tuple(problems))


# ---------------------------------------------------------------------------------
# A registry of templates and libraries
# ---------------------------------------------------------------------------------


def _version_order(version: str) -> tuple[int, SemVer | str]:
    try:
        return (0, SemVer.parse(version))
    except ValueError:
        return (1, version)


def _refuse_wrong_kinds(
    templates: tuple[WorkflowTemplate, ...], libraries: tuple[CheckLibrary, ...]
) -> None:
    """Raise :class:`ArgumentTypeError` for a document given in the wrong list (a
    ``CheckLibrary`` among the templates, or the other way round), naming it."""
    from workflowkit.errors import ArgumentTypeError

    for argument, items, kind, other in (
        ("templates", templates, WorkflowTemplate, "libraries"),
        ("libraries", libraries, CheckLibrary, "templates"),
    ):
        for i, item in enumerate(items):
            if not isinstance(item, kind):
                wrong = isinstance(item, CheckLibrary | WorkflowTemplate)
                raise ArgumentTypeError(
                    "TemplateRegistry",
                    f"{argument}[{i}]",
                    kind.__name__,
                    item,
                    f"pass it in {other}=" if wrong else None,
                )


class TemplateRegistry:
    """Templates and check libraries by id (and version), with the built-ins underneath.

    A practice's own template with a built-in's id takes its place. ``get`` resolves
    and caches; it raises :class:`NotFoundError` for an unknown id or version and
    :class:`DocumentError` when the template cannot be resolved.
    """

    def __init__(
        self,
        templates: Iterable[WorkflowTemplate] = (),
        libraries: Iterable[CheckLibrary] = (),
        *,
        include_builtins: bool = True,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.limits = limits
        self._own_templates = tuple(templates)
        self._own_libraries = tuple(libraries)
        _refuse_wrong_kinds(self._own_templates, self._own_libraries)
        self._include_builtins = include_builtins
        self._cache: dict[tuple[str, str], ResolvedTemplate] = {}
        # Every template resolved once, whichever template's chain reached it first.
        self._memo = ResolutionMemo()
        # The built-ins are read only when a lookup needs them (an `extends` or `use:`
        # the practice's own documents do not answer, or a listing): validating one
        # template that stands on its own never pays for parsing them.
        self._index(with_builtins=False)

    def _index(self, *, with_builtins: bool) -> None:
        self._templates: dict[str, dict[str, WorkflowTemplate]] = {}
        self._libraries: dict[str, CheckLibrary] = {}
        self._has_builtins = with_builtins
        if with_builtins:
            from workflowkit.templates.builtins import builtin_documents

            b_templates, b_libraries = builtin_documents()
            for lib in b_libraries:
                self._libraries[lib.id] = lib
            for t in b_templates:
                self._templates.setdefault(t.id, {})[t.version] = t
        builtin_ids = set(self._templates)
        own: list[str] = []
        for lib in self._own_libraries:
            # A practice's library takes the place of a built-in with its id; of several
            # versions of one of its own libraries, the highest is used.
            if lib.id in own and _version_order(lib.version) < _version_order(
                self._libraries[lib.id].version
            ):
                continue
            self._libraries[lib.id] = lib
            own.append(lib.id)
        # Without a `library:`, a check id is looked up in the practice's own libraries
        # first (in the order given), then in the built-in ones.
        self._search_order: tuple[str, ...] = tuple(dict.fromkeys(own)) + tuple(
            k for k in self._libraries if k not in own
        )
        # Each check id, with the libraries that define it in search order: two of the
        # practice's own (or, without one, two built-in ones) make a `use:` ambiguous.
        self._own_library_ids = frozenset(own)
        self._by_check: dict[str, list[tuple[str, Check]]] = {}
        for lib_id in self._search_order:
            for c in self._libraries[lib_id].checks:
                found = self._by_check.setdefault(c.id, [])
                if not any(k == lib_id for k, _ in found):
                    found.append((lib_id, c))
        for t in self._own_templates:
            if t.id in builtin_ids:
                self._templates.pop(t.id, None)
                builtin_ids.discard(t.id)
            self._templates.setdefault(t.id, {})[t.version] = t

    def _with_builtins(self) -> bool:
        """Add the built-ins if they are wanted and not there yet; True if that changed."""
        if self._include_builtins and not self._has_builtins:
            self._index(with_builtins=True)
            return True
        return False

    @property
    def ids(self) -> list[str]:
        self._with_builtins()
        return sorted(self._templates)

    def versions(self, template_id: str) -> list[str]:
        """The versions of a template, oldest first (by semantic version, not text)."""
        self._with_builtins()
        return sorted(self._templates.get(template_id, {}), key=_version_order)

    def document(self, template_id: str, version: str | None = None) -> WorkflowTemplate:
        versions = self._templates.get(template_id)
        if not versions and self._with_builtins():
            versions = self._templates.get(template_id)
        if not versions:
            from workflowkit.source.models import did_you_mean

            hint = did_you_mean(template_id, list(self._templates))
            raise NotFoundError(f"no template {template_id!r}" + (f" ({hint})" if hint else ""))
        chosen = best_version(list(versions), version)
        if chosen is None:
            raise NotFoundError(
                f"template {template_id!r} has no version matching {version!r} "
                f"(have: {', '.join(sorted(versions))})"
            )
        return versions[chosen]

    def _latest(self, template_id: str) -> WorkflowTemplate | None:
        try:
            return self.document(template_id)
        except NotFoundError:
            return None

    def library_check(self, check_id: str, library_id: str | None = None) -> Check | None:
        """The library check ``check_id`` (in ``library_id``, or searched for); ``None`` if
        there is none. Searched for, it raises :class:`AmbiguousLibraryCheck` when two of
        the practice's libraries define it (or, failing those, two built-in ones)."""
        found = self._library_check(check_id, library_id)
        if found is None and self._with_builtins():
            found = self._library_check(check_id, library_id)
        return found

    def _library_check(self, check_id: str, library_id: str | None) -> Check | None:
        if library_id is not None:
            lib = self._libraries.get(library_id)
            return next((c for c in lib.checks if c.id == check_id), None) if lib else None
        found = self._by_check.get(check_id, [])
        # The practice's own libraries come first and take the place of built-in ones; two
        # of the same standing that both define the check leave the choice to the author.
        own = [(k, c) for k, c in found if k in self._own_library_ids]
        tier = own or found
        if len(tier) > 1:
            raise AmbiguousLibraryCheck(check_id, tuple(k for k, _ in tier))
        return tier[0][1] if tier else None

    def libraries(self) -> Mapping[str, CheckLibrary]:
        self._with_builtins()
        return dict(self._libraries)

    def resolve_document(self, template: WorkflowTemplate) -> ResolvedTemplate:
        """Resolve a template document against this registry (raises ResolutionFailed;
        an unknown ``extends`` or ``use:`` gets a did-you-mean hint)."""
        try:
            return resolve_template(
                template, self._latest, self.library_check, limits=self.limits, memo=self._memo
            )
        except ResolutionFailed as exc:
            exc.problems[:] = [self._with_hint(template, p) for p in exc.problems]
            raise

    def _with_hint(self, template: WorkflowTemplate, problem: Problem) -> Problem:
        """``problem`` with a did-you-mean for the unknown template (WK203) or library
        check or library (WK202) it names, when a known one is close."""
        from dataclasses import replace

        from workflowkit.source.models import did_you_mean

        if problem.hint is not None or problem.code not in ("WK202", "WK203"):
            return problem
        self._with_builtins()
        hint: str | None = None
        if problem.code == "WK203":
            current, missing = template, None
            for _ in range(self.limits.max_extends_depth + 1):  # the walk's own bound
                if current.extends is None:
                    break
                base = self._latest(current.extends)
                if base is None:
                    missing = current.extends
                    break
                current = base
            if missing is not None:
                hint = did_you_mean(missing, [t for t in self._templates if t != template.id])
        elif problem.check is not None:
            library = problem.libraries[0] if problem.libraries else None
            if library is not None and library not in self._libraries:
                hint = did_you_mean(library, list(self._libraries))
                hint = hint and f"no library {library!r}; {hint}"
            elif library is not None:
                hint = did_you_mean(problem.check, [c.id for c in self._libraries[library].checks])
            else:
                hint = did_you_mean(problem.check, list(self._by_check))
        return replace(problem, hint=hint) if hint else problem

    def get(self, template_id: str, version: str | None = None) -> ResolvedTemplate:
        doc = self.document(template_id, version)
        key = (doc.id, doc.version)
        if key not in self._cache:
            try:
                self._cache[key] = self.resolve_document(doc)
            except ResolutionFailed as exc:
                from workflowkit.errors import Diagnostic

                raise DocumentError.of(
                    [
                        Diagnostic(p.code, p.message, pointer=p.pointer, hint=p.hint)
                        for p in exc.problems
                    ],
                    f"template {doc.id}@{doc.version} cannot be resolved",
                ) from None
        return self._cache[key]
