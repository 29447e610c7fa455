"""``resolve(item, ruleset)``: the final value of every field, where each came from, and
what happens to the item next.

Precedence, per field, highest first (the first *applicable* candidate wins):

1. user rule (Costs items, by uploading user)
2. payment method rule (for the payment method the item ends up with)
3. supplier rule (Costs) or customer rule (Sales)
4. auto-categorisation (category) or Smart Suggestion (project, project 2, description)
5. account default
6. the value read from the document (``None``: not set)

A rule value with fill mode ``always`` is always applicable; ``if_blank`` only where the
document gave nothing. Predictions apply only where the document gave nothing, never
over a rule, and only in ``new`` mode. See ``docs/rules.md`` for the table.

The hot path below is written for speed (see ``benchmarks/rules.py``); the reference
statement of the same rules is :mod:`workflowkit.rules.explain`, which also builds the
"candidates it beat" of each field on demand, and a property test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, Protocol

from workflowkit.errors import RuleError
from workflowkit.rules.approvals import covering
from workflowkit.rules.compile import (
    ACCOUNT,
    CONTACT,
    NF,
    PAYMENT,
    PREDICTED,
    USER,
    CompiledRules,
    PaymentPlan,
    Stack,
    UserPlan,
)
from workflowkit.rules.decisions import (
    APPROVAL_REJECTED,
    HOLD_FOR_APPROVAL,
    INBOX_MODE,
    LINE_ITEMS_INBOX,
    LineItemsDecision,
    Prediction,
    PublishDecision,
    Source,
)
from workflowkit.rules.errors import SplitError
from workflowkit.rules.fields import (
    CATEGORY,
    CODING_FIELDS,
    FIELDS,
    INDEX,
    PAYMENT_METHOD,
    SUGGESTION_FIELDS,
    Layer,
    check_field,
)
from workflowkit.rules.item import Approval, Item, Mode, Side
from workflowkit.rules.models import RuleSet
from workflowkit.rules.split import SplitLine, places_for, smart_split

if TYPE_CHECKING:
    from workflowkit.rules.explain import Explanation, FieldProvenance


class Categoriser(Protocol):
    """Predicts an item's category from items already coded (auto-categorisation)."""

    def predict(self, item: Item) -> Prediction | None:
        """A category and a confidence, or ``None`` (e.g. too little history)."""
        ...


class Suggester(Protocol):
    """Suggests a value for a project field or the description (Smart Suggestions)."""

    def suggest(self, item: Item, field: str) -> Prediction | None:
        """A value and a confidence for ``field``, or ``None``."""
        ...


_extracted: Final = attrgetter(*CODING_FIELDS)
_CURRENCY: Final = INDEX["currency"]
_TAX_RATE: Final = INDEX["tax_rate"]
_DESCRIPTION: Final = INDEX["description"]
_SUGGEST: Final = tuple((INDEX[f], f) for f in SUGGESTION_FIELDS)
_MODE_NEW: Final = Mode.NEW
_MODE_INBOX: Final = Mode.INBOX
_COSTS: Final = Side.COSTS
_NONE: Final = Approval.NONE
_APPROVED: Final = Approval.APPROVED
_PENDING: Final = Approval.PENDING
_REJECTED: Final = Approval.REJECTED
_new: Final = tuple.__new__


class Resolution(tuple[Any, ...]):
    """The outcome of applying a rule set to one item. Immutable.

    The value and the winning layer of every field, the publish and line item decisions
    and the split are worked out when resolving. ``source(field)`` names the winning
    rule (layer, rule id, fill mode); ``provenance(field)`` adds every candidate it beat
    and why, built on demand from the same inputs.
    """

    __slots__ = ()

    # Layout (private, never handed out): 0 item, 1 the field values then their layer
    # codes (a list only this module writes, while resolving), 2 publish, 3 line items,
    # 4 stack, 5 user plan, 6 payment plan, 7 predictions, 8 mode, 9 compiled rules.

    @property
    def item(self) -> Item:
        """The item as given."""
        item: Item = self[0]
        return item

    @property
    def mode(self) -> Mode:
        """``new`` or ``inbox``."""
        mode: Mode = self[8]
        return mode

    @property
    def values(self) -> dict[str, Any]:
        """The final value of every field (``None``: not set)."""
        return dict(zip(FIELDS, self[1][:NF], strict=True))

    def value(self, field: str) -> Any:
        """The final value of one field."""
        return self[1][check_field(field)]

    def layer(self, field: str) -> Layer:
        """The layer the value of ``field`` came from."""
        return self.source(field).layer

    def source(self, field: str) -> Source:
        """The winning source of one field: layer, rule id, fill mode and value."""
        return self._source(check_field(field))

    def _source(self, i: int) -> Source:
        code = self[1][NF + i]
        found: Source | None
        if code == USER:
            found = self[5].sources[i]
        elif code == PAYMENT:
            found = self[6].sources[i]
        elif code == CONTACT:
            found = self[4].contact[i]
        elif code == ACCOUNT:
            found = self[9].account[i]
        elif code == PREDICTED:
            name = FIELDS[i]
            pred: Prediction = self[7][name]
            layer = Layer.AUTO_CATEGORISATION if name == "category" else Layer.SMART_SUGGESTION
            found = Source.make(name, layer, pred.model, None, pred.value, pred.confidence)
        else:
            found = Source.make(FIELDS[i], Layer.DOCUMENT, None, None, self[1][i])
        assert found is not None
        return found

    @property
    def sources(self) -> dict[str, Source]:
        """The winning source of every field."""
        return {name: self._source(i) for i, name in enumerate(FIELDS)}

    def provenance(self, field: str) -> FieldProvenance:
        """The winner of ``field`` and every candidate it beat, each with why."""
        from workflowkit.rules.explain import field_provenance

        return field_provenance(self, check_field(field))

    def explain(self) -> Explanation:
        """Every field's provenance, then the publish and line item decisions."""
        from workflowkit.rules.explain import explain

        return explain(self)

    @property
    def publish(self) -> PublishDecision:
        """Publish, hold for approval, or stay in the inbox, with the reason."""
        decision: PublishDecision = self[2]
        return decision

    @property
    def line_items(self) -> LineItemsDecision:
        """Whether line items are extracted, with the reason."""
        decision: LineItemsDecision = self[3]
        return decision

    @property
    def extract_line_items(self) -> bool:
        """Whether line items are to be extracted from the document."""
        return bool(self[3].extract)

    @property
    def split(self) -> tuple[SplitLine, ...]:
        """The Smart Split lines (empty without a split, or when it could not be made).

        Worked out from the item's total and the supplier rule's split when asked (the
        same every time); lines without their own coding take the item's."""
        if self[4].split is None:
            return ()
        return _split(self[0], self[4], self[1])[0]

    @property
    def split_error(self) -> SplitError | None:
        """Why a Smart Split that applies could not be made (e.g. no total extracted)."""
        if self[4].split is None:
            return None
        return _split(self[0], self[4], self[1])[1]

    @property
    def notes(self) -> tuple[str, ...]:
        """Workflow notes to show at the top of the item."""
        notes: tuple[str, ...] = self[4].notes
        return notes

    @property
    def predictions(self) -> dict[str, Prediction]:
        """What auto-categorisation and Smart Suggestions proposed (applied or not)."""
        preds: dict[str, Prediction] | None = self[7]
        return dict(preds) if preds else {}

    @property
    def rules(self) -> CompiledRules:
        """The compiled rule set this resolution came from."""
        rules: CompiledRules = self[9]
        return rules

    @property
    def matched(self) -> tuple[Stack, UserPlan | None, PaymentPlan | None]:
        """The supplier/customer stack, user rule and payment method rule that matched."""
        return self[4], self[5], self[6]

    def to_data(self) -> dict[str, Any]:
        """JSON-compatible data: values, provenance (with what each beat) and decisions."""
        return self.explain().to_data()

    def __repr__(self) -> str:
        return (
            f"Resolution(item={self[0].id!r}, publish={self[2].action.value!r}, "
            f"values={self.values!r})"
        )


def _predict(
    item: Item,
    rules: CompiledRules,
    stack: Stack,
    ext: tuple[Any, ...],
    vc: list[Any],
    categoriser: Categoriser | None,
    suggester: Suggester | None,
) -> dict[str, Prediction] | None:
    """Auto-categorisation and Smart Suggestions, where no rule set the field and the
    document gave nothing. Mutates ``vc``; returns what was predicted."""
    out: dict[str, Prediction] = {}
    if (
        categoriser is not None
        and item.side is _COSTS
        and rules.categorise != "never"
        and (rules.categorise == "always" or stack.rule is None)
        and ext[CATEGORY] is None
        and vc[NF + CATEGORY] > PREDICTED
    ):
        pred = categoriser.predict(item)
        if pred is not None:
            out["category"] = pred
            if pred.confidence >= rules.categorise_min:
                vc[NF + CATEGORY] = PREDICTED
                vc[CATEGORY] = pred.value
    if suggester is not None:
        for i, name in _SUGGEST:
            if ext[i] is None and vc[NF + i] > PREDICTED:
                pred = suggester.suggest(item, name)
                if pred is None:
                    continue
                out[name] = pred
                if name in rules.suggest_apply and pred.confidence >= rules.suggest_min:
                    vc[NF + i] = PREDICTED
                    vc[i] = pred.value
    return out or None


def _split(
    item: Item, stack: Stack, v: list[Any] | tuple[Any, ...]
) -> tuple[tuple[SplitLine, ...], SplitError | None]:
    plan = stack.split
    assert plan is not None
    try:
        lines = smart_split(item.total, plan, places=places_for(v[_CURRENCY]))
    except SplitError as exc:
        return (), exc
    category, description, tax_rate = v[CATEGORY], v[_DESCRIPTION], v[_TAX_RATE]
    return (
        tuple(
            ln
            if ln.category is not None and ln.description is not None and ln.tax_rate is not None
            else SplitLine(
                ln.kind,
                ln.amount,
                ln.category if ln.category is not None else category,
                ln.description if ln.description is not None else description,
                ln.tax_rate if ln.tax_rate is not None else tax_rate,
                ln.percent,
            )
            for ln in lines
        ),
        None,
    )


def _split_coded(item: Item, stack: Stack, vc: list[Any]) -> bool:
    """Whether the Smart Split makes lines that all have a category."""
    lines, _ = _split(item, stack, vc)
    return bool(lines) and all(ln.category is not None for ln in lines)


def resolve(
    item: Item,
    ruleset: RuleSet | CompiledRules,
    *,
    mode: Mode | str = Mode.NEW,
    categoriser: Categoriser | None = None,
    suggester: Suggester | None = None,
) -> Resolution:
    """Apply ``ruleset`` to ``item``. Pure: the same inputs give the same resolution.

    ``mode="new"`` for an item just extracted (every rule applies); ``mode="inbox"`` for
    "Apply to all inbox items" (coding rules only: never auto-publish, never line item
    extraction, no predictions). ``categoriser`` and ``suggester`` bring
    auto-categorisation and Smart Suggestions (see :mod:`workflowkit.rules.learn`).
    """
    rules: CompiledRules = ruleset.compiled
    if mode is _MODE_NEW or mode == "new":
        new = True
    elif mode == "inbox":
        new = False
    else:
        raise RuleError(f"unknown mode {mode!r}: use 'new' or 'inbox'")

    # The supplier (Costs) or customer (Sales) rule: by contact id, then by name.
    costs = item.side is _COSTS
    by_id, by_name, stack = rules.costs_lookup if costs else rules.sales_lookup
    cid = item.contact_id
    if cid is not None and cid in by_id:
        stack = by_id[cid]
    else:
        name = item.contact_name
        if name is not None:
            found = by_name.get(name)
            if found is None:
                found = by_name.get(name.casefold())
            if found is not None:
                stack = found

    # Supplier/customer rule and account defaults, precompiled into the stack: one
    # vector of the field values followed by their layer codes.
    ext = _extracted(item)
    vc = [*ext, *stack.tail]
    for i, value in stack.fixed:
        vc[i] = value
    for i, j, code, value in stack.cond:
        if ext[i] is None:
            vc[i] = value
            vc[j] = code

    # User rules (Costs only): the highest layer.
    user = None
    if costs:
        by = item.uploaded_by
        if by is not None:
            user = rules.users.get(by)
            if user is None and not (by.isascii() and by.islower()):
                user = rules.users.get(by.casefold())
            if user is not None:
                for i, j, value, always in user.fields:
                    if always or ext[i] is None:
                        vc[i] = value
                        vc[j] = USER

    # The payment method rule of the payment method the item now has: above the
    # supplier rule and the account, below a user rule.
    pay = None
    method = vc[PAYMENT_METHOD]
    if method is not None:
        pay = rules.payment_methods.get(method)
        if pay is None:
            pay = rules.payment_methods.get(method.casefold())
        if pay is not None:
            for i, j, value, always in pay.fields:
                if vc[j] > PAYMENT and (always or ext[i] is None):
                    vc[i] = value
                    vc[j] = PAYMENT
            for i, j, value in pay.fixed:
                vc[i] = value
                vc[j] = PAYMENT

    predictions = None
    if new and (categoriser is not None or suggester is not None):
        predictions = _predict(item, rules, stack, ext, vc, categoriser, suggester)

    if new:
        line_items, publish = stack.by_type[item.type]
        approval = item.approval
        plans = rules.approvals[item.side]
        held = covering(plans, item, stack.rule) if plans else None
        if held is not None and approval is not _APPROVED and approval is not _REJECTED:
            publish = held.held  # the rule set's approval workflow holds it
        elif approval is _NONE or approval is _APPROVED:
            if publish is None:  # no item type exception
                publish = stack.publish if pay is None or pay.publish is None else pay.publish
                if (
                    publish.uncoded is not None
                    and vc[CATEGORY] is None
                    and not (stack.split is not None and _split_coded(item, stack, vc))
                ):
                    publish = publish.uncoded
        elif approval is _PENDING:
            publish = HOLD_FOR_APPROVAL
        else:
            publish = APPROVAL_REJECTED
    else:
        publish = INBOX_MODE
        line_items = LINE_ITEMS_INBOX
    return _new(
        Resolution,
        (
            item,
            vc,
            publish,
            line_items,
            stack,
            user,
            pay,
            predictions,
            _MODE_NEW if new else _MODE_INBOX,
            rules,
        ),
    )


def resolve_all(
    items: Iterable[Item],
    ruleset: RuleSet | CompiledRules,
    *,
    mode: Mode | str = Mode.NEW,
    categoriser: Categoriser | None = None,
    suggester: Suggester | None = None,
) -> Iterator[Resolution]:
    """``resolve`` over many items, lazily."""
    rules = ruleset if isinstance(ruleset, CompiledRules) else ruleset.compiled
    for item in items:
        yield resolve(item, rules, mode=mode, categoriser=categoriser, suggester=suggester)
