"""The template language: ``WorkflowTemplate`` and ``CheckLibrary`` documents.

A template is an ordered list of checks (optionally grouped in sections) and a review
policy. A check is manual (a prompt a person works through) or automated (a named data
check with typed parameters). ``extends`` customises another template without copying
it; see :mod:`workflowkit.templates.resolve` for how the result is computed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    Tag,
    model_serializer,
    model_validator,
)

from workflowkit.source.models import PrintableLine, PrintableText, Slug, Spec

Title = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True), PrintableLine
]
Text = Annotated[str, StringConstraints(max_length=20_000), PrintableText]


class CheckStatus(StrEnum):
    """Where a check stands in a running workflow."""

    PENDING = "pending"
    COMPLETE = "complete"
    COMPLETE_WITH_ISSUES = "complete_with_issues"
    NOT_APPLICABLE = "not_applicable"


ResolvedStatus = Literal["complete", "complete_with_issues", "not_applicable"]


class Requirements(Spec):
    """What a person must add when they set a check to a status."""

    comment: tuple[ResolvedStatus, ...] = Field(
        default=("complete_with_issues",),
        description="Statuses that need a comment. Complete with issues always does.",
    )
    file: tuple[ResolvedStatus, ...] = Field(
        default=(), description="Statuses that need at least one attached file."
    )


class Check(Spec):
    """One check: a stable id, a title, guidance, and manual or automated kind."""

    id: Slug = Field(description="Stable id, unique in the template (e.g. bank-reconciliation).")
    title: Title = Field(description="What the person sees; may change without breaking anything.")
    kind: Literal["manual", "automated"] = Field(
        default="manual",
        description="manual: a person works it; automated: a data check reads the ledger.",
    )
    data_check: Slug | None = Field(
        default=None, description="For automated checks: the registered data check id."
    )
    params: dict[str, Any] = Field(
        default_factory=dict, description="Parameters of the data check, validated by its model."
    )
    guidance: Text = Field(default="", description="How to do the check, in the practice's words.")
    requires: Requirements = Field(
        default_factory=Requirements, description="Comment or file required on some statuses."
    )
    tags: tuple[Slug, ...] = Field(default=(), description="Free labels for filtering.")
    estimate_minutes: int | None = Field(
        default=None,
        ge=0,
        le=6000,
        description="Expected minutes of preparer time; a template's estimate.prepare_hours "
        "overrides the sum of its checks'.",
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # An unset estimate is left out, so a check written before estimates existed dumps
        # (and hashes, pinned in a start event) exactly as it did.
        data: dict[str, Any] = handler(self)
        if data.get("estimate_minutes", 0) is None:
            del data["estimate_minutes"]
        return data


class Estimate(Spec):
    """The time a workflow is expected to take: preparing it, and each review level."""

    prepare_hours: float | None = Field(
        default=None,
        ge=0,
        le=1000,
        description="Preparer hours; unset means the sum of the checks' estimate_minutes.",
    )
    review_hours: float | None = Field(
        default=None, ge=0, le=1000, description="Reviewer hours at each review level."
    )

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None}


class LibraryCheckRef(Spec):
    """A check taken from a ``CheckLibrary`` by id, with optional overrides."""

    use: Slug = Field(description="Id of a check in a CheckLibrary document or the built-in one.")
    library: Slug | None = Field(
        default=None, description="Library id, when several libraries define the same check id."
    )
    id: Slug | None = Field(default=None, description="Id in this template (default: `use`).")
    title: Title | None = None
    params: dict[str, Any] | None = None
    guidance: Text | None = None
    requires: Requirements | None = None
    estimate_minutes: int | None = Field(default=None, ge=0, le=6000)


def _item_tag(value: Any) -> str:
    """Which model a list item is, from its keys (or, when dumping, its class)."""
    if isinstance(value, Spec):
        return type(value).__name__
    if isinstance(value, dict):
        if "section" in value:
            return "Section"
        if "use" in value:
            return "LibraryCheckRef"
    return "Check"


CheckEntry = Annotated[
    Annotated[Check, Tag("Check")] | Annotated[LibraryCheckRef, Tag("LibraryCheckRef")],
    Discriminator(lambda v: "LibraryCheckRef" if _item_tag(v) == "LibraryCheckRef" else "Check"),
]


class Section(Spec):
    """A titled group of checks; sections only label checks, order is document order."""

    section: Title = Field(description="The section title, e.g. Payroll.")
    checks: tuple[CheckEntry, ...] = Field(min_length=1)


TemplateItem = Annotated[
    Annotated[Check, Tag("Check")]
    | Annotated[LibraryCheckRef, Tag("LibraryCheckRef")]
    | Annotated[Section, Tag("Section")],
    Discriminator(_item_tag),
]


class ReviewLevel(Spec):
    """One sequential level of review, named by the role that fills it."""

    role: Slug = Field(description="e.g. reviewer, manager, partner.")
    title: Title | None = Field(default=None, description="Shown to people, e.g. Manager review.")


class ReviewPolicy(Spec):
    """Who reviews, in what order, and what is allowed."""

    levels: tuple[ReviewLevel, ...] = Field(
        default=(), description="Sequential review levels; none means the assignee completes."
    )
    preparer_may_review: bool = Field(
        default=False, description="Whether the assignee may also review their own work."
    )
    same_reviewer_at_several_levels: bool = Field(
        default=False, description="Whether one person may approve at two levels."
    )
    reassign_by: tuple[Slug, ...] = Field(
        default=("assignee",),
        description="Roles that may reassign before submission: assignee or a level role.",
    )
    min_reviewers: int | None = Field(
        default=None,
        ge=0,
        le=20,
        description="The fewest reviewers a workflow may assign (default: as many as levels).",
    )
    max_reviewers: int | None = Field(
        default=None,
        ge=0,
        le=20,
        description="The most reviewers a workflow may assign (default: as many as levels).",
    )

    @model_validator(mode="after")
    def _limits(self) -> ReviewPolicy:
        low, high, default = self.minimum, self.maximum, len(self.levels)
        if low > high:
            raise ValueError(f"min_reviewers ({low}) is more than max_reviewers ({high})")
        if not low <= default <= high:
            raise ValueError(
                f"the {default} review level(s) (the default number of reviewers) are outside "
                f"min_reviewers..max_reviewers ({low}..{high})"
            )
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Unset limits are left out, so a policy written before they existed dumps (and
        # hashes, pinned in a start event) exactly as it did.
        data: dict[str, Any] = handler(self)
        for name in ("min_reviewers", "max_reviewers"):
            if data.get(name, 0) is None:
                del data[name]
        return data

    @property
    def minimum(self) -> int:
        """The fewest reviewers a workflow may assign."""
        return len(self.levels) if self.min_reviewers is None else self.min_reviewers

    @property
    def maximum(self) -> int:
        """The most reviewers a workflow may assign."""
        return len(self.levels) if self.max_reviewers is None else self.max_reviewers

    def roles(self, count: int) -> tuple[str, ...]:
        """The role of each of ``count`` review levels: the policy's levels in order, then
        ``reviewer`` for any level past them."""
        named = tuple(lvl.role for lvl in self.levels[:count])
        return named + ("reviewer",) * (count - len(named))


class Placement(Spec):
    """Where added or moved checks go: after or before a check, or at the end."""

    after: Slug | None = None
    before: Slug | None = None


class Addition(Placement):
    """Checks added to the base template."""

    section: Title | None = Field(default=None, description="Section title for the added checks.")
    checks: tuple[CheckEntry, ...] = Field(min_length=1)


class Move(Spec):
    """A base check moved after or before another, or (neither given) to the end."""

    check: Slug = Field(description="Id of the check to move.")
    after: Slug | None = None
    before: Slug | None = None


class Customisation(Spec):
    """How a template changes the one it extends. Applied in this order."""

    remove: tuple[Slug, ...] = Field(default=(), description="Ids of base checks to drop.")
    replace: tuple[CheckEntry, ...] = Field(
        default=(), description="Checks that take the place of the base check with the same id."
    )
    add: tuple[Addition, ...] = Field(default=(), description="Checks to insert.")
    move: tuple[Move, ...] = Field(default=(), description="Checks to move.")


PeriodKind = Literal["monthly", "quarterly", "vat-period", "annual", "one-off", "any"]


class WorkflowTemplate(Spec):
    """A ``kind: WorkflowTemplate`` document."""

    api_version: Literal["workflowkit/v1"] = Field(alias="apiVersion")
    kind: Literal["WorkflowTemplate"]
    id: Slug = Field(description="Stable template id.")
    name: Title
    version: str = Field(description="Semantic version, e.g. 1.2.0.")
    description: Text = ""
    period: PeriodKind = Field(default="any", description="The reporting period it is meant for.")
    extends: Slug | None = Field(
        default=None, description="Id of the template this one customises."
    )
    tags: tuple[Slug, ...] = ()

    review: ReviewPolicy | None = Field(
        default=None, description="Review policy; with extends, omitted means inherited."
    )
    customise: Customisation | None = Field(
        default=None, description="With extends: remove, replace, add and move base checks."
    )
    checks: tuple[TemplateItem, ...] = Field(
        default=(), description="Ordered checks (without extends) or checks appended (with it)."
    )
    estimate: Estimate | None = Field(
        default=None,
        description="Expected hours (for workload); with extends, omitted means inherited.",
    )


class CheckLibrary(Spec):
    """A ``kind: CheckLibrary`` document: the practice's reusable custom checks."""

    api_version: Literal["workflowkit/v1"] = Field(alias="apiVersion")
    kind: Literal["CheckLibrary"]
    id: Slug
    name: Title
    version: str = "1.0.0"
    description: Text = ""
    checks: tuple[Check, ...] = Field(min_length=1)
