"""Typed errors of the rules engine. Each names what and where (rule, field, item, line)."""

from __future__ import annotations

from decimal import Decimal

from workflowkit.errors import RuleError


class SplitError(RuleError):
    """A Smart Split cannot be made. ``rule`` is the supplier/customer rule id, if any."""

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        self.rule = rule
        where = f"Smart Split of rule {rule!r}: " if rule else "Smart Split: "
        super().__init__(where + message)


class SplitTooLongError(SplitError):
    """More lines than the limit (50, counting the remainder line)."""

    def __init__(self, lines: int, limit: int, *, rule: str | None = None) -> None:
        self.lines = lines
        self.limit = limit
        super().__init__(f"{lines} lines, more than the limit of {limit}", rule=rule)


class SplitMissingTotalError(SplitError):
    """The item's total amount was not extracted, so there is nothing to split."""

    def __init__(self, *, rule: str | None = None) -> None:
        super().__init__("the item has no total amount (it was not extracted)", rule=rule)


class SplitOverTotalError(SplitError):
    """Fixed-amount lines add up to more than the item's total."""

    def __init__(self, fixed: Decimal, total: Decimal, *, rule: str | None = None) -> None:
        self.fixed = fixed
        self.total = total
        super().__init__(
            f"fixed-amount lines add up to {fixed}, more than the total {total}", rule=rule
        )


class SplitOverHundredError(SplitError):
    """Percentage lines add up to more than 100%."""

    def __init__(self, percent: Decimal, *, rule: str | None = None) -> None:
        self.percent = percent
        super().__init__(f"percentage lines add up to {percent}%, more than 100%", rule=rule)


class SplitPrecisionError(SplitError):
    """An amount has more decimal places than the currency allows (e.g. 10.005 GBP)."""

    def __init__(self, what: str, amount: Decimal, places: int, *, rule: str | None = None):
        self.amount = amount
        self.places = places
        super().__init__(
            f"{what} {amount} has more than {places} decimal place(s), so the lines "
            "cannot add up to it exactly",
            rule=rule,
        )


class ItemError(RuleError):
    """An item given as data is invalid. ``item`` is its id or position, ``field`` the key."""

    def __init__(self, message: str, *, item: str | None = None, field: str | None = None):
        self.item = item
        self.field = field
        self.detail = message
        where = []
        if item is not None:
            where.append(f"item {item}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class LearnerError(RuleError):
    """A saved learner cannot be loaded, or a learner was asked something it cannot do."""
