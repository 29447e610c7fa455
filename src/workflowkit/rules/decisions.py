"""The small immutable values a resolution is made of: sources, publish and line item
decisions, predictions.

They are built once, when a rule set is compiled, and shared by every resolution that
reaches them, so resolving an item allocates almost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from enum import StrEnum
from typing import Any

from workflowkit.rules.fields import FIELDS, RANK, FillMode, Layer


@dataclass(frozen=True, slots=True)
class Source:
    """Where one field's value came from: layer, rule id, fill mode and value.

    ``rule`` is the rule's id (the payment method or user for those rules, ``account``
    for account defaults, the model's name for predictions, ``None`` for the document).
    """

    field: str
    layer: Layer
    rule: str | None
    fill: FillMode | None
    value: Any
    confidence: float | None = None
    rank: int = _field(default=0, compare=False, repr=False)
    always: bool = _field(default=True, compare=False, repr=False)

    @classmethod
    def make(
        cls,
        field_name: str,
        layer: Layer,
        rule: str | None,
        fill: FillMode | None,
        value: Any,
        confidence: float | None = None,
    ) -> Source:
        return cls(
            field_name,
            layer,
            rule,
            fill,
            value,
            confidence,
            RANK[layer],
            fill is not FillMode.IF_BLANK,
        )

    def describe(self) -> str:
        """``supplier rule british-gas (always)``, ``account default (if_blank)``..."""
        layer = self.layer
        if layer is Layer.DOCUMENT:
            return "document" if self.value is not None else "not set"
        if layer is Layer.ACCOUNT:
            head = "account default"
        elif layer in (Layer.AUTO_CATEGORISATION, Layer.SMART_SUGGESTION):
            head = layer.value.replace("_", "-")
            if self.confidence is not None:
                return f"{head} {self.rule or ''} ({self.confidence:.2f})".replace("  ", " ")
            return head
        else:
            head = f"{layer.value.replace('_', ' ')} rule {self.rule}"
        return f"{head} ({self.fill.value})" if self.fill is not None else head

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "layer": self.layer.value,
            "rule": self.rule,
            "fill": self.fill.value if self.fill is not None else None,
            "value": _plain(self.value),
        }
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 6)
        return out


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


DOCUMENT_SOURCES: tuple[Source, ...] = tuple(
    Source.make(name, Layer.DOCUMENT, None, None, None) for name in FIELDS
)
"""Shared markers: "the document's value (whatever it is) stands" for each field."""


class PublishAction(StrEnum):
    PUBLISH = "publish"
    """Auto-publish to the accounting software."""
    HOLD = "hold"
    """Held for approval: an approval workflow is pending."""
    INBOX = "inbox"
    """Stay in the inbox for a person to publish."""


@dataclass(frozen=True, slots=True)
class PublishDecision:
    """What happens to the item after rules are applied, and why."""

    action: PublishAction
    reason: str
    layer: Layer | None = None
    rule: str | None = None
    uncoded: PublishDecision | None = _field(default=None, compare=False, repr=False)
    """For a decision to publish: the decision when the item has no category yet."""

    @property
    def publish(self) -> bool:
        return self.action is PublishAction.PUBLISH

    @classmethod
    def to_publish(cls, reason: str, layer: Layer, rule: str | None) -> PublishDecision:
        uncoded = cls(
            PublishAction.INBOX,
            f"{reason}, but the item has no category yet (items auto-publish once coded)",
            layer,
            rule,
        )
        return cls(PublishAction.PUBLISH, reason, layer, rule, uncoded)

    def to_data(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "reason": self.reason,
            "layer": self.layer.value if self.layer is not None else None,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class LineItemsDecision:
    """Whether line items are extracted from the document, and why."""

    extract: bool
    reason: str
    rule: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {"extract": self.extract, "reason": self.reason, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class Prediction:
    """A learner's answer: a value and how sure it is (0 to 1)."""

    value: Any
    confidence: float
    model: str | None = None
    """A short name of the model that made it, shown in explanations."""


HOLD_FOR_APPROVAL = PublishDecision(
    PublishAction.HOLD,
    "an approval workflow is pending: the item stays in the inbox until it is approved, "
    "whatever the auto-publish rules say",
)
APPROVAL_REJECTED = PublishDecision(
    PublishAction.INBOX, "the approval workflow rejected the item: it is not published"
)
INBOX_MODE = PublishDecision(
    PublishAction.INBOX,
    "auto-publish applies to new items only, never to items already in the inbox",
)
NO_AUTO_PUBLISH = PublishDecision(
    PublishAction.INBOX, "no rule turns auto-publish on", Layer.ACCOUNT, "account"
)

LINE_ITEMS_INBOX = LineItemsDecision(
    False, "line item extraction never applies to items already in the inbox"
)
LINE_ITEMS_NO_RULE = LineItemsDecision(False, "no supplier rule turns on line item extraction")
