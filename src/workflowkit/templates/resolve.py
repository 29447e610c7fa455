"""From template documents to a resolved template: library checks in place, ``extends``
applied, sections flattened onto their checks.

A :class:`ResolvedTemplate` is what the engines use: the review engine freezes a copy
of it into every instance it starts, so editing the template later never changes a
started instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pydantic import Field

from workflowkit.errors import DocumentError, NotFoundError
from workflowkit.source.loader import DEFAULT_LIMITS, Limits
from workflowkit.source.models import Spec
from workflowkit.templates.models import (
    Check,
    CheckLibrary,
    Customisation,
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


class ResolutionFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


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
    base = library(entry.use, entry.library)
    if base is None:
        where = f" in library {entry.library!r}" if entry.library else ""
        problems.append(
            Problem("WK202", f"no library check {entry.use!r}{where}", pointer + "/use")
        )
        return None
    data = base.model_dump()
    data["id"] = entry.id or base.id
    for key in ("title", "guidance", "params", "requires"):
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
) -> ResolvedTemplate:
    """Resolve ``template``; raise :class:`ResolutionFailed` listing every problem.

    ``templates(id)`` finds an ``extends`` target; ``library(check_id, library_id)`` finds
    a library check. Problems point into ``template``'s own document, except those of a
    base template, which are reported against ``/extends``.
    """
    chain: list[str] = [template.id]
    problems: list[Problem] = []
    checks = _resolve_checks(template, templates, library, limits, chain, problems)
    review = _review_of(template, templates)
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
        period=_period_of(template, templates),
        checks=tuple(checks),
        review=review,
        extends_chain=tuple(chain[1:]),
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


def _period_of(template: WorkflowTemplate, templates: TemplateLookup) -> PeriodKind:
    """The template's own period, or (when it does not set one) the nearest base's."""
    seen: set[str] = set()
    current: WorkflowTemplate | None = template
    while current is not None and current.id not in seen:
        if "period" in current.model_fields_set:
            return current.period
        seen.add(current.id)
        current = templates(current.extends) if current.extends else None
    return template.period


def _review_of(template: WorkflowTemplate, templates: TemplateLookup) -> ReviewPolicy:
    seen: set[str] = set()
    current: WorkflowTemplate | None = template
    while current is not None and current.id not in seen:
        if current.review is not None:
            return current.review
        seen.add(current.id)
        current = templates(current.extends) if current.extends else None
    return ReviewPolicy()


def _resolve_checks(
    template: WorkflowTemplate,
    templates: TemplateLookup,
    library: LibraryLookup,
    limits: Limits,
    chain: list[str],
    problems: list[Problem],
) -> list[ResolvedCheck]:
    if template.extends is None:
        if template.customise is not None:
            problems.append(
                Problem(
                    "WK210", "`customise` needs `extends`: there is no base template", "/customise"
                )
            )
        return _expand_items(template.checks, "/checks", library, problems)
    target = template.extends
    if target in chain:
        cycle = " -> ".join([*chain, target])
        problems.append(Problem("WK204", f"extends cycle: {cycle}", "/extends"))
        return []
    if len(chain) > limits.max_extends_depth:
        problems.append(
            Problem(
                "WK205",
                f"extends chain deeper than {limits.max_extends_depth}: "
                + " -> ".join([*chain, target]),
                "/extends",
            )
        )
        return []
    base = templates(target)
    if base is None:
        problems.append(
            Problem("WK203", f"extends {target!r}, but no template has that id", "/extends")
        )
        return []
    chain.append(target)
    base_problems: list[Problem] = []
    checks = _resolve_checks(base, templates, library, limits, chain, base_problems)
    for p in base_problems:
        if p.code in ("WK204", "WK205"):
            problems.append(Problem(p.code, p.message, "/extends"))
        else:
            problems.append(
                Problem(p.code, f"in base template {target!r}: {p.message}", "/extends")
            )
    if base_problems:
        return []
    if template.customise is not None:
        checks = _customise(checks, template.customise, library, problems)
    checks.extend(_expand_items(template.checks, "/checks", library, problems))
    return checks


# ---------------------------------------------------------------------------------
# A registry of templates and libraries
# ---------------------------------------------------------------------------------


def _version_order(version: str) -> tuple[int, SemVer | str]:
    try:
        return (0, SemVer.parse(version))
    except ValueError:
        return (1, version)


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
        self._include_builtins = include_builtins
        self._cache: dict[tuple[str, str], ResolvedTemplate] = {}
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
        found = self._library_check(check_id, library_id)
        if found is None and self._with_builtins():
            found = self._library_check(check_id, library_id)
        return found

    def _library_check(self, check_id: str, library_id: str | None) -> Check | None:
        libs: Iterable[CheckLibrary]
        if library_id is not None:
            lib = self._libraries.get(library_id)
            libs = [lib] if lib else []
        else:
            libs = [self._libraries[k] for k in self._search_order]
        for lib in libs:
            for c in lib.checks:
                if c.id == check_id:
                    return c
        return None

    def libraries(self) -> Mapping[str, CheckLibrary]:
        self._with_builtins()
        return dict(self._libraries)

    def resolve_document(self, template: WorkflowTemplate) -> ResolvedTemplate:
        """Resolve a template document against this registry (raises ResolutionFailed)."""
        return resolve_template(template, self._latest, self.library_check, limits=self.limits)

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
