"""Which of a rule set's approval workflows hold an item, decided from the rule set.

The Rules seed: "If an item is subject to an approval workflow, it won't auto-publish -
it stays in the inbox until the approval is completed, even if an auto-publish rule
applies." So whether an approval workflow applies is the rule set's to say (its side,
contacts, item types and threshold); the item's own ``approval`` field says only where
an approval stands. An item an approval workflow covers is held unless its approval is
``approved``; ``none`` ("nothing said") never lets it through.

A workflow covers an item when all of these hold:

- its side is the item's side (costs or sales);
- it names no contacts, or one of them is the item's contact: its id, its name, or the
  name, an alias or the id of the supplier/customer rule the item matched (compared
  case-insensitively);
- it names no item types, or the item's type is one of them;
- it has no threshold, or the item's total is over it; an item whose total was not read
  is held (an unknown amount may be over it).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from workflowkit.rules.decisions import PublishAction, PublishDecision
from workflowkit.rules.item import Item, ItemType, Side
from workflowkit.rules.models import ApprovalWorkflow, ContactRule


class ApprovalPlan:
    """One approval workflow, ready to match items."""

    __slots__ = ("contacts", "held", "over", "side", "types", "workflow")

    def __init__(self, workflow: ApprovalWorkflow) -> None:
        self.workflow = workflow
        self.side = Side(workflow.side)
        self.contacts = frozenset(c.casefold() for c in workflow.contacts)
        self.types: frozenset[ItemType] = frozenset(workflow.item_types)
        self.over: Decimal | None = workflow.over
        what = "its items"
        if workflow.over is not None:
            what = f"items over {workflow.over}"
        self.held = PublishDecision(
            PublishAction.HOLD,
            f"approval workflow {workflow.id!r} covers {what}: the item stays in the inbox "
            "until it is approved, even where an auto-publish rule applies",
            None,
            workflow.id,
        )

    def covers(self, item: Item, rule: ContactRule | None) -> bool:
        if self.types and item.type not in self.types:
            return False
        if self.over is not None and item.total is not None and not item.total > self.over:
            return False
        if not self.contacts:
            return True
        names = [item.contact_id, item.contact_name]
        if rule is not None:
            names += [rule.name, *rule.aliases, rule.contact_id]
        return any(n is not None and n.casefold() in self.contacts for n in names)


def approval_plans(
    workflows: Iterable[ApprovalWorkflow],
) -> dict[Side, tuple[ApprovalPlan, ...]]:
    """The rule set's approval workflows by side, in document order."""
    plans = [ApprovalPlan(w) for w in workflows]
    return {side: tuple(p for p in plans if p.side is side) for side in Side}


def covering(
    plans: tuple[ApprovalPlan, ...], item: Item, rule: ContactRule | None
) -> ApprovalPlan | None:
    """The first approval workflow that covers ``item`` (``None``: none does)."""
    for plan in plans:
        if plan.covers(item, rule):
            return plan
    return None
