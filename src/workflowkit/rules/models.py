"""The ``RuleSet`` document: account defaults, supplier/customer, payment method and user
rules, approval workflows and automation settings.

Every coding value may be written plainly (``category: Rent``), taking its layer's
default fill mode, or with an explicit one (``category: {value: Rent, fill: if_blank}``).
Money accepts YAML numbers and strings and is kept as ``Decimal``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from workflowkit.rules.fields import FillMode
from workflowkit.rules.item import ItemType, to_money
from workflowkit.source.models import PrintableLine, PrintableText, Slug, Spec

if TYPE_CHECKING:
    from workflowkit.rules.compile import CompiledRules

Name = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True), PrintableLine
]
"""A name as people write it: a category, a supplier, a payment method, a user."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), PrintableText]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 code in capitals, e.g. GBP."""
DueDays = Annotated[int, Field(ge=0, le=3660)]
"""Days after the invoice date the item is due."""
PaidStatus = Literal["paid", "unpaid"]


def _money_in(value: Any) -> Decimal:
    return to_money(value)


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError(f"must be more than zero, got {value}")
    if -value.as_tuple().exponent > 6:  # type: ignore[operator]
        raise ValueError(f"{value} has more than 6 decimal places")
    return value


def _percent(value: Decimal) -> Decimal:
    if not Decimal(0) < value <= Decimal(100):
        raise ValueError(f"a percentage must be more than 0 and at most 100, got {value}")
    if -value.as_tuple().exponent > 4:  # type: ignore[operator]
        raise ValueError(f"{value} has more than 4 decimal places")
    return value


Money = Annotated[Decimal, BeforeValidator(_money_in)]
"""A finite amount: a YAML number or a numeric string, read exactly (0.1 stays 0.1)."""
Amount = Annotated[Decimal, BeforeValidator(_money_in), AfterValidator(_positive)]
Percent = Annotated[Decimal, BeforeValidator(_money_in), AfterValidator(_percent)]
Confidence = Annotated[float, Field(ge=0.0, le=1.0)]

T = TypeVar("T")


class Filled(Spec, Generic[T]):
    """A rule value with an explicit fill mode."""

    value: T
    fill: FillMode = Field(
        description="always: override what was read from the document; "
        "if_blank: use the value only where the document gave nothing."
    )


def _fill_tag(value: Any) -> str:
    return "filled" if isinstance(value, dict | Filled) else "plain"


CodedName = Annotated[
    Annotated[Name, Tag("plain")] | Annotated[Filled[Name], Tag("filled")],
    Discriminator(_fill_tag),
]
CodedText = Annotated[
    Annotated[Text, Tag("plain")] | Annotated[Filled[Text], Tag("filled")],
    Discriminator(_fill_tag),
]
CodedCurrency = Annotated[
    Annotated[Currency, Tag("plain")] | Annotated[Filled[Currency], Tag("filled")],
    Discriminator(_fill_tag),
]
CodedDays = Annotated[
    Annotated[DueDays, Tag("plain")] | Annotated[Filled[DueDays], Tag("filled")],
    Discriminator(_fill_tag),
]
CodedPaid = Annotated[
    Annotated[PaidStatus, Tag("plain")] | Annotated[Filled[PaidStatus], Tag("filled")],
    Discriminator(_fill_tag),
]


class _Coding(Spec):
    """Coding fields other than the payment method."""

    category: CodedName | None = Field(default=None, description="Category (nominal code).")
    tax_rate: CodedName | None = Field(default=None, description="Tax rate, e.g. 20% (VAT).")
    currency: CodedCurrency | None = Field(default=None, description="ISO 4217 code.")
    description: CodedText | None = Field(default=None, description="Item description.")
    due_days: CodedDays | None = Field(
        default=None, description="Due date terms: days after the invoice date."
    )
    paid_status: CodedPaid | None = Field(default=None, description="paid or unpaid.")
    project: CodedName | None = Field(default=None, description="Project (tracking 1).")
    project_2: CodedName | None = Field(default=None, description="Project 2 (tracking 2).")


class _CodingWithPayment(_Coding):
    payment_method: CodedName | None = Field(default=None, description="Payment method.")


class SplitLineSpec(Spec):
    """One Smart Split line: a fixed amount or a percentage, with its coding."""

    amount: Amount | None = Field(default=None, description="A fixed amount (applied first).")
    percent: Percent | None = Field(
        default=None, description="A percentage of what is left after the fixed amounts."
    )
    category: Name | None = None
    description: Text | None = None
    tax_rate: Name | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SplitLineSpec:
        if (self.amount is None) == (self.percent is None):
            raise ValueError("a split line needs exactly one of `amount` or `percent`")
        return self


class RemainderLine(Spec):
    """The line that takes what is left; unset coding falls back to the item's own."""

    category: Name | None = None
    description: Text | None = None
    tax_rate: Name | None = None


class SmartSplit(Spec):
    """Split every document into lines: fixed amounts, then percentages, then the rest."""

    lines: tuple[SplitLineSpec, ...] = Field(min_length=1, max_length=1000)
    remainder: RemainderLine | None = Field(
        default=None,
        description="Coding of the remainder line; without it the remainder keeps the "
        "item's own coding.",
    )


class _ContactMatch(Spec):
    id: Slug = Field(description="Stable rule id, shown in explanations.")
    name: Name | None = Field(default=None, description="The supplier or customer name.")
    contact_id: Name | None = Field(
        default=None, description="The contact's id in the accounting software."
    )
    aliases: tuple[Name, ...] = Field(default=(), description="Other names it appears under.")


class ContactRule(_CodingWithPayment, _ContactMatch):
    """A supplier rule (Costs) or customer rule (Sales).

    Matches an item by contact id, or by name or alias, exactly and case-insensitively.
    """

    publish_to: Name | None = Field(default=None, description="Publish destination.")
    auto_publish: bool | None = Field(
        default=None, description="Auto-publish this contact's items; unset: the account's."
    )
    workflow_note: Text | None = Field(
        default=None, description="Shown at the top of the item for whoever codes it."
    )
    smart_split: SmartSplit | None = None
    extract_line_items: bool = Field(
        default=False, description="Extract line items from future documents (Costs only)."
    )

    @model_validator(mode="after")
    def _matchable(self) -> ContactRule:
        if self.name is None and self.contact_id is None:
            raise ValueError(f"rule {self.id!r} needs a `name` or a `contact_id` to match on")
        return self


class _PaymentMethodKey(Spec):
    payment_method: Name = Field(description="The payment method this rule is for.")


class PaymentMethodRule(_Coding, _PaymentMethodKey):
    """Publishing behaviour (and optional coding) for items paid with one payment method."""

    auto_publish: Literal["always", "never", "none"] = Field(
        default="none",
        description="always/never override supplier and account settings; none defers.",
    )
    publish_to: Name | None = Field(default=None, description="Publish destination.")
    bank_account: Name | None = Field(default=None, description="Linked bank account.")


class UserRule(Spec):
    """Defaults for Costs items uploaded by one user. Highest priority of all rules."""

    user: Name = Field(description="The uploading user (e.g. an email address).")
    payment_method: CodedName | None = None
    project: CodedName | None = None


class AccountDefaults(_CodingWithPayment):
    """Account-level defaults, the lowest priority. Plain values fill blanks only."""

    publish_to: Name | None = Field(default=None, description="Publish destination.")
    auto_publish: bool = Field(default=False, description="Auto-publish all items.")
    auto_publish_exceptions: tuple[ItemType, ...] = Field(
        default=(),
        description="Item types never auto-published, whatever any rule says.",
    )


class ApprovalWorkflow(Spec):
    """A Costs/Sales approval workflow, as far as rules need to know it."""

    id: Slug
    side: Literal["costs", "sales"] = "costs"
    contacts: tuple[Name, ...] = Field(
        default=(), description="Supplier/customer names or ids covered; empty: every one."
    )
    item_types: tuple[ItemType, ...] = Field(default=(), description="Empty: every type.")
    over: Money | None = Field(
        default=None, description="Only items whose total is over this; unset: always."
    )


class SmartSuggestionSettings(Spec):
    """Which fields Smart Suggestions fill by themselves, and how sure they must be."""

    auto_apply: tuple[Literal["project", "project_2", "description"], ...] = ()
    min_confidence: Confidence = 0.6


class Settings(Spec):
    """Automation settings."""

    auto_categorisation: Literal["always", "without_supplier_rule", "never"] = Field(
        default="always",
        description="always: every Costs item no rule has categorised; "
        "without_supplier_rule: only items no supplier rule matches; never: off.",
    )
    auto_categorisation_min_confidence: Confidence = 0.6
    smart_suggestions: SmartSuggestionSettings = SmartSuggestionSettings()


class RuleSet(Spec):
    """A ``kind: RuleSet`` document."""

    api_version: Literal["workflowkit/v1"] = Field(alias="apiVersion")
    kind: Literal["RuleSet"]
    id: Slug = Field(description="Stable id of the rule set.")
    name: Name | None = None
    client: Slug | None = Field(default=None, description="The client these rules are for.")
    description: str = ""
    users: tuple[Name, ...] = Field(
        default=(), description="The account's users (user rules must name one)."
    )
    payment_methods: tuple[Name, ...] = Field(
        default=(), description="The account's payment methods (rules must name one)."
    )
    account: AccountDefaults = AccountDefaults()
    suppliers: tuple[ContactRule, ...] = ()
    customers: tuple[ContactRule, ...] = ()
    payment_method_rules: tuple[PaymentMethodRule, ...] = ()
    user_rules: tuple[UserRule, ...] = ()
    approval_workflows: tuple[ApprovalWorkflow, ...] = ()
    settings: Settings = Settings()

    @cached_property
    def compiled(self) -> CompiledRules:
        """The precompiled indexes ``resolve`` runs on (built once per rule set)."""
        from workflowkit.rules.compile import compile_rules

        return compile_rules(self)


def fill_of(value: Any, default: FillMode) -> tuple[Any, FillMode]:
    """``(value, fill mode)`` of a coded value written plainly or with a fill mode."""
    if isinstance(value, Filled):
        return value.value, value.fill
    return value, default
