"""The vocabulary of rules: fields, layers, fill modes and where each field may be set.

A *field* is one value on an item that rules can set. The first nine are coding fields
that extraction may also read from the document; ``publish_to`` and ``bank_account``
are publishing fields, never read from a document and set only by rules.

A *layer* is where a value comes from. Rules sit in four layers (user, payment method,
supplier/customer, account); predictions (auto-categorisation, Smart Suggestions) and
the document itself are sources too. ``RANK`` orders them, highest priority first; the
precedence of one field is "the first applicable candidate in rank order wins".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal


class Layer(StrEnum):
    """Where a field's value came from, highest priority first."""

    USER = "user"
    PAYMENT_METHOD = "payment_method"
    SUPPLIER = "supplier"
    CUSTOMER = "customer"
    AUTO_CATEGORISATION = "auto_categorisation"
    SMART_SUGGESTION = "smart_suggestion"
    ACCOUNT = "account"
    DOCUMENT = "document"


RANK: Final[dict[Layer, int]] = {
    Layer.USER: 0,
    Layer.PAYMENT_METHOD: 1,
    Layer.SUPPLIER: 2,
    Layer.CUSTOMER: 2,
    Layer.AUTO_CATEGORISATION: 3,
    Layer.SMART_SUGGESTION: 3,
    Layer.ACCOUNT: 4,
    Layer.DOCUMENT: 5,
}
"""Priority of each source (lower wins). Supplier and customer rules share a rank: an
item is either Costs (supplier rules) or Sales (customer rules), never both."""

RULE_LAYERS: Final[tuple[Layer, ...]] = (
    Layer.USER,
    Layer.PAYMENT_METHOD,
    Layer.SUPPLIER,
    Layer.ACCOUNT,
)
"""The four rule layers, highest first (``SUPPLIER`` stands for supplier or customer)."""


class FillMode(StrEnum):
    """How a rule value treats a value read from the document."""

    ALWAYS = "always"
    """Override what was read from the document."""
    IF_BLANK = "if_blank"
    """Use the rule value only where the document gave nothing."""


FillModeName = Literal["always", "if_blank"]

CODING_FIELDS: Final[tuple[str, ...]] = (
    "category",
    "tax_rate",
    "currency",
    "payment_method",
    "description",
    "due_days",
    "paid_status",
    "project",
    "project_2",
)
"""Fields extraction may read from the document and rules may set."""

PUBLISH_FIELDS: Final[tuple[str, ...]] = ("publish_to", "bank_account")
"""Fields only rules set (no fill mode: nothing is ever read for them)."""

FIELDS: Final[tuple[str, ...]] = CODING_FIELDS + PUBLISH_FIELDS
"""Every resolved field, in the order resolutions report them."""

INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(FIELDS)}
N_CODING: Final[int] = len(CODING_FIELDS)

CATEGORY: Final[int] = INDEX["category"]
PAYMENT_METHOD: Final[int] = INDEX["payment_method"]

SUGGESTION_FIELDS: Final[tuple[str, ...]] = ("project", "project_2", "description")
"""Fields Smart Suggestions may fill (Dext: Projects, Projects 2 and Description)."""

LAYER_FIELDS: Final[dict[Layer, frozenset[str]]] = {
    Layer.USER: frozenset({"payment_method", "project"}),
    Layer.PAYMENT_METHOD: frozenset(set(CODING_FIELDS) - {"payment_method"})
    | {"publish_to", "bank_account"},
    Layer.SUPPLIER: frozenset(CODING_FIELDS) | {"publish_to"},
    Layer.CUSTOMER: frozenset(CODING_FIELDS) | {"publish_to"},
    Layer.ACCOUNT: frozenset(CODING_FIELDS) | {"publish_to"},
}
"""Which fields each rule layer may set.

User rules set the payment method and project of Costs items (Dext). A payment method
rule cannot set the payment method it is keyed by; it may set coding defaults (as
Receipt Bank's payment method rules did) and is the only layer with a linked bank
account."""

DEFAULT_FILL: Final[dict[Layer, FillMode]] = {
    Layer.USER: FillMode.ALWAYS,
    Layer.PAYMENT_METHOD: FillMode.ALWAYS,
    Layer.SUPPLIER: FillMode.ALWAYS,
    Layer.CUSTOMER: FillMode.ALWAYS,
    Layer.ACCOUNT: FillMode.IF_BLANK,
}
"""The fill mode of a value written without one: rules override the document, account
defaults only fill what the document left blank."""


def check_field(name: str) -> int:
    """The index of a field, or ``KeyError`` naming the known fields."""
    try:
        return INDEX[name]
    except KeyError:
        raise KeyError(f"unknown field {name!r}; fields are: {', '.join(FIELDS)}") from None
