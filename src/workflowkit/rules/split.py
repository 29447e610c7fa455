"""Smart Split: one document's total split into lines, exactly, in ``Decimal``.

Fixed-amount lines come first. Percentage lines share what is left after them, each
rounded down to the currency's minor unit, with the pennies that rounding lost handed
out by largest remainder (ties to the earlier line), so the percentage lines together
come to their exact share rounded half-up. The remainder line takes the rest, so the
lines always add up to the total exactly. A credit (negative total) is split by its
size and every line takes its sign.

A split of more than 50 lines, fixed amounts over the total, percentages over 100, a
total or amount finer than the currency's minor unit, or a missing total is a typed
:class:`~workflowkit.rules.errors.SplitError`.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from typing import Final, Literal, NamedTuple

from workflowkit.rules.errors import (
    SplitError,
    SplitMissingTotalError,
    SplitOverHundredError,
    SplitOverTotalError,
    SplitPrecisionError,
    SplitTooLongError,
)
from workflowkit.rules.item import MONEY_PRECISION, money_context, to_money
from workflowkit.rules.models import RemainderLine, SmartSplit

MAX_LINES: Final[int] = 50
"""The most lines a Smart Split may make, the remainder line included (Dext: 50)."""

HUNDRED: Final[Decimal] = Decimal(100)

CURRENCY_PLACES: Final[dict[str, int]] = {
    # ISO 4217 minor units that are not 2 (the common ones).
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0, "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}  # fmt: skip


def places_for(currency: str | None) -> int:
    """Decimal places of a currency's minor unit (2 unless listed, or when unknown)."""
    if currency is None:
        return 2
    return CURRENCY_PLACES.get(currency, 2)


def _places(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


class SplitLine(NamedTuple):
    """One line of a split: its amount and coding (``None``: the item's own)."""

    kind: Literal["fixed", "percent", "remainder"]
    amount: Decimal
    category: str | None = None
    description: str | None = None
    tax_rate: str | None = None
    percent: Decimal | None = None

    def to_data(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "amount": str(self.amount)}
        if self.percent is not None:
            out["percent"] = str(self.percent)
        for name in ("category", "description", "tax_rate"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


Coding = tuple[str | None, str | None, str | None]


class _Prepared:
    """What a plan needs for one currency precision, worked out once."""

    __slots__ = ("error", "fixed_neg", "fixed_pos", "quantum")

    def __init__(self, plan: SplitPlan, places: int) -> None:
        problems = plan.static_problems(places)
        self.error = problems[0] if problems else None
        self.quantum = Decimal(1).scaleb(-places)
        pos = (
            [
                SplitLine("fixed", amount.quantize(self.quantum), *coding)
                for amount, coding in plan.fixed
            ]
            if self.error is None
            else []
        )
        self.fixed_pos = tuple(pos)
        self.fixed_neg = tuple(ln._replace(amount=-ln.amount) for ln in pos)


class SplitPlan:
    """A Smart Split compiled once per rule: sums, counts and the fixed lines ready for
    every item. Immutable once built."""

    __slots__ = (
        "_prepared",
        "fixed",
        "fixed_sum",
        "line_count",
        "percent",
        "percent_sum",
        "remainder",
        "rule",
    )

    def __init__(
        self,
        fixed: tuple[tuple[Decimal, Coding], ...],
        percent: tuple[tuple[Decimal, Coding], ...],
        remainder: RemainderLine | None,
        rule: str | None = None,
    ) -> None:
        self.fixed = fixed
        self.percent = percent
        self.remainder = remainder
        self.rule = rule
        with localcontext(money_context()):
            self.fixed_sum = sum((f[0] for f in fixed), Decimal(0))
            self.percent_sum = sum((p[0] for p in percent), Decimal(0))
        has_remainder = not (percent and self.percent_sum == HUNDRED)
        self.line_count = len(fixed) + len(percent) + (1 if has_remainder else 0)
        """Lines a split makes at most: every configured line, plus the remainder line
        unless the percentages take everything left (exactly 100%)."""
        self._prepared: dict[int, _Prepared] = {}

    @classmethod
    def of(cls, spec: SmartSplit, *, rule: str | None = None) -> SplitPlan:
        fixed = tuple(
            (ln.amount, (ln.category, ln.description, ln.tax_rate))
            for ln in spec.lines
            if ln.amount is not None
        )
        percent = tuple(
            (ln.percent, (ln.category, ln.description, ln.tax_rate))
            for ln in spec.lines
            if ln.percent is not None
        )
        return cls(fixed, percent, spec.remainder, rule)

    @property
    def categorised(self) -> bool:
        """Whether every line has its own category (the remainder line included)."""
        lines_ok = all(c[0] is not None for _, c in self.fixed + self.percent)
        rem_ok = self.remainder is not None and self.remainder.category is not None
        return lines_ok and (rem_ok or self.line_count == len(self.fixed) + len(self.percent))

    def static_problems(self, places: int = 2) -> list[SplitError]:
        """What makes this split fail for every item (also used by the linter)."""
        out: list[SplitError] = []
        if self.line_count > MAX_LINES:
            out.append(SplitTooLongError(self.line_count, MAX_LINES, rule=self.rule))
        if self.percent_sum > HUNDRED:
            out.append(SplitOverHundredError(self.percent_sum, rule=self.rule))
        for amount, _ in self.fixed:
            if _places(amount) > places:
                out.append(SplitPrecisionError("fixed amount", amount, places, rule=self.rule))
        return out

    def prepared(self, places: int) -> _Prepared:
        found = self._prepared.get(places)
        if found is None:
            with localcontext(money_context()):
                found = self._prepared.setdefault(places, _Prepared(self, places))
        return found


def smart_split(
    total: Decimal | None,
    split: SmartSplit | SplitPlan,
    *,
    places: int = 2,
    rule: str | None = None,
) -> tuple[SplitLine, ...]:
    """Split ``total`` by ``split``: the lines sum exactly to ``total``.

    ``places`` is the currency's minor unit (see :func:`places_for`). A zero remainder
    adds no line. Raises a :class:`SplitError` subclass when the split cannot be made.
    """
    plan = split if isinstance(split, SplitPlan) else SplitPlan.of(split, rule=rule)
    rule = plan.rule if rule is None else rule
    prep = plan.prepared(places)
    if prep.error is not None:
        problem = plan.static_problems(places)[0]  # a fresh exception each time
        problem.rule = rule
        raise problem
    if total is None:
        raise SplitMissingTotalError(rule=rule)
    try:
        total = to_money(total, what="total")
    except ValueError as exc:
        raise SplitError(str(exc), rule=rule) from None
    exponent = total.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise SplitPrecisionError("total", total, places, rule=rule)
    with localcontext(money_context()):  # never the caller's precision or traps
        return _split(total, plan, prep, rule)


def _split(
    total: Decimal, plan: SplitPlan, prep: _Prepared, rule: str | None
) -> tuple[SplitLine, ...]:
    negative = total < 0
    size = -total if negative else total
    if plan.fixed_sum > size:
        raise SplitOverTotalError(plan.fixed_sum, size, rule=rule)
    left = size - plan.fixed_sum
    shares = _largest_remainder(left, plan.percent, plan.percent_sum, prep.quantum)
    rest = left - sum(shares, _ZERO)
    lines = [ln for ln in (prep.fixed_neg if negative else prep.fixed_pos) if ln.amount]
    for (percent, coding), share in zip(plan.percent, shares, strict=True):
        if share:  # a share that rounds to nothing adds no line
            lines.append(SplitLine("percent", -share if negative else share, *coding, percent))
    if rest:
        rem = plan.remainder
        lines.append(
            SplitLine(
                "remainder",
                -rest if negative else rest,
                rem.category if rem else None,
                rem.description if rem else None,
                rem.tax_rate if rem else None,
            )
        )
    return tuple(lines)


_ZERO: Final[Decimal] = Decimal(0)
_PRECISION: Final[int] = MONEY_PRECISION
"""Digits the arithmetic needs (the money context's precision, see ``money_context``)."""


def _largest_remainder(
    amount: Decimal,
    percents: tuple[tuple[Decimal, Coding], ...],
    percent_sum: Decimal,
    quantum: Decimal,
) -> list[Decimal]:
    """Shares of ``amount`` by ``percents``, rounded to ``quantum`` by largest remainder.

    The shares add up to ``amount * sum(percents) / 100`` rounded half-up; the pennies
    rounding down lost go to the largest remainders, ties to the earlier line.
    """
    if not percents:
        return []
    if len(percents) == 1:
        return [(amount * percent_sum / HUNDRED).quantize(quantum, ROUND_HALF_UP)]
    exact = [amount * p / HUNDRED for p, _ in percents]
    floors = [e.quantize(quantum, ROUND_FLOOR) for e in exact]
    target = (amount * percent_sum / HUNDRED).quantize(quantum, ROUND_HALF_UP)
    missing = int((target - sum(floors, _ZERO)) / quantum)
    if missing:
        order = sorted(range(len(exact)), key=lambda k: (floors[k] - exact[k], k))
        for k in order[:missing]:
            floors[k] += quantum
    return floors
