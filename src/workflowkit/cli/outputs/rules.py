"""``workflowkit rules explain`` and ``rules impact`` with ``--format json``."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from workflowkit.cli.outputs.base import Json, Number, Output, Part, Scalar


class SourceOut(Part):
    """Where a value came from: the layer, the rule, its fill mode, and whether it applied."""

    layer: str = Field(description="user, payment_method, contact, account, document...")
    rule: str | None
    fill: str | None = Field(description="always or if_blank, when a rule set it.")
    value: Scalar
    confidence: Number | None = Field(
        default=None, description="A learner's confidence, 0 to 1 (learners only)."
    )
    applicable: bool
    why: str


class FieldOut(Part):
    field: str
    value: Scalar
    source: SourceOut = Field(description="The candidate that won.")
    beaten: list[SourceOut] = Field(description="The candidates it beat, highest first.")


class PublishOut(Part):
    action: Literal["publish", "hold", "inbox"]
    reason: str
    layer: str | None
    rule: str | None


class LineItemsOut(Part):
    extract: bool
    reason: str
    rule: str | None


class SplitLineOut(Part):
    kind: Literal["fixed", "percent", "remainder"]
    amount: str = Field(description="Money as a decimal string.")
    percent: str | None = None
    category: str | None = None
    description: str | None = None
    tax_rate: str | None = None


class PredictionOut(Part):
    value: Scalar
    confidence: Number
    model: str | None


class RulesExplainOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.rules.explain"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit rules explain --format json: one item's resolution"

    format: Literal["workflowkit.rules.explain"]
    format_version: Literal[1]
    item: dict[str, Json] = Field(description="The item as read (Item.to_data()).")
    mode: str
    values: dict[str, Scalar] = Field(description="The resolved value of every field.")
    fields: list[FieldOut]
    publish: PublishOut
    line_items: LineItemsOut
    notes: list[str]
    split: list[SplitLineOut]
    split_error: str | None
    predictions: dict[str, PredictionOut]


class FieldChangeOut(Part):
    field: str
    old: Scalar
    new: Scalar
    old_source: str
    new_source: str


class PublishChangeOut(Part):
    old: str
    new: str
    old_reason: str
    new_reason: str


class LineItemsChangeOut(Part):
    old: bool
    new: bool


class ItemImpactOut(Part):
    item: str
    fields: list[FieldChangeOut]
    publish: PublishChangeOut | None = None
    line_items: LineItemsChangeOut | None = None
    split_changed: bool
    notes_changed: bool


class RulesImpactOutput(Output):
    FORMAT: ClassVar[str] = "workflowkit.rules.impact"
    VERSION: ClassVar[int] = 1
    TITLE: ClassVar[str] = "workflowkit rules impact --format json: what a rules change does"

    format: Literal["workflowkit.rules.impact"]
    format_version: Literal[1]
    items: int
    changed_items: int
    values: dict[str, int] = Field(description="Per field: items whose value changed.")
    sources: dict[str, int] = Field(
        description="Per field: items whose value stayed but now comes from another source."
    )
    publish: dict[str, int] = Field(description='"old -> new" publish actions, counted.')
    line_items: int
    split: int
    notes: int
    changed: list[ItemImpactOut]
