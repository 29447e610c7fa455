"""The item rules apply to: a Costs or Sales document after extraction.

An ``Item`` is immutable and validated when built: enum fields accept their string
values, money accepts ``Decimal``, ``int`` or a numeric string (a ``float`` is read
through ``str`` so ``0.1`` stays ``0.1``), and anything else is an :class:`ItemError`
naming the item and the field. ``Item.from_data`` reads one item from JSON or CSV data.
"""

from __future__ import annotations

import dataclasses
import decimal
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from workflowkit.rules.errors import ItemError
from workflowkit.rules.fields import CODING_FIELDS


class Side(StrEnum):
    """Costs (purchases: supplier rules) or Sales (customer rules)."""

    COSTS = "costs"
    SALES = "sales"


class ItemType(StrEnum):
    """The kind of document."""

    INVOICE = "invoice"
    RECEIPT = "receipt"
    CREDIT_NOTE = "credit_note"
    DELIVERY_NOTE = "delivery_note"
    STATEMENT = "statement"
    REMITTANCE = "remittance"
    OTHER = "other"


class Approval(StrEnum):
    """Whether a Costs/Sales approval workflow applies to the item, and where it stands."""

    NONE = "none"
    """No approval workflow applies."""
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Mode(StrEnum):
    """When rules are applied."""

    NEW = "new"
    """Just extracted: every rule applies."""
    INBOX = "inbox"
    """"Apply to all inbox items": coding rules only, never auto-publish or line items."""


LINE_ITEM_TYPES: Final[frozenset[ItemType]] = frozenset(
    {ItemType.INVOICE, ItemType.RECEIPT, ItemType.CREDIT_NOTE, ItemType.DELIVERY_NOTE}
)
"""Costs document types Line Item Extraction works on (not statements or remittances)."""

MAX_MONEY: Final[Decimal] = Decimal("1e12")
MAX_MONEY_PLACES: Final[int] = 12
"""Decimal places an amount may have: money has 0 to 4, percentages a few more."""
MAX_TEXT: Final[int] = 2000
MONEY_PRECISION: Final[int] = 40
"""Digits every money calculation runs with: amounts under 1e12 with at most 12 places,
times percentages of the same kind, stay exact (see :func:`money_context`)."""

_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A number as text: ASCII digits only (no Arabic-Indic or other digits), no underscores."""


def money_context() -> decimal.Context:
    """The decimal context every money calculation runs in, whatever the caller's context.

    Use ``with decimal.localcontext(money_context()):``. Precision :data:`MONEY_PRECISION`,
    and Overflow, InvalidOperation and DivisionByZero trap (they are bugs, never rounding).
    """
    return decimal.Context(
        prec=MONEY_PRECISION,
        rounding=decimal.ROUND_HALF_EVEN,
        Emax=999_999,
        Emin=-999_999,
        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    )


def to_money(value: Any, *, what: str = "amount") -> Decimal:
    """A finite ``Decimal`` from a Decimal, int, float or numeric string.

    A float read from a file keeps its text (:class:`~workflowkit.source.loader.SourceFloat`)
    and is built from it; another float is read through ``str``. Raises ``ValueError``
    (with a message naming ``what``) for anything else: ``NaN``/infinity, digits other
    than ASCII 0-9, amounts of a trillion or more, and more than
    :data:`MAX_MONEY_PLACES` decimal places. No step depends on the caller's decimal
    context.
    """
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, got a boolean")
    if isinstance(value, Decimal):
        out = value
    elif isinstance(value, int):
        if abs(value) >= 10**12:  # before building a Decimal of a huge int
            raise ValueError(f"{what} is too large (the limit is under 1e12)")
        out = Decimal(value)
    elif isinstance(value, float):
        text = getattr(value, "text", None)
        out = Decimal(text if isinstance(text, str) else str(value))
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 100 or not _NUMBER.fullmatch(text):
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise ValueError(f"{what} {shown!r} is not a number")
        out = Decimal(text)
    else:
        raise ValueError(f"{what} must be a number, got {type(value).__name__}")
    if not out.is_finite():
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    if out.is_zero():
        exponent = out.as_tuple().exponent
        assert isinstance(exponent, int)
        return out if -MAX_MONEY_PLACES <= exponent <= 0 else Decimal(0)
    # adjusted() and as_tuple() are exact and use no context, unlike abs() or compare.
    if out.adjusted() >= 12:
        raise ValueError(f"{what} is too large (the limit is under 1e12)")
    exponent = out.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > MAX_MONEY_PLACES:
        raise ValueError(f"{what} has more than {MAX_MONEY_PLACES} decimal places")
    return out


def _text(value: Any, field: str, item: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError(f"must be text, got {type(value).__name__}", item=item, field=field)
    if len(value) > MAX_TEXT:
        raise ItemError(f"longer than {MAX_TEXT} characters", item=item, field=field)
    return value


def _enum(kind: type[StrEnum], value: Any, field: str, item: str | None) -> Any:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise ItemError(f"{value!r} is not one of: {choices}", item=item, field=field) from None


@dataclass(frozen=True, slots=True)
class Item:
    """A Costs or Sales document after extraction.

    Coding fields hold what was read from the document (``None`` where nothing was
    read). In ``inbox`` mode they hold the item's current values.
    """

    id: str = ""
    side: Side = Side.COSTS
    type: ItemType = ItemType.INVOICE
    contact_id: str | None = None
    """The supplier's (Costs) or customer's (Sales) id in the accounting software."""
    contact_name: str | None = None
    """The supplier or customer name as read or matched."""
    uploaded_by: str | None = None
    """The user who uploaded the document (user rules match on it)."""
    category: str | None = None
    tax_rate: str | None = None
    currency: str | None = None
    payment_method: str | None = None
    description: str | None = None
    due_days: int | None = None
    paid_status: str | None = None
    project: str | None = None
    project_2: str | None = None
    total: Decimal | None = None
    tax: Decimal | None = None
    approval: Approval = Approval.NONE

    def __post_init__(self) -> None:
        item = self.id or None
        if not isinstance(self.id, str):
            raise ItemError(f"must be text, got {type(self.id).__name__}", field="id")
        setattr_ = object.__setattr__
        setattr_(self, "side", _enum(Side, self.side, "side", item))
        setattr_(self, "type", _enum(ItemType, self.type, "type", item))
        setattr_(self, "approval", _enum(Approval, self.approval, "approval", item))
        for name in ("contact_id", "contact_name", "uploaded_by", *CODING_FIELDS):
            if name not in ("due_days",):
                _text(getattr(self, name), name, item)
        if self.paid_status is not None and self.paid_status not in ("paid", "unpaid"):
            raise ItemError(
                f"{self.paid_status!r} is not one of: paid, unpaid", item=item, field="paid_status"
            )
        days = self.due_days
        if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
            raise ItemError(
                f"must be a whole number of days, got {type(days).__name__}",
                item=item,
                field="due_days",
            )
        if days is not None and not 0 <= days <= 3660:
            raise ItemError(f"{days} is not between 0 and 3660", item=item, field="due_days")
        for name in ("total", "tax"):
            value = getattr(self, name)
            if value is not None:
                try:
                    setattr_(self, name, to_money(value, what=name))
                except ValueError as exc:
                    raise ItemError(str(exc), item=item, field=name) from None

    @property
    def extracted(self) -> dict[str, Any]:
        """The coding fields as a dict (``None`` where nothing was read)."""
        return {name: getattr(self, name) for name in CODING_FIELDS}

    def replace(self, **changes: Any) -> Item:
        """A copy with some attributes changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def to_data(self) -> dict[str, Any]:
        """JSON-compatible data (money as strings), the inverse of :meth:`from_data`."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, StrEnum):
                value = value.value
            out[f.name] = value
        return out

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, where: str | None = None) -> Item:
        """One item from a mapping (a JSON object or a CSV row).

        Unknown keys are errors (with a suggestion). Empty strings count as "not read";
        ``due_days`` and money may be strings (as in CSV).
        """
        from workflowkit.source.models import did_you_mean

        if not isinstance(data, Mapping):
            raise ItemError(f"must be a mapping, got {type(data).__name__}", item=where)
        name = data.get("id")
        label = where if where is not None else (str(name) if name else None)
        if where is not None and name:
            label = f"{where} ({name})"
        known = ITEM_KEYS
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                hint = did_you_mean(str(key), sorted(known))
                raise ItemError(f"unknown key {key!r}" + (f"; {hint}" if hint else ""), item=label)
            if isinstance(value, str) and value.strip() == "" and key != "id":
                value = None
            if key == "due_days" and isinstance(value, str):
                try:
                    value = int(value.strip())
                except ValueError:
                    raise ItemError(
                        f"{value!r} is not a whole number of days", item=label, field=key
                    ) from None
            if key == "id" and value is not None and not isinstance(value, str):
                value = str(value)
            kwargs[key] = value
        if "id" in kwargs and kwargs["id"] is None:
            kwargs["id"] = ""
        try:
            return cls(**kwargs)
        except ItemError as exc:
            if label is not None:
                raise ItemError(exc.detail, item=label, field=exc.field) from None
            raise


ITEM_KEYS: Final[frozenset[str]] = frozenset(f.name for f in dataclasses.fields(Item))
